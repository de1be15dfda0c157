"""Helpers for the WMTS 1.0.0 tests (/wmts KVP and /wmts/1.0.0 REST).

- requests: GetCapabilities / GetTile by KVP, tile URLs of the REST binding;
- the two tile matrix sets computed from their definitions (OGC 17-083r2 / WMTS 1.0.0
  annex E): scale denominators, matrix sizes, tile bounds, which tile and pixel a
  position falls in (osr projects lon/lat to EPSG:3857, not AMIS);
- a structural checker of element order (no WMTS XSD is available offline);
- OWS 1.1 ExceptionReports (valid against ows/1.1.0/owsExceptionReport.xsd, version 1.0.0);
- Mapbox vector tiles decoded with GDAL's MVT driver.

Nothing here derives an expected value from AMIS's output.
"""
from __future__ import annotations

import functools
import math
import uuid
from dataclasses import dataclass
from typing import Any

import requests
from lxml import etree
from osgeo import gdal, osr

from wfs_support import exception_report, parse_xml

WMTS_NS = "http://www.opengis.net/wmts/1.0"
OWS_NS = "http://www.opengis.net/ows/1.1"
XLINK_NS = "http://www.w3.org/1999/xlink"
NSMAP = {"wmts": WMTS_NS, "ows": OWS_NS, "xlink": XLINK_NS}

# (media type, REST file extension), in the order the brief lists them.
FORMATS = [("image/png", "png"), ("image/jpeg", "jpg"), ("image/webp", "webp"),
           ("application/vnd.mapbox-vector-tile", "mvt")]
MVT = "application/vnd.mapbox-vector-tile"

HTTP_TIMEOUT = 60
MERCATOR_HALF = 20037508.3427892  # half the equator of EPSG:3857's sphere, metres
TILE = 256
MVT_EXTENT = 4096


def w(local: str) -> str:
    return f"{{{WMTS_NS}}}{local}"


def o(local: str) -> str:
    return f"{{{OWS_NS}}}{local}"


# --------------------------------------------------------------------------- tile matrix sets


@dataclass(frozen=True)
class Tms:
    """A tile matrix set as the brief (and OGC 17-083r2) defines it."""

    id: str
    crs: str
    top_left: tuple[float, float]
    max_level: int
    scale0: float          # the scale denominator of level 0
    width0: int            # matrix width of level 0 (height is always 1 at level 0)
    well_known: str | None

    def levels(self) -> range:
        return range(self.max_level + 1)

    def scale(self, z: int) -> float:
        return self.scale0 / 2 ** z

    def matrix_width(self, z: int) -> int:
        return self.width0 * 2 ** z

    def matrix_height(self, z: int) -> int:
        return 2 ** z

    def span(self, z: int) -> float:
        """The width of one tile in CRS units."""
        full = 2 * MERCATOR_HALF if self.id == "WebMercatorQuad" else 360.0
        return full / self.matrix_width(z)

    def bounds(self, z: int, row: int, col: int) -> tuple[float, float, float, float]:
        s = self.span(z)
        minx = self.top_left[0] + col * s
        maxy = self.top_left[1] - row * s
        return (minx, maxy - s, minx + s, maxy)

    def locate(self, x: float, y: float, z: int) -> tuple[int, int, float, float]:
        """(row, col, pixel x, pixel y) of a position in CRS units at level z; pixel
        coordinates are continuous (the centre of pixel (c, r) is (c + 0.5, r + 0.5))."""
        s = self.span(z)
        fx = (x - self.top_left[0]) / s
        fy = (self.top_left[1] - y) / s
        col, row = math.floor(fx), math.floor(fy)
        return row, col, (fx - col) * TILE, (fy - row) * TILE

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        return mercator(lon, lat) if self.id == "WebMercatorQuad" else (lon, lat)


WEB_MERCATOR_QUAD = Tms("WebMercatorQuad", "urn:ogc:def:crs:EPSG::3857",
                        (-MERCATOR_HALF, MERCATOR_HALF), 24, 559082264.0287178, 1,
                        "urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible")
WORLD_CRS84_QUAD = Tms("WorldCRS84Quad", "urn:ogc:def:crs:OGC:1.3:CRS84", (-180.0, 90.0), 23,
                       279541132.0143589, 2, None)
