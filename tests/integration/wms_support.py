"""Helpers for the WMS 1.3.0 / 1.1.1 tests (GET /wms, KVP).

- requests: GetCapabilities / GetMap / anything else by KVP;
- ServiceExceptionReports: 1.3.0 (text/xml, valid against wms/1.3.0/exceptions_1_3_0.xsd)
  and 1.1.1 (application/vnd.ogc.se_xml);
- images decoded with GDAL (PNG, PNG with a palette, JPEG, WebP) into RGBA arrays, and
  the PNG header read byte by byte (colour type, bit depth);
- the expected side, computed without AMIS: where a coordinate falls in a map
  (plain arithmetic, osr for projected CRSs), the default style's colours (ColorBrewer
  Dark2 by layer position, polygons at 35 % opacity) blended by hand, the demo sources
  read with OGR (isolated coal mines, country polygons rasterised by GDAL).

Nothing here derives an expected value from AMIS's output.
"""
from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import requests
from lxml import etree
from osgeo import gdal, ogr, osr

from support import DEMO_SOURCES
from wfs_support import OGC_SCHEMAS, assert_valid, compiled_schema, parse_xml

WMS130_CAPABILITIES_XSD = OGC_SCHEMAS / "wms" / "1.3.0" / "capabilities_1_3_0.xsd"
WMS130_EXCEPTIONS_XSD = OGC_SCHEMAS / "wms" / "1.3.0" / "exceptions_1_3_0.xsd"

WMS_NS = "http://www.opengis.net/wms"
OGC_NS = "http://www.opengis.net/ogc"
XLINK_NS = "http://www.w3.org/1999/xlink"

COLLECTIONS = ["coal_mines", "coal_mine_boundaries", "countries", "mine_facilities", "observations"]

# The default styles (the WMS slice's contract): one colour per position in LAYERS,
# ColorBrewer Dark2 from its second colour; polygons filled at 35 % opacity.
PALETTE = ["#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"]
FILL_OPACITY = 0.35
WHITE = (255, 255, 255)

# CRSs every layer must offer: CRS:84, EPSG:4326, Web Mercator, WGS 84 / UTM 46N-52N, 47S-51S.
UTM_ZONES = [f"EPSG:{c}" for c in (*range(32646, 32653), *range(32747, 32752))]
REQUIRED_CRS_130 = ["CRS:84", "EPSG:4326", "EPSG:3857", *UTM_ZONES]
REQUIRED_SRS_111 = ["EPSG:4326", "EPSG:3857", *UTM_ZONES]

FORMATS = ["image/png", "image/png; mode=8bit", "image/jpeg", "image/webp"]
MAX_SIZE = 4096

HTTP_TIMEOUT = 60


# --------------------------------------------------------------------------- requests


def wms_url(base_url: str) -> str:
    return base_url + "/wms"


def wms_get(http: requests.Session, base_url: str, request: str | None, version: str | None = "1.3.0",
            **params: Any) -> requests.Response:
    """GET /wms?SERVICE=WMS&VERSION=..&REQUEST=..&<params> (None values left out)."""
    query: dict[str, str] = {"SERVICE": "WMS"}
    if version is not None:
        query["VERSION"] = version
    if request is not None:
        query["REQUEST"] = request
    query.update({k: str(v) for k, v in params.items() if v is not None})
    return http.get(wms_url(base_url), params=query, timeout=HTTP_TIMEOUT)


def bbox_text(values) -> str:
    return ",".join(repr(float(v)) for v in values)


def get_map(http: requests.Session, base_url: str, *, layers: str, bbox, crs: str = "CRS:84",
            version: str = "1.3.0", width: int = 200, height: int = 150, format: str = "image/png",
            styles: str = "", **extra: Any) -> requests.Response:
    """A GetMap; `bbox` is sent as given (the caller puts it in the axis order the version
    and CRS want), CRS= for 1.3.0 and SRS= for 1.1.1."""
    params = {"LAYERS": layers, "STYLES": styles, "BBOX": bbox if isinstance(bbox, str) else bbox_text(bbox),
              "WIDTH": width, "HEIGHT": height, "FORMAT": format}
    params["CRS" if version == "1.3.0" else "SRS"] = crs
    params.update(extra)
    return wms_get(http, base_url, "GetMap", version, **params)


def image_response(r: requests.Response, media_type: str = "image/png") -> bytes:
    assert r.status_code == 200, f"GET {r.url}: HTTP {r.status_code}: {r.text[:600]}"
    ctype = r.headers.get("Content-Type", "")
    assert ctype.split(";")[0].strip() == media_type, f"{r.url}: Content-Type {ctype!r}, wanted {media_type}"
    return r.content


