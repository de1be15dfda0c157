"""WMS GetFeatureInfo (1.3.0 I/J, 1.1.1 X/Y) against oracles computed here: the pixel of a
coal mine follows from its source coordinates and the BBOX (osr for projected CRSs), the
features under a pixel are those OGR's SetSpatialFilterRect selects on the source with the
box of the pixel widened by BUFFER pixels (default 4) and reprojected to lon/lat by osr's
TransformBounds, ordered by id and cut at FEATURE_COUNT per layer, and the attributes are
the source's (wfs_expected: the source rows keyed by the id the store gave them).

Formats: text/html (lxml.html), application/json (GeoJSON, = the OGC API item),
application/vnd.ogc.gml (a WFS 2.0 FeatureCollection valid against wfs.xsd plus the
server's DescribeFeatureType; text/xml and application/gml+xml are aliases), text/plain.
Errors: LayerNotQueryable, InvalidFormat, InvalidPoint, bad FEATURE_COUNT/BUFFER, in
1.3.0 and 1.1.1 reports; never a 500; HTML escapes markup in values."""
from __future__ import annotations

import json
import math
import re

import lxml.html
import pytest
from osgeo import gdal, ogr, osr
from owslib.wms import WebMapService

from support import norm_value
from wfs_support import (NS, assert_valid, fid_of, gml_features, parse_xml, same_value)
from wms_support import (COLLECTIONS, WMS_NS, Frame, assert_service_exception, bbox_text, count_in_box,
                         countries_touching, frame_around, isolated_mine, named_layers, north_first, project,
                         service_exceptions, wms_get, wms_url)
from synthetic_data import XSS_NOTE

VERSIONS = ["1.3.0", "1.1.1"]
INFO_FORMATS = ["text/html", "application/json", "application/vnd.ogc.gml", "text/plain"]
DEMO_LAYERS = ["coal_mines", "coal_mine_boundaries", "countries", "mine_facilities"]

TIGYIT = "Tigyit Coal Mine"                   # Myanmar, ~96.7E 20.4N, no other mine within 1 degree
SANGDEOK = "Gyeong-dong Sangdeok Coal Mine"   # Republic of Korea
RUOQIANG = "Ruoqiang Sunshine Coal Mine"      # China (Xinjiang)
SHANXI = (110.0, 35.0, 114.0, 39.0)           # lon/lat: hundreds of coal mines, ~50 mine boundaries
AROUND_SHANXI = (106.0, 31.0, 118.0, 43.0)    # holds every box queried over Shanxi
EMPTY_BOX = (160.0, -40.0, 170.0, -30.0)      # Tasman Sea
DEFAULT_BUFFER = 4
DEG_RES, METRE_RES = 0.002, 200.0


# --------------------------------------------------------------------------- requests


def xy_keys(version: str) -> tuple[str, str]:
    return ("I", "J") if version == "1.3.0" else ("X", "Y")


def gfi(http, base_url, frame: Frame, i, j, *, crs: str = "CRS:84", version: str = "1.3.0",
        layers: str = "coal_mines", query_layers: str | None = None, info_format: str | None = None, **extra):
    """GetFeatureInfo on a frame (east/north box, sent in the axis order the version and CRS
    want) at pixel (i, j); None values are left out."""
    swap = version == "1.3.0" and north_first(crs)
    ik, jk = xy_keys(version)
    params = {"LAYERS": layers, "STYLES": "", "BBOX": bbox_text(frame.request_bbox(swap)),
              "WIDTH": frame.width, "HEIGHT": frame.height, "FORMAT": "image/png",
              "QUERY_LAYERS": layers if query_layers is None else query_layers,
              ik: i, jk: j, "INFO_FORMAT": info_format}
    params["CRS" if version == "1.3.0" else "SRS"] = crs
    params.update(extra)
    return wms_get(http, base_url, "GetFeatureInfo", version, **params)


def ok(r, media_type: str) -> str:
    assert r.status_code == 200, f"GET {r.url}: HTTP {r.status_code}: {r.text[:600]}"
    ctype = r.headers.get("Content-Type", "")
    assert ctype.split(";")[0].strip() == media_type, f"{r.url}: Content-Type {ctype!r}, wanted {media_type}"
    return r.text


# --------------------------------------------------------------------------- readers of each format


def read_json(r) -> list[dict]:
    doc = json.loads(ok(r, "application/json"))
    assert doc.get("type") == "FeatureCollection", doc
    assert isinstance(doc.get("features"), list)
    for f in doc["features"]:
        assert f.get("type") == "Feature" and isinstance(f.get("id"), int), f
    return doc["features"]


def read_gml(r, schema) -> list[tuple[str, int, object]]:
    """(collection, id, GmlFeature) of a WFS 2.0 FeatureCollection, validated with the server's
    application schema."""
    ok(r, "application/vnd.ogc.gml")
    doc = parse_xml(r)
    assert doc.tag == f"{{{NS['wfs']}}}FeatureCollection", doc.tag
    assert_valid(schema, doc, "the GetFeatureInfo FeatureCollection")
    features = gml_features(doc)
    assert int(doc.get("numberReturned")) == len(features)
    return [(f.type_name, fid_of(f.gml_id, f.type_name), f) for f in features]


