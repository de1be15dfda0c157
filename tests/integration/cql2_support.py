"""Helpers for the CQL2 filter tests (OGC API - Features Part 3).

The server under test runs over the CQL2 standard's own test data (Natural Earth 1:110m,
tests/data/cql2/data/ne110m4cql2.gpkg, three layers) plus a synthetic 'events' collection
whose start/end timestamps hit every Allen relation against a fixed interval.

Every expected result here is computed without AMIS: with sqlite3 on the source
GeoPackage (SQL three-valued logic, case-sensitive LIKE), with osgeo.ogr geometry
predicates (GEOS), or in plain Python (datetime, casefold, unicodedata).
"""
from __future__ import annotations

import json
import sqlite3
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

import requests
from osgeo import ogr, osr

from support import REPO_ROOT, box_polygon

UTC = timezone.utc
NE_GPKG = REPO_ROOT / "tests" / "data" / "cql2" / "data" / "ne110m4cql2.gpkg"
COUNTRIES = "ne_110m_admin_0_countries"
PLACES = "ne_110m_populated_places_simple"
RIVERS = "ne_110m_rivers_lake_centerlines"
NE_LAYERS = (COUNTRIES, PLACES, RIVERS)
EVENTS = "events"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


# --------------------------------------------------------------------------- synthetic events

@dataclass(frozen=True)
class Event:
    seq: int
    start: datetime | None  # timezone-aware UTC
    end: datetime | None
    label: str

    @property
    def start_date(self) -> date | None:
        return self.start.date() if self.start else None

    @property
    def end_date(self) -> date | None:
        return self.end.date() if self.end else None


# The reference interval the temporal tests compare with, and instants around its ends.
REF_START = datetime(2024, 3, 10, tzinfo=UTC)
REF_END = datetime(2024, 3, 20, tzinfo=UTC)
EVENT_POINTS = [
    datetime(2024, 3, 1, tzinfo=UTC),
    REF_START - timedelta(seconds=1),
    REF_START,
    datetime(2024, 3, 15, 12, tzinfo=UTC),
    REF_END,
    REF_END + timedelta(seconds=1),
    datetime(2024, 3, 25, tzinfo=UTC),
]


def make_events() -> list[Event]:
    """Every [s, e] with s <= e over EVENT_POINTS (instants included), one interval with
    milliseconds, and three with a missing start and/or end: 32 events, seq 0..31."""
    spans: list[tuple[datetime | None, datetime | None]] = [
        (s, e) for i, s in enumerate(EVENT_POINTS) for e in EVENT_POINTS[i:]]
    spans.append((REF_START + timedelta(milliseconds=250), REF_END - timedelta(milliseconds=250)))
    spans += [(None, datetime(2024, 3, 15, 12, tzinfo=UTC)), (datetime(2024, 3, 15, 12, tzinfo=UTC), None),
              (None, None)]
    return [Event(i, s, e, f"event {i}") for i, (s, e) in enumerate(spans)]


def write_events_gpkg(path: Path, events: list[Event]) -> None:
    """Fields: seq, label, t0/t1 (DateTime: start/end), ts (DateTime = start), d/d_end
    (Date: start/end day)."""
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    layer = ds.CreateLayer("events", srs, ogr.wkbPoint)
    for name, kind in (("seq", ogr.OFTInteger), ("label", ogr.OFTString), ("t0", ogr.OFTDateTime),
                       ("t1", ogr.OFTDateTime), ("ts", ogr.OFTDateTime), ("d", ogr.OFTDate),
                       ("d_end", ogr.OFTDate)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    layer.StartTransaction()
    for e in events:
        f = ogr.Feature(layer.GetLayerDefn())
        f["seq"] = e.seq
        f["label"] = e.label
        for name, t in (("t0", e.start), ("t1", e.end), ("ts", e.start)):
            if t is not None:
                f.SetField(name, t.year, t.month, t.day, t.hour, t.minute,
                           t.second + t.microsecond / 1e6, 100)  # 100 = UTC
        for name, d in (("d", e.start_date), ("d_end", e.end_date)):
            if d is not None:
                f.SetField(name, d.year, d.month, d.day, 0, 0, 0, 0)
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({e.seq} {e.seq % 5})"))
        layer.CreateFeature(f)
    layer.CommitTransaction()
    ds = None


# --------------------------------------------------------------------------- the source, read independently

@dataclass
class NeFeature:
    fid: int
    props: dict[str, Any]
    geometry: ogr.Geometry | None


def read_ne_layer(layer: str) -> list[NeFeature]:
    """All features of one layer of the source GeoPackage, by fid, with raw SQLite values
    for attributes (TEXT dates, 0/1 booleans) and the OGR geometry."""
    with sqlite3.connect(f"file:{NE_GPKG}?mode=ro", uri=True) as db:
        db.row_factory = sqlite3.Row
        rows = {r["fid"]: dict(r) for r in db.execute(f'SELECT * FROM "{layer}" ORDER BY fid')}
    ds = ogr.Open(str(NE_GPKG))
    lyr = ds.GetLayerByName(layer)
    out = []
    for f in lyr:
        props = rows[f.GetFID()]
        props.pop("geom", None)
        props.pop("fid", None)
        g = f.GetGeometryRef()
        out.append(NeFeature(f.GetFID(), props, g.Clone() if g else None))
    return out


def sql_fids(layer: str, where: str, *args: Any) -> set[int]:
    """fids of the source features for which the SQL WHERE clause is TRUE (SQLite:
    three-valued logic like CQL2; LIKE made case-sensitive like CQL2's)."""
    with sqlite3.connect(f"file:{NE_GPKG}?mode=ro", uri=True) as db:
        db.execute("PRAGMA case_sensitive_like = ON")
        return {r[0] for r in db.execute(f'SELECT fid FROM "{layer}" WHERE {where}', args)}


def casei(s: str | None) -> str | None:
    """Unicode full case folding (the CQL2 CASEI requirement)."""
    return None if s is None else s.casefold()


def accenti(s: str | None) -> str | None:
    """Accent-insensitive form: NFD without combining marks, and the Latin letters whose
    diacritic is part of the letter (đ ø ł ħ ı ŧ) taken to their base letter, as the
    standard's own test table expects (ACCENTI(name)=accenti('Kobenhavn') finds København)."""
    if s is None:
        return None
    stripped = unicodedata.normalize("NFC", "".join(
        c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)))
    return stripped.translate(BASE_LETTERS)


