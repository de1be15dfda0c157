"""Images that are not maps: WMS GetLegendGraphic, and GetMap errors as images
(EXCEPTIONS=INIMAGE / BLANK).

Legends are decoded with GDAL and compared with what GetMap draws for the same layer: the
point marker's colour at a coal mine's computed pixel, the polygon fill of a country's
interior (35 % of the palette colour; over white when opaque); the title is dark text to
the right of the swatch; the background is transparent by default, opaque with
TRANSPARENT=FALSE or JPEG. Capabilities (1.3.0 and 1.1.1) give each layer a style
`default` whose LegendURL fetches that legend. Error images have the requested size,
format and background, with the message in red across the middle (INIMAGE) or nothing at
all (BLANK), and HTTP status 400."""
from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest

from wms_support import (COLLECTIONS, PALETTE, WMS_NS, XLINK_NS, Image, assert_colour,
                         assert_service_exception, decode, frame_around, get_map, image_response, is_webp,
                         isolated_mine, jpeg_components, named_layers, png_header, project, rgb,
                         service_exceptions, wms_get)
from wfs_support import parse_xml

VERSIONS = ["1.3.0", "1.1.1"]
TIGYIT = "Tigyit Coal Mine"
ORANGE = rgb(PALETTE[0])
NAVY = (0x12, 0x34, 0x56)
POINT_LAYERS = ["coal_mines", "mine_facilities", "observations"]
POLYGON_LAYERS = ["countries", "coal_mine_boundaries"]
DEFAULT_SYMBOL = 20


def legend(http, base_url, layer: str, version: str = "1.3.0", **params):
    return wms_get(http, base_url, "GetLegendGraphic", version, LAYER=layer, **params)


def legend_image(http, base_url, layer: str, media_type: str = "image/png", **params) -> tuple[bytes, Image]:
    content = image_response(legend(http, base_url, layer, **params), media_type)
    return content, decode(content)


def swatch_columns(symbol: int) -> slice:
    """The left part of a legend row: the swatch (symbol px wide, a small margin around)."""
    return slice(0, symbol + 6)


def text_columns(symbol: int) -> slice:
    return slice(symbol + 6, None)


def near(img: Image, colour, tolerance: float, min_alpha: int = 250) -> np.ndarray:
    """Pixels within `tolerance` (per channel) of an RGB colour, with at least `min_alpha`."""
    rgb_ = img.rgba[..., :3].astype(int)
    return (np.abs(rgb_ - np.array(colour)).max(axis=2) <= tolerance) & (img.rgba[..., 3] >= min_alpha)


def dark(img: Image) -> np.ndarray:
    """Dark text pixels: opaque enough and every channel below 100."""
    return (img.rgba[..., :3].max(axis=2) < 100) & (img.rgba[..., 3] >= 160)


@pytest.fixture(scope="module")
def titles(http, base_url) -> dict[str, str]:
    doc = parse_xml(wms_get(http, base_url, "GetCapabilities", "1.3.0"))
    return {name: layer.findtext(f"{{{WMS_NS}}}Title") for name, layer in named_layers(doc).items()}


# --------------------------------------------------------------------------- what GetMap draws


@pytest.fixture(scope="module")
def tigyit():
    return isolated_mine(TIGYIT)


@pytest.fixture(scope="module")
def map_marker_colour(http, base_url, tigyit) -> tuple[int, int, int, int]:
    """The colour GetMap gives the coal_mines marker at the mine's pixel (the layer alone)."""
    x, y = project("CRS:84", tigyit.lon, tigyit.lat)
    frame = frame_around(x, y, 60, 40, 120, 80, 0.002)
    img = decode(image_response(get_map(http, base_url, layers="coal_mines", bbox=frame.bbox, width=120, height=80,
                                        TRANSPARENT="TRUE")))
    pixel = img.at(60, 40)
    assert_colour(pixel, ORANGE, 12, "GetMap marker centre")  # self-check against the palette
    return pixel


