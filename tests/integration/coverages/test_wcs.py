"""WCS 2.0.1 KVP: documents valid against the OGC schemas (xmllint, the repository's copies),
GetCoverage compared with gdal_translate / gdalwarp on the stored COG, errors as OWS 2.0
exception reports with a 4xx status."""
from __future__ import annotations

import numpy as np
import pytest
from lxml import etree

from coverage_support import (OWS20_EXCEPTION_XSD, UTM_BANDS, WCS_XSD, assert_is_gdalwarp, read_all, stored_cog,
                              translate, wcs_get, wcs_get_coverage)
from wfs_support import assert_xmllint_valid

NS = {"wcs": "http://www.opengis.net/wcs/2.0", "ows": "http://www.opengis.net/ows/2.0",
      "gml": "http://www.opengis.net/gml/3.2", "swe": "http://www.opengis.net/swe/2.0"}


def wcs(env, **params):
    return wcs_get(env, "2.0.1", **params)


def get_coverage(env, **params):
    return wcs_get_coverage(env, "2.0.1", **params)


def test_capabilities_are_schema_valid_and_list_the_coverages(coverage_env):
    r = wcs(coverage_env, REQUEST="GetCapabilities")
    assert r.status_code == 200
    assert_xmllint_valid(r.content, WCS_XSD)
    doc = etree.fromstring(r.content)
    assert sorted(doc.xpath("//wcs:CoverageSummary/wcs:CoverageId/text()", namespaces=NS)) == ["geoid", "magnetics"]
    profiles = doc.xpath("//ows:Profile/text()", namespaces=NS)
    assert "http://www.opengis.net/spec/WCS_service-extension_scaling/1.0/conf/scaling" in profiles


def test_describe_coverage_is_schema_valid_with_bands(coverage_env):
    r = wcs(coverage_env, REQUEST="DescribeCoverage", COVERAGEID="geoid,magnetics")
    assert r.status_code == 200
    assert_xmllint_valid(r.content, WCS_XSD)
    doc = etree.fromstring(r.content)
    fields = doc.xpath("//wcs:CoverageDescription[wcs:CoverageId='magnetics']//swe:field", namespaces=NS)
    assert [f.get("name") for f in fields] == [b[0] for b in UTM_BANDS]
    geoid_env = doc.xpath("//wcs:CoverageDescription[wcs:CoverageId='geoid']/gml:boundedBy/gml:Envelope",
                          namespaces=NS)[0]
    assert geoid_env.get("srsName").endswith("/EPSG/0/4326") and geoid_env.get("axisLabels") == "Lat Long"
    assert geoid_env.findtext("gml:lowerCorner", namespaces=NS) == "-11.875 72.875"


def test_get_coverage_subset_is_the_source_window(coverage_env):
    r = get_coverage(coverage_env, COVERAGEID="geoid", SUBSET=["Lat(0.125,10.125)", "Long(100.125,110.125)"])
    assert r.headers["Content-Type"] == "image/tiff"
    values, gt, _ = read_all(r.content)
    expected, egt = translate(stored_cog(coverage_env.store, "geoid"), "-projwin", "100.125", "10.125", "110.125",
                              "0.125")
    assert np.array_equal(values, expected) and gt == pytest.approx(egt)


def test_a_zero_width_trim_is_the_cell_holding_it(coverage_env):
    """GDAL's WCS driver probes a coverage with trims of no width on a cell edge
    (Long(73.125,73.125)): the answer is the one cell whose [low, high) holds the point."""
    src = stored_cog(coverage_env.store, "geoid")
    r = get_coverage(coverage_env, COVERAGEID="geoid", SUBSET=["Long(73.125,73.125)", "Lat(0.125,10.125)"])
    values, gt, _ = read_all(r.content)
    assert np.array_equal(values, translate(src, "-srcwin", "1", "180", "1", "40")[0])
    assert gt[0] == pytest.approx(73.125)
    r = get_coverage(coverage_env, COVERAGEID="geoid", SUBSET=["Long(100.2,100.2)", "Lat(55.125,55.125)"])
    values, _, _ = read_all(r.content)
    assert np.array_equal(values, translate(src, "-srcwin", "109", "0", "1", "1")[0])
    r = get_coverage(coverage_env, COVERAGEID="geoid", SUBSET=["Long(154.875,154.875)", "Lat(-11.875,-11.875)"])
    values, _, _ = read_all(r.content)
    assert np.array_equal(values, translate(src, "-srcwin", "327", "267", "1", "1")[0])
    assert wcs(coverage_env, REQUEST="GetCoverage", COVERAGEID="geoid",
               SUBSET=["Long(155,155)", "Lat(0,1)"]).status_code == 404


def test_subsetting_crs_on_a_projected_coverage(coverage_env):
    r = get_coverage(coverage_env, COVERAGEID="magnetics", SUBSETTINGCRS="http://www.opengis.net/def/crs/EPSG/0/4326",
                     SUBSET=["Lat(13.6,13.9)", "Long(106.2,106.4)"])
    values, gt, _ = read_all(r.content)
    h, w = values.shape[1:]
    expected, _ = translate(stored_cog(coverage_env.store, "magnetics"), "-projwin", str(gt[0]), str(gt[3]),
                            str(gt[0] + w * 1000), str(gt[3] - h * 1000))
    assert np.array_equal(values, expected) and 10 < w < 40


