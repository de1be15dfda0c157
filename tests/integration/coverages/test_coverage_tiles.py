"""Map tiles and WMTS layers of coverages (raster layers), and their hillshade style.

Oracles, computed here from the stored COG with GDAL and never from AMIS's output:
- a tile in the colour ramp is gdalwarp (bilinear, nodata NaN) of the COG onto the tile's
  grid, coloured with the ramp the docs give (ColorBrewer RdBu reversed from the band's
  minimum to its maximum); cells without data are clear;
- a hillshade tile is `gdaldem hillshade -compute_edges` (GDAL's Horn method, 315 / 45,
  -s 111120 on a geographic grid) of gdalwarp onto the tile's grid widened by a pixel;
- the same tile by WMS GetMap (same box and size), WMTS KVP and REST, OWSLib and GDAL's WMTS
  driver; the capabilities are valid against wmts/1.0 (xmllint, offline copies).
"""
from __future__ import annotations

import subprocess
import uuid

import numpy as np
import pytest
from osgeo import gdal, osr
from owslib.wmts import WebMapTileService

from coverage_support import OGC_SCHEMAS, NODATA, stored_cog, write_utm_grid
from support import run_amis
from wmts_support import mercator

STOPS = [(0.0, (0x21, 0x66, 0xac)), (0.25, (0x67, 0xa9, 0xcf)), (0.5, (0xf7, 0xf7, 0xf7)),
         (0.75, (0xef, 0x8a, 0x62)), (1.0, (0xb2, 0x18, 0x2b))]
HALF = 20037508.342789244
WMTS_XSD = OGC_SCHEMAS / "wmts" / "1.0" / "wmtsGetCapabilities_response.xsd"
WMTS_NS = {"wmts": "http://www.opengis.net/wmts/1.0", "ows": "http://www.opengis.net/ows/1.1"}

# (tile matrix set, level, a lon/lat in the tile): tiles over the geoid (no nodata) and over
# the synthetic UTM grid's edge and its block of nodata cells (about 106.2 E, 14.4 N).
GEOID_TILES = [("WebMercatorQuad", 4, 110.0, 10.0), ("WorldCRS84Quad", 3, 100.0, 20.0),
               ("WebMercatorQuad", 6, 153.0, 54.0)]
RELIEF_TILES = [("WebMercatorQuad", 9, 105.0, 10.75), ("WorldCRS84Quad", 8, 105.0, 10.75)]
MAGNETICS_TILES = [("WebMercatorQuad", 9, 106.2, 14.4), ("WorldCRS84Quad", 8, 106.2, 14.4),
                   ("WebMercatorQuad", 7, 107.0, 13.5)]


