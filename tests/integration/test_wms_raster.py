"""A raster layer through WMS: the EGM96 geoid of the demo, added with `amis raster add`
to a store of its own and drawn with the blue-white-red ramp.

Oracle: GDAL reads the geoid value at the centre of a pixel of the map (the source file,
bilinear between the four nearest cells) and the ramp's colour for it is computed here
from the stops the README documents; the server's pixel must be that colour (within the
bilinear warp's tolerance). Where the raster has no data the map stays transparent.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from lxml import etree
from osgeo import gdal, osr

from support import AmisServer, http_session, run_amis
from wms_support import decode, image_response

GEOID = Path(__file__).resolve().parents[2] / "data" / "demo" / "asean3_egm96_geoid_15min.tif"
STOPS = [(0.0, (0x21, 0x66, 0xac)), (0.25, (0x67, 0xa9, 0xcf)), (0.5, (0xf7, 0xf7, 0xf7)),
         (0.75, (0xef, 0x8a, 0x62)), (1.0, (0xb2, 0x18, 0x2b))]
WMS_NS = "{http://www.opengis.net/wms}"


@pytest.fixture(scope="module")
def raster_server(tmp_path_factory):
    work = tmp_path_factory.mktemp("raster")
    store = work / "store.gpkg"
    added = run_amis("raster", "add", GEOID, "--id", "geoid", "--title", "EGM96 geoid", "--store", store)
    assert added.returncode == 0, added.stderr
    srv = AmisServer(store, work, name="raster")
    srv.start()
    with http_session() as s:
        yield srv, s, store
    assert srv.alive(), srv.stderr()
    srv.stop()


def source_range() -> tuple[float, float]:
    ds = gdal.Open(str(GEOID))
    lo, hi = ds.GetRasterBand(1).ComputeRasterMinMax(False)
    return lo, hi


def bilinear(lon: float, lat: float) -> float:
    """The geoid at (lon, lat), bilinear between the cell centres (GDAL's own convention)."""
    ds = gdal.Open(str(GEOID))
    t = ds.GetGeoTransform()
    a = ds.GetRasterBand(1).ReadAsArray().astype(float)
    fx, fy = (lon - t[0]) / t[1] - 0.5, (lat - t[3]) / t[5] - 0.5
    x0, y0 = int(math.floor(fx)), int(math.floor(fy))
    dx, dy = fx - x0, fy - y0
    v = a[y0:y0 + 2, x0:x0 + 2]
    return float(v[0, 0] * (1 - dx) * (1 - dy) + v[0, 1] * dx * (1 - dy) + v[1, 0] * (1 - dx) * dy + v[1, 1] * dx * dy)


def ramp(value: float, lo: float, hi: float) -> tuple[int, int, int]:
    f = (value - lo) / (hi - lo)
    for (a, ca), (b, cb) in zip(STOPS, STOPS[1:]):
        if f <= b:
            t = max(0.0, (f - a) / (b - a))
            return tuple(round(x + (y - x) * t) for x, y in zip(ca, cb))
    return STOPS[-1][1]


def get_map(s, base, crs, bbox, width, height, **extra):
    params = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "geoid", "STYLES": "",
              "CRS": crs, "BBOX": ",".join(map(str, bbox)), "WIDTH": width, "HEIGHT": height,
              "FORMAT": "image/png", "TRANSPARENT": "TRUE", **extra}
    return s.get(base + "/wms", params=params, timeout=60)


@pytest.mark.parametrize("lon, lat", [(103.8, 1.35), (106.8, -6.2), (139.7, 35.7), (80.0, 5.0), (150.0, -5.0)])
def test_pixel_colour_is_the_ramp_of_the_source_value(raster_server, lon, lat):
    srv, s, _ = raster_server
    lo, hi = source_range()
    # A CRS:84 map of 1 degree around the point, 40 x 40 px: the point at the centre of pixel (20, 20).
    res = 1 / 40
    bbox = (lon - 20.5 * res, lat - 19.5 * res, lon + 19.5 * res, lat + 20.5 * res)
    img = decode(image_response(get_map(s, srv.url, "CRS:84", bbox, 40, 40)))
    got = img.at(20, 20)
    want = ramp(bilinear(lon, lat), lo, hi)
    assert got[3] == 255
    assert max(abs(g - w) for g, w in zip(got[:3], want)) <= 6, (got, want, bilinear(lon, lat))


