"""WMTS 1.0.0 at /wmts (KVP) and /wmts/1.0.0 (REST), with real clients and independent oracles.

- Capabilities: structure per OGC 07-057r7 (element order checked with lxml: no WMTS XSD
  offline), every collection a Layer with its OGR extent, style, formats, links and
  ResourceURL templates; both tile matrix sets equal their definitions level by level.
- OWSLib's WebMapTileService reads all that and fetches decodable tiles.
- GDAL's WMTS driver (REST and KVP capabilities URLs, both tile matrix sets) reads an
  isolated coal mine at the pixel osr puts it, nothing around it, and the countries
  layer equal to GDAL's rasterisation of the source polygons.
- Tiles: KVP = REST = the OGC API tile, byte for byte; the mine drawn at its computed
  pixel; vector tiles (GDAL's MVT driver) hold exactly the coal mines whose points fall
  in the tile (OGR on the store and on the source), at their positions.
- Errors: OWS 1.1 ExceptionReports (schema-valid, version 1.0.0, HTTP 400) with the WMTS
  exception codes and locators; garbage never gives a 5xx.

Client behaviour this relies on (OWSLib 0.27.2, GDAL 3.6.2 on Debian 12): OWSLib uses KVP
for gettile() when OperationsMetadata offers it; GDAL's WMTS driver takes the raster extent
from ows:WGS84BoundingBox, uses the ResourceURL templates and reads the overview whose
resolution matches the request.
"""
from __future__ import annotations

import math
import uuid

import numpy as np
import pytest
import requests
from osgeo import gdal, osr
from owslib.wmts import WebMapTileService

from support import COAL_MINES_GPKG, store_datasource
from wfs_support import exception_report, parse_xml, xml_response
from wms_support import (COLLECTIONS, PALETTE, Frame, Image, check_countries_map, count_in_box, decode,
                         is_webp, isolated_mine, jpeg_components, png_header, rgb, source_extent)
from wmts_support import (CAPABILITIES_SEQUENCE, FORMATS, LAYER_SEQUENCE, MVT, MVT_EXTENT, NSMAP, STYLE_SEQUENCE,
                          TILE, TILE_MATRIX_SEQUENCE, TILE_MATRIX_SET_SEQUENCE, TMS, WEB_MERCATOR_QUAD,
                          WORLD_CRS84_QUAD, Tms, assert_ows_exception, assert_sequence, get_tile_params, kvp,
                          mercator, mvt_layers, numbers, o, rest_capabilities_url, rest_tile_url, tile_response, w,
                          wmts_url)

EXTENT_TOLERANCE = 1e-6
TIGYIT = "Tigyit Coal Mine"            # Myanmar
SANGDEOK = "Gyeong-dong Sangdeok Coal Mine"  # Korea
ORANGE = rgb(PALETTE[0])               # the default style of a layer drawn alone
MARKER_RADIUS = 10                     # px: nothing of a point marker is drawn farther away


def tile_image_checks(img: Image, px: float, py: float, what: str, lossy: bool = False,
                      alpha: bool = True) -> None:
    """The mine's pixel is the layer colour; with alpha, every pixel more than
    MARKER_RADIUS px from it is transparent and the drawn pixels centre on it."""
    r, g, b, a = img.at(int(px), int(py))
    tol = 40 if lossy else 10
    assert max(abs(r - ORANGE[0]), abs(g - ORANGE[1]), abs(b - ORANGE[2])) <= tol and a == 255, (
        f"{what}: pixel ({int(px)}, {int(py)}) is {(r, g, b, a)}, wanted {ORANGE}")
    if not alpha:
        return
    rows, cols = np.mgrid[0:img.height, 0:img.width]
    far = np.hypot(cols + 0.5 - px, rows + 0.5 - py) > MARKER_RADIUS
    drawn = img.rgba[..., 3] > 0
    assert not (far & drawn).any(), (
        f"{what}: {int((far & drawn).sum())} pixels drawn farther than {MARKER_RADIUS} px from the mine, e.g. "
        f"{[(int(c), int(rr)) for rr, c in np.argwhere(far & drawn)[:4]]}")
    if not lossy:
        weights = img.rgba[..., 3].astype(float)
        cx = ((cols + 0.5) * weights).sum() / weights.sum()
        cy = ((rows + 0.5) * weights).sum() / weights.sum()
        assert math.hypot(cx - px, cy - py) <= 0.75, f"{what}: marker centred at ({cx:.2f}, {cy:.2f}), not ({px:.2f}, {py:.2f})"


def mine_tile(tms: Tms, name: str, z: int) -> tuple[int, int, float, float]:
    mine = isolated_mine(name)
    return tms.locate(*tms.project(mine.lon, mine.lat), z)


# =========================================================================== capabilities


@pytest.fixture(scope="module")
def capabilities(http, base_url):
    r = http.get(rest_capabilities_url(base_url), timeout=60)
    return xml_response(r)


