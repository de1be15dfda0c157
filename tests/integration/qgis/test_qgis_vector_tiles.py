"""QGIS 3.22 reads AMIS's OGC API - Tiles vector tiles (MVT) as a QgsVectorTileLayer
(type=xyz, the URL template of /collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}, as
QGIS's "Add Vector Tile Layer" dialog writes it), draws them, and decodes them with its
own MVT decoder (QgsVectorTileMVTDecoder inside QgsVectorTileLayerRenderer; the worker's
renderer keeps what it was handed for each tile).

Oracle: the store read by osgeo.ogr, projected to Web Mercator by osr; tile bounds from
the WebMercatorQuad formulas (OGC 17-083r4, annex D.1)."""
from __future__ import annotations

import math
from collections import Counter

import pytest
from osgeo import ogr

from qgis_support import (assert_drawn_where_the_store_says, comparable, ogr_features, read_rgba,
                          to_web_mercator)

HALF_WORLD = 20037508.3427892  # WebMercatorQuad's origin, metres
EXTENT_UNITS = 4096  # MVT tile extent AMIS writes (docs/maps.md)
FIELDS = ["gem_mine_id", "mine_name", "status", "capacity_mtpa"]


def tile_bounds(z: int, col: int, row: int) -> list[float]:
    size = 2 * HALF_WORLD / 2 ** z
    minx = -HALF_WORLD + col * size
    maxy = HALF_WORLD - row * size
    return [minx, maxy - size, minx + size, maxy]


def lonlat_bounds(bounds: list[float]) -> tuple[float, float, float, float]:
    def lon(x):
        return math.degrees(x / 6378137.0)

    def lat(y):
        return math.degrees(2 * math.atan(math.exp(y / 6378137.0)) - math.pi / 2)

    return lon(bounds[0]), lat(bounds[1]), lon(bounds[2]), lat(bounds[3])


def url_template(server, collection: str) -> str:
    return f"{server.url}/collections/{collection}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}"


@pytest.fixture(scope="module")
def drawn(qgis, server, tmp_path_factory):
    """One z7 tile over East Kalimantan (coast and sea) drawn at its own scale."""
    bounds = tile_bounds(7, 105, 64)
    path = tmp_path_factory.mktemp("vector-tiles") / "tile.png"
    uri = f"type=xyz&url={url_template(server, 'coal_mines')}&zmin=0&zmax=14"
    result = qgis.run("render_vector_tiles", uri=uri, layer_name="coal_mines", fields=FIELDS,
                      extent=bounds, width=256, height=256, path=str(path))
    assert result["valid"], f"QGIS says the vector tile layer is invalid: {result['error']}"
    assert not result["errors"], result["errors"]
    return result, read_rgba(path)


def test_the_layer_draws_the_mines(drawn, store_path):
    result, image = drawn
    assert_drawn_where_the_store_says(image, store_path, "coal_mines", result["extent"], 3857, 12, points=True)