@pytest.mark.parametrize("method, gdal_method", [("nearest-neighbour", "nearest"), ("linear", "bilinear"),
                                                 ("cubic", "cubic")])
def test_scaling_with_interpolation_is_gdal_translate(coverage_env, method, gdal_method):
    r = get_coverage(coverage_env, COVERAGEID="geoid", SUBSET=["Long(100.125,110.125)", "Lat(0.125,10.125)"],
                     SCALESIZE="Long(25),Lat(15)",
                     INTERPOLATION=f"http://www.opengis.net/def/interpolation/OGC/1/{method}")
    values, _, _ = read_all(r.content)
    expected, _ = translate(stored_cog(coverage_env.store, "geoid"), "-srcwin", "109", "180", "40", "40",
                            "-outsize", "25", "15", "-r", gdal_method)
    assert values.shape == (1, 15, 25)
    assert np.allclose(values, expected, atol=1e-4)


def test_scale_factor_and_axes(coverage_env):
    a, _, _ = read_all(get_coverage(coverage_env, COVERAGEID="magnetics", SCALEFACTOR="2").content)
    b, _, _ = read_all(get_coverage(coverage_env, COVERAGEID="magnetics", SCALEAXES="E(2),N(2)").content)
    expected, _ = translate(stored_cog(coverage_env.store, "magnetics"), "-outsize", "150", "100", "-r", "nearest")
    assert np.array_equal(a, expected) and np.array_equal(b, expected)


def test_range_subsetting(coverage_env):
    src = stored_cog(coverage_env.store, "magnetics")
    values, _, _ = read_all(get_coverage(coverage_env, COVERAGEID="magnetics", RANGESUBSET="D,F").content)
    assert np.array_equal(values, translate(src, "-b", "3", "-b", "1")[0])
    values, _, _ = read_all(get_coverage(coverage_env, COVERAGEID="magnetics", RANGESUBSET="F:Z").content)
    assert np.array_equal(values, translate(src, "-b", "1", "-b", "2")[0])


def test_output_crs_is_gdalwarp(coverage_env):
    r = get_coverage(coverage_env, COVERAGEID="magnetics", OUTPUTCRS="http://www.opengis.net/def/crs/EPSG/0/4326",
                     RANGESUBSET="F")
    assert_is_gdalwarp(r.content, stored_cog(coverage_env.store, "magnetics"), "OGC:CRS84")


@pytest.mark.parametrize("params, status, code", [
    ({"REQUEST": "GetCoverage", "COVERAGEID": "nothing"}, 404, "NoSuchCoverage"),
    ({"REQUEST": "DescribeCoverage", "COVERAGEID": "nothing"}, 404, "NoSuchCoverage"),
    ({"REQUEST": "GetCoverage"}, 400, "MissingParameterValue"),
    ({"REQUEST": "GetCoverage", "COVERAGEID": "geoid", "SUBSET": "Depth(1,2)"}, 404, "InvalidAxisLabel"),
    ({"REQUEST": "GetCoverage", "COVERAGEID": "geoid", "SUBSET": "Lat(10,0)"}, 400, "InvalidEncodingSyntax"),
    ({"REQUEST": "GetCoverage", "COVERAGEID": "geoid", "SUBSET": "Lat(80,85)"}, 404, "InvalidSubsetting"),
    ({"REQUEST": "GetCoverage", "COVERAGEID": "geoid", "INTERPOLATION": "magic"}, 400,
     "InterpolationMethodNotSupported"),
    ({"REQUEST": "GetCoverage", "COVERAGEID": "geoid", "SCALEFACTOR": "0"}, 400, "InvalidScaleFactor"),
    ({"REQUEST": "GetCoverage", "COVERAGEID": "geoid", "SCALESIZE": "Long(900000),Lat(900000)"}, 413,
     "ResponseTooLarge"),
    ({"REQUEST": "GetCoverage", "COVERAGEID": "geoid", "RANGESUBSET": "nope"}, 404, "NoSuchField"),
    ({"REQUEST": "GetCoverage", "COVERAGEID": "geoid", "OUTPUTCRS": "EPSG:999999"}, 400, "OutputCrs-NotSupported"),
    ({"REQUEST": "GetCoverage", "COVERAGEID": "geoid", "FORMAT": "application/x-netcdf"}, 400,
     "InvalidParameterValue"),
    ({"REQUEST": "Transaction"}, 400, "OperationNotSupported"),
    ({"REQUEST": "GetCapabilities", "ACCEPTVERSIONS": "1.1.0"}, 400, "VersionNegotiationFailed"),
])
def test_errors_are_ows2_exception_reports(coverage_env, params, status, code):
    r = wcs(coverage_env, **params)
    assert r.status_code == status, (params, r.status_code, r.text[:400])
    assert_xmllint_valid(r.content, OWS20_EXCEPTION_XSD)
    assert etree.fromstring(r.content).xpath("//ows:Exception/@exceptionCode", namespaces=NS) == [code]
