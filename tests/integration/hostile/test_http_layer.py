"""The HTTP layer under hostile and careless clients (issue 21): request smuggling,
Host headers, slow heads (slowloris), connection limits per address, thousands of
idle keep-alive connections, pipelining, Expect: 100-continue, early 413s, and the
security headers of HTML pages. Raw sockets, because real clients never send these."""
from __future__ import annotations

import concurrent.futures
import resource
import socket
import threading
import time

import pytest
import requests

import support
from http_support import connect, read_response, read_until_closed, statuses


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory, store_path):
    """A server whose limits are small enough to reach in a test: 8 connections per
    address, a 2 s head deadline, no trusted proxies (loopback is an ordinary client)."""
    work = tmp_path_factory.mktemp("strict")
    config = work / "amis.toml"
    config.write_text("[server]\nmax_connections_per_address = 8\nhead_timeout_seconds = 2\n"
                      "idle_timeout_seconds = 5\ntrusted_proxies = []\n")
    srv = support.AmisServer(store_path, work, name="strict", config=config)
    srv.start()
    yield srv
    assert srv.alive(), srv.stderr()
    assert srv.stop() == 0, srv.stderr()


# ------------------------------------------------------------------ request smuggling (RFC 9112 6.3)

SMUGGLED = b"GET /collections/countries HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.mark.parametrize("coding", ["xchunked", "identity", "gzip", "chunked, identity", "chunked, chunked",
                                    "gzip, chunked"])
def test_a_transfer_encoding_other_than_chunked_is_refused_and_the_body_never_read_as_a_request(server, coding):
    s = connect(server.port)
    body = SMUGGLED
    s.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: " + coding.encode() +
              b"\r\nContent-Type: application/json\r\n\r\n" + body)
    raw = read_until_closed(s)
    assert statuses(raw) == [400], raw[:400]
    assert b"Transfer-Encoding" in raw


def test_transfer_encoding_split_over_two_lines_is_read_as_one_list(server):
    s = connect(server.port)
    s.sendall(b"POST /login HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n"
              + SMUGGLED)
    assert statuses(read_until_closed(s)) == [400]


def test_transfer_encoding_with_content_length_is_refused(server):
    s = connect(server.port)
    s.sendall(b"POST /login HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
              b"0\r\n\r\n" + SMUGGLED)
    assert statuses(read_until_closed(s)) == [400]


WFS_GET_CAPABILITIES = b'<GetCapabilities xmlns="http://www.opengis.net/wfs/2.0" service="WFS"/>'