@pytest.fixture(scope="module")
def relief(coverage_env, tmp_path_factory) -> str:
    """A synthetic elevation grid (steep hills up to about 2,500 m on 0.005 degree cells of WGS 84,
    with a block of nodata) added as the coverage "relief"."""
    path = tmp_path_factory.mktemp("relief") / "relief.tif"
    w, h = 400, 300
    ds = gdal.GetDriverByName("GTiff").Create(str(path), w, h, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((104.0, 0.005, 0, 11.5, 0, -0.005))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    ds.SetProjection(srs.ExportToWkt())
    rows, cols = np.mgrid[0:h, 0:w].astype(np.float64)
    z = np.zeros((h, w))
    for cx, cy, height, radius in [(150, 120, 2500, 15), (260, 200, 1400, 20), (230, 110, 1900, 12), (80, 230, 600, 30)]:
        z += height * np.exp(-((cols - cx) ** 2 + (rows - cy) ** 2) / (2 * radius ** 2))
    z += 40 * np.sin(cols / 9.0) * np.cos(rows / 13.0)
    z[140:170, 180:220] = NODATA
    band = ds.GetRasterBand(1)
    band.WriteArray(z.astype(np.float32))
    band.SetNoDataValue(NODATA)
    ds = None
    added = run_amis("raster", "add", path, "--id", "relief", "--units", "m", "--store", coverage_env.store)
    assert added.returncode == 0, added.stderr
    return "relief"


def tile_of(tms: str, z: int, lon: float, lat: float) -> tuple[int, int, tuple[float, float, float, float]]:
    """(row, col, bounds) of the tile holding the point, from the tile matrix set's definition."""
    if tms == "WebMercatorQuad":
        x, y = mercator(lon, lat)
        span = 2 * HALF / 2 ** z
        col, row = int((x + HALF) // span), int((HALF - y) // span)
        minx, maxy = -HALF + col * span, HALF - row * span
    else:
        span = 180.0 / 2 ** z
        col, row = int((lon + 180) // span), int((90 - lat) // span)
        minx, maxy = -180 + col * span, 90 - row * span
    return row, col, (minx, maxy - span, minx + span, maxy)


def target_srs(tms: str) -> str:
    return "EPSG:3857" if tms == "WebMercatorQuad" else "OGC:CRS84"


def decode(content: bytes) -> np.ndarray:
    path = f"/vsimem/tile-{uuid.uuid4().hex}.png"
    gdal.FileFromMemBuffer(path, content)
    try:
        ds = gdal.Open(path)
        data = ds.ReadAsArray()
        assert data.shape[0] == 4, data.shape
        return np.dstack(list(data)).astype(np.int32)
    finally:
        gdal.Unlink(path)


def band_range(cog) -> tuple[float, float]:
    ds = gdal.Open(str(cog))
    lo, hi = ds.GetRasterBand(1).ComputeRasterMinMax(False)
    return lo, hi


def first_band(cog) -> str:
    """A VRT of the COG's first band (GDAL 3.6's gdalwarp has no -b)."""
    path = f"/vsimem/band1-{uuid.uuid4().hex}.vrt"
    gdal.Translate(path, str(cog), format="VRT", bandList=[1])
    return path


def warped(cog, tms: str, bounds, size: int) -> np.ndarray:
    """gdalwarp -r bilinear of the COG's first band onto the grid (NaN where no data)."""
    path = f"/vsimem/warp-{uuid.uuid4().hex}.tif"
    ds = gdal.Warp(path, first_band(cog), options=["-t_srs", target_srs(tms), "-te", *map(str, bounds), "-ts", str(size),
                                            str(size), "-r", "bilinear", "-ot", "Float32", "-dstnodata", "nan"])
    try:
        return ds.GetRasterBand(1).ReadAsArray().astype(np.float64)
    finally:
        ds = None
        gdal.Unlink(path)


def ramp(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """RGBA of the documented ramp (alpha 0 where NaN)."""
    f = (values - lo) / (hi - lo if hi > lo else 1)
    out = np.zeros(values.shape + (4,), dtype=np.float64)
    at = [s[0] for s in STOPS]
    for k in range(3):
        out[..., k] = np.interp(f, at, [s[1][k] for s in STOPS])
    out[..., 3] = 255
    out[np.isnan(values)] = 0
    return np.rint(out).astype(np.int32)


def assert_like(got: np.ndarray, expected: np.ndarray, what: str, colour_tolerance: int = 3):
    """The clear pixels agree (but for a thin border where the warp meets nodata) and the
    colours of pixels painted in both agree within the bilinear warp's rounding."""
    clear_got, clear_expected = got[..., 3] == 0, expected[..., 3] == 0
    disagree = np.count_nonzero(clear_got != clear_expected)
    assert disagree <= 0.005 * clear_got.size, f"{what}: {disagree} pixels differ in transparency"
    both = ~clear_got & ~clear_expected
    diff = np.abs(got[both][:, :3] - expected[both][:, :3]).max(axis=1) if both.any() else np.zeros(0)
    assert np.count_nonzero(diff > colour_tolerance) <= 0.005 * max(1, both.sum()), \
        f"{what}: colours differ by up to {diff.max()}"
    return both.sum(), clear_got.sum()


def tile_url(env, layer: str, tms: str, z: int, row: int, col: int, style: str | None = None) -> str:
    styled = f"/styles/{style}" if style else ""
    return f"{env.url}/collections/{layer}{styled}/map/tiles/{tms}/{z}/{row}/{col}"


def get_tile(env, layer, tms, z, row, col, style=None, **params) -> bytes:
    r = env.session.get(tile_url(env, layer, tms, z, row, col, style), params=params, timeout=120)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["Content-Type"].startswith("image/png"), r.headers
    return r.content


@pytest.mark.parametrize("layer, tms, z, lon, lat",
                         [("geoid", *t) for t in GEOID_TILES] + [("magnetics", *t) for t in MAGNETICS_TILES])
def test_map_tile_is_gdalwarp_through_the_ramp(coverage_env, layer, tms, z, lon, lat):
    cog = stored_cog(coverage_env.store, layer)
    row, col, bounds = tile_of(tms, z, lon, lat)
    got = decode(get_tile(coverage_env, layer, tms, z, row, col))
    expected = ramp(warped(cog, tms, bounds, 256), *band_range(cog))
    painted, clear = assert_like(got, expected, f"{layer} {tms}/{z}/{row}/{col}")
    assert painted > 1000, "the tile is (nearly) empty"
    if layer == "magnetics" and z >= 8:  # the block of nodata cells is in it, clear
        assert clear > 100


def test_tile_outside_the_coverage_is_clear(coverage_env):
    row, col, _ = tile_of("WebMercatorQuad", 5, -60.0, -30.0)
    got = decode(get_tile(coverage_env, "geoid", "WebMercatorQuad", 5, row, col))
    assert np.all(got[..., 3] == 0)


def test_opaque_tile_is_white_where_the_grid_has_no_data(coverage_env):
    tms, z, lon, lat = MAGNETICS_TILES[0]
    row, col, _ = tile_of(tms, z, lon, lat)
    clear = decode(get_tile(coverage_env, "magnetics", tms, z, row, col))
    opaque = decode(get_tile(coverage_env, "magnetics", tms, z, row, col, transparent="false"))
    assert np.all(opaque[..., 3] == 255)
    empty = clear[..., 3] == 0
    assert empty.sum() > 100 and np.all(opaque[empty][:, :3] == 255)
    painted = clear[..., 3] == 255
    assert np.array_equal(opaque[painted], clear[painted])
    r = coverage_env.session.get(tile_url(coverage_env, "magnetics", tms, z, row, col), params={"transparent": "maybe"},
                                 timeout=60)
    assert r.status_code == 400


@pytest.mark.parametrize("layer, tms, z, lon, lat", [("geoid", *GEOID_TILES[0]), ("magnetics", *MAGNETICS_TILES[0])])
def test_map_tile_equals_wms_getmap(coverage_env, layer, tms, z, lon, lat):
    row, col, bounds = tile_of(tms, z, lon, lat)
    tile = decode(get_tile(coverage_env, layer, tms, z, row, col))
    r = coverage_env.session.get(coverage_env.url + "/wms", params={
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": layer, "STYLES": "",
        "CRS": "EPSG:3857", "BBOX": ",".join(map(repr, bounds)), "WIDTH": 256, "HEIGHT": 256,
        "FORMAT": "image/png", "TRANSPARENT": "TRUE"}, timeout=120)
    assert r.status_code == 200, r.text[:400]
    assert np.array_equal(decode(r.content), tile)


def hillshade_oracle(cog, tms: str, bounds, size: int, **light) -> np.ndarray:
    """gdaldem hillshade -compute_edges of gdalwarp onto the tile's grid widened by a pixel,
    its middle as grey RGBA (clear where the band has no data)."""
    px = (bounds[2] - bounds[0]) / size
    wide = (bounds[0] - px, bounds[1] - px, bounds[2] + px, bounds[3] + px)
    elevation = f"/vsimem/elev-{uuid.uuid4().hex}.tif"
    shade = f"/vsimem/shade-{uuid.uuid4().hex}.tif"
    gdal.Warp(elevation, first_band(cog), options=["-t_srs", target_srs(tms), "-te", *map(str, wide), "-ts",
                                            str(size + 2), str(size + 2), "-r", "bilinear", "-ot", "Float32",
                                            "-dstnodata", "nan"])
    scale = 111120 if tms == "WorldCRS84Quad" else 1
    ds = gdal.DEMProcessing(shade, elevation, "hillshade", computeEdges=True, scale=scale, **light)
    grey = ds.GetRasterBand(1).ReadAsArray()[1:-1, 1:-1].astype(np.int32)
    ds = None
    src = gdal.Open(elevation)
    values = src.GetRasterBand(1).ReadAsArray()[1:-1, 1:-1]
    src = None
    gdal.Unlink(elevation)
    gdal.Unlink(shade)
    out = np.dstack([grey, grey, grey, np.full(grey.shape, 255, dtype=np.int32)])
    out[np.isnan(values)] = 0
    return out


@pytest.mark.parametrize("layer, tms, z, lon, lat",
                         [("geoid", *GEOID_TILES[0]), ("geoid", *GEOID_TILES[1]), ("magnetics", *MAGNETICS_TILES[0]),
                          ("relief", *RELIEF_TILES[0]), ("relief", *RELIEF_TILES[1])])
def test_hillshade_tile_is_gdaldem_hillshade(coverage_env, relief, layer, tms, z, lon, lat):
    cog = stored_cog(coverage_env.store, layer)
    row, col, bounds = tile_of(tms, z, lon, lat)
    got = decode(get_tile(coverage_env, layer, tms, z, row, col, style="hillshade"))
    expected = hillshade_oracle(cog, tms, bounds, 256)
    painted, _ = assert_like(got, expected, f"hillshade {layer} {tms}/{z}/{row}/{col}", colour_tolerance=1)
    assert painted > 1000
    if layer == "relief":  # hills: light and shadow, and the nodata block clear
        assert np.ptp(got[..., 0][got[..., 3] > 0]) > 60, "a flat shade: no relief drawn"
        assert np.count_nonzero(got[..., 3] == 0) > 100


def test_wms_hillshade_style_equals_the_tile(coverage_env):
    tms, z, lon, lat = GEOID_TILES[0]
    row, col, bounds = tile_of(tms, z, lon, lat)
    tile = decode(get_tile(coverage_env, "geoid", tms, z, row, col, style="hillshade"))
    r = coverage_env.session.get(coverage_env.url + "/wms", params={
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "geoid", "STYLES": "hillshade",
        "CRS": "EPSG:3857", "BBOX": ",".join(map(repr, bounds)), "WIDTH": 256, "HEIGHT": 256,
        "FORMAT": "image/png", "TRANSPARENT": "TRUE"}, timeout=120)
    assert r.status_code == 200, r.text[:400]
    assert np.array_equal(decode(r.content), tile)
    caps = coverage_env.session.get(coverage_env.url + "/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0",
                                    timeout=60).text
    assert "<Name>hillshade</Name>" in caps


@pytest.mark.parametrize("tms, z, lon, lat", RELIEF_TILES)
def test_hillshade_under_another_light_is_gdaldems(coverage_env, relief, tms, z, lon, lat):
    """azimuth / altitude / z-factor on the tiles (AZIMUTH / ALTITUDE / ZFACTOR in WMS) are
    gdaldem's -az / -alt / -z."""
    cog = stored_cog(coverage_env.store, "relief")
    row, col, bounds = tile_of(tms, z, lon, lat)
    plain = decode(get_tile(coverage_env, "relief", tms, z, row, col, style="hillshade"))
    got = decode(get_tile(coverage_env, "relief", tms, z, row, col, style="hillshade", azimuth="90", altitude="30",
                          **{"z-factor": "3"}))
    expected = hillshade_oracle(cog, tms, bounds, 256, azimuth=90, altitude=30, zFactor=3)
    assert_like(got, expected, f"hillshade 90/30/3 {tms}/{z}/{row}/{col}", colour_tolerance=1)
    assert np.count_nonzero(np.abs(got[..., 0].astype(int) - plain[..., 0]) > 20) > 1000  # not the cached default
    r = coverage_env.session.get(coverage_env.url + "/wms", params={
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "relief", "STYLES": "hillshade",
        "CRS": "EPSG:3857" if tms == "WebMercatorQuad" else "CRS:84", "BBOX": ",".join(map(repr, bounds)),
        "WIDTH": 256, "HEIGHT": 256, "FORMAT": "image/png", "TRANSPARENT": "TRUE", "AZIMUTH": "90", "ALTITUDE": "30",
        "ZFACTOR": "3"}, timeout=120)
    assert r.status_code == 200, r.text[:400]
    # The same shade; the box written in decimal may move a steep cell's shade by one grey level.
    diff = np.abs(decode(r.content) - got)
    assert diff.max() <= 1 and np.count_nonzero(diff) < 0.001 * diff.size, (np.count_nonzero(diff), diff.max())


@pytest.mark.parametrize("params", [{"azimuth": "400"}, {"altitude": "-1"}, {"z-factor": "0"}, {"z-factor": "abc"},
                                    {"azimuth": "nan"}])
def test_an_impossible_light_is_a_400(coverage_env, params):
    row, col, _ = tile_of(*GEOID_TILES[0][:2], *GEOID_TILES[0][2:])
    r = coverage_env.session.get(tile_url(coverage_env, "geoid", GEOID_TILES[0][0], GEOID_TILES[0][1], row, col,
                                          "hillshade"), params=params, timeout=60)
    assert r.status_code == 400, r.text[:300]
    wms = {k.upper().replace("-", ""): v for k, v in params.items()}
    r = coverage_env.session.get(coverage_env.url + "/wms", params={
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetLegendGraphic", "LAYER": "geoid", "STYLE": "hillshade",
        "FORMAT": "image/png", **wms}, timeout=60)
    assert r.status_code == 400 and "InvalidParameterValue" in r.text, r.text[:300]


def plane_shade(slope_degrees: float, facing_light: bool, azimuth=315.0, altitude=45.0, z=1.0) -> int:
    """gdaldem hillshade of a plane of that slope (1 m cells), in the middle."""
    n = 9
    rise = np.tan(np.radians(slope_degrees))
    # A plane facing the light goes down towards it.
    towards = np.radians(azimuth)
    dx, dy = np.sin(towards), np.cos(towards)  # unit vector towards the light (east, north)
    cols, rows = np.meshgrid(np.arange(n, dtype=np.float64), np.arange(n, dtype=np.float64))
    east, north = cols, -rows
    height = (east * dx + north * dy) * rise
    elev = f"/vsimem/plane-{uuid.uuid4().hex}.tif"
    ds = gdal.GetDriverByName("GTiff").Create(elev, n, n, 1, gdal.GDT_Float64)
    ds.SetGeoTransform((0, 1, 0, n, 0, -1))
    ds.GetRasterBand(1).WriteArray(-height if facing_light else height)
    ds = None
    shade = gdal.DEMProcessing(f"/vsimem/shade-{uuid.uuid4().hex}.tif", elev, "hillshade", azimuth=azimuth,
                               altitude=altitude, zFactor=z)
    value = int(shade.GetRasterBand(1).ReadAsArray()[n // 2, n // 2])
    shade = None
    gdal.Unlink(elev)
    return value


@pytest.mark.parametrize("light", [{}, {"AZIMUTH": "90", "ALTITUDE": "30", "ZFACTOR": "2"}])
def test_hillshade_legend_is_gdaldem_on_planes(coverage_env, light):
    """GetLegendGraphic STYLE=hillshade: the grey of a 30-degree slope facing the light, flat
    ground and a 30-degree slope facing away, as gdaldem shades planes under the same light."""
    r = coverage_env.session.get(coverage_env.url + "/wms", params={
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetLegendGraphic", "LAYER": "geoid", "STYLE": "hillshade",
        "FORMAT": "image/png", **light}, timeout=60)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png", r.text[:300]
    img = decode(r.content)
    rows = [tuple(int(v) for v in img[24 * k + 12, 12]) for k in range(img.shape[0] // 24)]
    az, alt, z = float(light.get("AZIMUTH", 315)), float(light.get("ALTITUDE", 45)), float(light.get("ZFACTOR", 1))
    want = [plane_shade(30, True, az, alt, z), plane_shade(0, True, az, alt, z), plane_shade(30, False, az, alt, z)]
    assert len(rows) == 3
    for got, grey in zip(rows, want):
        assert got[3] == 255 and got[0] == got[1] == got[2] and abs(got[0] - grey) <= 1, (rows, want)
    assert want[0] > want[1] > want[2]


def test_tilesets_of_a_coverage(coverage_env):
    doc = coverage_env.session.get(coverage_env.url + "/collections/geoid/map/tiles", timeout=60).json()
    assert {t["dataType"] for t in doc["tilesets"]} == {"map"}
    ts = coverage_env.session.get(coverage_env.url + "/collections/geoid/map/tiles/WebMercatorQuad", timeout=60).json()
    lower, upper = ts["boundingBox"]["lowerLeft"], ts["boundingBox"]["upperRight"]
    ds = gdal.Open(str(stored_cog(coverage_env.store, "geoid")))
    gt = ds.GetGeoTransform()
    assert lower == pytest.approx([gt[0], gt[3] + ds.RasterYSize * gt[5]])
    assert upper == pytest.approx([gt[0] + ds.RasterXSize * gt[1], gt[3]])
    assert any(link["type"] == "image/png" and link["rel"] == "item" for link in ts["links"])
    collection = coverage_env.session.get(coverage_env.url + "/collections/geoid", timeout=60).json()
    assert any(link["rel"].endswith("tilesets-map") for link in collection["links"])


@pytest.mark.parametrize("path, status", [
    ("/collections/geoid/styles/nope/map/tiles/WebMercatorQuad/0/0/0", 404),
    ("/collections/geoid/tiles/WebMercatorQuad/0/0/0", 404),
    ("/collections/geoid/map/tiles/WebMercatorQuad/0/1/0", 404),
    ("/collections/geoid/map/tiles/WebMercatorQuad/0/0/0?filter=N>1", 400),
    ("/collections/geoid/map/tiles/WebMercatorQuad/0/0/0?f=tiff", 406),
])
def test_bad_tile_requests(coverage_env, path, status):
    r = coverage_env.session.get(coverage_env.url + path, timeout=60)
    assert r.status_code == status, r.text[:300]
    assert r.headers["Content-Type"].startswith("application/"), r.headers


# ----------------------------------------------------------------------------------- WMTS


def wmts_capabilities(env) -> bytes:
    r = env.session.get(env.url + "/wmts/1.0.0/WMTSCapabilities.xml", timeout=60)
    assert r.status_code == 200
    return r.content


def test_wmts_capabilities_are_schema_valid_with_coverage_layers(coverage_env, tmp_path):
    from lxml import etree

    content = wmts_capabilities(coverage_env)
    doc = tmp_path / "wmts.xml"
    doc.write_bytes(content)
    env = {"XML_CATALOG_FILES": str(OGC_SCHEMAS / "catalog.xml"), "PATH": "/usr/bin:/bin"}
    run = subprocess.run(["xmllint", "--nonet", "--noout", "--schema", str(WMTS_XSD), str(doc)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    root = etree.fromstring(content)
    for layer in ("geoid", "magnetics"):
        found = root.xpath(f"//wmts:Layer[ows:Identifier='{layer}']", namespaces=WMTS_NS)
        assert len(found) == 1
        styles = found[0].xpath("wmts:Style/ows:Identifier/text()", namespaces=WMTS_NS)
        assert styles == ["default", "hillshade"]
        formats = found[0].xpath("wmts:Format/text()", namespaces=WMTS_NS)
        assert "image/png" in formats and "application/vnd.mapbox-vector-tile" not in formats


@pytest.mark.parametrize("style", ["default", "hillshade"])
def test_wmts_kvp_and_rest_equal_the_ogcapi_tile(coverage_env, style):
    tms, z, lon, lat = MAGNETICS_TILES[0]
    row, col, _ = tile_of(tms, z, lon, lat)
    api = get_tile(coverage_env, "magnetics", tms, z, row, col, style=None if style == "default" else style)
    rest = coverage_env.session.get(
        f"{coverage_env.url}/wmts/1.0.0/magnetics/{style}/{tms}/{z}/{row}/{col}.png", timeout=60)
    kvp = coverage_env.session.get(coverage_env.url + "/wmts", params={
        "SERVICE": "WMTS", "VERSION": "1.0.0", "REQUEST": "GetTile", "LAYER": "magnetics", "STYLE": style,
        "FORMAT": "image/png", "TILEMATRIXSET": tms, "TILEMATRIX": z, "TILEROW": row, "TILECOL": col}, timeout=60)
    for r in (rest, kvp):
        assert r.status_code == 200, r.text[:300]
        assert np.array_equal(decode(r.content), decode(api))


@pytest.mark.parametrize("tms, z, lon, lat", RELIEF_TILES[:1])
def test_wmts_hillshade_light_is_a_dimension_and_gdaldems(coverage_env, relief, tms, z, lon, lat):
    """A raster layer's Azimuth / Altitude / ZFactor dimensions (KVP parameters, and the RESTful
    template's query) light its hillshade style as gdaldem's -az / -alt / -z do."""
    from lxml import etree

    root = etree.fromstring(wmts_capabilities(coverage_env))
    found = root.xpath("//wmts:Layer[ows:Identifier='relief']", namespaces=WMTS_NS)[0]
    dims = {d.findtext("ows:Identifier", namespaces=WMTS_NS): d.findtext("wmts:Default", namespaces=WMTS_NS)
            for d in found.xpath("wmts:Dimension", namespaces=WMTS_NS)}
    assert dims == {"Azimuth": "315", "Altitude": "45", "ZFactor": "1"}
    template = found.xpath("wmts:ResourceURL[@format='image/png']/@template", namespaces=WMTS_NS)[0]
    assert all("{" + d + "}" in template for d in dims)
    cog = stored_cog(coverage_env.store, "relief")
    row, col, bounds = tile_of(tms, z, lon, lat)
    expected = hillshade_oracle(cog, tms, bounds, 256, azimuth=90, altitude=30, zFactor=3)
    kvp = coverage_env.session.get(coverage_env.url + "/wmts", params={
        "SERVICE": "WMTS", "VERSION": "1.0.0", "REQUEST": "GetTile", "LAYER": "relief", "STYLE": "hillshade",
        "FORMAT": "image/png", "TILEMATRIXSET": tms, "TILEMATRIX": z, "TILEROW": row, "TILECOL": col,
        "AZIMUTH": "90", "ALTITUDE": "30", "ZFACTOR": "3"}, timeout=60)
    url = (template.replace("{Style}", "hillshade").replace("{TileMatrixSet}", tms).replace("{TileMatrix}", str(z))
           .replace("{TileRow}", str(row)).replace("{TileCol}", str(col)).replace("{Azimuth}", "90")
           .replace("{Altitude}", "30").replace("{ZFactor}", "3"))
    rest = coverage_env.session.get(url, timeout=60)
    for r in (kvp, rest):
        assert r.status_code == 200, r.text[:300]
        assert_like(decode(r.content), expected, f"WMTS hillshade 90/30/3 {tms}/{z}/{row}/{col}", colour_tolerance=1)
    # The defaults are the plain hillshade; the light leaves the colour ramp alone.
    plain = coverage_env.session.get(url.replace("Azimuth=90", "Azimuth=315").replace("Altitude=30", "Altitude=45")
                                     .replace("ZFactor=3", "ZFactor=1"), timeout=60)
    assert np.array_equal(decode(plain.content),
                          decode(get_tile(coverage_env, "relief", tms, z, row, col, style="hillshade")))
    ramp_tile = coverage_env.session.get(url.replace("/hillshade/", "/default/"), timeout=60)
    assert np.array_equal(decode(ramp_tile.content), decode(get_tile(coverage_env, "relief", tms, z, row, col)))
    for bad in ({"Azimuth": "400"}, {"Altitude": "-1"}, {"ZFactor": "0"}, {"ZFactor": "abc"}):
        r = coverage_env.session.get(url.split("?")[0], params={"Azimuth": "90", "Altitude": "30", "ZFactor": "3",
                                                                 **bad}, timeout=60)
        assert r.status_code == 400 and 'exceptionCode="InvalidParameterValue"' in r.text, (bad, r.text[:300])


@pytest.mark.parametrize("url_tail, code", [
    ("/wmts/1.0.0/geoid/default/WebMercatorQuad/0/0/0.mvt", "InvalidParameterValue"),
    ("/wmts/1.0.0/geoid/relief/WebMercatorQuad/0/0/0.png", "InvalidParameterValue"),
])
def test_wmts_refusals(coverage_env, url_tail, code):
    r = coverage_env.session.get(coverage_env.url + url_tail, timeout=60)
    assert r.status_code == 400
    assert f'exceptionCode="{code}"' in r.text


def test_owslib_reads_the_coverage_layer(coverage_env):
    wmts = WebMapTileService(coverage_env.url + "/wmts/1.0.0/WMTSCapabilities.xml")
    assert "geoid" in wmts.contents
    layer = wmts.contents["geoid"]
    assert set(layer.styles) == {"default", "hillshade"}
    tms, z, lon, lat = GEOID_TILES[0]
    row, col, _ = tile_of(tms, z, lon, lat)
    tile = wmts.gettile(layer="geoid", tilematrixset=tms, tilematrix=str(z), row=row, column=col,
                        format="image/png", style="default")
    assert np.array_equal(decode(tile.read()), decode(get_tile(coverage_env, "geoid", tms, z, row, col)))


@pytest.fixture
def no_gdal_wms_cache():
    before = gdal.GetConfigOption("GDAL_ENABLE_WMS_CACHE")
    gdal.SetConfigOption("GDAL_ENABLE_WMS_CACHE", "NO")
    yield
    gdal.SetConfigOption("GDAL_ENABLE_WMS_CACHE", before)


@pytest.mark.parametrize("tms", ["WebMercatorQuad", "WorldCRS84Quad"])
def test_gdal_wmts_driver_reads_the_tile(coverage_env, no_gdal_wms_cache, tms):
    ds = gdal.Open(f"WMTS:{coverage_env.url}/wmts/1.0.0/WMTSCapabilities.xml,layer=geoid,tilematrixset={tms}")
    assert ds is not None, gdal.GetLastErrorMsg()
    assert ds.RasterCount == 4
    z = 4 if tms == "WebMercatorQuad" else 3
    row, col, b = tile_of(tms, z, 110.0, 10.0)
    path = f"/vsimem/gdal-wmts-{uuid.uuid4().hex}.tif"
    out = gdal.Translate(path, ds, projWin=[b[0], b[3], b[2], b[1]], width=256, height=256)
    got = np.dstack(list(out.ReadAsArray())).astype(np.int32)
    out = None
    gdal.Unlink(path)
    tile = decode(get_tile(coverage_env, "geoid", tms, z, row, col))
    assert np.count_nonzero(got[..., 3]) > 1000
    assert np.abs(got - tile).max() <= 1


# -------------------------------------------------------------------------- the tile cache


def test_tiles_follow_a_replaced_grid(coverage_env, tmp_path):
    """A grid added again under the same id is drawn from its new values: tiles are cached
    under the raster's data version."""
    first, second = tmp_path / "first.tif", tmp_path / "second.tif"
    write_utm_grid(first)
    ds = gdal.Translate(str(second), str(first))
    for i in range(1, ds.RasterCount + 1):
        band = ds.GetRasterBand(i)
        a = band.ReadAsArray()
        band.WriteArray(np.where(a == NODATA, NODATA, a[:, ::-1]))  # mirrored east-west
    ds = None
    tms, z, lon, lat = MAGNETICS_TILES[2]
    row, col, bounds = tile_of(tms, z, lon, lat)
    tiles = []
    for source in (first, second):
        added = run_amis("raster", "add", source, "--id", "changing", "--store", coverage_env.store)
        assert added.returncode == 0, added.stderr
        cog = stored_cog(coverage_env.store, "changing")
        for _ in range(2):  # the second answer comes from the cache
            got = decode(get_tile(coverage_env, "changing", tms, z, row, col))
            assert_like(got, ramp(warped(cog, tms, bounds, 256), *band_range(cog)), f"changing from {source.name}")
        tiles.append(got)
    assert not np.array_equal(tiles[0], tiles[1])
