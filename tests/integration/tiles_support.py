"""Helpers for the OGC API - Tiles tests (vector tiles, map tiles, tile matrix sets).

- the two tile matrix sets from their definitions in OGC 17-083r4 (TMS 2.0, Annex D):
  WebMercatorQuad (EPSG:3857, origin (-pi*6378137, pi*6378137), 2^z x 2^z tiles) and
  WorldCRS84Quad (CRS84, origin (-180, 90), 2^(z+1) x 2^z tiles of 180/2^z degrees);
  tile bounds, the tile holding a position, buffered bounds (64 of 4096 units);
- a Mapbox Vector Tile 2.1 decoder written here from vector_tile.proto and the
  specification (protobuf wire format, command integers, zig-zag, the surveyor's formula
  for ring orientation), strict about what the specification requires;
- GDAL's MVT driver as a second, independent decoder, georeferencing WebMercatorQuad tiles
  itself (open options X/Y/Z); WorldCRS84Quad tiles are read in tile units and placed with
  the exact affine formula (GDAL only georeferences Web Mercator tiles);
- the expected side: the source features keyed by the ids the store gave them
  (wfs_support.expected_collection checks the pairing row by row), projected with osr and
  cut with GEOS (osgeo.ogr).

Nothing here derives an expected value from AMIS's output.
"""
from __future__ import annotations

import functools
import math
import struct
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from osgeo import gdal, ogr, osr

MVT_TYPE = "application/vnd.mapbox-vector-tile"
EXTENT = 4096
BUFFER = 64
TILE_SIZE = 256

WEB_HALF = math.pi * 6378137.0  # half the equator of EPSG:3857's sphere
PIXEL_METRES = 0.00028          # OGC's standardized rendering pixel
METRES_PER_DEGREE = 2 * WEB_HALF / 360.0

REL_TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
REL_TILING_SCHEMES = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"
REL_TILESETS_VECTOR = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
REL_TILESETS_MAP = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-map"
CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

DEMO_COLLECTIONS = ["coal_mines", "coal_mine_boundaries", "countries", "mine_facilities"]
ALL_COLLECTIONS = [*DEMO_COLLECTIONS, "observations"]

HTTP_TIMEOUT = 60


# --------------------------------------------------------------------------- tile matrix sets


@functools.lru_cache(maxsize=None)
def _lonlat_to(epsg: int) -> osr.CoordinateTransformation:
    src = osr.SpatialReference()
    src.ImportFromEPSG(4326)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(epsg)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return osr.CoordinateTransformation(src, dst)


