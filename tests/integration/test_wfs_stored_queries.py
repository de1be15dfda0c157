"""WFS 2.0 stored queries (ListStoredQueries, DescribeStoredQueries, the mandatory
GetFeatureById) and GetPropertyValue. GetFeatureById answers with the bare feature
(WFS 2.0, 7.9.3.6 / 11.3.3: no wfs:FeatureCollection around it) or 404 NotFound
(docs/wfs.md); GetPropertyValue's wfs:ValueCollection holds the source's values."""
from __future__ import annotations

from collections import Counter

import pytest

from support import assert_same_geometry
from wfs_support import (AMIS_NS, NS, WFS20_XSD, assert_exception, assert_same_attributes, assert_valid,
                         compiled_schema, counts, expected_geometry, fes_filter, kvp, parse_datetime, parse_xml,
                         post_xml, qname, read_gml_feature, swap_xy, xml_norm, xml_response)

GET_FEATURE_BY_ID = "urn:ogc:def:query:OGC-WFS::GetFeatureById"


def wfs_valid(doc) -> None:
    assert_valid(compiled_schema(str(WFS20_XSD)), doc)


# --------------------------------------------------------------------------- List/DescribeStoredQueries


def test_list_stored_queries(http, base_url):
    doc = xml_response(kvp(base_url, http, "ListStoredQueries"))
    assert doc.tag == qname("wfs", "ListStoredQueriesResponse")
    wfs_valid(doc)
    ids = [q.get("id") for q in doc.findall(qname("wfs", "StoredQuery"))]
    assert GET_FEATURE_BY_ID in ids


def test_describe_stored_queries(http, base_url):
    for params in ({}, {"STOREDQUERY_ID": GET_FEATURE_BY_ID}):
        doc = xml_response(kvp(base_url, http, "DescribeStoredQueries", **params))
        assert doc.tag == qname("wfs", "DescribeStoredQueriesResponse")
        wfs_valid(doc)
        descriptions = {d.get("id"): d for d in doc.findall(qname("wfs", "StoredQueryDescription"))}
        assert GET_FEATURE_BY_ID in descriptions
        params_ = {p.get("name"): p.get("type") for p in descriptions[GET_FEATURE_BY_ID].findall(qname("wfs", "Parameter"))}
        assert list(params_) == ["ID"], params_


def test_describe_unknown_stored_query(http, base_url):
    assert_exception(kvp(base_url, http, "DescribeStoredQueries", STOREDQUERY_ID="urn:example:nope"),
                     "InvalidParameterValue", "storedQuery_Id")


# --------------------------------------------------------------------------- GetFeatureById


def by_id(http, base_url, feature_id: str, **params):
    return kvp(base_url, http, "GetFeature", STOREDQUERY_ID=GET_FEATURE_BY_ID, ID=feature_id, **params)


@pytest.mark.parametrize("collection, index", [("coal_mines", 0), ("coal_mines", 1234), ("coal_mines", -1),
                                               ("countries", 5), ("mine_facilities", 100),
                                               ("coal_mine_boundaries", 7), ("observations", 0)])
def test_get_feature_by_id_returns_the_bare_feature(http, base_url, wfs_expected, dft_schema, collection, index):
    exp = wfs_expected(collection)
    fid = sorted(exp.by_id)[index]
    doc = xml_response(by_id(http, base_url, f"{collection}.{fid}"))
    assert doc.tag == f"{{{AMIS_NS}}}{collection}", f"root {doc.tag}: not the feature itself"
    if not dft_schema.validate(doc):
        raise AssertionError(str(list(dft_schema.error_log)[:5]))
    feature = read_gml_feature(doc)
    assert feature.gml_id == f"{collection}.{fid}"
    src = exp.by_id[fid]
    assert_same_attributes(feature, src, exp.types)
    assert_same_geometry(feature.geometry, swap_xy(src.geometry), 1e-9, feature.gml_id)


def test_get_feature_by_id_by_post(http, base_url, wfs_expected):
    exp = wfs_expected("coal_mines")
    body = (f'<wfs:GetFeature xmlns:wfs="{NS["wfs"]}" service="WFS" version="2.0.0">'
            f'<wfs:StoredQuery id="{GET_FEATURE_BY_ID}"><wfs:Parameter name="ID">coal_mines.42</wfs:Parameter>'
            '</wfs:StoredQuery></wfs:GetFeature>')
    doc = xml_response(post_xml(base_url, http, body))
    assert doc.tag == f"{{{AMIS_NS}}}coal_mines"
    assert_same_attributes(read_gml_feature(doc), exp.by_id[42], exp.types)


def test_get_feature_by_id_in_another_crs(http, base_url, wfs_expected):
    exp = wfs_expected("coal_mines")
    doc = xml_response(by_id(http, base_url, "coal_mines.42", SRSNAME="urn:ogc:def:crs:EPSG::3857"))
    feature = read_gml_feature(doc)
    want = expected_geometry(exp.by_id[42].geometry, "urn:ogc:def:crs:EPSG::3857")
    assert (feature.geometry.GetX(), feature.geometry.GetY()) == pytest.approx((want.GetX(), want.GetY()), abs=1e-3)


@pytest.mark.parametrize("feature_id", ["coal_mines.99999999", "countries.0", "coal_mines.-1"])
def test_get_feature_by_id_of_a_missing_feature_is_404(http, base_url, feature_id):
    assert_exception(by_id(http, base_url, feature_id), "NotFound", status=404)


