"""Raw-socket helpers for the HTTP layer's tests: what a browser library would
never send (ambiguous framing, trickled heads) has to be written by hand."""
from __future__ import annotations

import re
import socket
import time


def connect(port: int, source: str = "127.0.0.1", timeout: float = 10) -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s


def read_until_closed(s: socket.socket, limit: float = 10) -> bytes:
    """Everything the server sends until it closes the connection (or `limit` s)."""
    data = b""
    deadline = time.monotonic() + limit
    s.settimeout(0.5)
    while time.monotonic() < deadline:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            break
        if not chunk:
            return data
        data += chunk
    raise AssertionError(f"the server kept the connection open; got {data[:300]!r}")


def read_response(s: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One response with a Content-Length body (what error and small answers use)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed before a response head: {data!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, headers, rest[:length]


def statuses(raw: bytes) -> list[int]:
    """The status codes of every response in `raw`, in order (a response's body
    does not end with a line break, so the next status line may follow it directly)."""
    return [int(code) for code in re.findall(rb"HTTP/1\.[01] (\d{3}) ", raw)]