BASE_LETTERS = str.maketrans("đĐøØłŁħĦıŧŦ", "dDoOlLhHitT")


# --------------------------------------------------------------------------- spatial literals

def bbox_geometry(minx: float, miny: float, maxx: float, maxy: float) -> ogr.Geometry:
    """A BBOX literal as a geometry; west > east crosses the antimeridian (two boxes)."""
    if minx <= maxx:
        return box_polygon(minx, miny, maxx, maxy)
    multi = ogr.Geometry(ogr.wkbMultiPolygon)
    multi.AddGeometry(box_polygon(minx, miny, 180.0, maxy))
    multi.AddGeometry(box_polygon(-180.0, miny, maxx, maxy))
    return multi


OGR_PREDICATES: dict[str, Callable[[ogr.Geometry, ogr.Geometry], bool]] = {
    "S_INTERSECTS": lambda a, b: a.Intersects(b),
    "S_DISJOINT": lambda a, b: a.Disjoint(b),
    # OGR's Equals() is structural (ST_OrderingEquals); CQL2's S_EQUALS is topological:
    # a within b and b within a, i.e. DE-9IM T*F**FFF*.
    "S_EQUALS": lambda a, b: a.Within(b) and b.Within(a),
    "S_TOUCHES": lambda a, b: a.Touches(b),
    "S_WITHIN": lambda a, b: a.Within(b),
    "S_CONTAINS": lambda a, b: a.Contains(b),
    "S_OVERLAPS": lambda a, b: a.Overlaps(b),
    "S_CROSSES": lambda a, b: a.Crosses(b),
}


def geojson_of(g: ogr.Geometry) -> dict:
    return json.loads(g.ExportToJson())


# --------------------------------------------------------------------------- temporal semantics

NEG_INF = datetime.min.replace(tzinfo=UTC)
POS_INF = datetime.max.replace(tzinfo=UTC)


def allen(op: str, a: tuple, b: tuple) -> bool:
    """The CQL2 temporal functions (OWL-Time relations on closed intervals; an instant
    is [t, t]). a and b are (start, end); an open end is NEG_INF / POS_INF."""
    a0, a1 = a
    b0, b1 = b
    return {
        "T_AFTER": lambda: a0 > b1,
        "T_BEFORE": lambda: a1 < b0,
        "T_DISJOINT": lambda: a0 > b1 or a1 < b0,
        "T_EQUALS": lambda: a0 == b0 and a1 == b1,
        "T_INTERSECTS": lambda: not (a0 > b1 or a1 < b0),
        "T_CONTAINS": lambda: a0 < b0 and a1 > b1,
        "T_DURING": lambda: a0 > b0 and a1 < b1,
        "T_FINISHEDBY": lambda: a0 < b0 and a1 == b1,
        "T_FINISHES": lambda: a0 > b0 and a1 == b1,
        "T_MEETS": lambda: a1 == b0,
        "T_METBY": lambda: a0 == b1,
        "T_OVERLAPPEDBY": lambda: b0 < a0 < b1 < a1,
        "T_OVERLAPS": lambda: a0 < b0 < a1 < b1,
        "T_STARTEDBY": lambda: a0 == b0 and a1 > b1,
        "T_STARTS": lambda: a0 == b0 and a1 < b1,
    }[op]()


