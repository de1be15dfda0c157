"""Geometry literals of filters are checked before they are used (issue 22): a ring of
two points, an open ring, a one-point linestring, empty parts and
coordinates that are not numbers are 400 saying what is wrong and where (CQL2-Text: at
which character the literal starts), in CQL2-Text, CQL2-JSON and FES GML alike."""
from __future__ import annotations

import json
import re

import pytest

INVALID_WKT = {
    "POLYGON((1 1, 2 2))": "at least 4 points",
    "POLYGON((100 0, 110 0, 110 10))": "at least 4 points",
    "POLYGON((100 0, 110 0, 110 10, 100 10))": "end where it starts",
    "POLYGON((100 0, 110 0, 110 10, 100 10, 100 0), (1 1, 2 2, 1 1))": "at least 4 points",
    "MULTIPOLYGON(((100 0, 110 0, 110 10, 100 10, 100 0)), ((1 1, 2 2)))": "at least 4 points",
    "LINESTRING(100 0)": "at least 2 points",
}


def items(http, base_url, **params):
    return http.get(f"{base_url}/collections/countries/items", params=params)


@pytest.mark.parametrize("wkt,why", INVALID_WKT.items())
def test_invalid_wkt_literals_are_400_with_the_position(http, base_url, wkt, why):
    prefix = "S_INTERSECTS(geometry, "
    r = items(http, base_url, filter=f"{prefix}{wkt})")
    assert r.status_code == 400, r.text[:300]
    body = r.json()
    assert why in body["description"], body
    match = re.search(r"character (\d+)", body["description"])
    assert match, body
    assert int(match.group(1)) in (len(prefix), len(prefix) + 1), body  # 0- or 1-based: where the literal starts


@pytest.mark.parametrize("wkt", ["POINT EMPTY", "POLYGON EMPTY", "MULTIPOINT EMPTY"])
def test_empty_geometries_are_not_cql2_literals(http, base_url, wkt):
    r = items(http, base_url, filter=f"S_INTERSECTS(geometry, {wkt})")
    assert r.status_code == 400 and "character" in r.json()["description"], r.text[:300]


@pytest.mark.parametrize("geometry,why", [
    ({"type": "Polygon", "coordinates": [[[1, 1], [2, 2]]]}, "at least 4 points"),
    ({"type": "Polygon", "coordinates": [[[100, 0], [110, 0], [110, 10], [100, 10]]]}, "end where it starts"),
    ({"type": "LineString", "coordinates": [[100, 0]]}, "at least 2 points"),
    ({"type": "MultiPolygon", "coordinates": []}, "empty"),
])
def test_invalid_geojson_literals_are_400(http, base_url, geometry, why):
    doc = {"op": "s_intersects", "args": [{"property": "geometry"}, geometry]}
    r = items(http, base_url, filter=json.dumps(doc), **{"filter-lang": "cql2-json"})
    assert r.status_code == 400, r.text[:300]
    assert why in r.json()["description"]


def test_an_invalid_gml_polygon_in_fes_is_400(http, base_url):
    fes = ('<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2">'
           "<fes:Intersects><fes:ValueReference>geometry</fes:ValueReference>"
           '<gml:Polygon gml:id="p" srsName="urn:ogc:def:crs:OGC:1.3:CRS84"><gml:exterior><gml:LinearRing>'
           "<gml:posList>1 1 2 2</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"
           "</fes:Intersects></fes:Filter>")
    r = http.get(f"{base_url}/wfs", params={"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
                                            "TYPENAMES": "amis:countries", "FILTER": fes})
    assert r.status_code == 400, r.text[:500]
    assert "ExceptionReport" in r.text
    assert "at least 4 points" in r.text or "cannot be read" in r.text


@pytest.mark.parametrize("wkt", [
    "POLYGON((100 0, 110 0, 110 10, 100 10, 100 0))",
    "POLYGON((100 0, 110 10, 110 0, 100 10, 100 0))",  # a bow-tie: CQL2's own examples (46, 49) cross too
    "POLYGON((100 0, 110 0, 110 10, 100 10, 100 0), (102 2, 104 2, 104 4, 102 4, 102 2))",
    "MULTIPOLYGON(((100 0, 110 0, 110 10, 100 10, 100 0)), ((120 20, 121 20, 121 21, 120 20)))",
    "LINESTRING(100 0, 110 10)", "POINT(105 5)", "MULTIPOINT((105 5), (106 6))",
])
def test_valid_literals_are_still_taken(http, base_url, wkt):
    r = items(http, base_url, filter=f"S_INTERSECTS(geometry, {wkt})")
    assert r.status_code == 200, r.text[:300]
