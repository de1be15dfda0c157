"""Golden images: a few representative map requests compared with reference PNGs kept in
tests/integration/golden/, within a tolerance for anti-aliasing and font rendering
differences (premultiplied RGBA per pixel within 8 on at least 99.5 % of the pixels, and
a mean difference of at most 1 per channel).

They catch what the pixel tests built on independent oracles (test_styles.py,
test_wms_getmap.py, test_tiles_map.py) do not look at: the look of a whole map (label
placement, outlines, dash patterns, the order of symbols, legends) changing unnoticed.
The references were drawn by AMIS itself and checked by eye; they are a regression net,
not an oracle.

The maps come from a server (`amis serve --config`, no admin token) over a copy of the
session store with the demo styles of data/demo/styles added by `amis style add`.

Refreshing the references after an intended change of the drawing (look at the new
images before committing them):

    AMIS_UPDATE_GOLDEN=1 /usr/bin/python3 -m pytest tests/integration/test_golden_maps.py

A missing reference fails the test (it is never created silently); on a mismatch the
image drawn and an image of the differences are written to pytest's temporary directory
and their paths given in the failure message.
"""
from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pytest

import styles_support as ss
from support import http_session
from wms_support import WHITE, Frame, colour_distance, count_in_box, decode, over, project, rgb

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("AMIS_UPDATE_GOLDEN", "") not in ("", "0")

PIXEL_TOLERANCE = 8       # largest per-channel difference of a pixel that still matches
MATCHING_SHARE = 0.995    # share of pixels that must match
MEAN_TOLERANCE = 1.0      # largest mean per-channel difference over the whole image
GOLDEN_BUDGET = 300_000   # bytes for all the references together

WMS = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "FORMAT": "image/png"}
DEMO_LAYERS = {"LAYERS": "countries,coal_mine_boundaries,coal_mines",
               "STYLES": "asean-plus-three,outline,status-capacity"}

# name -> (path, query): each reference is golden/<name>.png
CASES = {
    # mainland South-East Asia, 1:28,000,000 in Web Mercator: country fills and names, mine markers
    "wms-3857-mainland-demo-styles": ("/wms", {
        **WMS, **DEMO_LAYERS, "CRS": "EPSG:3857", "BBOX": "10500000,1000000,12500000,3000000",
        "WIDTH": "256", "HEIGHT": "256"}),
    # Borneo in CRS:84 at 1:18,700,000: many overlapping markers, mine boundaries, a name
    "wms-crs84-borneo-demo-styles": ("/wms", {
        **WMS, **DEMO_LAYERS, "CRS": "CRS:84", "BBOX": "108,-5,120,4", "WIDTH": "256", "HEIGHT": "192"}),
    # East Kalimantan at 1:260,000, EPSG:4326 in latitude/longitude order: mine names with
    # halos, dashed mine boundary outlines
    "wms-4326-kalimantan-names": ("/wms", {
        **WMS, **DEMO_LAYERS, "CRS": "EPSG:4326", "BBOX": "-0.7,116.9,-0.25,117.5", "WIDTH": "256",
        "HEIGHT": "192"}),
    # the legend of status-capacity: 16 rules, marks and titles
    "legend-coal-mines-status-capacity": ("/wms", {
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetLegendGraphic", "LAYER": "coal_mines",
        "STYLE": "status-capacity", "FORMAT": "image/png"}),
    # the legend of asean-plus-three from OGC API Styles: polygon swatches, a text-only rule
    "legend-countries-asean-plus-three": ("/collections/countries/styles/asean-plus-three/legend", {}),
    # the Tasman Sea: nothing of any layer, an opaque background colour
    "wms-empty-tasman-sea": ("/wms", {
        **WMS, **DEMO_LAYERS, "CRS": "CRS:84", "BBOX": "160,-40,170,-30", "WIDTH": "64", "HEIGHT": "48",
        "BGCOLOR": "0x123456"}),
    # an OGC API map tile of coal_mines (default style), WebMercatorQuad 5/14/25 (Laos, Viet Nam)
    "tile-coal-mines-webmercatorquad-5-14-25": ("/collections/coal_mines/map/tiles/WebMercatorQuad/5/14/25", {}),
}


@pytest.fixture(scope="module")
def golden_server(tmp_path_factory, store_path):
    srv = ss.styled_server(tmp_path_factory.mktemp("golden"), store_path, token=None, name="golden")
    yield srv
    ss.stop_checked(srv)


@pytest.fixture(scope="module")
def ghttp(golden_server):
    with http_session() as s:
        yield s


def premultiplied(rgba: np.ndarray) -> np.ndarray:
    """RGB scaled by alpha, and alpha: the colour of a fully transparent pixel does not count."""
    out = rgba.astype(np.float64)
    out[..., :3] *= out[..., 3:4] / 255.0
    return out


