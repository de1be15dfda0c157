"""WFS errors and hostile input. Every refusal is HTTP 400 (404 for a missing stored-query
feature) with an ows:ExceptionReport that is valid against the official OWS schema (1.1.0
for WFS 2.0.0, 1.0.0 for 1.1.0) and names the right exceptionCode and locator; nothing is
ever a 500. XML bodies: no DTD or external entity is honoured, nothing beyond 1 MiB or 64
levels of filter nesting is parsed, XPath in a valueReference is refused; and the server
is healthy after all of it."""
from __future__ import annotations

import contextlib
from support import connect_store
import time

import pytest
import requests

from wfs_support import (AMIS_NS, NS, XMLNS, assert_exception, exception_report, fes_filter, get_feature_body,
                         get_features, kvp, post_xml, wfs_url, xml_response)

PASSWD_MARKERS = ("root:x:0:0", "root:*:0:0", "/bin/bash", "/usr/sbin/nologin", "daemon:")


def no_passwd(r: requests.Response) -> None:
    for marker in PASSWD_MARKERS:
        assert marker not in r.text, f"/etc/passwd leaked into the answer ({marker!r})"


# --------------------------------------------------------------------------- OWS exceptions (KVP)


def test_unknown_request_is_operation_not_supported(http, base_url):
    assert_exception(kvp(base_url, http, "Frobnicate"), "OperationNotSupported", "request")


def test_missing_request_is_missing_parameter_value(http, base_url):
    r = http.get(wfs_url(base_url), params={"SERVICE": "WFS", "VERSION": "2.0.0"}, timeout=30)
    assert_exception(r, "MissingParameterValue", "request")


def test_wrong_service_is_invalid_parameter_value(http, base_url):
    r = http.get(wfs_url(base_url), params={"SERVICE": "WMS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
                                            "TYPENAMES": "amis:countries"}, timeout=30)
    assert_exception(r, "InvalidParameterValue", "service")


def test_missing_service_on_get_feature(http, base_url):
    r = http.get(wfs_url(base_url), params={"VERSION": "2.0.0", "REQUEST": "GetFeature",
                                            "TYPENAMES": "amis:countries"}, timeout=30)
    assert_exception(r, "MissingParameterValue", "service")


def test_unsupported_version_on_get_feature(http, base_url):
    r = kvp(base_url, http, "GetFeature", version="3.0.0", TYPENAMES="amis:countries")
    e = exception_report(r)[0]
    assert e.code in ("InvalidParameterValue", "VersionNegotiationFailed"), e.code
    assert e.code == "VersionNegotiationFailed" or (e.locator or "").lower() == "version"


def test_missing_typenames_is_missing_parameter_value(http, base_url):
    assert_exception(kvp(base_url, http, "GetFeature"), "MissingParameterValue", "typeNames")


@pytest.mark.parametrize("request_", ["GetFeature", "DescribeFeatureType", "GetPropertyValue"])
@pytest.mark.parametrize("type_name", ["amis:no_such_type", "no_such_type", "other:coal_mines", "amis:", "'", "coal_mines;DROP TABLE coal_mines"])
def test_unknown_type_is_invalid_parameter_value(http, base_url, request_, type_name):
    extra = {"VALUEREFERENCE": "iso3"} if request_ == "GetPropertyValue" else {}
    assert_exception(kvp(base_url, http, request_, TYPENAMES=type_name, **extra), "InvalidParameterValue", "typeNames")


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "10,100,20", "10,100,20,110,30", "22,110,10,100",
                                  "10,100,22,110,EPSG:999999", "nan,100,22,110", "10;100;22;110",
                                  "10,100,22,110,urn:ogc:def:crs:EPSG::4326,extra"])
def test_bad_bbox(http, base_url, bbox):
    assert_exception(kvp(base_url, http, "GetFeature", TYPENAMES="amis:coal_mines", BBOX=bbox),
                     "InvalidParameterValue", "bbox")