@pytest.fixture(scope="module")
def map_fill_colours(http, base_url, tigyit) -> dict[bool, tuple[int, int, int, int]]:
    """The colour GetMap gives the inside of a country (the countries layer alone), on a
    transparent (True) and on an opaque white (False) map: 100 x 100 pixels of Myanmar."""
    x, y = project("CRS:84", tigyit.lon, tigyit.lat)
    frame = frame_around(x, y, 50, 50, 100, 100, 0.004)
    out = {}
    for transparent in (True, False):
        img = decode(image_response(get_map(http, base_url, layers="countries", bbox=frame.bbox, width=100,
                                            height=100, TRANSPARENT=str(transparent).upper())))
        out[transparent] = img.at(50, 50)
    assert out[True][3] < 128 and out[False][3] == 255, out
    return out


# --------------------------------------------------------------------------- legends


def assert_legend_layout(img: Image, symbol: int, what: str) -> None:
    """Something drawn in the swatch, dark title text to its right and none in the swatch."""
    swatch, text = img.rgba[:, swatch_columns(symbol)], dark(img)[:, text_columns(symbol)]
    assert int((swatch[..., 3] > 0).sum()) >= 9, f"{what}: nothing drawn in the swatch area"
    assert int(text.sum()) >= 25, f"{what}: only {int(text.sum())} dark text pixels right of the swatch"
    assert int(dark(img)[:, swatch_columns(symbol)].sum()) == 0, f"{what}: dark pixels in the swatch"
    assert img.height >= symbol, f"{what}: the legend is {img.height} px high for a {symbol} px symbol"


def test_point_legend_has_the_map_marker_colour(http, base_url, map_marker_colour):
    content, img = legend_image(http, base_url, "coal_mines")
    width, height, depth, colour_type = png_header(content)
    assert colour_type == 6 and depth == 8, "not an 8-bit RGBA PNG"
    assert_legend_layout(img, DEFAULT_SYMBOL, "coal_mines")
    marker = near(img, map_marker_colour[:3], 12)
    assert int(marker[:, swatch_columns(DEFAULT_SYMBOL)].sum()) >= 9, (
        f"no pixel of the GetMap marker colour {map_marker_colour} in the swatch")
    assert int(marker[:, text_columns(DEFAULT_SYMBOL)].sum()) == 0, "marker colour right of the swatch"
    # the marker is a disc: its pixels are centred in the swatch, about 7 px across
    ys, xs = np.nonzero(near(img, map_marker_colour[:3], 40, 128))
    assert abs(xs.mean() + 0.5 - (2 + DEFAULT_SYMBOL / 2)) <= 1.5, xs.mean()
    assert 4 <= xs.max() - xs.min() + 1 <= 9 and 4 <= ys.max() - ys.min() + 1 <= 9, (xs.min(), xs.max(), ys.min(), ys.max())


