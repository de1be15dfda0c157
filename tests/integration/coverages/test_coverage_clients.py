"""Real clients: GDAL 3.6's OGCAPI driver (the coverage link, domain set and range type, then
subset/scaleSize requests), GDAL's WCS driver (2.0.1) and OWSLib's WebCoverageService 2.0.1,
each read compared with the stored COG read directly by GDAL."""
from __future__ import annotations

import numpy as np
import pytest
from osgeo import gdal

from coverage_support import read_all, stored_cog


def source(env, layer):
    return gdal.Open(str(stored_cog(env.store, layer)))


def test_gdal_ogcapi_driver_reads_the_coverage(coverage_env):
    ds = gdal.OpenEx(f"OGCAPI:{coverage_env.url}/collections/geoid", gdal.OF_RASTER, open_options=["CACHE=NO"])
    assert ds is not None
    src = source(coverage_env, "geoid")
    assert (ds.RasterXSize, ds.RasterYSize) == (src.RasterXSize, src.RasterYSize)
    assert ds.GetGeoTransform() == pytest.approx(src.GetGeoTransform())
    window = ds.GetRasterBand(1).ReadAsArray(100, 50, 60, 40)
    assert np.array_equal(window, src.GetRasterBand(1).ReadAsArray(100, 50, 60, 40))


def test_gdal_ogcapi_driver_reads_a_projected_coverage(coverage_env):
    ds = gdal.OpenEx(f"OGCAPI:{coverage_env.url}/collections/magnetics", gdal.OF_RASTER, open_options=["CACHE=NO"])
    assert ds is not None and ds.RasterCount == 3
    src = source(coverage_env, "magnetics")
    assert ds.GetGeoTransform() == pytest.approx(src.GetGeoTransform())
    for b in (1, 3):
        assert np.array_equal(ds.GetRasterBand(b).ReadAsArray(20, 30, 50, 40),
                              src.GetRasterBand(b).ReadAsArray(20, 30, 50, 40))


def test_gdal_wcs_driver_reads_the_coverage(coverage_env, tmp_path):
    ds = gdal.OpenEx(f"WCS:{coverage_env.url}/wcs?version=2.0.1&coverage=geoid", gdal.OF_RASTER,
                     open_options=[f"CACHE={tmp_path}"])
    assert ds is not None
    src = source(coverage_env, "geoid")
    assert (ds.RasterXSize, ds.RasterYSize) == (src.RasterXSize, src.RasterYSize)
    assert ds.GetGeoTransform() == pytest.approx(src.GetGeoTransform())
    assert np.array_equal(ds.GetRasterBand(1).ReadAsArray(100, 50, 60, 40),
                          src.GetRasterBand(1).ReadAsArray(100, 50, 60, 40))


def test_gdal_wcs_driver_reads_a_projected_coverage(coverage_env, tmp_path):
    ds = gdal.OpenEx(f"WCS:{coverage_env.url}/wcs?version=2.0.1&coverage=magnetics", gdal.OF_RASTER,
                     open_options=[f"CACHE={tmp_path}"])
    assert ds is not None and ds.RasterCount == 3
    src = source(coverage_env, "magnetics")
    assert ds.GetGeoTransform() == pytest.approx(src.GetGeoTransform())
    assert np.array_equal(ds.GetRasterBand(2).ReadAsArray(20, 30, 50, 40),
                          src.GetRasterBand(2).ReadAsArray(20, 30, 50, 40))


def test_owslib_wcs_201(coverage_env):
    from owslib.wcs import WebCoverageService
    service = WebCoverageService(coverage_env.url + "/wcs", version="2.0.1")
    assert {"geoid", "magnetics"} <= set(service.contents)
    answer = service.getCoverage(identifier=["geoid"], format="image/tiff",
                                 subsets=[("Long", 100.125, 110.125), ("Lat", 0.125, 10.125)])
    values, gt, _ = read_all(answer.read())
    src = source(coverage_env, "geoid")
    assert np.array_equal(values[0], src.GetRasterBand(1).ReadAsArray(109, 180, 40, 40))
    assert gt[0] == pytest.approx(100.125) and gt[3] == pytest.approx(10.125)