@pytest.fixture(scope="module")
def layers(capabilities) -> dict:
    out = {}
    for layer in capabilities.findall(f"{w('Contents')}/{w('Layer')}"):
        ident = layer.findtext(o("Identifier"))
        assert ident not in out, f"two layers {ident}"
        out[ident] = layer
    return out


def test_capabilities_kvp_and_rest(http, base_url):
    rest = http.get(rest_capabilities_url(base_url), timeout=60)
    xml_response(rest)
    variants = [dict(SERVICE="WMTS", REQUEST="GetCapabilities"),
                dict(SERVICE="WMTS", REQUEST="GetCapabilities", VERSION="1.0.0"),
                dict(SERVICE="WMTS", REQUEST="GetCapabilities", ACCEPTVERSIONS="1.0.0"),
                dict(service="WMTS", request="GetCapabilities"),   # names are case-insensitive
                dict(Service="WMTS", ReQuEsT="GetCapabilities")]
    for params in variants:
        r = kvp(http, base_url, **params)
        xml_response(r)
        assert r.content == rest.content, f"{params}: another document than the REST capabilities"


def test_capabilities_structure(capabilities, base_url):
    doc = capabilities
    assert doc.tag == w("Capabilities") and doc.get("version") == "1.0.0"
    assert_sequence(doc, CAPABILITIES_SEQUENCE, "Capabilities")
    ident = doc.find(o("ServiceIdentification"))
    assert ident.findtext(o("ServiceType")) == "OGC WMTS"
    assert ident.findtext(o("ServiceTypeVersion")) == "1.0.0"
    contents = doc.find(w("Contents"))
    names = [c.tag for c in contents]
    assert names == sorted(names, key=lambda t: t == w("TileMatrixSet")), "TileMatrixSets before a Layer"
    for layer in contents.findall(w("Layer")):
        what = f"Layer {layer.findtext(o('Identifier'))}"
        assert_sequence(layer, LAYER_SEQUENCE, what)
        for style in layer.findall(w("Style")):
            assert_sequence(style, STYLE_SEQUENCE, f"{what} Style")
    for tms in contents.findall(w("TileMatrixSet")):
        what = f"TileMatrixSet {tms.findtext(o('Identifier'))}"
        assert_sequence(tms, TILE_MATRIX_SET_SEQUENCE, what)
        for tm in tms.findall(w("TileMatrix")):
            assert_sequence(tm, TILE_MATRIX_SEQUENCE, f"{what} TileMatrix {tm.findtext(o('Identifier'))}")
    ops = {op.get("name"): op for op in doc.iterfind(f"{o('OperationsMetadata')}/{o('Operation')}")}
    assert set(ops) >= {"GetCapabilities", "GetTile"}
    for name, op in ops.items():
        gets = op.findall(f"{o('DCP')}/{o('HTTP')}/{o('Get')}")
        encodings = {v.text for g in gets for v in g.iterfind(f".//{o('Value')}")}
        assert {"KVP", "RESTful"} <= encodings, f"{name}: encodings {encodings}"
        for g in gets:
            assert g.get(f"{{{NSMAP['xlink']}}}href", "").startswith(base_url + "/wmts"), name
    smu = doc.find(w("ServiceMetadataURL"))
    assert smu is not None and smu.get(f"{{{NSMAP['xlink']}}}href") == rest_capabilities_url(base_url)


def test_every_collection_is_a_layer(layers, base_url, observations_gpkg):
    assert sorted(layers) == sorted(COLLECTIONS)
    for name, layer in layers.items():
        assert (layer.findtext(o("Title")) or "").strip(), f"{name}: no title"
        box = layer.find(o("WGS84BoundingBox"))
        got = numbers(box.findtext(o("LowerCorner"))) + numbers(box.findtext(o("UpperCorner")))
        assert got == pytest.approx(source_extent(name, observations_gpkg), abs=EXTENT_TOLERANCE), name
        styles = layer.findall(w("Style"))
        assert [s.findtext(o("Identifier")) for s in styles] == ["default"], name
        assert styles[0].get("isDefault") == "true", name
        assert [f.text for f in layer.findall(w("Format"))] == [m for m, _ in FORMATS], name
        links = [lk.findtext(w("TileMatrixSet")) for lk in layer.findall(w("TileMatrixSetLink"))]
        assert sorted(links) == sorted(TMS), name
        templates = {(r.get("format"), r.get("resourceType")): r.get("template")
                     for r in layer.findall(w("ResourceURL"))}
        want = {(m, "tile"): f"{base_url}/wmts/1.0.0/{name}/{{Style}}/{{TileMatrixSet}}/{{TileMatrix}}/"
                             f"{{TileRow}}/{{TileCol}}.{ext}" for m, ext in FORMATS}
        assert templates == want, name


def test_observations_layer_metadata(layers):
    """The collection's title, description and keywords (given to `amis import`) appear."""
    layer = layers["observations"]
    assert layer.findtext(o("Title")) == "Synthetic observations"
    assert layer.findtext(o("Abstract")) == "50 timestamped points"
    assert [k.text for k in layer.iterfind(f"{o('Keywords')}/{o('Keyword')}")] == ["test", "synthetic"]


