"""Vector tiles (Mapbox Vector Tile 2.1) against the sources.

Each tile is decoded twice, by the decoder in tiles_support (written from the MVT
specification, strict about it) and by GDAL's MVT driver (which georeferences Web Mercator
tiles itself), and compared with the source features (read with OGR, projected with osr,
cut with GEOS): the feature ids are those of the features intersecting the tile enlarged
by 64/4096 of its side; attributes are the source's (nulls left out); points are where osr
puts them to half a tile unit; clipped polygons have the area of source ∩ buffered tile.
Also: empty tiles, dataset tiles (one layer per collection, `collections=`), the items
endpoint agreeing with the tiles, and the tile cache following a re-import."""
from __future__ import annotations

import functools
import math

import pytest
from osgeo import ogr, osr

from support import AmisServer, amis_import, fetch_all_items, http_session, store_files
from tiles_support import (ALL_COLLECTIONS, BUFFER, EXTENT, TMS, WEB_MERCATOR_QUAD, WORLD_CRS84_QUAD,
                           SourceIndex, assert_json_error, box_geometry, decode_mvt, gdal_decode, get_tile, mvt_body,
                           near_box_edge, perimeter, points_of, same_value, signed_area)
from wms_support import isolated_mine

POINT_COLLECTIONS = {"coal_mines", "mine_facilities", "observations"}
_tigyit = isolated_mine("Tigyit Coal Mine")
TIGYIT_LONLAT = (_tigyit.lon, _tigyit.lat)

# (collection, tile matrix set, zoom, lon, lat): the tile of that zoom holding (lon, lat).
CASES = [
    ("coal_mines", "WebMercatorQuad", 4, 105.0, 30.0),       # south-west China: ~1800 mines
    ("coal_mines", "WebMercatorQuad", 7, 112.5, 37.8),       # Shanxi
    ("coal_mines", "WebMercatorQuad", 10, 96.7, 20.4),       # Tigyit, Myanmar: one mine
    ("coal_mines", "WorldCRS84Quad", 5, 104.0, 26.0),
    ("coal_mines", "WorldCRS84Quad", 8, 112.5, 37.8),
    ("coal_mine_boundaries", "WebMercatorQuad", 6, 116.0, -1.0),   # Kalimantan
    ("coal_mine_boundaries", "WebMercatorQuad", 7, 112.5, 37.8),
    ("coal_mine_boundaries", "WorldCRS84Quad", 4, 105.0, 30.0),
    ("coal_mine_boundaries", "WorldCRS84Quad", 7, 112.5, 37.8),
    ("countries", "WebMercatorQuad", 5, 127.5, 37.5),        # Korea: coasts and a border
    ("countries", "WebMercatorQuad", 6, 105.8, 21.0),        # Vietnam, China, Laos
    ("countries", "WorldCRS84Quad", 4, 105.0, 30.0),
    ("countries", "WorldCRS84Quad", 6, 127.5, 37.5),
    ("mine_facilities", "WebMercatorQuad", 6, 116.0, -1.0),
    ("mine_facilities", "WorldCRS84Quad", 6, 116.0, -1.0),
    # the world, and tiles inside a country (its ring clipped to the buffered square)
    ("countries", "WebMercatorQuad", 0, 105.0, 35.0),
    ("mine_facilities", "WorldCRS84Quad", 0, 105.0, 35.0),
    ("countries", "WebMercatorQuad", 12, 105.0, 35.0),
    ("countries", "WorldCRS84Quad", 11, 105.0, 35.0),
    # a mine at street level: positions to centimetres, then to a fraction of a millimetre
    ("coal_mines", "WebMercatorQuad", 18, *TIGYIT_LONLAT),
    ("coal_mines", "WorldCRS84Quad", 17, *TIGYIT_LONLAT),
    ("coal_mines", "WebMercatorQuad", 24, *TIGYIT_LONLAT),   # the deepest levels
    ("coal_mines", "WorldCRS84Quad", 23, *TIGYIT_LONLAT),
]


@pytest.fixture(scope="module")
def tile_sources(store_path, observations_gpkg) -> SourceIndex:
    return SourceIndex(store_path, observations_gpkg)


def case_id(case) -> str:
    c, t, z, lon, lat = case
    return f"{c}-{t}-z{z}-{lon}-{lat}"