def test_web_mercator_map_matches_the_source(raster_server):
    srv, s, _ = raster_server
    lo, hi = source_range()
    wgs, merc = osr.SpatialReference(), osr.SpatialReference()
    wgs.ImportFromEPSG(4326)
    merc.ImportFromEPSG(3857)
    wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    merc.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_merc = osr.CoordinateTransformation(wgs, merc)
    to_wgs = osr.CoordinateTransformation(merc, wgs)
    x0, y0, _ = to_merc.TransformPoint(95.0, -5.0)
    x1, y1, _ = to_merc.TransformPoint(140.0, 40.0)
    w, h = 90, 100
    img = decode(image_response(get_map(s, srv.url, "EPSG:3857", (x0, y0, x1, y1), w, h)))
    worst = 0
    for col in range(5, w, 17):
        for row in range(5, h, 19):
            x = x0 + (col + 0.5) * (x1 - x0) / w
            y = y1 - (row + 0.5) * (y1 - y0) / h
            lon, lat, _ = to_wgs.TransformPoint(x, y)
            want = ramp(bilinear(lon, lat), lo, hi)
            got = img.at(col, row)
            worst = max(worst, max(abs(g - v) for g, v in zip(got[:3], want)))
    assert worst <= 8


def test_outside_the_raster_is_transparent(raster_server):
    srv, s, _ = raster_server
    img = decode(image_response(get_map(s, srv.url, "CRS:84", (-20.0, -60.0, 20.0, -30.0), 64, 48)))
    assert int(img.rgba[..., 3].max()) == 0


def test_capabilities_list_the_raster_layer(raster_server):
    srv, s, _ = raster_server
    r = s.get(srv.url + "/wms", params={"SERVICE": "WMS", "REQUEST": "GetCapabilities", "VERSION": "1.3.0"}, timeout=30)
    doc = etree.fromstring(r.content)
    layers = {l.findtext(WMS_NS + "Name"): l for l in doc.iter(WMS_NS + "Layer") if l.find(WMS_NS + "Name") is not None}
    geoid = layers["geoid"]
    assert geoid.get("queryable") == "0"
    box = geoid.find(WMS_NS + "EX_GeographicBoundingBox")
    ds = gdal.Open(str(GEOID))
    t = ds.GetGeoTransform()
    assert float(box.findtext(WMS_NS + "westBoundLongitude")) == pytest.approx(t[0], abs=1e-6)
    assert float(box.findtext(WMS_NS + "northBoundLatitude")) == pytest.approx(t[3], abs=1e-6)
    assert float(box.findtext(WMS_NS + "eastBoundLongitude")) == pytest.approx(t[0] + t[1] * ds.RasterXSize, abs=1e-6)


@pytest.mark.parametrize("extra, code", [
    ({"STYLES": "fancy"}, "StyleNotDefined"),
])
def test_raster_errors(raster_server, extra, code):
    srv, s, _ = raster_server
    r = get_map(s, srv.url, "CRS:84", (90, 0, 100, 10), 32, 32, **extra)
    assert r.status_code == 400 and f'code="{code}"' in r.text


def test_raster_is_not_queryable(raster_server):
    srv, s, _ = raster_server
    r = s.get(srv.url + "/wms", params={"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetFeatureInfo",
                                        "LAYERS": "geoid", "QUERY_LAYERS": "geoid", "STYLES": "", "CRS": "CRS:84",
                                        "BBOX": "0,90,10,100", "WIDTH": 10, "HEIGHT": 10, "I": 5, "J": 5}, timeout=30)
    assert r.status_code == 400 and 'code="LayerNotQueryable"' in r.text


def test_cli_refuses_an_unsafe_id_and_a_missing_file(raster_server, tmp_path):
    _, _, store = raster_server
    for args in (("--id", "../x"), ("--id", "a/b")):
        bad = run_amis("raster", "add", GEOID, *args, "--store", store)
        assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1, bad.stderr
    assert not (store.parent / "x.tif").exists()
    not_raster = tmp_path / "not.tif"
    not_raster.write_text("not a raster")
    bad = run_amis("raster", "add", not_raster, "--id", "broken", "--store", store)
    assert bad.returncode == 1 and "cannot read" in bad.stderr
