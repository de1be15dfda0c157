"""The JSON documents AMIS serves, validated against the OGC API - Features - Part 1 1.0.1
schemas (copied in tests/schemas/ogcapi-features-1.0, see its README)."""
from __future__ import annotations

import copy
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jsonschema
import pytest
import yaml

from support import SCHEMA_DIR, get_json, link

SCHEMAS = SCHEMA_DIR / "schemas"
COLLECTIONS = ["countries", "coal_mines", "coal_mine_boundaries", "mine_facilities", "observations"]

RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def openapi_to_json_schema(node):
    """OpenAPI 3.0 schema objects -> JSON Schema: `nullable: true` becomes a null type."""
    if isinstance(node, list):
        return [openapi_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: openapi_to_json_schema(v) for k, v in node.items() if k not in ("nullable", "example")}
    if node.get("nullable") is True:
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


@lru_cache(maxsize=None)
def load_schema_file(path: Path) -> dict:
    return openapi_to_json_schema(yaml.safe_load(path.read_text()))


def load_uri(uri: str) -> dict:
    return copy.deepcopy(load_schema_file(Path(url2pathname(urlsplit(uri).path))))


format_checker = jsonschema.FormatChecker(())


@format_checker.checks("date-time")
def is_date_time(value) -> bool:
    return not isinstance(value, str) or bool(RFC3339.match(value))


def validate(document: dict, schema_name: str) -> None:
    path = (SCHEMAS / schema_name).resolve()
    resolver = jsonschema.RefResolver(base_uri=path.as_uri(), referrer=load_uri(path.as_uri()),
                                      handlers={"file": load_uri})
    validator = jsonschema.Draft4Validator(load_uri(path.as_uri()), resolver=resolver,
                                           format_checker=format_checker)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, f"{schema_name}: " + "; ".join(
        f"at /{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in errors[:5])


# --------------------------------------------------------------------------- the validator itself


def test_validator_rejects_invalid_documents():
    """Guards against a validator that accepts anything (e.g. unresolved $refs)."""
    bad_feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1]}, "properties": {}}
    with pytest.raises(AssertionError):
        validate(bad_feature, "featureGeoJSON.yaml")
    with pytest.raises(AssertionError):
        validate({"type": "FeatureCollection", "features": [bad_feature]}, "featureCollectionGeoJSON.yaml")
    with pytest.raises(AssertionError):
        validate({"links": [{"href": "x"}]}, "landingPage.yaml")  # link without rel
    with pytest.raises(AssertionError):
        validate({"id": "x", "links": [], "extent": {"temporal": {"interval": {"a": "b"}}}},
                 "collection.yaml")
    with pytest.raises(AssertionError):
        validate({"type": "FeatureCollection", "features": [], "timeStamp": "yesterday"},
                 "featureCollectionGeoJSON.yaml")
    validate({"id": "x", "links": [], "extent": {"temporal": {"interval": [["2020-01-01T00:00:00Z", None]]}}},
             "collection.yaml")


# --------------------------------------------------------------------------- served documents


def test_landing_page(http, base_url):
    doc = get_json(http, f"{base_url}/")
    validate(doc, "landingPage.yaml")
    for rel in ("self", "service-desc", "conformance", "data"):
        assert link(doc, rel), f"landing page has no {rel} link"


def test_conformance(http, base_url):
    doc = get_json(http, f"{base_url}/conformance")
    validate(doc, "confClasses.yaml")
    base = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
    assert {base + c for c in ("core", "geojson", "oas30", "html")} <= set(doc["conformsTo"])


@pytest.mark.parametrize("collection", [
    c for c in COLLECTIONS])
def test_collection(http, base_url, collection):
    doc = get_json(http, f"{base_url}/collections/{collection}")
    validate(doc, "collection.yaml")
    assert doc["id"] == collection
    items = [lk for lk in doc["links"] if lk["rel"] == "items"]
    assert any(lk.get("type") == "application/geo+json" for lk in items)


def test_collections(http, base_url):
    doc = get_json(http, f"{base_url}/collections")
    validate(doc, "collections.yaml")


def test_collections_without_the_temporal_extent(http, base_url):
    """/collections apart from the known temporal-extent bug, so that any other schema
    violation in it still fails."""
    doc = get_json(http, f"{base_url}/collections")
    for c in doc["collections"]:
        c.get("extent", {}).pop("temporal", None)
    validate(doc, "collections.yaml")
    assert sorted(c["id"] for c in doc["collections"] if c["itemType"] == "feature") == sorted(COLLECTIONS)


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_items(http, base_url, collection):
    doc = get_json(http, f"{base_url}/collections/{collection}/items", limit=50, offset=3)
    validate(doc, "featureCollectionGeoJSON.yaml")
    for part in ("numberMatched", "numberReturned", "timeStamp"):
        validate(doc[part], f"{part}.yaml")
    assert doc["numberReturned"] == len(doc["features"]) > 0


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_single_feature(http, base_url, collection):
    first = get_json(http, f"{base_url}/collections/{collection}/items", limit=1)["features"][0]
    doc = get_json(http, f"{base_url}/collections/{collection}/items/{first['id']}")
    validate(doc, "featureGeoJSON.yaml")
    assert doc["id"] == first["id"]
    assert link(doc, "self") and link(doc, "collection")


@pytest.mark.parametrize("path,status", [
    ("/collections/coal_mines/items?limit=0", 400),
    ("/collections/coal_mines/items?bbox=1,2,3", 400),
    ("/collections/no_such_collection", 404),
    ("/collections/coal_mines/items/999999999", 404),
    ("/collections?f=xml", 406),
])
def test_exception(http, base_url, path, status):
    r = http.get(base_url + path, timeout=30)
    assert r.status_code == status
    assert r.headers["Content-Type"].startswith("application/json")
    validate(r.json(), "exception.yaml")