# --------------------------------------------------------------------------- exceptions


@dataclass
class ServiceException:
    code: str | None
    locator: str | None
    text: str


def service_exceptions(r: requests.Response, version: str = "1.3.0", status: int = 400) -> list[ServiceException]:
    """Checks a WMS exception answer: the status, the media type of the version
    (text/xml for 1.3.0, application/vnd.ogc.se_xml for 1.1.1), a ServiceExceptionReport
    (1.3.0: in the OGC namespace and valid against exceptions_1_3_0.xsd) with at least
    one ServiceException; returns them."""
    assert r.status_code == status, f"GET {r.url}: HTTP {r.status_code}, wanted {status}: {r.text[:600]}"
    ctype = r.headers.get("Content-Type", "").split(";")[0].strip()
    want = "text/xml" if version == "1.3.0" else "application/vnd.ogc.se_xml"
    assert ctype == want, f"Content-Type {ctype!r} for a {version} exception, wanted {want}"
    doc = parse_xml(r)
    if version == "1.3.0":
        assert doc.tag == f"{{{OGC_NS}}}ServiceExceptionReport", f"root {doc.tag}: {r.text[:300]}"
        assert doc.get("version") == "1.3.0"
        assert_valid(compiled_schema(str(WMS130_EXCEPTIONS_XSD)), doc, "the 1.3.0 exception report")
        elems = doc.findall(f"{{{OGC_NS}}}ServiceException")
    else:
        # WMS 1.1.1 exceptions have no namespace (the 1.1.1 DTD).
        assert doc.tag == "ServiceExceptionReport", f"root {doc.tag}: {r.text[:300]}"
        assert doc.get("version") == "1.1.1"
        elems = doc.findall("ServiceException")
    assert elems, f"a ServiceExceptionReport without a ServiceException: {r.text[:300]}"
    return [ServiceException(e.get("code"), e.get("locator"), (e.text or "").strip()) for e in elems]


def assert_service_exception(r: requests.Response, code: str | None, version: str = "1.3.0") -> ServiceException:
    """HTTP 400 with a report whose first exception has `code` (None: any code or none)."""
    first = service_exceptions(r, version)[0]
    if code is not None:
        assert first.code == code, f"code {first.code!r}, wanted {code!r}: {r.text[:400]}"
    return first


# --------------------------------------------------------------------------- images


@dataclass
class Image:
    rgba: np.ndarray  # height x width x 4, uint8, not premultiplied
    driver: str       # GDAL driver that decoded it
    bands: int        # bands GDAL reports (1 with a colour table for a palette PNG)
    palette: bool

    @property
    def width(self) -> int:
        return self.rgba.shape[1]

    @property
    def height(self) -> int:
        return self.rgba.shape[0]

    def at(self, col: int, row: int) -> tuple[int, int, int, int]:
        return tuple(int(v) for v in self.rgba[row, col])


def decode(content: bytes) -> Image:
    """Any image GDAL reads (PNG, palette PNG, JPEG, WebP) as RGBA (alpha 255 when the
    image has none)."""
    path = f"/vsimem/amis-wms-{uuid.uuid4().hex}"
    gdal.FileFromMemBuffer(path, content)
    try:
        ds = gdal.Open(path)
        driver = ds.GetDriver().ShortName
        bands = ds.RasterCount
        table = ds.GetRasterBand(1).GetColorTable()
        if bands == 1 and table is not None:
            lut = np.zeros((256, 4), dtype=np.uint8)
            lut[:, 3] = 255
            for i in range(table.GetCount()):
                lut[i] = table.GetColorEntry(i)
            out = lut[ds.GetRasterBand(1).ReadAsArray()]
            palette = True
        else:
            data = [ds.GetRasterBand(i + 1).ReadAsArray() for i in range(bands)]
            if bands == 1:
                data = [data[0]] * 3
            elif bands == 2:  # grey + alpha
                data = [data[0]] * 3 + [data[1]]
            if len(data) == 3:
                data.append(np.full_like(data[0], 255))
            out = np.dstack(data[:4]).astype(np.uint8)
            palette = False
        ds = None
    finally:
        gdal.Unlink(path)
    return Image(out, driver, bands, palette)