@pytest.mark.parametrize("layer", POLYGON_LAYERS)
@pytest.mark.parametrize("transparent", [None, "TRUE", "FALSE"])
def test_polygon_legend_has_the_map_fill(http, base_url, map_fill_colours, layer, transparent):
    """A filled square: its inside = GetMap's inside of a country (the same default style)."""
    _, img = legend_image(http, base_url, layer, TRANSPARENT=transparent)
    assert_legend_layout(img, DEFAULT_SYMBOL, layer)
    want = map_fill_colours[transparent != "FALSE"]
    centre = img.at(2 + DEFAULT_SYMBOL // 2, img.height // 2)
    assert_colour(centre, want[:3], 4, f"{layer} swatch centre", alpha=want[3], alpha_tolerance=3)
    fill = near(img, want[:3], 4, want[3] - 3) & (np.abs(img.rgba[..., 3].astype(int) - want[3]) <= 3)
    inside = int(fill[:, swatch_columns(DEFAULT_SYMBOL)].sum())
    assert inside >= (DEFAULT_SYMBOL - 8) ** 2, f"{layer}: only {inside} fill pixels in the swatch"
    assert int(fill[:, text_columns(DEFAULT_SYMBOL)].sum()) == 0


@pytest.mark.parametrize("layer", COLLECTIONS)
def test_every_layer_has_a_legend(http, base_url, layer, titles):
    """Point layers a marker, polygon layers a fill, in the first palette colour; the title
    as text about as wide as its characters; a transparent background by default."""
    _, img = legend_image(http, base_url, layer)
    assert_legend_layout(img, DEFAULT_SYMBOL, layer)
    if layer in POINT_LAYERS:
        coloured = near(img, ORANGE, 12)
    else:
        coloured = near(img, ORANGE, 6, 80) & (img.rgba[..., 3] <= 100)
    assert int(coloured[:, swatch_columns(DEFAULT_SYMBOL)].sum()) >= 9, f"{layer}: no {PALETTE[0]} in the swatch"
    ys, xs = np.nonzero(dark(img))
    title = titles[layer]
    assert xs.max() - xs.min() + 1 >= 4 * len(title), f"{layer}: {xs.max() - xs.min() + 1} px of text for {title!r}"
    alpha = img.rgba[..., 3]
    for c, r in ((0, 0), (img.width - 1, 0), (0, img.height - 1), (img.width - 1, img.height - 1)):
        assert alpha[r, c] == 0, f"{layer}: corner ({c}, {r}) not transparent"
    assert (alpha == 0).mean() >= 0.6, f"{layer}: only {(alpha == 0).mean():.0%} of the legend is transparent"


def test_longer_titles_give_wider_legends(http, base_url, titles):
    widths = {layer: legend_image(http, base_url, layer)[1].width for layer in COLLECTIONS}
    by_title = sorted(COLLECTIONS, key=lambda c: len(titles[c]))
    shortest, longest = by_title[0], by_title[-1]
    if len(titles[longest]) > len(titles[shortest]) + 3:
        assert widths[longest] > widths[shortest], (widths, titles)


@pytest.mark.parametrize("value", ["FALSE", "false"])
def test_opaque_legend(http, base_url, value):
    _, img = legend_image(http, base_url, "coal_mines", TRANSPARENT=value)
    assert int(img.rgba[..., 3].min()) == 255
    for c, r in ((0, 0), (img.width - 1, 0), (0, img.height - 1), (img.width - 1, img.height - 1)):
        assert img.at(c, r) == (255, 255, 255, 255), f"corner ({c}, {r}) is {img.at(c, r)}"
    assert_legend_layout(img, DEFAULT_SYMBOL, "opaque")


def test_jpeg_legend(http, base_url, map_marker_colour):
    content, img = legend_image(http, base_url, "coal_mines", "image/jpeg", FORMAT="image/jpeg")
    assert jpeg_components(content) == 3
    assert int(img.rgba[..., :3][0, :].min()) >= 245 and int(img.rgba[..., :3][-1, :].min()) >= 245, (
        "a JPEG legend's background is not white")
    assert int(near(img, map_marker_colour[:3], 40)[:, swatch_columns(DEFAULT_SYMBOL)].sum()) >= 4
    assert int(dark(img)[:, text_columns(DEFAULT_SYMBOL)].sum()) >= 15


def test_png8_legend(http, base_url, map_marker_colour):
    content, img = legend_image(http, base_url, "coal_mines", FORMAT="image/png; mode=8bit")
    assert png_header(content)[3] == 3 and img.palette, "not a palette PNG"
    assert int(near(img, map_marker_colour[:3], 20)[:, swatch_columns(DEFAULT_SYMBOL)].sum()) >= 6
    assert img.at(0, 0)[3] == 0


def test_webp_legend(http, base_url):
    content, img = legend_image(http, base_url, "countries", "image/webp", FORMAT="image/webp")
    assert is_webp(content)
    _, png = legend_image(http, base_url, "countries")
    assert (img.width, img.height) == (png.width, png.height)
    assert int(dark(img)[:, text_columns(DEFAULT_SYMBOL)].sum()) >= 15


@pytest.mark.parametrize("name", ["HEIGHT", "WIDTH"])
def test_symbol_size(http, base_url, map_fill_colours, name):
    """WIDTH/HEIGHT give the symbol's size: a 40 px square has about (36/16)^2 the fill of a
    20 px one."""
    want = map_fill_colours[True]

    def filled(img: Image, symbol: int) -> int:
        f = near(img, want[:3], 4, want[3] - 3) & (np.abs(img.rgba[..., 3].astype(int) - want[3]) <= 3)
        return int(f[:, swatch_columns(symbol)].sum())

    _, small = legend_image(http, base_url, "countries")
    _, big = legend_image(http, base_url, "countries", **{name: "40"})
    assert big.height >= 40 > small.height
    assert filled(big, 40) >= 3 * filled(small, DEFAULT_SYMBOL), (filled(big, 40), filled(small, DEFAULT_SYMBOL))
    assert_legend_layout(big, 40, "40 px symbol")


def test_large_symbol_size(http, base_url):
    _, img = legend_image(http, base_url, "countries", HEIGHT="100")
    assert img.height >= 100, f"HEIGHT=100: the legend is {img.height} px high"


@pytest.mark.parametrize("params", [{"STYLE": "default"}, {"STYLE": ""}, {"RULE": "default"},
                                    {"STYLE": "default", "RULE": "default"}])
def test_default_style_and_rule(http, base_url, params):
    _, plain = legend_image(http, base_url, "countries")
    _, img = legend_image(http, base_url, "countries", **params)
    assert np.array_equal(img.rgba, plain.rgba), params


@pytest.mark.parametrize("version", VERSIONS)
def test_legend_in_both_versions(http, base_url, version):
    _, a = legend_image(http, base_url, "coal_mines")
    content = image_response(legend(http, base_url, "coal_mines", version))
    assert np.array_equal(decode(content).rgba, a.rgba)


# --------------------------------------------------------------------------- LegendURL in the capabilities


@pytest.mark.parametrize("version", VERSIONS)
def test_capabilities_legend_urls(http, base_url, version):
    r = wms_get(http, base_url, "GetCapabilities", version)
    assert r.status_code == 200
    doc = parse_xml(r)
    ns = WMS_NS if version == "1.3.0" else None
    q = (lambda n: f"{{{WMS_NS}}}{n}") if ns else (lambda n: n)
    if version == "1.1.1":
        op = doc.find(f"{q('Capability')}/{q('Request')}/GetLegendGraphic")
        assert op is not None, "1.1.1: no GetLegendGraphic under Request"
        assert "image/png" in [f.text for f in op.findall("Format")]
    layers = named_layers(doc, ns)
    assert sorted(layers) == sorted(COLLECTIONS)
    for name, layer in layers.items():
        styles = {s.findtext(q("Name")): s for s in layer.findall(q("Style"))}
        assert "default" in styles, f"{name}: styles {list(styles)}"
        url = styles["default"].find(q("LegendURL"))
        assert url is not None, f"{name}: no LegendURL"
        assert url.findtext(q("Format")) == "image/png"
        href = url.find(q("OnlineResource")).get(f"{{{XLINK_NS}}}href")
        query = {k.upper(): v for k, v in parse_qsl(urlsplit(href).query, keep_blank_values=True)}
        assert query.get("REQUEST") == "GetLegendGraphic" and query.get("LAYER") == name, href
        assert urlsplit(href).path == "/wms", href
        got = http.get(base_url + "/wms?" + urlsplit(href).query, timeout=30)
        img = decode(image_response(got))
        _, direct = legend_image(http, base_url, name)
        assert np.array_equal(img.rgba, direct.rgba), f"{name}: the LegendURL gives another legend"


@pytest.mark.parametrize("version", VERSIONS)
def test_capabilities_legend_url_size(http, base_url, version):
    doc = parse_xml(wms_get(http, base_url, "GetCapabilities", version))
    ns = WMS_NS if version == "1.3.0" else None
    q = (lambda n: f"{{{WMS_NS}}}{n}") if ns else (lambda n: n)
    for name, layer in named_layers(doc, ns).items():
        for style in layer.findall(q("Style")):
            url = style.find(q("LegendURL"))
            _, img = legend_image(http, base_url, name, STYLE=style.findtext(q("Name")))
            assert (int(url.get("width")), int(url.get("height"))) == (img.width, img.height), name


# --------------------------------------------------------------------------- legend errors


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("params, code, locator", [
    ({"LAYER": "nope"}, "LayerNotDefined", "LAYER"),
    ({"LAYER": "Countries"}, "LayerNotDefined", "LAYER"),
    ({"LAYER": "amis:countries"}, "LayerNotDefined", "LAYER"),
    ({"LAYER": "countries,coal_mines"}, "LayerNotDefined", "LAYER"),
    ({"LAYER": None}, "MissingParameterValue", "LAYER"),
    ({"LAYER": ""}, "MissingParameterValue", "LAYER"),
    ({"STYLE": "fancy"}, "StyleNotDefined", "STYLE"),
    ({"STYLE": "Default"}, "StyleNotDefined", "STYLE"),
    ({"RULE": "nope"}, "InvalidParameterValue", "RULE"),
    ({"FORMAT": "image/gif"}, "InvalidFormat", "FORMAT"),
    ({"FORMAT": "text/html"}, "InvalidFormat", "FORMAT"),
    ({"WIDTH": "0"}, "InvalidParameterValue", "WIDTH"),
    ({"WIDTH": "513"}, "InvalidParameterValue", "WIDTH"),
    ({"HEIGHT": "-20"}, "InvalidParameterValue", "HEIGHT"),
    ({"HEIGHT": "abc"}, "InvalidParameterValue", "HEIGHT"),
    ({"HEIGHT": "20.5"}, "InvalidParameterValue", "HEIGHT"),
    ({"WIDTH": "9" * 40}, "InvalidParameterValue", "WIDTH"),
])
def test_legend_errors(http, base_url, version, params, code, locator):
    query = {"LAYER": "countries", **params}
    r = wms_get(http, base_url, "GetLegendGraphic", version, **{k: v for k, v in query.items() if v is not None})
    e = assert_service_exception(r, code, version)
    if version == "1.3.0":
        assert (e.locator or "").upper() == locator, e


def test_legend_size_limits_accepted(http, base_url):
    for params in ({"WIDTH": "1"}, {"HEIGHT": "1"}, {"WIDTH": "512"}, {"HEIGHT": "512"}):
        decode(image_response(legend(http, base_url, "countries", **params)))


HOSTILE = [{"LAYER": "x" * 100000}, {"LAYER": "countries\x00"}, {"RULE": "<script>"}, {"STYLE": "s" * 5000},
           {"FORMAT": "image/png" * 1000}, {"TRANSPARENT": "\u00ff" * 100}, {"RULE": ""}, {"WIDTH": ""},
           {"LAYER": "../countries"}, {"LAYER": "countries'--"}]


@pytest.mark.parametrize("params", HOSTILE, ids=range(len(HOSTILE)))
def test_legend_never_a_server_error(http, base_url, params):
    r = wms_get(http, base_url, "GetLegendGraphic", "1.3.0", **{"LAYER": "countries", **params})
    assert r.status_code < 500, f"HTTP {r.status_code}: {r.text[:300]}"
    if r.status_code == 200:
        decode(r.content)
    elif "xml" in r.headers.get("Content-Type", ""):
        service_exceptions(r, "1.3.0", status=r.status_code)
        assert "<script>" not in r.text
    else:
        assert r.status_code in (400, 413, 414, 431)


# --------------------------------------------------------------------------- GetMap EXCEPTIONS=INIMAGE / BLANK


def broken_map(http, base_url, version: str = "1.3.0", **changes):
    """A GetMap for an unknown layer (LayerNotDefined), 300 x 200 PNG, with changes."""
    params = {"LAYERS": "no_such_layer", "STYLES": "", "BBOX": "90,-12,150,55", "WIDTH": "300", "HEIGHT": "200",
              "FORMAT": "image/png", ("CRS" if version == "1.3.0" else "SRS"): "CRS:84" if version == "1.3.0"
              else "EPSG:4326"}
    params.update(changes)
    return wms_get(http, base_url, "GetMap", version, **{k: v for k, v in params.items() if v is not None})


def error_image(r, media_type: str = "image/png") -> Image:
    assert r.status_code == 400, f"HTTP {r.status_code}, wanted 400: {r.text[:300]}"
    ctype = r.headers.get("Content-Type", "").split(";")[0].strip()
    assert ctype == media_type, f"Content-Type {ctype!r}, wanted {media_type}"
    return decode(r.content)


def red(img: Image, tolerance_alpha: int = 100) -> np.ndarray:
    px = img.rgba.astype(int)
    return (px[..., 0] >= 120) & (px[..., 1] <= 90) & (px[..., 2] <= 90) & (px[..., 0] - px[..., 1] >= 60) & (
        px[..., 3] >= tolerance_alpha)


def assert_red_message_in_the_middle(img: Image, what: str) -> None:
    mask = red(img)
    count = int(mask.sum())
    assert count >= 40, f"{what}: {count} red pixels, wanted a message"
    ys, xs = np.nonzero(mask)
    assert abs(ys.mean() - img.height / 2) <= 12, f"{what}: the red text is centred on row {ys.mean():.0f}"
    assert abs(xs.mean() - img.width / 2) <= max(20, img.width / 8), f"{what}: centred on column {xs.mean():.0f}"
    assert ys.min() > 5 and ys.max() < img.height - 5, f"{what}: red pixels at the edges"


INIMAGE = {"1.3.0": ["INIMAGE", "application/vnd.ogc.se_inimage"],
           "1.1.1": ["application/vnd.ogc.se_inimage", "INIMAGE"]}
BLANK = {"1.3.0": ["BLANK", "application/vnd.ogc.se_blank"], "1.1.1": ["application/vnd.ogc.se_blank", "BLANK"]}


@pytest.mark.parametrize("version, exceptions", [(v, e) for v in VERSIONS for e in INIMAGE[v]])
def test_inimage(http, base_url, version, exceptions):
    img = error_image(broken_map(http, base_url, version, EXCEPTIONS=exceptions))
    assert (img.width, img.height) == (300, 200)
    assert_red_message_in_the_middle(img, f"{version} {exceptions}")
    for c, r in ((0, 0), (299, 0), (0, 199), (299, 199)):
        assert img.at(c, r) == (255, 255, 255, 255), f"corner ({c}, {r}) is {img.at(c, r)}: not the white default"


@pytest.mark.parametrize("changes", [
    {"CRS": "EPSG:999999", "LAYERS": "countries"},
    {"BBOX": "1,2,3", "LAYERS": "countries"},
    {"STYLES": "fancy", "LAYERS": "countries"},
    {"LAYERS": None},
    {"FORMAT": "image/gif"},          # the error is in FORMAT itself: a PNG
    {"TRANSPARENT": "maybe", "LAYERS": "countries"},
])
def test_inimage_for_other_errors(http, base_url, changes):
    img = error_image(broken_map(http, base_url, EXCEPTIONS="INIMAGE", **changes))
    assert (img.width, img.height) == (300, 200)
    assert_red_message_in_the_middle(img, str(changes))


@pytest.mark.parametrize("format, media_type", [("image/jpeg", "image/jpeg"), ("image/webp", "image/webp"),
                                                ("image/png; mode=8bit", "image/png")])
def test_inimage_formats(http, base_url, format, media_type):
    r = broken_map(http, base_url, EXCEPTIONS="INIMAGE", FORMAT=format, WIDTH="240", HEIGHT="120")
    img = error_image(r, media_type)
    assert (img.width, img.height) == (240, 120)
    if media_type == "image/jpeg":
        assert jpeg_components(r.content) == 3
    if media_type == "image/webp":
        assert is_webp(r.content)
    assert_red_message_in_the_middle(img, format)


def test_inimage_transparent_and_bgcolor(http, base_url):
    img = error_image(broken_map(http, base_url, EXCEPTIONS="INIMAGE", TRANSPARENT="TRUE"))
    assert img.at(0, 0)[3] == 0 and img.at(299, 199)[3] == 0, "TRANSPARENT=TRUE: the background is drawn"
    assert_red_message_in_the_middle(img, "transparent")
    img = error_image(broken_map(http, base_url, EXCEPTIONS="INIMAGE", BGCOLOR="0x123456"))
    assert img.at(0, 0) == (*NAVY, 255) and img.at(299, 199) == (*NAVY, 255)
    assert_red_message_in_the_middle(img, "BGCOLOR")


@pytest.mark.parametrize("width, height, want", [
    ("abc", "abc", (256, 256)),
    ("abc", None, (256, 256)),
    ("0", "-3", (256, 256)),
    ("100000", "100000", (256, 256)),
])
def test_inimage_when_the_size_is_the_error(http, base_url, width, height, want):
    start = time.monotonic()
    img = error_image(broken_map(http, base_url, EXCEPTIONS="INIMAGE", LAYERS="countries", WIDTH=width,
                                 HEIGHT=height))
    assert time.monotonic() - start < 2
    assert (img.width, img.height) == want
    assert_red_message_in_the_middle(img, f"WIDTH={width}")


def test_inimage_bad_width_keeps_a_good_height(http, base_url):
    img = error_image(broken_map(http, base_url, EXCEPTIONS="INIMAGE", LAYERS="countries", WIDTH="abc",
                                 HEIGHT="120"))
    assert img.width == 256 and img.height in (120, 256)
    assert int(red(img).sum()) >= 40


@pytest.mark.parametrize("version, exceptions", [(v, e) for v in VERSIONS for e in BLANK[v]])
def test_blank(http, base_url, version, exceptions):
    img = error_image(broken_map(http, base_url, version, EXCEPTIONS=exceptions))
    assert (img.width, img.height) == (300, 200)
    assert np.all(img.rgba == np.array([255, 255, 255, 255], dtype=np.uint8)), "BLANK is not all the white default"


def test_blank_bgcolor_and_transparent(http, base_url):
    img = error_image(broken_map(http, base_url, EXCEPTIONS="BLANK", BGCOLOR="0x123456", WIDTH="64", HEIGHT="48"))
    assert (img.width, img.height) == (64, 48)
    assert np.all(img.rgba == np.array([*NAVY, 255], dtype=np.uint8))
    img = error_image(broken_map(http, base_url, EXCEPTIONS="BLANK", TRANSPARENT="TRUE"))
    assert int(img.rgba[..., 3].max()) == 0
    img = error_image(broken_map(http, base_url, EXCEPTIONS="BLANK", FORMAT="image/jpeg"), "image/jpeg")
    assert int(red(img).sum()) == 0 and int(img.rgba[..., :3].min()) >= 250


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("exceptions", [None, "XML", "application/vnd.ogc.se_xml"])
def test_xml_exceptions(http, base_url, version, exceptions):
    r = broken_map(http, base_url, version, EXCEPTIONS=exceptions)
    assert_service_exception(r, "LayerNotDefined", version)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("exceptions", ["HTML", "application/vnd.ogc.se_html", "INIMAGES", "", "image/png",
                                        "<script>"])
def test_unknown_exceptions_value(http, base_url, version, exceptions):
    """Refused with an XML report, also on an otherwise valid GetMap."""
    for layers in ("countries", "no_such_layer"):
        r = broken_map(http, base_url, version, EXCEPTIONS=exceptions, LAYERS=layers)
        e = assert_service_exception(r, "InvalidParameterValue", version)
        if version == "1.3.0":
            assert (e.locator or "").upper() == "EXCEPTIONS", e
        assert "<script>" not in r.text


@pytest.mark.parametrize("exceptions", ["INIMAGE", "BLANK"])
def test_valid_map_ignores_the_exception_format(http, base_url, exceptions):
    plain = image_response(broken_map(http, base_url, LAYERS="countries"))
    r = broken_map(http, base_url, LAYERS="countries", EXCEPTIONS=exceptions)
    assert np.array_equal(decode(image_response(r)).rgba, decode(plain).rgba)

