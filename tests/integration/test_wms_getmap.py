"""WMS GetMap, checked pixel by pixel against positions computed here: a coal mine's
column and row follow from its source coordinates and the BBOX by plain arithmetic (osr for
projected CRSs), the colours from the default styles (ColorBrewer Dark2 by position in
LAYERS, 7-px point markers with a white outline, polygons at 35 % opacity plus an outline,
lines stroked) blended by hand, and country interiors from GDAL's rasterisation of the
source polygons. Also: BBOX axis order in 1.3.0 and 1.1.1, TRANSPARENT/BGCOLOR, the four
formats (PNG 32-bit RGBA, PNG 8-bit palette, JPEG, WebP), WIDTH x HEIGHT."""
from __future__ import annotations

import math

import numpy as np
import pytest
from osgeo import ogr, osr

from support import AmisServer, amis_import, http_session
from wms_support import (COLLECTIONS, FILL_OPACITY, MAX_SIZE, PALETTE, WHITE, Frame, Image, assert_colour,
                         check_countries_map, colour_distance, count_in_box, countries_touching, decode,
                         frame_around, get_map, image_response, is_webp, isolated_mine, jpeg_components,
                         north_first, over, png_has_chunk, png_header, project, rgb, wms_get)

# Coal mines far from any other (checked on the source by isolated_mine):
TIGYIT = "Tigyit Coal Mine"                       # Myanmar, ~96.7E 20.4N; nearest other mine ~2.2 degrees
SANGDEOK = "Gyeong-dong Sangdeok Coal Mine"       # Republic of Korea, ~129.1E 37.2N; ~4.4 degrees
RUOQIANG = "Ruoqiang Sunshine Coal Mine"          # China (Xinjiang), ~88.8E 38.1N; ~3.7 degrees

ORANGE, GREEN, PURPLE = rgb(PALETTE[0]), rgb(PALETTE[1]), rgb(PALETTE[2])
NAVY = (0x12, 0x34, 0x56)
MARKER_RADIUS = 3.5      # 7-px circle
MARKER_REACH = 6.0       # beyond this distance from the centre a pixel is untouched by a marker
DEG_RES, METRE_RES = 0.002, 200.0


def res_for(crs: str) -> float:
    return DEG_RES if crs in ("CRS:84", "EPSG:4326", "EPSG:4490") else METRE_RES


def mine_frame(mine, crs: str = "CRS:84", col: int = 60, row: int = 40, width: int = 200, height: int = 150,
               res_x: float | None = None, res_y: float | None = None) -> tuple[Frame, float, float]:
    """A frame in `crs` in which the mine is at the centre of pixel (col, row); the mine's
    position in the CRS (east/north)."""
    x, y = project(crs, mine.lon, mine.lat)
    res_x = res_x or res_for(crs)
    return frame_around(x, y, col, row, width, height, res_x, res_y), x, y


def request_map(http, base_url, frame: Frame, crs: str = "CRS:84", version: str = "1.3.0",
                layers: str = "coal_mines", format: str = "image/png", **extra) -> tuple[bytes, Image]:
    swap = version == "1.3.0" and north_first(crs)
    r = get_map(http, base_url, layers=layers, bbox=frame.request_bbox(swap), crs=crs, version=version,
                width=frame.width, height=frame.height, format=format, **extra)
    media = {"image/png; mode=8bit": "image/png"}.get(format, format)
    content = image_response(r, media)
    img = decode(content)
    assert (img.width, img.height) == (frame.width, frame.height)
    return content, img


def distances(img: Image, col: float, row: float) -> np.ndarray:
    """Distance of every pixel centre from the continuous position (col, row)."""
    ys, xs = np.mgrid[0:img.height, 0:img.width]
    return np.hypot(xs + 0.5 - col, ys + 0.5 - row)


