"""A small MaxMind DB (format 2.0) writer for the usage tests: a country database of a
few IPv4 networks, so the tests run offline whatever database setup-debian.sh fetched.
Written from the format's specification (maxmind.github.io/MaxMind-DB); Debian's
python3-maxminddb reads it back in the tests as an independent check."""
from __future__ import annotations

import ipaddress
import struct
import time
from pathlib import Path


def _control(type_: int, size: int) -> bytes:
    extended = type_ > 7
    first_type = 0 if extended else type_
    if size < 29:
        head = bytes([(first_type << 5) | size])
        tail = b""
    elif size < 29 + 256:
        head = bytes([(first_type << 5) | 29])
        tail = bytes([size - 29])
    else:
        raise ValueError("value too long for this writer")
    return head + (bytes([type_ - 7]) if extended else b"") + tail


def _uint(type_: int, value: int) -> bytes:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big") if value else b""
    return _control(type_, len(raw)) + raw


def encode(value) -> bytes:
    if isinstance(value, str):
        raw = value.encode()
        return _control(2, len(raw)) + raw
    if isinstance(value, dict):
        return _control(7, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    if isinstance(value, list):
        return _control(11, len(value)) + b"".join(encode(v) for v in value)
    if isinstance(value, tuple):  # (type, int): uint16 = 5, uint32 = 6, uint64 = 9
        return _uint(*value)
    raise TypeError(value)


def write_country_mmdb(path: Path, networks: dict[str, str]) -> None:
    """networks: "192.0.2.0/24" -> alpha-2 code (non-overlapping IPv4 networks)."""
    data = b""
    offsets = {}
    for code in sorted(set(networks.values())):
        offsets[code] = len(data)
        data += encode({"country_code": code})
    nodes: list[list] = [[None, None]]
    for cidr, code in networks.items():
        net = ipaddress.ip_network(cidr)
        bits = int(net.network_address)
        node = 0
        for i in range(net.prefixlen):
            bit = (bits >> (31 - i)) & 1
            if i == net.prefixlen - 1:
                nodes[node][bit] = ("data", offsets[code])
            else:
                if nodes[node][bit] is None:
                    nodes.append([None, None])
                    nodes[node][bit] = ("node", len(nodes) - 1)
                assert nodes[node][bit][0] == "node", "overlapping networks"
                node = nodes[node][bit][1]
    count = len(nodes)

    def record(r) -> int:
        if r is None:
            return count
        return r[1] if r[0] == "node" else count + 16 + r[1]

    tree = b"".join(struct.pack(">I", record(left))[1:] + struct.pack(">I", record(right))[1:]
                    for left, right in nodes)
    metadata = {
        "binary_format_major_version": (5, 2),
        "binary_format_minor_version": (5, 0),
        "build_epoch": (9, int(time.time())),
        "database_type": "AMIS-Test-Country",
        "description": {"en": "AMIS usage tests"},
        "ip_version": (5, 4),
        "languages": ["en"],
        "node_count": (6, count),
        "record_size": (5, 24),
    }
    path.write_bytes(tree + bytes(16) + data + b"\xab\xcd\xefMaxMind.com" + encode(metadata))
