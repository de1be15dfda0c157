"""Spatial joins between collections (issue 20): amis_inside and amis_within_distance in
filters, compiled by the store to EXISTS sub-queries over the other collection's spatial
index. Every expected answer comes from the SpatiaLite oracle over the generated source file
(invest_support.Oracle), never from AMIS: through OGC API Features with CQL2-Text and
CQL2-JSON, through OWSLib, and through WFS 2.0 GetFeature with an FES filter. A collection the
caller may not read is as unknown to a join as to a direct request; bad joins are 400s in each
protocol's error format."""
from __future__ import annotations

import json

import pytest
from owslib.ogcapi.features import Features

import wfs_support as ws
from invest_support import RESTRICTED
from invest_support import QUESTIONS, Question

JSON = "application/json"


def served_ids(http, url: str, collection: str = "deposits", headers: dict | None = None, **params) -> set[int]:
    r = http.get(f"{url}/collections/{collection}/items", params={"limit": 10000, "f": "json", **params},
                 headers=headers or {}, timeout=120)
    assert r.status_code == 200, r.text[:500]
    doc = r.json()
    assert doc["numberReturned"] == len(doc["features"]) < 10000
    assert doc["numberMatched"] == doc["numberReturned"]
    ids = [f["properties"]["id"] for f in doc["features"]]
    assert len(ids) == len(set(ids))
    return set(ids)


def api_error(r, status: int = 400) -> dict:
    assert r.status_code == status, f"{r.url}: {r.status_code} {r.text[:400]}"
    assert r.headers["Content-Type"].startswith("application/json"), r.headers
    doc = r.json()
    assert doc["code"] == "InvalidParameterValue" and doc["description"], doc
    return doc