def is_background(img: Image, background: tuple | None, tolerance: int = 0) -> np.ndarray:
    """Pixels that are the background: alpha 0 when `background` is None (transparent),
    else that opaque colour (within `tolerance` per channel)."""
    if background is None:
        return img.rgba[..., 3] == 0
    diff = np.abs(img.rgba[..., :3].astype(int) - np.array(background)).max(axis=2)
    return (diff <= tolerance) & (img.rgba[..., 3] == 255)


def assert_marker(img: Image, frame: Frame, x: float, y: float, colour: tuple, background: tuple | None,
                  what: str, tolerance: float = 10, bg_tolerance: int = 0) -> None:
    """One default point marker at (x, y) and nothing else: the pixel at the computed
    position and its four neighbours have the layer colour, a white outline rings it,
    every pixel farther than MARKER_REACH is exactly the background."""
    col, row = frame.pixel(x, y)
    c, r = math.floor(col), math.floor(row)
    assert 0 <= c < img.width and 0 <= r < img.height, f"{what}: the computed pixel is outside the map"
    for dc, dr in ((0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)):
        assert_colour(img.at(c + dc, r + dr), colour, tolerance, f"{what}: pixel ({c + dc}, {r + dr})")
    d = distances(img, col, row)
    bg = is_background(img, background, bg_tolerance)
    far = d > MARKER_REACH
    stray = np.argwhere(far & ~bg)
    assert len(stray) == 0, (
        f"{what}: {len(stray)} pixels away from the mine at ({col:.1f}, {row:.1f}) are not background, "
        f"e.g. (col, row) {[tuple(int(v) for v in p[::-1]) for p in stray[:5]]} = "
        f"{[img.at(int(p[1]), int(p[0])) for p in stray[:3]]}")
    drawn = int((~bg & ~far).sum())
    assert drawn >= 25, f"{what}: only {drawn} pixels drawn around the mine (a 7-px disc has ~38)"
    # The marker is symmetric: its centre of mass is the computed position.
    if background is None:
        weight = img.rgba[..., 3].astype(float)
    else:
        weight = np.abs(img.rgba[..., :3].astype(float) - np.array(background)).max(axis=2)
    weight[far] = 0
    ys, xs = np.mgrid[0:img.height, 0:img.width]
    centre = ((weight * (xs + 0.5)).sum() / weight.sum(), (weight * (ys + 0.5)).sum() / weight.sum())
    assert math.dist(centre, (col, row)) <= 0.3, (
        f"{what}: the marker is centred at ({centre[0]:.2f}, {centre[1]:.2f}), the mine is at ({col:.2f}, {row:.2f})")
    ring = (d >= MARKER_RADIUS - 1) & (d <= MARKER_RADIUS + 1) & (img.rgba[..., 3] >= 64)
    if background != WHITE:
        whitest = int(img.rgba[..., :3].min(axis=2)[ring].max(initial=0))
        assert whitest >= 100, f"{what}: no white outline around the marker (lightest ring pixel {whitest})"


# --------------------------------------------------------------------------- one coal mine


@pytest.fixture(scope="module")
def tigyit():
    mine = isolated_mine(TIGYIT)
    assert mine.iso3 == "MMR"
    return mine


def test_mine_at_its_pixel_transparent_png(http, base_url, tigyit):
    frame, x, y = mine_frame(tigyit)
    content, img = request_map(http, base_url, frame, TRANSPARENT="TRUE")
    assert png_header(content) == (200, 150, 8, 6), "not an 8-bit RGBA PNG"
    assert_marker(img, frame, x, y, ORANGE, None, "CRS:84 transparent")


def test_mine_on_a_background_colour(http, base_url, tigyit):
    frame, x, y = mine_frame(tigyit, col=143, row=97)
    _, img = request_map(http, base_url, frame, TRANSPARENT="FALSE", BGCOLOR="0x123456")
    assert_marker(img, frame, x, y, ORANGE, NAVY, "BGCOLOR=0x123456")


def test_default_background_is_opaque_white(http, base_url, tigyit):
    frame, x, y = mine_frame(tigyit, col=20, row=130)
    _, img = request_map(http, base_url, frame)
    assert_marker(img, frame, x, y, ORANGE, WHITE, "no TRANSPARENT, no BGCOLOR")


