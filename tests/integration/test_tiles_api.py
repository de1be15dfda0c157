"""OGC API - Tiles 1.0 and TMS 2.0 JSON: the tile matrix sets against their definitions in
OGC 17-083r4 (computed here from the formulas and checked against the standard's level-0
numbers), the landing page / conformance / collection links, tileset lists and tileset
metadata (bounding boxes = the OGR extent of the sources, layer schemas = the source
fields), links that can be followed to a tile, and every error as a JSON 400/404/406."""
from __future__ import annotations

import re

import pytest

from support import DEMO_SOURCES
from tiles_support import (ALL_COLLECTIONS, CRS84_URI, DEMO_COLLECTIONS, MVT_TYPE, OGC_LEVEL0, REL_TILESETS_MAP,
                           REL_TILESETS_VECTOR, REL_TILING_SCHEME, REL_TILING_SCHEMES, TILE_SIZE, TMS,
                           WEB_MERCATOR_QUAD, WORLD_CRS84_QUAD, assert_json_error, decode_mvt, get_tile,
                           link_by_rel, mvt_body)

TILES_CONFORMANCE = [f"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/{c}" for c in
                     ("core", "tileset", "tilesets-list", "geodata-tilesets", "dataset-tilesets", "mvt", "png",
                      "jpeg")] + [f"http://www.opengis.net/spec/tms/2.0/conf/{c}" for c in
                                  ("tilematrixset", "json-tilematrixset")]

GEOMETRY_DIMENSION = {"coal_mines": 0, "mine_facilities": 0, "countries": 2, "coal_mine_boundaries": 2,
                      "observations": 0}
JSON_TYPE = {"String": "string", "Integer": "integer", "Integer64": "integer", "Real": "number"}


def get(http, base_url, path, **params):
    return http.get(base_url + path, params=params or None, timeout=60)


def get_ok(http, base_url, path, **params) -> dict:
    r = get(http, base_url, path, **params)
    assert r.status_code == 200, f"GET {r.url}: {r.status_code} {r.text[:300]}"
    assert r.headers.get("Content-Type", "").split(";")[0] == "application/json", r.headers.get("Content-Type")
    return r.json()


def local(href: str, base_url: str) -> str:
    """An href of the server's own as a path (the server may name itself by its Host header)."""
    m = re.match(r"^https?://[^/]+(/.*)$", href)
    assert m, f"not an absolute URL: {href}"
    return m.group(1)


# --------------------------------------------------------------------------- tile matrix sets


def test_tile_matrix_sets_list(http, base_url):
    doc = get_ok(http, base_url, "/tileMatrixSets")
    sets = {s["id"]: s for s in doc["tileMatrixSets"]}
    assert set(sets) == {"WebMercatorQuad", "WorldCRS84Quad"}
    for tid, tms in TMS.items():
        s = sets[tid]
        assert s["uri"] == tms.uri
        assert s["crs"] == tms.crs
        assert s.get("title")
        self_link = link_by_rel(s, "self")
        assert local(self_link["href"], base_url) == f"/tileMatrixSets/{tid}"
        assert self_link.get("type") == "application/json"
    assert local(link_by_rel(doc, "self")["href"], base_url) == "/tileMatrixSets"


@pytest.mark.parametrize("tid", ["WebMercatorQuad", "WorldCRS84Quad"])
def test_tile_matrix_set_definition(http, base_url, tid):
    """Every level against OGC 17-083r4 Annex D: cell size, scale denominator (0.28 mm
    pixels; degrees converted on the equator of the 3857 sphere), matrix size, origin."""
    tms = TMS[tid]
    doc = get_ok(http, base_url, f"/tileMatrixSets/{tid}")
    assert doc["id"] == tid and doc["uri"] == tms.uri and doc["crs"] == tms.crs
    assert doc["orderedAxes"] == (["X", "Y"] if tms.mercator else ["Lon", "Lat"])
    if tms.mercator:
        assert doc["wellKnownScaleSet"] == "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible"
    matrices = doc["tileMatrices"]
    assert [m["id"] for m in matrices] == [str(z) for z in range(tms.max_level + 1)]
    for z, m in enumerate(matrices):
        w, h = tms.matrix_size(z)
        assert (m["matrixWidth"], m["matrixHeight"]) == (w, h), f"level {z}"
        assert (m["tileWidth"], m["tileHeight"]) == (TILE_SIZE, TILE_SIZE)
        assert m["cornerOfOrigin"] == "topLeft"
        assert m["pointOfOrigin"] == pytest.approx(list(tms.origin), rel=1e-12)
        assert m["cellSize"] == pytest.approx(tms.cell_size(z), rel=1e-12), f"level {z}"
        assert m["scaleDenominator"] == pytest.approx(tms.scale_denominator(z), rel=1e-10), f"level {z}"
    level0 = OGC_LEVEL0[tid]
    assert matrices[0]["scaleDenominator"] == pytest.approx(level0["scaleDenominator"], rel=1e-12)
    assert matrices[0]["cellSize"] == pytest.approx(level0["cellSize"], rel=1e-12)
    # The matrices cover the CRS's world exactly (Web Mercator: the square of side 2*pi*R).
    last = matrices[-1]
    assert last["matrixWidth"] * last["cellSize"] * TILE_SIZE == pytest.approx(
        tms.width_factor * tms.span0, rel=1e-12)