def read_html(r) -> tuple[list[tuple[str, list[tuple[int, dict[str, str]]]]], str]:
    """[(h2 text, [(feature id, {th: td})])] in document order, and the page's text."""
    ok(r, "text/html")
    assert "charset=utf-8" in r.headers["Content-Type"].replace(" ", "").lower()
    page = lxml.html.document_fromstring(r.content)
    sections: list = []
    for e in page.body.iter("h2", "table"):
        if e.tag == "h2":
            sections.append((e.text_content(), []))
        else:
            m = re.fullmatch(r"Feature (\d+)", e.find("caption").text_content().strip())
            assert m, lxml.html.tostring(e)[:200]
            rows = {tr.find("th").text_content(): tr.find("td").text_content() for tr in e.iter("tr")}
            assert sections, "a feature table before any layer heading"
            sections[-1][1].append((int(m.group(1)), rows))
    return sections, page.text_content()


PLAIN_LAYER = re.compile(r"^Layer '(.*)'$")
PLAIN_FEATURE = re.compile(r"^  Feature (\d+):$")
PLAIN_VALUE = re.compile(r"^    ([^=]+?) = (.*)$")


def read_plain(r) -> list[tuple[str, int, dict[str, str]]]:
    """(layer, id, {name: value}) of the text/plain answer, in order."""
    text = ok(r, "text/plain")
    out: list = []
    layer = None
    for line in text.split("\n"):
        if m := PLAIN_LAYER.match(line):
            layer = m.group(1)
        elif m := PLAIN_FEATURE.match(line):
            assert layer is not None, text[:300]
            out.append((layer, int(m.group(1)), {}))
        elif (m := PLAIN_VALUE.match(line)) and out:
            out[-1][2].setdefault(m.group(1), m.group(2))
    return out


def plain_ids(r) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for layer, fid, _ in read_plain(r):
        out.setdefault(layer, []).append(fid)
    return out


def ids_at(http, base_url, frame: Frame, i, j, layer: str = "coal_mines", **kw) -> list[int]:
    """The ids of one queried layer at a pixel, read from the text/plain answer."""
    got = plain_ids(gfi(http, base_url, frame, i, j, layers=layer, info_format="text/plain", **kw))
    assert set(got) <= {layer}, got
    return got.get(layer, [])


# --------------------------------------------------------------------------- comparing with the source


def same_text(served: str | None, source, ogr_type: str) -> bool:
    """A value written as text (HTML, text/plain: null is the empty string)."""
    if source is None or source == "":
        return served in ("", None)
    return same_value(served, source, ogr_type)


def assert_text_props(props: dict[str, str], source, types: dict[str, str], what: str) -> None:
    assert set(props) == set(types), f"{what}: properties {sorted(props)}, the source has {sorted(types)}"
    for name, ogr_type in types.items():
        assert same_text(props[name], source.properties[name], ogr_type), (
            f"{what}: {name} = {props[name]!r}, the source has {source.properties[name]!r}")


def assert_json_props(props: dict, source, types: dict[str, str], what: str) -> None:
    assert set(props) == set(types), f"{what}: properties {sorted(props)}, the source has {sorted(types)}"
    for name, ogr_type in types.items():
        got, want = props[name], source.properties[name]
        if ogr_type in ("DateTime", "Date") and got is not None:
            assert same_value(got, want, ogr_type), f"{what}: {name} = {got!r}, the source has {want!r}"
        else:
            assert norm_value(got) == norm_value(want), f"{what}: {name} = {got!r}, the source has {want!r}"


def served_id(expected, predicate) -> int:
    ids = [i for i, f in expected.by_id.items() if predicate(f)]
    assert len(ids) == 1, ids
    return ids[0]


# --------------------------------------------------------------------------- the oracle: OGR on the source


@pytest.fixture(scope="module")
def expected(wfs_expected):
    return wfs_expected


def pixel_box(frame: Frame, i: int, j: int, buffer: int = DEFAULT_BUFFER) -> tuple[float, float, float, float]:
    """The queried box in the map's CRS (east/north): pixel (i, j) widened by `buffer` pixels."""
    minx, miny, maxx, maxy = frame.bbox
    px, py = (maxx - minx) / frame.width, (maxy - miny) / frame.height
    return (minx + (i - buffer) * px, maxy - (j + 1 + buffer) * py,
            minx + (i + 1 + buffer) * px, maxy - (j - buffer) * py)


def to_lonlat_box(crs: str, box) -> tuple[float, float, float, float]:
    """A box of `crs` (east/north) as the lon/lat envelope of its (densified) outline, by osr."""
    if crs in ("CRS:84", "EPSG:4326"):
        return tuple(box)
    src = osr.SpatialReference()
    assert src.ImportFromEPSG(int(crs.split(":")[1])) == 0
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    dst = osr.SpatialReference()
    dst.SetFromUserInput("OGC:CRS84")
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return tuple(osr.CoordinateTransformation(src, dst).TransformBounds(*box, 21))


_OPENED: dict = {}


def _source_layer(exp):
    """The source layer of an Expected (opened once: the countries GeoJSON is large) and its
    source fid -> served id map."""
    key = (str(exp.path), exp.layer)
    if key not in _OPENED:
        ds = gdal.OpenEx(str(exp.path), gdal.OF_VECTOR | gdal.OF_READONLY)
        lyr = ds.GetLayerByName(exp.layer) if exp.layer else ds.GetLayer(0)
        _OPENED[key] = (ds, lyr, {f.fid: i for i, f in exp.by_id.items()})
    return _OPENED[key][1:]