INSTANT_OPS = ["T_AFTER", "T_BEFORE", "T_DISJOINT", "T_EQUALS", "T_INTERSECTS"]
INTERVAL_OPS = ["T_CONTAINS", "T_DURING", "T_FINISHEDBY", "T_FINISHES", "T_MEETS", "T_METBY",
                "T_OVERLAPPEDBY", "T_OVERLAPS", "T_STARTEDBY", "T_STARTS"]
ALL_TEMPORAL_OPS = INSTANT_OPS + INTERVAL_OPS


def parse_instant(text: str) -> datetime | date:
    """'..' is not accepted here; a full-date gives a date, anything else a UTC datetime
    (a timestamp without an offset is read as UTC)."""
    if len(text) == 10:
        return date.fromisoformat(text)
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def interval_bounds(start: str, end: str) -> tuple:
    """An INTERVAL literal's (start, end) with '..' as an open end."""
    s = NEG_INF if start == ".." else parse_instant(start)
    e = POS_INF if end == ".." else parse_instant(end)
    if isinstance(s, date) and not isinstance(s, datetime):
        s = datetime(s.year, s.month, s.day, tzinfo=UTC)
    if isinstance(e, date) and not isinstance(e, datetime):
        e = datetime(e.year, e.month, e.day, tzinfo=UTC)
    return s, e


def date_as_datetime(d: date | None) -> datetime | None:
    return None if d is None else datetime(d.year, d.month, d.day, tzinfo=UTC)


# --------------------------------------------------------------------------- the API

class Cql2Client:
    """Runs filters against one AMIS server."""

    def __init__(self, session: requests.Session, base_url: str):
        self.s = session
        self.base = base_url

    def get(self, collection: str, **params: Any) -> requests.Response:
        return self.s.get(f"{self.base}/collections/{collection}/items", params=params, timeout=60)

    def items(self, collection: str, filter: str | dict | None = None, lang: str | None = None,
              limit: int = 10000, **params: Any) -> list[dict]:
        """Every feature the query selects, following `next` links; asserts 200 on each
        page and that numberMatched agrees with what was served."""
        if isinstance(filter, dict):
            filter = json.dumps(filter)
            lang = lang or "cql2-json"
        if filter is not None:
            params["filter"] = filter
        if lang is not None:
            params["filter-lang"] = lang
        r = self.get(collection, limit=limit, **params)
        assert r.status_code == 200, f"GET {r.url}: {r.status_code} {r.text[:400]}"
        page = r.json()
        matched = page.get("numberMatched")
        features = list(page["features"])
        pages = 1
        while (nxt := next((lk["href"] for lk in page["links"] if lk["rel"] == "next"), None)):
            pages += 1
            assert pages < 500, "a `next` loop?"
            r = self.s.get(nxt, timeout=60)
            assert r.status_code == 200, f"GET {nxt}: {r.status_code} {r.text[:300]}"
            page = r.json()
            features += page["features"]
        if matched is not None:
            assert matched == len(features), f"numberMatched {matched}, served {len(features)}"
        return features

    def ids(self, collection: str, filter: str | dict | None = None, lang: str | None = None,
            **params: Any) -> set[int]:
        features = self.items(collection, filter, lang, **params)
        ids = [f["id"] for f in features]
        assert len(ids) == len(set(ids)), "a feature was served twice"
        return set(ids)

    def error(self, collection: str, filter: str | dict, lang: str | None = None,
              status: int = 400, **params: Any) -> dict:
        """Asserts the request fails with `status` and an OGC exception body; returns it."""
        if isinstance(filter, dict):
            filter = json.dumps(filter)
            lang = lang or "cql2-json"
        if lang is not None:
            params["filter-lang"] = lang
        r = self.get(collection, filter=filter, **params)
        assert r.status_code == status, f"GET {r.url[:300]}: {r.status_code} {r.text[:300]}"
        assert r.headers["Content-Type"].startswith("application/json"), r.headers["Content-Type"]
        body = r.json()
        assert isinstance(body.get("code"), str) and body["code"]
        assert isinstance(body.get("description"), str) and body["description"]
        return body


def describe_difference(got: Iterable[int], expected: Iterable[int], names: dict[int, Any] | None = None) -> str:
    got, expected = set(got), set(expected)
    extra, missing = sorted(got - expected), sorted(expected - got)
    label = (lambda i: f"{i}:{names.get(i)}") if names else str
    return (f"served {len(got)}, expected {len(expected)}; "
            f"unexpected {[label(i) for i in extra[:10]]}, missing {[label(i) for i in missing[:10]]}")


# --------------------------------------------------------------------------- CQL2-JSON builders

def P(name: str) -> dict:
    return {"property": name}


def op(name: str, *args: Any) -> dict:
    return {"op": name, "args": list(args)}