def test_transparent_ignores_bgcolor(http, base_url, tigyit):
    frame, x, y = mine_frame(tigyit)
    _, img = request_map(http, base_url, frame, TRANSPARENT="TRUE", BGCOLOR="0x123456")
    assert_marker(img, frame, x, y, ORANGE, None, "TRANSPARENT=TRUE&BGCOLOR=0x123456")


def test_non_square_pixels(http, base_url, tigyit):
    """WIDTH/HEIGHT need not keep the BBOX's aspect: the box is stretched to the image."""
    frame, x, y = mine_frame(tigyit, col=150, row=20, width=200, height=100, res_x=0.002, res_y=0.004)
    _, img = request_map(http, base_url, frame, TRANSPARENT="TRUE")
    assert_marker(img, frame, x, y, ORANGE, None, "0.002 x 0.004 degree pixels")


def test_same_image_in_every_geographic_axis_order(http, base_url, tigyit):
    """CRS:84 (lon,lat), 1.3.0 EPSG:4326 (lat,lon) and 1.1.1 EPSG:4326 (lon,lat) boxes of the
    same area give the same picture."""
    frame, x, y = mine_frame(tigyit)
    minx, miny, maxx, maxy = frame.bbox
    images = {}
    for version, crs, bbox in (("1.3.0", "CRS:84", (minx, miny, maxx, maxy)),
                               ("1.3.0", "EPSG:4326", (miny, minx, maxy, maxx)),
                               ("1.1.1", "EPSG:4326", (minx, miny, maxx, maxy))):
        r = get_map(http, base_url, layers="coal_mines", bbox=bbox, crs=crs, version=version,
                    width=frame.width, height=frame.height, TRANSPARENT="TRUE")
        images[(version, crs)] = decode(image_response(r))
    reference = images[("1.3.0", "CRS:84")]
    assert_marker(reference, frame, x, y, ORANGE, None, "CRS:84")
    for key, img in images.items():
        assert np.array_equal(img.rgba, reference.rgba), f"{key} differs from 1.3.0 CRS:84"


@pytest.mark.parametrize("mine_name, crs, version", [
    (TIGYIT, "EPSG:3857", "1.3.0"),
    (TIGYIT, "EPSG:3857", "1.1.1"),
    (TIGYIT, "EPSG:32647", "1.3.0"),     # WGS 84 / UTM 47N
    (SANGDEOK, "EPSG:5179", "1.3.0"),    # Korea 2000 / Unified CS: northing, easting
    (SANGDEOK, "EPSG:5179", "1.1.1"),    # ... but x, y in 1.1.1
    (RUOQIANG, "EPSG:4490", "1.3.0"),    # CGCS2000: latitude, longitude
])
def test_mine_at_its_pixel_in_other_crs(http, base_url, mine_name, crs, version):
    mine = isolated_mine(mine_name)
    frame, x, y = mine_frame(mine, crs, col=70, row=90)
    _, img = request_map(http, base_url, frame, crs, version, TRANSPARENT="TRUE")
    assert_marker(img, frame, x, y, ORANGE, None, f"{crs} ({version})")


def test_web_mercator_and_crs84_pictures_agree(http, base_url, tigyit):
    """The mine at the same pixel in EPSG:3857 and CRS:84 maps: the same picture (up to
    anti-aliasing)."""
    frames = {crs: mine_frame(tigyit, crs)[0] for crs in ("CRS:84", "EPSG:3857")}
    a = request_map(http, base_url, frames["CRS:84"], "CRS:84", TRANSPARENT="TRUE")[1]
    b = request_map(http, base_url, frames["EPSG:3857"], "EPSG:3857", TRANSPARENT="TRUE")[1]
    diff = np.abs(a.rgba.astype(int) - b.rgba.astype(int)).max()
    assert diff <= 16, f"the EPSG:3857 picture differs from the CRS:84 one by up to {diff}"


# --------------------------------------------------------------------------- empty areas


