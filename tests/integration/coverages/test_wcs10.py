"""WCS 1.0.0 at /wcs (VERSION=1.0.0): documents valid against the wcs/1.0.0 schemas (xmllint,
the repository's copies), GetCoverage compared with gdal_translate / gdalwarp on the stored COG,
errors as 1.0.0 ServiceExceptionReports with a 4xx status, and the clients that speak it: GDAL's
WCS driver (1.0.0) and OWSLib's WebCoverageService 1.0.0. QGIS's WCS provider is in
tests/integration/qgis/test_qgis_coverages.py."""
from __future__ import annotations

import numpy as np
import pytest
from lxml import etree
from osgeo import gdal

from coverage_support import (OGC_SCHEMAS, UTM_BANDS, read_all, stored_cog, translate, warp, wcs_get,
                              wcs_get_coverage)
from wfs_support import assert_xmllint_valid

WCS10 = OGC_SCHEMAS / "wcs" / "1.0.0"
NS = {"wcs": "http://www.opengis.net/wcs", "gml": "http://www.opengis.net/gml", "ogc": "http://www.opengis.net/ogc"}


def wcs(env, **params):
    return wcs_get(env, "1.0.0", **params)


def get_coverage(env, **params):
    return wcs_get_coverage(env, "1.0.0", **params)


def test_capabilities_are_schema_valid_and_list_the_coverages(coverage_env):
    r = wcs(coverage_env, REQUEST="GetCapabilities")
    assert r.status_code == 200
    assert_xmllint_valid(r.content, WCS10 / "wcsCapabilities.xsd")
    doc = etree.fromstring(r.content)
    assert doc.tag == "{http://www.opengis.net/wcs}WCS_Capabilities" and doc.get("version") == "1.0.0"
    assert sorted(doc.xpath("//wcs:CoverageOfferingBrief/wcs:name/text()", namespaces=NS)) == ["geoid", "magnetics"]
    geoid = doc.xpath("//wcs:CoverageOfferingBrief[wcs:name='geoid']/wcs:lonLatEnvelope/gml:pos/text()",
                      namespaces=NS)
    assert geoid == ["72.875 -11.875", "154.875 55.125"]


def test_describe_coverage_is_schema_valid_with_the_grid_and_bands(coverage_env):
    r = wcs(coverage_env, REQUEST="DescribeCoverage", COVERAGE="geoid,magnetics")
    assert r.status_code == 200
    assert_xmllint_valid(r.content, WCS10 / "describeCoverage.xsd")
    doc = etree.fromstring(r.content)
    mag = doc.xpath("//wcs:CoverageOffering[wcs:name='magnetics']", namespaces=NS)[0]
    assert mag.xpath(".//wcs:AxisDescription/wcs:values/wcs:singleValue/text()", namespaces=NS) == ["1", "2", "3"]
    assert mag.findtext(".//wcs:nativeCRSs", namespaces=NS) == "EPSG:32648"
    assert mag.findtext(".//wcs:nullValues/wcs:singleValue", namespaces=NS) == "-9999"
    src = gdal.Open(str(stored_cog(coverage_env.store, "magnetics")))
    gt = src.GetGeoTransform()
    origin = mag.findtext(".//gml:RectifiedGrid/gml:origin/gml:pos", namespaces=NS).split()
    assert [float(v) for v in origin] == pytest.approx([gt[0] + gt[1] / 2, gt[3] + gt[5] / 2])
    assert mag.findtext(".//gml:GridEnvelope/gml:high", namespaces=NS) == f"{src.RasterXSize - 1} {src.RasterYSize - 1}"
    # A CRS84 grid is EPSG:4326, written longitude first as WCS 1.0 does.
    geoid = doc.xpath("//wcs:CoverageOffering[wcs:name='geoid']", namespaces=NS)[0]
    assert geoid.findtext(".//wcs:nativeCRSs", namespaces=NS) == "EPSG:4326"
    assert geoid.xpath(".//wcs:spatialDomain/gml:Envelope/gml:pos/text()", namespaces=NS) == \
        ["72.875 -11.875", "154.875 55.125"]


def test_get_coverage_on_cell_edges_is_the_source_window(coverage_env):
    r = get_coverage(coverage_env, COVERAGE="geoid", CRS="EPSG:4326", BBOX="100.125,0.125,110.125,10.125",
                     WIDTH=40, HEIGHT=40, FORMAT="GeoTIFF")
    assert r.headers["Content-Type"] == "image/tiff"
    values, gt, _ = read_all(r.content)
    expected, egt = translate(stored_cog(coverage_env.store, "geoid"), "-srcwin", "109", "180", "40", "40")
    assert np.array_equal(values, expected) and gt == pytest.approx(egt)


