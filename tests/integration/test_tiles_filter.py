"""A CQL2 `filter` on one collection's tiles (what the portal sends in vector mode): the
filtered vector tile holds exactly the features of the unfiltered tile that sqlite3
selects with the same predicate, with the same geometry; map tiles draw only those;
errors are OGC API exceptions; a dataset's tiles refuse a filter."""
from __future__ import annotations

import pytest

import store_support as ss
from tiles_support import decode_mvt

TILES = "/collections/{c}/tiles/WebMercatorQuad/{z}/{y}/{x}"
# (collection, tile, CQL2 filter, the same predicate in SQL)
CASES = [
    ("coal_mines", (4, 7, 12), "iso3 = 'VNM'", "iso3 = 'VNM'"),
    ("coal_mines", (4, 7, 12), "status IN ('Operating', 'Proposed') AND iso3 <> 'CHN'",
     "status IN ('Operating', 'Proposed') AND iso3 <> 'CHN'"),
    ("coal_mines", (3, 3, 6), "capacity_mtpa >= 10", "capacity_mtpa >= 10"),
    ("coal_mines", (3, 3, 6), "CASEI(mine_name) LIKE CASEI('%open%')", "lower(mine_name) LIKE '%open%'"),
    ("coal_mine_boundaries", (3, 3, 6), "country = 'Indonesia'", "country = 'Indonesia'"),
    ("countries", (2, 1, 3), "iso3 IN ('JPN', 'KOR')", "iso3 IN ('JPN', 'KOR')"),
]


def ids_where(store, collection: str, where: str) -> set[int]:
    return {r[0] for r in ss.rows(store, f'SELECT fid FROM "{collection}" WHERE {where}')}


def features(content: bytes, collection: str) -> dict:
    layer = decode_mvt(content).get(collection)
    return {f.id: f for f in layer.features} if layer else {}


@pytest.mark.parametrize("collection,tile,cql,sql", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_filtered_vector_tile_is_the_tile_cut_to_the_selection(http, base_url, store_path, collection, tile, cql, sql):
    z, y, x = tile
    url = base_url + TILES.format(c=collection, z=z, y=y, x=x)
    whole = http.get(url)
    assert whole.status_code == 200
    cut = http.get(url, params={"filter": cql})
    assert cut.status_code == 200, cut.text
    assert cut.headers["Content-Type"].startswith("application/vnd.mapbox-vector-tile")
    everything, selected = features(whole.content, collection), features(cut.content, collection)
    wanted = set(everything) & ids_where(store_path, collection, sql)
    assert set(selected) == wanted
    assert wanted, "the case should select something in this tile"
    assert len(wanted) < len(everything), "the case should leave something out"
    for fid, f in selected.items():
        assert f.parts == everything[fid].parts and f.properties == everything[fid].properties


def test_cql2_json_filter(http, base_url, store_path):
    url = base_url + TILES.format(c="coal_mines", z=4, y=7, x=12)
    body = '{"op": "=", "args": [{"property": "iso3"}, "VNM"]}'
    r = http.get(url, params={"filter": body, "filter-lang": "cql2-json"})
    assert r.status_code == 200
    whole = features(http.get(url).content, "coal_mines")
    assert set(features(r.content, "coal_mines")) == set(whole) & ids_where(store_path, "coal_mines", "iso3 = 'VNM'")


def test_filter_selecting_nothing_gives_an_empty_tile(http, base_url):
    r = http.get(base_url + TILES.format(c="coal_mines", z=4, y=7, x=12), params={"filter": "iso3 = 'XXX'"})
    assert r.status_code in (200, 204)
    assert features(r.content, "coal_mines") == {}


def test_filtered_map_tile_differs_and_empty_selection_is_blank(http, base_url):
    url = base_url + "/collections/coal_mines/map/tiles/WebMercatorQuad/4/7/12"
    whole = http.get(url).content
    some = http.get(url, params={"filter": "iso3 = 'VNM'"}).content
    none = http.get(url, params={"filter": "iso3 = 'XXX'"}).content
    blank = http.get(base_url + "/collections/coal_mines/map/tiles/WebMercatorQuad/4/0/0").content  # the Arctic: no mine
    assert whole != some != none
    assert none == blank


@pytest.mark.parametrize("params,code", [
    ({"filter": "iso3 = "}, "InvalidParameterValue"),
    ({"filter": "no_such_property = 1"}, "InvalidParameterValue"),
    ({"filter": "iso3 = 'VNM'", "filter-lang": "ecql"}, "InvalidParameterValue"),
    ({"filter-lang": "cql2-text"}, "InvalidParameterValue"),
    ({"filter": "S_INTERSECTS(geometry, POINT(500 10))"}, "InvalidParameterValue"),
])
def test_bad_filters_are_ogc_api_exceptions(http, base_url, params, code):
    r = http.get(base_url + TILES.format(c="coal_mines", z=4, y=7, x=12), params=params)
    assert r.status_code == 400, r.text
    assert r.json()["code"] == code


def test_dataset_tiles_refuse_a_filter(http, base_url):
    r = http.get(base_url + "/tiles/WebMercatorQuad/4/7/12", params={"filter": "iso3 = 'VNM'"})
    assert r.status_code == 400
    assert "one collection" in r.json()["description"]