@pytest.mark.parametrize("name, value", [("COUNT", "-1"), ("COUNT", "abc"), ("COUNT", "1.5"),
                                         ("COUNT", "99999999999999999999999"),
                                         ("STARTINDEX", "-1"), ("STARTINDEX", "x"),
                                         ("RESULTTYPE", "everything")])
def test_bad_paging_or_result_type(http, base_url, name, value):
    r = kvp(base_url, http, "GetFeature", TYPENAMES="amis:coal_mines", **{name: value})
    assert_exception(r, "InvalidParameterValue", name)


@pytest.mark.parametrize("name, value", [("SORTBY", "no_such_field ASC"), ("SORTBY", "iso3 SIDEWAYS"),
                                         ("PROPERTYNAME", "no_such_field"), ("PROPERTYNAME", "iso3,nope")])
def test_unknown_property_in_sortby_or_propertyname(http, base_url, name, value):
    assert_exception(kvp(base_url, http, "GetFeature", TYPENAMES="amis:coal_mines", **{name: value}),
                     "InvalidParameterValue", name)


def test_unknown_output_format(http, base_url):
    r = kvp(base_url, http, "GetFeature", TYPENAMES="amis:coal_mines", OUTPUTFORMAT="image/png")
    e = exception_report(r)[0]
    assert e.code in ("InvalidParameterValue", "OptionNotSupported"), e.code
    assert (e.locator or "").lower() == "outputformat"


@pytest.mark.parametrize("flt", [
    "not xml at all",
    "<fes:Filter>",  # unbound prefix, unclosed
    f'<fes:Filter xmlns:fes="{NS["fes"]}"><fes:Frobnicate/></fes:Filter>',
    f'<fes:Filter xmlns:fes="{NS["fes"]}" xmlns:amis="{AMIS_NS}"><fes:PropertyIsEqualTo>'
    '<fes:ValueReference>amis:no_such_field</fes:ValueReference><fes:Literal>1</fes:Literal>'
    '</fes:PropertyIsEqualTo></fes:Filter>',
    f'<fes:Filter xmlns:fes="{NS["fes"]}" xmlns:amis="{AMIS_NS}"><fes:PropertyIsEqualTo>'
    '<fes:ValueReference>amis:iso3</fes:ValueReference></fes:PropertyIsEqualTo></fes:Filter>',
    f'<fes:Filter xmlns:fes="{NS["fes"]}" xmlns:amis="{AMIS_NS}" xmlns:gml="{NS["gml"]}"><fes:BBOX>'
    '<gml:Envelope srsName="EPSG:999999"><gml:lowerCorner>1 2</gml:lowerCorner><gml:upperCorner>3 4</gml:upperCorner>'
    '</gml:Envelope></fes:BBOX></fes:Filter>',
    f'<fes:Filter xmlns:fes="{NS["fes"]}" xmlns:amis="{AMIS_NS}" xmlns:gml="{NS["gml"]}"><fes:Intersects>'
    '<fes:ValueReference>amis:geometry</fes:ValueReference><gml:Polygon gml:id="p"><gml:exterior><gml:LinearRing>'
    '<gml:posList>1 2 3</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></fes:Intersects></fes:Filter>',
])
def test_bad_filter_kvp(http, base_url, flt):
    r = kvp(base_url, http, "GetFeature", TYPENAMES="amis:coal_mines", FILTER=flt)
    e = exception_report(r)[0]
    assert e.code in ("InvalidParameterValue", "OperationParsingFailed"), e.code
    assert (e.locator or "").lower() in ("filter", ""), e.locator


def test_filter_and_bbox_are_mutually_exclusive(http, base_url):
    """WFS 2.0 Table 8: BBOX, FILTER and RESOURCEID are mutually exclusive."""
    flt = fes_filter('<fes:ResourceId rid="coal_mines.1"/>', declare=True)
    exception_report(kvp(base_url, http, "GetFeature", TYPENAMES="amis:coal_mines", FILTER=flt,
                         BBOX="10,100,20,110"))
    exception_report(kvp(base_url, http, "GetFeature", TYPENAMES="amis:coal_mines", RESOURCEID="coal_mines.1",
                         BBOX="10,100,20,110"))