@pytest.mark.parametrize("tms", [WEB_MERCATOR_QUAD, WORLD_CRS84_QUAD], ids=lambda t: t.id)
def test_tile_matrix_set_definitions(capabilities, tms):
    sets = {s.findtext(o("Identifier")): s for s in capabilities.iterfind(f"{w('Contents')}/{w('TileMatrixSet')}")}
    assert sorted(sets) == sorted(TMS)
    elem = sets[tms.id]
    assert elem.findtext(o("SupportedCRS")) == tms.crs
    assert elem.findtext(w("WellKnownScaleSet")) == tms.well_known
    matrices = elem.findall(w("TileMatrix"))
    assert [m.findtext(o("Identifier")) for m in matrices] == [str(z) for z in tms.levels()]
    for z, m in zip(tms.levels(), matrices):
        what = f"{tms.id} level {z}"
        assert float(m.findtext(w("ScaleDenominator"))) == pytest.approx(tms.scale(z), rel=1e-12), what
        assert numbers(m.findtext(w("TopLeftCorner"))) == pytest.approx(list(tms.top_left), abs=1e-7), what
        assert (m.findtext(w("TileWidth")), m.findtext(w("TileHeight"))) == ("256", "256"), what
        assert int(m.findtext(w("MatrixWidth"))) == tms.matrix_width(z), what
        assert int(m.findtext(w("MatrixHeight"))) == tms.matrix_height(z), what
        # The scale denominator is the tile span over 256 pixels of 0.28 mm (in metres on
        # the equator for CRS84): independent of the brief's constant.
        metres = tms.span(z) * (1 if tms.id == "WebMercatorQuad" else 2 * math.pi * 6378137 / 360)
        assert tms.scale(z) == pytest.approx(metres / TILE / 0.00028, rel=1e-9), what


# =========================================================================== OWSLib


@pytest.fixture(scope="module")
def owslib_wmts(base_url) -> WebMapTileService:
    return WebMapTileService(wmts_url(base_url), timeout=60)


def test_owslib_contents(owslib_wmts, observations_gpkg):
    wmts = owslib_wmts
    assert wmts.identification.type == "OGC WMTS"
    assert wmts.identification.version == "1.0.0"
    assert sorted(wmts.contents) == sorted(COLLECTIONS)
    for name in COLLECTIONS:
        layer = wmts[name]
        assert layer.boundingBoxWGS84 == pytest.approx(source_extent(name, observations_gpkg), abs=EXTENT_TOLERANCE)
        assert list(layer.styles) == ["default"] and layer.styles["default"]["isDefault"], name
        assert layer.formats == [m for m, _ in FORMATS], name
        assert sorted(layer.tilematrixsetlinks) == sorted(TMS), name
        assert sorted(r["format"] for r in layer.resourceURLs) == sorted(m for m, _ in FORMATS), name
    assert {op.name for op in wmts.operations} >= {"GetCapabilities", "GetTile"}
    assert not wmts.restonly


def test_owslib_tile_matrix_sets(owslib_wmts):
    assert sorted(owslib_wmts.tilematrixsets) == sorted(TMS)
    for tms in TMS.values():
        got = owslib_wmts.tilematrixsets[tms.id]
        assert got.crs == tms.crs
        assert sorted(got.tilematrix, key=int) == [str(z) for z in tms.levels()]
        for z in tms.levels():
            m = got.tilematrix[str(z)]
            assert m.scaledenominator == pytest.approx(tms.scale(z), rel=1e-12)
            assert m.topleftcorner == pytest.approx(tms.top_left, abs=1e-7)
            assert (m.tilewidth, m.tileheight) == (TILE, TILE)
            assert (m.matrixwidth, m.matrixheight) == (tms.matrix_width(z), tms.matrix_height(z))


@pytest.mark.parametrize("tms", [WEB_MERCATOR_QUAD, WORLD_CRS84_QUAD], ids=lambda t: t.id)
@pytest.mark.parametrize("media, ext", FORMATS[:3], ids=[e for _, e in FORMATS[:3]])
def test_owslib_gettile(owslib_wmts, http, tms, media, ext):
    """OWSLib's KVP GetTile of the tile holding an isolated mine: decodable, 256 x 256, the
    mine at its pixel; the REST URL from OWSLib's ResourceURL template gives the same bytes."""
    z = 10
    row, col, px, py = mine_tile(tms, TIGYIT, z)
    response = owslib_wmts.gettile(layer="coal_mines", tilematrixset=tms.id, tilematrix=str(z), row=row,
                                   column=col, format=media, style="default")
    content = response.read()
    assert response.info()["Content-Type"].split(";")[0] == media
    img = decode(content)
    assert (img.width, img.height) == (TILE, TILE)
    if media == "image/png":
        assert png_header(content)[3] == 6, "not an RGBA PNG"
    elif media == "image/jpeg":
        assert jpeg_components(content) == 3
    else:
        assert is_webp(content)
    tile_image_checks(img, px, py, f"{tms.id} {media}", lossy=media != "image/png",
                      alpha=media != "image/jpeg")
    template = next(r["template"] for r in owslib_wmts["coal_mines"].resourceURLs if r["format"] == media)
    url = (template.replace("{Style}", "default").replace("{TileMatrixSet}", tms.id)
           .replace("{TileMatrix}", str(z)).replace("{TileRow}", str(row)).replace("{TileCol}", str(col)))
    assert tile_response(http.get(url, timeout=60), media) == content, f"{url} differs from the KVP tile"