def png_header(content: bytes) -> tuple[int, int, int, int]:
    """(width, height, bit depth, colour type) from the IHDR chunk (colour type 6 = RGBA,
    3 = palette, 2 = RGB)."""
    assert content[:8] == b"\x89PNG\r\n\x1a\n", f"not a PNG: {content[:16]!r}"
    assert content[12:16] == b"IHDR", "the first PNG chunk is not IHDR"
    width = int.from_bytes(content[16:20], "big")
    height = int.from_bytes(content[20:24], "big")
    return width, height, content[24], content[25]


def png_has_chunk(content: bytes, name: bytes) -> bool:
    pos = 8
    while pos + 8 <= len(content):
        length = int.from_bytes(content[pos:pos + 4], "big")
        if content[pos + 4:pos + 8] == name:
            return True
        pos += 12 + length
    return False


def jpeg_components(content: bytes) -> int:
    """The number of colour components in the JPEG frame header (SOFn)."""
    assert content[:2] == b"\xff\xd8", f"not a JPEG: {content[:8]!r}"
    pos = 2
    while pos + 4 <= len(content):
        assert content[pos] == 0xFF, "lost in the JPEG markers"
        marker = content[pos + 1]
        length = int.from_bytes(content[pos + 2:pos + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2, 0xC3):
            return content[pos + 9]
        pos += 2 + length
    raise AssertionError("no JPEG frame header")


def is_webp(content: bytes) -> bool:
    return content[:4] == b"RIFF" and content[8:12] == b"WEBP"


# --------------------------------------------------------------------------- colours


def rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def over(colour: tuple, opacity: float, below: tuple) -> tuple[float, float, float]:
    """`colour` at `opacity` composited over an opaque `below` (source-over)."""
    return tuple(c * opacity + b * (1 - opacity) for c, b in zip(colour, below))


def colour_distance(pixel, colour) -> float:
    """Largest per-channel difference between the RGB of a pixel and a colour."""
    return max(abs(float(p) - float(c)) for p, c in zip(pixel[:3], colour[:3]))


def assert_colour(pixel, colour, tolerance: float, what: str, alpha: int | None = 255,
                  alpha_tolerance: int = 2) -> None:
    hex_pixel = "#%02x%02x%02x/%d" % tuple(pixel[:4])
    hex_want = "#%02x%02x%02x" % tuple(round(c) for c in colour)
    assert colour_distance(pixel, colour) <= tolerance, (
        f"{what}: pixel {hex_pixel}, wanted {hex_want} (±{tolerance})")
    if alpha is not None:
        assert abs(int(pixel[3]) - alpha) <= alpha_tolerance, f"{what}: pixel {hex_pixel}, wanted alpha {alpha}"


# --------------------------------------------------------------------------- map geometry


@dataclass(frozen=True)
class Frame:
    """A map: its box in east/north order (minx, miny, maxx, maxy) and its size in pixels.
    A position maps linearly: column = (x - minx) / (maxx - minx) * width, row from the top."""

    bbox: tuple[float, float, float, float]
    width: int
    height: int

    def pixel(self, x: float, y: float) -> tuple[float, float]:
        minx, miny, maxx, maxy = self.bbox
        return ((x - minx) / (maxx - minx) * self.width, (maxy - y) / (maxy - miny) * self.height)

    def geotransform(self) -> tuple[float, ...]:
        minx, miny, maxx, maxy = self.bbox
        return (minx, (maxx - minx) / self.width, 0.0, maxy, 0.0, -(maxy - miny) / self.height)

    def request_bbox(self, north_first: bool) -> tuple[float, float, float, float]:
        """The BBOX parameter: east/north, or north/east for WMS 1.3.0 in a CRS whose
        first axis points north (EPSG:4326 and the like)."""
        minx, miny, maxx, maxy = self.bbox
        return (miny, minx, maxy, maxx) if north_first else self.bbox


def frame_around(x: float, y: float, col: int, row: int, width: int, height: int,
                 res_x: float, res_y: float | None = None) -> Frame:
    """A map of width x height pixels of res_x x res_y CRS units in which (x, y) is at the
    centre of pixel (col, row)."""
    res_y = res_x if res_y is None else res_y
    minx = x - (col + 0.5) * res_x
    maxy = y + (row + 0.5) * res_y
    return Frame((minx, maxy - height * res_y, minx + width * res_x, maxy), width, height)


@functools.lru_cache(maxsize=None)
def _srs(epsg: int) -> osr.SpatialReference:
    s = osr.SpatialReference()
    assert s.ImportFromEPSG(epsg) == 0
    return s


def north_first(crs: str) -> bool:
    """Whether the CRS's first axis (EPSG definition) points north: then the WMS 1.3.0
    BBOX gives it first."""
    if not crs.startswith("EPSG:"):
        return False
    s = _srs(int(crs[5:]))
    return bool(s.EPSGTreatsAsLatLong() or s.EPSGTreatsAsNorthingEasting())


@functools.lru_cache(maxsize=None)
def _to_east_north(epsg: int) -> osr.CoordinateTransformation:
    src = osr.SpatialReference()
    src.SetFromUserInput("OGC:CRS84")
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    dst = _srs(epsg).Clone()
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)  # easting/longitude first
    return osr.CoordinateTransformation(src, dst)