def difference_image(actual: np.ndarray, golden: np.ndarray) -> np.ndarray:
    """The golden image faded to light grey, pixels that differ in red (brighter: more)."""
    diff = np.abs(premultiplied(actual) - premultiplied(golden)).max(axis=2)
    grey = 255 - (255 - premultiplied(golden)[..., :3].mean(axis=2)) * 0.25
    out = np.zeros(golden.shape[:2] + (4,), dtype=np.uint8)
    out[..., 0] = np.where(diff > 0, 255, grey).astype(np.uint8)
    out[..., 1] = np.where(diff > 0, np.clip(200 - diff * 8, 0, 200), grey).astype(np.uint8)
    out[..., 2] = out[..., 1]
    out[..., 3] = 255
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(ghttp, golden_server, tmp_path, name):
    path, query = CASES[name]
    r = ghttp.get(golden_server.url + path, params=query or None, timeout=60)
    assert r.status_code == 200, f"GET {r.url}: HTTP {r.status_code}: {r.text[:300]}"
    assert r.headers.get("Content-Type", "").split(";")[0] == "image/png", r.headers.get("Content-Type")
    actual = decode(r.content).rgba
    golden_path = GOLDEN_DIR / f"{name}.png"

    if UPDATE:
        GOLDEN_DIR.mkdir(exist_ok=True)
        golden_path.write_bytes(r.content)  # the server's own PNG: smaller than a re-encoding
        return
    if not golden_path.is_file():
        pytest.fail(f"no reference image {golden_path}; "
                    "draw it with AMIS_UPDATE_GOLDEN=1 /usr/bin/python3 -m pytest "
                    "tests/integration/test_golden_maps.py (and look at it before committing it)", pytrace=False)

    golden = decode(golden_path.read_bytes()).rgba
    actual_path, diff_path = tmp_path / f"{name}.actual.png", tmp_path / f"{name}.diff.png"
    if actual.shape != golden.shape:
        ss.write_png(actual_path, actual)
        pytest.fail(f"{name}: the image is {actual.shape[1]}x{actual.shape[0]}, the reference "
                    f"{golden.shape[1]}x{golden.shape[0]}; drawn: {actual_path}", pytrace=False)
    diff = np.abs(premultiplied(actual) - premultiplied(golden))
    per_pixel = diff.max(axis=2)
    share = float((per_pixel <= PIXEL_TOLERANCE).mean())
    mean = float(diff.mean())
    if share < MATCHING_SHARE or mean > MEAN_TOLERANCE:
        ss.write_png(actual_path, actual)
        ss.write_png(diff_path, difference_image(actual, golden))
        ys, xs = np.nonzero(per_pixel > PIXEL_TOLERANCE)
        box = f"columns {xs.min()}-{xs.max()}, rows {ys.min()}-{ys.max()}" if len(xs) else "none"
        pytest.fail(
            f"{name}: {share:.2%} of the pixels within {PIXEL_TOLERANCE} of {golden_path.name} (wanted "
            f"{MATCHING_SHARE:.1%}), mean difference {mean:.2f} (at most {MEAN_TOLERANCE}); pixels off: {box}.\n"
            f"  drawn:       {actual_path}\n  differences: {diff_path}\n  reference:   {golden_path}\n"
            "If the change is intended, refresh with AMIS_UPDATE_GOLDEN=1 /usr/bin/python3 -m pytest "
            "tests/integration/test_golden_maps.py", pytrace=False)


def test_golden_folder_is_small_and_complete():
    if UPDATE:
        pytest.skip("the references are being rewritten")
    files = sorted(GOLDEN_DIR.glob("*.png"))
    assert sorted(p.stem for p in files) == sorted(CASES), (
        f"references without a case or cases without one: {sorted(p.stem for p in files)} vs {sorted(CASES)}")
    total = sum(p.stat().st_size for p in files)
    assert total <= GOLDEN_BUDGET, f"the references take {total} bytes, more than {GOLDEN_BUDGET}"


# --------------------------------------------------------------------------- independent checks
# The references are AMIS's own drawings. These checks hold both the image drawn now and
# the reference to what the sources say, computed here: a solid background where there is
# nothing, and the marker of each isolated coal mine (OGR on the source, osr for Web
# Mercator) at its pixel in the colour of its status.

# name -> (frame in east/north order, CRS for osr)
MARKER_CASES = {
    "wms-3857-mainland-demo-styles": (Frame((10500000.0, 1000000.0, 12500000.0, 3000000.0), 256, 256), "EPSG:3857"),
    "wms-crs84-borneo-demo-styles": (Frame((108.0, -5.0, 120.0, 4.0), 256, 192), "CRS:84"),
}  # (not wms-4326-kalimantan-names: there the mine names are drawn over the markers)
ISOLATION = 10.0   # px to the nearest other coal mine: no other marker (at most 15 px wide) covers the centre
MARKER_REACH = 6.0  # px: the default style's marker never reaches farther (test_tiles_map)