def test_transaction_needs_xml_and_credentials(http, base_url):
    assert_exception(kvp(base_url, http, "Transaction"), "OperationNotSupported")
    body = (f'<wfs:Transaction service="WFS" version="2.0.0" {XMLNS}><wfs:Delete typeName="amis:coal_mines">'
            '<fes:Filter><fes:ResourceId rid="coal_mines.1"/></fes:Filter></wfs:Delete></wfs:Transaction>')
    r = post_xml(base_url, http, body)
    assert_exception(r, "Unauthorized", status=401)
    assert r.headers["WWW-Authenticate"].startswith("Bearer")


def test_transaction_deleted_nothing(http, base_url, wfs_expected):
    doc, _ = get_features(http, base_url, TYPENAMES="amis:coal_mines", RESULTTYPE="hits")
    assert int(doc.get("numberMatched")) == len(wfs_expected("coal_mines").by_id)


def test_exceptions_11_are_ows_10(http, base_url):
    r = kvp(base_url, http, "GetFeature", version="1.1.0", TYPENAME="amis:no_such_type")
    assert_exception(r, "InvalidParameterValue", "typeName", version="1.1.0")
    assert_exception(kvp(base_url, http, "Frobnicate", version="1.1.0"), "OperationNotSupported", version="1.1.0")


# --------------------------------------------------------------------------- POST bodies


def test_body_not_xml_is_operation_parsing_failed(http, base_url):
    assert_exception(post_xml(base_url, http, "this is not XML <<<"), "OperationParsingFailed")


def test_unclosed_xml_is_operation_parsing_failed(http, base_url):
    body = get_feature_body("amis:coal_mines")[:-20]
    assert_exception(post_xml(base_url, http, body), "OperationParsingFailed")


def test_unknown_root_element_is_operation_not_supported(http, base_url):
    r = post_xml(base_url, http, f'<wfs:Frobnicate xmlns:wfs="{NS["wfs"]}" service="WFS" version="2.0.0"/>')
    assert_exception(r, "OperationNotSupported")


def test_empty_body(http, base_url):
    e = exception_report(post_xml(base_url, http, b""))[0]
    assert e.code in ("OperationParsingFailed", "MissingParameterValue"), e.code


def test_post_query_of_unknown_type(http, base_url):
    assert_exception(post_xml(base_url, http, get_feature_body("amis:no_such_type")),
                     "InvalidParameterValue", "typeNames")


# --------------------------------------------------------------------------- hostile XML

XXE_FILE = """<?xml version="1.0"?>
<!DOCTYPE wfs:GetFeature [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<wfs:GetFeature service="WFS" version="2.0.0" {ns}><wfs:Query typeNames="amis:coal_mines"><fes:Filter>
<fes:PropertyIsEqualTo><fes:ValueReference>amis:mine_name</fes:ValueReference><fes:Literal>&xxe;</fes:Literal>
</fes:PropertyIsEqualTo></fes:Filter></wfs:Query></wfs:GetFeature>"""

XXE_TYPENAME = """<?xml version="1.0"?>
<!DOCTYPE wfs:GetFeature [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<wfs:GetFeature service="WFS" version="2.0.0" {ns}><wfs:Query typeNames="&xxe;"/></wfs:GetFeature>"""

XXE_PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE wfs:GetFeature [ <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote; ]>
<wfs:GetFeature service="WFS" version="2.0.0" {ns}><wfs:Query typeNames="amis:coal_mines"/></wfs:GetFeature>"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE wfs:GetFeature SYSTEM "file:///etc/passwd">
<wfs:GetFeature service="WFS" version="2.0.0" {ns}><wfs:Query typeNames="amis:coal_mines"/></wfs:GetFeature>"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<wfs:GetFeature service="WFS" version="2.0.0" {ns}><wfs:Query typeNames="amis:coal_mines"><fes:Filter>
<fes:PropertyIsEqualTo><fes:ValueReference>amis:mine_name</fes:ValueReference><fes:Literal>&lol9;</fes:Literal>
</fes:PropertyIsEqualTo></fes:Filter></wfs:Query></wfs:GetFeature>"""

INTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE wfs:GetFeature [ <!ENTITY name "Han Seng Coal Mine"> ]>
<wfs:GetFeature service="WFS" version="2.0.0" {ns}><wfs:Query typeNames="amis:coal_mines"><fes:Filter>
<fes:PropertyIsEqualTo><fes:ValueReference>amis:mine_name</fes:ValueReference><fes:Literal>&name;</fes:Literal>
</fes:PropertyIsEqualTo></fes:Filter></wfs:Query></wfs:GetFeature>"""


