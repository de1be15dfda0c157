"""Helpers shared by the AMIS integration tests.

Everything here that computes an *expected* value reads the source files directly
(osgeo.ogr, sqlite3, plain Python); nothing is derived from AMIS's own output.
"""
from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import requests
from osgeo import gdal, ogr

gdal.UseExceptions()
ogr.UseExceptions()

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_DIR = REPO_ROOT / "data" / "demo"
SCHEMA_DIR = REPO_ROOT / "tests" / "schemas" / "ogcapi-features-1.0"
AMIS_BIN = Path(os.environ.get("AMIS_BIN", REPO_ROOT / "build" / "release" / "bin" / "amis"))

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GEOJSON = "application/geo+json"


@dataclass(frozen=True)
class Source:
    """A demo file and the collection the fixture imports it as."""

    collection: str
    path: Path
    layer: str | None = None  # passed as --layer when set

    def open_layer(self) -> tuple[gdal.Dataset, ogr.Layer]:
        ds = gdal.OpenEx(str(self.path), gdal.OF_VECTOR | gdal.OF_READONLY)
        layer = ds.GetLayerByName(self.layer) if self.layer else ds.GetLayer(0)
        return ds, layer


DEMO_SOURCES = {
    s.collection: s
    for s in (
        Source("countries", DEMO_DIR / "asean3_countries.geojson"),
        Source("coal_mines", DEMO_DIR / "asean3_coal_mines_gem_gcmt.gpkg"),
        Source("coal_mine_boundaries", DEMO_DIR / "asean3_coal_mine_boundaries_gem.gpkg",
               "coal_mine_boundaries"),
        Source("mine_facilities", DEMO_DIR / "asean3_mine_facilities_jasansky.geojson"),
    )
}
COAL_MINES_GPKG = DEMO_SOURCES["coal_mines"].path


# --------------------------------------------------------------------------- the store backend

# AMIS_STORE_BACKEND=postgis runs the suite on PostGIS: every store path a test creates maps
# to a database of its own in the session's PostgreSQL cluster (pg_support), given to amis as
# a postgresql:// URL. The tests keep naming stores by path; only the places below translate.
STORE_BACKENDS = ("gpkg", "postgis")


def store_backend() -> str:
    """gpkg (default) or postgis, from AMIS_STORE_BACKEND (or pytest's --store-backend)."""
    backend = os.environ.get("AMIS_STORE_BACKEND", "gpkg")
    if backend not in STORE_BACKENDS:
        raise RuntimeError(f"AMIS_STORE_BACKEND={backend!r}: expected one of {STORE_BACKENDS}")
    return backend


def on_postgis() -> bool:
    return store_backend() == "postgis"


class GeoPackageFile(type(Path())):
    """A store path that stays a GeoPackage file whatever the backend (the backend comparison
    serves one GeoPackage and one PostGIS store side by side)."""


class PostgisDatabase(type(Path())):
    """A store path that maps to a PostGIS database whatever the backend (the comparison)."""


def maps_to_postgis(store: Path | str) -> bool:
    if isinstance(store, GeoPackageFile) or str(store).startswith("postgresql://"):
        return False
    return isinstance(store, PostgisDatabase) or on_postgis()


def store_arg(store: Path | str, create: bool = True) -> str:
    """What `--store` gets for a store path: the path itself on GeoPackage; on PostGIS the URL
    of the path's database, created (with PostGIS) unless the path's folder does not exist,
    as a GeoPackage could not be created there either."""
    if not maps_to_postgis(store):
        return str(store)
    import pg_support
    return pg_support.store_url(store, create)


def store_files(store: Path | str) -> Path:
    """The folder of a store's files (rasters/, tile-cache/): next to a GeoPackage; for a
    PostGIS store its [store] data_dir, "data" in the folder amis runs in (amis_cwd)."""
    folder = Path(store).absolute().parent
    return folder / "data" if maps_to_postgis(store) else folder


