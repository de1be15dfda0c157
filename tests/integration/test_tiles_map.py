"""Map tiles (PNG, PNG 8-bit, JPEG, WebP drawn with the default style), checked pixel by
pixel against positions computed here: an isolated coal mine's marker centred on the pixel
its coordinates give in the tile (osr for Web Mercator), nothing else drawn; empty tiles
transparent, or white with transparent=false; the countries tile = GDAL's rasterisation of
the source polygons (wms_support.check_countries_map); the dataset tile restricted by
`collections=` = the collection's own tile; the cache keeping formats and backgrounds apart."""
from __future__ import annotations

import math

import numpy as np
import pytest

from tiles_support import TILE_SIZE, TMS, WEB_MERCATOR_QUAD, get_tile
from wms_support import (PALETTE, WHITE, Frame, assert_colour, check_countries_map, decode, is_webp,
                         isolated_mine, jpeg_components, png_header, rgb)

TIGYIT = "Tigyit Coal Mine"  # Myanmar: no other coal mine within 1 degree (checked on the source)
ORANGE = rgb(PALETTE[0])     # the first (here the only) layer's colour
MARKER_REACH = 6.0           # beyond this distance from its centre a pixel is untouched by a marker
OCEAN = ("WebMercatorQuad", 3, 0, 0)  # Alaska and the Arctic: no data at all

MEDIA = {"png": "image/png", "png8": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}


def map_tile(http, base_url, tms_id, z, row, col, collection="coal_mines", f=None, **params):
    if f is not None:
        params["f"] = f
    r = get_tile(http, base_url, tms_id, z, row, col, collection, kind="map", **params)
    want = MEDIA[f or "png"]
    assert r.status_code == 200, f"GET {r.url}: HTTP {r.status_code}: {r.text[:300]}"
    assert r.headers.get("Content-Type", "").split(";")[0] == want, f"GET {r.url}: {r.headers.get('Content-Type')}"
    img = decode(r.content)
    assert (img.width, img.height) == (TILE_SIZE, TILE_SIZE)
    return r.content, img


def mine_tile(tms_id: str, zooms=(9, 10)):
    """(z, row, col, pixel column, pixel row) of a tile holding the Tigyit mine at least
    10 px from its edges, at the first of `zooms` where it is (zoom 9 and deeper: tiles
    < 1 degree, no other mine in or near them)."""
    mine = isolated_mine(TIGYIT)
    tms = TMS[tms_id]
    for z in zooms:
        row, col = tms.tile_of(mine.lon, mine.lat, z)
        x, y = tms.project(mine.lon, mine.lat)
        px, py = tms.tile_position(x, y, z, row, col, TILE_SIZE)
        if min(px, py, TILE_SIZE - px, TILE_SIZE - py) >= 10:
            return z, row, col, px, py
    raise AssertionError(f"the mine is near a tile edge at zooms {zooms}")


def distances(col: float, row: float) -> np.ndarray:
    ys, xs = np.mgrid[0:TILE_SIZE, 0:TILE_SIZE]
    return np.hypot(xs + 0.5 - col, ys + 0.5 - row)


def assert_marker(img, px: float, py: float, background, what: str, tolerance: float = 10) -> None:
    """The layer colour at the computed pixel and its four neighbours, the marker's centre
    of mass on the computed position, nothing drawn farther away."""
    c, r = math.floor(px), math.floor(py)
    for dc, dr in ((0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)):
        assert_colour(img.at(c + dc, r + dr), ORANGE, tolerance, f"{what}: pixel ({c + dc}, {r + dr})")
    far = distances(px, py) > MARKER_REACH
    if background is None:
        weight = img.rgba[..., 3].astype(float)
        stray = np.argwhere(far & (img.rgba[..., 3] != 0))
    else:
        weight = np.abs(img.rgba[..., :3].astype(float) - np.array(background)).max(axis=2)
        stray = np.argwhere(far & (weight > tolerance))
    assert len(stray) == 0, f"{what}: {len(stray)} pixels drawn away from the mine, e.g. {stray[:4].tolist()}"
    weight[far] = 0
    ys, xs = np.mgrid[0:TILE_SIZE, 0:TILE_SIZE]
    centre = ((weight * (xs + 0.5)).sum() / weight.sum(), (weight * (ys + 0.5)).sum() / weight.sum())
    assert math.dist(centre, (px, py)) <= 0.5, (
        f"{what}: marker centred at ({centre[0]:.2f}, {centre[1]:.2f}), the mine is at ({px:.2f}, {py:.2f})")


# --------------------------------------------------------------------------- points


@pytest.mark.parametrize("tms_id, zooms", [
    ("WebMercatorQuad", (9, 10)), ("WorldCRS84Quad", (9, 10)),
    ("WebMercatorQuad", (24, 23, 22, 21)), ("WorldCRS84Quad", (23, 22, 21, 20)),  # the deepest levels
])
def test_mine_at_its_pixel(http, base_url, tms_id, zooms):
    z, row, col, px, py = mine_tile(tms_id, zooms)
    content, img = map_tile(http, base_url, tms_id, z, row, col)
    assert png_header(content) == (TILE_SIZE, TILE_SIZE, 8, 6), "not a 256x256 8-bit RGBA PNG"
    assert_marker(img, px, py, None, f"{tms_id} {z}/{row}/{col}")


