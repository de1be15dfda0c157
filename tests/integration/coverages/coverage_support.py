"""What the coverage tests share: two rasters added with `amis raster add` (the demo's EGM96
geoid on WGS 84, and a synthetic three-band grid on UTM 48N with nodata, names, units and
descriptions), a server over them, and the oracles: GDAL's own gdal_translate / gdalwarp on
the stored COG, read with numpy."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal, osr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support import REPO_ROOT, store_files  # noqa: E402

gdal.UseExceptions()

GEOID = REPO_ROOT / "data" / "demo" / "asean3_egm96_geoid_15min.tif"
GEOTIFF = "image/tiff; application=geotiff"
OGC_SCHEMAS = REPO_ROOT / "tests" / "schemas" / "ogc"
WCS_XSD = OGC_SCHEMAS / "wcs" / "2.0" / "wcsAll.xsd"
OWS20_EXCEPTION_XSD = OGC_SCHEMAS / "ows" / "2.0" / "owsExceptionReport.xsd"
CONF = "https://www.opengis.net/spec/ogcapi-coverages-1/1.0/conf/"

# The synthetic grid: 300 x 200 cells of 1 km on UTM 48N (about 105.9-108.7 E, 12.7-14.5 N), three
# Float32 bands.
UTM_ORIGIN = (600000.0, 1600000.0)
UTM_CELL = 1000.0
UTM_SIZE = (300, 200)
UTM_BANDS = [("F", "nT", "total intensity"), ("Z", "nT", "vertical component"), ("D", "deg", "declination")]
NODATA = -9999.0


def create_utm_grid(path: Path) -> gdal.Dataset:
    """An empty three-band Float32 GeoTIFF on the synthetic grid (UTM 48N, 1 km cells)."""
    w, h = UTM_SIZE
    ds = gdal.GetDriverByName("GTiff").Create(str(path), w, h, 3, gdal.GDT_Float32)
    ds.SetGeoTransform((UTM_ORIGIN[0], UTM_CELL, 0, UTM_ORIGIN[1], 0, -UTM_CELL))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    ds.SetProjection(srs.ExportToWkt())
    return ds


def write_utm_grid(path: Path) -> None:
    """A three-band grid whose values differ everywhere (so a shifted window shows), with a
    block of nodata."""
    w, h = UTM_SIZE
    ds = create_utm_grid(path)
    rows, cols = np.mgrid[0:h, 0:w].astype(np.float32)
    for i, (name, unit, description) in enumerate(UTM_BANDS, start=1):
        values = (40000 + 100 * i + rows * 3.25 + cols * 0.5 + np.sin(cols / 7.0) * 11).astype(np.float32)
        values[10:20, 30:40] = NODATA
        band = ds.GetRasterBand(i)
        band.WriteArray(values)
        band.SetNoDataValue(NODATA)
        band.SetDescription(name)
        band.SetUnitType(unit)
        band.SetMetadataItem("long_name", description)
    ds = None


def stored_cog(store: Path, layer: str) -> Path:
    return store_files(store) / "rasters" / f"{layer}.tif"


def read_all(data: bytes, suffix: str = ".tif") -> tuple[np.ndarray, tuple, str]:
    """Values (bands, rows, cols), geotransform and WKT of an encoded raster."""
    name = f"/vsimem/answer{id(data)}{suffix}"
    gdal.FileFromMemBuffer(name, data)
    try:
        ds = gdal.Open(name)
        return ds.ReadAsArray().reshape(ds.RasterCount, ds.RasterYSize, ds.RasterXSize), ds.GetGeoTransform(), \
            ds.GetProjection()
    finally:
        gdal.Unlink(name)


def _run_into_memory(run, src: Path, options) -> tuple[np.ndarray, tuple]:
    name = f"/vsimem/oracle{id(options)}.tif"
    ds = run(name, str(src), options=list(options))
    try:
        return ds.ReadAsArray().reshape(ds.RasterCount, ds.RasterYSize, ds.RasterXSize), ds.GetGeoTransform()
    finally:
        ds = None
        gdal.Unlink(name)


def translate(src: Path, *options: str) -> tuple[np.ndarray, tuple]:
    """gdal_translate of the stored COG into memory: the oracle of window requests."""
    return _run_into_memory(gdal.Translate, src, options)


def warp(src: Path, *options: str) -> tuple[np.ndarray, tuple]:
    """gdalwarp of the stored COG: the oracle of requests in another CRS."""
    return _run_into_memory(gdal.Warp, src, options)


def assert_is_gdalwarp(content: bytes, src: Path, t_srs: str) -> list[float]:
    """The answer has the values gdalwarp gives on the same grid (its box and size); returns
    the box (-te)."""
    values, gt, _ = read_all(content)
    h, w = values.shape[1:]
    te = [gt[0], gt[3] + h * gt[5], gt[0] + w * gt[1], gt[3]]
    expected, egt = warp(src, "-t_srs", t_srs, "-te", *map(str, te), "-ts", str(w), str(h), "-r", "near")
    assert list(gt) == pytest.approx(list(egt))
    assert np.allclose(values, expected[:values.shape[0]], equal_nan=True)
    return te


def wcs_get(env, version: str, **params):
    """A WCS KVP request of that version (SERVICE and VERSION added)."""
    return env.session.get(env.url + "/wcs", params={"SERVICE": "WCS", "VERSION": version, **params}, timeout=120)


def wcs_get_coverage(env, version: str, **params):
    """A GetCoverage that must succeed."""
    r = wcs_get(env, version, REQUEST="GetCoverage", **params)
    assert r.status_code == 200, r.text[:800]
    return r


@dataclass
class CoverageEnv:
    url: str
    store: Path
    session: object