@dataclass(frozen=True)
class Tms:
    """A tile matrix set as OGC 17-083r4 defines it."""

    id: str
    uri: str
    crs: str
    origin: tuple[float, float]
    max_level: int
    width_factor: int       # matrixWidth = width_factor * 2^z
    span0: float            # the side of a level-0 tile in CRS units
    mercator: bool

    def matrix_size(self, z: int) -> tuple[int, int]:
        return self.width_factor * 2 ** z, 2 ** z

    def span(self, z: int) -> float:
        return self.span0 / 2 ** z

    def cell_size(self, z: int) -> float:
        return self.span(z) / TILE_SIZE

    def scale_denominator(self, z: int) -> float:
        metres = self.cell_size(z) * (1.0 if self.mercator else METRES_PER_DEGREE)
        return metres / PIXEL_METRES

    def bounds(self, z: int, row: int, col: int) -> tuple[float, float, float, float]:
        s = self.span(z)
        minx = self.origin[0] + col * s
        maxy = self.origin[1] - row * s
        return (minx, maxy - s, minx + s, maxy)

    def buffered(self, z: int, row: int, col: int, units: float = BUFFER) -> tuple[float, float, float, float]:
        minx, miny, maxx, maxy = self.bounds(z, row, col)
        m = self.span(z) * units / EXTENT
        return (minx - m, miny - m, maxx + m, maxy + m)

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        if not self.mercator:
            return lon, lat
        x, y, *_ = _lonlat_to(3857).TransformPoint(lon, lat)
        return x, y

    def tile_of(self, lon: float, lat: float, z: int) -> tuple[int, int]:
        """(row, col) of the tile holding the position."""
        x, y = self.project(lon, lat)
        s = self.span(z)
        return int((self.origin[1] - y) // s), int((x - self.origin[0]) // s)

    def tile_position(self, x: float, y: float, z: int, row: int, col: int,
                      size: float = EXTENT) -> tuple[float, float]:
        """A position in the TMS CRS in tile units (0..size, y down)."""
        minx, miny, maxx, maxy = self.bounds(z, row, col)
        return (x - minx) / (maxx - minx) * size, (maxy - y) / (maxy - miny) * size

    def to_crs(self, g: ogr.Geometry) -> ogr.Geometry:
        """A lon/lat geometry in the TMS CRS (osr), as a new geometry."""
        g = g.Clone()
        if self.mercator:
            assert g.Transform(_lonlat_to(3857)) == 0
        return g


WEB_MERCATOR_QUAD = Tms("WebMercatorQuad", "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad",
                        "http://www.opengis.net/def/crs/EPSG/0/3857", (-WEB_HALF, WEB_HALF), 24, 1,
                        2 * WEB_HALF, True)
WORLD_CRS84_QUAD = Tms("WorldCRS84Quad", "http://www.opengis.net/def/tilematrixset/OGC/1.0/WorldCRS84Quad",
                       CRS84_URI, (-180.0, 90.0), 23, 2, 180.0, False)
TMS = {t.id: t for t in (WEB_MERCATOR_QUAD, WORLD_CRS84_QUAD)}

# From the tables of OGC 17-083r4 Annex D (level 0), to check the formulas against.
OGC_LEVEL0 = {
    "WebMercatorQuad": {"scaleDenominator": 559082264.0287178, "cellSize": 156543.0339280410},
    "WorldCRS84Quad": {"scaleDenominator": 279541132.0143589, "cellSize": 0.703125},
}


def box_geometry(box: tuple[float, float, float, float]) -> ogr.Geometry:
    minx, miny, maxx, maxy = box
    return ogr.CreateGeometryFromWkt(
        f"POLYGON(({minx!r} {miny!r},{maxx!r} {miny!r},{maxx!r} {maxy!r},{minx!r} {maxy!r},{minx!r} {miny!r}))")


# --------------------------------------------------------------------------- requests


def tile_path(tms: str, z: int | str, row: int | str, col: int | str, collection: str | None = None,
              kind: str = "vector") -> str:
    prefix = f"/collections/{collection}" if collection else ""
    tiles = "/tiles" if kind == "vector" else "/map/tiles"
    return f"{prefix}{tiles}/{tms}/{z}/{row}/{col}"


def get_tile(http: requests.Session, base_url: str, tms: str, z: int, row: int, col: int,
             collection: str | None = None, kind: str = "vector", **params: Any) -> requests.Response:
    return http.get(base_url + tile_path(tms, z, row, col, collection, kind), params=params or None,
                    timeout=HTTP_TIMEOUT)


def mvt_body(r: requests.Response) -> bytes:
    assert r.status_code == 200, f"GET {r.url}: HTTP {r.status_code}: {r.text[:400]}"
    ctype = r.headers.get("Content-Type", "").split(";")[0].strip()
    assert ctype == MVT_TYPE, f"GET {r.url}: Content-Type {ctype!r}, wanted {MVT_TYPE}"
    return r.content


def assert_json_error(r: requests.Response, status: int) -> dict:
    """The status, a JSON body with a string `code` and `description`."""
    assert r.status_code == status, f"GET {r.url}: HTTP {r.status_code}, wanted {status}: {r.text[:300]}"
    ctype = r.headers.get("Content-Type", "").split(";")[0].strip()
    assert ctype in ("application/json", "application/problem+json"), f"GET {r.url}: Content-Type {ctype!r}"
    body = r.json()
    assert isinstance(body.get("code"), str) and body["code"], f"GET {r.url}: no code in {body}"
    assert isinstance(body.get("description"), str) and body["description"], f"GET {r.url}: no description"
    return body


def link_by_rel(doc: dict, rel: str) -> dict:
    found = [lk for lk in doc.get("links", []) if lk.get("rel") == rel]
    assert len(found) >= 1, f"no link rel={rel} in {[lk.get('rel') for lk in doc.get('links', [])]}"
    return found[0]


# --------------------------------------------------------------------------- MVT, decoded here


class MvtError(AssertionError):
    pass


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(buf):
            raise MvtError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise MvtError("varint longer than 10 bytes")


def _fields(buf: bytes):
    """(field number, wire type, value) of a protobuf message: ints for varints,
    bytes for length-delimited and fixed-size fields."""
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            n, pos = _varint(buf, pos)
            value, pos = buf[pos:pos + n], pos + n
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise MvtError(f"wire type {wire}")
        if pos > len(buf):
            raise MvtError("truncated field")
        yield number, wire, value


def _packed(value: bytes | int, wire: int) -> list[int]:
    if wire == 0:
        return [value]
    out, pos = [], 0
    while pos < len(value):
        v, pos = _varint(value, pos)
        out.append(v)
    return out


def _zigzag(n: int) -> int:
    return (n >> 1) ^ -(n & 1)


def _to_signed64(n: int) -> int:
    return n - (1 << 64) if n >= 1 << 63 else n


def _value(buf: bytes) -> Any:
    got = list(_fields(buf))
    if len(got) != 1:
        raise MvtError(f"a Value with {len(got)} fields")
    number, wire, v = got[0]
    if number == 1:
        return v.decode("utf-8")
    if number == 2:
        return struct.unpack("<f", v)[0]
    if number == 3:
        return struct.unpack("<d", v)[0]
    if number == 4:
        return _to_signed64(v)
    if number == 5:
        return v
    if number == 6:
        return _zigzag(v)
    if number == 7:
        return bool(v)
    raise MvtError(f"Value field {number}")


def signed_area(ring: list[tuple[int, int]]) -> float:
    """The surveyor's formula in tile coordinates (y down): positive for an exterior ring
    (MVT 2.1, 4.3.4.4)."""
    n = len(ring)
    return sum(ring[i][0] * ring[(i + 1) % n][1] - ring[(i + 1) % n][0] * ring[i][1] for i in range(n)) / 2


@dataclass
class RawFeature:
    id: int | None
    type: int                       # 1 point, 2 linestring, 3 polygon
    properties: dict[str, Any]
    parts: list[list[tuple[int, int]]]  # points: one part; lines: one per line; polygons: one per ring

    def polygons(self) -> list[list[list[tuple[int, int]]]]:
        """Rings grouped into polygons by orientation (4.3.4.4): each exterior ring
        (positive area) starts a polygon, interior rings (negative) follow it."""
        out: list = []
        for ring in self.parts:
            a = signed_area(ring)
            if a > 0:
                out.append([ring])
            else:
                if not out:
                    raise MvtError("a polygon that starts with an interior ring")
                out[-1].append(ring)
        return out


@dataclass
class RawLayer:
    name: str
    version: int
    extent: int
    features: list[RawFeature] = field(default_factory=list)


def _geometry(commands: list[int], type_: int) -> list[list[tuple[int, int]]]:
    x = y = 0
    parts: list[list[tuple[int, int]]] = []
    i = 0
    while i < len(commands):
        cmd = commands[i]
        cid, count = cmd & 7, cmd >> 3
        i += 1
        if cid in (1, 2):
            if count == 0:
                raise MvtError("a MoveTo/LineTo with count 0")
            if i + 2 * count > len(commands):
                raise MvtError("command parameters missing")
            if cid == 1:
                if type_ != 1 and count != 1:
                    raise MvtError(f"MoveTo with count {count} in a geometry of type {type_}")
                if type_ == 1:
                    if parts:
                        raise MvtError("a point geometry with two MoveTo commands")
                    parts.append([])
                else:
                    parts.append([])
            elif not parts or type_ == 1:
                raise MvtError("LineTo without MoveTo, or in a point geometry")
            for _ in range(count):
                x += _zigzag(commands[i])
                y += _zigzag(commands[i + 1])
                i += 2
                parts[-1].append((x, y))
        elif cid == 7:
            if type_ != 3 or count != 1:
                raise MvtError("ClosePath outside a polygon or with count != 1")
            if not parts or len(parts[-1]) < 3:
                raise MvtError("ClosePath on a ring of fewer than 3 positions")
        else:
            raise MvtError(f"command {cid}")
    if type_ == 2 and any(len(p) < 2 for p in parts):
        raise MvtError("a linestring of fewer than 2 positions")
    return parts


def decode_mvt(content: bytes) -> dict[str, RawLayer]:
    """Every layer of a tile by name, checked against MVT 2.1: version 2, a unique name,
    keys and values referenced within range, known geometry types, well-formed
    commands, polygons starting with an exterior ring, no zero-area ring."""
    layers: dict[str, RawLayer] = {}
    for number, wire, value in _fields(content):
        if number != 3:
            raise MvtError(f"Tile field {number}")
        name, version, extent = None, 1, 4096
        keys: list[str] = []
        values: list[Any] = []
        raw_features: list[bytes] = []
        for n, w, v in _fields(value):
            if n == 1:
                name = v.decode("utf-8")
            elif n == 2:
                raw_features.append(v)
            elif n == 3:
                keys.append(v.decode("utf-8"))
            elif n == 4:
                values.append(_value(v))
            elif n == 5:
                extent = v
            elif n == 15:
                version = v
            else:
                raise MvtError(f"Layer field {n}")
        if name is None:
            raise MvtError("a layer without a name")
        if name in layers:
            raise MvtError(f"two layers named {name}")
        layer = RawLayer(name, version, extent)
        for fb in raw_features:
            fid, type_, tags, commands = None, 0, [], []
            for n, w, v in _fields(fb):
                if n == 1:
                    fid = v
                elif n == 2:
                    tags += _packed(v, w)
                elif n == 3:
                    type_ = v
                elif n == 4:
                    commands += _packed(v, w)
                else:
                    raise MvtError(f"Feature field {n}")
            if len(tags) % 2:
                raise MvtError("an odd number of tags")
            props = {}
            for k, vi in zip(tags[::2], tags[1::2]):
                if k >= len(keys) or vi >= len(values):
                    raise MvtError(f"tag ({k}, {vi}) out of range")
                if keys[k] in props:
                    raise MvtError(f"key {keys[k]} twice in a feature")
                props[keys[k]] = values[vi]
            if type_ not in (1, 2, 3):
                raise MvtError(f"geometry type {type_}")
            parts = _geometry(commands, type_)
            feature = RawFeature(fid, type_, props, parts)
            if type_ == 3:
                for ring in parts:
                    if signed_area(ring) == 0:
                        raise MvtError(f"feature {fid}: a ring of zero area")
                feature.polygons()  # raises if the first ring is interior
            layer.features.append(feature)
        layers[name] = layer
    return layers


# --------------------------------------------------------------------------- MVT, decoded by GDAL


@dataclass
class GdalFeature:
    id: int | None
    properties: dict[str, Any]    # set fields only (mvt_id excluded)
    geometry: ogr.Geometry        # in the TMS CRS (EPSG:3857 or lon/lat)


def _affine(g: ogr.Geometry, fn) -> None:
    if g.GetGeometryCount() > 0:
        for i in range(g.GetGeometryCount()):
            _affine(g.GetGeometryRef(i), fn)
        return
    for i in range(g.GetPointCount()):
        x, y = fn(g.GetX(i), g.GetY(i))
        g.SetPoint_2D(i, x, y)


def gdal_decode(content: bytes, tms: Tms, z: int, row: int, col: int) -> dict[str, list[GdalFeature]]:
    """The tile as GDAL's MVT driver reads it, unclipped (CLIP=NO: the buffer is kept).
    WebMercatorQuad: GDAL georeferences the tile (X/Y/Z). WorldCRS84Quad: GDAL reads tile
    units with y up (x, extent - y), placed here on the tile's lon/lat bounds."""
    if not content:
        return {}
    path = f"/vsimem/amis-tile-{uuid.uuid4().hex}.mvt"
    gdal.FileFromMemBuffer(path, content)
    try:
        options = ["CLIP=NO"]
        if tms.mercator:
            options += [f"X={col}", f"Y={row}", f"Z={z}"]
        ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=["MVT"], open_options=options)
        out: dict[str, list[GdalFeature]] = {}
        minx, miny, maxx, maxy = tms.bounds(z, row, col)
        sx, sy = (maxx - minx) / EXTENT, (maxy - miny) / EXTENT
        for li in range(ds.GetLayerCount()):
            lyr = ds.GetLayer(li)
            if tms.mercator:
                srs = lyr.GetSpatialRef()
                assert srs is not None and srs.GetAuthorityCode(None) == "3857", "GDAL did not georeference the tile"
            d = lyr.GetLayerDefn()
            names = [d.GetFieldDefn(i).GetName() for i in range(d.GetFieldCount())]
            features = []
            for f in lyr:
                props = {}
                fid = None
                for i, n in enumerate(names):
                    if not f.IsFieldSetAndNotNull(i):
                        continue
                    kind = d.GetFieldDefn(i).GetType()
                    if kind in (ogr.OFTInteger, ogr.OFTInteger64):
                        v = f.GetFieldAsInteger64(i)
                    elif kind == ogr.OFTReal:
                        v = f.GetFieldAsDouble(i)
                    else:
                        v = f.GetFieldAsString(i)
                    if n == "mvt_id":
                        fid = v
                    else:
                        props[n] = v
                g = f.GetGeometryRef().Clone()
                if not tms.mercator:
                    _affine(g, lambda x, y: (minx + x * sx, miny + y * sy))
                features.append(GdalFeature(fid, props, g))
            out[lyr.GetName()] = features
        ds = None
        return out
    finally:
        gdal.Unlink(path)