# =========================================================================== tiles


@pytest.mark.parametrize("tms", [WEB_MERCATOR_QUAD, WORLD_CRS84_QUAD], ids=lambda t: t.id)
@pytest.mark.parametrize("z", [7, 12])
def test_png_tile_draws_the_mine_at_its_pixel(http, base_url, tms, z):
    for name in (TIGYIT, SANGDEOK):
        row, col, px, py = mine_tile(tms, name, z)
        url = rest_tile_url(base_url, "coal_mines", tms.id, z, row, col, "png")
        img = decode(tile_response(http.get(url, timeout=60), "image/png"))
        tile_image_checks(img, px, py, f"{name} in {url}")


@pytest.mark.parametrize("tms, z, row, col", [
    (WEB_MERCATOR_QUAD, 3, 0, 0),        # the Arctic / North Atlantic
    (WEB_MERCATOR_QUAD, 6, 30, 58),      # Pacific east of the Philippines
    (WORLD_CRS84_QUAD, 2, 2, 1),         # south-east Pacific
], ids=["wmq-3-0-0", "wmq-6-30-58", "crs84-2-2-1"])
def test_tile_without_data_is_transparent(http, base_url, tms, z, row, col):
    minx, miny, maxx, maxy = tms.bounds(z, row, col)
    if tms is WEB_MERCATOR_QUAD:
        t = osr.CoordinateTransformation(_srs(3857), _srs(4326))
        (lo_lon, lo_lat, _), (hi_lon, hi_lat, _) = t.TransformPoint(minx, miny), t.TransformPoint(maxx, maxy)
    else:
        lo_lon, lo_lat, hi_lon, hi_lat = minx, miny, maxx, maxy
    for collection in ("coal_mines", "countries", "mine_facilities", "coal_mine_boundaries"):
        assert count_in_box(collection, (lo_lon - 1, lo_lat - 1, hi_lon + 1, hi_lat + 1)) == 0, collection
        r = kvp(http, base_url, **get_tile_params(collection, tms.id, z, row, col))
        content = tile_response(r, "image/png")
        img = decode(content)
        assert (img.width, img.height) == (TILE, TILE)
        assert (img.rgba[..., 3] == 0).all(), f"{collection} {tms.id} {z}/{row}/{col}: pixels drawn where no data is"


def _srs(epsg: int) -> osr.SpatialReference:
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


@pytest.mark.parametrize("tms, z, row, col", [
    (WEB_MERCATOR_QUAD, 5, 15, 25),    # Malay peninsula, Sumatra, South China Sea
    (WEB_MERCATOR_QUAD, 4, 7, 12),     # mainland South-East Asia
    (WORLD_CRS84_QUAD, 4, 7, 25),      # 101.25..112.5 E, 0..11.25 N
], ids=["wmq-5-15-25", "wmq-4-7-12", "crs84-4-7-25"])
def test_countries_tile_equals_gdal_rasterisation(http, base_url, tms, z, row, col):
    url = rest_tile_url(base_url, "countries", tms.id, z, row, col, "png")
    img = decode(tile_response(http.get(url, timeout=60), "image/png"))
    frame = Frame(tms.bounds(z, row, col), TILE, TILE)
    check_countries_map(img, frame, "EPSG:3857" if tms is WEB_MERCATOR_QUAD else "CRS:84")


@pytest.mark.parametrize("media, ext", FORMATS, ids=[e for _, e in FORMATS])
@pytest.mark.parametrize("tms", [WEB_MERCATOR_QUAD, WORLD_CRS84_QUAD], ids=lambda t: t.id)
def test_kvp_rest_and_ogcapi_tiles_are_identical(http, base_url, media, ext, tms):
    z = 6
    row, col, _, _ = mine_tile(tms, TIGYIT, z)
    for layer in ("coal_mines", "countries"):
        rest = tile_response(http.get(rest_tile_url(base_url, layer, tms.id, z, row, col, ext), timeout=60), media)
        params = get_tile_params(layer, tms.id, z, row, col, media)
        assert tile_response(kvp(http, base_url, **params), media) == rest, f"{layer} {media}: KVP != REST"
        lower = {k.lower(): v for k, v in params.items()}
        assert tile_response(kvp(http, base_url, **lower), media) == rest, "lower-case parameter names"
        if media == MVT:
            ogc = f"{base_url}/collections/{layer}/tiles/{tms.id}/{z}/{row}/{col}"
            assert tile_response(http.get(ogc, timeout=60), MVT) == rest, f"{layer}: WMTS != {ogc}"
        else:
            f = {"image/png": "png", "image/jpeg": "jpeg", "image/webp": "webp"}[media]
            ogc = f"{base_url}/collections/{layer}/map/tiles/{tms.id}/{z}/{row}/{col}?f={f}"
            assert tile_response(http.get(ogc, timeout=60), media) == rest, f"{layer}: WMTS != {ogc}"


