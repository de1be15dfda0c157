"""A raster layer through WMS: the EGM96 geoid of the demo, added with `amis raster add`
to a store of its own and drawn with the blue-white-red ramp.

Oracle: GDAL reads the geoid value at the centre of a pixel of the map (the source file,
bilinear between the four nearest cells) and the ramp's colour for it is computed here
from the stops the README documents; the server's pixel must be that colour (within the
bilinear warp's tolerance). Where the raster has no data the map stays transparent.
"""
from __future__ import annotations

import math
import subprocess
from pathlib import Path

import numpy as np
import pytest
from lxml import etree
from osgeo import gdal, osr

from support import AmisServer, http_session, run_amis
from wms_support import decode, image_response

GEOID = Path(__file__).resolve().parents[2] / "data" / "demo" / "asean3_egm96_geoid_15min.tif"
STOPS = [(0.0, (0x21, 0x66, 0xac)), (0.25, (0x67, 0xa9, 0xcf)), (0.5, (0xf7, 0xf7, 0xf7)),
         (0.75, (0xef, 0x8a, 0x62)), (1.0, (0xb2, 0x18, 0x2b))]
WMS_NS = "{http://www.opengis.net/wms}"


@pytest.fixture(scope="module")
def raster_server(tmp_path_factory):
    work = tmp_path_factory.mktemp("raster")
    store = work / "store.gpkg"
    added = run_amis("raster", "add", GEOID, "--id", "geoid", "--title", "EGM96 geoid", "--store", store)
    assert added.returncode == 0, added.stderr
    srv = AmisServer(store, work, name="raster")
    srv.start()
    with http_session() as s:
        yield srv, s, store
    assert srv.alive(), srv.stderr()
    srv.stop()


def source_range() -> tuple[float, float]:
    ds = gdal.Open(str(GEOID))
    lo, hi = ds.GetRasterBand(1).ComputeRasterMinMax(False)
    return lo, hi


def bilinear(lon: float, lat: float) -> float:
    """The geoid at (lon, lat), bilinear between the cell centres (GDAL's own convention)."""
    ds = gdal.Open(str(GEOID))
    t = ds.GetGeoTransform()
    a = ds.GetRasterBand(1).ReadAsArray().astype(float)
    fx, fy = (lon - t[0]) / t[1] - 0.5, (lat - t[3]) / t[5] - 0.5
    x0, y0 = int(math.floor(fx)), int(math.floor(fy))
    dx, dy = fx - x0, fy - y0
    v = a[y0:y0 + 2, x0:x0 + 2]
    return float(v[0, 0] * (1 - dx) * (1 - dy) + v[0, 1] * dx * (1 - dy) + v[1, 0] * (1 - dx) * dy + v[1, 1] * dx * dy)


def ramp(value: float, lo: float, hi: float) -> tuple[int, int, int]:
    f = (value - lo) / (hi - lo)
    for (a, ca), (b, cb) in zip(STOPS, STOPS[1:]):
        if f <= b:
            t = max(0.0, (f - a) / (b - a))
            return tuple(round(x + (y - x) * t) for x, y in zip(ca, cb))
    return STOPS[-1][1]


def get_map(s, base, crs, bbox, width, height, **extra):
    params = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "geoid", "STYLES": "",
              "CRS": crs, "BBOX": ",".join(map(str, bbox)), "WIDTH": width, "HEIGHT": height,
              "FORMAT": "image/png", "TRANSPARENT": "TRUE", **extra}
    return s.get(base + "/wms", params=params, timeout=60)


@pytest.mark.parametrize("lon, lat", [(103.8, 1.35), (106.8, -6.2), (139.7, 35.7), (80.0, 5.0), (150.0, -5.0)])
def test_pixel_colour_is_the_ramp_of_the_source_value(raster_server, lon, lat):
    srv, s, _ = raster_server
    lo, hi = source_range()
    # A CRS:84 map of 1 degree around the point, 40 x 40 px: the point at the centre of pixel (20, 20).
    res = 1 / 40
    bbox = (lon - 20.5 * res, lat - 19.5 * res, lon + 19.5 * res, lat + 20.5 * res)
    img = decode(image_response(get_map(s, srv.url, "CRS:84", bbox, 40, 40)))
    got = img.at(20, 20)
    want = ramp(bilinear(lon, lat), lo, hi)
    assert got[3] == 255
    assert max(abs(g - w) for g, w in zip(got[:3], want)) <= 6, (got, want, bilinear(lon, lat))