@pytest.mark.parametrize("feature_id", ["no_such_type.1", "coal_mines", "coal_mines.abc", ""])
def test_get_feature_by_id_with_a_malformed_id(http, base_url, feature_id):
    """Not a feature id of this server: 404 NotFound or 400 InvalidParameterValue (locator ID)."""
    r = by_id(http, base_url, feature_id)
    assert r.status_code in (400, 404), f"{feature_id!r}: HTTP {r.status_code}"
    if r.status_code == 400:
        assert_exception(r, "InvalidParameterValue" if feature_id else "MissingParameterValue", "ID")
    else:
        assert_exception(r, "NotFound", status=404)


def test_get_feature_by_id_without_id(http, base_url):
    r = kvp(base_url, http, "GetFeature", STOREDQUERY_ID=GET_FEATURE_BY_ID)
    assert_exception(r, "MissingParameterValue", "ID")


def test_unknown_stored_query(http, base_url):
    r = kvp(base_url, http, "GetFeature", STOREDQUERY_ID="urn:example:nope", ID="coal_mines.1")
    assert_exception(r, "InvalidParameterValue", "storedQuery_Id")


# --------------------------------------------------------------------------- GetPropertyValue


def values(doc) -> list[str]:
    """The values of a wfs:ValueCollection: each member's text, or its single child's text
    (a member may hold the value or the property element)."""
    out = []
    for m in doc.findall(qname("wfs", "member")):
        children = [c for c in m if isinstance(c.tag, str)]
        if children:
            assert len(children) == 1
            out.append(children[0].text or "")
        else:
            out.append(m.text or "")
    return out


def comparable(value, ogr_type: str):
    """A served text or a source value in a form that compares equal when they are."""
    if ogr_type in ("Integer", "Integer64", "Real"):
        return float(value)
    if ogr_type == "DateTime":
        return parse_datetime(value)
    return xml_norm(value)


def property_values(http, base_url, **params):
    doc = xml_response(kvp(base_url, http, "GetPropertyValue", **params))
    assert doc.tag == qname("wfs", "ValueCollection"), doc.tag
    wfs_valid(doc)
    return doc, values(doc)


@pytest.mark.parametrize("collection, name", [
    ("coal_mines", "mine_name"), ("coal_mines", "capacity_mtpa"), ("coal_mines", "opening_year"),
    ("countries", "iso3"), ("mine_facilities", "primary_commodity"), ("observations", "observed"),
])
@pytest.mark.parametrize("prefixed", [False, True])
def test_get_property_value_equals_the_source(http, base_url, wfs_expected, collection, name, prefixed):
    exp = wfs_expected(collection)
    reference = f"amis:{name}" if prefixed else name
    doc, got = property_values(http, base_url, TYPENAMES=f"amis:{collection}", VALUEREFERENCE=reference)
    source = [f.properties[name] for f in exp.by_id.values()]
    present = [v for v in source if v is not None and v != ""]
    # null values have no member (or an empty one): the non-empty values are the source's
    got_present = [v for v in got if v != ""]
    assert Counter(comparable(v, exp.types[name]) for v in got_present) == Counter(
        comparable(v, exp.types[name]) for v in present)
    assert counts(doc)[1] == len(got)


def test_get_property_value_with_filter_and_count(http, base_url, wfs_expected):
    exp = wfs_expected("coal_mines")
    flt = fes_filter('<fes:PropertyIsEqualTo><fes:ValueReference>amis:iso3</fes:ValueReference>'
                     '<fes:Literal>VNM</fes:Literal></fes:PropertyIsEqualTo>', declare=True)
    _, got = property_values(http, base_url, TYPENAMES="amis:coal_mines", VALUEREFERENCE="mine_name", FILTER=flt)
    want = sorted(exp.by_id[i].properties["mine_name"] for i in exp.layer_ids("iso3 = 'VNM'"))
    assert sorted(got) == want
    doc, got = property_values(http, base_url, TYPENAMES="amis:coal_mines", VALUEREFERENCE="mine_name", COUNT=5)
    assert len(got) == 5


def test_get_property_value_sorted(http, base_url, wfs_expected):
    exp = wfs_expected("countries")
    _, got = property_values(http, base_url, TYPENAMES="amis:countries", VALUEREFERENCE="name", SORTBY="name DESC")
    assert got == sorted((f.properties["name"] for f in exp.by_id.values()), reverse=True)


def test_get_property_value_by_post(http, base_url, wfs_expected):
    exp = wfs_expected("countries")
    body = (f'<wfs:GetPropertyValue xmlns:wfs="{NS["wfs"]}" xmlns:amis="{AMIS_NS}" service="WFS" version="2.0.0" '
            'valueReference="amis:iso3"><wfs:Query typeNames="amis:countries"/></wfs:GetPropertyValue>')
    doc = parse_xml(body.encode())
    wfs_valid(doc)
    got = values(xml_response(post_xml(base_url, http, body)))
    assert sorted(got) == sorted(f.properties["iso3"] for f in exp.by_id.values())


def test_get_property_value_without_value_reference(http, base_url):
    assert_exception(kvp(base_url, http, "GetPropertyValue", TYPENAMES="amis:countries"),
                     "MissingParameterValue", "valueReference")


@pytest.mark.parametrize("reference", ["no_such_field", "amis:nope", "amis:iso3x"])
def test_get_property_value_of_an_unknown_property(http, base_url, reference):
    assert_exception(kvp(base_url, http, "GetPropertyValue", TYPENAMES="amis:countries", VALUEREFERENCE=reference),
                     "InvalidParameterValue", "valueReference")