# --------------------------------------------------------------------------- vector tiles


def store_mines(store_path) -> dict[int, tuple[float, float]]:
    ds = gdal.OpenEx(store_datasource(store_path), gdal.OF_VECTOR | gdal.OF_READONLY)
    lyr = ds.GetLayerByName("coal_mines")
    return {f.GetFID(): mercator(f.GetGeometryRef().GetX(), f.GetGeometryRef().GetY()) for f in lyr}


def source_mines() -> list[tuple[str, tuple[float, float]]]:
    ds = gdal.OpenEx(str(COAL_MINES_GPKG), gdal.OF_VECTOR | gdal.OF_READONLY)
    lyr = ds.GetLayer(0)
    return [(f["gem_mine_id"], mercator(f.GetGeometryRef().GetX(), f.GetGeometryRef().GetY())) for f in lyr]


def split_by_tile(points, box, buffer):
    """(keys strictly inside the box, keys inside the box grown by `buffer`)."""
    minx, miny, maxx, maxy = box
    inside = {k for k, (x, y) in points if minx < x < maxx and miny < y < maxy}
    near = {k for k, (x, y) in points if minx - buffer <= x <= maxx + buffer and miny - buffer <= y <= maxy + buffer}
    return inside, near


@pytest.mark.parametrize("z, row, col", [(3, 3, 6), (5, 12, 25), (6, 32, 52), (9, 230, 393), (7, 49, 111)],
                         ids=["3-3-6", "5-12-25-shanxi", "6-32-52-kalimantan", "9-230-393", "7-49-111-empty"])
def test_mvt_tile_holds_the_mines_in_it(http, base_url, store_path, z, row, col):
    """The tile has one layer, coal_mines; its features are the store's coal mines whose
    points fall in the tile (those within the 64/4096 buffer may be there too), each at its
    position to within one tile unit; their gem_mine_id are those of the source's points."""
    url = rest_tile_url(base_url, "coal_mines", "WebMercatorQuad", z, row, col, "mvt")
    content = tile_response(http.get(url, timeout=60), MVT, allow_empty=True)
    box = WEB_MERCATOR_QUAD.bounds(z, row, col)
    unit = WEB_MERCATOR_QUAD.span(z) / MVT_EXTENT
    stored = store_mines(store_path)
    inside, near = split_by_tile(stored.items(), box, 64 * unit)
    decoded = mvt_layers(content, z, row, col) if content else {}
    if not inside:
        assert not decoded.get("coal_mines"), f"{url}: features in an empty tile"
        return
    assert list(decoded) == ["coal_mines"], f"{url}: layers {list(decoded)}"
    features = decoded["coal_mines"]
    ids = [f.id for f in features]
    assert len(ids) == len(set(ids)), f"{url}: a feature twice"
    assert inside <= set(ids), f"{url}: {len(inside - set(ids))} mines in the tile missing, e.g. {sorted(inside - set(ids))[:5]}"
    assert set(ids) <= near, f"{url}: mines from outside the tile and its buffer: {sorted(set(ids) - near)[:5]}"
    for f in features:
        x, y = stored[f.id]
        assert math.hypot(f.x - x, f.y - y) <= unit, f"{url}: mine {f.id} {math.hypot(f.x - x, f.y - y) / unit:.2f} units off"
    src_inside, src_near = split_by_tile(source_mines(), box, 64 * unit)
    got = {f.properties["gem_mine_id"] for f in features}
    assert src_inside <= got <= src_near, f"{url}: gem_mine_id differ from the source's points in the tile"


# =========================================================================== GDAL's WMTS driver


@pytest.fixture(autouse=True, scope="module")
def no_gdal_wms_disk_cache():
    """GDAL's WMS/WMTS drivers otherwise cache tiles in ./gdalwmscache (in the working
    directory, across runs)."""
    before = gdal.GetConfigOption("GDAL_ENABLE_WMS_CACHE")
    gdal.SetConfigOption("GDAL_ENABLE_WMS_CACHE", "NO")
    yield
    gdal.SetConfigOption("GDAL_ENABLE_WMS_CACHE", before)


def wmts_connection(url: str, layer: str, tms: str) -> str:
    return f"WMTS:{url},layer={layer},tilematrixset={tms}"


