"""GeoTIFF answers are written while they are sent (coverage/geotiff_stream.hpp): a large
native window goes out in chunks, with the values, georeferencing, CRS, band names, units
and nodata that gdal_translate gives on the stored COG, through OGC API - Coverages,
WCS 2.0.1 and WCS 1.0.0 and GDAL's own WCS driver; a client that stops reading holds one
row of tiles of the answer budget ([coverages] memory_budget_mb), not its whole answer,
so that other windows are still served meanwhile; large scaled and reprojected views
(16 MB and more) are streamed too, with gdal_translate's and gdalwarp's values."""
from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import numpy as np
import pytest
from osgeo import gdal, osr

from coverage_support import GEOTIFF, NODATA, read_all, stored_cog, translate, warp
from support import AmisServer, http_session, run_amis

gdal.UseExceptions()

WIDTH, HEIGHT = 2000, 1500  # 12 MB a band of Float32: the answers are far beyond the 1 MB sent whole
ORIGIN, CELL = (300000.0, 2000000.0), 250.0
BANDS = [("Bouguer", "mGal"), ("TMI", "nT"), ("Th", "ppm")]


def write_grid(path):
    ds = gdal.GetDriverByName("GTiff").Create(str(path), WIDTH, HEIGHT, len(BANDS), gdal.GDT_Float32)
    ds.SetGeoTransform((ORIGIN[0], CELL, 0, ORIGIN[1], 0, -CELL))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32647)
    ds.SetProjection(srs.ExportToWkt())
    rng = np.random.default_rng(20261206)
    for i, (name, unit) in enumerate(BANDS, start=1):
        values = rng.normal(100 * i, 25, size=(HEIGHT, WIDTH)).astype(np.float32)
        values[700:720, 900:1000] = NODATA
        band = ds.GetRasterBand(i)
        band.WriteArray(values)
        band.SetNoDataValue(NODATA)
        band.SetDescription(name)
        band.SetUnitType(unit)
    ds = None


