"""WCS 2.0.1 XML/POST (OGC 09-148r1): each request document, itself valid against the WCS
schema and its extensions' schemas, answers what the same request in KVP answers (the same
bytes), and a GeoTIFF answer holds gdal_translate's values on the stored COG; bad documents
are 4xx OWS 2.0 exception reports."""
from __future__ import annotations

from xml.sax.saxutils import escape

import numpy as np
import pytest
from lxml import etree

from coverage_support import OWS20_EXCEPTION_XSD, WCS_XSD, read_all, stored_cog, translate, wcs_get
from support import REPO_ROOT
from wfs_support import assert_xmllint_valid

REQUESTS_XSD = REPO_ROOT / "tests" / "schemas" / "wcs-2.0-requests.xsd"
NS = {"wcs": "http://www.opengis.net/wcs/2.0", "ows": "http://www.opengis.net/ows/2.0"}
NAMESPACES = ('xmlns:wcs="http://www.opengis.net/wcs/2.0" xmlns:ows="http://www.opengis.net/ows/2.0" '
              'xmlns:scal="http://www.opengis.net/WCS_service-extension_scaling/1.0" '
              'xmlns:rsub="http://www.opengis.net/wcs/range-subsetting/1.0" '
              'xmlns:crs="http://www.opengis.net/wcs/crs/1.0" '
              'xmlns:int="http://www.opengis.net/WCS_service-extension_interpolation/1.0"')
INTERPOLATION = "http://www.opengis.net/def/interpolation/OGC/1/"
EPSG_4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"


def post(env, document: str | bytes, content_type: str = "application/xml"):
    body = document.encode() if isinstance(document, str) else document
    return env.session.post(env.url + "/wcs", data=body, headers={"Content-Type": content_type}, timeout=120)


def get_coverage_document(coverage: str, trims=(), slices=(), fmt=None, scale=None, ranges=(),
                          subsetting_crs=None, output_crs=None, interpolation=None) -> str:
    """A wcs:GetCoverage document. scale: ("factor", 2) | ("axes", {axis: f}) | ("size", {axis: n});
    ranges: names, or (start, end) intervals."""
    ext = []
    if scale:
        kind, value = scale
        if kind == "factor":
            ext.append(f"<scal:ScaleByFactor><scal:scaleFactor>{value}</scal:scaleFactor></scal:ScaleByFactor>")
        elif kind == "axes":
            items = "".join(f"<scal:ScaleAxis><scal:axis>{a}</scal:axis><scal:scaleFactor>{f}</scal:scaleFactor>"
                            "</scal:ScaleAxis>" for a, f in value.items())
            ext.append(f"<scal:ScaleAxesByFactor>{items}</scal:ScaleAxesByFactor>")
        else:
            items = "".join(f"<scal:TargetAxisSize><scal:axis>{a}</scal:axis><scal:targetSize>{n}</scal:targetSize>"
                            "</scal:TargetAxisSize>" for a, n in value.items())
            ext.append(f"<scal:ScaleToSize>{items}</scal:ScaleToSize>")
    if ranges:
        items = "".join(
            f"<rsub:RangeItem><rsub:RangeComponent>{r}</rsub:RangeComponent></rsub:RangeItem>" if isinstance(r, str)
            else f"<rsub:RangeItem><rsub:RangeInterval><rsub:startComponent>{r[0]}</rsub:startComponent>"
                 f"<rsub:endComponent>{r[1]}</rsub:endComponent></rsub:RangeInterval></rsub:RangeItem>"
            for r in ranges)
        ext.append(f"<rsub:RangeSubset>{items}</rsub:RangeSubset>")
    if subsetting_crs:
        ext.append(f"<crs:subsettingCrs>{escape(subsetting_crs)}</crs:subsettingCrs>")
    if output_crs:
        ext.append(f"<crs:outputCrs>{escape(output_crs)}</crs:outputCrs>")
    if interpolation:
        ext.append(f"<int:Interpolation><int:globalInterpolation>{INTERPOLATION}{interpolation}"
                   "</int:globalInterpolation></int:Interpolation>")
    body = f"<wcs:Extension>{''.join(ext)}</wcs:Extension>" if ext else ""
    body += f"<wcs:CoverageId>{coverage}</wcs:CoverageId>"
    for axis, low, high in trims:
        body += f"<wcs:DimensionTrim><wcs:Dimension>{axis}</wcs:Dimension>"
        body += f"<wcs:TrimLow>{low}</wcs:TrimLow>" if low is not None else ""
        body += f"<wcs:TrimHigh>{high}</wcs:TrimHigh>" if high is not None else ""
        body += "</wcs:DimensionTrim>"
    for axis, point in slices:
        body += (f"<wcs:DimensionSlice><wcs:Dimension>{axis}</wcs:Dimension><wcs:SlicePoint>{point}</wcs:SlicePoint>"
                 "</wcs:DimensionSlice>")
    if fmt:
        body += f"<wcs:format>{escape(fmt)}</wcs:format>"
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<wcs:GetCoverage {NAMESPACES} service="WCS" version="2.0.1">'
            f"{body}</wcs:GetCoverage>")