def test_unknown_tile_matrix_set(http, base_url):
    for tid in ("Nope", "webmercatorquad", "WebMercatorQuad2", "..%2FWebMercatorQuad"):
        assert_json_error(get(http, base_url, f"/tileMatrixSets/{tid}"), 404)


# --------------------------------------------------------------------------- discovery


def test_landing_page_links(http, base_url):
    doc = get_ok(http, base_url, "/", f="json")
    for rel, path in ((REL_TILING_SCHEMES, "/tileMatrixSets"), (REL_TILESETS_VECTOR, "/tiles"),
                      (REL_TILESETS_MAP, "/map/tiles")):
        lk = link_by_rel(doc, rel)
        assert local(lk["href"], base_url) == path, lk
        assert lk.get("type") == "application/json"
        assert get(http, base_url, path).status_code == 200


def test_conformance(http, base_url):
    conforms = get_ok(http, base_url, "/conformance", f="json")["conformsTo"]
    missing = [c for c in TILES_CONFORMANCE if c not in conforms]
    assert not missing, f"not declared: {missing}"


def test_collections_link_their_tilesets(http, base_url):
    doc = get_ok(http, base_url, "/collections", f="json")
    assert sorted(c["id"] for c in doc["collections"] if c["itemType"] == "feature") == sorted(ALL_COLLECTIONS)
    for c in (c for c in doc["collections"] if c["itemType"] == "feature"):
        one = get_ok(http, base_url, f"/collections/{c['id']}", f="json")
        for d in (c, one):
            assert local(link_by_rel(d, REL_TILESETS_VECTOR)["href"], base_url) == f"/collections/{c['id']}/tiles"
            assert local(link_by_rel(d, REL_TILESETS_MAP)["href"], base_url) == f"/collections/{c['id']}/map/tiles"


@pytest.mark.parametrize("prefix, data_type", [
    ("/tiles", "vector"), ("/map/tiles", "map"),
    ("/collections/coal_mines/tiles", "vector"), ("/collections/countries/map/tiles", "map"),
])
def test_tileset_lists(http, base_url, prefix, data_type):
    doc = get_ok(http, base_url, prefix)
    assert local(link_by_rel(doc, "self")["href"], base_url) == prefix
    sets = doc["tilesets"]
    assert sorted(s["tileMatrixSetURI"] for s in sets) == sorted(t.uri for t in TMS.values())
    for s in sets:
        tms = next(t for t in TMS.values() if t.uri == s["tileMatrixSetURI"])
        assert s["dataType"] == data_type
        assert s["crs"] == tms.crs
        assert s.get("title")
        assert local(link_by_rel(s, "self")["href"], base_url) == f"{prefix}/{tms.id}"
        assert local(link_by_rel(s, REL_TILING_SCHEME)["href"], base_url) == f"/tileMatrixSets/{tms.id}"


def source_extent(collection: str) -> tuple[float, float, float, float]:
    ds, lyr = DEMO_SOURCES[collection].open_layer()
    minx, maxx, miny, maxy = lyr.GetExtent(force=1)
    return minx, miny, maxx, maxy


def source_field_types(collection: str) -> dict[str, str]:
    ds, lyr = DEMO_SOURCES[collection].open_layer()
    d = lyr.GetLayerDefn()
    return {d.GetFieldDefn(i).GetName(): d.GetFieldDefn(i).GetTypeName() for i in range(d.GetFieldCount())}