@pytest.fixture(scope="module")
def big(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("streamed")
    store, grid = work / "store.gpkg", work / "survey.tif"
    write_grid(grid)
    added = run_amis("raster", "add", grid, "--id", "survey", "--title", "Airborne survey", "--store", store)
    assert added.returncode == 0, added.stderr
    config = work / "amis.toml"
    # An answer budget of 8 MB: a whole 36 MB answer is 4.5 times more; a row of tiles
    # (2,000 cells x 512 rows x 4 bytes, 4 MB) fits twice.
    config.write_text("[coverages]\nmax_response_mb = 64\nmemory_budget_mb = 8\nmemory_wait_seconds = 3\n")
    server = AmisServer(store, work, name="streamed", config=config)
    server.start()
    with http_session() as s:
        yield server, store, s
    alive = server.alive()
    server.stop()
    assert alive, server.stderr()


def assert_is_the_window(content: bytes, store, bands, x=0, y=0, w=WIDTH, h=HEIGHT):
    values, gt, wkt = read_all(content)
    options = ["-srcwin", str(x), str(y), str(w), str(h)]
    for b in bands:
        options += ["-b", str(b)]
    expected, egt = translate(stored_cog(store, "survey"), *options)
    assert values.shape == (len(bands), h, w)
    assert np.array_equal(values, expected)
    assert gt == pytest.approx(egt)
    got = osr.SpatialReference(wkt=wkt)
    assert got.GetAuthorityCode(None) == "32647"


def test_a_large_native_window_is_sent_in_chunks_value_for_value(big):
    server, store, s = big
    r = s.get(server.url + "/collections/survey/coverage", params={"f": "geotiff"}, timeout=120)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["Content-Type"] == GEOTIFF
    assert r.headers.get("Transfer-Encoding") == "chunked" and "Content-Length" not in r.headers
    assert len(r.content) > 3 * WIDTH * HEIGHT * 4
    assert_is_the_window(r.content, store, [1, 2, 3])
    name = "/vsimem/streamed_bands.tif"
    gdal.FileFromMemBuffer(name, r.content)
    try:
        ds = gdal.Open(name)
        assert [(ds.GetRasterBand(i).GetDescription(), ds.GetRasterBand(i).GetUnitType(),
                 ds.GetRasterBand(i).GetNoDataValue()) for i in (1, 2, 3)] == [(n, u, NODATA) for n, u in BANDS]
    finally:
        gdal.Unlink(name)


def test_wcs_20_and_10_windows_with_band_subsets(big):
    server, store, s = big
    r = s.get(server.url + "/wcs", params={
        "SERVICE": "WCS", "VERSION": "2.0.1", "REQUEST": "GetCoverage", "COVERAGEID": "survey",
        "SUBSET": ["E(350000,700000)", "N(1700000,1950000)"], "RANGESUBSET": "Th,Bouguer"}, timeout=120)
    assert r.status_code == 200, r.text[:500]
    assert r.headers.get("Transfer-Encoding") == "chunked"
    assert_is_the_window(r.content, store, [3, 1], x=200, y=200, w=1400, h=1000)
    r = s.get(server.url + "/wcs", params={
        "SERVICE": "WCS", "VERSION": "1.0.0", "REQUEST": "GetCoverage", "COVERAGE": "survey", "CRS": "EPSG:32647",
        "BBOX": f"{ORIGIN[0]},{ORIGIN[1] - HEIGHT * CELL},{ORIGIN[0] + WIDTH * CELL},{ORIGIN[1]}",
        "WIDTH": str(WIDTH), "HEIGHT": str(HEIGHT), "FORMAT": "GeoTIFF"}, timeout=120)
    assert r.status_code == 200, r.text[:500]
    assert_is_the_window(r.content, store, [1, 2, 3])


def test_gdal_wcs_driver_reads_a_streamed_window(big, tmp_path):
    server, store, _ = big
    gdal.SetConfigOption("GDAL_HTTP_UNSAFESSL", None)
    ds = gdal.Open(f"WCS:{server.url}/wcs?version=2.0.1&coverage=survey")
    assert (ds.RasterXSize, ds.RasterYSize, ds.RasterCount) == (WIDTH, HEIGHT, 3)
    got = ds.GetRasterBand(2).ReadAsArray(500, 300, 1024, 900)
    expected, _ = translate(stored_cog(store, "survey"), "-srcwin", "500", "300", "1024", "900", "-b", "2")
    assert np.array_equal(got, expected[0])


def _start_and_stall(url: str, query: str = "f=geotiff") -> socket.socket:
    """Asks for the grid and reads only the status line: the server's writes stall."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.sendall(f"GET /collections/survey/coverage?{query} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
    assert sock.recv(64).startswith(b"HTTP/1.1 200")
    return sock


def test_clients_that_stop_reading_hold_a_row_of_tiles_not_their_answers(big):
    server, store, s = big
    # The whole grid (36 MB) and a scaled view of it (61 MB), both stalled.
    stalled = [_start_and_stall(server.url), _start_and_stall(server.url, "f=geotiff&scale-size=E(2600),N(1950)")]
    try:
        time.sleep(0.5)  # their writes have filled the sockets' buffers and wait
        # The stalled answers hold a row buffer each (4 MB and less) of the 8 MB budget:
        # whole answers held the whole budget until sent, and these waited their 3 s and
        # got 503.
        for x in (0, 1000):
            r = s.get(server.url + "/collections/survey/coverage", timeout=60, params={
                "f": "geotiff", "subset": f"E({ORIGIN[0] + x * CELL}:{ORIGIN[0] + (x + 1000) * CELL})",
                "properties": "TMI"})
            assert r.status_code == 200, r.text[:300]
            assert_is_the_window(r.content, store, [2], x=x, w=1000)
    finally:
        for sock in stalled:
            sock.close()
    assert server.alive(), server.stderr()


def test_large_scaled_and_reprojected_views_are_streamed(big):
    server, store, s = big
    r = s.get(server.url + "/collections/survey/coverage", timeout=120,
              params={"f": "geotiff", "scale-size": "E(2600),N(1950)"})
    assert r.status_code == 200, r.text[:500]
    assert r.headers.get("Transfer-Encoding") == "chunked" and "Content-Length" not in r.headers
    values, gt, _ = read_all(r.content)
    expected, egt = translate(stored_cog(store, "survey"), "-outsize", "2600", "1950", "-r", "nearest")
    assert values.shape == (3, 1950, 2600)
    assert np.array_equal(values, expected)
    assert gt == pytest.approx(egt)
    r = s.get(server.url + "/collections/survey/coverage", timeout=120,
              params={"f": "geotiff", "crs": "http://www.opengis.net/def/crs/EPSG/0/3857"})
    assert r.status_code == 200, r.text[:500]
    assert r.headers.get("Transfer-Encoding") == "chunked"
    assert len(r.content) > 16 << 20
    # gdalwarp on the same grid: its approximate transformer (0.125 cell) is fitted per
    # chunk, and AMIS's view is warped in other chunks than gdalwarp's, so on these random
    # values a nearest neighbour differs at ~1% of cells; a wrong CRS, box or shift would
    # leave almost none equal.
    values, gt, _ = read_all(r.content)
    h, w = values.shape[1:]
    te = [gt[0], gt[3] + h * gt[5], gt[0] + w * gt[1], gt[3]]
    expected, egt = warp(stored_cog(store, "survey"), "-t_srs", "EPSG:3857", "-te", *map(str, te),
                         "-ts", str(w), str(h), "-r", "near")
    assert gt == pytest.approx(egt)
    assert values.shape == expected.shape and values.shape[0] == 3
    assert (values == expected).mean() > 0.98
    assert abs((values == NODATA).mean() - (expected == NODATA).mean()) < 0.001