def test_get_coverage_answers_exactly_the_bbox_at_the_size(coverage_env):
    """A box off the cell edges at another size: the grid asked for, as gdalwarp -te -ts makes it."""
    bbox = [100.3, 0.2, 110.7, 9.9]
    r = get_coverage(coverage_env, COVERAGE="geoid", CRS="EPSG:4326", BBOX=",".join(map(str, bbox)),
                     WIDTH=52, HEIGHT=31, FORMAT="image/tiff")
    values, gt, _ = read_all(r.content)
    assert values.shape == (1, 31, 52)
    assert [gt[0], gt[3]] == pytest.approx([bbox[0], bbox[3]])
    assert gt[1] == pytest.approx((bbox[2] - bbox[0]) / 52)
    expected, _ = warp(stored_cog(coverage_env.store, "geoid"), "-te", *map(str, bbox), "-ts", "52", "31",
                       "-r", "near")
    assert np.array_equal(values, expected)


def test_resx_resy_band_and_response_crs(coverage_env):
    src = stored_cog(coverage_env.store, "magnetics")
    r = get_coverage(coverage_env, COVERAGE="magnetics", CRS="EPSG:32648", BBOX="620000,1450000,700000,1530000",
                     RESX="2000", RESY="2000", FORMAT="GeoTIFF", BAND="3,1")
    values, gt, _ = read_all(r.content)
    assert values.shape == (2, 40, 40) and gt[1] == pytest.approx(2000)
    expected, _ = translate(src, "-projwin", "620000", "1530000", "700000", "1450000", "-outsize", "40", "40",
                            "-r", "nearest", "-b", "3", "-b", "1")
    assert np.array_equal(values, expected)
    by_name, _, _ = read_all(get_coverage(coverage_env, COVERAGE="magnetics", CRS="EPSG:32648",
                                          BBOX="620000,1450000,700000,1530000", RESX="2000", RESY="2000",
                                          FORMAT="GeoTIFF", BAND="D,F").content)
    assert np.array_equal(by_name, values)
    # In WGS 84 (the box in the coverage's CRS, the answer in EPSG:4326): gdalwarp on the same grid.
    r = get_coverage(coverage_env, COVERAGE="magnetics", CRS="EPSG:4326", RESPONSE_CRS="EPSG:4326",
                     BBOX="106.2,13.0,107.0,13.8", WIDTH=80, HEIGHT=80, FORMAT="GeoTIFF", BAND=UTM_BANDS[1][0])
    values, gt, _ = read_all(r.content)
    expected, egt = warp(src, "-t_srs", "EPSG:4326", "-te", "106.2", "13.0", "107.0", "13.8", "-ts", "80", "80",
                         "-r", "near")
    assert gt == pytest.approx(egt)
    assert np.allclose(values, expected[1:2], equal_nan=True)