def test_web_mercator_map_matches_the_source(raster_server):
    srv, s, _ = raster_server
    lo, hi = source_range()
    wgs, merc = osr.SpatialReference(), osr.SpatialReference()
    wgs.ImportFromEPSG(4326)
    merc.ImportFromEPSG(3857)
    wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    merc.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_merc = osr.CoordinateTransformation(wgs, merc)
    to_wgs = osr.CoordinateTransformation(merc, wgs)
    x0, y0, _ = to_merc.TransformPoint(95.0, -5.0)
    x1, y1, _ = to_merc.TransformPoint(140.0, 40.0)
    w, h = 90, 100
    img = decode(image_response(get_map(s, srv.url, "EPSG:3857", (x0, y0, x1, y1), w, h)))
    worst = 0
    for col in range(5, w, 17):
        for row in range(5, h, 19):
            x = x0 + (col + 0.5) * (x1 - x0) / w
            y = y1 - (row + 0.5) * (y1 - y0) / h
            lon, lat, _ = to_wgs.TransformPoint(x, y)
            want = ramp(bilinear(lon, lat), lo, hi)
            got = img.at(col, row)
            worst = max(worst, max(abs(g - v) for g, v in zip(got[:3], want)))
    assert worst <= 8


def test_outside_the_raster_is_transparent(raster_server):
    srv, s, _ = raster_server
    img = decode(image_response(get_map(s, srv.url, "CRS:84", (-20.0, -60.0, 20.0, -30.0), 64, 48)))
    assert int(img.rgba[..., 3].max()) == 0


def test_capabilities_list_the_raster_layer(raster_server):
    srv, s, _ = raster_server
    r = s.get(srv.url + "/wms", params={"SERVICE": "WMS", "REQUEST": "GetCapabilities", "VERSION": "1.3.0"}, timeout=30)
    doc = etree.fromstring(r.content)
    layers = {l.findtext(WMS_NS + "Name"): l for l in doc.iter(WMS_NS + "Layer") if l.find(WMS_NS + "Name") is not None}
    geoid = layers["geoid"]
    assert geoid.get("queryable") == "1"
    box = geoid.find(WMS_NS + "EX_GeographicBoundingBox")
    ds = gdal.Open(str(GEOID))
    t = ds.GetGeoTransform()
    assert float(box.findtext(WMS_NS + "westBoundLongitude")) == pytest.approx(t[0], abs=1e-6)
    assert float(box.findtext(WMS_NS + "northBoundLatitude")) == pytest.approx(t[3], abs=1e-6)
    assert float(box.findtext(WMS_NS + "eastBoundLongitude")) == pytest.approx(t[0] + t[1] * ds.RasterXSize, abs=1e-6)


@pytest.mark.parametrize("extra, code", [
    ({"STYLES": "fancy"}, "StyleNotDefined"),
])
def test_raster_errors(raster_server, extra, code):
    srv, s, _ = raster_server
    r = get_map(s, srv.url, "CRS:84", (90, 0, 100, 10), 32, 32, **extra)
    assert r.status_code == 400 and f'code="{code}"' in r.text


def gdallocationinfo(path: Path, lon: float, lat: float) -> list[float]:
    """The oracle of GetFeatureInfo on a raster: GDAL's gdallocationinfo on the source file."""
    out = subprocess.run(["gdallocationinfo", "-valonly", "-wgs84", str(path), repr(lon), repr(lat)],
                         capture_output=True, text=True, check=True)
    return [float(v) for v in out.stdout.split()]


def gdallocationinfo_many(path: Path, points: list[tuple[float, float]]) -> list[float]:
    """gdallocationinfo's value of the first band at each point, in one run (the points on its
    standard input, one per line)."""
    out = subprocess.run(["gdallocationinfo", "-valonly", "-wgs84", str(path)], capture_output=True, text=True,
                         check=True, input="".join(f"{lon!r} {lat!r}\n" for lon, lat in points))
    values = [float(v) for v in out.stdout.split()]
    assert len(values) == len(points), out.stdout
    return values


def feature_info(s, url, crs, bbox, size, i, j, fmt, version="1.3.0"):
    params = {"SERVICE": "WMS", "VERSION": version, "REQUEST": "GetFeatureInfo", "LAYERS": "geoid",
              "QUERY_LAYERS": "geoid", "STYLES": "", "BBOX": ",".join(map(str, bbox)), "WIDTH": size[0],
              "HEIGHT": size[1], "INFO_FORMAT": fmt}
    params.update({"CRS": crs, "I": i, "J": j} if version == "1.3.0" else {"SRS": crs, "X": i, "Y": j})
    r = s.get(url + "/wms", params=params, timeout=30)
    assert r.status_code == 200, r.text[:400]
    return r