def test_a_chunked_body_is_still_read(server):
    body = WFS_GET_CAPABILITIES
    s = connect(server.port)
    s.sendall(b"POST /wfs HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Type: application/xml\r\n"
              b"Connection: close\r\n\r\n" + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n")
    raw = read_until_closed(s)
    assert statuses(raw) == [200], raw[:300]
    assert b"WFS_Capabilities" in raw


@pytest.mark.parametrize("head", [
    b"GET / HTTP/1.1\r\n\r\n",                                   # no Host
    b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",              # two
    b"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",              # two, even equal
    b'GET / HTTP/1.1\r\nHost: evil.com"><script>alert(1)</script>\r\n\r\n',
    b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: [::1\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: example.org:80x\r\n\r\n",
])
def test_missing_duplicate_or_malformed_host_is_400(server, head):
    s = connect(server.port)
    s.sendall(head)
    raw = read_until_closed(s)
    assert statuses(raw) == [400], raw[:300]
    assert b"<script>" not in raw


@pytest.mark.parametrize("host", ["amis.example.org", "amis.example.org:8443", "10.1.2.3:80", "[::1]:8080",
                                  "localhost"])
def test_valid_hosts_are_used_in_links(server, host):
    s = connect(server.port)
    s.sendall(b"GET /?f=json HTTP/1.1\r\nHost: " + host.encode() + b"\r\nConnection: close\r\n\r\n")
    status, _, body = read_response(s)
    assert status == 200
    assert f'"http://{host}/' in body.decode()


def test_an_http_1_0_request_without_host_is_served(server):
    s = connect(server.port)
    s.sendall(b"GET /conformance?f=json HTTP/1.0\r\n\r\n")
    raw = read_until_closed(s)
    assert statuses(raw) == [200]


# ------------------------------------------------------------------ security headers

@pytest.mark.parametrize("path", ["/?f=html", "/collections?f=html", "/collections/coal_mines/items?f=html"])
def test_html_pages_carry_a_content_security_policy(http, base_url, path):
    r = http.get(base_url + path)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    csp = r.headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ")}
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_json_answers_are_nosniff_and_carry_no_html_policy(http, base_url):
    r = http.get(base_url + "/collections?f=json")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in r.headers


# ------------------------------------------------------------------ deadlines and limits

def test_a_trickled_head_is_closed_at_its_deadline_not_kept_alive_by_each_byte(strict_server):
    s = connect(strict_server.port)
    started = time.monotonic()
    s.sendall(b"GET / HTTP/1.1\r\n")
    closed_after = None
    for i in range(20):  # one header line every 0.5 s: each byte would reset an idle timer
        time.sleep(0.5)
        try:
            s.sendall(f"X-Slow-{i}: 1\r\n".encode())
            s.settimeout(0.01)
            if s.recv(1) == b"":
                closed_after = time.monotonic() - started
                break
        except socket.timeout:
            continue
        except (BrokenPipeError, ConnectionResetError):
            closed_after = time.monotonic() - started
            break
    assert closed_after is not None, "a trickling head was never closed"
    assert closed_after < 6, closed_after  # the 2 s head deadline, not 20 lines x 0.5 s


def test_one_address_cannot_take_every_connection(strict_server):
    attacker = [connect(strict_server.port, source="127.0.0.2") for _ in range(8)]
    try:
        extra = connect(strict_server.port, source="127.0.0.2")
        raw = read_until_closed(extra)
        assert statuses(raw) == [503]
        assert b"Retry-After" in raw
        # Another address is served meanwhile.
        with support.http_session() as h:
            assert h.get(strict_server.url + "/conformance", timeout=5).status_code == 200
    finally:
        for s in attacker:
            s.close()
    # The places come back once the attacker leaves.
    time.sleep(0.3)
    again = connect(strict_server.port, source="127.0.0.2")
    again.sendall(b"GET /conformance HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
    assert statuses(read_until_closed(again)) == [200]


def test_a_slowloris_does_not_keep_other_clients_out(strict_server):
    """256 trickling connections from one address (127.0.0.3), each sending a header line
    every second, while another client asks for pages: every one of its requests is served."""
    stop = threading.Event()
    refused = []

    def slowloris():
        conns = []
        for _ in range(256):
            try:
                s = connect(strict_server.port, source="127.0.0.3", timeout=2)
                s.sendall(b"GET / HTTP/1.1\r\nHost: h\r\n")
                conns.append(s)
            except OSError:
                refused.append(1)
        while not stop.is_set():
            for s in list(conns):
                try:
                    s.sendall(b"X-a: b\r\n")
                except OSError:
                    conns.remove(s)
            time.sleep(1)
        for s in conns:
            s.close()

    t = threading.Thread(target=slowloris)
    t.start()
    try:
        time.sleep(1)
        served = []
        with support.http_session() as h:
            for _ in range(30):
                served.append(h.get(strict_server.url + "/collections/coal_mines/items?limit=5", timeout=5).status_code)
                time.sleep(0.1)
        assert served == [200] * 30
    finally:
        stop.set()
        t.join()


def test_ten_thousand_idle_keep_alive_connections_are_held_and_served(server):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 10_000
    if hard < wanted + 500:
        pytest.fail(f"this machine allows only {hard} open files; the test needs {wanted + 500}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    conns = []
    try:
        for _ in range(wanted):
            conns.append(connect(server.port, timeout=10))
        # Every one of them was accepted and is still open: each answers a request.
        with support.http_session() as h:
            assert h.get(server.url + "/conformance", timeout=10).status_code == 200
        sample = conns[:: wanted // 200]
        for s in sample:
            s.sendall(b"GET /conformance?f=json HTTP/1.1\r\nHost: h\r\n\r\n")
        for s in sample:
            status, _, _ = read_response(s)
            assert status == 200
    finally:
        for s in conns:
            s.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_thousand_concurrent_clients_get_no_errors(server):
    """1,000 clients connected at once (all connections open before any asks), each
    asking for one feature five times on its keep-alive connection: every answer is 200."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    clients = 1000
    conns = []
    try:
        for _ in range(clients):
            conns.append(connect(server.port, timeout=60))
        start = threading.Barrier(clients)

        def client(i: int) -> list[int]:
            s = conns[i]
            start.wait()
            got = []
            for k in range(5):
                s.sendall(f"GET /collections/coal_mines/items?limit=1&offset={(i * 5 + k) % 3000} HTTP/1.1\r\n"
                          "Host: h\r\n\r\n".encode())
                status, _, _ = read_response(s)
                got.append(status)
            return got

        with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
            results = list(pool.map(client, range(clients)))
    finally:
        for s in conns:
            s.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    flat = [s for r in results for s in r]
    assert len(flat) == 5 * clients
    assert set(flat) == {200}, {s: flat.count(s) for s in set(flat)}


# ------------------------------------------------------------------ protocol details

def test_pipelined_requests_are_answered_in_order(server):
    s = connect(server.port)
    s.sendall(b"GET /collections/countries?f=json HTTP/1.1\r\nHost: h\r\n\r\n"
              b"GET /nowhere HTTP/1.1\r\nHost: h\r\n\r\n"
              b"GET /conformance?f=json HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
    assert statuses(read_until_closed(s)) == [200, 404, 200]


def test_expect_100_continue_gets_an_interim_answer_before_the_body(server):
    body = WFS_GET_CAPABILITIES
    s = connect(server.port)
    s.sendall(b"POST /wfs HTTP/1.1\r\nHost: h\r\nContent-Type: application/xml\r\nExpect: 100-continue\r\n"
              b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
    s.settimeout(5)
    interim = s.recv(100)
    assert interim.startswith(b"HTTP/1.1 100 Continue\r\n\r\n"), interim
    s.sendall(body)
    raw = interim[25:] + read_until_closed(s)
    assert statuses(raw) == [200]


def test_a_body_declared_too_large_is_refused_before_it_is_sent(server):
    s = connect(server.port)
    s.sendall(b"POST /login HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
              b"Content-Length: 999999999999\r\n\r\n")
    raw = read_until_closed(s, limit=5)
    assert statuses(raw) == [413]
    assert b"PayloadTooLarge" in raw


def test_a_huge_head_is_431(server):
    s = connect(server.port)
    s.sendall(b"GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n")
    assert statuses(read_until_closed(s)) == [431]


def test_garbage_is_400_and_the_server_stays_up(server):
    for junk in [b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40, b"HELLO\r\n\r\n",
                 b"GET / HTTP/9.9\r\nHost: h\r\n\r\n", b"GET /%zz HTTP/1.1\r\nHost: h\r\n\r\n"]:
        s = connect(server.port)
        s.sendall(junk)
        raw = read_until_closed(s)
        assert statuses(raw) in ([400], []), raw[:200]
    assert requests.get(server.url + "/conformance", timeout=5).status_code == 200


# ------------------------------------------------------------------ behind a TLS-terminating proxy

def test_a_trusted_proxy_saying_https_makes_links_https(server):
    """127.0.0.1 is a trusted proxy by default: its X-Forwarded-Proto is believed."""
    s = connect(server.port)
    s.sendall(b"GET /?f=json HTTP/1.1\r\nHost: amis.example.org\r\nX-Forwarded-Proto: https\r\n"
              b"Connection: close\r\n\r\n")
    status, _, body = read_response(s)
    assert status == 200
    assert '"https://amis.example.org/' in body.decode() and '"http://amis.example.org/' not in body.decode()


def test_an_untrusted_client_saying_https_is_not_believed(strict_server):
    """The strict server trusts no proxy: a client's own X-Forwarded-Proto changes nothing."""
    s = connect(strict_server.port)
    s.sendall(b"GET /?f=json HTTP/1.1\r\nHost: amis.example.org\r\nX-Forwarded-Proto: https\r\n"
              b"Connection: close\r\n\r\n")
    status, _, body = read_response(s)
    assert status == 200
    assert '"http://amis.example.org/' in body.decode() and '"https://' not in body.decode()
