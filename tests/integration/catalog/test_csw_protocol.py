"""CSW 2.0.2 + ISO AP 1.0 requests by hand, KVP and XML: every answer validated with xmllint
(CSW 2.0.2; each ISO record against gmd), the numbers compared with SQLite over the ISO
documents (csw_support.ExpectedCatalogue)."""
from __future__ import annotations

from collections import Counter

import pytest

from csw_support import CSW_RECORD_COUNT, NS, assert_schema_valid, kvp, parse, post, search_results

GMD = "http://www.isotc211.org/2005/gmd"

GET_RECORDS = """<?xml version="1.0" encoding="UTF-8"?>
<csw:GetRecords xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:ogc="http://www.opengis.net/ogc"
    xmlns:gml="http://www.opengis.net/gml" service="CSW" version="2.0.2" resultType="{result_type}"
    startPosition="{start}" maxRecords="{max}" outputSchema="{schema}">
  <csw:Query typeNames="{type_names}">
    <csw:ElementSetName>{esn}</csw:ElementSetName>
    {constraint}
  </csw:Query>
</csw:GetRecords>"""


def get_records(constraint: str = "", esn: str = "summary", max: int = 10, start: int = 1,
                schema: str = "http://www.opengis.net/cat/csw/2.0.2", type_names: str = "csw:Record",
                result_type: str = "results") -> str:
    return GET_RECORDS.format(constraint=constraint, esn=esn, max=max, start=start, schema=schema,
                              type_names=type_names, result_type=result_type)


def filter_constraint(inner: str) -> str:
    return f'<csw:Constraint version="1.1.0"><ogc:Filter>{inner}</ogc:Filter></csw:Constraint>'


@pytest.mark.parametrize("params", [
    {"request": "GetCapabilities"},
    {"request": "DescribeRecord"},
    {"request": "DescribeRecord", "typeName": "gmd:MD_Metadata"},
    {"request": "GetDomain", "parameterName": "GetRecords.outputSchema"},
    {"request": "GetDomain", "propertyName": "apiso:Type"},
    {"request": "GetRecords", "typeNames": "csw:Record", "resultType": "hits"},
    {"request": "GetRecords", "typeNames": "csw:Record", "resultType": "results", "elementSetName": "brief"},
    {"request": "GetRecords", "typeNames": "csw:Record", "resultType": "results", "elementSetName": "summary"},
    {"request": "GetRecords", "typeNames": "csw:Record", "resultType": "results", "elementSetName": "full"},
    {"request": "GetRecords", "typeNames": "gmd:MD_Metadata", "resultType": "results", "elementSetName": "full",
     "outputSchema": GMD, "maxRecords": "3"},
])
def test_every_kvp_answer_is_schema_valid(csw, params):
    response = kvp(csw, **params)
    assert response.status_code == 200, response.text[:1000]
    assert response.headers["Content-Type"].startswith("application/xml")
    assert_schema_valid(response.content)


@pytest.mark.parametrize("esn", ["brief", "summary", "full"])
@pytest.mark.parametrize("schema", ["http://www.opengis.net/cat/csw/2.0.2", GMD])
def test_post_get_records_is_schema_valid_in_each_set_and_schema(csw, esn, schema):
    response = post(csw, get_records(esn=esn, max=5, schema=schema))
    assert response.status_code == 200, response.text[:1000]
    assert_schema_valid(response.content)
    results, ids = search_results(response.content)
    assert results.get("elementSet") == esn
    assert results.get("recordSchema") == schema
    assert len(ids) == 5 and set(ids) <= set(csw.expected.by_id)


def test_hits_counts_without_records(csw):
    response = post(csw, get_records(result_type="hits", constraint=filter_constraint(
        "<ogc:PropertyIsLike wildCard='*' singleChar='?' escapeChar='!'>"
        "<ogc:PropertyName>csw:AnyText</ogc:PropertyName><ogc:Literal>*tungsten*</ogc:Literal></ogc:PropertyIsLike>")))
    assert response.status_code == 200, response.text[:1000]
    results, ids = search_results(response.content)
    assert int(results.get("numberOfRecordsMatched")) == len(csw.expected.with_words("tungsten"))
    assert results.get("numberOfRecordsReturned") == "0" and ids == []