EMPTY_BOX = (160.0, -40.0, 170.0, -30.0)  # Tasman Sea, far from every collection


def test_empty_area_is_fully_transparent(http, base_url):
    minx, miny, maxx, maxy = EMPTY_BOX
    wide = (minx - 5, miny - 5, maxx + 5, maxy + 5)
    for c in COLLECTIONS:
        if c != "observations":  # synthetic, 100-105E 10-11N
            assert count_in_box(c, wide) == 0, f"{c} has features near the 'empty' box"
    r = get_map(http, base_url, layers=",".join(COLLECTIONS), bbox=EMPTY_BOX, width=64, height=48,
                TRANSPARENT="TRUE")
    content = image_response(r)
    assert png_header(content)[:2] == (64, 48)
    img = decode(content)
    assert int(img.rgba[..., 3].max()) == 0, "pixels drawn over an empty area"


def test_empty_area_opaque_is_all_bgcolor(http, base_url):
    r = get_map(http, base_url, layers="countries,coal_mines", bbox=EMPTY_BOX, width=64, height=48,
                BGCOLOR="0x123456")
    img = decode(image_response(r))
    assert np.all(img.rgba == np.array([*NAVY, 255], dtype=np.uint8))


# --------------------------------------------------------------------------- polygons, layer order


@pytest.fixture(scope="module")
def inland_frame(tigyit) -> tuple[Frame, float, float]:
    """100 x 100 pixels of 0.004 degrees around the Tigyit mine: inside Myanmar only (no
    border), no other coal mine, facility or mine boundary (checked on the sources)."""
    frame, x, y = mine_frame(tigyit, col=50, row=50, width=100, height=100, res_x=0.004)
    minx, miny, maxx, maxy = frame.bbox
    touching, containing = countries_touching(frame.bbox)
    assert touching == ["MMR"] and containing == ["MMR"], (touching, containing)
    for c in ("mine_facilities", "coal_mine_boundaries"):
        assert count_in_box(c, (minx - 1, miny - 1, maxx + 1, maxy + 1)) == 0, c
    return frame, x, y


def test_country_interior_is_the_blended_fill(http, base_url, inland_frame):
    frame, _, _ = inland_frame
    _, img = request_map(http, base_url, frame, layers="countries")
    want = over(ORANGE, FILL_OPACITY, WHITE)
    worst = max(colour_distance(p, want) for p in img.rgba.reshape(-1, 4))
    assert_colour(img.at(50, 50), want, 3, "country interior")
    assert worst <= 3, f"some interior pixel differs from {want} by {worst}"
    assert int(img.rgba[..., 3].min()) == 255


def test_country_interior_transparent(http, base_url, inland_frame):
    """On a transparent map the fill keeps its own colour at 35 % alpha (PNG alpha is not
    premultiplied)."""
    frame, _, _ = inland_frame
    _, img = request_map(http, base_url, frame, layers="countries", TRANSPARENT="TRUE")
    for col, row in ((5, 5), (50, 50), (94, 20), (20, 94)):
        assert_colour(img.at(col, row), ORANGE, 4, f"pixel ({col}, {row})", alpha=round(FILL_OPACITY * 255),
                      alpha_tolerance=2)


@pytest.mark.parametrize("layers, at_mine, elsewhere", [
    # the palette follows the position in LAYERS; later layers are drawn on top
    ("countries,coal_mines", GREEN, over(ORANGE, FILL_OPACITY, WHITE)),
    ("coal_mines,countries", over(GREEN, FILL_OPACITY, ORANGE), over(GREEN, FILL_OPACITY, WHITE)),
    ("mine_facilities,countries,coal_mines", PURPLE, over(GREEN, FILL_OPACITY, WHITE)),
])
def test_layers_drawn_in_order_with_palette(http, base_url, inland_frame, layers, at_mine, elsewhere):
    frame, x, y = inland_frame
    _, img = request_map(http, base_url, frame, layers=layers)
    col, row = frame.pixel(x, y)
    assert_colour(img.at(math.floor(col), math.floor(row)), at_mine, 6, f"{layers}: the mine's pixel")
    far = distances(img, col, row) > MARKER_REACH
    worst = max(colour_distance(p, elsewhere) for p in img.rgba[far])
    assert worst <= 3, f"{layers}: away from the mine pixels differ from {elsewhere} by up to {worst}"


