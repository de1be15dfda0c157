"""SLD ExternalGraphic from the server's symbol folder (static/symbols): the symbol is
drawn at the pixel of an isolated mine, at the size the SLD gives; a name that is not in
the folder is refused, whatever path or URL it comes with."""
from __future__ import annotations

import numpy as np

from wms_support import decode, image_response

SLD = """<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld"
 xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink">
 <NamedLayer><Name>coal_mines</Name><UserStyle><Name>pins</Name><FeatureTypeStyle><Rule>
 <PointSymbolizer><Graphic><ExternalGraphic><OnlineResource xlink:type="simple" xlink:href="{href}"/>
 <Format>image/svg+xml</Format></ExternalGraphic><Size>{size}</Size></Graphic></PointSymbolizer>
 </Rule></FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>"""

# Tigyit (Myanmar), an isolated mine: a 1-degree CRS:84 map of 100 x 100 px around it.
LON, LAT = 96.7120041, 20.4205506


def get_map(http, base_url, href, size=16):
    bbox = (LON - 0.5, LAT - 0.5, LON + 0.5, LAT + 0.5)
    return http.get(base_url + "/wms", params={
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "CRS": "CRS:84", "STYLES": "",
        "BBOX": ",".join(map(str, bbox)), "WIDTH": 100, "HEIGHT": 100, "FORMAT": "image/png",
        "TRANSPARENT": "TRUE", "LAYERS": "coal_mines", "SLD_BODY": SLD.format(href=href, size=size)}, timeout=60)


def test_symbol_drawn_at_the_mine(http, base_url):
    img = decode(image_response(get_map(http, base_url, "mine.svg", 16)))
    alpha = img.rgba[..., 3]
    ys, xs = np.nonzero(alpha > 0)
    assert len(xs) > 0
    # The mine is at the centre (50, 50); the symbol covers about 16 px around it.
    assert abs(xs.mean() - 50) < 3 and abs(ys.mean() - 50) < 3, (xs.mean(), ys.mean())
    assert 12 <= xs.max() - xs.min() + 1 <= 20
    dark = (img.rgba[..., :3].max(axis=2) < 80) & (alpha > 200)
    assert dark.sum() > 10  # the crossed hammers


def test_size_scales_the_symbol(http, base_url):
    small = decode(image_response(get_map(http, base_url, "mine.svg", 8))).rgba[..., 3]
    big = decode(image_response(get_map(http, base_url, "mine.svg", 32))).rgba[..., 3]
    assert (big > 0).sum() > 8 * (small > 0).sum() > 0


def test_names_outside_the_folder_are_refused(http, base_url):
    for href in ("nothere.svg", "../../../../etc/passwd", "file:///etc/hostname", "http://127.0.0.1:9/x.png",
                 "mine.svg/..", ".mine.svg"):
        r = get_map(http, base_url, href)
        assert r.status_code == 400 and b"ServiceException" in r.content, (href, r.status_code)