# --------------------------------------------------------------------------- the expected side


class SourceIndex:
    """The source features of the collections by served id (store fid, paired with the
    source rows by wfs_support.expected_collection), with their geometries in each TMS CRS."""

    def __init__(self, store_path: Path, observations_gpkg: Path | None = None):
        self.store_path = store_path
        self.observations_gpkg = observations_gpkg
        self._expected: dict[str, Any] = {}
        self._projected: dict[tuple[str, str], dict[int, ogr.Geometry]] = {}

    def expected(self, collection: str):
        import wfs_support

        if collection not in self._expected:
            if collection == "observations":
                self._expected[collection] = wfs_support.expected_collection(
                    collection, self.store_path, self.observations_gpkg)
            else:
                self._expected[collection] = wfs_support.expected_collection(collection, self.store_path)
        return self._expected[collection]

    def geometries(self, collection: str, tms: Tms) -> dict[int, ogr.Geometry]:
        key = (collection, tms.id)
        if key not in self._projected:
            out = {}
            for fid, sf in self.expected(collection).by_id.items():
                if sf.geometry is None or sf.geometry.IsEmpty():
                    continue
                g = tms.to_crs(sf.geometry)
                if g.GetDimension() == 2 and not g.IsValid():
                    g = g.MakeValid()
                out[fid] = g
            self._projected[key] = out
        return self._projected[key]

    def intersecting(self, collection: str, tms: Tms, box: tuple[float, float, float, float]) -> dict[int, ogr.Geometry]:
        """id -> the part of the feature inside the closed box (GEOS), for every feature that
        intersects it."""
        poly = box_geometry(box)
        out = {}
        for fid, g in self.geometries(collection, tms).items():
            e = g.GetEnvelope()
            if e[1] < box[0] or e[0] > box[2] or e[3] < box[1] or e[2] > box[3]:
                continue
            if g.Intersects(poly):
                out[fid] = g.Intersection(poly)
        return out


