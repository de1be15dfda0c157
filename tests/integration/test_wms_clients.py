"""Real WMS clients against AMIS's /wms: OWSLib's WebMapService (1.3.0 and 1.1.1) reads the
capabilities (layers, WGS 84 boxes = the sources' extents by OGR, CRSs, styles, formats)
and fetches maps; GDAL's WMS driver (`WMS:` connection strings, with osgeo.gdal and the
gdal_translate command) reads the countries layer, compared with GDAL's rasterisation of
the source polygons.

Client behaviour this relies on (OWSLib 0.27.2, GDAL 3.6.2 on Debian 12): OWSLib 1.3.0
getmap() takes the box as (minx, miny, maxx, maxy) and swaps it itself for EPSG:4326;
GDAL's WMS driver uses VERSION 1.1.1, image/jpeg and 3 bands when the connection string
gives no VERSION/FORMAT/TRANSPARENT, asks for 1024 x 1024 blocks, and sends BBOX in the
connection string's order (x,y) unless BBOXORDER=yxYX.
"""
from __future__ import annotations

import subprocess

import numpy as np
import pytest
from osgeo import gdal
from owslib.wms import WebMapService

from wms_support import (COLLECTIONS, FORMATS, PALETTE, REQUIRED_CRS_130, REQUIRED_SRS_111, Frame, Image,
                         check_countries_map, decode, frame_around, isolated_mine, rgb, source_extent, wms_url)

EXTENT_TOLERANCE = 1e-6
TIGYIT = "Tigyit Coal Mine"
REGION = (90.0, -12.0, 150.0, 55.0)  # lon/lat
ORANGE = rgb(PALETTE[0])


def assert_mine_image(img: Image, frame: Frame, x: float, y: float) -> None:
    """The mine's computed pixel is the layer colour; the corners are transparent."""
    col, row = (int(v) for v in frame.pixel(x, y))
    r, g, b, a = img.at(col, row)
    assert max(abs(r - ORANGE[0]), abs(g - ORANGE[1]), abs(b - ORANGE[2])) <= 10 and a == 255, (
        f"pixel ({col}, {row}) is {(r, g, b, a)}, wanted {ORANGE}")
    for c, rr in ((0, 0), (img.width - 1, 0), (0, img.height - 1), (img.width - 1, img.height - 1)):
        assert img.at(c, rr)[3] == 0, f"corner ({c}, {rr}) drawn"


# --------------------------------------------------------------------------- OWSLib


@pytest.fixture(scope="module")
def owslib130(base_url) -> WebMapService:
    return WebMapService(wms_url(base_url), version="1.3.0", timeout=60)


@pytest.fixture(scope="module")
def owslib111(base_url) -> WebMapService:
    return WebMapService(wms_url(base_url), version="1.1.1", timeout=60)


@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_owslib_contents(owslib130, owslib111, observations_gpkg, version):
    wms = owslib130 if version == "1.3.0" else owslib111
    assert wms.identification.version == version
    assert sorted(wms.contents) == sorted(COLLECTIONS)
    required = REQUIRED_CRS_130 if version == "1.3.0" else REQUIRED_SRS_111
    for name in COLLECTIONS:
        layer = wms[name]
        assert layer.title, f"{name}: no title"
        assert layer.boundingBoxWGS84 == pytest.approx(source_extent(name, observations_gpkg), abs=EXTENT_TOLERANCE)
        crs = [str(c) for c in layer.crsOptions]
        missing = [c for c in required if c not in crs]
        assert not missing, f"{name}: OWSLib sees no {missing}"
        assert "default" in layer.styles, f"{name}: styles {layer.styles}"
    get_map = wms.getOperationByName("GetMap")
    assert set(FORMATS) <= set(get_map.formatOptions)


def test_owslib130_epsg4326_box_is_latitude_first(owslib130):
    """OWSLib reads BoundingBox CRS=EPSG:4326 in latitude, longitude order and gives it back
    as (minx, miny, maxx, maxy) = lon/lat: it must equal the WGS 84 box."""
    for name in COLLECTIONS:
        layer = owslib130[name]
        boxes = {b[4]: b[:4] for b in layer.crs_list}
        assert boxes["EPSG:4326"] == pytest.approx(layer.boundingBoxWGS84, abs=EXTENT_TOLERANCE), name