@pytest.mark.parametrize("collection", DEMO_COLLECTIONS)
@pytest.mark.parametrize("tid", ["WebMercatorQuad", "WorldCRS84Quad"])
def test_collection_tileset_metadata(http, base_url, collection, tid):
    tms = TMS[tid]
    doc = get_ok(http, base_url, f"/collections/{collection}/tiles/{tid}")
    assert doc["dataType"] == "vector"
    assert doc["crs"] == tms.crs and doc["tileMatrixSetURI"] == tms.uri
    assert local(link_by_rel(doc, REL_TILING_SCHEME)["href"], base_url) == f"/tileMatrixSets/{tid}"
    item = link_by_rel(doc, "item")
    assert item.get("templated") is True and item.get("type") == MVT_TYPE
    assert local(item["href"], base_url) == f"/collections/{collection}/tiles/{tid}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}"
    box = doc["boundingBox"]
    assert box["crs"] == CRS84_URI
    minx, miny, maxx, maxy = source_extent(collection)
    assert box["lowerLeft"] == pytest.approx([minx, miny], abs=1e-6)
    assert box["upperRight"] == pytest.approx([maxx, maxy], abs=1e-6)
    assert [layer["id"] for layer in doc["layers"]] == [collection]
    layer = doc["layers"][0]
    assert layer["dataType"] == "vector"
    assert layer["geometryDimension"] == GEOMETRY_DIMENSION[collection]
    props = layer["propertiesSchema"]["properties"]
    types = source_field_types(collection)
    assert set(props) == set(types), f"schema {sorted(props)} != source fields {sorted(types)}"
    for name, kind in types.items():
        assert props[name]["type"] == JSON_TYPE[kind], f"{name}: {props[name]} for an OGR {kind}"


def test_dataset_tileset_metadata(http, base_url):
    doc = get_ok(http, base_url, "/tiles/WebMercatorQuad")
    assert sorted(layer["id"] for layer in doc["layers"]) == sorted(ALL_COLLECTIONS)
    extents = [source_extent(c) for c in DEMO_COLLECTIONS]
    # The synthetic observations (lon 100-104.9, lat 10-10.9) lie inside the demo extent.
    union = (min(e[0] for e in extents), min(e[1] for e in extents), max(e[2] for e in extents),
             max(e[3] for e in extents))
    assert doc["boundingBox"]["lowerLeft"] == pytest.approx(list(union[:2]), abs=1e-6)
    assert doc["boundingBox"]["upperRight"] == pytest.approx(list(union[2:]), abs=1e-6)

    only = get_ok(http, base_url, "/tiles/WebMercatorQuad", collections="coal_mines,countries")
    assert [layer["id"] for layer in only["layers"]] == ["coal_mines", "countries"]
    item = link_by_rel(only, "item")
    assert "collections=coal_mines" in item["href"] and "countries" in item["href"], (
        f"the item template forgets the collections: {item['href']}")


def test_map_tileset_metadata(http, base_url):
    doc = get_ok(http, base_url, "/collections/countries/map/tiles/WorldCRS84Quad")
    assert doc["dataType"] == "map"
    assert doc["crs"] == CRS84_URI and doc["tileMatrixSetURI"] == WORLD_CRS84_QUAD.uri
    items = [lk for lk in doc["links"] if lk.get("rel") == "item"]
    assert items and all(lk.get("templated") for lk in items)
    assert any(lk.get("type") == "image/png" for lk in items), [lk.get("type") for lk in items]


# --------------------------------------------------------------------------- links are followable


def fill(template: str, z: int, row: int, col: int) -> str:
    return template.replace("{tileMatrix}", str(z)).replace("{tileRow}", str(row)).replace("{tileCol}", str(col))


def test_follow_links_from_landing_page_to_a_vector_tile(http, base_url):
    """landing page -> collection -> tilesets -> tileset -> item template -> a tile whose
    coal_mines layer holds the mine the tile was chosen for."""
    landing = get_ok(http, base_url, "/", f="json")
    colls = get_ok(http, base_url, local(link_by_rel(landing, "data")["href"], base_url), f="json")
    coal = next(c for c in colls["collections"] if c["id"] == "coal_mines")
    tilesets = get_ok(http, base_url, local(link_by_rel(coal, REL_TILESETS_VECTOR)["href"], base_url))
    web = next(s for s in tilesets["tilesets"] if s["tileMatrixSetURI"] == WEB_MERCATOR_QUAD.uri)
    tileset = get_ok(http, base_url, local(link_by_rel(web, "self")["href"], base_url))
    scheme = get_ok(http, base_url, local(link_by_rel(tileset, REL_TILING_SCHEME)["href"], base_url))
    assert scheme["id"] == "WebMercatorQuad"
    z = 9
    row, col = WEB_MERCATOR_QUAD.tile_of(96.7, 20.4, z)  # Myanmar's Tigyit mine
    r = http.get(base_url + local(fill(link_by_rel(tileset, "item")["href"], z, row, col), base_url), timeout=60)
    layers = decode_mvt(mvt_body(r))
    assert list(layers) == ["coal_mines"] and layers["coal_mines"].features