@pytest.mark.parametrize("crs", ["CRS:84", "EPSG:3857"])
def test_countries_match_their_rasterisation(http, base_url, crs):
    """ASEAN+3 at 240 px wide: every pixel 2 px or more inside exactly one country is the
    fill, every pixel 2 px or more from any country is transparent."""
    corners = [project(crs, lon, lat) for lon, lat in ((90, -12), (150, 55))]
    bbox = (corners[0][0], corners[0][1], corners[1][0], corners[1][1])
    width = 240
    height = round(width * (bbox[3] - bbox[1]) / (bbox[2] - bbox[0]))
    frame = Frame(bbox, width, height)
    _, img = request_map(http, base_url, frame, crs, layers="countries", TRANSPARENT="TRUE")
    check_countries_map(img, frame, crs)


# --------------------------------------------------------------------------- formats


def test_png8_is_a_palette_png(http, base_url, tigyit):
    frame, x, y = mine_frame(tigyit)
    content, img = request_map(http, base_url, frame, format="image/png; mode=8bit", TRANSPARENT="TRUE")
    width, height, depth, colour_type = png_header(content)
    assert (width, height, colour_type) == (200, 150, 3), f"colour type {colour_type}, wanted 3 (palette)"
    assert depth <= 8 and png_has_chunk(content, b"PLTE")
    assert png_has_chunk(content, b"tRNS"), "a transparent palette PNG without tRNS"
    assert img.palette
    assert_marker(img, frame, x, y, ORANGE, None, "png8", tolerance=12)


def test_png8_opaque(http, base_url, tigyit):
    frame, x, y = mine_frame(tigyit)
    content, img = request_map(http, base_url, frame, format="image/png; mode=8bit", BGCOLOR="0x123456")
    assert png_header(content)[3] == 3
    assert_marker(img, frame, x, y, ORANGE, NAVY, "png8 on BGCOLOR", tolerance=12, bg_tolerance=3)


@pytest.mark.parametrize("format", ["image/jpeg", "image/webp"])
@pytest.mark.parametrize("transparent", ["TRUE", "FALSE"])
def test_lossy_formats(http, base_url, tigyit, format, transparent):
    """JPEG (never an alpha channel, so TRANSPARENT=TRUE gets the BGCOLOR) and WebP: the
    mine where it belongs, the rest the background, within compression noise."""
    frame, x, y = mine_frame(tigyit)
    content, img = request_map(http, base_url, frame, format=format, TRANSPARENT=transparent,
                               BGCOLOR="0x123456")
    if format == "image/jpeg":
        assert jpeg_components(content) == 3 and img.bands == 3, "a JPEG with other than 3 components"
        assert img.driver == "JPEG"
    else:
        assert is_webp(content) and img.driver == "WEBP"
    col, row = frame.pixel(x, y)
    centre = img.at(math.floor(col), math.floor(row))
    assert colour_distance(centre, ORANGE) < colour_distance(centre, NAVY), f"{format}: mine pixel {centre}"
    assert colour_distance(centre, ORANGE) <= 48, f"{format}: mine pixel {centre} far from {ORANGE}"
    far = distances(img, col, row) > 16  # outside the 16 x 16 blocks the codecs code the marker in
    if format == "image/webp" and transparent == "TRUE" and img.bands == 4:
        assert int(img.rgba[..., 3][far].max()) == 0, "WebP with alpha: background not transparent"
    else:
        worst = max(colour_distance(p, NAVY) for p in img.rgba[far])
        assert worst <= 8, f"{format}: background pixels off BGCOLOR by up to {worst}"
        assert int(img.rgba[..., 3].min()) == 255