TMS = {t.id: t for t in (WEB_MERCATOR_QUAD, WORLD_CRS84_QUAD)}


@functools.lru_cache(maxsize=None)
def _to_mercator() -> osr.CoordinateTransformation:
    src = osr.SpatialReference()
    src.ImportFromEPSG(4326)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(3857)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return osr.CoordinateTransformation(src, dst)


def mercator(lon: float, lat: float) -> tuple[float, float]:
    x, y, *_ = _to_mercator().TransformPoint(lon, lat)
    return x, y


# --------------------------------------------------------------------------- requests


def wmts_url(base_url: str) -> str:
    return base_url + "/wmts"


def rest_capabilities_url(base_url: str) -> str:
    return base_url + "/wmts/1.0.0/WMTSCapabilities.xml"


def kvp(http: requests.Session, base_url: str, **params: Any) -> requests.Response:
    """GET /wmts?<params> exactly as given (None values left out; names not changed)."""
    query = {k: str(v) for k, v in params.items() if v is not None}
    return http.get(wmts_url(base_url), params=query, timeout=HTTP_TIMEOUT)


def get_tile_params(layer: str = "coal_mines", tms: str = "WebMercatorQuad", z: int | str = 0,
                    row: int | str = 0, col: int | str = 0, format: str = "image/png",
                    style: str = "default") -> dict[str, str]:
    return {"SERVICE": "WMTS", "VERSION": "1.0.0", "REQUEST": "GetTile", "LAYER": layer, "STYLE": style,
            "FORMAT": format, "TILEMATRIXSET": tms, "TILEMATRIX": str(z), "TILEROW": str(row),
            "TILECOL": str(col)}


def rest_tile_url(base_url: str, layer: str, tms: str, z: int | str, row: int | str, col: int | str,
                  ext: str = "png", style: str = "default") -> str:
    return f"{base_url}/wmts/1.0.0/{layer}/{style}/{tms}/{z}/{row}/{col}.{ext}"


def tile_response(r: requests.Response, media_type: str, allow_empty: bool = False) -> bytes:
    assert r.status_code == 200, f"GET {r.url}: HTTP {r.status_code}: {r.text[:600]}"
    ctype = r.headers.get("Content-Type", "").split(";")[0].strip()
    assert ctype == media_type, f"{r.url}: Content-Type {ctype!r}, wanted {media_type}"
    assert r.content or allow_empty, f"{r.url}: an empty body"
    return r.content


# --------------------------------------------------------------------------- exceptions


def assert_ows_exception(r: requests.Response, code: str, locator: str | None = None,
                         exact_locator: bool = True):
    """HTTP 400, an OWS 1.1 ExceptionReport valid against owsExceptionReport.xsd with
    version="1.0.0" (WMTS 1.0.0, 8.1); the first exception has `code` and, if given,
    `locator` (exactly, or without case when exact_locator is False)."""
    exceptions = exception_report(r, 400, "2.0.0")  # "2.0.0" selects OWS 1.1 there
    doc = parse_xml(r)
    assert doc.get("version") == "1.0.0", f"ExceptionReport version {doc.get('version')!r}, wanted 1.0.0"
    first = exceptions[0]
    assert first.code == code, f"exceptionCode {first.code!r}, wanted {code!r}: {r.text[:400]}"
    if locator is not None:
        got = first.locator or ""
        ok = got == locator if exact_locator else got.lower() == locator.lower()
        assert ok, f"locator {first.locator!r}, wanted {locator!r}: {r.text[:400]}"
    assert any(t.strip() for t in first.texts), "an exception without an ExceptionText"
    return first


# --------------------------------------------------------------------------- structure


def assert_sequence(elem: etree._Element, spec: list[tuple[str, int, int | None]], what: str) -> None:
    """The element children of `elem` follow `spec`, a list of (Clark name, min, max or
    None for unbounded), in order, with nothing else (an xs:sequence check)."""
    children = [c for c in elem if isinstance(c.tag, str)]
    names = [c.tag for c in children]
    i = 0
    for tag, lo, hi in spec:
        n = 0
        while i < len(names) and names[i] == tag and (hi is None or n < hi):
            i += 1
            n += 1
        assert n >= lo, (f"{what}: {n} {etree.QName(tag).localname} where {lo} or more are needed at child "
                         f"{i}; children: {[etree.QName(t).localname for t in names]}")
    assert i == len(names), (f"{what}: unexpected or misplaced {etree.QName(names[i]).localname} at child {i}; "
                             f"children: {[etree.QName(t).localname for t in names]}")


