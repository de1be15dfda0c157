"""Every GeoJSON geometry type (with holes, 3D, collections, null) goes in with
`amis import` and comes out of the API unchanged; bbox treats holes as holes."""
from __future__ import annotations

import json

import pytest

from support import (AmisServer, amis_import, assert_same_geometry, geojson_to_ogr, get_json,
                     http_session, intersects_bbox, read_features)

FEATURES = {
    "point3d": {"type": "Point", "coordinates": [100.5, 10.25, 123.5]},
    "line": {"type": "LineString", "coordinates": [[100, 10], [101, 11], [102, 10.5]]},
    "mline": {"type": "MultiLineString", "coordinates": [[[100, 10], [101, 11]], [[102, 12], [103, 13], [104, 12]]]},
    "polyhole": {"type": "Polygon", "coordinates": [
        [[100, 0], [110, 0], [110, 10], [100, 10], [100, 0]],
        [[102, 2], [108, 2], [108, 8], [102, 8], [102, 2]]]},
    "mpoly": {"type": "MultiPolygon", "coordinates": [
        [[[120, 0], [121, 0], [121, 1], [120, 0]]], [[[122, 0], [123, 0], [123, 1], [122, 0]]]]},
    "gc": {"type": "GeometryCollection", "geometries": [
        {"type": "Point", "coordinates": [100, 1]}, {"type": "LineString", "coordinates": [[100, 1], [101, 2]]}]},
    "line3d": {"type": "LineString", "coordinates": [[100, 10, 5], [101, 11, 6]]},
    "none": None,
    "precise": {"type": "Point", "coordinates": [100.123456789012345, -0.000000012345678]},
    "far": {"type": "Point", "coordinates": [-179.999999, -89.999999]},
}


@pytest.fixture(scope="module")
def geoms(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("geoms")
    source = work / "geoms.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"k": k}, "geometry": g} for k, g in FEATURES.items()]}))
    store = work / "store.gpkg"
    amis_import(store, source, "geoms")
    srv = AmisServer(store, work, name="geoms")
    srv.start()
    try:
        with http_session() as s:
            yield f"{srv.url}/collections/geoms", s, source
    finally:
        assert srv.stop() == 0


def test_geometries_round_trip(geoms):
    url, http, source = geoms
    expected = {f.properties["k"]: f.geometry for f in read_features(source)}
    doc = get_json(http, f"{url}/items", limit=100)
    served = {f["properties"]["k"]: f["geometry"] for f in doc["features"]}
    assert served.keys() == expected.keys()
    for k, g in served.items():
        if FEATURES[k] is None:
            assert g is None
            continue
        assert g["type"] == FEATURES[k]["type"], k
        assert_same_geometry(geojson_to_ogr(g), expected[k], 0.0, k)
    assert served["point3d"]["coordinates"] == [100.5, 10.25, 123.5]
    assert served["line3d"]["coordinates"] == [[100, 10, 5], [101, 11, 6]]
    assert served["precise"]["coordinates"] == [100.123456789012345, -0.000000012345678]


@pytest.mark.parametrize("box", [
    (104.0, 4.0, 106.0, 6.0),        # inside the hole of polyhole
    (108.0, 8.0, 109.0, 9.0),        # touching the hole's corner from inside the ring
    (100.0, 10.0, 100.0, 10.0),      # a shared vertex
    (99.0, 9.0, 100.6, 10.3),
    (120.6, 0.1, 121.5, 0.2),        # between the triangles of mpoly, touching the first
    (121.2, 0.5, 121.8, 0.9),        # between them, touching neither
    (-180.0, -90.0, -179.0, -89.0),
])
def test_bbox_exact_for_every_type(geoms, box):
    url, http, source = geoms
    expected = sorted(f.properties["k"] for f in read_features(source) if intersects_bbox(f.geometry, box))
    doc = get_json(http, f"{url}/items", limit=100, bbox=",".join(map(repr, box)))
    assert sorted(f["properties"]["k"] for f in doc["features"]) == expected
    assert doc["numberMatched"] == len(expected)


def test_single_features(geoms):
    url, http, _ = geoms
    for f in get_json(http, f"{url}/items", limit=100)["features"]:
        one = get_json(http, f"{url}/items/{f['id']}")
        assert one["geometry"] == f["geometry"] and one["properties"] == f["properties"]
