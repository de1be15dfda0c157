"""Map tiles in a named style: OGC API - Tiles `/collections/{id}/styles/{styleId}/map/tiles`
and WMTS STYLE=<name>, over a copy of the session store holding the demo styles.

Oracles: the mark at an isolated mine has the colour the demo style's documentation gives
for its status (styles_support.STATUS_MARK, fill-opacity 0.85), a tile equals WMS GetMap
of the same box and style, and a style replaced over the API changes the next tile (the
tile cache keys the style's version)."""
from __future__ import annotations

import math

import pytest

import styles_support as ss
from support import http_session
from tiles_support import WEB_MERCATOR_QUAD
from wms_support import decode, image_response

SIZE = 15  # status-capacity marks of 5 Mtpa and more
Z = 9


@pytest.fixture(scope="module")
def styled(tmp_path_factory, store_path):
    srv = ss.styled_server(tmp_path_factory.mktemp("tile-styles"), store_path, name="tile-styles")
    yield srv
    ss.stop_checked(srv)


@pytest.fixture(scope="module")
def s(styled):
    with http_session() as session:
        yield session


def mine_tile(mine):
    row, col = WEB_MERCATOR_QUAD.tile_of(mine.lon, mine.lat, Z)
    minx, miny, maxx, maxy = WEB_MERCATOR_QUAD.bounds(Z, row, col)
    x, y = WEB_MERCATOR_QUAD.project(mine.lon, mine.lat)
    px, py = (x - minx) / (maxx - minx) * 256, (maxy - y) / (maxy - miny) * 256
    return row, col, px, py, (minx, miny, maxx, maxy)


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def styled_tile(s, styled, style, row, col):
    return s.get(f"{styled.url}/collections/coal_mines/styles/{style}/map/tiles/WebMercatorQuad/{Z}/{row}/{col}",
                 timeout=60)


def test_styled_tile_has_the_status_colour(s, styled):
    mine = ss.most_isolated("Operating", SIZE)
    row, col, px, py, _ = mine_tile(mine)
    if not (8 < px < 248 and 8 < py < 248):
        pytest.skip("the mine is at a tile edge")
    img = decode(image_response(styled_tile(s, styled, "status-capacity", row, col)))
    r, g, b, a = img.at(int(px), int(py))
    want = hex_rgb(ss.STATUS_MARK["Operating"][1])
    assert abs(a - round(255 * ss.MINE_FILL_OPACITY)) <= 8, a
    assert max(abs(v - w) for v, w in zip((r, g, b), want)) <= 10, ((r, g, b), want)
    default = decode(image_response(s.get(
        f"{styled.url}/collections/coal_mines/map/tiles/WebMercatorQuad/{Z}/{row}/{col}", timeout=60)))
    assert default.at(int(px), int(py))[:3] != (r, g, b)  # the default style is another colour


def test_styled_tile_equals_wms_getmap(s, styled):
    mine = ss.most_isolated("Proposed", SIZE)
    row, col, _, _, box = mine_tile(mine)
    tile = decode(image_response(styled_tile(s, styled, "status-capacity", row, col)))
    r = s.get(styled.url + "/wms", params={
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "coal_mines",
        "STYLES": "status-capacity", "CRS": "EPSG:3857", "BBOX": ",".join(map(str, box)), "WIDTH": 256,
        "HEIGHT": 256, "FORMAT": "image/png", "TRANSPARENT": "TRUE"}, timeout=60)
    wms = decode(image_response(r))
    assert abs(tile.rgba.astype(int) - wms.rgba.astype(int)).max() <= 1