def test_decoded_tiles_hold_the_mines_of_their_bounds(drawn, store_path):
    """For every tile QGIS fetched and decoded: the features of layer 'coal_mines' are the
    store's mines in the tile's bounds (plus the ones of the tile's buffer), with the
    store's attributes, each at its projected point to within a tile unit."""
    result, _ = drawn
    decoded = result["features"]
    tiles = sorted({tuple(f["tile"]) for f in decoded})
    # QGIS picks the zoom level from the map scale (here 6): the decoded tiles must cover
    # the drawn extent, whichever level it is
    drawn_box = result["extent"]
    assert len({t[0] for t in tiles}) == 1, tiles
    boxes = [tile_bounds(*t) for t in tiles]
    assert min(b[0] for b in boxes) <= drawn_box[0] + 1 and max(b[2] for b in boxes) >= drawn_box[2] - 1 and \
        min(b[1] for b in boxes) <= drawn_box[1] + 1 and max(b[3] for b in boxes) >= drawn_box[3] - 1, (
            f"decoded tiles {tiles} do not cover the drawn extent {drawn_box}")
    total_inside = 0
    assert {f["layer"] for f in decoded} == {"coal_mines"}
    for tile in tiles:
        bounds = tile_bounds(*tile)
        unit = (bounds[2] - bounds[0]) / EXTENT_UNITS
        in_tile = [f for f in decoded if tuple(f["tile"]) == tile]
        west, south, east, north = lonlat_bounds(bounds)
        # OGR's rectangle filter is closed; a mine on the tile's edge may belong to either tile
        inside = [m for m in ogr_features(store_path, "coal_mines", bbox=(west, south, east, north))
                  if west < m["geometry"].GetX() < east and south < m["geometry"].GetY() < north]
        total_inside += len(inside)
        unmatched = Counter(decoded_key(f) for f in in_tile)
        for mine in inside:
            key = tuple(comparable(mine["attributes"][n]) for n in FIELDS)
            assert unmatched[key] > 0, (
                f"tile {tile}: the store's mine {key} is not among QGIS's {len(in_tile)} decoded features")
            unmatched[key] -= 1
            x, y = to_web_mercator(mine["geometry"].GetX(), mine["geometry"].GetY())
            near = [f for f in in_tile if decoded_key(f) == key and distance(f["wkt"], x, y) <= unit]
            assert near, f"tile {tile}: mine {key} decoded away from {x}, {y}"
        # the rest are mines of the buffer around the tile, nothing else
        for f in in_tile:
            px, py = point(f["wkt"])
            assert bounds[0] - 64 * unit <= px <= bounds[2] + 64 * unit and \
                bounds[1] - 64 * unit <= py <= bounds[3] + 64 * unit, f"tile {tile}: {f} far outside"
        assert sum(unmatched.values()) == len(in_tile) - len(inside)
    assert total_inside > 50, f"only {total_inside} mines in the decoded tiles: a weak test"


def test_decoded_country_tiles_hold_the_countries_they_cross(qgis, server, store_path, tmp_path):
    """Polygons: for every countries tile QGIS decoded (a z6 tile over the Malacca Strait,
    between Sumatra and the peninsula), the countries (iso3) in it are all those OGR says
    cross the tile, and none that does not reach the tile's 64-unit buffer."""
    bounds = tile_bounds(6, 49, 31)
    uri = f"type=xyz&url={url_template(server, 'countries')}&zmin=0&zmax=14"
    result = qgis.run("render_vector_tiles", uri=uri, layer_name="countries", fields=["iso3", "name"],
                      extent=bounds, width=256, height=256, path=str(tmp_path / "countries.png"))
    assert result["valid"], result["error"]
    tiles = sorted({tuple(f["tile"]) for f in result["features"]})
    assert tiles, "QGIS decoded no countries tile"
    for tile in tiles:
        b = tile_bounds(*tile)
        unit = (b[2] - b[0]) / EXTENT_UNITS
        decoded = {f["attributes"]["iso3"] for f in result["features"] if tuple(f["tile"]) == tile}
        crossing = {c["attributes"]["iso3"] for c in ogr_features(store_path, "countries")
                    if c["geometry"].Intersects(box(lonlat_bounds(b)))}
        reaching = {c["attributes"]["iso3"] for c in ogr_features(store_path, "countries")
                    if c["geometry"].Intersects(box(lonlat_bounds([b[0] - 64 * unit, b[1] - 64 * unit,
                                                                    b[2] + 64 * unit, b[3] + 64 * unit])))}
        assert crossing <= decoded <= reaching, (tile, decoded, crossing, reaching)
    assert {"IDN", "MYS"} <= {f["attributes"]["iso3"] for f in result["features"]}


def box(bounds) -> ogr.Geometry:
    w, s, e, n = bounds
    return ogr.CreateGeometryFromWkt(f"POLYGON (({w} {s}, {e} {s}, {e} {n}, {w} {n}, {w} {s}))")


def decoded_key(f: dict) -> tuple:
    return tuple(comparable(f["attributes"][n]) for n in FIELDS)


def point(wkt: str) -> tuple[float, float]:
    assert wkt.startswith("Point ("), wkt
    x, y = wkt[len("Point ("):-1].split()
    return float(x), float(y)


def distance(wkt: str, x: float, y: float) -> float:
    px, py = point(wkt)
    return math.hypot(px - x, py - y)