@pytest.mark.parametrize("template", [XXE_FILE, XXE_TYPENAME, XXE_PARAMETER_ENTITY, EXTERNAL_DTD, INTERNAL_ENTITY],
                         ids=["xxe-literal", "xxe-typename", "parameter-entity", "external-dtd", "internal-entity"])
def test_dtds_are_refused(http, base_url, template):
    """docs/wfs.md: no DTD at all (so no entity, internal or external)."""
    start = time.monotonic()
    r = post_xml(base_url, http, template.format(ns=XMLNS), timeout=30)
    assert time.monotonic() - start < 5
    no_passwd(r)
    assert r.status_code == 400, f"HTTP {r.status_code}: {r.text[:300]}"
    exception_report(r)


def test_xxe_in_the_filter_parameter(http, base_url):
    flt = ('<!DOCTYPE fes:Filter [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>'
           + fes_filter('<fes:PropertyIsEqualTo><fes:ValueReference>amis:mine_name</fes:ValueReference>'
                        '<fes:Literal>&xxe;</fes:Literal></fes:PropertyIsEqualTo>', declare=True))
    r = kvp(base_url, http, "GetFeature", TYPENAMES="amis:coal_mines", FILTER=flt)
    no_passwd(r)
    exception_report(r)


def test_billion_laughs_is_refused_quickly(http, base_url):
    start = time.monotonic()
    r = post_xml(base_url, http, BILLION_LAUGHS.format(ns=XMLNS), timeout=30)
    elapsed = time.monotonic() - start
    assert r.status_code == 400, f"HTTP {r.status_code}"
    exception_report(r)
    assert elapsed < 2, f"{elapsed:.1f} s to refuse a billion laughs"
    assert len(r.content) < 100_000


@pytest.mark.parametrize("depth, element", [(65, "Not"), (100, "Not"), (200, "And"), (1000, "Or"), (5000, "Not")])
def test_too_deep_filters_are_refused(http, base_url, depth, element):
    inner = ('<fes:PropertyIsEqualTo><fes:ValueReference>amis:iso3</fes:ValueReference>'
             '<fes:Literal>THA</fes:Literal></fes:PropertyIsEqualTo>')
    if element == "Not":
        body = "<fes:Not>" * depth + inner + "</fes:Not>" * depth
    else:  # binary operators: the nested one and a sibling
        body = inner
        for _ in range(depth):
            body = f"<fes:{element}>{body}{inner}</fes:{element}>"
    for transport in ("post", "kvp"):
        if transport == "post":
            r = post_xml(base_url, http, get_feature_body("amis:coal_mines", fes_filter(body)), timeout=30)
        else:
            if len(body) > 30_000:
                continue  # the URL would pass the HTTP layer's 64 KiB header limit
            r = kvp(base_url, http, "GetFeature", TYPENAMES="amis:coal_mines", FILTER=fes_filter(body, declare=True))
        assert r.status_code == 400, f"{transport} depth {depth}: HTTP {r.status_code}"
        exception_report(r)


def test_deeply_nested_unknown_elements_are_refused(http, base_url):
    body = ("<a>" * 100_000) + ("</a>" * 100_000)
    r = post_xml(base_url, http, body, timeout=30)
    assert r.status_code == 400
    exception_report(r)