def gdal_window(connection: str, frame: Frame) -> Image:
    minx, miny, maxx, maxy = frame.bbox
    path = f"/vsimem/amis-wmts-{uuid.uuid4().hex}.tif"
    out = gdal.Translate(path, connection, projWin=[minx, maxy, maxx, miny], width=frame.width,
                         height=frame.height)
    assert out is not None, f"gdal.Translate of {connection} failed: {gdal.GetLastErrorMsg()}"
    try:
        data = out.ReadAsArray()
        assert data.shape == (4, frame.height, frame.width), f"{connection}: {data.shape}"
        return Image(np.dstack(list(data)).astype(np.uint8), "WMTS", 4, False)
    finally:
        out = None
        gdal.Unlink(path)


def caps_urls(base_url: str) -> dict[str, str]:
    return {"rest": rest_capabilities_url(base_url),
            "kvp": f"{wmts_url(base_url)}?SERVICE=WMTS&REQUEST=GetCapabilities"}


@pytest.mark.parametrize("binding", ["rest", "kvp"])
@pytest.mark.parametrize("tms", [WEB_MERCATOR_QUAD, WORLD_CRS84_QUAD], ids=lambda t: t.id)
def test_gdal_opens_the_layer(base_url, observations_gpkg, binding, tms):
    ds = gdal.Open(wmts_connection(caps_urls(base_url)[binding], "coal_mines", tms.id))
    assert ds is not None, gdal.GetLastErrorMsg()
    assert ds.RasterCount == 4
    srs = ds.GetSpatialRef()
    assert srs.GetAuthorityCode(None) == ("3857" if tms is WEB_MERCATOR_QUAD else "CRS84"), srs.ExportToWkt()
    minx, res, _, maxy, _, yres = ds.GetGeoTransform()
    lon0, lat0, lon1, lat1 = source_extent("coal_mines", observations_gpkg)
    ox, oy = tms.project(lon0, lat1)
    tol = res * 2
    assert (minx, maxy) == pytest.approx((ox, oy), abs=tol), "the raster does not start at the layer's extent"
    assert -yres == pytest.approx(res, rel=1e-12)
    resolutions = [tms.span(z) / TILE for z in tms.levels()]
    assert min(abs(res / r - 1) for r in resolutions) < 1e-9, f"resolution {res} is no tile matrix's"
    assert ds.GetRasterBand(1).GetOverviewCount() >= 10


@pytest.mark.parametrize("binding, mine", [("rest", TIGYIT), ("kvp", SANGDEOK)])
@pytest.mark.parametrize("tms", [WEB_MERCATOR_QUAD, WORLD_CRS84_QUAD], ids=lambda t: t.id)
def test_gdal_translate_draws_the_mine(base_url, binding, mine, tms):
    """A 256 x 256 window at level 10's resolution centred on an isolated mine: the centre
    pixel is the layer colour, nothing farther than the marker radius is drawn."""
    m = isolated_mine(mine)
    x, y = tms.project(m.lon, m.lat)
    res = tms.span(10) / TILE
    frame = Frame((x - 128 * res, y - 128 * res, x + 128 * res, y + 128 * res), 256, 256)
    img = gdal_window(wmts_connection(caps_urls(base_url)[binding], "coal_mines", tms.id), frame)
    px, py = frame.pixel(x, y)
    tile_image_checks(img, px, py, f"GDAL {binding} {tms.id} {mine}", lossy=True)  # nearest resampling: ±0.5 px


@pytest.mark.parametrize("binding", ["rest", "kvp"])
def test_gdal_translate_open_sea_is_transparent(base_url, binding):
    """South China Sea at level 8 (about 1.4 degrees): no coal mine within a degree of it."""
    x, y = mercator(114.5, 13.0)
    res = WEB_MERCATOR_QUAD.span(8) / TILE
    frame = Frame((x - 128 * res, y - 128 * res, x + 128 * res, y + 128 * res), 256, 256)
    assert count_in_box("coal_mines", (112.0, 10.5, 117.0, 15.5)) == 0
    for layer in ("coal_mines", "countries"):
        img = gdal_window(wmts_connection(caps_urls(base_url)[binding], layer, "WebMercatorQuad"), frame)
        assert (img.rgba[..., 3] == 0).all(), f"{layer}: {int((img.rgba[..., 3] > 0).sum())} pixels drawn over the sea"


@pytest.mark.parametrize("binding", ["rest", "kvp"])
def test_gdal_translate_countries_equal_gdal_rasterisation(base_url, binding):
    """A window not aligned to the tiles (GDAL mosaics four tiles of level 5): the countries
    equal GDAL's rasterisation of the source polygons."""
    x, y = mercator(104.0, 4.0)
    res = WEB_MERCATOR_QUAD.span(5) / TILE
    frame = Frame((x - 128 * res, y - 128 * res, x + 128 * res, y + 128 * res), 256, 256)
    img = gdal_window(wmts_connection(caps_urls(base_url)[binding], "countries", "WebMercatorQuad"), frame)
    check_countries_map(img, frame, "EPSG:3857", erosion=3)


# =========================================================================== errors


def valid_tile(**changes) -> dict[str, str]:
    params = get_tile_params("coal_mines", "WebMercatorQuad", 1, 0, 1)
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = v
    return params


