"""Debian's nginx, started by a test in a temporary folder (as root too: `user root`), with its
access log in that folder; the tests read the log as the independent record of what reached it."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_config(folder: Path, log_format: str, http_body: str) -> str:
    """A whole nginx.conf: one worker, logs and temporary files in `folder`, the access log in
    `log_format` (nginx's variables), and `http_body` (servers, zones) inside http {}."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 256; }}
http {{
  log_format tests '{log_format}';
  access_log {folder}/access.log tests;
  client_body_temp_path {folder}/body;
  proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi;
  uwsgi_temp_path {folder}/uwsgi;
  scgi_temp_path {folder}/scgi;
{http_body}
}}
"""


@contextlib.contextmanager
def running_nginx(folder: Path, config: str, ports: list[int]) -> Iterator[subprocess.Popen]:
    """nginx on `config`, once every port in `ports` accepts connections (no request is sent,
    so the access log holds only the test's); stopped at the end."""
    if not os.path.exists(NGINX):
        pytest.fail("Debian's nginx is not installed (apt-get install nginx-light)")
    (folder / "nginx.conf").write_text(config)
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        for port in ports:
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=2).close()
                    break
                except OSError:
                    assert process.poll() is None, process.stderr.read().decode()
                    assert time.monotonic() < deadline, "nginx did not start"
                    time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.wait(10)