@pytest.mark.parametrize("size", [1024 * 1024 + 1, 3 * 1024 * 1024])
def test_body_over_one_mebibyte_is_refused(http, base_url, size):
    head = get_feature_body("amis:coal_mines", fes_filter(
        '<fes:PropertyIsEqualTo><fes:ValueReference>amis:mine_name</fes:ValueReference><fes:Literal>'))
    head = head[:head.index("<fes:Literal>") + len("<fes:Literal>")]
    tail = "</fes:Literal></fes:PropertyIsEqualTo></fes:Filter></wfs:Query></wfs:GetFeature>"
    body = head + "x" * (size - len(head) - len(tail)) + tail
    assert len(body.encode()) == size
    try:
        r = post_xml(base_url, http, body, timeout=30)
    except requests.ConnectionError as e:  # the server answered and closed before reading it all
        pytest.fail(f"no HTTP answer to a {size}-byte body: {e}")
    assert r.status_code in (400, 413), f"HTTP {r.status_code} for a {size}-byte body"
    if r.status_code == 400:
        exception_report(r)


def test_body_just_under_one_mebibyte_is_served(http, base_url):
    pad = "<!--" + "x" * (1024 * 1024 - 2000) + "-->"
    body = get_feature_body("amis:countries", attrs='count="1"').replace("<wfs:Query", pad + "<wfs:Query")
    assert len(body.encode()) < 1024 * 1024
    doc = xml_response(post_xml(base_url, http, body))
    assert doc.tag == f"{{{NS['wfs']}}}FeatureCollection"


XPATHS = ["//amis:mine_name[1]", "mine_name | /etc", "/etc/passwd", "../mine_name", "mine_name[1]",
          "document('file:///etc/passwd')", "amis:mine_name/text()", "//*", "mine_name/..", "count(//*)",
          "amis:mine_name or 1=1"]


@pytest.mark.parametrize("reference", XPATHS)
def test_xpath_value_reference_is_refused(http, base_url, reference):
    r = kvp(base_url, http, "GetPropertyValue", TYPENAMES="amis:coal_mines", VALUEREFERENCE=reference)
    no_passwd(r)
    assert_exception(r, "InvalidParameterValue", "valueReference")


@pytest.mark.parametrize("reference", XPATHS[:6])
def test_xpath_in_filter_value_reference_is_refused(http, base_url, reference):
    body = (f'<fes:PropertyIsEqualTo><fes:ValueReference>{reference.replace("&", "&amp;")}</fes:ValueReference>'
            '<fes:Literal>x</fes:Literal></fes:PropertyIsEqualTo>')
    r = post_xml(base_url, http, get_feature_body("amis:coal_mines", fes_filter(body)))
    no_passwd(r)
    e = exception_report(r)[0]
    assert e.code in ("InvalidParameterValue", "OperationParsingFailed"), e.code


@pytest.mark.parametrize("literal", ["' OR '1'='1", "x'; DROP TABLE coal_mines; --", "%", "_", "\\", "')) OR 1=1 --"])
def test_sql_in_literals_is_just_text(http, base_url, literal):
    body = (f'<fes:PropertyIsEqualTo><fes:ValueReference>amis:mine_name</fes:ValueReference>'
            f'<fes:Literal>{literal}</fes:Literal></fes:PropertyIsEqualTo>')
    doc, features = get_features(http, base_url, TYPENAMES="amis:coal_mines", FILTER=fes_filter(body, declare=True))
    assert features == [] and doc.get("numberMatched") == "0"


# --------------------------------------------------------------------------- never a 500