# (the document's arguments, the same request in KVP)
SAME_REQUESTS = {
    "trims": (dict(coverage="geoid", trims=[("Lat", 0.125, 10.125), ("Long", 100.125, 110.125)]),
              dict(COVERAGEID="geoid", SUBSET=["Lat(0.125,10.125)", "Long(100.125,110.125)"])),
    "open trim": (dict(coverage="geoid", trims=[("Lat", None, -5)]),
                  dict(COVERAGEID="geoid", SUBSET=["Lat(*,-5)"])),
    "size, linear": (dict(coverage="geoid", trims=[("Long", 100.125, 110.125), ("Lat", 0.125, 10.125)],
                          scale=("size", {"Long": 25, "Lat": 15}), interpolation="linear"),
                     dict(COVERAGEID="geoid", SUBSET=["Long(100.125,110.125)", "Lat(0.125,10.125)"],
                          SCALESIZE="Long(25),Lat(15)", INTERPOLATION=INTERPOLATION + "linear")),
    "size, cubic": (dict(coverage="geoid", scale=("size", {"Long": 40, "Lat": 30}), interpolation="cubic"),
                    dict(COVERAGEID="geoid", SCALESIZE="Long(40),Lat(30)", INTERPOLATION=INTERPOLATION + "cubic")),
    "factor": (dict(coverage="magnetics", scale=("factor", 2)), dict(COVERAGEID="magnetics", SCALEFACTOR="2")),
    "axes": (dict(coverage="magnetics", scale=("axes", {"E": 2, "N": 4})),
             dict(COVERAGEID="magnetics", SCALEAXES="E(2),N(4)")),
    "range": (dict(coverage="magnetics", ranges=["D", ("F", "Z")]), dict(COVERAGEID="magnetics", RANGESUBSET="D,F:Z")),
    "output crs": (dict(coverage="magnetics", output_crs=EPSG_4326, ranges=["F"]),
                   dict(COVERAGEID="magnetics", OUTPUTCRS=EPSG_4326, RANGESUBSET="F")),
    "subsetting crs": (dict(coverage="magnetics", subsetting_crs=EPSG_4326,
                            trims=[("Lat", 13.6, 13.9), ("Long", 106.2, 106.4)]),
                       dict(COVERAGEID="magnetics", SUBSETTINGCRS=EPSG_4326,
                            SUBSET=["Lat(13.6,13.9)", "Long(106.2,106.4)"])),
    "png": (dict(coverage="geoid", trims=[("Lat", 0.125, 10.125)], fmt="image/png"),
            dict(COVERAGEID="geoid", SUBSET=["Lat(0.125,10.125)"], FORMAT="image/png")),
    "geotiff media type": (dict(coverage="magnetics", fmt="image/tiff; application=geotiff", ranges=["Z"]),
                           dict(COVERAGEID="magnetics", FORMAT="image/tiff; application=geotiff", RANGESUBSET="Z")),
}