def _clipped_layer(exp, region):
    """The source features (as served ids) clipped to a lon/lat region by GEOS, in a memory
    layer: for a box inside the region the same features intersect it, and the big country
    polygons need not be tested whole for every box."""
    key = (str(exp.path), exp.layer, region)
    if key not in _OPENED:
        src, to_id = _source_layer(exp)
        clip = ogr.CreateGeometryFromWkt("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(*region))
        ds = ogr.GetDriverByName("Memory").CreateDataSource("clip")
        lyr = ds.CreateLayer("clip", None, ogr.wkbUnknown)
        src.SetSpatialFilter(clip)
        src.ResetReading()
        for f in src:
            g = f.GetGeometryRef().Intersection(clip)
            if g is None or g.IsEmpty():
                continue
            out = ogr.Feature(lyr.GetLayerDefn())
            out.SetFID(to_id[f.GetFID()])
            out.SetGeometry(g)
            lyr.CreateFeature(out)
        src.SetSpatialFilter(None)
        _OPENED[key] = (ds, lyr, None)
    return _OPENED[key][1]


def ogr_ids(exp, box, region=None) -> list[int]:
    """The served ids of the source features OGR's SetSpatialFilterRect selects, in order
    (`region`: a lon/lat box holding `box`, to which the sources may be clipped first)."""
    if region is not None:
        assert region[0] < box[0] and region[1] < box[1] and box[2] < region[2] and box[3] < region[3]
        lyr = _clipped_layer(exp, region)
        lyr.SetSpatialFilterRect(*box)
        lyr.ResetReading()
        ids = sorted(f.GetFID() for f in lyr)
    else:
        lyr, to_id = _source_layer(exp)
        lyr.SetSpatialFilterRect(*box)
        lyr.ResetReading()
        ids = sorted(to_id[f.GetFID()] for f in lyr)
    lyr.SetSpatialFilter(None)
    return ids


def stable_ogr_ids(exp, box, margin: float, region=None) -> list[int] | None:
    """ogr_ids, or None when a feature lies within `margin` of the box's edge (then rounding
    in the reprojection could decide either way)."""
    minx, miny, maxx, maxy = box
    grown = ogr_ids(exp, (minx - margin, miny - margin, maxx + margin, maxy + margin), region)
    shrunk = ogr_ids(exp, (minx + margin, miny + margin, maxx - margin, maxy - margin), region)
    return grown if grown == shrunk else None


def frame_of(crs: str, lonlat_box, width: int, height: int) -> Frame:
    """A frame whose corners are the projected corners of a lon/lat box."""
    (x0, y0), (x1, y1) = project(crs, lonlat_box[0], lonlat_box[1]), project(crs, lonlat_box[2], lonlat_box[3])
    return Frame((x0, y0, x1, y1), width, height)


def mine_frame(mine, crs: str = "CRS:84", col: int = 60, row: int = 40, width: int = 200,
               height: int = 150) -> Frame:
    """A frame in `crs` in which the mine is at the centre of pixel (col, row)."""
    x, y = project(crs, mine.lon, mine.lat)
    res = DEG_RES if crs in ("CRS:84", "EPSG:4326", "EPSG:4490") else METRE_RES
    return frame_around(x, y, col, row, width, height, res)


@pytest.fixture(scope="module")
def tigyit():
    mine = isolated_mine(TIGYIT)
    assert mine.iso3 == "MMR"
    return mine


@pytest.fixture(scope="module")
def tigyit_id(tigyit, expected) -> int:
    return served_id(expected("coal_mines"), lambda f: f.properties["mine_name"] == TIGYIT)


# --------------------------------------------------------------------------- capabilities


@pytest.mark.parametrize("version", VERSIONS)
def test_capabilities_layers_queryable_and_formats(http, base_url, version):
    r = wms_get(http, base_url, "GetCapabilities", version)
    assert r.status_code == 200
    doc = parse_xml(r)
    ns = WMS_NS if version == "1.3.0" else None
    q = (lambda n: f"{{{WMS_NS}}}{n}") if ns else (lambda n: n)
    layers = named_layers(doc, ns)
    assert sorted(layers) == sorted(COLLECTIONS)
    for name, layer in layers.items():
        assert layer.get("queryable") == "1", f"{name}: queryable={layer.get('queryable')!r}"
    op = doc.find(f"{q('Capability')}/{q('Request')}/{q('GetFeatureInfo')}")
    assert op is not None, "no GetFeatureInfo under Request"
    assert sorted(f.text for f in op.findall(q("Format"))) == sorted(INFO_FORMATS)
    assert op.find(f"{q('DCPType')}/{q('HTTP')}/{q('Get')}/{q('OnlineResource')}") is not None


# --------------------------------------------------------------------------- one isolated coal mine


@pytest.mark.parametrize("mine_name, crs, version", [
    (TIGYIT, "CRS:84", "1.3.0"),
    (TIGYIT, "EPSG:4326", "1.3.0"),      # BBOX lat,lon
    (TIGYIT, "EPSG:4326", "1.1.1"),      # BBOX lon,lat
    (TIGYIT, "EPSG:3857", "1.3.0"),
    (TIGYIT, "EPSG:3857", "1.1.1"),
    (TIGYIT, "EPSG:32647", "1.3.0"),     # UTM 47N
    (SANGDEOK, "EPSG:5179", "1.3.0"),    # Korea 2000: northing, easting in 1.3.0
    (SANGDEOK, "EPSG:5179", "1.1.1"),
    (RUOQIANG, "EPSG:4490", "1.3.0"),    # CGCS2000: lat, lon
])
def test_mine_at_its_pixel_in_every_crs(http, base_url, expected, dft_schema, mine_name, crs, version):
    mine = isolated_mine(mine_name)
    exp = expected("coal_mines")
    fid = served_id(exp, lambda f: f.properties["mine_name"] == mine_name)
    frame = mine_frame(mine, crs, col=70, row=90)
    found = read_gml(gfi(http, base_url, frame, 70, 90, crs=crs, version=version,
                         info_format="application/vnd.ogc.gml", FEATURE_COUNT=10), dft_schema)
    assert [(c, i) for c, i, _ in found] == [("coal_mines", fid)], f"{crs} {version}: {found}"
    g = found[0][2].geometry  # always CRS84, lon/lat
    assert math.isclose(g.GetX(), mine.lon, abs_tol=1e-6) and math.isclose(g.GetY(), mine.lat, abs_tol=1e-6)
    # Elsewhere on the map nothing: the axis order was honoured.
    for i, j in ((150, 20), (90, 70), (70, 130)):
        assert ids_at(http, base_url, frame, i, j, crs=crs, version=version) == [], (i, j)


def test_json_feature_is_the_ogc_api_item(http, base_url, expected, tigyit, tigyit_id):
    exp = expected("coal_mines")
    frame = mine_frame(tigyit)
    features = read_json(gfi(http, base_url, frame, 60, 40, info_format="application/json"))
    assert len(features) == 1
    f = features[0]
    assert f["id"] == tigyit_id
    assert f["geometry"]["type"] == "Point"
    assert f["geometry"]["coordinates"] == pytest.approx([tigyit.lon, tigyit.lat], abs=1e-7)
    assert_json_props(f["properties"], exp.by_id[tigyit_id], exp.types, "JSON")
    item = http.get(f"{base_url}/collections/coal_mines/items/{tigyit_id}", params={"f": "json"}, timeout=30).json()
    assert (f["id"], f["geometry"], f["properties"]) == (item["id"], item["geometry"], item["properties"])


def test_gml_feature(http, base_url, expected, dft_schema, tigyit, tigyit_id):
    exp = expected("coal_mines")
    frame = mine_frame(tigyit)
    found = read_gml(gfi(http, base_url, frame, 60, 40, info_format="application/vnd.ogc.gml"), dft_schema)
    assert [(c, i) for c, i, _ in found] == [("coal_mines", tigyit_id)]
    feature = found[0][2]
    for name, ogr_type in exp.types.items():
        want = exp.by_id[tigyit_id].properties[name]
        got = feature.properties.get(name)
        assert same_value(got, None if want == "" and ogr_type != "String" else want, ogr_type) or (
            want in (None, "") and got in (None, "")), f"GML {name} = {got!r}, the source has {want!r}"
    assert "CRS84" in (feature.srs_name or ""), feature.srs_name
    assert (feature.geometry.GetX(), feature.geometry.GetY()) == pytest.approx((tigyit.lon, tigyit.lat), abs=1e-7)


@pytest.mark.parametrize("alias", ["text/xml", "application/gml+xml"])
def test_gml_aliases(http, base_url, dft_schema, tigyit, tigyit_id, alias):
    found = read_gml(gfi(http, base_url, mine_frame(tigyit), 60, 40, info_format=alias), dft_schema)
    assert [(c, i) for c, i, _ in found] == [("coal_mines", tigyit_id)]


@pytest.mark.parametrize("info_format", [None, "text/html"])
def test_html_feature(http, base_url, expected, tigyit, tigyit_id, info_format):
    """text/html is the default INFO_FORMAT; a table per feature with the source values."""
    exp = expected("coal_mines")
    sections, text = read_html(gfi(http, base_url, mine_frame(tigyit), 60, 40, info_format=info_format))
    assert len(sections) == 1
    _, features = sections[0]
    assert [fid for fid, _ in features] == [tigyit_id]
    assert_text_props(features[0][1], exp.by_id[tigyit_id], exp.types, "HTML")
    assert "No feature here." not in text


def test_plain_feature(http, base_url, expected, tigyit, tigyit_id):
    exp = expected("coal_mines")
    r = gfi(http, base_url, mine_frame(tigyit), 60, 40, info_format="text/plain")
    assert r.text.startswith(f"Layer 'coal_mines'\n  Feature {tigyit_id}:\n    gem_mine_id = "), r.text[:200]
    found = read_plain(r)
    assert [(layer, fid) for layer, fid, _ in found] == [("coal_mines", tigyit_id)]
    assert_text_props(found[0][2], exp.by_id[tigyit_id], exp.types, "text/plain")


def test_polygon_in_every_format(http, base_url, expected, dft_schema, tigyit):
    """An inland pixel of Myanmar: the countries layer answers with Myanmar (a polygon)."""
    exp = expected("countries")
    mmr = served_id(exp, lambda f: f.properties["iso3"] == "MMR")
    frame = mine_frame(tigyit, col=50, row=50, width=100, height=100)
    lonlat = to_lonlat_box("CRS:84", pixel_box(frame, 50, 50))
    assert countries_touching(lonlat) == (["MMR"], ["MMR"])
    kw = dict(layers="countries", FEATURE_COUNT=5)
    gml = read_gml(gfi(http, base_url, frame, 50, 50, info_format="application/vnd.ogc.gml", **kw), dft_schema)
    assert [(c, i) for c, i, _ in gml] == [("countries", mmr)]
    assert gml[0][2].geometry.GetGeometryType() in (3, 6)  # Polygon, MultiPolygon
    sections, _ = read_html(gfi(http, base_url, frame, 50, 50, **kw))
    assert [[fid for fid, _ in feats] for _, feats in sections] == [[mmr]]
    assert_text_props(sections[0][1][0][1], exp.by_id[mmr], exp.types, "HTML")
    plain = read_plain(gfi(http, base_url, frame, 50, 50, info_format="text/plain", **kw))
    assert [(layer, fid) for layer, fid, _ in plain] == [("countries", mmr)]


def test_polygon_json(http, base_url, expected, tigyit):
    exp = expected("countries")
    mmr = served_id(exp, lambda f: f.properties["iso3"] == "MMR")
    frame = mine_frame(tigyit, col=50, row=50, width=100, height=100)
    features = read_json(gfi(http, base_url, frame, 50, 50, layers="countries", info_format="application/json"))
    assert [f["id"] for f in features] == [mmr]
    assert features[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert_json_props(features[0]["properties"], exp.by_id[mmr], exp.types, "JSON")


def test_mine_boundary_polygon(http, base_url, expected):
    """A point inside each of a few coal mine boundaries (OGR's PointOnSurface) at the centre of
    a pixel, BUFFER=0: the answer = OGR's selection for that one pixel, the boundary among it."""
    exp = expected("coal_mine_boundaries")
    checked = 0
    for fid in sorted(exp.by_id)[::23][:5]:
        g = exp.by_id[fid].geometry
        p = g.PointOnSurface()
        frame = frame_around(p.GetX(), p.GetY(), 30, 30, 60, 60, 0.0005)
        want = stable_ogr_ids(exp, pixel_box(frame, 30, 30, 0), 1e-8)
        if want is None:
            continue
        assert fid in want
        r = gfi(http, base_url, frame, 30, 30, layers="coal_mine_boundaries", info_format="text/plain",
                FEATURE_COUNT=1000, BUFFER=0)
        assert plain_ids(r).get("coal_mine_boundaries", []) == want, f"boundary {fid}"
        checked += 1
    assert checked >= 4


# --------------------------------------------------------------------------- nothing there


def test_open_sea_has_no_feature(http, base_url, dft_schema):
    minx, miny, maxx, maxy = EMPTY_BOX
    for c in DEMO_LAYERS:
        assert count_in_box(c, (minx - 1, miny - 1, maxx + 1, maxy + 1)) == 0, c
    frame = Frame(EMPTY_BOX, 100, 100)
    layers = ",".join(COLLECTIONS)
    kw = dict(layers=layers, FEATURE_COUNT=1000, BUFFER=100)
    sections, text = read_html(gfi(http, base_url, frame, 50, 50, **kw))
    assert all(not feats for _, feats in sections) and "No feature here." in text
    assert read_json(gfi(http, base_url, frame, 50, 50, info_format="application/json", **kw)) == []
    assert read_gml(gfi(http, base_url, frame, 50, 50, info_format="application/vnd.ogc.gml", **kw), dft_schema) == []
    r = gfi(http, base_url, frame, 50, 50, info_format="text/plain", **kw)
    assert read_plain(r) == [] and "No feature here." in r.text


# --------------------------------------------------------------------------- BUFFER, FEATURE_COUNT


@pytest.mark.parametrize("crs, version, res_x, res_y", [
    ("CRS:84", "1.3.0", DEG_RES, DEG_RES),
    ("EPSG:4326", "1.3.0", 0.002, 0.005),     # lat,lon BBOX and pixels 2.5 times taller than wide
    ("EPSG:4326", "1.1.1", 0.005, 0.002),
    ("EPSG:3857", "1.3.0", METRE_RES, METRE_RES),
    ("EPSG:3857", "1.1.1", 150.0, 400.0),
])
def test_default_tolerance_is_four_pixels(http, base_url, tigyit, tigyit_id, crs, version, res_x, res_y):
    """The mine is at the centre of pixel (60, 40): pixels up to 4 away (in I or J) find it,
    5 away do not (the box spans pixel edges I-4 .. I+5, in each axis's own pixel size)."""
    x, y = project(crs, tigyit.lon, tigyit.lat)
    frame = frame_around(x, y, 60, 40, 200, 150, res_x, res_y)
    for d in (-5, -4, -1, 0, 1, 4, 5):
        for i, j in ((60 + d, 40), (60, 40 + d), (60 + d, 40 + d)):
            ids = ids_at(http, base_url, frame, i, j, crs=crs, version=version)
            want = [tigyit_id] if abs(d) <= DEFAULT_BUFFER else []
            assert ids == want, f"{crs} {version}: pixel ({i}, {j}), {d} px from the mine: {ids}"


@pytest.mark.parametrize("version", VERSIONS)
def test_buffer(http, base_url, tigyit, tigyit_id, version):
    """3 px from an isolated mine: BUFFER=0..2 miss it, BUFFER=3 and the default hit it."""
    frame = mine_frame(tigyit)
    for i, j in ((63, 40), (57, 40), (60, 43), (60, 37)):
        for buffer, hit in ((0, False), (1, False), (2, False), (3, True), (None, True), (100, True)):
            ids = ids_at(http, base_url, frame, i, j, version=version, BUFFER=buffer)
            assert ids == ([tigyit_id] if hit else []), f"pixel ({i}, {j}), BUFFER={buffer}: {ids}"
    # BUFFER=0 at the mine's own pixel still finds it
    assert ids_at(http, base_url, frame, 60, 40, version=version, BUFFER=0) == [tigyit_id]


@pytest.fixture(scope="module")
def dense_pixel(expected) -> tuple[Frame, int, int, dict[str, list[int]]]:
    """A pixel of a 100 x 100 map of Shanxi with at least 6 coal mines and 2 boundaries within
    the default tolerance (OGR), and those ids per layer."""
    frame = Frame(SHANXI, 100, 100)
    px = (SHANXI[2] - SHANXI[0]) / 100
    for i in range(10, 90, 7):
        for j in range(10, 90, 7):
            box = pixel_box(frame, i, j)
            want = {c: stable_ogr_ids(expected(c), box, px * 1e-4, AROUND_SHANXI) for c in DEMO_LAYERS}
            if any(v is None for v in want.values()):
                continue
            if len(want["coal_mines"]) >= 6 and len(want["coal_mine_boundaries"]) >= 2:
                return frame, i, j, want
    raise AssertionError("no dense pixel over Shanxi")


@pytest.mark.parametrize("count", [None, 1, 2, 5, 1000])
def test_feature_count_per_layer(http, base_url, dense_pixel, count):
    """FEATURE_COUNT (default 1) cuts each layer's features, lowest ids first; layers come in
    QUERY_LAYERS order."""
    frame, i, j, want = dense_pixel
    order = ["coal_mine_boundaries", "countries", "coal_mines"]
    r = gfi(http, base_url, frame, i, j, layers=",".join(DEMO_LAYERS), query_layers=",".join(order),
            info_format="text/plain", FEATURE_COUNT=count)
    n = count or 1
    found = read_plain(r)
    expected_order = [(c, fid) for c in order for fid in want[c][:n]]
    assert [(layer, fid) for layer, fid, _ in found] == expected_order
    assert re.findall(r"^Layer '(.*)'$", r.text, re.M) == order


def test_feature_count_json(http, base_url, dense_pixel):
    frame, i, j, want = dense_pixel
    kw = dict(layers="coal_mines,coal_mine_boundaries", FEATURE_COUNT=4)
    json_ids = [f["id"] for f in read_json(gfi(http, base_url, frame, i, j, info_format="application/json", **kw))]
    assert json_ids == want["coal_mines"][:4] + want["coal_mine_boundaries"][:4]


def test_feature_count_gml_and_html(http, base_url, dft_schema, dense_pixel):
    frame, i, j, want = dense_pixel
    kw = dict(layers="coal_mines,coal_mine_boundaries", FEATURE_COUNT=4)
    gml = read_gml(gfi(http, base_url, frame, i, j, info_format="application/vnd.ogc.gml", **kw), dft_schema)
    assert [(c, fid) for c, fid, _ in gml] == (
        [("coal_mines", f) for f in want["coal_mines"][:4]] + [("coal_mine_boundaries", f) for f in want["coal_mine_boundaries"][:4]])
    sections, _ = read_html(gfi(http, base_url, frame, i, j, **kw))
    assert [[fid for fid, _ in feats] for _, feats in sections] == [want["coal_mines"][:4], want["coal_mine_boundaries"][:4]]


@pytest.mark.parametrize("crs, version", [("CRS:84", "1.3.0"), ("EPSG:4326", "1.3.0"), ("EPSG:4326", "1.1.1"),
                                          ("EPSG:3857", "1.3.0"), ("EPSG:3857", "1.1.1"), ("EPSG:32649", "1.3.0")])
def test_features_equal_ogr_spatial_filter(http, base_url, expected, crs, version):
    """A grid of pixels over Shanxi, BUFFER 0, default or 10: for every layer, the ids = OGR's
    SetSpatialFilterRect on the source with the pixel box reprojected by osr, ordered, cut at
    FEATURE_COUNT. Pixels with a feature within 1e-4 px of the box's edge are left out."""
    frame = frame_of(crs, SHANXI, 100, 100)
    lonlat = to_lonlat_box(crs, frame.bbox)
    margin = (lonlat[2] - lonlat[0]) / 100 * 1e-4
    compared, nonempty = 0, {c: 0 for c in DEMO_LAYERS}
    for k, (i, j) in enumerate((i, j) for i in range(3, 100, 19) for j in range(5, 100, 19)):
        buffer = (None, 0, 10)[k % 3]
        count = (1000, 3)[k % 2]
        box = to_lonlat_box(crs, pixel_box(frame, i, j, DEFAULT_BUFFER if buffer is None else buffer))
        want = {c: stable_ogr_ids(expected(c), box, margin, AROUND_SHANXI) for c in DEMO_LAYERS}
        if any(v is None for v in want.values()):
            continue
        r = gfi(http, base_url, frame, i, j, crs=crs, version=version, layers=",".join(DEMO_LAYERS),
                info_format="text/plain", FEATURE_COUNT=count, BUFFER=buffer)
        got = plain_ids(r)
        for c in DEMO_LAYERS:
            assert got.get(c, []) == want[c][:count], (
                f"{crs} {version} pixel ({i}, {j}) BUFFER={buffer} FEATURE_COUNT={count}: {c} {got.get(c)}, "
                f"OGR {want[c][:count]}")
            nonempty[c] += bool(want[c])
        compared += 1
    assert compared >= 25, f"only {compared} pixels compared"
    assert nonempty["coal_mines"] >= 10 and nonempty["coal_mine_boundaries"] >= 2 and nonempty["countries"] >= 20


def test_mine_facilities(http, base_url, expected):
    """A point layer from GeoJSON (its ids are not the GeoJSON fids): one facility at a time."""
    exp = expected("mine_facilities")
    checked = 0
    for fid in sorted(exp.by_id)[::37][:6]:
        g = exp.by_id[fid].geometry.GetGeometryRef(0)  # MultiPoints; the first point
        frame = frame_around(g.GetX(), g.GetY(), 20, 20, 40, 40, 0.0002)
        want = ogr_ids(exp, pixel_box(frame, 20, 20))
        found = read_plain(gfi(http, base_url, frame, 20, 20, layers="mine_facilities", info_format="text/plain",
                               FEATURE_COUNT=50))
        assert fid in want
        assert [f for _, f, _ in found] == want
        got = {f: props for _, f, props in found}[fid]
        assert_text_props(got, exp.by_id[fid], exp.types, f"facility {fid}")
        checked += 1
    assert checked >= 5


# --------------------------------------------------------------------------- markup in values


def test_html_escapes_markup(http, base_url, expected, observations):
    """The synthetic observation 0 has a note with <script>: HTML shows it as text."""
    exp = expected("observations")
    target = observations[0]
    assert target.note == XSS_NOTE
    fid = served_id(exp, lambda f: f.properties["seq"] == 0)
    frame = frame_around(target.lon, target.lat, 50, 50, 100, 100, 0.0005)
    r = gfi(http, base_url, frame, 50, 50, layers="observations")
    assert "<script" not in r.text.lower(), r.text
    assert "&lt;script&gt;" in r.text
    sections, _ = read_html(r)
    assert [[i for i, _ in feats] for _, feats in sections] == [[fid]]
    assert sections[0][0] == "Synthetic observations"  # the layer's title (amis import --title)
    assert sections[0][1][0][1]["note"] == XSS_NOTE
    plain = read_plain(gfi(http, base_url, frame, 50, 50, layers="observations", info_format="text/plain"))
    assert plain[0][2]["note"] == XSS_NOTE


def test_json_carries_markup_as_data(http, base_url, observations):
    target = observations[0]
    frame = frame_around(target.lon, target.lat, 50, 50, 100, 100, 0.0005)
    features = read_json(gfi(http, base_url, frame, 50, 50, layers="observations", info_format="application/json"))
    assert features[0]["properties"]["note"] == XSS_NOTE


# --------------------------------------------------------------------------- OWSLib


@pytest.mark.parametrize("info_format", ["application/vnd.ogc.gml", "text/plain",
                                         "application/json"])
def test_owslib_getfeatureinfo(base_url, tigyit, tigyit_id, info_format):
    wms = WebMapService(wms_url(base_url), version="1.3.0", timeout=60)
    frame = mine_frame(tigyit)
    # OWSLib takes (minx, miny, maxx, maxy) and swaps the box itself for EPSG:4326.
    for srs in ("EPSG:4326", "CRS:84"):
        body = wms.getfeatureinfo(layers=["coal_mines"], styles=[""], srs=srs, bbox=frame.bbox,
                                  size=(frame.width, frame.height), format="image/png", query_layers=["coal_mines"],
                                  info_format=info_format, xy=(60, 40), feature_count=5).read()
        if info_format == "application/json":
            ids = [f["id"] for f in json.loads(body)["features"]]
        elif info_format == "text/plain":
            ids = [int(m) for m in re.findall(rb"^  Feature (\d+):$", body, re.M)]
        else:
            ids = [fid_of(f.gml_id, "coal_mines") for f in gml_features(parse_xml(body))]
        assert ids == [tigyit_id], srs


# --------------------------------------------------------------------------- errors


def error_request(http, base_url, version: str, **changes):
    """A valid GetFeatureInfo (EPSG:4326 over Myanmar, 100 x 80) with some parameters changed
    (None: left out)."""
    ik, jk = xy_keys(version)
    params = {"LAYERS": "coal_mines,countries", "STYLES": "", "WIDTH": "100", "HEIGHT": "80",
              "BBOX": "20,96,21,97" if version == "1.3.0" else "96,20,97,21", "QUERY_LAYERS": "coal_mines",
              "INFO_FORMAT": "text/plain", ik: "10", jk: "20",
              ("CRS" if version == "1.3.0" else "SRS"): "EPSG:4326"}
    params.update(changes)
    return wms_get(http, base_url, "GetFeatureInfo", version, **{k: v for k, v in params.items() if v is not None})


@pytest.mark.parametrize("version", VERSIONS)
def test_the_valid_error_request_is_valid(http, base_url, version):
    read_plain(error_request(http, base_url, version))
    ik, jk = xy_keys(version)
    for i, j in (("0", "0"), ("99", "79"), ("99", "0"), ("0", "79")):  # the corners are pixels too
        read_plain(error_request(http, base_url, version, **{ik: i, jk: j}))
    read_plain(error_request(http, base_url, version, FORMAT=None))  # FORMAT is optional


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("query_layers", ["mine_facilities", "nope", "coal_mines,nope", "Coal_mines",
                                          "coal_mines,mine_facilities", "amis:coal_mines", "coal_mines,"])
def test_layer_not_queryable(http, base_url, version, query_layers):
    r = error_request(http, base_url, version, QUERY_LAYERS=query_layers)
    e = assert_service_exception(r, "LayerNotQueryable", version)
    if version == "1.3.0":
        assert (e.locator or "").upper() == "QUERY_LAYERS"


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("info_format", ["image/png", "text/csv", "application/pdf", "html", "json",
                                         "application/vnd.ogc.wms_xml", "x" * 1000, "text/html\x00"])
def test_invalid_info_format(http, base_url, version, info_format):
    assert_service_exception(error_request(http, base_url, version, INFO_FORMAT=info_format), "InvalidFormat", version)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("axis, value", [(0, "-1"), (0, "100"), (1, "80"), (1, "-1"), (0, "1000000"), (0, "1.5"),
                                         (1, "abc"), (0, "1e1"), (1, "0x10"), (0, "9" * 40), (1, "10px"),
                                         (0, "nan")])
def test_invalid_point(http, base_url, version, axis, value):
    key = xy_keys(version)[axis]
    e = assert_service_exception(error_request(http, base_url, version, **{key: value}), "InvalidPoint", version)
    if version == "1.3.0":
        assert (e.locator or "").upper() == key


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("missing", ["QUERY_LAYERS", "I", "J"])
def test_missing_parameter(http, base_url, version, missing):
    if missing in ("I", "J"):
        missing = xy_keys(version)[0 if missing == "I" else 1]
    e = service_exceptions(error_request(http, base_url, version, **{missing: None}), version)[0]
    assert e.code in ("MissingParameterValue", "InvalidPoint"), e


def test_111_wants_x_y_not_i_j(http, base_url):
    r = error_request(http, base_url, "1.1.1", X=None, Y=None, I="10", J="20")
    service_exceptions(r, "1.1.1")


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name, value", [("FEATURE_COUNT", "0"), ("FEATURE_COUNT", "-1"), ("FEATURE_COUNT", "1001"),
                                         ("FEATURE_COUNT", "abc"), ("FEATURE_COUNT", "2.5"),
                                         ("FEATURE_COUNT", "9" * 40), ("BUFFER", "-1"), ("BUFFER", "101"),
                                         ("BUFFER", "x"), ("BUFFER", "1.5")])