@pytest.mark.parametrize("q", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_cql2_text_answers_the_oracles_ids(http, url, oracle, q: Question):
    expected = oracle.ids(q)
    assert 0 < len(expected) < 10000, f"{q.name}: the question should have some answers ({len(expected)})"
    assert served_ids(http, url, filter=q.cql2_text()) == expected


@pytest.mark.parametrize("q", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_cql2_json_answers_the_oracles_ids(http, url, oracle, q: Question):
    assert served_ids(http, url, filter=json.dumps(q.cql2_json()), **{"filter-lang": "cql2-json"}) == oracle.ids(q)


def test_joins_change_the_answer(oracle):
    """Self-check of the oracle questions: each join removes or keeps some candidates."""
    example = QUESTIONS[0]
    no_licence = Question("x", example.commodities, example.min_tonnage, example.countries, None, example.port_km)
    no_port = Question("y", example.commodities, example.min_tonnage, example.countries, example.licence, None)
    attributes_only = Question("z", example.commodities, example.min_tonnage, example.countries, None, None)
    assert oracle.ids(example) < oracle.ids(no_licence) < oracle.ids(attributes_only)
    assert oracle.ids(example) < oracle.ids(no_port) < oracle.ids(attributes_only)


def test_owslib_takes_the_copied_filter(url, oracle):
    """The CQL2 text as the portal shows it, pasted into OWSLib's OGC API Features client."""
    q = QUESTIONS[0]
    items = Features(url).collection_items("deposits", filter=q.cql2_text(), limit=10000)
    assert {f["properties"]["id"] for f in items["features"]} == oracle.ids(q)


@pytest.mark.parametrize("q", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_wfs_get_feature_with_an_fes_function_answers_the_oracles_ids(http, url, oracle, q: Question):
    body = ws.get_feature_body("amis:deposits", q.fes(), attrs='outputFormat="application/json" count="10000"')
    r = ws.post_xml(url, http, body)
    assert r.status_code == 200, r.text[:600]
    assert {f["properties"]["id"] for f in r.json()["features"]} == oracle.ids(q)


def test_wfs_kvp_filter_with_a_join(http, url, oracle):
    q = QUESTIONS[0]
    r = ws.kvp(url, http, "GetFeature", TYPENAMES="amis:deposits", OUTPUTFORMAT="application/json",
               COUNT=10000, FILTER=q.fes())
    assert r.status_code == 200, r.text[:600]
    assert {f["properties"]["id"] for f in r.json()["features"]} == oracle.ids(q)


def test_hits_and_counts_agree(http, url, oracle):
    q = QUESTIONS[1]
    r = http.get(f"{url}/collections/deposits/items", params={"filter": q.cql2_text(), "limit": 1}, timeout=60)
    assert r.status_code == 200 and r.json()["numberMatched"] == len(oracle.ids(q))
    r = ws.kvp(url, http, "GetFeature", TYPENAMES="amis:deposits", RESULTTYPE="hits", FILTER=q.fes())
    assert r.status_code == 200, r.text[:400]
    assert int(ws.parse_xml(r).get("numberMatched")) == len(oracle.ids(q))


# --------------------------------------------------------------------------- visibility


def restricted_question() -> Question:
    q = QUESTIONS[1]
    return Question("restricted", q.commodities, q.min_tonnage, q.countries, q.licence, q.port_km,
                    joined_licences=RESTRICTED)


def test_a_restricted_collection_is_unknown_to_anonymous_joins(http, url):
    """Anonymous: a join on the restricted copy is refused exactly as a join on a collection
    that does not exist (only the name differs), so the join tells nothing about it."""
    hidden = api_error(http.get(f"{url}/collections/deposits/items",
                                params={"filter": f"amis_inside(geom, '{RESTRICTED}')"}, timeout=60))
    missing = api_error(http.get(f"{url}/collections/deposits/items",
                                 params={"filter": "amis_inside(geom, 'no_such_layer')"}, timeout=60))
    assert hidden["description"].replace(RESTRICTED, "X") == missing["description"].replace("no_such_layer", "X")
    assert http.get(f"{url}/collections/{RESTRICTED}", timeout=30).status_code == 404
    r = ws.kvp(url, http, "GetFeature", TYPENAMES="amis:deposits", FILTER=restricted_question().fes())
    ws.assert_exception(r, "InvalidParameterValue")


def test_an_editor_without_the_right_is_refused_too(http, url, invest):
    headers = {"Authorization": "Bearer " + invest.tokens["tha-editor"]}
    r = http.get(f"{url}/collections/deposits/items", params={"filter": restricted_question().cql2_text()},
                 headers=headers, timeout=60)
    api_error(r)


def test_a_reviewer_joins_the_restricted_collection(http, url, invest, oracle):
    """The restricted copy holds the same licences: a reviewer's answer is the oracle's."""
    headers = {"Authorization": "Bearer " + invest.tokens["expert"]}
    q = restricted_question()
    assert served_ids(http, url, headers=headers, filter=q.cql2_text()) == oracle.ids(QUESTIONS[1])


# --------------------------------------------------------------------------- bad input


BAD_FILTERS = {
    "unknown collection": "amis_inside(geom, 'nowhere')",
    "no collection": "amis_inside(geom)",
    "collection not a string": "amis_inside(geom, 42)",
    "too many arguments": "amis_inside(geom, 'licences', 'status = ''active''', 'x')",
    "not the geometry": "amis_inside(status, 'licences')",
    "distance not a number": "amis_within_distance(geom, 'ports', 'far')",
    "negative distance": "amis_within_distance(geom, 'ports', -5)",
    "zero distance": "amis_within_distance(geom, 'ports', 0)",
    "too far": "amis_within_distance(geom, 'ports', 5000000)",
    "condition does not parse": "amis_inside(geom, 'licences', 'status = ')",
    "condition names an unknown property": "amis_inside(geom, 'licences', 'tonnage_mt > 3')",
    "condition is not a condition": "amis_inside(geom, 'licences', '''active''')",
    "condition joins again": "amis_inside(geom, 'licences', 'amis_within_distance(geom, ''ports'', 100)')",
    "condition not text": "amis_inside(geom, 'licences', 3)",
    "five joins": " AND ".join(["amis_within_distance(geom, 'ports', 1000)"] * 5),
    "join compared": "amis_inside(geom, 'licences') = 1",
}


@pytest.mark.parametrize("text", BAD_FILTERS.values(), ids=BAD_FILTERS.keys())
def test_bad_joins_are_400(http, url, text):
    api_error(http.get(f"{url}/collections/deposits/items", params={"filter": text}, timeout=60))


def test_a_bad_join_in_fes_is_an_ows_exception(http, url):
    fes = ('<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:Function name="amis_within_distance">'
           '<fes:ValueReference>geom</fes:ValueReference><fes:Literal>ports</fes:Literal>'
           '<fes:Literal>-1</fes:Literal></fes:Function></fes:Filter>')
    r = ws.kvp(url, http, "GetFeature", TYPENAMES="amis:deposits", FILTER=fes)
    ws.assert_exception(r, "InvalidParameterValue")


def test_a_bad_join_in_cql2_json_is_400(http, url):
    bad = {"op": "amis_inside", "args": [{"property": "geom"}, "licences", {"op": "=", "args": [{"property": "nope"}, 1]}]}
    api_error(http.get(f"{url}/collections/deposits/items",
                       params={"filter": json.dumps(bad), "filter-lang": "cql2-json"}, timeout=60))


# --------------------------------------------------------------------------- advertised


def test_functions_lists_the_joins(http, url):
    doc = http.get(f"{url}/functions", params={"f": "json"}, timeout=30).json()
    by_name = {f["name"]: f for f in doc["functions"]}
    assert [a["type"] for a in by_name["amis_inside"]["arguments"]] == [["geometry"], ["string"], ["string"]]
    assert by_name["amis_within_distance"]["returns"] == ["boolean"]


def test_wfs_capabilities_list_the_joins(http, url):
    doc = ws.parse_xml(ws.kvp(url, http, "GetCapabilities"))
    names = {f.get("name") for f in doc.iter(ws.qname("fes", "Function"))}
    assert {"amis_inside", "amis_within_distance"} <= names


def test_gdal_reads_the_filtered_items_url(url, oracle):
    """The items URL with the copied filter, opened by GDAL's GeoJSON driver (as ogr2ogr would)."""
    from urllib.parse import urlencode

    from osgeo import gdal

    q = QUESTIONS[0]
    ds = gdal.OpenEx(f"{url}/collections/deposits/items?" + urlencode({"f": "json", "limit": 10000, "filter": q.cql2_text()}),
                     gdal.OF_VECTOR, allowed_drivers=["GeoJSON"])
    assert ds is not None
    layer = ds.GetLayer(0)
    assert {f.GetField("id") for f in layer} == oracle.ids(q)


def test_the_map_and_the_tiles_take_the_join(http, url, oracle):
    """The portal draws the results with WMS CQL_FILTER (or the tiles' filter): both answer,
    and a bad join is the protocol's error, not an image or a 500."""
    q = QUESTIONS[0]
    params = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "deposits", "STYLES": "",
              "CRS": "CRS:84", "BBOX": "90,-12,150,30", "WIDTH": 256, "HEIGHT": 256, "FORMAT": "image/png"}
    r = http.get(f"{url}/wms", params={**params, "CQL_FILTER": q.cql2_text()}, timeout=60)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png", r.text[:300]
    r = http.get(f"{url}/wms", params={**params, "CQL_FILTER": "amis_inside(geom, 'nowhere')"}, timeout=60)
    assert r.status_code == 400 and "ServiceException" in r.text, r.text[:300]
    r = http.get(f"{url}/collections/deposits/tiles/WebMercatorQuad/3/6/3", params={"filter": q.cql2_text()}, timeout=60)
    assert r.status_code in (200, 204), r.text[:300]