@pytest.mark.parametrize("name", SAME_REQUESTS)
def test_a_post_document_answers_what_kvp_answers(coverage_env, name):
    doc_args, kvp = SAME_REQUESTS[name]
    document = get_coverage_document(**doc_args)
    assert_xmllint_valid(document.encode(), REQUESTS_XSD)
    by_post = post(coverage_env, document)
    by_kvp = wcs_get(coverage_env, "2.0.1", REQUEST="GetCoverage", **kvp)
    assert by_kvp.status_code == 200, by_kvp.text[:400]
    assert by_post.status_code == 200, by_post.text[:800]
    assert by_post.headers["Content-Type"] == by_kvp.headers["Content-Type"]
    assert by_post.content == by_kvp.content


def test_a_slice_is_refused_as_in_kvp(coverage_env):
    """A slice drops a spatial axis, which a 2-D GeoTIFF cannot: both encodings refuse it alike."""
    by_post = post(coverage_env, get_coverage_document("geoid", trims=[("Lat", 0.125, 10.125)],
                                                       slices=[("Long", 100.2)]))
    by_kvp = wcs_get(coverage_env, "2.0.1", REQUEST="GetCoverage", COVERAGEID="geoid",
                     SUBSET=["Lat(0.125,10.125)", "Long(100.2)"])
    assert by_post.status_code == by_kvp.status_code == 404
    assert by_post.content == by_kvp.content


def test_a_post_window_holds_gdal_translates_values(coverage_env):
    document = get_coverage_document("magnetics", trims=[("E", 620000, 650000), ("N", 1500000, 1520000)],
                                     ranges=[("Z", "D")])
    r = post(coverage_env, document)
    assert r.status_code == 200, r.text[:800]
    values, gt, _ = read_all(r.content)
    expected, egt = translate(stored_cog(coverage_env.store, "magnetics"), "-projwin", "620000", "1520000", "650000",
                              "1500000", "-b", "2", "-b", "3")
    assert values.shape == (2, 20, 30)
    assert np.array_equal(values, expected) and gt == pytest.approx(egt)


def test_capabilities_by_post_are_the_kvp_ones_and_offer_post(coverage_env):
    document = (f'<wcs:GetCapabilities {NAMESPACES} service="WCS"><ows:AcceptVersions><ows:Version>2.0.1'
                "</ows:Version></ows:AcceptVersions></wcs:GetCapabilities>")
    assert_xmllint_valid(document.encode(), REQUESTS_XSD)
    r = post(coverage_env, document)
    assert r.status_code == 200, r.text[:800]
    assert_xmllint_valid(r.content, WCS_XSD)
    assert r.content == wcs_get(coverage_env, "2.0.1", REQUEST="GetCapabilities").content
    doc = etree.fromstring(r.content)
    assert "http://www.opengis.net/spec/WCS_protocol-binding_post-xml/1.0/conf/post-xml" in \
        doc.xpath("//ows:Profile/text()", namespaces=NS)
    for op in ("GetCapabilities", "DescribeCoverage", "GetCoverage"):
        assert doc.xpath(f"//ows:Operation[@name='{op}']//ows:Post//ows:Value/text()", namespaces=NS) == ["XML"]


def test_describe_coverage_by_post_is_the_kvp_one(coverage_env):
    document = (f'<wcs:DescribeCoverage {NAMESPACES} service="WCS" version="2.0.1"><wcs:CoverageId>geoid'
                "</wcs:CoverageId><wcs:CoverageId>magnetics</wcs:CoverageId></wcs:DescribeCoverage>")
    assert_xmllint_valid(document.encode(), REQUESTS_XSD)
    r = post(coverage_env, document)
    assert r.status_code == 200, r.text[:800]
    assert_xmllint_valid(r.content, WCS_XSD)
    assert r.content == wcs_get(coverage_env, "2.0.1", REQUEST="DescribeCoverage",
                                COVERAGEID="geoid,magnetics").content


