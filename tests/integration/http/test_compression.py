"""gzip and deflate for every textual answer (issue 22): negotiated by Accept-Encoding,
streamed, with Vary; the decompressed bytes equal the plain answer for every format."""
from __future__ import annotations

import gzip
import re
import zlib

import pytest

import support

FORMATS = [
    ("/collections?f=json", "application/json"),
    ("/collections/coal_mines/items?limit=10000&f=json", "application/geo+json"),   # streamed
    ("/collections/coal_mines/items?limit=50&f=html", "text/html"),
    ("/collections/coal_mines/items?limit=10000&f=csv", "text/csv"),
    ("/collections/coal_mines/items?limit=10000&f=kml", "application/vnd.google-earth.kml+xml"),
    ("/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=amis:coal_mines&COUNT=5000", "application/gml+xml"),
    ("/wfs?SERVICE=WFS&REQUEST=GetCapabilities", "xml"),
    ("/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0", "xml"),
    ("/api", "json"),
    ("/collections/countries/tiles/WebMercatorQuad/2/1/3?f=mvt", "application/vnd.mapbox-vector-tile"),
]


def same_answer(a: bytes, b: bytes) -> bool:
    """Equal but for the time of the answer (timeStamp in GeoJSON and GML)."""
    stamp = re.compile(rb'(timeStamp"?[=:]\s*")[^"]*"')
    return stamp.sub(rb"\1\"", a) == stamp.sub(rb"\1\"", b)


def raw_get(session, url: str, accept_encoding: str | None):
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding is not None else {"Accept-Encoding": "identity"}
    r = session.get(url, headers=headers, stream=True, timeout=60)
    body = r.raw.read(decode_content=False)
    return r, body


@pytest.fixture(scope="module")
def session(server):
    with support.http_session() as s:
        yield s


@pytest.mark.parametrize("path,media", FORMATS)
def test_gzip_answer_decompresses_to_the_plain_one(session, base_url, path, media):
    plain_response, plain = raw_get(session, base_url + path, None)
    assert plain_response.status_code == 200, plain[:300]
    assert media in plain_response.headers["Content-Type"]
    assert "Content-Encoding" not in plain_response.headers
    assert "Accept-Encoding" in plain_response.headers["Vary"]
    zipped_response, zipped = raw_get(session, base_url + path, "gzip, deflate")
    assert zipped_response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped_response.headers["Vary"]
    assert zipped[:2] == b"\x1f\x8b"
    assert same_answer(gzip.decompress(zipped), plain)
    assert len(zipped) < len(plain)


@pytest.mark.parametrize("path,media", FORMATS[:3])
def test_deflate_is_the_zlib_format(session, base_url, path, media):
    _, plain = raw_get(session, base_url + path, None)
    r, body = raw_get(session, base_url + path, "deflate")
    assert r.headers["Content-Encoding"] == "deflate"
    assert same_answer(zlib.decompress(body), plain)


def test_a_large_stream_stays_chunked_when_compressed(session, base_url):
    r, body = raw_get(session, base_url + "/collections/coal_mines/items?limit=10000", "gzip")
    assert r.headers.get("Transfer-Encoding") == "chunked"
    assert "Content-Length" not in r.headers
    plain = gzip.decompress(body)
    assert plain.count(b'"type":"Feature"') == 3122


@pytest.mark.parametrize("accept,expected", [
    ("gzip;q=0", None), ("gzip;q=0, deflate", "deflate"), ("*", "gzip"), ("br", None), ("identity", None),
    ("deflate;q=1, gzip;q=0.5", "deflate"), ("GZIP", "gzip"), ("x-gzip", "gzip"), ("gzip;q=abc", None),
    ("*;q=0", None), ("deflate, *;q=0", "deflate"),
])
def test_accept_encoding_is_negotiated_with_q_values(session, base_url, accept, expected):
    r, _ = raw_get(session, base_url + "/collections?f=json", accept)
    assert r.headers.get("Content-Encoding") == expected


def test_images_and_archives_are_not_compressed_again(session, base_url):
    png, _ = raw_get(session, base_url + "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=countries&STYLES="
                     "&CRS=CRS:84&BBOX=90,-15,150,50&WIDTH=64&HEIGHT=64&FORMAT=image/png", "gzip")
    assert png.headers["Content-Type"] == "image/png" and "Content-Encoding" not in png.headers
    zipped, _ = raw_get(session, base_url + "/collections/countries/items?f=shapezip&limit=20", "gzip")
    assert "Content-Encoding" not in zipped.headers


def test_head_matches_get(session, base_url):
    url = base_url + "/collections?f=json"
    get = session.get(url, headers={"Accept-Encoding": "gzip"})
    head = session.head(url, headers={"Accept-Encoding": "gzip"})
    assert head.headers["Content-Encoding"] == get.headers["Content-Encoding"] == "gzip"
    assert head.headers["Content-Length"] == get.headers["Content-Length"]


def test_geojson_and_gml_are_at_least_five_times_smaller(session, base_url):
    """The issue's goal for the size, on the demo's 3,122 coal mines (a property of the
    data and the coding, not a timing)."""
    for path in ("/collections/coal_mines/items?limit=10000",
                 "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=amis:coal_mines"):
        _, plain = raw_get(session, base_url + path, None)
        _, zipped = raw_get(session, base_url + path, "gzip")
        assert len(plain) / len(zipped) >= 5, (path, len(plain), len(zipped))