@pytest.fixture(scope="module")
def fetch(http, base_url):
    """(collection or None, tms id, z, row, col, query) -> tile bytes, fetched once."""
    @functools.lru_cache(maxsize=None)
    def get(collection, tms_id, z, row, col, collections=None):
        params = {"collections": collections} if collections else {}
        return mvt_body(get_tile(http, base_url, tms_id, z, row, col, collection, **params))
    return get


class Tile:
    """One test tile: its address, both decodings and the expected features."""

    def __init__(self, fetch, sources: SourceIndex, collection, tms_id, z, lon, lat):
        self.collection, self.tms, self.z = collection, TMS[tms_id], z
        self.row, self.col = self.tms.tile_of(lon, lat, z)
        self.content = fetch(collection, tms_id, z, self.row, self.col)
        self.raw = decode_mvt(self.content)
        self.gdal = gdal_decode(self.content, self.tms, z, self.row, self.col)
        self.unit = self.tms.span(z) / EXTENT
        self.box = self.tms.buffered(z, self.row, self.col)
        self.expected = sources.intersecting(collection, self.tms, self.box)
        self.source = sources.expected(collection).by_id

    def __repr__(self):
        return f"{self.collection} {self.tms.id} {self.z}/{self.row}/{self.col}"

    def gdal_features(self):
        return self.gdal.get(self.collection, [])

    def raw_features(self):
        layer = self.raw.get(self.collection)
        return layer.features if layer else []

    def slack(self, fid: int) -> float:
        """What snapping to whole tile units may change in a clipped polygon's area, in
        tile units²: each vertex moves at most √2/2, so ~0.75 of the perimeter."""
        return 0.75 * perimeter(self.expected[fid]) / self.unit


@functools.lru_cache(maxsize=None)
def _tile(fetch, sources, case) -> Tile:
    return Tile(fetch, sources, *case)


@pytest.fixture
def tile(request, fetch, tile_sources):
    return _tile(fetch, tile_sources, request.param)


def cases(kind: str | None = None) -> dict:
    chosen = [c for c in CASES if kind is None or (c[0] in POINT_COLLECTIONS) == (kind == "points")]
    return dict(argnames="tile", argvalues=chosen, ids=[case_id(c) for c in chosen], indirect=True)


# --------------------------------------------------------------------------- one collection, one tile


@pytest.mark.parametrize(**cases())
def test_layer_structure(tile):
    """One layer, named by the collection, MVT version 2, extent 4096; every feature has an
    id and the geometry type of the collection; the two decoders agree."""
    if not tile.expected:
        assert tile.raw == {} and tile.gdal == {}
        return
    assert list(tile.raw) == [tile.collection]
    layer = tile.raw[tile.collection]
    assert (layer.version, layer.extent) == (2, EXTENT)
    want_type = 1 if tile.collection in POINT_COLLECTIONS else 3
    assert {f.type for f in layer.features} == {want_type}
    assert all(f.id is not None for f in layer.features)
    ids = [f.id for f in layer.features]
    assert len(ids) == len(set(ids)), "a feature twice in a tile"
    assert sorted(ids) == sorted(f.id for f in tile.gdal_features()), "GDAL reads other features"


@pytest.mark.parametrize(**cases())
def test_feature_ids_are_the_features_intersecting_the_buffered_tile(tile):
    served = {f.id for f in tile.raw_features()}
    expected = set(tile.expected)
    extra = served - expected
    assert not extra, f"{tile}: {len(extra)} features served that do not reach the buffered tile: {sorted(extra)[:10]}"
    missing = expected - served
    if tile.collection in POINT_COLLECTIONS:
        # Only a point within a hair of the buffer's outline may go either way.
        missing = {i for i in missing if not near_box_edge(tile.expected[i], tile.box, 1e-6 * tile.unit)}
    else:
        # A polygon whose part in the buffered tile snaps to nothing may be left out.
        missing = {i for i in missing if tile.expected[i].GetArea() / tile.unit ** 2 > tile.slack(i)}
    assert not missing, f"{tile}: {len(missing)} features missing, e.g. {sorted(missing)[:10]}"
    assert served, f"{tile}: the test tile should hold something"