def test_follow_dataset_item_template_keeps_collections(http, base_url):
    tileset = get_ok(http, base_url, "/tiles/WebMercatorQuad", collections="countries")
    z = 5
    row, col = WEB_MERCATOR_QUAD.tile_of(104, 26, z)
    href = fill(link_by_rel(tileset, "item")["href"], z, row, col)
    layers = decode_mvt(mvt_body(http.get(base_url + local(href, base_url), timeout=60)))
    assert list(layers) == ["countries"], f"{href}: layers {list(layers)}"


def test_follow_map_item_templates(http, base_url):
    """Every map item template (one per format) gives an image of the advertised type."""
    tileset = get_ok(http, base_url, "/collections/coal_mines/map/tiles/WorldCRS84Quad")
    items = {lk["type"]: lk["href"] for lk in tileset["links"] if lk.get("rel") == "item"}
    magic = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8", "image/webp": b"RIFF"}
    assert {t.split(";")[0] for t in items} == set(magic), sorted(items)
    for media, template in items.items():
        r = http.get(base_url + local(fill(template, 4, 4, 25), base_url), timeout=60)
        main = media.split(";")[0]
        assert r.status_code == 200 and r.headers["Content-Type"].split(";")[0] == main, (media, r.status_code)
        assert r.content.startswith(magic[main]), media


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("path, status", [
    # unknown collection or tile matrix set
    ("/collections/nope/tiles", 404),
    ("/collections/nope/tiles/WebMercatorQuad", 404),
    ("/collections/nope/tiles/WebMercatorQuad/1/0/1", 404),
    ("/collections/nope/map/tiles/WebMercatorQuad/1/0/1", 404),
    ("/collections/coal_mines/tiles/Nope", 404),
    ("/collections/coal_mines/tiles/Nope/1/0/1", 404),
    ("/collections/coal_mines/map/tiles/Nope/1/0/1", 404),
    ("/tiles/Nope", 404),
    ("/tiles/Nope/0/0/0", 404),
    ("/map/tiles/Nope/0/0/0", 404),
    # outside the matrix
    ("/collections/coal_mines/tiles/WebMercatorQuad/1/2/0", 404),
    ("/collections/coal_mines/tiles/WebMercatorQuad/1/0/2", 404),
    ("/collections/coal_mines/tiles/WebMercatorQuad/5/32/0", 404),
    ("/collections/coal_mines/tiles/WebMercatorQuad/25/0/0", 404),
    ("/collections/coal_mines/tiles/WebMercatorQuad/-1/0/0", 404),
    ("/collections/coal_mines/tiles/WebMercatorQuad/3/-1/0", 404),
    ("/collections/coal_mines/tiles/WebMercatorQuad/3/0/-1", 404),
    ("/collections/coal_mines/tiles/WorldCRS84Quad/0/1/0", 404),
    ("/collections/coal_mines/tiles/WorldCRS84Quad/0/0/2", 404),
    ("/collections/coal_mines/tiles/WorldCRS84Quad/3/8/0", 404),
    ("/collections/coal_mines/tiles/WorldCRS84Quad/3/0/16", 404),
    ("/collections/coal_mines/tiles/WorldCRS84Quad/24/0/0", 404),
    ("/collections/coal_mines/map/tiles/WebMercatorQuad/2/4/0", 404),
    ("/map/tiles/WorldCRS84Quad/0/0/2", 404),
    ("/tiles/WebMercatorQuad/30/0/0", 404),
    ("/tiles/WebMercatorQuad/24/16777216/0", 404),
    ("/tiles/WebMercatorQuad/1000000/0/0", 404),
    # not integers
    ("/collections/coal_mines/tiles/WebMercatorQuad/a/0/0", 400),
    ("/collections/coal_mines/tiles/WebMercatorQuad/1/x/0", 400),
    ("/collections/coal_mines/tiles/WebMercatorQuad/1/0/1.5", 400),
    ("/collections/coal_mines/tiles/WebMercatorQuad/1/0/1e0", 400),
    ("/collections/coal_mines/tiles/WebMercatorQuad/1/0/0x1", 400),
    ("/collections/coal_mines/tiles/WebMercatorQuad/1/0/%20", 400),
    ("/collections/coal_mines/map/tiles/WebMercatorQuad/z/0/0", 400),
    ("/tiles/WebMercatorQuad/1/0/one", 400),
    # dataset collections
    ("/tiles/WebMercatorQuad/1/0/1?collections=nope", 400),
    ("/tiles/WebMercatorQuad/1/0/1?collections=coal_mines,nope", 400),
    ("/map/tiles/WebMercatorQuad/1/0/1?collections=nope", 400),
    ("/tiles/WebMercatorQuad?collections=nope", 400),
    ("/tiles?collections=nope", 400),
    # map formats
    ("/collections/coal_mines/map/tiles/WebMercatorQuad/1/0/1?f=gif", 406),
    ("/collections/coal_mines/map/tiles/WebMercatorQuad/1/0/1?f=tiff", 406),
    ("/map/tiles/WebMercatorQuad/1/0/1?f=mvt", 406),
])
def test_error_status_and_json_body(http, base_url, path, status):
    assert_json_error(http.get(base_url + path, timeout=60), status)