def project(crs: str, lon: float, lat: float) -> tuple[float, float]:
    """A lon/lat position in `crs` (CRS:84 or EPSG:n), easting/longitude first, by osr."""
    if crs == "CRS:84":
        return lon, lat
    x, y, *_ = _to_east_north(int(crs.split(":")[1])).TransformPoint(lon, lat)
    return x, y


# --------------------------------------------------------------------------- the sources


@dataclass(frozen=True)
class Mine:
    name: str
    fid: int
    lon: float
    lat: float
    iso3: str


def _open(collection: str) -> tuple[gdal.Dataset, ogr.Layer]:
    return DEMO_SOURCES[collection].open_layer()


@functools.lru_cache(maxsize=None)
def isolated_mine(name: str, radius: float = 1.0) -> Mine:
    """The coal mine of that name, checked (with OGR on the source) to be the only coal
    mine within `radius` degrees of it in longitude and latitude."""
    ds, lyr = _open("coal_mines")
    lyr.SetAttributeFilter(f"mine_name = '{name}'")
    found = [(f.GetFID(), f.GetGeometryRef().GetX(), f.GetGeometryRef().GetY(), f["iso3"]) for f in lyr]
    assert len(found) == 1, f"{len(found)} coal mines named {name!r} in the source"
    fid, lon, lat, iso3 = found[0]
    assert count_in_box("coal_mines", (lon - radius, lat - radius, lon + radius, lat + radius)) == 1, (
        f"{name}: another coal mine within {radius} degrees")
    return Mine(name, fid, lon, lat, iso3)


