"""Invalid requests get 4xx with an OGC exception body {code, description}; hostile input
(SQL, path traversal) changes nothing."""
from __future__ import annotations

import contextlib
import socket
from urllib.parse import quote

import pytest

from support import connect_store, get_json, run_amis

ITEMS = "/collections/coal_mines/items"


def assert_exception(r, status: int) -> dict:
    assert r.status_code == status, f"{r.request.method} {r.url}: {r.status_code} {r.text[:200]}"
    assert r.headers["Content-Type"].startswith("application/json"), r.headers["Content-Type"]
    body = r.json()
    assert isinstance(body.get("code"), str) and body["code"]
    assert isinstance(body.get("description"), str) and body["description"]
    return body


@pytest.mark.parametrize("bbox", [
    "1,2,3", "1,2,3,4,5", "1,2,3,4,5,6,7", "", "a,b,c,d", "100,10,110,abc", "100,20,110,10",
    "100,10,110,20,", ",100,10,110,20", "100;10;110;20", "nan,10,110,20", "inf,10,110,20",
    "100,-91,110,20", "100,10,110,91", "-181,10,110,20", "100,10,181,20", "0x10,10,110,20",
])
def test_bad_bbox_is_400(http, base_url, bbox):
    body = assert_exception(http.get(base_url + ITEMS, params={"bbox": bbox}, timeout=30), 400)
    assert "bbox" in body["description"]


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", "", "1e3", "10 ", "99999999999999999999999"])
def test_bad_limit_is_400(http, base_url, value):
    body = assert_exception(http.get(base_url + ITEMS, params={"limit": value}, timeout=30), 400)
    assert "limit" in body["description"]


@pytest.mark.parametrize("value", ["-1", "abc", "2.5", ""])
def test_bad_offset_is_400(http, base_url, value):
    assert_exception(http.get(base_url + ITEMS, params={"offset": value}, timeout=30), 400)


def test_limit_above_maximum_is_served_not_refused(http, base_url):
    page = get_json(http, base_url + ITEMS, limit=100000)
    assert page["numberReturned"] == page["numberMatched"] == 3122  # all of them: fewer than 10000


def test_limit_above_maximum_serves_the_maximum(grid_http, grid_server):
    page = get_json(grid_http, f"{grid_server.url}/collections/grid/items", limit=100000)
    assert page["numberReturned"] == len(page["features"]) == 10000
    assert page["numberMatched"] == 200000
    assert any(lk["rel"] == "next" for lk in page["links"])


@pytest.mark.parametrize("path", ["/", "/conformance", "/api", "/collections", "/collections/coal_mines",
                                  ITEMS, ITEMS + "/1"])
def test_unknown_parameter_is_400(http, base_url, path):
    body = assert_exception(http.get(base_url + path, params={"colour": "red"}, timeout=30), 400)
    assert "colour" in body["description"]


@pytest.mark.parametrize("path", [
    "/collections/no_such_collection",
    "/collections/no_such_collection/items",
    "/collections/no_such_collection/items/1",
    "/collections/coal_mines/items/0",
    "/collections/coal_mines/items/3123000",
    "/collections/coal_mines/items/-1",
    "/collections/coal_mines/items/abc",
    "/collections/coal_mines/items/1.0",
    "/collections/coal_mines/items/99999999999999999999999",
    "/collections/coal_mines/items/1/extra",
    "/no/such/path",
    "/collectionz",
])
def test_not_found_is_404(http, base_url, path):
    assert_exception(http.get(base_url + path, timeout=30), 404)


def test_wrong_method_is_405(http, base_url):
    r = http.post(base_url + "/collections", data="{}", timeout=30)
    assert r.status_code == 405
    assert "GET" in r.headers.get("Allow", "")


def test_malformed_percent_encoding_is_400(base_url):
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"GET /collections/coal_mines/items?bbox=%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        response = b""
        while chunk := s.recv(65536):
            response += chunk
    assert response.startswith(b"HTTP/1.1 400"), response[:100]


# --------------------------------------------------------------------------- hostile input

INJECTIONS = [
    "1 OR 1=1",
    "'; DROP TABLE coal_mines;--",
    "\"; DROP TABLE coal_mines;--",
    "1) OR (1=1",
    "IDN' OR '1'='1",
    "1 UNION SELECT sqlite_version()",
    "coal_mines\"--",
]


def store_feature_count(store_path) -> int:
    with contextlib.closing(connect_store(store_path)) as db:
        return db.execute('SELECT count(*) FROM "coal_mines"').fetchone()[0]


@pytest.mark.parametrize("attack", INJECTIONS)
@pytest.mark.parametrize("param", ["bbox", "limit", "offset", "datetime", "opening_year", "capacity_mtpa"])
def test_injection_in_typed_parameters_is_400(http, base_url, param, attack):
    assert_exception(http.get(base_url + ITEMS, params={param: attack}, timeout=30), 400)


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_in_text_property_value_matches_nothing(http, base_url, store_path, attack):
    """A text value is data: it is compared, never executed. It matches what sqlite3 says
    it matches when bound as a parameter (nothing)."""
    with contextlib.closing(connect_store(store_path)) as db:
        expected = db.execute('SELECT count(*) FROM coal_mines WHERE iso3 = ?', (attack,)).fetchone()[0]
    page = get_json(http, base_url + ITEMS, iso3=attack)
    assert page["numberMatched"] == expected == 0


@pytest.mark.parametrize("name", ["iso3'", 'iso3"', "iso3\" OR 1=1 --", "iso3 = 'IDN' OR 1=1 --",
                                  "\"group\"", "fid", "geom", "rowid", "1=1;--"])
def test_injection_in_property_names_is_400(http, base_url, name):
    assert_exception(http.get(base_url + ITEMS, params={name: "IDN"}, timeout=30), 400)


@pytest.mark.parametrize("attack", INJECTIONS + ["%2e%2e", "coal_mines%00", "gpkg_contents",
                                                 "rtree_coal_mines_geom", "sqlite_master"])
def test_injection_in_the_path_is_404(http, base_url, attack):
    segment = quote(attack, safe="%")
    for path in (f"/collections/{segment}", f"/collections/{segment}/items",
                 f"/collections/coal_mines/items/{segment}"):
        r = http.get(base_url + path, timeout=30)
        assert r.status_code in (400, 404), f"{path}: {r.status_code}"
        assert {"code", "description"} <= set(r.json())


@pytest.mark.parametrize("path", ["/static/../CMakeLists.txt", "/static/%2e%2e/CMakeLists.txt",
                                  "/static/..%2fCMakeLists.txt", "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                                  "/static/leaflet/../../CMakeLists.txt", "/static/.gitignore"])
def test_static_path_traversal_is_refused(http, base_url, path):
    r = http.get(base_url + path, timeout=30)
    assert r.status_code in (400, 404), f"{path}: {r.status_code}"
    assert "cmake_minimum_required" not in r.text and "root:" not in r.text


def test_nothing_was_harmed(http, base_url, store_path, server):
    """Runs after the attacks above (same module, later): the server still serves, and
    the store still holds every mine."""
    assert server.alive()
    page = get_json(http, base_url + ITEMS, limit=1)
    assert page["numberMatched"] == 3122
    assert store_feature_count(store_path) == 3122
    listing = run_amis("collections", "--store", store_path)
    assert listing.returncode == 0
    assert "coal_mines\t3122\t" in listing.stdout
    ids = {c["id"] for c in get_json(http, base_url + "/collections")["collections"] if c["itemType"] == "feature"}
    assert {"coal_mines", "countries", "coal_mine_boundaries", "mine_facilities", "observations"} == ids