@pytest.mark.parametrize("width, height", [(1, 1), (256, 256), (333, 77), (MAX_SIZE, 8), (8, MAX_SIZE)])
def test_image_size_is_width_by_height(http, base_url, width, height):
    r = get_map(http, base_url, layers="countries,coal_mines", bbox=(90, -12, 150, 55), width=width,
                height=height, TRANSPARENT="TRUE")
    assert png_header(image_response(r))[:2] == (width, height)


@pytest.mark.parametrize("styles", ["", "default", None])
def test_styles_empty_or_default(http, base_url, tigyit, styles):
    """STYLES empty, "default", or left out: the default style."""
    frame, x, y = mine_frame(tigyit)
    params = {"LAYERS": "coal_mines", "CRS": "CRS:84", "BBOX": ",".join(map(repr, frame.bbox)),
              "WIDTH": frame.width, "HEIGHT": frame.height, "FORMAT": "image/png", "TRANSPARENT": "TRUE",
              "STYLES": styles}
    img = decode(image_response(wms_get(http, base_url, "GetMap", **params)))
    assert_marker(img, frame, x, y, ORANGE, None, f"STYLES={styles!r}")


@pytest.mark.parametrize("styles", [",", "default,default", ",default"])
def test_styles_per_layer(http, base_url, inland_frame, styles):
    frame, x, y = inland_frame
    _, img = request_map(http, base_url, frame, layers="countries,coal_mines", styles=styles)
    col, row = frame.pixel(x, y)
    assert_colour(img.at(math.floor(col), math.floor(row)), GREEN, 6, f"STYLES={styles}")


# --------------------------------------------------------------------------- lines


@pytest.fixture(scope="module")
def lines_server(tmp_path_factory, amis_bin):
    """A server over a store with 'tracks': two synthetic lines, one along latitude 10
    from 100E to 101E, one along longitude 100.5 from 10.2N to 10.8N."""
    work = tmp_path_factory.mktemp("wms_lines")
    source = work / "tracks.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(source))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    layer = ds.CreateLayer("tracks", srs, ogr.wkbLineString)
    layer.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    for name, wkt in (("east-west", "LINESTRING (100 10,101 10)"), ("north-south", "LINESTRING (100.5 10.2,100.5 10.8)")):
        f = ogr.Feature(layer.GetLayerDefn())
        f["name"] = name
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        layer.CreateFeature(f)
    ds = None
    store = work / "lines.gpkg"
    amis_import(store, source, "tracks")
    srv = AmisServer(store, work, name="wms-lines")
    srv.start()
    yield srv
    alive = srv.alive()
    status = srv.stop()
    assert alive and status == 0, srv.stderr()[-2000:]


def test_lines_are_stroked_in_the_layer_colour(lines_server):
    # 0.01 degree pixels; latitude 10 runs through the middle of row 80, longitude 100.5
    # through the middle of column 50 (100.0E is column 0.5).
    frame = frame_around(100.5, 10.0, 50, 80, 100, 100, 0.01)
    with http_session() as s:
        r = get_map(s, lines_server.url, layers="tracks", bbox=frame.bbox, width=100, height=100,
                    TRANSPARENT="TRUE")
        img = decode(image_response(r))
    for col in (10, 30, 70, 90):  # along the east-west line
        assert_colour(img.at(col, 80), ORANGE, 8, f"east-west line at column {col}")
        assert img.at(col, 76)[3] == 0 and img.at(col, 84)[3] == 0, f"column {col}: the line is too thick"
    for row in (10, 30, 50):  # along the north-south line (10.8N is row 0.5, 10.2N row 60.5)
        assert_colour(img.at(50, row), ORANGE, 8, f"north-south line at row {row}")
        assert img.at(46, row)[3] == 0 and img.at(54, row)[3] == 0, f"row {row}: the line is too thick"
    assert img.at(10, 10)[3] == 0 and img.at(95, 95)[3] == 0
    assert img.at(50, 75)[3] == 0, "the north-south line runs past its end (10.2N is row 60.5)"
