"""OWSLib, the Python OGC client, against AMIS: what a Python user scripting the API sees."""
from __future__ import annotations

import pytest
from owslib.ogcapi.features import Features

from support import COAL_MINES_GPKG, DEMO_SOURCES, read_features, source_count

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
GEOJSON_CONF = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
EXPECTED_IDS = {"countries", "coal_mines", "coal_mine_boundaries", "mine_facilities", "observations"}


@pytest.fixture(scope="module")
def client(base_url) -> Features:
    return Features(base_url)


def test_landing_page_links(client):
    rels = {lk["rel"] for lk in client.links}
    assert {"service-desc", "conformance", "data"} <= rels


def test_conformance_declares_core_and_geojson(client):
    conforms = client.conformance()["conformsTo"]
    assert CORE in conforms
    assert GEOJSON_CONF in conforms


def test_collections_are_the_imported_ones(client):
    ids = {c["id"] for c in client.collections()["collections"]}
    assert ids == EXPECTED_IDS | {"catalog"}
    # feature_collections() keeps only itemType 'feature': all but the Records catalogue.
    assert set(client.feature_collections()) == EXPECTED_IDS


def test_collection_extent_covers_source_extent(client):
    doc = client.collection("coal_mines")
    assert doc["id"] == "coal_mines"
    minx, miny, maxx, maxy = doc["extent"]["spatial"]["bbox"][0]
    for f in read_features(COAL_MINES_GPKG, "coal_mines"):
        x, y = f.geometry.GetX(), f.geometry.GetY()
        assert minx <= x <= maxx and miny <= y <= maxy, f"mine {f.fid} at {x},{y} outside extent"


def test_api_definition_reachable_through_service_desc(client):
    api = client.api()
    assert api["openapi"].startswith("3.0")
    assert "/collections/coal_mines/items" in api["paths"]


@pytest.mark.parametrize("bbox", [(100.0, 10.0, 110.0, 20.0), (95.0, -11.0, 141.0, 6.0), (110.0, 35.0, 115.0, 40.0)])
def test_collection_items_bbox_and_limit(client, bbox):
    expected = [f for f in read_features(COAL_MINES_GPKG, "coal_mines")
                if bbox[0] <= f.geometry.GetX() <= bbox[2] and bbox[1] <= f.geometry.GetY() <= bbox[3]]
    doc = client.collection_items("coal_mines", bbox=list(bbox), limit=25)
    assert doc["type"] == "FeatureCollection"
    assert doc["numberMatched"] == len(expected)
    assert doc["numberReturned"] == len(doc["features"]) == min(25, len(expected))
    for feat in doc["features"]:
        x, y = feat["geometry"]["coordinates"]
        assert bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def test_item_ids_are_unique_and_resolve_to_the_same_feature(client):
    doc = client.collection_items("mine_facilities", limit=300)
    ids = [f["id"] for f in doc["features"]]
    assert len(ids) == len(set(ids)) == source_count(DEMO_SOURCES["mine_facilities"]) == 255
    for feat in doc["features"][::37]:
        one = client.collection_item("mine_facilities", feat["id"])
        assert one["id"] == feat["id"]
        assert one["properties"] == feat["properties"]
        assert one["geometry"] == feat["geometry"]


def test_items_with_property_filter(client):
    expected = sum(1 for f in read_features(COAL_MINES_GPKG, "coal_mines") if f.properties["iso3"] == "VNM")
    doc = client.collection_items("coal_mines", iso3="VNM", limit=100)
    assert doc["numberMatched"] == expected == len(doc["features"])
    assert {f["properties"]["iso3"] for f in doc["features"]} == {"VNM"}