def near_box_edge(g: ogr.Geometry, box: tuple[float, float, float, float], tolerance: float) -> bool:
    """Whether a point geometry lies within `tolerance` of the box outline (where rounding
    on either side may decide whether it is in the tile)."""
    minx, miny, maxx, maxy = box
    for i in range(max(g.GetGeometryCount(), 1)):
        p = g.GetGeometryRef(i) if g.GetGeometryCount() else g
        x, y = p.GetX(), p.GetY()
        if min(abs(x - minx), abs(x - maxx), abs(y - miny), abs(y - maxy)) <= tolerance:
            return True
    return False


def points_of(g: ogr.Geometry) -> list[tuple[float, float]]:
    if g.GetGeometryCount() > 0:
        return [p for i in range(g.GetGeometryCount()) for p in points_of(g.GetGeometryRef(i))]
    return [(g.GetX(i), g.GetY(i)) for i in range(g.GetPointCount())]


def perimeter(g: ogr.Geometry) -> float:
    if g is None or g.IsEmpty():
        return 0.0
    b = g.GetBoundary()
    return b.Length() if b is not None else 0.0


def same_value(served: Any, source: Any) -> bool:
    """A tile attribute equals the source attribute: strings exactly, integers exactly,
    reals to the last bit (MVT has doubles) or float precision if sent as a float."""
    if isinstance(source, bool) or isinstance(served, bool):
        return bool(served) == bool(source)
    if isinstance(source, int) and not isinstance(source, bool):
        return isinstance(served, int) and served == source
    if isinstance(source, float):
        return isinstance(served, (int, float)) and (served == source or math.isclose(served, source, rel_tol=1e-7))
    return served == source