LAYER_SEQUENCE = [(o("Title"), 1, None), (o("Abstract"), 0, None), (o("Keywords"), 0, None),
                  (o("WGS84BoundingBox"), 0, None), (o("Identifier"), 1, 1), (o("BoundingBox"), 0, None),
                  (o("Metadata"), 0, None), (o("DatasetDescriptionSummary"), 0, None),
                  (w("Style"), 1, None), (w("Format"), 1, None), (w("InfoFormat"), 0, None),
                  (w("Dimension"), 0, None), (w("TileMatrixSetLink"), 1, None), (w("ResourceURL"), 0, None)]
STYLE_SEQUENCE = [(o("Title"), 0, None), (o("Abstract"), 0, None), (o("Keywords"), 0, None),
                  (o("Identifier"), 1, 1), (w("LegendURL"), 0, None)]
TILE_MATRIX_SET_SEQUENCE = [(o("Title"), 0, None), (o("Abstract"), 0, None), (o("Keywords"), 0, None),
                            (o("Identifier"), 1, 1), (o("BoundingBox"), 0, 1), (o("SupportedCRS"), 1, 1),
                            (w("WellKnownScaleSet"), 0, 1), (w("TileMatrix"), 1, None)]
TILE_MATRIX_SEQUENCE = [(o("Title"), 0, None), (o("Abstract"), 0, None), (o("Keywords"), 0, None),
                        (o("Identifier"), 1, 1), (w("ScaleDenominator"), 1, 1), (w("TopLeftCorner"), 1, 1),
                        (w("TileWidth"), 1, 1), (w("TileHeight"), 1, 1), (w("MatrixWidth"), 1, 1),
                        (w("MatrixHeight"), 1, 1)]
CAPABILITIES_SEQUENCE = [(o("ServiceIdentification"), 0, 1), (o("ServiceProvider"), 0, 1),
                         (o("OperationsMetadata"), 0, 1), (w("Contents"), 0, 1), (w("Themes"), 0, None),
                         (w("WSDL"), 0, None), (w("ServiceMetadataURL"), 0, None)]


def numbers(text: str | None) -> list[float]:
    return [float(v) for v in (text or "").split()]


# --------------------------------------------------------------------------- vector tiles


@dataclass
class MvtFeature:
    id: int
    x: float  # EPSG:3857
    y: float
    properties: dict[str, Any]


def mvt_layers(content: bytes, z: int, row: int, col: int) -> dict[str, list[MvtFeature]]:
    """A WebMercatorQuad vector tile decoded by GDAL's MVT driver (X/Y/Z open options,
    so that coordinates come out in EPSG:3857): layer name -> its features (points only
    keep their coordinates; other geometries get their envelope centre)."""
    path = f"/vsimem/amis-wmts-{uuid.uuid4().hex}.mvt"
    gdal.FileFromMemBuffer(path, content)
    try:
        ds = gdal.OpenEx("MVT:" + path, gdal.OF_VECTOR | gdal.OF_READONLY,
                         open_options=[f"X={col}", f"Y={row}", f"Z={z}"])
        assert ds is not None, f"GDAL's MVT driver cannot read the tile {z}/{row}/{col}"
        out: dict[str, list[MvtFeature]] = {}
        for i in range(ds.GetLayerCount()):
            lyr = ds.GetLayer(i)
            srs = lyr.GetSpatialRef()
            assert srs is not None and srs.GetAuthorityCode(None) == "3857", f"layer {lyr.GetName()}: SRS {srs}"
            feats = []
            for f in lyr:
                g = f.GetGeometryRef()
                minx, maxx, miny, maxy = g.GetEnvelope()
                props = {k: v for k, v in f.items().items() if k != "mvt_id"}
                feats.append(MvtFeature(f["mvt_id"], (minx + maxx) / 2, (miny + maxy) / 2, props))
            out[lyr.GetName()] = feats
        ds = None
    finally:
        gdal.Unlink(path)
    return out