def amis_cwd(*args: str | Path) -> str | None:
    """The folder to run amis in: for a PostGIS store, the folder of its path, so that the
    store's files ([store] data_dir, default "data" in the working folder) are the test's
    own as a GeoPackage's are; None (this process's) otherwise."""
    for i, arg in enumerate(args[:-1]):
        if str(arg) == "--store" and maps_to_postgis(args[i + 1]):
            folder = Path(args[i + 1]).absolute().parent
            return str(folder) if folder.is_dir() else None
    return None


def store_datasource(store: Path | str) -> str:
    """What osgeo.ogr/gdal open to read a store independently of AMIS: the GeoPackage file, or
    a `PG:` connection string for the store's database (any path that is not a store, such as
    a source file, unchanged)."""
    if not on_postgis():
        return str(store)
    import pg_support
    return pg_support.store_datasource(store)


def copy_store(source: Path | str, target: Path | str) -> None:
    """target := a copy of the store at source (a file copy, or a database copy on PostGIS)."""
    if not on_postgis():
        import sqlite3  # the backup API: a consistent copy even while a server writes
        with contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src, \
                contextlib.closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
        return
    import pg_support
    pg_support.copy_store(source, target)


def connect_store(store: Path | str, write: bool = False):
    """A connection to a store for checking what it holds, independently of AMIS: sqlite3 on
    the GeoPackage, psycopg2 on the store's database (same execute(sql, args) with `?`
    parameters, commit, rollback). Read-only unless `write` (tests that age a session or
    break a row on purpose). Close it (contextlib.closing)."""
    if not on_postgis():
        import sqlite3
        if write:
            return sqlite3.connect(store, timeout=30)
        return sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=30)
    import pg_support
    return pg_support.connect_store(store, write)


def store_columns(store: Path | str, table: str) -> list[str]:
    """The columns of a store's table in their order (PRAGMA table_info, or PostgreSQL's
    information_schema for the table the readers' search path finds)."""
    with contextlib.closing(connect_store(store)) as db:
        if not on_postgis():
            return [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
        return [r[0] for r in db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = "
            "(SELECT nspname FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid "
            " WHERE c.oid = to_regclass(quote_ident(?))) ORDER BY ordinal_position", (table, table))]


def store_tables(store: Path | str) -> set[str]:
    """Every table of a store (sqlite_master, or the PostGIS store's two schemas)."""
    with contextlib.closing(connect_store(store)) as db:
        if not on_postgis():
            return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {r[0] for r in db.execute("SELECT table_name FROM information_schema.tables "
                                         "WHERE table_schema IN (?, 'public')", ("amis_data",))}


def store_feature_tables(store: Path | str) -> set[str]:
    """The feature tables a store holds, read from the store's own registry: the GeoPackage's
    gpkg_contents (data_type 'features'), or the PostGIS store's feature schema."""
    with contextlib.closing(connect_store(store)) as db:
        if not on_postgis():
            return {r[0] for r in db.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")}
        return {r[0] for r in db.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
                                         ("amis_data",))}


READING_COMMANDS = ("collections", "export", "routes")  # a GeoPackage they name must exist already


def amis_argv(*args: str | Path) -> list[str]:
    """The amis command line, with the value after every `--store` given by store_arg; the
    commands that only read a store do not create its database (amis refuses a missing
    GeoPackage file there, and a missing database alike)."""
    argv = [str(AMIS_BIN)]
    reading = bool(args) and str(args[0]) in READING_COMMANDS
    for i, arg in enumerate(args):
        after_store = i > 0 and str(args[i - 1]) == "--store"
        argv.append(store_arg(arg, create=not reading) if after_store else str(arg))
    return argv


# --------------------------------------------------------------------------- the CLI