@pytest.mark.parametrize("version, srs", [("1.3.0", "EPSG:4326"), ("1.3.0", "CRS:84"), ("1.1.1", "EPSG:4326")])
def test_owslib_getmap(owslib130, owslib111, version, srs):
    wms = owslib130 if version == "1.3.0" else owslib111
    mine = isolated_mine(TIGYIT)
    frame = frame_around(mine.lon, mine.lat, 60, 40, 200, 150, 0.002)
    response = wms.getmap(layers=["coal_mines"], styles=["default"], srs=srs, bbox=frame.bbox,
                          size=(frame.width, frame.height), format="image/png", transparent=True)
    content = response.read()
    img = decode(content)
    assert (img.width, img.height) == (200, 150)
    assert_mine_image(img, frame, mine.lon, mine.lat)


# --------------------------------------------------------------------------- GDAL's WMS driver


def wms_connection(base_url: str, query: str) -> str:
    return f"WMS:{wms_url(base_url)}?SERVICE=WMS&{query}"


REGION_FRAME = Frame(REGION, 240, 268)  # 60 x 67 degrees


def read_region(ds: gdal.Dataset) -> Image:
    """The whole dataset at 240 x 268 pixels (GDAL picks an overview: one 1024 px request)."""
    minx, xres, _, maxy, _, yres = ds.GetGeoTransform()
    assert (minx, maxy) == pytest.approx((REGION[0], REGION[3]), abs=1e-9)
    assert (minx + xres * ds.RasterXSize, maxy + yres * ds.RasterYSize) == pytest.approx(
        (REGION[2], REGION[1]), abs=1e-6)
    bands = [ds.GetRasterBand(i + 1).ReadAsArray(buf_xsize=REGION_FRAME.width, buf_ysize=REGION_FRAME.height)
             for i in range(ds.RasterCount)]
    if len(bands) == 3:
        bands.append(np.full_like(bands[0], 255))
    return Image(np.dstack(bands).astype(np.uint8), ds.GetDriver().ShortName, ds.RasterCount, False)


def test_gdal_wms_driver_default_request(base_url):
    """Exactly what a user types: 1.1.1, EPSG:4326, no FORMAT (GDAL asks for JPEG)."""
    ds = gdal.Open(wms_connection(
        base_url, "VERSION=1.1.1&REQUEST=GetMap&LAYERS=countries&SRS=EPSG:4326&BBOX=90,-12,150,55"))
    assert ds is not None and ds.GetDriver().ShortName == "WMS"
    assert ds.RasterCount == 3
    img = read_region(ds)
    # JPEG: compression noise, and an eroded margin of 3 px around every coast.
    check_countries_map(img, REGION_FRAME, transparent=False, tolerance=24, erosion=3)


@pytest.mark.parametrize("query", [
    "VERSION=1.3.0&REQUEST=GetMap&LAYERS=countries&CRS=CRS:84&BBOX=90,-12,150,55",
    "VERSION=1.3.0&REQUEST=GetMap&LAYERS=countries&CRS=EPSG:4326&BBOX=-12,90,55,150&BBOXORDER=yxYX",
    "VERSION=1.1.1&REQUEST=GetMap&LAYERS=countries&SRS=EPSG:4326&BBOX=90,-12,150,55",
])
def test_gdal_wms_driver_png(base_url, query):
    ds = gdal.Open(wms_connection(base_url, query + "&FORMAT=image/png&TRANSPARENT=TRUE"))
    assert ds is not None and ds.RasterCount == 4
    check_countries_map(read_region(ds), REGION_FRAME)


def test_gdal_translate(base_url, tmp_path):
    out = tmp_path / "countries.tif"
    connection = wms_connection(base_url, "VERSION=1.1.1&REQUEST=GetMap&LAYERS=countries&SRS=EPSG:4326"
                                          "&BBOX=90,-12,150,55&FORMAT=image/png&TRANSPARENT=TRUE")
    r = subprocess.run(["gdal_translate", "-q", "-of", "GTiff", "-outsize", str(REGION_FRAME.width),
                        str(REGION_FRAME.height), connection, str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    ds = gdal.Open(str(out))
    assert (ds.RasterXSize, ds.RasterYSize, ds.RasterCount) == (REGION_FRAME.width, REGION_FRAME.height, 4)
    check_countries_map(read_region(ds), REGION_FRAME)