def test_the_valid_request_is_valid(http, base_url):
    tile_response(kvp(http, base_url, **valid_tile()), "image/png")


MISSING = ["VERSION", "LAYER", "STYLE", "FORMAT", "TILEMATRIXSET", "TILEMATRIX", "TILEROW", "TILECOL"]
@pytest.mark.parametrize("name, how", [("SERVICE", "absent")] + [(n, how) for n in [*MISSING, "REQUEST"]
                                                                 for how in ("absent", "empty")])
def test_missing_parameter_code(http, base_url, name, how):
    """Code MissingParameterValue, locator the parameter (in any case here: see below)."""
    r = kvp(http, base_url, **valid_tile(**{name: None if how == "absent" else ""}))
    assert_ows_exception(r, "MissingParameterValue", name, exact_locator=False)


@pytest.mark.parametrize("name", ["SERVICE", *MISSING, "REQUEST"])
def test_missing_parameter_locator_is_lower_case(http, base_url, name):
    r = kvp(http, base_url, **valid_tile(**{name: None}))
    assert_ows_exception(r, "MissingParameterValue", name.lower())


@pytest.mark.parametrize("name, value, locator", [
    ("LAYER", "no_such_layer", "layer"),
    ("LAYER", "COAL_MINES", "layer"),
    ("LAYER", "coal_mines,countries", "layer"),
    ("STYLE", "fancy", "style"),
    ("FORMAT", "image/gif", "format"),
    ("FORMAT", "application/json", "format"),
    ("TILEMATRIXSET", "GoogleMapsCompatible", "tilematrixset"),
    ("TILEMATRIXSET", "EPSG:3857", "tilematrixset"),
    ("TILEMATRIX", "25", "tilematrix"),
    ("TILEMATRIX", "-1", "tilematrix"),
    ("TILEMATRIX", "one", "tilematrix"),
    ("TILEMATRIX", "1.0", "tilematrix"),
    ("TILEMATRIX", "99999999999999999999999", "tilematrix"),
    ("TILEROW", "x", "tilerow"),
    ("TILEROW", "0.5", "tilerow"),
    ("TILEROW", "1e0", "tilerow"),
    ("TILECOL", "0x1", "tilecol"),
    ("TILECOL", " 1", "tilecol"),
    ("VERSION", "2.0.0", "version"),
    ("SERVICE", "WMS", "service"),
])
def test_invalid_parameter_value(http, base_url, name, value, locator):
    r = kvp(http, base_url, **valid_tile(**{name: value}))
    assert_ows_exception(r, "InvalidParameterValue", locator)


def test_level_24_only_in_web_mercator(http, base_url):
    tile_response(kvp(http, base_url, **valid_tile(TILEMATRIX="24", TILEROW="0", TILECOL="0")), "image/png")
    tile_response(kvp(http, base_url, **valid_tile(TILEMATRIXSET="WorldCRS84Quad", TILEMATRIX="23", TILEROW="0",
                                                   TILECOL="0")), "image/png")
    r = kvp(http, base_url, **valid_tile(TILEMATRIXSET="WorldCRS84Quad", TILEMATRIX="24", TILEROW="0", TILECOL="0"))
    assert_ows_exception(r, "InvalidParameterValue", "tilematrix")


@pytest.mark.parametrize("value", ["03", "-0"])
def test_tile_matrix_is_an_identifier(http, base_url, value):
    r = kvp(http, base_url, **valid_tile(TILEMATRIX=value, TILEROW="0", TILECOL="0"))
    assert_ows_exception(r, "InvalidParameterValue", "tilematrix")


@pytest.mark.parametrize("tms, z, row, col, locator", [
    ("WebMercatorQuad", 0, 1, 0, "tilerow"),
    ("WebMercatorQuad", 0, 0, 1, "tilecol"),
    ("WebMercatorQuad", 1, -1, 0, "tilerow"),
    ("WebMercatorQuad", 1, 0, -1, "tilecol"),
    ("WebMercatorQuad", 10, 1024, 0, "tilerow"),
    ("WebMercatorQuad", 10, 0, 1024, "tilecol"),
    ("WebMercatorQuad", 24, 2 ** 24, 0, "tilerow"),
    ("WebMercatorQuad", 3, 9223372036854775807, 0, "tilerow"),
    ("WorldCRS84Quad", 0, 1, 0, "tilerow"),     # 2 x 1 at level 0
    ("WorldCRS84Quad", 0, 0, 2, "tilecol"),
    ("WorldCRS84Quad", 5, 32, 0, "tilerow"),
    ("WorldCRS84Quad", 5, 0, 64, "tilecol"),
])
def test_tile_out_of_range(http, base_url, tms, z, row, col, locator):
    r = kvp(http, base_url, **valid_tile(TILEMATRIXSET=tms, TILEMATRIX=str(z), TILEROW=str(row), TILECOL=str(col)))
    assert_ows_exception(r, "TileOutOfRange", locator)
    r = http.get(rest_tile_url(base_url, "coal_mines", tms, z, row, col, "png"), timeout=60)
    assert_ows_exception(r, "TileOutOfRange", locator)


