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


from synthetic_data import (GRID_COUNT, XSS_NOTE, Observation, grid_point, make_observations,  # noqa: F401
                            write_grid_gpkg, write_observations_gpkg)


# --------------------------------------------------------------------------- the store backend


def pytest_addoption(parser):
    parser.addoption("--store-backend", choices=support.STORE_BACKENDS, default=None,
                     help="the store every test's store is created in: gpkg (a GeoPackage file, "
                          "the default) or postgis (a database of a private PostgreSQL cluster); "
                          "the same as AMIS_STORE_BACKEND")


def pytest_configure(config):
    chosen = config.getoption("--store-backend")
    if chosen:
        os.environ["AMIS_STORE_BACKEND"] = chosen  # xdist workers get the option too
    support.store_backend()  # an unknown value fails here, before any test
    config.addinivalue_line("markers", "gpkg_only(reason): what the test checks exists only in a GeoPackage "
                                       "store (the file's format, SQLite's own tables); skipped on PostGIS")


def pytest_collection_modifyitems(config, items):
    if not support.on_postgis():
        return
    for item in items:
        marker = item.get_closest_marker("gpkg_only")
        if marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "GeoPackage only")
            item.add_marker(pytest.mark.skip(reason=f"GeoPackage store only: {reason}"))


def pytest_report_header(config):
    return f"store backend: {support.store_backend()}"


_seconds_per_file: dict[str, float] = {}


def pytest_runtest_logreport(report):
    # On the xdist controller too: each file's setup, call and teardown time, summed.
    path = report.nodeid.split("::", 1)[0]
    _seconds_per_file[path] = _seconds_per_file.get(path, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    # Where a run's time goes: with --dist loadfile a file runs on one worker, so the
    # slowest files bound the run (split them when they grow).
    slowest = sorted(_seconds_per_file.items(), key=lambda kv: -kv[1])[:12]
    if slowest and sum(_seconds_per_file.values()) > 60:
        terminalreporter.write_line("slowest test files (s): " +
                                    ", ".join(f"{path} {secs:.0f}" for path, secs in slowest))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    # After the session fixtures' teardown (the servers are stopped), also after a failure or
    # Ctrl-C; atexit and pg_support's watchdog cover a process that never gets here.
    import pg_support
    pg_support.stop_cluster()


@pytest.fixture(scope="session")
def store_backend() -> str:
    return support.store_backend()


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