def test_the_standards_own_example_documents_are_read(coverage_env):
    """The OGC examples of the scaling and range subsetting extensions (the repository's schema
    folder holds the schemas; the examples are inlined here with our coverage and axes)."""
    scaling = (f'<wcs:GetCoverage {NAMESPACES} service="WCS" version="2.0.1"><wcs:Extension><scal:Scaling>'
               "<scal:ScaleByFactor><scal:scaleFactor>2.0</scal:scaleFactor></scal:ScaleByFactor></scal:Scaling>"
               "</wcs:Extension><wcs:CoverageId>magnetics</wcs:CoverageId></wcs:GetCoverage>")
    r = post(coverage_env, scaling)
    assert r.status_code == 200, r.text[:800]
    assert r.content == wcs_get(coverage_env, "2.0.1", REQUEST="GetCoverage", COVERAGEID="magnetics",
                                SCALEFACTOR="2").content


def _gc(body: str, attributes: str = 'service="WCS" version="2.0.1"') -> str:
    return f"<wcs:GetCoverage {NAMESPACES} {attributes}>{body}</wcs:GetCoverage>"


XXE = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       + _gc("<wcs:CoverageId>&x;</wcs:CoverageId>"))
BAD_DOCUMENTS = {
    "not xml": ("<wcs:GetCoverage", 400, "OperationParsingFailed"),
    "empty": ("", 400, "OperationParsingFailed"),
    "dtd": (XXE, 400, "OperationParsingFailed"),
    "undeclared entity": (_gc("<wcs:CoverageId>&x;</wcs:CoverageId>"), 400, "OperationParsingFailed"),
    "too large": (_gc("<wcs:CoverageId>geoid</wcs:CoverageId>" + "<!-- pad -->" * 100_000), 400,
                  "OperationParsingFailed"),
    "wcs 1.0 namespace": ('<GetCoverage xmlns="http://www.opengis.net/wcs" service="WCS" version="1.0.0">'
                          "<sourceCoverage>geoid</sourceCoverage></GetCoverage>", 400, "OperationNotSupported"),
    "unknown operation": (f'<wcs:Transaction {NAMESPACES} service="WCS" version="2.0.1"/>', 400,
                          "OperationNotSupported"),
    "no coverage id": (_gc(""), 400, "MissingParameterValue"),
    "no version": (_gc("<wcs:CoverageId>geoid</wcs:CoverageId>", 'service="WCS"'), 400, "MissingParameterValue"),
    "wrong service": (_gc("<wcs:CoverageId>geoid</wcs:CoverageId>", 'service="WMS" version="2.0.1"'), 400,
                      "InvalidParameterValue"),
    "two coverage ids": (_gc("<wcs:CoverageId>geoid</wcs:CoverageId><wcs:CoverageId>geoid</wcs:CoverageId>"), 400,
                         "InvalidParameterValue"),
    "no such coverage": (get_coverage_document("nothing"), 404, "NoSuchCoverage"),
    "inverted trim": (get_coverage_document("geoid", trims=[("Lat", 10, 0)]), 400, "InvalidSubsetting"),
    "trim not a number": (get_coverage_document("geoid", trims=[("Lat", "ten", 20)]), 400, "InvalidSubsetting"),
    "trim outside": (get_coverage_document("geoid", trims=[("Lat", 80, 85)]), 404, "InvalidSubsetting"),
    "unknown axis": (get_coverage_document("geoid", trims=[("Depth", 1, 2)]), 404, "InvalidAxisLabel"),
    "axis twice": (get_coverage_document("geoid", trims=[("Lat", 1, 2), ("Lat", 3, 4)]), 400, "InvalidAxisLabel"),
    "unknown band": (get_coverage_document("geoid", ranges=["nope"]), 404, "NoSuchField"),
    "zero factor": (get_coverage_document("geoid", scale=("factor", 0)), 400, "InvalidScaleFactor"),
    "unknown scale axis": (get_coverage_document("geoid", scale=("axes", {"k": 2})), 404, "ScaleAxisUndefined"),
    "absurd size": (get_coverage_document("geoid", scale=("size", {"Long": 900000, "Lat": 900000})), 413,
                    "ResponseTooLarge"),
    "two scalings": (_gc("<wcs:Extension><scal:ScaleByFactor><scal:scaleFactor>2</scal:scaleFactor>"
                         "</scal:ScaleByFactor><scal:ScaleToSize><scal:TargetAxisSize><scal:axis>Lat</scal:axis>"
                         "<scal:targetSize>5</scal:targetSize></scal:TargetAxisSize></scal:ScaleToSize>"
                         "</wcs:Extension><wcs:CoverageId>geoid</wcs:CoverageId>"), 400, "InvalidParameterValue"),
    "scale to extent": (_gc("<wcs:Extension><scal:Scaling><scal:ScaleToExtent><scal:TargetAxisExtent>"
                            "<scal:axis>Lat</scal:axis><scal:low>1</scal:low><scal:high>5</scal:high>"
                            "</scal:TargetAxisExtent></scal:ScaleToExtent></scal:Scaling></wcs:Extension>"
                            "<wcs:CoverageId>geoid</wcs:CoverageId>"), 400, "InvalidParameterValue"),
    "bad interpolation": (get_coverage_document("geoid", interpolation="magic"), 400,
                          "InterpolationMethodNotSupported"),
    "bad output crs": (get_coverage_document("geoid", output_crs="EPSG:999999"), 400, "OutputCrs-NotSupported"),
    "bad format": (get_coverage_document("geoid", fmt="application/x-netcdf"), 400, "InvalidParameterValue"),
    "multipart": (_gc("<wcs:CoverageId>geoid</wcs:CoverageId><wcs:mediaType>multipart/related</wcs:mediaType>"), 400,
                  "InvalidParameterValue"),
    "unknown extension": (_gc('<wcs:Extension><x:Magic xmlns:x="urn:x">1</x:Magic></wcs:Extension>'
                              "<wcs:CoverageId>geoid</wcs:CoverageId>"), 400, "InvalidParameterValue"),
    "element inside a value": (_gc("<wcs:CoverageId><b>geoid</b></wcs:CoverageId>"), 400, "InvalidEncodingSyntax"),
    "accept versions": (f'<wcs:GetCapabilities {NAMESPACES} service="WCS"><ows:AcceptVersions><ows:Version>1.1.0'
                        "</ows:Version></ows:AcceptVersions></wcs:GetCapabilities>", 400, "VersionNegotiationFailed"),
}


@pytest.mark.parametrize("name", BAD_DOCUMENTS)
def test_bad_documents_are_ows2_exception_reports(coverage_env, name):
    document, status, code = BAD_DOCUMENTS[name]
    r = post(coverage_env, document)
    assert r.status_code == status, (name, r.status_code, r.text[:400])
    assert_xmllint_valid(r.content, OWS20_EXCEPTION_XSD)
    assert etree.fromstring(r.content).xpath("//ows:Exception/@exceptionCode", namespaces=NS) == [code]
    assert b"root:" not in r.content  # /etc/passwd is never read into an answer


def test_a_form_post_is_still_kvp(coverage_env):
    r = post(coverage_env, "SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCoverage&COVERAGEID=geoid&SUBSET=Lat(0.125,10.125)",
             "application/x-www-form-urlencoded")
    assert r.status_code == 200, r.text[:400]
    assert r.content == wcs_get(coverage_env, "2.0.1", REQUEST="GetCoverage", COVERAGEID="geoid",
                                SUBSET="Lat(0.125,10.125)").content