@pytest.mark.parametrize(**cases())
def test_attributes_equal_the_source(tile):
    """Every non-null source property, with its value and type (strings, integers, reals);
    nulls absent; nothing else — by both decoders."""
    bad = []
    for f in tile.raw_features():
        src = tile.source[f.id].properties
        want = {k: v for k, v in src.items() if v is not None}
        if set(f.properties) != set(want):
            bad.append((f.id, "keys", sorted(set(f.properties) ^ set(want))))
            continue
        for k, v in want.items():
            got = f.properties[k]
            if isinstance(v, float):
                ok = isinstance(got, float) and got == v
            elif isinstance(v, int):
                ok = isinstance(got, int) and not isinstance(got, bool) and got == v
            else:
                ok = isinstance(got, str) and got == v
            if not ok:
                bad.append((f.id, k, v, got))
    for f in tile.gdal_features():
        src = tile.source[f.id].properties
        for k, v in src.items():
            if v is None:
                if k in f.properties:
                    bad.append((f.id, "GDAL", k, "null served as", f.properties[k]))
            elif not same_value(f.properties.get(k), v):
                bad.append((f.id, "GDAL", k, v, f.properties.get(k)))
    assert not bad, f"{tile}: {len(bad)} attribute differences, e.g. {bad[:5]}"


@pytest.mark.parametrize(**cases("points"))
def test_point_positions(tile):
    """Each point at the osr projection of its source point: to half a unit per axis in
    tile units (the specification's rounding), to one unit after GDAL's georeferencing."""
    tms, worst_raw, worst_gdal = tile.tms, 0.0, 0.0
    for f in tile.raw_features():
        src = [tms.project(x, y) for x, y in points_of(tile.source[f.id].geometry)]
        minx, miny, maxx, maxy = tile.box
        inside = [(x, y) for x, y in src if minx <= x <= maxx and miny <= y <= maxy]
        got = f.parts[0]
        assert len(got) == len(inside), f"{tile} feature {f.id}: {len(got)} points, {len(inside)} in the buffered tile"
        want = [tms.tile_position(x, y, tile.z, tile.row, tile.col) for x, y in inside]
        for a, b in ((got, want), (want, got)):  # every point has a twin, both ways
            for p in a:
                worst_raw = max(worst_raw, min(max(abs(p[0] - q[0]), abs(p[1] - q[1])) for q in b))
    for f in tile.gdal_features():
        src = [tms.project(x, y) for x, y in points_of(tile.source[f.id].geometry)]
        for p in points_of(f.geometry):
            worst_gdal = max(worst_gdal, min(math.dist(p, s) for s in src) / tile.unit)
    assert worst_raw <= 0.5 + 1e-6, f"{tile}: a point {worst_raw:.3f} tile units from its rounded position"
    assert worst_gdal <= 1.0, f"{tile}: GDAL places a point {worst_gdal:.3f} tile units from osr's projection"


@pytest.mark.parametrize(**cases("polygons"))
def test_polygon_areas(tile):
    """The area of each decoded polygon (GDAL, georeferenced) = the area of source ∩ buffered
    tile (GEOS in the TMS CRS), within 2 % plus what snapping may change; the area by the
    surveyor's formula over the raw rings (exteriors positive, holes negative) = GDAL's."""
    raw_area = {f.id: sum(signed_area(r) for r in f.parts) for f in tile.raw_features()}
    bad = []
    for f in tile.gdal_features():
        got = f.geometry.GetArea() / tile.unit ** 2
        want = tile.expected[f.id].GetArea() / tile.unit ** 2
        assert got > 0, f"{tile} feature {f.id}: GDAL reads no area"
        if abs(got - want) > 0.02 * want + tile.slack(f.id):
            bad.append((f.id, round(got, 1), round(want, 1), round(tile.slack(f.id), 1)))
        assert raw_area[f.id] == pytest.approx(got, rel=1e-9, abs=1e-6), f"{tile} feature {f.id}: decoders disagree"
    assert not bad, f"{tile}: (id, tile area, source ∩ tile area, slack) in tile units²: {bad[:5]}"


# --------------------------------------------------------------------------- more about geometry


