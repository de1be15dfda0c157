"""Large responses from a 200,000-point store are streamed: chunked transfer encoding,
bounded chunks, every feature delivered, and a client that hangs up does no harm."""
from __future__ import annotations

import json
import socket

import pytest

from synthetic_data import GRID_COUNT, grid_point
from support import get_json, link, raw_chunks


@pytest.fixture(scope="module")
def grid(grid_server):
    return f"{grid_server.url}/collections/grid"


def test_store_holds_every_point(grid_http, grid):
    page = get_json(grid_http, f"{grid}/items", limit=1)
    assert page["numberMatched"] == GRID_COUNT


def test_10000_items_arrive_chunked(grid_http, grid):
    # Plain bytes: the chunks are the encoder's (gzip answers are tested in http/test_compression.py).
    r = grid_http.get(f"{grid}/items", params={"limit": 10000}, stream=True, timeout=120,
                      headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200
    assert r.headers.get("Transfer-Encoding", "").lower() == "chunked"
    assert "Content-Length" not in r.headers
    assert r.headers["Content-Type"].startswith("application/geo+json")
    sizes, body = [], bytearray()
    with raw_chunks(r) as chunks:
        for chunk in chunks:
            sizes.append(len(chunk))
            body += chunk
    # The body is streamed as it is produced, not built whole and sent as one chunk.
    assert len(body) > 1_000_000
    assert len(sizes) > 10, f"{len(sizes)} chunks for {len(body)} bytes"
    assert max(sizes) <= 1_048_576, f"a chunk of {max(sizes)} bytes"

    doc = json.loads(body)
    assert doc["numberReturned"] == len(doc["features"]) == 10000
    assert doc["numberMatched"] == GRID_COUNT
    seqs = [f["properties"]["seq"] for f in doc["features"]]
    assert seqs == list(range(10000))
    for f in doc["features"][::997]:
        x, y = grid_point(f["properties"]["seq"])
        assert f["geometry"]["coordinates"] == pytest.approx([x, y], abs=1e-9)


def test_last_page(grid_http, grid):
    page = get_json(grid_http, f"{grid}/items", limit=10000, offset=GRID_COUNT - 5000)
    assert page["numberReturned"] == 5000
    assert link(page, "next") is None
    assert page["features"][-1]["properties"]["seq"] == GRID_COUNT - 1


def test_bbox_on_the_large_store(grid_http, grid):
    box = (100.0, 0.0, 105.0, 10.0)
    expected = sum(1 for i in range(GRID_COUNT)
                   if box[0] <= grid_point(i)[0] <= box[2] and box[1] <= grid_point(i)[1] <= box[3])
    page = get_json(grid_http, f"{grid}/items", limit=1, bbox=",".join(map(str, box)))
    assert page["numberMatched"] == expected


def test_client_hanging_up_mid_stream_does_not_hurt_the_server(grid_http, grid, grid_server):
    host, port = grid_server.url.removeprefix("http://").split(":")
    for _ in range(5):
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall(b"GET /collections/grid/items?limit=10000 HTTP/1.1\r\nHost: x\r\n\r\n")
            assert s.recv(4096).startswith(b"HTTP/1.1 200")
        # closed after the first bytes
    assert grid_server.alive()
    page = get_json(grid_http, f"{grid}/items", limit=10000, offset=10000)
    assert page["numberReturned"] == 10000
    assert page["features"][0]["properties"]["seq"] == 10000


def test_http_10_client_gets_the_whole_body(grid_server):
    """An HTTP/1.0 client cannot take chunks: the body ends when the connection closes."""
    host, port = grid_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(b"GET /collections/grid/items?limit=2000 HTTP/1.0\r\nHost: x\r\n\r\n")
        data = bytearray()
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = bytes(data).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200") or head.startswith(b"HTTP/1.1 200")
    assert b"chunked" not in head.lower()
    assert len(json.loads(body)["features"]) == 2000