@pytest.mark.parametrize("i, j", [(37, 61), (0, 0), (99, 99), (50, 12)])
def test_feature_info_is_the_band_value_at_the_pixel_centre(raster_server, i, j):
    srv, s, _ = raster_server
    bbox = (100, 0, 110, 10)
    lon, lat = bbox[0] + (i + 0.5) * 0.1, bbox[3] - (j + 0.5) * 0.1
    r = feature_info(s, srv.url, "CRS:84", bbox, (100, 100), i, j, "application/json")
    features = r.json()["features"]
    assert len(features) == 1
    values = list(features[0]["properties"].values())
    assert values == pytest.approx(gdallocationinfo(GEOID, lon, lat))
    assert features[0]["geometry"]["coordinates"] == pytest.approx([lon, lat])


def test_feature_info_in_web_mercator_text_and_html(raster_server):
    srv, s, _ = raster_server
    # 256 x 256 pixels over 104..108 E, 8..12 N in EPSG:3857; pixel (100, 40)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(3857)
    wgs = osr.SpatialReference()
    wgs.SetFromUserInput("OGC:CRS84")
    to_merc = osr.CoordinateTransformation(wgs, srs)
    x0, y0, _ = to_merc.TransformPoint(104.0, 8.0)
    x1, y1, _ = to_merc.TransformPoint(108.0, 12.0)
    px, py = (x1 - x0) / 256, (y1 - y0) / 256
    cx, cy = x0 + 100.5 * px, y1 - 40.5 * py
    lon, lat, _ = osr.CoordinateTransformation(srs, wgs).TransformPoint(cx, cy)
    expected = gdallocationinfo(GEOID, lon, lat)[0]
    r = feature_info(s, srv.url, "EPSG:3857", (x0, y0, x1, y1), (256, 256), 100, 40, "application/json")
    assert list(r.json()["features"][0]["properties"].values()) == pytest.approx([expected])
    text = feature_info(s, srv.url, "EPSG:3857", (x0, y0, x1, y1), (256, 256), 100, 40, "text/plain",
                        version="1.1.1").text
    assert "Layer 'geoid'" in text
    assert float(text.strip().splitlines()[-1].split("=")[1]) == pytest.approx(expected)
    html = feature_info(s, srv.url, "EPSG:3857", (x0, y0, x1, y1), (256, 256), 100, 40, "text/html").text
    cell = etree.fromstring(html[html.index("<table"):html.index("</table>") + 8])
    assert float(cell.findtext(".//td")) == pytest.approx(expected)


def test_feature_info_outside_the_raster_is_empty(raster_server):
    srv, s, _ = raster_server
    r = feature_info(s, srv.url, "CRS:84", (0, 0, 10, 10), (10, 10), 5, 5, "application/json")
    assert r.json()["features"] == []
    assert "No feature here" in feature_info(s, srv.url, "CRS:84", (0, 0, 10, 10), (10, 10), 5, 5, "text/plain").text


def colour_map_sld(kind: str, entries: list[tuple[str, float, float, str]]) -> str:
    rows = "".join(f'<ColorMapEntry color="{c}" quantity="{q}" opacity="{o}" label="{label}"/>'
                   for c, q, o, label in entries)
    return ('<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld">'
            '<NamedLayer><Name>geoid</Name><UserStyle><FeatureTypeStyle><Rule><RasterSymbolizer>'
            f'<ColorMap type="{kind}">{rows}</ColorMap></RasterSymbolizer></Rule></FeatureTypeStyle></UserStyle>'
            '</NamedLayer></StyledLayerDescriptor>')


CLASSES = [("#2166ac", -20.0, 1.0, "below -20 m"), ("#f7f7f7", 0.0, 0.5, "-20 to 0 m"),
           ("#b2182b", 40.0, 1.0, "0 to 40 m")]


def expected_interval(value: float):
    for colour, quantity, opacity, _ in CLASSES:
        if value < quantity:
            return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5)), round(opacity * 255)
    return None


def test_sld_color_map_intervals_paint_the_source_classes(raster_server):
    """Each pixel has the class colour of the source cell under its centre (gdallocationinfo);
    values from the last quantity up are not painted."""
    srv, s, _ = raster_server
    bbox = (95.0, -10.0, 145.0, 40.0)
    img = decode(image_response(get_map(s, srv.url, "CRS:84", bbox, 100, 100,
                                        SLD_BODY=colour_map_sld("intervals", CLASSES))))
    seen = set()
    cells = [(col, row) for col in range(3, 100, 7) for row in range(3, 100, 7)]
    centres = [(bbox[0] + (col + 0.5) * 0.5, bbox[3] - (row + 0.5) * 0.5) for col, row in cells]
    for (col, row), (lon, lat), value in zip(cells, centres, gdallocationinfo_many(GEOID, centres)):
        want = expected_interval(value)
        got = img.at(col, row)
        if want is None:
            assert got[3] == 0, (lon, lat, value, got)
            seen.add("clear")
            continue
        (r, g, b), alpha = want
        seen.add(alpha)
        assert abs(got[3] - alpha) <= 1, (lon, lat, value, got)
        assert max(abs(x - y) for x, y in zip(got[:3], (r, g, b))) <= 2, (lon, lat, value, got, want)
    assert {255, 128} <= seen