def run_amis(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Runs the amis binary; never raises on a non-zero exit status."""
    return subprocess.run(amis_argv(*args), capture_output=True, text=True, timeout=timeout, cwd=amis_cwd(*args))


def amis_import(store: Path, source: Path | str, collection: str, *extra: str) -> subprocess.CompletedProcess:
    result = run_amis("import", source, "--collection", collection, *extra, "--store", store)
    assert result.returncode == 0, (
        f"amis import {source} --collection {collection} failed ({result.returncode}): "
        f"{result.stderr.strip()}")
    return result


# --------------------------------------------------------------------------- the server


def cpu_seconds(pid: int) -> float:
    """The CPU time (user + system, all threads) a process has used so far, from /proc: what a
    test compares when wall time would depend on the machine's other load."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def free_loopback_port() -> int:
    return free_loopback_ports(1)[0]


def free_loopback_ports(n: int) -> list[int]:
    """n distinct free loopback ports. The sockets are held until all n are bound: a port the
    kernel handed out and that was closed again may be handed out again at once, and two
    servers (or two nginx listeners) given the same port lose one of them."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


@dataclass
class AmisServer:
    """`amis serve` in a child process, with its stdout (access log) and stderr in files."""

    store: Path
    log_dir: Path
    name: str = "amis"
    config: Path | None = None  # an amis.toml to serve with
    process: subprocess.Popen | None = None
    port: int = 0
    _files: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def stdout_path(self) -> Path:
        return self.log_dir / f"{self.name}.stdout.log"

    @property
    def stderr_path(self) -> Path:
        return self.log_dir / f"{self.name}.stderr.log"

    def access_log(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def start(self, attempts: int = 3, wait_seconds: float = 20) -> None:
        last_error = ""
        for _ in range(attempts):
            self.port = free_loopback_port()
            out = open(self.stdout_path, "wb")
            err = open(self.stderr_path, "wb")
            self._files = [out, err]
            self.process = subprocess.Popen(
                amis_argv("serve", "--store", self.store, "--port", self.port,
                          *(["--config", self.config] if self.config else [])),
                cwd=amis_cwd("--store", self.store),
                stdout=out, stderr=err, stdin=subprocess.DEVNULL)
            deadline = time.monotonic() + wait_seconds
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    break
                with contextlib.suppress(requests.RequestException):
                    if requests.get(self.url + "/", timeout=2).status_code == 200:
                        return
                time.sleep(0.05)
            last_error = self.stderr()
            self._terminate()
        raise RuntimeError(f"amis serve did not come up on a free port: {last_error}")

    def _terminate(self) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
                raise
        for f in self._files:
            f.close()
        return self.process.returncode

    def stop(self) -> int | None:
        """SIGTERM, then the exit status (None if it never started)."""
        return self._terminate()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


def http_session() -> requests.Session:
    s = requests.Session()
    s.trust_env = False  # never send loopback requests through a proxy
    return s


# --------------------------------------------------------------------------- reading sources


@dataclass
class SourceFeature:
    fid: int
    properties: dict[str, Any]
    geometry: ogr.Geometry | None


def read_features(path: Path | str, layer: str | None = None,
                  bbox: tuple[float, float, float, float] | None = None) -> list[SourceFeature]:
    """Every feature of a vector file, in the file's order, read with osgeo.ogr.
    Integers come back as int, reals as float, everything else as OGR's string."""
    ds = gdal.OpenEx(store_datasource(path), gdal.OF_VECTOR | gdal.OF_READONLY)
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    if bbox:
        lyr.SetSpatialFilterRect(*bbox)
    d = lyr.GetLayerDefn()
    fields = [(i, d.GetFieldDefn(i).GetName(), d.GetFieldDefn(i).GetType())
              for i in range(d.GetFieldCount())]
    out = []
    for f in lyr:  # Feature.items() is ten times slower than this
        props: dict[str, Any] = {}
        for i, name, kind in fields:
            if not f.IsFieldSetAndNotNull(i):
                props[name] = None
            elif kind in (ogr.OFTInteger, ogr.OFTInteger64):
                props[name] = f.GetFieldAsInteger64(i)
            elif kind == ogr.OFTReal:
                props[name] = f.GetFieldAsDouble(i)
            else:
                props[name] = f.GetFieldAsString(i)
        g = f.GetGeometryRef()
        out.append(SourceFeature(f.GetFID(), props, g.Clone() if g else None))
    return out


def field_types(path: Path | str, layer: str | None = None) -> dict[str, str]:
    """Field name -> OGR type name (Integer, Integer64, Real, String, DateTime, Date)."""
    ds = gdal.OpenEx(store_datasource(path), gdal.OF_VECTOR | gdal.OF_READONLY)
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    d = lyr.GetLayerDefn()
    return {d.GetFieldDefn(i).GetName(): d.GetFieldDefn(i).GetTypeName()
            for i in range(d.GetFieldCount())}


def source_count(source: Source) -> int:
    ds, lyr = source.open_layer()
    return sum(1 for _ in lyr)


# --------------------------------------------------------------------------- comparing


def norm_value(v: Any) -> Any:
    """A comparable form of an attribute value: numbers as floats to 12 significant digits,
    empty strings as None (GDAL writers differ on that)."""
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)):
        return float(f"{float(v):.12g}")
    return v