def test_replacing_the_style_changes_the_next_tile(s, styled):
    mine = ss.most_isolated("Operating", SIZE)
    row, col, px, py, _ = mine_tile(mine)
    first = styled_tile(s, styled, "status-capacity", row, col).content
    red = ("<StyledLayerDescriptor version=\"1.0.0\" xmlns=\"http://www.opengis.net/sld\"><NamedLayer>"
           "<Name>coal_mines</Name><UserStyle><Name>red</Name><FeatureTypeStyle><Rule><PointSymbolizer><Graphic>"
           "<Mark><WellKnownName>square</WellKnownName><Fill><CssParameter name=\"fill\">#ff0000</CssParameter>"
           "</Fill></Mark><Size>14</Size></Graphic></PointSymbolizer></Rule></FeatureTypeStyle></UserStyle>"
           "</NamedLayer></StyledLayerDescriptor>")
    headers = {"Authorization": f"Bearer {ss.ADMIN_TOKEN}"}
    put = s.put(styled.url + "/collections/coal_mines/styles/tile-test", data=red, headers=headers, timeout=30)
    assert put.status_code == 200, put.text
    before = styled_tile(s, styled, "tile-test", row, col)
    assert before.status_code == 200
    red_img = decode(image_response(before))
    assert red_img.at(int(px), int(py))[:3] == (255, 0, 0)
    blue = red.replace("#ff0000", "#0000ff")
    assert s.put(styled.url + "/collections/coal_mines/styles/tile-test", data=blue, headers=headers,
                 timeout=30).status_code == 200
    after = decode(image_response(styled_tile(s, styled, "tile-test", row, col)))
    assert after.at(int(px), int(py))[:3] == (0, 0, 255)
    assert styled_tile(s, styled, "status-capacity", row, col).content == first  # others untouched


def test_unknown_style_is_404(s, styled):
    r = styled_tile(s, styled, "no-such-style", 0, 0)
    assert r.status_code == 404 and r.json()["code"] == "NotFound"
    assert s.get(f"{styled.url}/collections/coal_mines/styles/no-such-style/map/tiles",
                 timeout=30).status_code == 404


def test_styled_tilesets_link_their_tiles(s, styled):
    doc = s.get(f"{styled.url}/collections/coal_mines/styles/status-capacity/map/tiles/WebMercatorQuad",
                timeout=30).json()
    items = [l["href"] for l in doc["links"] if l["rel"] == "item"]
    assert items and all("/styles/status-capacity/map/tiles/WebMercatorQuad/{tileMatrix}" in h for h in items)


def test_wmts_lists_and_serves_the_styles(s, styled):
    from lxml import etree
    ns = {"w": "http://www.opengis.net/wmts/1.0", "ows": "http://www.opengis.net/ows/1.1"}
    doc = etree.fromstring(s.get(styled.url + "/wmts/1.0.0/WMTSCapabilities.xml", timeout=30).content)
    layer = [l for l in doc.findall(".//w:Contents/w:Layer", ns)
             if l.findtext("ows:Identifier", namespaces=ns) == "coal_mines"][0]
    names = [st.findtext("ows:Identifier", namespaces=ns) for st in layer.findall("w:Style", ns)]
    assert names[0] == "default" and "status-capacity" in names
    assert layer.findall("w:Style", ns)[0].get("isDefault") == "true"
    mine = ss.most_isolated("Operating", SIZE)
    row, col, _, _, _ = mine_tile(mine)
    rest = s.get(f"{styled.url}/wmts/1.0.0/coal_mines/status-capacity/WebMercatorQuad/{Z}/{row}/{col}.png",
                 timeout=30)
    assert rest.status_code == 200 and rest.content == styled_tile(s, styled, "status-capacity", row, col).content
    bad = s.get(styled.url + "/wmts", params={
        "SERVICE": "WMTS", "VERSION": "1.0.0", "REQUEST": "GetTile", "LAYER": "coal_mines", "STYLE": "nope",
        "FORMAT": "image/png", "TILEMATRIXSET": "WebMercatorQuad", "TILEMATRIX": "0", "TILEROW": "0",
        "TILECOL": "0"}, timeout=30)
    assert bad.status_code == 400 and b'locator="style"' in bad.content