def test_last_tiles_are_in_range(http, base_url):
    """The mirror of the above: the last row and column of each matrix exist (CRS84 has
    twice as many columns as rows)."""
    for tms, z in ((WEB_MERCATOR_QUAD, 0), (WEB_MERCATOR_QUAD, 10), (WORLD_CRS84_QUAD, 0), (WORLD_CRS84_QUAD, 5)):
        url = rest_tile_url(base_url, "coal_mines", tms.id, z, tms.matrix_height(z) - 1, tms.matrix_width(z) - 1)
        tile_response(http.get(url, timeout=60), "image/png")


@pytest.mark.parametrize("request_", ["GetFeatureInfo", "GetLegendGraphic", "DescribeLayer", "GetMap"])
def test_operation_not_supported(http, base_url, request_):
    r = kvp(http, base_url, **valid_tile(REQUEST=request_))
    assert_ows_exception(r, "OperationNotSupported", "request")


@pytest.mark.parametrize("path, code, locator", [
    ("no_such_layer/default/WebMercatorQuad/0/0/0.png", "InvalidParameterValue", "layer"),
    ("coal_mines/fancy/WebMercatorQuad/0/0/0.png", "InvalidParameterValue", "style"),
    ("coal_mines/default/WebMercatorQuad/0/0/0.gif", "InvalidParameterValue", "format"),
    ("coal_mines/default/WebMercatorQuad/0/0/0", "InvalidParameterValue", "format"),
    ("coal_mines/default/Nowhere/0/0/0.png", "InvalidParameterValue", "tilematrixset"),
    ("coal_mines/default/WebMercatorQuad/25/0/0.png", "InvalidParameterValue", "tilematrix"),
    ("coal_mines/default/WebMercatorQuad/z/0/0.png", "InvalidParameterValue", "tilematrix"),
    ("coal_mines/default/WebMercatorQuad/0/a/0.png", "InvalidParameterValue", "tilerow"),
    ("coal_mines/default/WebMercatorQuad/0/0/b.png", "InvalidParameterValue", "tilecol"),
    ("coal_mines/default/WebMercatorQuad/0/0/0.png.png", "InvalidParameterValue", "tilecol"),
    ("coal_mines/default/WorldCRS84Quad/0/0/2.mvt", "TileOutOfRange", "tilecol"),
])
def test_rest_errors(http, base_url, path, code, locator):
    r = http.get(f"{base_url}/wmts/1.0.0/{path}", timeout=60)
    assert_ows_exception(r, code, locator)


GARBAGE = ["", " ", "%", "%00", "\x00", "'", "\"; DROP TABLE coal_mines; --", "../../etc/passwd", "..%2F..%2F",
           "<x/>", "&amp;", "\u00e9\u4e2d\U0001f600", "A" * 5000, "-1", "-9223372036854775809",
           "18446744073709551616", "NaN", "inf", "1e309", "0x10", "+1", "1 ", "{TileRow}", "*", "null", "[]", "{}"]
NAMES = ["SERVICE", "VERSION", "REQUEST", "LAYER", "STYLE", "FORMAT", "TILEMATRIXSET", "TILEMATRIX", "TILEROW",
         "TILECOL"]


def test_garbage_never_gives_a_server_error(http, base_url, server):
    """Every garbage value of every KVP parameter: a schema-valid OWS report with HTTP 400
    (none of them is valid). Garbage in each REST path segment: a 4xx (a decoded %2F
    changes the number of segments: the router's 404)."""
    statuses: dict[int, list[str]] = {}
    for name in NAMES:
        for value in GARBAGE:
            r = kvp(http, base_url, **valid_tile(**{name: value}))
            exception_report(r, 400, "2.0.0")
            assert parse_xml(r).get("version") == "1.0.0"
    for value in GARBAGE:
        quoted = requests.utils.quote(value[:300], safe="")
        for path in (f"{quoted}/default/WebMercatorQuad/0/0/0.png", f"coal_mines/{quoted}/WebMercatorQuad/0/0/0.png",
                     f"coal_mines/default/{quoted}/0/0/0.png", f"coal_mines/default/WebMercatorQuad/{quoted}/0/0.png",
                     f"coal_mines/default/WebMercatorQuad/0/{quoted}/0.png",
                     f"coal_mines/default/WebMercatorQuad/0/0/{quoted}.mvt",
                     f"coal_mines/default/WebMercatorQuad/0/0/0.{quoted}"):
            r = http.get(f"{base_url}/wmts/1.0.0/{path}", timeout=60)
            statuses.setdefault(r.status_code, []).append(path[:60])
    bad = {s: v[:5] for s, v in statuses.items() if not (400 <= s < 500 or s == 200)}
    assert not bad, f"answers other than 200/4xx: {bad}"
    five = {s: v for s, v in statuses.items() if s >= 500}
    assert not five
    assert server.alive()
    # Still serving afterwards.
    tile_response(kvp(http, base_url, **valid_tile()), "image/png")