def test_mine_on_an_opaque_white_tile(http, base_url):
    z, row, col, px, py = mine_tile("WebMercatorQuad")
    _, img = map_tile(http, base_url, "WebMercatorQuad", z, row, col, transparent="false")
    assert (img.rgba[..., 3] == 255).all(), "transparent=false left transparent pixels"
    assert_marker(img, px, py, WHITE, "transparent=false")


@pytest.mark.parametrize("f", ["png8", "jpeg", "webp"])
def test_other_formats(http, base_url, f):
    z, row, col, px, py = mine_tile("WebMercatorQuad")
    content, img = map_tile(http, base_url, "WebMercatorQuad", z, row, col, f=f)
    if f == "png8":
        assert png_header(content)[3] == 3, "png8 is not a palette PNG"
        assert img.palette
        assert_marker(img, px, py, None, f, tolerance=24)
    elif f == "jpeg":
        assert jpeg_components(content) == 3
        assert_marker(img, px, py, WHITE, f, tolerance=48)
    else:
        assert is_webp(content)
        assert_marker(img, px, py, None if img.bands == 4 else WHITE, f, tolerance=24)


# --------------------------------------------------------------------------- empty tiles


@pytest.mark.parametrize("collection", ["coal_mines", "countries", None])
def test_empty_tile_is_transparent(http, base_url, collection):
    _, img = map_tile(http, base_url, *OCEAN, collection=collection)
    assert (img.rgba[..., 3] == 0).all(), "something drawn where there is no data"


@pytest.mark.parametrize("f", ["png", "png8", "jpeg", "webp"])
def test_empty_opaque_tile_is_white(http, base_url, f):
    _, img = map_tile(http, base_url, *OCEAN, collection=None, f=f, transparent="false")
    assert (img.rgba[..., 3] == 255).all()
    off = np.abs(img.rgba[..., :3].astype(int) - 255).max()
    assert off <= (3 if f in ("jpeg", "webp") else 0), f"{f}: not white, off by up to {off}"


# --------------------------------------------------------------------------- polygons


@pytest.mark.parametrize("tms_id, z, lon, lat", [
    ("WebMercatorQuad", 6, 127.5, 37.5),    # Korea: coasts and the border
    ("WebMercatorQuad", 5, 104.0, 12.0),    # Indochina and the Gulf of Thailand
    ("WorldCRS84Quad", 6, 127.5, 37.5),
])
def test_countries_tile_equals_the_rasterised_sources(http, base_url, tms_id, z, lon, lat):
    tms = TMS[tms_id]
    row, col = tms.tile_of(lon, lat, z)
    _, img = map_tile(http, base_url, tms_id, z, row, col, collection="countries")
    frame = Frame(tms.bounds(z, row, col), TILE_SIZE, TILE_SIZE)
    check_countries_map(img, frame, "EPSG:3857" if tms.mercator else "CRS:84")
    _, opaque = map_tile(http, base_url, tms_id, z, row, col, collection="countries", transparent="false")
    check_countries_map(opaque, frame, "EPSG:3857" if tms.mercator else "CRS:84", transparent=False)


# --------------------------------------------------------------------------- dataset tiles, the cache


@pytest.mark.parametrize("collection", ["coal_mines", "countries"])
def test_dataset_tile_restricted_to_one_collection(http, base_url, collection):
    tms = WEB_MERCATOR_QUAD
    z = 6
    row, col = tms.tile_of(127.5, 37.5, z)
    _, own = map_tile(http, base_url, tms.id, z, row, col, collection=collection)
    _, dataset = map_tile(http, base_url, tms.id, z, row, col, collection=None, collections=collection)
    assert (own.rgba[..., 3] > 0).any(), "choose a tile with data"
    assert np.array_equal(own.rgba, dataset.rgba), f"/map/tiles?collections={collection} != its collection tile"
    _, everything = map_tile(http, base_url, tms.id, z, row, col, collection=None)
    assert not np.array_equal(everything.rgba, own.rgba), "all collections drew the same as one"
    assert ((everything.rgba[..., 3] > 0) >= (own.rgba[..., 3] > 0)).all(), (
        "a pixel drawn by one collection is empty in the map of all")


def test_cache_keeps_formats_and_backgrounds_apart(http, base_url):
    """The same tile asked in every format and background, twice over: each answer is its
    own format, transparent or not as asked, the second round equal to the first."""
    z, row, col, px, py = mine_tile("WorldCRS84Quad")
    rounds = []
    for _ in range(2):
        got = {}
        for f in ("png", "png8", "jpeg", "webp"):
            for transparent in ("true", "false"):
                content, img = map_tile(http, base_url, "WorldCRS84Quad", z, row, col, f=f, transparent=transparent)
                corner = img.at(0, 0)
                if transparent == "false":
                    assert corner[3] == 255 and min(corner[:3]) >= 250, (f, transparent, corner)
                elif f != "jpeg":
                    assert corner[3] == 0, (f, transparent, corner)
                got[(f, transparent)] = content
        assert png_header(got[("png8", "true")])[3] == 3 and png_header(got[("png", "true")])[3] == 6
        assert got[("jpeg", "true")][:2] == b"\xff\xd8" and is_webp(got[("webp", "false")])
        rounds.append(got)
    assert rounds[0] == rounds[1]