def norm_props(props: dict[str, Any], names: list[str] | None = None) -> tuple:
    names = names if names is not None else sorted(props)
    return tuple((n, norm_value(props.get(n))) for n in names)


def geometry_coordinates(g: ogr.Geometry) -> Any:
    """Nested coordinate lists of an OGR geometry, read point by point (no text round trip)."""
    if g.GetGeometryCount() > 0:
        return [geometry_coordinates(g.GetGeometryRef(i)) for i in range(g.GetGeometryCount())]
    return [(g.GetX(i), g.GetY(i)) for i in range(g.GetPointCount())]


def max_coordinate_difference(a: Any, b: Any) -> float:
    """Largest absolute difference between two nested coordinate structures of equal shape;
    inf when the shapes differ."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return max(abs(a[0] - b[0]), abs(a[1] - b[1]))
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return max((max_coordinate_difference(x, y) for x, y in zip(a, b)), default=0.0)
    return math.inf


def geojson_to_ogr(geometry: dict | None) -> ogr.Geometry | None:
    return None if geometry is None else ogr.CreateGeometryFromJson(json.dumps(geometry))


def assert_same_geometry(actual: ogr.Geometry | None, expected: ogr.Geometry | None,
                         tolerance: float = 1e-9, what: str = "") -> None:
    if expected is None or expected.IsEmpty():
        assert actual is None or actual.IsEmpty(), f"{what}: expected no geometry, got {actual}"
        return
    assert actual is not None, f"{what}: geometry missing"
    assert ogr.GT_Flatten(actual.GetGeometryType()) == ogr.GT_Flatten(expected.GetGeometryType()), (
        f"{what}: geometry type {actual.GetGeometryName()} != {expected.GetGeometryName()}")
    diff = max_coordinate_difference(geometry_coordinates(actual), geometry_coordinates(expected))
    if diff <= tolerance:
        return
    # Not vertex for vertex (e.g. rings re-oriented): the same point set is also acceptable.
    dim = actual.GetDimension()
    if dim == 2:
        sym = actual.SymDifference(expected)
        assert sym is None or sym.GetArea() <= 1e-12, (
            f"{what}: polygons differ, symmetric difference area {sym.GetArea()}")
    else:
        assert actual.Equals(expected), f"{what}: geometries differ by up to {diff}"


def match_features(actual: list, expected: list, names: list[str]) -> list[tuple]:
    """Pairs served and source features (objects with .properties and .geometry) by their
    normalised attribute values, as multisets; features with equal attributes are paired
    by the position of their envelopes. Fails naming a few unmatched features."""
    def groups(features: list) -> dict[tuple, list]:
        out: dict[tuple, list] = {}
        for f in features:
            out.setdefault(norm_props(f.properties, names), []).append(f)
        return out

    got, want = groups(actual), groups(expected)
    unmatched = [k for k in got if len(got[k]) != len(want.get(k, []))]
    missing = [k for k in want if k not in got]
    assert not unmatched and not missing, (
        f"{len(unmatched)} served attribute combinations have no (or another number of) source "
        f"twins, {len(missing)} source ones were never served; "
        f"fields that differ, as (served, source): {differing_fields(unmatched, missing)}")
    pairs = []
    for key, served in got.items():
        served = sorted(served, key=lambda f: centroid_key(f.geometry))
        source = sorted(want[key], key=lambda f: centroid_key(f.geometry))
        pairs.extend(zip(served, source))
    return pairs


def differing_fields(served: list[tuple], source: list[tuple], examples: int = 2) -> dict[str, list]:
    """For served keys without a twin, the fields in which they differ from the most
    similar unmatched source key: field -> a few (served, source) value pairs."""
    out: dict[str, list] = {}
    for key in served[:200]:
        if not source:
            break
        best = max(source, key=lambda s: sum(a == b for a, b in zip(key, s)))
        for (name, a), (_, b) in zip(key, best):
            if a != b and len(out.setdefault(name, [])) < examples:
                out[name].append((a, b))
    return dict(sorted(out.items(), key=lambda kv: -len(kv[1])))


def centroid_key(g: ogr.Geometry | None) -> tuple:
    if g is None:
        return (math.inf, math.inf)
    e = g.GetEnvelope()
    return (round(e[0], 7), round(e[2], 7), round(e[1], 7), round(e[3], 7))


# --------------------------------------------------------------------------- the API


def get_json(session: requests.Session, url: str, expect: int = 200, **params: Any) -> dict:
    r = session.get(url, params=params or None, timeout=60)
    assert r.status_code == expect, f"GET {r.url}: {r.status_code} {r.text[:300]}"
    return r.json()


def link(doc: dict, rel: str, type_: str | None = None) -> dict | None:
    for lk in doc.get("links", []):
        if lk.get("rel") == rel and (type_ is None or lk.get("type") == type_):
            return lk
    return None


def fetch_all_items(session: requests.Session, base: str, collection: str, limit: int = 10000,
                    **params: Any) -> tuple[list[dict], list[dict]]:
    """All features of a query, by following `next` links; returns (features, pages)."""
    url = f"{base}/collections/{collection}/items"
    page = get_json(session, url, limit=limit, **params)
    pages = [page]
    while (nxt := link(page, "next")) is not None:
        assert len(pages) < 1000, "more than 1000 pages: a `next` loop?"
        page = get_json(session, nxt["href"])
        pages.append(page)
    return [f for p in pages for f in p["features"]], pages


def box_polygon(minx: float, miny: float, maxx: float, maxy: float) -> ogr.Geometry:
    """The box as a geometry; a zero-width or zero-height box as the point or line it is
    (GEOS gives no reliable answers for collapsed polygons)."""
    if minx == maxx and miny == maxy:
        return ogr.CreateGeometryFromWkt(f"POINT ({minx!r} {miny!r})")
    if minx == maxx or miny == maxy:
        return ogr.CreateGeometryFromWkt(f"LINESTRING ({minx!r} {miny!r},{maxx!r} {maxy!r})")
    return ogr.CreateGeometryFromWkt(
        f"POLYGON(({minx!r} {miny!r},{maxx!r} {miny!r},{maxx!r} {maxy!r},{minx!r} {maxy!r},{minx!r} {miny!r}))")


def intersects_bbox(g: ogr.Geometry | None, box: tuple[float, float, float, float]) -> bool:
    """Independent bbox test: exact for any geometry, closed box (touching counts)."""
    if g is None or g.IsEmpty():
        return False
    return g.Intersects(box_polygon(*box))


@contextlib.contextmanager
def raw_chunks(response: requests.Response) -> Iterator[Iterator[bytes]]:
    """The HTTP/1.1 chunks of a streamed response, as the server framed them."""
    try:
        yield response.raw.read_chunked(decode_content=False)
    finally:
        response.close()
