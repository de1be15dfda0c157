"""The catalogue's documents: OWSLib's Records client, the Records JSON schemas
(tests/schemas/ogcapi-records-1.0), ISO 19139 XML against the ISO schemas with
xmllint, the HTML pages, conformance and the landing page's links."""
from __future__ import annotations

import copy
import subprocess
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jsonschema
import pytest
import yaml
from owslib.ogcapi.records import Records

from support import REPO_ROOT, get_json

RECORDS_SCHEMAS = REPO_ROOT / "tests" / "schemas" / "ogcapi-records-1.0" / "schemas"
FEATURES_SCHEMAS = REPO_ROOT / "tests" / "schemas" / "ogcapi-features-1.0" / "schemas"
OGC_SCHEMAS = REPO_ROOT / "tests" / "schemas" / "ogc"
FEATURES_URL = "https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/schemas/"
ITEMS = "/collections/catalog/items"


NULLABLE_OBJECT = {"type": "object", "nullable": True}


def to_json_schema(node):
    """OpenAPI 3.0 -> JSON Schema. The Records building blocks write "null or X" as
    oneOf [{type: object, nullable: true}, X], which every non-null object satisfies
    twice (so oneOf fails for any record with a time, a geometry or properties): the
    evident intent, null or X (anyOf: time.yaml itself admits null), is what is checked."""
    if isinstance(node, list):
        return [to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    if isinstance(node.get("oneOf"), list) and NULLABLE_OBJECT in node["oneOf"]:
        rest = {k: v for k, v in node.items() if k != "oneOf"}
        node = dict(rest, anyOf=[{"type": "null"} if o == NULLABLE_OBJECT else o for o in node["oneOf"]])
    out = {k: to_json_schema(v) for k, v in node.items() if k not in ("nullable", "example")}
    if node.get("nullable") is True:
        out = {"anyOf": [out, {"type": "null"}]}
    return out


@lru_cache(maxsize=None)
def load(path: str) -> dict:
    return to_json_schema(yaml.safe_load(Path(path).read_text()))


def load_uri(uri: str) -> dict:
    if uri.startswith(FEATURES_URL):
        return copy.deepcopy(load(str(FEATURES_SCHEMAS / uri[len(FEATURES_URL):])))
    return copy.deepcopy(load(url2pathname(urlsplit(uri).path)))


def validate(document: dict, schema: str) -> None:
    path = (RECORDS_SCHEMAS / schema).resolve()
    resolver = jsonschema.RefResolver(base_uri=path.as_uri(), referrer=load_uri(path.as_uri()),
                                      handlers={"file": load_uri, "https": load_uri})
    jsonschema.validate(document, load_uri(path.as_uri()), resolver=resolver)


def test_owslib_records_finds_searches_and_reads(url):
    api = Records(url)
    assert api.records() == ["catalog"]
    assert "catalog" not in api.feature_collections()
    found = api.collection_items("catalog", q="gold", limit=50)
    assert found["numberMatched"] == len(found["features"]) > 0
    assert all("gold" in (r["properties"]["title"] + r["properties"]["description"]).lower() for r in found["features"])
    one = api.collection_item("catalog", found["features"][0]["id"])
    assert one["id"] == found["features"][0]["id"]


def test_records_validate_against_the_records_schemas(http, url):
    validate(get_json(http, url + "/collections/catalog"), "catalog.yaml")
    page = get_json(http, url + ITEMS, limit=100, facets="true")
    validate(page, "recordCollectionGeoJSON.yaml")
    for record in page["features"]:
        validate(record, "recordGeoJSON.yaml")
        assert record["properties"]["updated"].endswith("Z")
    validate(get_json(http, url + ITEMS + "/amis:collection:syn_00"), "recordGeoJSON.yaml")


def test_a_record_describes_its_collection(http, url):
    r = get_json(http, url + ITEMS + "/amis:collection:syn_00")
    p = r["properties"]
    assert p["title"] == "Gold deposits of Indonesia" and p["license"] == "CC-BY-4.0"
    assert p["featureCount"] == 3 and p["type"] == "dataset"
    assert r["time"]["interval"][0].startswith("1990-03-01")
    links = {(link["rel"], link.get("protocol")) for link in r["links"]}
    assert {("service", "OGC:WMS"), ("service", "OGC:WFS"), ("service", "OGC:WMTS"),
            ("items", "OGC API - Features")} <= links
    formats = {f["name"] for f in p["formats"]}
    assert {"GeoJSON", "CSV", "KML", "GeoPackage", "Shapefile (zip)", "FlatGeobuf", "MVT"} <= formats
    for link in r["links"]:
        if link["rel"] in ("enclosure", "preview"):
            assert http.get(link["href"], timeout=60, stream=True).status_code == 200, link["href"]


def test_each_service_link_names_the_media_type_the_service_answers_with(http, url):
    """A client (QGIS's MetaSearch, GeoNetwork) picks a link by its type: the capabilities
    a service link points at come back as that type."""
    r = get_json(http, url + ITEMS + "/amis:collection:syn_00")
    services = [link for link in r["links"] if link["rel"] == "service"]
    assert {link.get("protocol") for link in services} >= {"OGC:WMS", "OGC:WFS", "OGC:WMTS"}
    for link in services:
        answer = http.get(link["href"], timeout=60)
        assert answer.status_code == 200, link["href"]
        served = answer.headers["Content-Type"].split(";")[0].strip()
        assert served == link["type"], (link["protocol"], link["href"], served, link["type"])


def xmllint(document: bytes, tmp_path: Path) -> subprocess.CompletedProcess:
    path = tmp_path / "record.xml"
    path.write_bytes(document)
    return subprocess.run(["xmllint", "--nonet", "--noout", "--schema",
                           str(OGC_SCHEMAS / "iso" / "19139" / "20070417" / "gmd" / "gmd.xsd"), str(path)],
                          capture_output=True, text=True, env={"XML_CATALOG_FILES": str(OGC_SCHEMAS / "catalog.xml")},
                          timeout=120)


def test_every_record_is_schema_valid_iso_19139(http, url, tmp_path):
    page = get_json(http, url + ITEMS, limit=100)
    for record in page["features"]:
        r = http.get(f"{url}{ITEMS}/{record['id']}", params={"f": "xml"}, timeout=30)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/xml")
        result = xmllint(r.content, tmp_path)
        assert result.returncode == 0, result.stderr[-2000:]
        assert f"<gco:CharacterString>{record['id']}</gco:CharacterString>" in r.text
    by_accept = http.get(f"{url}{ITEMS}/amis:collection:syn_02", headers={"Accept": "application/xml"}, timeout=30)
    assert by_accept.text.startswith("<?xml") and "gmd:MD_Metadata" in by_accept.text


def test_html_pages(http, url):
    for path in ["/collections/catalog", ITEMS, ITEMS + "/amis:collection:syn_00"]:
        r = http.get(url + path, params={"f": "html"}, timeout=30)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html"), path
    page = http.get(url + ITEMS, params={"f": "html", "q": "gold", "facets": "true"}, timeout=30).text
    assert "Gold deposits of Indonesia" in page and "<form" in page


def test_conformance_and_landing_page(http, url):
    classes = get_json(http, url + "/conformance")["conformsTo"]
    spec = "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/"
    for c in ["core", "record-core", "record-collection", "record-core-query-parameters", "records-api", "sorting",
              "cql-filter", "json", "html", "oas30", "searchable-catalog", "searchable-catalog/sorting",
              "searchable-catalog/filtering"]:
        assert spec + c in classes
    landing = get_json(http, url + "/")
    assert any(link["href"].endswith("/collections/catalog/items") and link["rel"] == "search"
               for link in landing["links"])
    collections = get_json(http, url + "/collections")["collections"]
    assert [c["itemType"] for c in collections if c["id"] == "catalog"] == ["record"]


def test_queryables_and_sortables_are_json_schemas(http, url):
    q = get_json(http, url + "/collections/catalog/queryables")
    s = get_json(http, url + "/collections/catalog/sortables")
    assert {"title", "keywords", "geometry", "type", "country"} <= set(q["properties"])
    assert set(s["properties"]) < set(q["properties"]) and "title" in s["properties"]
    api = get_json(http, url + "/api")
    assert {"/collections/catalog/items", "/collections/catalog/items/{recordId}",
            "/collections/catalog/sortables"} <= set(api["paths"])