def test_polygon_cut_across_tiles(fetch, tile_sources):
    """The largest coal mine boundary at a zoom where it spans several tiles: in each tile
    its decoded area = the area of its part in that buffered tile, and the parts of the
    decoded polygons inside the unbuffered tiles add up to the whole polygon's area."""
    tms = WEB_MERCATOR_QUAD
    geoms = tile_sources.geometries("coal_mine_boundaries", tms)
    fid, g = max(geoms.items(), key=lambda kv: kv[1].GetArea())
    minx, maxx, miny, maxy = g.GetEnvelope()
    z = max(zz for zz in range(4, 20) if tms.span(zz) * 2 >= max(maxx - minx, maxy - miny))
    z += 1  # at least two tiles across
    row0, col0 = int((tms.origin[1] - maxy) // tms.span(z)), int((minx - tms.origin[0]) // tms.span(z))
    row1, col1 = int((tms.origin[1] - miny) // tms.span(z)), int((maxx - tms.origin[0]) // tms.span(z))
    assert (row1 - row0 + 1) * (col1 - col0 + 1) >= 2
    unit = tms.span(z) / EXTENT
    total = 0.0
    for row in range(row0, row1 + 1):
        for col in range(col0, col1 + 1):
            content = fetch("coal_mine_boundaries", tms.id, z, row, col)
            decoded = {f.id: f for f in gdal_decode(content, tms, z, row, col).get("coal_mine_boundaries", [])}
            want = g.Intersection(box_geometry(tms.buffered(z, row, col)))
            if want.GetArea() / unit ** 2 < 1:
                continue
            assert fid in decoded, f"{z}/{row}/{col}: feature {fid} missing"
            got = decoded[fid].geometry
            slack = 0.75 * perimeter(want)
            assert abs(got.GetArea() - want.GetArea()) <= 0.02 * want.GetArea() + slack * unit, f"{z}/{row}/{col}"
            assert got.IsValid(), f"{z}/{row}/{col}: the decoded polygon is not valid for GEOS"
            total += got.Intersection(box_geometry(tms.bounds(z, row, col))).GetArea()
    assert total == pytest.approx(g.GetArea(), rel=0.02), f"feature {fid} over the tiles of zoom {z}"


def test_buffer_repeats_points_near_a_tile_edge(fetch, tile_sources):
    """Two neighbouring tiles both carry the mines within 64 units of their shared edge (and
    no others in common): at x >= 4032 in the left tile and x <= 64 in the right one, the
    same point 4096 units apart."""
    tms, z = WEB_MERCATOR_QUAD, 7
    span = tms.span(z)
    margin = span * BUFFER / EXTENT
    mines = tile_sources.geometries("coal_mines", tms)
    # The shared edge of two tiles of zoom 7 with the most mines within the buffer of it.
    counts: dict[tuple[int, int], int] = {}
    for g in mines.values():
        k = round((g.GetX() - tms.origin[0]) / span)
        if abs(g.GetX() - (tms.origin[0] + k * span)) < margin:
            key = (int((tms.origin[1] - g.GetY()) // span), k)
            counts[key] = counts.get(key, 0) + 1
    (row, edge_col), n = max(counts.items(), key=lambda kv: kv[1])
    assert n >= 3, f"only {n} mines near any tile edge"
    col = edge_col - 1
    left = decode_mvt(fetch("coal_mines", tms.id, z, row, col))["coal_mines"]
    right = decode_mvt(fetch("coal_mines", tms.id, z, row, col + 1))["coal_mines"]
    minx, miny, edge, maxy = tms.bounds(z, row, col)
    near = {fid for fid, g in mines.items()
            if abs(g.GetX() - edge) <= margin and miny - margin <= g.GetY() <= maxy + margin
            and not near_box_edge(g, (edge - margin, miny - margin, edge + margin, maxy + margin), 1e-6 * margin)}
    lx = {f.id: f.parts[0][0] for f in left.features}
    rx = {f.id: f.parts[0][0] for f in right.features}
    both = set(lx) & set(rx)
    assert near == both, f"mines near the edge {sorted(near)[:5]}, in both tiles {sorted(both)[:5]}"
    for fid in both:
        (x0, y0), (x1, y1) = lx[fid], rx[fid]
        assert (x0 >= EXTENT - BUFFER) and (x1 <= BUFFER), f"mine {fid}: x {x0} and {x1}"
        assert abs((x0 - EXTENT) - x1) <= 1 and y0 == y1, f"mine {fid}: ({x0}, {y0}) and ({x1}, {y1})"


@pytest.mark.parametrize("collection, tms_id, z, lon, lat", [
    ("coal_mines", "WorldCRS84Quad", 6, 112.5, 37.8),
    ("coal_mine_boundaries", "WebMercatorQuad", 7, 112.5, 37.8),
    ("countries", "WebMercatorQuad", 6, 105.8, 21.0),
])
def test_items_endpoint_agrees_with_tiles(http, base_url, fetch, collection, tms_id, z, lon, lat):
    """The ids of /items?bbox=<the buffered tile in lon/lat> = the tile's ids (Web Mercator
    maps boxes to boxes), and each item's properties = the tile's attributes of that id."""
    tms = TMS[tms_id]
    row, col = tms.tile_of(lon, lat, z)
    layer = decode_mvt(fetch(collection, tms_id, z, row, col))[collection]
    minx, miny, maxx, maxy = tms.buffered(z, row, col)
    if tms.mercator:
        inv = osr.CoordinateTransformation(*[_srs(e) for e in (3857, 4326)])
        (minx, miny, _), (maxx, maxy, _) = inv.TransformPoint(minx, miny), inv.TransformPoint(maxx, maxy)
    features, _ = fetch_all_items(http, base_url, collection, bbox=f"{minx!r},{miny!r},{maxx!r},{maxy!r}")
    by_id = {f["id"]: f for f in features}
    tile_ids = {f.id for f in layer.features}
    assert set(by_id) == tile_ids, f"items only {sorted(set(by_id) - tile_ids)[:5]}, tile only {sorted(tile_ids - set(by_id))[:5]}"
    for f in layer.features[:50]:
        props = {k: v for k, v in by_id[f.id]["properties"].items() if v is not None}
        assert f.properties == props, f"feature {f.id}"


@functools.lru_cache(maxsize=None)
def _srs(epsg: int) -> osr.SpatialReference:
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


# --------------------------------------------------------------------------- empty tiles


@pytest.mark.parametrize("path", [
    "/collections/coal_mines/tiles/WebMercatorQuad/3/0/0",      # Alaska and the Arctic
    "/collections/countries/tiles/WorldCRS84Quad/2/0/0",
    "/collections/coal_mine_boundaries/tiles/WebMercatorQuad/10/500/100",
    "/tiles/WebMercatorQuad/3/0/0",
    "/tiles/WorldCRS84Quad/1/1/0",                              # South America
])
def test_empty_tiles(http, base_url, path):
    r = http.get(base_url + path, timeout=60)
    body = mvt_body(r)
    assert decode_mvt(body) == {}, f"{path}: layers in an empty tile"
    z, row, col = (int(v) for v in path.rsplit("/", 3)[1:])
    tms = TMS[path.rsplit("/", 4)[1]]
    assert gdal_decode(body, tms, z, row, col) == {}


# --------------------------------------------------------------------------- dataset tiles


def test_dataset_tile_one_layer_per_collection(fetch, tile_sources):
    """Every collection with something in the buffered tile is one layer of it, holding
    exactly its intersecting features; the others are absent."""
    tms, z = WEB_MERCATOR_QUAD, 4
    row, col = tms.tile_of(102.0, 10.5, z)
    box = tms.buffered(z, row, col)
    expected = {c: set(tile_sources.intersecting(c, tms, box)) for c in ALL_COLLECTIONS}
    expected = {c: ids for c, ids in expected.items() if ids}
    # Indochina: everything but the coal mine boundaries (all in China and Indonesia).
    assert sorted(expected) == sorted(set(ALL_COLLECTIONS) - {"coal_mine_boundaries"}), sorted(expected)
    layers = decode_mvt(fetch(None, tms.id, z, row, col))
    assert set(layers) == set(expected)
    for c, ids in expected.items():
        assert {f.id for f in layers[c].features} == ids, c
        single = decode_mvt(fetch(c, tms.id, z, row, col))[c]
        assert [(f.id, f.properties, f.parts) for f in single.features] == \
            [(f.id, f.properties, f.parts) for f in layers[c].features], f"{c}: dataset layer != collection tile"


@pytest.mark.parametrize("collections", ["coal_mines", "countries,coal_mines", "observations,coal_mine_boundaries"])
def test_dataset_tile_collections_parameter(fetch, collections):
    tms, z = WEB_MERCATOR_QUAD, 4
    row, col = tms.tile_of(102.0, 10.5, z)
    wanted = collections.split(",")
    layers = decode_mvt(fetch(None, tms.id, z, row, col, collections))
    everything = decode_mvt(fetch(None, tms.id, z, row, col))
    assert sorted(layers) == sorted(c for c in wanted if c in everything)
    wanted = list(layers)
    for c in wanted:
        assert [f.id for f in layers[c].features] == [f.id for f in everything[c].features]


def test_dataset_tile_repeated_collection(http, base_url):
    tms, z = WEB_MERCATOR_QUAD, 4
    row, col = tms.tile_of(102.0, 10.5, z)
    r = get_tile(http, base_url, tms.id, z, row, col, collections="coal_mines,coal_mines")
    if r.status_code == 400:
        assert_json_error(r, 400)
        return
    layers = decode_mvt(mvt_body(r))  # raises on two layers of one name
    assert list(layers) == ["coal_mines"]


# --------------------------------------------------------------------------- the cache and re-imports


def write_points(path, points: list[tuple[str, float, float, int]]) -> None:
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    lyr = ds.CreateLayer("pts", _srs(4326), ogr.wkbPoint)
    lyr.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    lyr.CreateField(ogr.FieldDefn("rank", ogr.OFTInteger))
    for name, lon, lat, rank in points:
        f = ogr.Feature(lyr.GetLayerDefn())
        f["name"] = name
        f["rank"] = rank
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({lon} {lat})"))
        lyr.CreateFeature(f)
    ds = None


# All inside the tiles of zoom 5 holding (100.5, 10.5): lon 90-101.25, lat 0-11.18 (Web
# Mercator) and lon 95.625-101.25, lat 5.625-11.25 (CRS84).
FIRST = [("alpha", 100.25, 10.25, 1), ("beta", 100.75, 10.5, 2), ("gamma", 100.5, 10.9, 3)]
SECOND = [("delta", 100.1, 10.1, 4), ("epsilon", 100.9, 10.8, 5)]


@pytest.fixture(scope="module")
def reimport_server(tmp_path_factory, amis_bin):
    """A server of its own over a store holding only 'pts' (FIRST)."""
    work = tmp_path_factory.mktemp("tiles-reimport")
    store = work / "store" / "amis.gpkg"
    store.parent.mkdir()
    write_points(work / "first.gpkg", FIRST)
    amis_import(store, work / "first.gpkg", "pts")
    srv = AmisServer(store, work, name="tiles-reimport")
    srv.start()
    with http_session() as s:
        yield srv, s, store, work
    alive = srv.alive()
    status = srv.stop()
    assert alive and status == 0, srv.stderr()


def names_and_positions(content: bytes, tms, z, row, col) -> dict[str, tuple[float, float]]:
    features = gdal_decode(content, tms, z, row, col).get("pts", [])
    return {f.properties["name"]: points_of(f.geometry)[0] for f in features}


def test_reimport_replaces_cached_tiles(reimport_server):
    srv, http, store, work = reimport_server
    cases = [(WEB_MERCATOR_QUAD, 5), (WORLD_CRS84_QUAD, 5)]

    def tiles():
        out = {}
        for tms, z in cases:
            row, col = tms.tile_of(100.5, 10.5, z)
            for path in (f"/collections/pts/tiles/{tms.id}/{z}/{row}/{col}", f"/tiles/{tms.id}/{z}/{row}/{col}"):
                r = http.get(srv.url + path, timeout=60)
                out[path] = names_and_positions(mvt_body(r), tms, z, row, col)
        return out

    def expect(points):
        out = {}
        for tms, z in cases:
            row, col = tms.tile_of(100.5, 10.5, z)
            want = {n: tms.project(lon, lat) for n, lon, lat, _ in points}
            for path in (f"/collections/pts/tiles/{tms.id}/{z}/{row}/{col}", f"/tiles/{tms.id}/{z}/{row}/{col}"):
                out[path] = (want, tms.span(z) / EXTENT)
        return out

    def check(got, want):
        for path, (positions, unit) in want.items():
            assert set(got[path]) == set(positions), f"{path}: {sorted(got[path])}, wanted {sorted(positions)}"
            for n, p in positions.items():
                assert math.dist(got[path][n], p) <= unit, f"{path}: {n}"

    first = tiles()
    check(first, expect(FIRST))
    assert tiles() == first  # the second time from the cache
    cache = store_files(store) / "tile-cache"
    assert cache.is_dir() and any(p.is_file() for p in cache.rglob("*")), "no tile cache next to the store"

    write_points(work / "second.gpkg", SECOND)
    amis_import(store, work / "second.gpkg", "pts")
    check(tiles(), expect(SECOND))

    amis_import(store, work / "first.gpkg", "pts")  # back to the first data: not the stale second tiles
    check(tiles(), expect(FIRST))
