"""GDAL's OAPIF driver (what QGIS and ogr2ogr use) against AMIS: a full download must
reproduce the source data, attribute for attribute and vertex for vertex."""
from __future__ import annotations

import re
import subprocess

import pytest
from osgeo import gdal, ogr

from support import (COAL_MINES_GPKG, DEMO_SOURCES, assert_same_geometry,
                     match_features, read_features, source_count)


def download(base_url: str, collection: str, out_path) -> list:
    """ogr2ogr -f GPKG out.gpkg OAPIF:base collection, then the copy read back with OGR."""
    result = subprocess.run(["ogr2ogr", "-f", "GPKG", str(out_path), f"OAPIF:{base_url}", collection],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    copy = read_features(out_path, collection)
    undo_client_type_guessing(copy)
    return copy


NUMBER = re.compile(r"-?\d+(\.\d+)?")
OGR_DATE = re.compile(r"^(\d{4})/(\d{2})/(\d{2})(?= |$)")


def undo_client_type_guessing(features: list) -> None:
    """AMIS publishes no JSON schema, so GDAL's OAPIF driver guesses each field's type
    from the GeoJSON it reads, page by page: a number field that is null throughout the
    first page becomes String ('2042'), and text such as '2016-10-01 00:00:00' may be
    parsed as a date and written back as '2016/10/01 00:00:00'. No information is lost
    by either guess, so both sides are normalised the same way before comparing.
    (A Real field typed Integer loses its fractions: that is deliberately not undone.)"""
    for f in features:
        for k, v in f.properties.items():
            if isinstance(v, str):
                if NUMBER.fullmatch(v):
                    f.properties[k] = float(v)
                else:
                    f.properties[k] = OGR_DATE.sub(r"\1-\2-\3", v)


def text_fields(source: list) -> list[str]:
    """Fields holding only text (or null) in the source: unaffected by number typing."""
    names = list(source[0].properties)
    return [n for n in names if all(f.properties[n] is None or isinstance(f.properties[n], str) for f in source)]


COLLECTIONS = ["coal_mines", "mine_facilities", "coal_mine_boundaries", "countries"]


@pytest.fixture(scope="module")
def downloads(base_url, tmp_path_factory) -> dict[str, tuple[list, list]]:
    """collection -> (downloaded copy, source), each downloaded once with ogr2ogr."""
    out = {}
    folder = tmp_path_factory.mktemp("oapif")
    for c in COLLECTIONS:
        src = DEMO_SOURCES[c]
        source = read_features(src.path, src.layer)
        undo_client_type_guessing(source)
        out[c] = (download(base_url, c, folder / f"{c}.gpkg"), source)
    return out


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_ogr2ogr_download_has_every_feature_and_geometry(downloads, collection):
    copy, source = downloads[collection]
    assert len(copy) == len(source) == source_count(DEMO_SOURCES[collection])
    for served, src in match_features(copy, source, text_fields(source)):
        assert_same_geometry(served.geometry, src.geometry, 1e-9, f"{collection} source fid {src.fid}")


@pytest.mark.parametrize("collection", [
    "coal_mines", "mine_facilities", "coal_mine_boundaries", "countries"])
def test_ogr2ogr_download_has_the_source_attributes(downloads, collection):
    copy, source = downloads[collection]
    names = list(source[0].properties)
    assert set(names) <= set(copy[0].properties), "a source field is missing from the download"
    pairs = match_features(copy, source, names)
    assert len(pairs) == len(source)


def test_ogr2ogr_countries_polygons_equal_the_source(downloads):
    copy, source = downloads["countries"]
    by_iso = {f.properties["iso3"]: f for f in source}
    assert sorted(by_iso) == sorted(f.properties["iso3"] for f in copy)
    for f in copy:
        s = by_iso[f.properties["iso3"]]
        assert f.geometry.Equals(s.geometry), f"{s.properties['iso3']}: geometry not Equals the source"
        assert f.geometry.SymDifference(s.geometry).GetArea() < 1e-12
        assert_same_geometry(f.geometry, s.geometry, 1e-9, s.properties["iso3"])


@pytest.fixture(scope="module")
def oapif(base_url):
    ds = gdal.OpenEx(f"OAPIF:{base_url}", gdal.OF_VECTOR | gdal.OF_READONLY)
    assert ds is not None
    return ds


def test_oapif_lists_every_collection_as_a_layer(oapif):
    names = {oapif.GetLayer(i).GetName() for i in range(oapif.GetLayerCount())}
    # GDAL 3.6 lists every collection, the Records catalogue (GeoJSON features too) included.
    assert names == set(DEMO_SOURCES) | {"observations", "catalog"}
    layer = oapif.GetLayerByName("coal_mines")
    assert layer.GetFeatureCount() == source_count(DEMO_SOURCES["coal_mines"])
    assert ogr.GT_Flatten(layer.GetGeomType()) == ogr.wkbPoint


def test_oapif_spatial_filter_matches_independent_count(oapif):
    box = (100.0, 10.0, 110.0, 22.0)
    expected = sum(1 for f in read_features(COAL_MINES_GPKG, "coal_mines")
                   if box[0] <= f.geometry.GetX() <= box[2] and box[1] <= f.geometry.GetY() <= box[3])
    layer = oapif.GetLayerByName("coal_mines")
    layer.SetSpatialFilterRect(*box)
    try:
        assert sum(1 for _ in layer) == expected
    finally:
        layer.SetSpatialFilter(None)


def test_oapif_attribute_filter_is_sent_to_the_server(oapif, server):
    """GDAL turns `iso3 = 'IDN'` into ?iso3=IDN because /api lists iso3 as a parameter."""
    expected = sum(1 for f in read_features(COAL_MINES_GPKG, "coal_mines") if f.properties["iso3"] == "IDN")
    layer = oapif.GetLayerByName("coal_mines")
    layer.SetAttributeFilter("iso3 = 'IDN'")
    try:
        got = [f.GetField("iso3") for f in layer]
    finally:
        layer.SetAttributeFilter(None)
    assert len(got) == expected and set(got) == {"IDN"}
    assert "iso3=IDN" in server.access_log(), "GDAL filtered on the client: /api did not advertise iso3"


def test_real_properties_are_encoded_as_json_reals(http, base_url):
    """The root cause of the truncation above, checked without GDAL: a Real field's whole
    values must still read as reals (280.0, not 280) for clients that type fields from
    the JSON they see."""
    from support import field_types
    reals = [n for n, t in field_types(COAL_MINES_GPKG, "coal_mines").items() if t == "Real"]
    doc = http.get(f"{base_url}/collections/coal_mines/items", params={"limit": 10}, timeout=30).json()
    ints = sorted({(n, f["properties"][n]) for f in doc["features"] for n in reals
                   if isinstance(f["properties"][n], int)})
    assert not ints, f"Real properties served as JSON integers: {ints[:5]}"
