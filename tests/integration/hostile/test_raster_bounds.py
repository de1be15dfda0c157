"""Raster maps of absurd boxes. A Web Mercator GetMap of the geoid with BBOX=0,0,1e20,1e20
kept a server thread inside GDAL's warper (GDALWarpOperation::ComputeSourceWindow, where
no progress callback is asked) for days, long after its client had given up; 1e15 took
5 s. The server now warps only the pixels whose centres fall where the raster can have
values in the map's CRS, so such a map is answered at once, empty.

Oracle for the maps that do show the raster: GDAL's own warp (gdal.Warp, bilinear, the
same pixel grid) of the source file, read here; where it has a value the server's pixel
is opaque, elsewhere clear. One exception, on purpose: beyond Web Mercator's world
(|x| > 20,037,508 m) PROJ wraps longitudes, so GDAL draws the raster a second time
360 degrees away; the server draws it once, where the map's vector layers are.
"""
from __future__ import annotations

import threading

import numpy as np
import pytest
import requests
from osgeo import gdal

from bounds_support import GEOID, serving
from wms_support import decode, image_response

MERCATOR_WORLD = 20037508.342789244
ABSURD_BOXES = ["0,0,1e20,1e20", "-1e20,-1e20,1e20,1e20", "1e15,1e15,1e16,1e16", "0,0,1e15,1e15",
                "-1e300,-1e300,1e300,1e300"]


@pytest.fixture(scope="module")
def raster_server(tmp_path_factory, hostile_store):
    with serving(hostile_store, tmp_path_factory.mktemp("raster-bounds"), "raster-bounds",
                 "[server]\nwork_timeout_seconds = 5\n") as srv:
        yield srv


def get_map(s, srv, crs, bbox, width, height, timeout=30):
    return s.get(srv.url + "/wms", params={
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "geoid", "STYLES": "",
        "CRS": crs, "BBOX": bbox, "WIDTH": width, "HEIGHT": height, "FORMAT": "image/png",
        "TRANSPARENT": "TRUE"}, timeout=timeout)


@pytest.mark.parametrize("bbox", ABSURD_BOXES)
def test_absurd_web_mercator_box_is_answered_empty(raster_server, session, bbox):
    # Before the fix the first of these never came back (the client's 20 s ran out).
    r = get_map(session, raster_server, "EPSG:3857", bbox, 16, 16, timeout=20)
    img = decode(image_response(r))
    assert (img.rgba[:, :, 3] == 0).all(), "the geoid has no value anywhere in such a box"


def test_other_requests_are_answered_during_absurd_maps(raster_server):
    # Four absurd maps at once (more than the server has cores) and a capabilities
    # request after them: every one is answered.
    answers: list[int | str] = []

    def absurd():
        with requests.Session() as s:
            s.trust_env = False
            try:
                answers.append(get_map(s, raster_server, "EPSG:3857", ABSURD_BOXES[0], 16, 16, timeout=20).status_code)
            except requests.RequestException as e:
                answers.append(type(e).__name__)

    threads = [threading.Thread(target=absurd) for _ in range(4)]
    for t in threads:
        t.start()
    with requests.Session() as s:
        s.trust_env = False
        caps = s.get(raster_server.url + "/wms", params={"SERVICE": "WMS", "REQUEST": "GetCapabilities"}, timeout=20)
    for t in threads:
        t.join(30)
    assert caps.status_code == 200
    assert answers == [200] * 4


def gdal_warp(crs: str, bbox: tuple[float, float, float, float], width: int, height: int) -> np.ndarray:
    """The geoid warped by GDAL itself onto the map's pixel grid (NaN: no value)."""
    ds = gdal.Warp("", str(GEOID), format="MEM", dstSRS=crs, outputBounds=bbox, width=width, height=height,
                   resampleAlg="bilinear", dstNodata=float("nan"), outputType=gdal.GDT_Float32)
    return ds.GetRasterBand(1).ReadAsArray()


@pytest.mark.parametrize("crs, bbox, width, height", [
    ("EPSG:3857", (-4e7, -4e7, 4e7, 4e7), 256, 256),                 # twice the world
    ("EPSG:3857", (-20037508.34, -20037508.34, 20037508.34, 20037508.34), 200, 200),
    ("EPSG:3857", (8e6, -2e6, 1.8e7, 8e6), 128, 128),                # the region
    ("EPSG:32648", (-2e6, 0, 3e6, 6e6), 120, 144),                   # UTM 48N, far beyond its zone
    ("EPSG:3395", (1.7e7, 6.5e6, 1.9e7, 8.5e6), 64, 64),             # the raster's north-east corner
])
def test_the_raster_is_drawn_where_gdal_has_values(raster_server, session, crs, bbox, width, height):
    r = get_map(session, raster_server, crs, ",".join(map(str, bbox)), width, height)
    img = decode(image_response(r))
    want = ~np.isnan(gdal_warp(crs, bbox, width, height))
    if crs == "EPSG:3857":  # no wrapped copy beyond the world's edge
        centres = bbox[0] + (np.arange(width) + 0.5) * (bbox[2] - bbox[0]) / width
        want[:, np.abs(centres) > MERCATOR_WORLD] = False
    got = img.rgba[:, :, 3] == 255
    assert want.any(), "the oracle draws nothing: a useless case"
    differ = np.argwhere(want != got)
    assert len(differ) == 0, f"{len(differ)} pixels differ in having a value, first (row, col) {differ[:5].tolist()}"
