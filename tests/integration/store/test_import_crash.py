"""Issue 14: an import killed with -9 halfway leaves the store as it was, and nothing behind.

On PostGIS an import COPYs into a loading table (amis_data.amis_load_...) that is only renamed
into place at the end; a killed import leaves that table. The next process that opens the store
and the next import drop the loading tables of imports whose session is gone, and never one that
another import is still filling.
On GeoPackage the import is one SQLite transaction: the journal undoes it.
Checked independently of AMIS with sqlite3 / psycopg2 (support.connect_store) and OGR.
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from osgeo import ogr

from support import amis_argv, amis_cwd, amis_import, connect_store, on_postgis, run_amis, store_datasource

BIG = 250_000  # points: an import of a few seconds, long enough to be killed halfway


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("import-crash")
    csv = folder / "big.csv"
    with csv.open("w") as f:
        f.write("id,name,x,y\n")
        for i in range(BIG):
            f.write(f"{i},site {i},{92 + (i * 7919 % 54000) / 1000},{-11 + (i * 104729 % 57000) / 1000}\n")
    big = folder / "big.gpkg"
    subprocess.run(["ogr2ogr", "-f", "GPKG", str(big), str(csv), "-nln", "sites", "-a_srs", "EPSG:4326",
                    "-oo", "X_POSSIBLE_NAMES=x", "-oo", "Y_POSSIBLE_NAMES=y"],
                   check=True, capture_output=True)
    small = folder / "small.csv"
    small.write_text("id,name,x,y\n1,one,100,10\n2,two,101,11\n3,three,102,12\n")
    small_gpkg = folder / "small.gpkg"
    subprocess.run(["ogr2ogr", "-f", "GPKG", str(small_gpkg), str(small), "-nln", "sites", "-a_srs", "EPSG:4326",
                    "-oo", "X_POSSIBLE_NAMES=x", "-oo", "Y_POSSIBLE_NAMES=y"],
                   check=True, capture_output=True)
    return {"big": big, "small": small_gpkg}


def loading_tables(store: Path) -> list[str]:
    if not on_postgis():
        return []
    with contextlib.closing(connect_store(store)) as db:
        return [r[0] for r in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'amis_data' AND tablename LIKE 'amis_load_%'")]


def data_tables(store: Path) -> list[str]:
    """The collections' tables in PostGIS's amis_data schema."""
    with contextlib.closing(connect_store(store)) as db:
        return [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'amis_data'")]


def wait_until_sessions_end(store: Path, seconds: float = 60) -> None:
    """Until no session holds a loading table's advisory lock (pg_load_tables.cpp: key 1095585860)."""
    if not on_postgis():
        return
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.closing(connect_store(store)) as db:
            held = db.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 1095585860 "
                              "AND granted").fetchone()[0]
        if held == 0:
            return
        time.sleep(0.1)
    pytest.fail("the killed import's session still holds its lock")


def feature_count(store: Path, collection: str) -> int:
    ds = ogr.Open(store_datasource(store))
    layer = ds.GetLayerByName(f"amis_data.{collection}" if on_postgis() else collection)
    return layer.GetFeatureCount()


def start_import(store: Path, source: Path, collection: str) -> subprocess.Popen:
    argv = amis_argv("import", source, "--collection", collection, "--store", store)
    return subprocess.Popen(argv, cwd=amis_cwd("--store", store), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def wait_until_loading(store: Path, process: subprocess.Popen, seconds: float = 60) -> None:
    """Until the import is writing rows: its loading table exists (PostGIS), or the GeoPackage's
    rollback journal or WAL holds its first megabytes."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the import ended before it could be killed: {process.stderr.read()}"
        if on_postgis():
            if loading_tables(store):
                time.sleep(0.5)  # well inside the COPY
                return
        else:
            sidecars = [Path(f"{store}{s}") for s in ("-journal", "-wal")]
            if any(p.exists() and p.stat().st_size > 1_000_000 for p in sidecars):
                return
        time.sleep(0.02)
    pytest.fail("the import never started writing")


def test_a_killed_import_leaves_the_old_collection_and_the_next_import_cleans_up(tmp_path, sources):
    store = tmp_path / "store.gpkg"
    amis_import(store, sources["small"], "sites")
    assert feature_count(store, "sites") == 3

    process = start_import(store, sources["big"], "sites")
    wait_until_loading(store, process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)

    # The published collection is the old one, whole; on PostGIS the loading table is left.
    assert feature_count(store, "sites") == 3
    left = loading_tables(store)
    assert len(left) == (1 if on_postgis() else 0), left
    listing = run_amis("collections", "--store", store)
    assert listing.returncode == 0 and "sites" in listing.stdout, listing.stderr

    # The next process that opens the store (a node starting, here a listing) drops what the
    # killed import left, once PostgreSQL has noticed that the killed import's connections are
    # gone (and with them its lock); so does the next import (the test below).
    wait_until_sessions_end(store)
    assert run_amis("collections", "--store", store).returncode == 0
    assert loading_tables(store) == []
    amis_import(store, sources["small"], "others")
    assert loading_tables(store) == []
    assert feature_count(store, "sites") == 3
    assert feature_count(store, "others") == 3
    if not on_postgis():
        with contextlib.closing(connect_store(store)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.skipif(not on_postgis(), reason="loading tables are PostGIS's (a GeoPackage import is one transaction)")
def test_an_import_never_drops_the_table_another_import_is_filling(tmp_path, sources):
    store = tmp_path / "store.gpkg"
    amis_import(store, sources["small"], "others")
    process = start_import(store, sources["big"], "sites")
    wait_until_loading(store, process)
    filling = loading_tables(store)
    assert len(filling) == 1
    # A second import while the first is loading: it sweeps, and must leave the live table. The
    # first may have finished its COPY meanwhile (a loaded machine): its table is then in place
    # under its collection's name, not gone.
    amis_import(store, sources["small"], "more")
    left = loading_tables(store)
    assert process.poll() is not None or left == filling or (left == [] and "sites" in data_tables(store)), left
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert feature_count(store, "sites") == BIG
    assert loading_tables(store) == []