def test_bad_feature_count_or_buffer(http, base_url, version, name, value):
    e = assert_service_exception(error_request(http, base_url, version, **{name: value}), "InvalidParameterValue",
                                 version)
    if version == "1.3.0":
        assert (e.locator or "").upper() == name


@pytest.mark.parametrize("version", VERSIONS)
def test_limits_of_feature_count_and_buffer_accepted(http, base_url, version):
    for kw in ({"FEATURE_COUNT": "1"}, {"FEATURE_COUNT": "1000"}, {"BUFFER": "0"}, {"BUFFER": "100"}):
        read_plain(error_request(http, base_url, version, **kw))


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("changes, code", [
    ({"LAYERS": "nope", "QUERY_LAYERS": "nope"}, "LayerNotDefined"),
    ({"STYLES": "fancy,"}, "StyleNotDefined"),
    ({"FORMAT": "image/gif"}, "InvalidFormat"),
    ({"LAYERS": None}, "MissingParameterValue"),
    ({"BBOX": None}, "MissingParameterValue"),
])
def test_get_map_part_errors(http, base_url, version, changes, code):
    assert_service_exception(error_request(http, base_url, version, **changes), code, version)


@pytest.mark.parametrize("version, code", [("1.3.0", "InvalidCRS"), ("1.1.1", "InvalidSRS")])
def test_unknown_crs(http, base_url, version, code):
    key = "CRS" if version == "1.3.0" else "SRS"
    assert_service_exception(error_request(http, base_url, version, **{key: "EPSG:999999"}), code, version)