def test_cql_text_bbox_and_anytext(csw):
    cql = "csw:AnyText LIKE '%nickel%' AND BBOX(ows:BoundingBox, 100, -5, 130, 15)"
    response = kvp(csw, request="GetRecords", typeNames="csw:Record", resultType="results", maxRecords="500",
                   constraintLanguage="CQL_TEXT", constraint_language_version="1.1.0", constraint=cql)
    assert response.status_code == 200, response.text[:1000]
    results, ids = search_results(response.content)
    expected = csw.expected.with_words("nickel") & csw.expected.intersecting(100, -5, 130, 15)
    assert int(results.get("numberOfRecordsMatched")) == len(expected)
    assert set(ids) == expected  # fewer than 500


def test_filter_with_or_not_and_dublin_core_names(csw):
    inner = ("<ogc:And><ogc:Or>"
             "<ogc:PropertyIsLike wildCard='%' singleChar='_' escapeChar='\\'><ogc:PropertyName>dc:title</ogc:PropertyName>"
             "<ogc:Literal>%LITHIUM%</ogc:Literal></ogc:PropertyIsLike>"
             "<ogc:PropertyIsLike wildCard='%' singleChar='_' escapeChar='\\'><ogc:PropertyName>dc:title</ogc:PropertyName>"
             "<ogc:Literal>%cobalt%</ogc:Literal></ogc:PropertyIsLike></ogc:Or>"
             "<ogc:Not><ogc:PropertyIsEqualTo><ogc:PropertyName>dc:type</ogc:PropertyName>"
             "<ogc:Literal>series</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Not></ogc:And>")
    response = post(csw, get_records(constraint=filter_constraint(inner), max=1000, esn="brief"))
    assert response.status_code == 200, response.text[:1000]
    results, ids = search_results(response.content)
    expected = csw.expected.ids("(lower(title) LIKE '%lithium%' OR lower(title) LIKE '%cobalt%') AND type <> 'series'")
    assert int(results.get("numberOfRecordsMatched")) == len(expected)
    assert set(ids) == expected


def test_bounding_boxes_are_latitude_first(csw):
    record_id = sorted(csw.expected.by_id)[3]
    expected = csw.expected.by_id[record_id]
    response = kvp(csw, request="GetRecordById", id=record_id, elementSetName="brief")
    assert response.status_code == 200
    assert_schema_valid(response.content)
    box = parse(response.content).find("csw:BriefRecord/ows:BoundingBox", NS)
    assert box.get("crs") == "urn:ogc:def:crs:EPSG::4326"
    lower = [float(v) for v in box.find("ows:LowerCorner", NS).text.split()]
    upper = [float(v) for v in box.find("ows:UpperCorner", NS).text.split()]
    assert lower == pytest.approx([expected.south, expected.west])
    assert upper == pytest.approx([expected.north, expected.east])


def test_get_record_by_id_keeps_the_order_asked(csw):
    ids = sorted(csw.expected.by_id)[100:103][::-1]
    response = kvp(csw, request="GetRecordById", id=",".join(ids + ["no-such-record"]))
    assert response.status_code == 200
    assert_schema_valid(response.content)
    got = [e.text for e in parse(response.content).findall("csw:SummaryRecord/dc:identifier", NS)]
    assert got == ids


def test_get_domain_counts_the_types(csw):
    response = kvp(csw, request="GetDomain", propertyName="apiso:Type")
    assert response.status_code == 200
    values = {v.text: int(v.get("count")) for v in parse(response.content).iterfind(".//csw:Value", NS)}
    expected = Counter(r.type for r in csw.expected.by_id.values())
    assert values == dict(expected)
    assert sum(values.values()) == CSW_RECORD_COUNT


def test_sort_by_title_descending(csw):
    sort = ("<ogc:SortBy xmlns:ogc='http://www.opengis.net/ogc'><ogc:SortProperty><ogc:PropertyName>dc:title"
            "</ogc:PropertyName><ogc:SortOrder>DESC</ogc:SortOrder></ogc:SortProperty></ogc:SortBy>")
    body = get_records(esn="brief", max=20).replace("</csw:Query>", sort + "</csw:Query>")
    response = post(csw, body)
    assert response.status_code == 200, response.text[:1000]
    titles = [e.text for e in parse(response.content).iterfind(".//csw:BriefRecord/dc:title", NS)]
    expected = [row[0] for row in csw.expected.db.execute("SELECT title FROM r ORDER BY title DESC, id LIMIT 20")]
    assert titles == expected