def both_images(ghttp, golden_server, name: str) -> dict[str, np.ndarray]:
    """The image drawn now and the reference, RGBA."""
    path, query = CASES[name]
    r = ghttp.get(golden_server.url + path, params=query or None, timeout=60)
    assert r.status_code == 200, f"GET {r.url}: HTTP {r.status_code}: {r.text[:300]}"
    return {"drawn": decode(r.content).rgba, "reference": decode((GOLDEN_DIR / f"{name}.png").read_bytes()).rgba}


def mine_pixels(frame: Frame, crs: str) -> list[tuple[ss.SourceMine, float, float]]:
    """(mine, column, row) of every source coal mine within 8 px of the frame."""
    out = []
    for m in ss.coal_mines():
        col, row = frame.pixel(*project(crs, m.lon, m.lat))
        if -8 <= col <= frame.width + 8 and -8 <= row <= frame.height + 8:
            out.append((m, col, row))
    return out


def assert_tasman_box_is_empty() -> None:
    """Nothing of any layer lies in the Tasman Sea box (OGR on the sources)."""
    for collection in ("countries", "coal_mine_boundaries", "coal_mines"):
        assert count_in_box(collection, (160.0, -40.0, 170.0, -30.0)) == 0, collection


@pytest.mark.parametrize("name", ["wms-empty-tasman-sea"])
def test_empty_map_is_a_solid_computed_colour(ghttp, golden_server, name):
    """No feature in the box (OGR): the map is BGCOLOR 0x123456, opaque, in every pixel."""
    assert_tasman_box_is_empty()
    want = np.zeros((48, 64, 4), dtype=np.uint8)
    want[...] = (0x12, 0x34, 0x56, 255)
    for which, rgba in both_images(ghttp, golden_server, name).items():
        assert rgba.shape == want.shape, which
        off = np.argwhere((rgba != want).any(axis=2))
        assert len(off) == 0, f"{which}: {len(off)} pixels are not #123456, e.g. (row, col) {off[:4].tolist()}"


@pytest.mark.parametrize("name", sorted(MARKER_CASES))
def test_isolated_mines_are_drawn_at_their_pixels_in_their_status_colour(ghttp, golden_server, name):
    """At the pixel of each coal mine with no other within ISOLATION px and 10 px inside the
    map: the status-capacity fill of its status at 0.85 over white or a country fill (the
    candidates below a marker), within 30."""
    frame, crs = MARKER_CASES[name]
    mines = mine_pixels(frame, crs)
    isolated = [(m, c, r) for m, c, r in mines if 10 <= c < frame.width - 10 and 10 <= r < frame.height - 10
                and all(math.hypot(c - c2, r - r2) >= ISOLATION for m2, c2, r2 in mines if m2 is not m)]
    assert len(isolated) >= 3, f"{name}: only {len(isolated)} isolated mines"
    below = [WHITE] + [over(rgb(ss.GROUP_FILL[g]), ss.COUNTRY_FILL_OPACITY, WHITE) for g in ss.GROUP_FILL]
    for which, rgba in both_images(ghttp, golden_server, name).items():
        for m, col, row in isolated:
            pixel = rgba[int(row), int(col)]
            colour = rgb(ss.STATUS_MARK[m.status][1])
            distance = min(colour_distance(pixel, over(colour, ss.MINE_FILL_OPACITY, b)) for b in below)
            assert distance <= 30, (f"{which} {name}: {m.name} ({m.status}) at ({col:.1f}, {row:.1f}) is "
                                    f"{tuple(int(v) for v in pixel)}, not its status colour")


def test_map_tile_draws_the_mines_and_nothing_else(ghttp, golden_server):
    """WebMercatorQuad 5/14/25, default style on a transparent tile: every source coal mine
    in it (osr) has a drawn pixel; pixels MARKER_REACH px or more from every mine are
    transparent."""
    name = "tile-coal-mines-webmercatorquad-5-14-25"
    z, row, col = 5, 14, 25
    size = 2 * 20037508.342789244 / 2 ** z
    minx, maxy = -20037508.342789244 + col * size, 20037508.342789244 - row * size
    frame = Frame((minx, maxy - size, minx + size, maxy), 256, 256)
    mines = mine_pixels(frame, "EPSG:3857")
    inside = [(c, r) for _, c, r in mines if 0 <= c < 256 and 0 <= r < 256]
    assert len(inside) >= 10, len(inside)
    ys, xs = np.mgrid[0:256, 0:256]
    far = np.ones((256, 256), dtype=bool)
    for _, c, r in mines:
        far &= np.hypot(xs + 0.5 - c, ys + 0.5 - r) >= MARKER_REACH
    for which, rgba in both_images(ghttp, golden_server, name).items():
        missing = [(round(c, 1), round(r, 1)) for c, r in inside if rgba[int(r), int(c), 3] == 0]
        assert not missing, f"{which}: no marker at {missing[:5]}"
        stray = np.argwhere((rgba[..., 3] > 0) & far)
        assert len(stray) == 0, f"{which}: {len(stray)} pixels drawn away from every mine, e.g. {stray[:4].tolist()}"