@pytest.mark.parametrize("path", [
    "/collections/coal_mines/tiles/WebMercatorQuad/1/0/99999999999999999999999",
    "/collections/coal_mines/tiles/WebMercatorQuad/99999999999999999999999/0/0",
])
def test_huge_integer_indexes_are_outside_the_matrix(http, base_url, path):
    assert_json_error(http.get(base_url + path, timeout=60), 404)


def test_burst_of_malformed_tile_requests_never_500(http, base_url):
    """Hostile and malformed tile paths: every answer a 4xx with a JSON body (or a tile),
    never a 5xx; the server still answers a good tile afterwards."""
    bad_parts = ["", "-", "--1", "+1", " 1", "1 ", "%00", "%ff", "1%00", "..", "..%2F..", "%2e%2e", "1/..",
                 "9" * 30, "-" + "9" * 30, "2147483648", "-2147483649", "4294967296", "9223372036854775807",
                 "9223372036854775808", "-9223372036854775808", "1.0", "0.", "NaN", "inf", "1,2", "1;2",
                 "\u0661", "%C3%A9", "<script>", "' OR 1=1 --", "{tileMatrix}", "0" * 500]
    prefixes = ["/tiles/WebMercatorQuad", "/map/tiles/WorldCRS84Quad", "/collections/coal_mines/tiles/WorldCRS84Quad",
                "/collections/countries/map/tiles/WebMercatorQuad"]
    paths = []
    for i, bad in enumerate(bad_parts):
        p = prefixes[i % len(prefixes)]
        paths += [f"{p}/{bad}/0/0", f"{p}/1/{bad}/0", f"{p}/1/0/{bad}"]
    paths += ["/collections/%00/tiles/WebMercatorQuad/0/0/0", "/collections/../tiles/WebMercatorQuad/0/0/0",
              "/collections/coal_mines/tiles/%2E%2E/0/0/0", "/collections/" + "a" * 5000 + "/tiles",
              "/tileMatrixSets/" + "%41" * 2000, "/tiles/WebMercatorQuad/0/0/0?collections=" + "," * 1000,
              "/tiles/WebMercatorQuad/0/0/0?collections=%00", "/map/tiles/WebMercatorQuad/0/0/0?f=%00",
              "/map/tiles/WebMercatorQuad/0/0/0?transparent=%00", "/tiles/WebMercatorQuad/0/0/0/0",
              "/tiles/WebMercatorQuad/0/0", "/tiles//0/0/0", "/tiles/WebMercatorQuad//0/0"]
    bad = []
    for p in paths:
        r = http.get(base_url + p, timeout=60)
        if r.status_code >= 500:
            bad.append((p[:80], r.status_code))
            continue
        if r.status_code >= 400:
            body = r.json()
            if not (isinstance(body.get("code"), str) and isinstance(body.get("description"), str)):
                bad.append((p[:80], r.status_code, r.text[:80]))
        elif r.status_code == 200:
            # An index that parses as an integer in range ("0" * 500) is a tile.
            assert r.headers.get("Content-Type", "").split(";")[0] in (MVT_TYPE, "image/png"), p
        else:
            bad.append((p[:80], r.status_code))
    assert not bad, f"{len(bad)} of {len(paths)} malformed requests answered badly: {bad[:10]}"
    z = 5
    row, col = WEB_MERCATOR_QUAD.tile_of(104, 26, z)
    assert decode_mvt(mvt_body(get_tile(http, base_url, "WebMercatorQuad", z, row, col, "coal_mines")))