def count_in_box(collection: str, box: tuple[float, float, float, float]) -> int:
    """Source features of a collection whose geometry intersects a lon/lat box (GEOS)."""
    ds, lyr = _open(collection)
    lyr.SetSpatialFilterRect(*box)
    poly = ogr.CreateGeometryFromWkt(
        "POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(*box))
    return sum(1 for f in lyr if f.GetGeometryRef() is not None and f.GetGeometryRef().Intersects(poly))


@functools.lru_cache(maxsize=None)
def countries() -> list[tuple[str, ogr.Geometry]]:
    ds, lyr = _open("countries")
    return [(f["iso3"], f.GetGeometryRef().Clone()) for f in lyr]


def countries_touching(box: tuple[float, float, float, float]) -> tuple[list[str], list[str]]:
    """(iso3 of the countries intersecting the lon/lat box, iso3 of those containing it)."""
    poly = ogr.CreateGeometryFromWkt("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(*box))
    touching = [iso for iso, g in countries() if g.Intersects(poly)]
    containing = [iso for iso, g in countries() if g.Contains(poly)]
    return touching, containing


def rasterize_countries(frame: Frame, crs: str = "CRS:84", what: str = "centres") -> np.ndarray:
    """GDAL's rasterisation of the source country polygons (projected with osr when crs is
    not CRS:84) on the frame's pixels: with what="centres", how many polygons cover each
    pixel centre; "touched", how many touch each pixel at all (islands and peninsulas
    thinner than a pixel included); "boundaries", how many polygon boundaries (coasts,
    borders, inlets narrower than a pixel) touch each pixel."""
    mem = gdal.GetDriverByName("MEM").Create("", frame.width, frame.height, 1, gdal.GDT_Byte)
    mem.SetGeoTransform(frame.geotransform())
    vds = ogr.GetDriverByName("Memory").CreateDataSource("countries")
    layer = vds.CreateLayer("countries", None, ogr.wkbUnknown)
    for _, g in countries():
        g = g.Clone()
        if crs != "CRS:84":
            assert g.Transform(_to_east_north(int(crs.split(":")[1]))) == 0
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetGeometry(g.GetBoundary() if what == "boundaries" else g)
        layer.CreateFeature(f)
    options = ["MERGE_ALG=ADD"] + (["ALL_TOUCHED=TRUE"] if what != "centres" else [])
    gdal.PushErrorHandler("CPLQuietErrorHandler")  # neither side has a CRS: the same one, by construction
    try:
        gdal.RasterizeLayer(mem, [1], layer, burn_values=[1], options=options)
    finally:
        gdal.PopErrorHandler()
    return mem.GetRasterBand(1).ReadAsArray()


def erode(mask: np.ndarray, r: int) -> np.ndarray:
    """The pixels whose whole (2r+1)^2 neighbourhood is in the mask."""
    h, w = mask.shape
    padded = np.pad(mask, r, constant_values=False)
    out = mask.copy()
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            out &= padded[r + dy:r + dy + h, r + dx:r + dx + w]
    return out


# --------------------------------------------------------------------------- capabilities


def source_extent(collection: str, observations_gpkg: Path) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) in lon/lat, by OGR over the source file."""
    if collection == "observations":
        ds = gdal.OpenEx(str(observations_gpkg), gdal.OF_VECTOR | gdal.OF_READONLY)
        lyr = ds.GetLayer(0)
    else:
        ds, lyr = _open(collection)
    minx, maxx, miny, maxy = lyr.GetExtent(force=1)
    return minx, miny, maxx, maxy


def wms(local: str) -> str:
    return f"{{{WMS_NS}}}{local}"


def named_layers(doc: etree._Element, ns: str | None = WMS_NS) -> dict[str, etree._Element]:
    """Name -> Layer element, for every Layer with a Name (1.3.0 namespace, or none for 1.1.1)."""
    q = (lambda n: f"{{{ns}}}{n}") if ns else (lambda n: n)
    out = {}
    for layer in doc.iter(q("Layer")):
        name = layer.findtext(q("Name"))
        if name is not None:
            assert name not in out, f"two layers named {name}"
            out[name] = layer
    return out


def inherited(layer: etree._Element, tag: str) -> list[str]:
    """The text of `tag` children of a Layer and of all its ancestor Layers (CRS/SRS are
    inherited in both versions)."""
    out = []
    e = layer
    while e is not None and etree.QName(e).localname == "Layer":
        out.extend((c.text or "").strip() for c in e.findall(tag))
        e = e.getparent()
    return out


def check_countries_map(img: Image, frame: Frame, crs: str = "CRS:84", transparent: bool = True,
                        tolerance: int = 4, erosion: int = 2) -> None:
    """A map of the countries layer alone (first in LAYERS) against GDAL's rasterisation of
    the source polygons: every pixel `erosion` px or more inside exactly one country is the
    35 % fill (its colour at alpha 89 when transparent, else blended over white), every
    pixel `erosion` px or more from anything a country touches the background (alpha 0,
    or white). "Inside" means `erosion` px or more from any polygon boundary (coasts,
    borders, inlets narrower than a pixel: outlines are drawn there)."""
    inside = (rasterize_countries(frame, crs) == 1) & (rasterize_countries(frame, crs, "boundaries") == 0)
    land = erode(inside, erosion)
    sea = erode(rasterize_countries(frame, crs, "touched") == 0, erosion)
    assert land.sum() > 1000 and sea.sum() > 1000, "the oracle found too little land or sea"
    colour = rgb(PALETTE[0])
    pixels = img.rgba.astype(int)
    alpha = pixels[..., 3]
    if transparent:
        bad_sea = sea & (alpha != 0)
        rgb_off = np.abs(pixels[..., :3] - np.array(colour)).max(axis=2)
        bad_land = land & ((np.abs(alpha - round(FILL_OPACITY * 255)) > 2) | (rgb_off > tolerance))
    else:
        fill = np.array(over(colour, FILL_OPACITY, WHITE))
        bad_sea = sea & (np.abs(pixels[..., :3] - np.array(WHITE)).max(axis=2) > tolerance)
        bad_land = land & (np.abs(pixels[..., :3] - fill).max(axis=2) > tolerance)
    where_sea, where_land = np.argwhere(bad_sea), np.argwhere(bad_land)
    assert len(where_sea) == 0, (
        f"{len(where_sea)} of {int(sea.sum())} pixels far from any country are drawn, e.g. (col, row, rgba) "
        f"{[(int(c), int(r), img.at(int(c), int(r))) for r, c in where_sea[:4]]}")
    assert len(where_land) == 0, (
        f"{len(where_land)} of {int(land.sum())} pixels inside a country are not the 35 % fill, e.g. "
        f"(col, row, rgba) {[(int(c), int(r), img.at(int(c), int(r))) for r, c in where_land[:4]]}")
