"""Repeated WFS KVP parameters (issue 21): QGIS 3.22's WFS 2.0 provider sends TYPENAMES and
TYPENAME with the same value. A repetition (or alias) that agrees is tolerated and answered
as if sent once; one that contradicts is a 400 InvalidParameterValue naming the parameter."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest
from lxml import etree

from wfs_support import assert_exception, gml_features, served_ids, wfs_url, xml_response

HTTP_TIMEOUT = 60


def get(http, base_url, pairs: list[tuple[str, str]]):
    """GET /wfs with these pairs in this order (repeats kept, unlike a dict of params)."""
    return http.get(wfs_url(base_url) + "?" + urlencode(pairs), timeout=HTTP_TIMEOUT)


BASE = [("SERVICE", "WFS"), ("VERSION", "2.0.0")]


def test_describe_feature_type_with_typenames_and_typename_alike(http, base_url):
    once = xml_response(get(http, base_url, BASE + [("REQUEST", "DescribeFeatureType"),
                                                    ("TYPENAMES", "amis:coal_mines")]))
    twice = get(http, base_url, BASE + [("REQUEST", "DescribeFeatureType"), ("TYPENAMES", "amis:coal_mines"),
                                        ("TYPENAME", "amis:coal_mines")])
    assert etree.tostring(xml_response(twice)) == etree.tostring(once)


@pytest.mark.parametrize("request_name,extra", [
    ("GetFeature", [("COUNT", "7")]),
    ("GetPropertyValue", [("COUNT", "7"), ("VALUEREFERENCE", "mine_name")]),
])
def test_agreeing_repeats_answer_like_one(http, base_url, request_name, extra):
    once = get(http, base_url, BASE + [("REQUEST", request_name), ("TYPENAMES", "amis:coal_mines")] + extra)
    twice = get(http, base_url, BASE + [("REQUEST", request_name), ("TYPENAMES", "amis:coal_mines"),
                                        ("TYPENAME", "amis:coal_mines"), ("typenames", "amis:coal_mines")]
                + extra + extra + [("MAXFEATURES", "7")])
    assert twice.status_code == 200, twice.text[:400]
    assert once.status_code == 200, once.text[:400]
    if request_name == "GetFeature":
        a, b = gml_features(xml_response(once)), gml_features(xml_response(twice))
        assert served_ids(b, "coal_mines") == served_ids(a, "coal_mines")
        assert len(a) == 7
    else:
        assert twice.content.count(b"<wfs:member") == once.content.count(b"<wfs:member") == 7


@pytest.mark.parametrize("request_name,pairs,locator", [
    ("DescribeFeatureType", [("TYPENAMES", "amis:coal_mines"), ("TYPENAME", "amis:countries")], "TYPENAME"),
    ("GetFeature", [("TYPENAMES", "amis:coal_mines"), ("TYPENAMES", "amis:countries")], "TYPENAMES"),
    ("GetFeature", [("TYPENAMES", "amis:coal_mines"), ("COUNT", "5"), ("MAXFEATURES", "6")], "MAXFEATURES"),
    ("GetPropertyValue", [("TYPENAMES", "amis:coal_mines"), ("VALUEREFERENCE", "name"),
                          ("valueReference", "status")], "valueReference"),
])
def test_contradicting_repeats_are_refused_naming_the_parameter(http, base_url, request_name, pairs, locator):
    r = get(http, base_url, BASE + [("REQUEST", request_name)] + pairs)
    e = assert_exception(r, "InvalidParameterValue", locator)
    assert "different values" in " ".join(e.texts), e.texts
