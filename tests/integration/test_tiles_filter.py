"""A CQL2 `filter` on one collection's tiles (what the portal sends in vector mode): the
filtered vector tile holds exactly the features of the unfiltered tile that sqlite3
selects with the same predicate, with the same geometry; map tiles draw only those (pixels
at the mines' osr-projected positions);
errors are OGC API exceptions; a dataset's tiles refuse a filter."""
from __future__ import annotations

import math

import pytest
from osgeo import ogr

import store_support as ss
from tiles_support import TILE_SIZE, WEB_MERCATOR_QUAD, decode_mvt
from support import store_datasource
from wms_support import decode

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


MARKER_REACH = 6.0  # px: beyond this from its centre a marker leaves a map tile untouched (test_tiles_map)


def mine_pixels(store, z: int, row: int, col: int) -> list[tuple[str, float, float]]:
    """(iso3, column, row) of every coal mine of the store inside the map tile, projected
    by osr (tiles_support) from the coordinates OGR reads, at least MARKER_REACH from the
    tile's edges."""
    tms = WEB_MERCATOR_QUAD
    ds = ogr.Open(store_datasource(store))
    out = []
    for f in ds.GetLayerByName("coal_mines"):
        g = f.GetGeometryRef()
        px, py = tms.tile_position(*tms.project(g.GetX(), g.GetY()), z, row, col, TILE_SIZE)
        if MARKER_REACH <= px <= TILE_SIZE - MARKER_REACH and MARKER_REACH <= py <= TILE_SIZE - MARKER_REACH:
            out.append((f.GetField("iso3"), px, py))
    return out


def test_filtered_map_tile_draws_the_selection_only_and_empty_selection_is_blank(http, base_url, store_path):
    """Viet Nam's mines in tile 4/7/12: in the filtered map tile every Vietnamese mine's
    pixel is drawn, every other mine's pixel farther than a marker from the Vietnamese
    ones is transparent (while the unfiltered tile draws it); a filter selecting nothing
    gives a fully transparent tile, the bytes of an empty (Arctic) tile."""
    z, row, col = 4, 7, 12
    url = base_url + f"/collections/coal_mines/map/tiles/WebMercatorQuad/{z}/{row}/{col}"

    def alpha(params=None):
        r = http.get(url, params=params)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("image/png"), r.text[:300]
        return decode(r.content).rgba[..., 3], r.content

    whole, _ = alpha()
    some, _ = alpha({"filter": "iso3 = 'VNM'"})
    none, none_bytes = alpha({"filter": "iso3 = 'XXX'"})
    mines = mine_pixels(store_path, z, row, col)
    selected = [(px, py) for iso3, px, py in mines if iso3 == "VNM"]
    excluded = [(px, py) for iso3, px, py in mines if iso3 != "VNM"
                and all(math.hypot(px - sx, py - sy) > 2 * MARKER_REACH for sx, sy in selected)]
    assert len(selected) >= 10 and len(excluded) >= 10, (len(selected), len(excluded))
    for px, py in selected:
        assert whole[int(py), int(px)] > 0 and some[int(py), int(px)] > 0, f"Vietnamese mine at ({px:.1f}, {py:.1f}) not drawn"
    for px, py in excluded:
        assert whole[int(py), int(px)] > 0, f"mine at ({px:.1f}, {py:.1f}) not drawn in the unfiltered tile"
        assert some[int(py), int(px)] == 0, f"a mine outside the selection drawn at ({px:.1f}, {py:.1f})"
    assert (none == 0).all(), "something drawn for an empty selection"
    blank = http.get(base_url + "/collections/coal_mines/map/tiles/WebMercatorQuad/4/0/0").content  # the Arctic
    assert none_bytes == blank


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
