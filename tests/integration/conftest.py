"""Session fixtures: a store built with `amis import` from the demo data plus a synthetic
collection with timestamps, and `amis serve` on a free loopback port.

Binary: $AMIS_BIN, default build/release/bin/amis. Run with Debian's interpreter:
    /usr/bin/python3 -m pytest tests/integration
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from osgeo import ogr, osr

import support
from support import AMIS_BIN, DEMO_SOURCES, AmisServer, amis_import

os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ.setdefault("no_proxy", "127.0.0.1,localhost")

UTC = timezone.utc


# --------------------------------------------------------------------------- synthetic data


@dataclass(frozen=True)
class Observation:
    """One feature of the synthetic 'observations' collection, as written to its source."""

    seq: int
    observed: datetime | None  # timezone-aware; None = no timestamp
    written_offset: timedelta  # the UTC offset the timestamp was written with
    lon: float
    lat: float
    station: str
    note: str


XSS_NOTE = '<script>alert("amis")</script> & \'quoted\''


def make_observations() -> list[Observation]:
    """50 points, a timestamp every 5 h 17 min from 2024-01-01T00:00Z. Some are written
    in +07:00 or -03:30 rather than Z, some carry milliseconds, two have none."""
    base = datetime(2024, 1, 1, tzinfo=UTC)
    out = []
    for i in range(50):
        t: datetime | None = base + timedelta(hours=5 * i, minutes=17 * i)
        if i % 7 == 3:
            t += timedelta(milliseconds=250)
        if i in (10, 37):
            t = None
        offset = timedelta(hours=7) if i % 5 == 1 else timedelta(hours=-3, minutes=-30) if i % 9 == 4 else timedelta(0)
        out.append(Observation(
            seq=i, observed=t, written_offset=offset,
            lon=round(100 + i * 0.1, 6), lat=round(10 + (i % 10) * 0.1, 6),
            station=f"S{i % 4}",
            note=XSS_NOTE if i % 10 == 0 else f"station {i} \u2013 na\u00efve caf\u00e9"))
    return out


def write_observations_gpkg(path: Path, observations: list[Observation]) -> None:
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    layer = ds.CreateLayer("observations", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("seq", ogr.OFTInteger))
    layer.CreateField(ogr.FieldDefn("observed", ogr.OFTDateTime))
    layer.CreateField(ogr.FieldDefn("station", ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("note", ogr.OFTString))
    layer.StartTransaction()
    for o in observations:
        f = ogr.Feature(layer.GetLayerDefn())
        f["seq"] = o.seq
        f["station"] = o.station
        f["note"] = o.note
        if o.observed is not None:
            local = o.observed.astimezone(timezone(o.written_offset))
            seconds = local.second + local.microsecond / 1e6
            tz_flag = 100 + int(o.written_offset.total_seconds() // 900)  # OGR: quarter hours
            f.SetField("observed", local.year, local.month, local.day, local.hour, local.minute,
                       seconds, tz_flag)
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({o.lon} {o.lat})"))
        layer.CreateFeature(f)
    layer.CommitTransaction()
    ds = None


def write_grid_gpkg(path: Path, count: int) -> None:
    """`count` points on a 1000-column grid, with three attributes."""
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    layer = ds.CreateLayer("grid", srs, ogr.wkbPoint, options=["SPATIAL_INDEX=NO"])
    for name, kind in (("seq", ogr.OFTInteger), ("label", ogr.OFTString), ("value", ogr.OFTReal)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    defn = layer.GetLayerDefn()
    layer.StartTransaction()
    for i in range(count):
        f = ogr.Feature(defn)
        f.SetField(0, i)
        f.SetField(1, f"grid point {i:06d}")
        f.SetField(2, i * 0.5)
        g = ogr.Geometry(ogr.wkbPoint)
        g.AddPoint_2D(*grid_point(i))
        f.SetGeometryDirectly(g)
        layer.CreateFeature(f)
    layer.CommitTransaction()
    ds = None


def grid_point(i: int) -> tuple[float, float]:
    return (90 + (i % 1000) * 0.05, -10 + (i // 1000) * 0.25)


GRID_COUNT = 200_000


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def amis_bin() -> Path:
    if not AMIS_BIN.is_file() or not os.access(AMIS_BIN, os.X_OK):
        pytest.fail(f"no amis binary at {AMIS_BIN} (set AMIS_BIN)", pytrace=False)
    return AMIS_BIN


@pytest.fixture(scope="session")
def observations() -> list[Observation]:
    return make_observations()


@pytest.fixture(scope="session")
def observations_gpkg(tmp_path_factory, observations) -> Path:
    path = tmp_path_factory.mktemp("sources") / "observations.gpkg"
    write_observations_gpkg(path, observations)
    return path


@pytest.fixture(scope="session")
def store_path(tmp_path_factory, amis_bin, observations_gpkg) -> Path:
    store = tmp_path_factory.mktemp("store") / "amis.gpkg"
    for source in DEMO_SOURCES.values():
        extra = ["--layer", source.layer] if source.layer else []
        amis_import(store, source.path, source.collection, *extra)
    amis_import(store, observations_gpkg, "observations", "--datetime", "observed",
                "--title", "Synthetic observations", "--description", "50 timestamped points",
                "--keywords", "test,synthetic", "--licence", "CC0-1.0",
                "--attribution", "AMIS test suite")
    return store


@pytest.fixture(scope="session")
def server(tmp_path_factory, store_path) -> AmisServer:
    srv = AmisServer(store_path, tmp_path_factory.mktemp("logs"))
    srv.start()
    yield srv
    alive_at_end = srv.alive()
    status = srv.stop()
    assert alive_at_end, f"amis serve died during the tests:\n{srv.stderr()}"
    assert status == 0, f"amis serve exited with {status} on SIGTERM:\n{srv.stderr()}"
    assert "AMIS serving" in srv.stderr()


@pytest.fixture(scope="session")
def base_url(server) -> str:
    return server.url


@pytest.fixture(scope="session")
def http(server):
    # Depends on `server` so that its keep-alive connections close before the server stops
    # (the server waits up to 5 s for open connections when it shuts down).
    with support.http_session() as s:
        yield s


@pytest.fixture(scope="session")
def grid_server(tmp_path_factory, amis_bin) -> AmisServer:
    """A second server over a store holding only 'grid': 200,000 synthetic points."""
    work = tmp_path_factory.mktemp("grid")
    source = work / "grid_source.gpkg"
    write_grid_gpkg(source, GRID_COUNT)
    store = work / "grid_store.gpkg"
    amis_import(store, source, "grid")
    srv = AmisServer(store, work, name="grid")
    srv.start()
    yield srv
    alive_at_end = srv.alive()
    status = srv.stop()
    assert alive_at_end, f"amis serve (grid) died during the tests:\n{srv.stderr()}"
    assert status == 0, f"amis serve (grid) exited with {status}:\n{srv.stderr()}"


@pytest.fixture(scope="session")
def grid_http(grid_server):
    """A session for grid_server, closed before it stops (see `http`)."""
    with support.http_session() as s:
        yield s


# --------------------------------------------------------------------------- CQL2 (Part 3)


@pytest.fixture(scope="session")
def cql2_server(tmp_path_factory, amis_bin) -> AmisServer:
    """A third server, for the CQL2 filter tests: the standard's Natural Earth test data
    (three layers, each imported as a collection of the same name) and 'events', 32
    synthetic intervals around a reference interval (see cql2_support.make_events)."""
    import cql2_support

    work = tmp_path_factory.mktemp("cql2")
    store = work / "cql2_store.gpkg"
    for layer in cql2_support.NE_LAYERS:
        amis_import(store, cql2_support.NE_GPKG, layer, "--layer", layer)
    events = work / "events.gpkg"
    cql2_support.write_events_gpkg(events, cql2_support.make_events())
    amis_import(store, events, cql2_support.EVENTS, "--datetime", "ts")
    srv = AmisServer(store, work, name="cql2")
    srv.start()
    yield srv
    alive_at_end = srv.alive()
    status = srv.stop()
    assert alive_at_end, f"amis serve (cql2) died during the tests:\n{srv.stderr()}"
    assert status == 0, f"amis serve (cql2) exited with {status}:\n{srv.stderr()}"


@pytest.fixture(scope="session")
def cql2(cql2_server):
    """A cql2_support.Cql2Client for cql2_server (its session closes before the server stops)."""
    import cql2_support

    with support.http_session() as s:
        yield cql2_support.Cql2Client(s, cql2_server.url)


TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


@pytest.fixture(scope="session")
def cql2_source(cql2) -> dict:
    """layer -> its source features (cql2_support.read_ne_layer), after checking that the
    server numbers each collection's features 1..N in source order (id == source fid), by
    comparing every served feature's attributes with the source row of that fid. The CQL2
    tests compare sets of ids with sets of source fids on the strength of this."""
    import cql2_support

    out = {}
    for layer in cql2_support.NE_LAYERS:
        source = cql2_support.read_ne_layer(layer)
        by_fid = {f.fid: f for f in source}
        served = cql2.items(layer)
        assert sorted(f["id"] for f in served) == sorted(by_fid), f"{layer}: ids are not the source fids"
        for feature in served:
            src = by_fid[feature["id"]].props
            for name, value in feature["properties"].items():
                want = src[name]
                if isinstance(value, bool):
                    want = None if want is None else bool(want)
                elif isinstance(value, str) and isinstance(want, str) and TIMESTAMP_RE.match(want):
                    value, want = value.rstrip("Z")[:19], want.rstrip("Z")[:19]  # served with a Z
                assert value == want or (isinstance(value, float) and value == float(want)), (
                    f"{layer} id {feature['id']}: {name} is {value!r}, source fid has {want!r}")
        out[layer] = source
    return out


# --------------------------------------------------------------------------- WFS


@pytest.fixture(scope="session")
def wfs_expected(store_path, observations_gpkg):
    """collection -> wfs_support.Expected: the source features keyed by the ids the store
    gave them (checked row by row against the source), for the WFS tests."""
    import wfs_support

    return wfs_support.ExpectedCollections(store_path, observations_gpkg)


@pytest.fixture(scope="session")
def dft_schema(http, base_url):
    """The server's DescribeFeatureType compiled together with the official WFS 2.0 schema."""
    import wfs_support

    return wfs_support.describe_feature_type_schema(http, base_url)