HOSTILE = [
    {"I": "9" * 5000},
    {"I": ""},
    {"I": "1\x00"},
    {"I": "-0"},
    {"J": "\u0663"},              # an Arabic-Indic digit three
    {"FEATURE_COUNT": "9" * 5000},
    {"FEATURE_COUNT": ""},
    {"BUFFER": "1e308"},
    {"BUFFER": ""},
    {"INFO_FORMAT": "x" * 100000},
    {"INFO_FORMAT": ""},
    {"INFO_FORMAT": "<script>alert(1)</script>"},
    {"QUERY_LAYERS": "coal_mines," * 3000},
    {"QUERY_LAYERS": "coal_mines,coal_mines,coal_mines", "FEATURE_COUNT": "1000", "BUFFER": "100"},
    {"QUERY_LAYERS": "\u56fd\u5bb6"},
    {"WIDTH": "1", "HEIGHT": "1", "I": "0", "J": "0"},
    {"BBOX": "-90,-180,90,180", "FEATURE_COUNT": "1000", "BUFFER": "100", "INFO_FORMAT": "text/plain"},
]


@pytest.mark.parametrize("changes", HOSTILE, ids=range(len(HOSTILE)))
def test_never_a_server_error(http, base_url, changes):
    """Absurd values: a 400 (a WMS exception report, unless the HTTP layer refuses an
    over-long request line first) or an answer, never a 5xx."""
    r = error_request(http, base_url, "1.3.0", **changes)
    assert r.status_code < 500, f"HTTP {r.status_code} for {str(changes)[:120]}: {r.text[:300]}"
    if r.status_code == 200:
        read_plain(r)
    elif "xml" in r.headers.get("Content-Type", ""):
        service_exceptions(r, "1.3.0", status=r.status_code)
    else:
        assert r.status_code in (400, 413, 414, 431), r.status_code
    assert "<script>" not in r.text


def test_healthy_afterwards(http, base_url, tigyit, tigyit_id):
    assert ids_at(http, base_url, mine_frame(tigyit), 60, 40) == [tigyit_id]