@pytest.mark.parametrize("params, status, code", [
    ({"REQUEST": "GetCoverage", "COVERAGE": "nothing", "CRS": "EPSG:4326", "BBOX": "100,0,110,10", "WIDTH": "10",
      "HEIGHT": "10", "FORMAT": "GeoTIFF"}, 404, "CoverageNotDefined"),
    ({"REQUEST": "DescribeCoverage", "COVERAGE": "nothing"}, 404, "CoverageNotDefined"),
    ({"REQUEST": "GetCoverage", "COVERAGE": "geoid"}, 400, "MissingParameterValue"),
    ({"REQUEST": "GetCoverage", "COVERAGE": "geoid", "CRS": "EPSG:4326", "BBOX": "110,0,100,10", "WIDTH": "10",
      "HEIGHT": "10", "FORMAT": "GeoTIFF"}, 400, "InvalidParameterValue"),
    ({"REQUEST": "GetCoverage", "COVERAGE": "geoid", "CRS": "EPSG:4326", "BBOX": "100,5,110,5", "WIDTH": "10",
      "HEIGHT": "10", "FORMAT": "GeoTIFF"}, 400, "InvalidParameterValue"),
    ({"REQUEST": "GetCoverage", "COVERAGE": "geoid", "CRS": "EPSG:4326", "BBOX": "0,-80,10,-70", "WIDTH": "10",
      "HEIGHT": "10", "FORMAT": "GeoTIFF"}, 404, "InvalidParameterValue"),
    ({"REQUEST": "GetCoverage", "COVERAGE": "geoid", "CRS": "EPSG:999999", "BBOX": "100,0,110,10", "WIDTH": "10",
      "HEIGHT": "10", "FORMAT": "GeoTIFF"}, 400, "InvalidParameterValue"),
    ({"REQUEST": "GetCoverage", "COVERAGE": "geoid", "CRS": "EPSG:4326", "BBOX": "100,0,110,10", "WIDTH": "10",
      "HEIGHT": "10", "FORMAT": "netCDF"}, 400, "InvalidFormat"),
    ({"REQUEST": "GetCoverage", "COVERAGE": "geoid", "CRS": "EPSG:4326", "BBOX": "100,0,110,10", "WIDTH": "10",
      "HEIGHT": "10", "FORMAT": "GeoTIFF", "BAND": "7"}, 400, "InvalidParameterValue"),
    ({"REQUEST": "GetCoverage", "COVERAGE": "geoid", "CRS": "EPSG:4326", "BBOX": "100,0,110,10", "WIDTH": "0",
      "HEIGHT": "10", "FORMAT": "GeoTIFF"}, 400, "InvalidParameterValue"),
    ({"REQUEST": "GetCoverage", "COVERAGE": "geoid", "CRS": "EPSG:4326", "BBOX": "100,0,110,10", "WIDTH": "900000",
      "HEIGHT": "900000", "FORMAT": "GeoTIFF"}, 413, "InvalidParameterValue"),
    ({"REQUEST": "GetCoverage", "COVERAGE": "geoid", "CRS": "EPSG:4326", "BBOX": "100,0,110,10", "RESX": "1e-9",
      "RESY": "1e-9", "FORMAT": "GeoTIFF"}, 413, "InvalidParameterValue"),
    ({"REQUEST": "GetCoverage", "COVERAGE": "geoid", "CRS": "EPSG:4326", "BBOX": "100,0,nan,10", "WIDTH": "10",
      "HEIGHT": "10", "FORMAT": "GeoTIFF"}, 400, "InvalidParameterValue"),
    ({"REQUEST": "GetCoverage", "COVERAGE": "geoid", "CRS": "EPSG:4326", "BBOX": "100,0,110,10", "WIDTH": "10",
      "HEIGHT": "10", "FORMAT": "GeoTIFF", "INTERPOLATION": "magic"}, 400, "InvalidParameterValue"),
    ({"REQUEST": "GetCoverage", "COVERAGE": "geoid", "CRS": "EPSG:4326", "BBOX": "100,0,110,10", "WIDTH": "10",
      "HEIGHT": "10", "FORMAT": "GeoTIFF", "TIME": "2020-01-01"}, 400, "InvalidParameterValue"),
    ({"REQUEST": "Transaction"}, 400, "OperationNotSupported"),
])
def test_errors_are_service_exception_reports(coverage_env, params, status, code):
    r = wcs(coverage_env, **params)
    assert r.status_code == status, (params, r.status_code, r.text[:400])
    assert_xmllint_valid(r.content, WCS10 / "OGC-exception.xsd")
    assert etree.fromstring(r.content).xpath("//ogc:ServiceException/@code", namespaces=NS) == [code]


def test_gdal_wcs_driver_100_reads_the_coverages(coverage_env, tmp_path):
    for layer, window, band in (("geoid", (100, 50, 60, 40), 1), ("magnetics", (20, 30, 50, 40), 3)):
        ds = gdal.OpenEx(f"WCS:{coverage_env.url}/wcs?version=1.0.0&coverage={layer}", gdal.OF_RASTER,
                         open_options=[f"CACHE={tmp_path / layer}"])
        assert ds is not None
        src = gdal.Open(str(stored_cog(coverage_env.store, layer)))
        assert (ds.RasterXSize, ds.RasterYSize, ds.RasterCount) == (src.RasterXSize, src.RasterYSize, src.RasterCount)
        assert ds.GetGeoTransform() == pytest.approx(src.GetGeoTransform())
        assert np.array_equal(ds.GetRasterBand(band).ReadAsArray(*window),
                              src.GetRasterBand(band).ReadAsArray(*window))


def test_owslib_wcs_100(coverage_env):
    from owslib.wcs import WebCoverageService
    service = WebCoverageService(coverage_env.url + "/wcs", version="1.0.0")
    assert {"geoid", "magnetics"} <= set(service.contents)
    geoid = service.contents["geoid"]
    assert "GeoTIFF" in geoid.supportedFormats
    answer = service.getCoverage(identifier="geoid", bbox=(100.125, 0.125, 110.125, 10.125), crs="EPSG:4326",
                                 format="GeoTIFF", width=40, height=40)
    values, _, _ = read_all(answer.read())
    src = gdal.Open(str(stored_cog(coverage_env.store, "geoid")))
    assert np.array_equal(values[0], src.GetRasterBand(1).ReadAsArray(109, 180, 40, 40))