ODD_QUERIES = [
    {},
    {"SERVICE": "WFS"},
    {"SERVICE": "WFS", "REQUEST": "GetFeature", "VERSION": "2.0.0", "TYPENAMES": "amis:coal_mines" * 500},
    {"SERVICE": "WFS", "REQUEST": "GetFeature", "VERSION": "2.0.0", "TYPENAMES": "amis:coal_mines", "COUNT": "0"},
    {"SERVICE": "WFS", "REQUEST": "GetFeature", "VERSION": "2.0.0", "TYPENAMES": "amis:coal_mines",
     "SRSNAME": "urn:ogc:def:crs:EPSG::4326", "BBOX": "-90,-180,90,180"},
    {"SERVICE": "WFS", "REQUEST": "GetFeature", "VERSION": "2.0.0", "TYPENAMES": "amis:coal_mines",
     "BBOX": "1e308,1e308,1e308,1e308"},
    {"SERVICE": "WFS", "REQUEST": "GetFeature", "VERSION": "2.0.0", "TYPENAMES": "amis:coal_mines",
     "BBOX": "0,0,1,1,urn:ogc:def:crs:EPSG::3857"},
    {"SERVICE": "WFS", "REQUEST": "GetFeature", "VERSION": "2.0.0", "TYPENAMES": "amis:coal_mines",
     "SRSNAME": "urn:ogc:def:crs:EPSG::32648", "BBOX": "-1e9,-1e9,1e9,1e9,urn:ogc:def:crs:EPSG::32648"},
    {"SERVICE": "WFS", "REQUEST": "GetFeature", "VERSION": "2.0.0", "TYPENAMES": "amis:coal_mines",
     "STARTINDEX": "18446744073709551615"},
    {"SERVICE": "WFS", "REQUEST": "GetFeature", "VERSION": "2.0.0", "TYPENAMES": "amis:coal_mines",
     "SORTBY": "iso3 ASC," * 200},
    {"SERVICE": "WFS", "REQUEST": "GetFeature", "VERSION": "2.0.0", "TYPENAMES": "amis:coal_mines",
     "RESOURCEID": ",".join(f"coal_mines.{i}" for i in range(2000))},
    {"SERVICE": "WFS", "REQUEST": "GetFeature", "VERSION": "2.0.0", "TYPENAMES": "amis:coal_mines",
     "PROPERTYNAME": "(iso3)(status)"},
    {"SERVICE": "WFS", "REQUEST": "GetFeature", "VERSION": "2.0.0", "TYPENAMES": "(amis:coal_mines)(amis:countries)"},
    {"SERVICE": "WFS", "REQUEST": "GetFeature", "VERSION": "2.0.0", "TYPENAMES": "amis:coal_mines",
     "NAMESPACES": "xmlns(amis"},
    {"SERVICE": "WFS", "REQUEST": "GetFeature", "VERSION": "2.0.0", "TYPENAMES": "amis:coal_mines",
     "FILTER": "<" * 10000},
    {"SERVICE": "WFS", "REQUEST": "GetCapabilities", "SECTIONS": "Nope"},
    {"SERVICE": "WFS", "REQUEST": "GetCapabilities", "ACCEPTFORMATS": "application/pdf"},
]


@pytest.mark.parametrize("params", ODD_QUERIES, ids=[str(i) for i in range(len(ODD_QUERIES))])
def test_odd_requests_are_never_a_server_error(http, base_url, params):
    r = http.get(wfs_url(base_url), params=params, timeout=60)
    assert r.status_code < 500, f"HTTP {r.status_code} for {params}"
    if r.status_code >= 400:
        exception_report(r, r.status_code)


def test_get_and_post_only(http, base_url):
    r = http.put(wfs_url(base_url), data=b"<x/>", timeout=30)
    assert r.status_code == 405


# --------------------------------------------------------------------------- health afterwards


def test_server_is_healthy_after_all_that(http, base_url, server, store_path, wfs_expected):
    assert server.alive(), server.stderr()[-2000:]
    doc = xml_response(kvp(base_url, http, "GetCapabilities"))
    assert doc.tag == f"{{{NS['wfs']}}}WFS_Capabilities"
    doc, features = get_features(http, base_url, TYPENAMES="amis:coal_mines", COUNT=3)
    assert len(features) == 3
    with contextlib.closing(connect_store(store_path)) as db:
        assert db.execute("SELECT count(*) FROM coal_mines").fetchone()[0] == len(wfs_expected("coal_mines").by_id)
    errors = [line for line in server.access_log().splitlines()
              if len(line.split()) >= 3 and line.split()[1].startswith("/wfs") and line.split()[2].startswith("5")]
    assert not errors, f"the access log shows /wfs server errors: {errors[:3]}"