def test_sld_color_map_ramp_and_values(raster_server):
    srv, s, _ = raster_server
    lon, lat = 103.8, 1.35
    res = 1 / 40
    bbox = (lon - 20.5 * res, lat - 19.5 * res, lon + 19.5 * res, lat + 20.5 * res)
    ramp_sld = colour_map_sld("ramp", [("#000000", -100.0, 1.0, "low"), ("#ffffff", 100.0, 1.0, "high")])
    got = decode(image_response(get_map(s, srv.url, "CRS:84", bbox, 40, 40, SLD_BODY=ramp_sld))).at(20, 20)
    grey = (bilinear(lon, lat) + 100) / 200 * 255
    assert got[3] == 255 and max(abs(g - grey) for g in got[:3]) <= 3, (got, grey)
    # `values`: only exact quantities are painted; the geoid's floats match none of these
    values_sld = colour_map_sld("values", [("#ff0000", 1.0, 1.0, "one"), ("#00ff00", 2.0, 1.0, "two")])
    img = decode(image_response(get_map(s, srv.url, "CRS:84", bbox, 40, 40, SLD_BODY=values_sld)))
    assert int(img.rgba[..., 3].max()) == 0


@pytest.mark.parametrize("sld, reason", [
    (colour_map_sld("spiral", CLASSES), "type"),
    (colour_map_sld("ramp", [("#000000", 5.0, 1.0, "a"), ("#ffffff", 1.0, 1.0, "b")]), "ascending"),
    (colour_map_sld("ramp", [("red", 5.0, 1.0, "a")]), "colour"),
    (colour_map_sld("ramp", [("#000000", 5.0, 7.0, "a")]), "opacity"),
    (colour_map_sld("ramp", [("#000000", 5.0, 1.0, "a")] * 300), "256"),
    ('<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld"><NamedLayer><Name>geoid</Name>'
     '<UserStyle><FeatureTypeStyle><Rule><PolygonSymbolizer/></Rule></FeatureTypeStyle></UserStyle></NamedLayer>'
     '</StyledLayerDescriptor>', "RasterSymbolizer"),
])
def test_bad_color_maps_are_refused(raster_server, sld, reason):
    srv, s, _ = raster_server
    r = get_map(s, srv.url, "CRS:84", (100, 0, 110, 10), 16, 16, SLD_BODY=sld)
    assert r.status_code == 400 and 'code="InvalidParameterValue"' in r.text and reason in r.text, r.text[:300]


def legend_rows(png: bytes) -> list[tuple]:
    """The swatch colour of each legend row (24 px high, a 20 px symbol 2 px in): its middle pixel."""
    img = decode(png)
    return [tuple(int(v) for v in img.at(12, 24 * k + 12)) for k in range(img.rgba.shape[0] // 24)]


def test_legend_graphic_of_a_color_map_and_of_the_default_ramp(raster_server):
    srv, s, _ = raster_server
    params = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetLegendGraphic", "LAYER": "geoid",
              "FORMAT": "image/png", "SLD_VERSION": "1.1.0"}
    r = s.get(srv.url + "/wms", params={**params, "SLD_BODY": colour_map_sld("intervals", CLASSES)}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png", r.text[:300]
    rows = legend_rows(r.content)
    assert len(rows) == len(CLASSES)
    for (colour, _, opacity, _), got in zip(CLASSES, rows):
        want = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
        assert abs(got[3] - round(opacity * 255)) <= 1 and max(abs(a - b) for a, b in zip(got[:3], want)) <= 2, \
            (got, want)
    r = s.get(srv.url + "/wms", params=params, timeout=30)
    assert r.status_code == 200
    rows = legend_rows(r.content)
    assert [row[:3] for row in rows] == [stop[1] for stop in STOPS]
    r = s.get(srv.url + "/wms", params={**params, "STYLE": "fancy"}, timeout=30)
    assert r.status_code == 400 and 'code="StyleNotDefined"' in r.text


def test_cli_refuses_an_unsafe_id_and_a_missing_file(raster_server, tmp_path):
    _, _, store = raster_server
    for args in (("--id", "../x"), ("--id", "a/b")):
        bad = run_amis("raster", "add", GEOID, *args, "--store", store)
        assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1, bad.stderr
    assert not (store.parent / "x.tif").exists()
    not_raster = tmp_path / "not.tif"
    not_raster.write_text("not a raster")
    bad = run_amis("raster", "add", not_raster, "--id", "broken", "--store", store)
    assert bad.returncode == 1 and "cannot read" in bad.stderr
