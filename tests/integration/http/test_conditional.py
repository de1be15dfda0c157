"""Conditional GETs and caching (issue 22): every whole answer to a GET carries an ETag;
If-None-Match naming it gives 304 without a body; Cache-Control lets a shared cache keep
public answers (revalidating them) and never what a caller with credentials read."""
from __future__ import annotations


import pytest

import support

DOCUMENTS = [
    "/collections",
    "/collections/coal_mines",
    "/collections/coal_mines/queryables",
    "/collections/coal_mines/styles",
    "/wfs?SERVICE=WFS&REQUEST=GetCapabilities",
    "/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0",
    "/wmts/1.0.0/WMTSCapabilities.xml",
    "/tileMatrixSets/WebMercatorQuad",
    "/collections/countries/tiles/WebMercatorQuad/2/1/3?f=mvt",
    "/collections/countries/map/tiles/WebMercatorQuad/2/1/3?f=png",
    "/collections/coal_mines/items/1",
]


@pytest.fixture(scope="module")
def session(server):
    with support.http_session() as s:
        yield s


@pytest.mark.parametrize("path", DOCUMENTS)
def test_if_none_match_with_the_etag_is_304_without_a_body(session, base_url, path):
    first = session.get(base_url + path)
    assert first.status_code == 200, first.text[:300]
    etag = first.headers["ETag"]
    again = session.get(base_url + path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag
    assert "Cache-Control" in again.headers
    # A list holding it, weak or not, and "*" match too; another tag does not.
    bare = etag[2:] if etag.startswith("W/") else etag
    assert session.get(base_url + path, headers={"If-None-Match": f'"other", {bare}'}).status_code == 304
    assert session.get(base_url + path, headers={"If-None-Match": "*"}).status_code == 304
    other = session.get(base_url + path, headers={"If-None-Match": '"not-this-one"'})
    assert other.status_code == 200 and other.content == first.content


def test_the_etag_is_the_same_for_gzip_and_plain(session, base_url):
    plain = session.get(base_url + "/collections", headers={"Accept-Encoding": "identity"})
    zipped = session.get(base_url + "/collections", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert plain.headers["ETag"] == zipped.headers["ETag"]
    assert session.get(base_url + "/collections", headers={"Accept-Encoding": "gzip",
                       "If-None-Match": plain.headers["ETag"]}).status_code == 304


def test_errors_and_writes_carry_no_etag(session, base_url):
    r = session.get(base_url + "/collections/nowhere")
    assert r.status_code == 404 and "ETag" not in r.headers
    r = session.get(base_url + "/collections/nowhere", headers={"If-None-Match": "*"})
    assert r.status_code == 404


def test_public_answers_may_be_shared_answers_with_credentials_may_not(session, base_url):
    anonymous = session.get(base_url + "/collections")
    assert anonymous.headers["Cache-Control"] == "public, no-cache"
    assert "Cookie" in anonymous.headers["Vary"] and "Authorization" in anonymous.headers["Vary"]
    with_cookie = session.get(base_url + "/collections", headers={"Cookie": "amis_session=nothing"})
    assert with_cookie.headers["Cache-Control"].startswith("private")
    tile = session.get(base_url + "/collections/countries/tiles/WebMercatorQuad/2/1/3?f=mvt",
                       headers={"Cookie": "amis_session=nothing"})
    assert tile.headers["Cache-Control"].startswith("private")


def test_a_change_of_the_data_changes_the_etag(tmp_path, store_path, amis_bin):
    """After an import adds a collection, the old ETag of /collections no longer matches."""
    store = tmp_path / "store.gpkg"
    support.copy_store(store_path, store)
    srv = support.AmisServer(store, tmp_path, name="etag")
    srv.start()
    try:
        with support.http_session() as h:
            before = h.get(srv.url + "/collections").headers["ETag"]
            assert h.get(srv.url + "/collections", headers={"If-None-Match": before}).status_code == 304
            support.amis_import(store, support.DEMO_DIR / "asean3_countries.geojson", "countries_again")
            after = h.get(srv.url + "/collections", headers={"If-None-Match": before})
            assert after.status_code == 200
            assert after.headers["ETag"] != before
            assert "countries_again" in after.text
    finally:
        srv.stop()
