"""Fixtures of the hostile tests: requests built to take the server's time, memory or
threads (absurd map boxes, filter geometries of thousands of vertices, many layers,
many large renders at once). Each test module starts its own server on a copy of a store,
with a short [server] work_timeout_seconds where a deadline is what is proven, and
asserts on behaviour (the answer, its status and code, another request answered
meanwhile), never on how fast something was. Helpers: bounds_support.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from bounds_support import GEOID, write_grid_gpkg
from support import DEMO_SOURCES, amis_import, http_session, run_amis

GRID_COUNT = 200_000


@pytest.fixture(scope="session")
def hostile_store(tmp_path_factory, amis_bin) -> Path:
    """The demo collections and the EGM96 geoid raster ('geoid'), as `amis` loads them."""
    store = tmp_path_factory.mktemp("hostile-store") / "amis.gpkg"
    for source in DEMO_SOURCES.values():
        extra = ["--layer", source.layer] if source.layer else []
        amis_import(store, source.path, source.collection, *extra)
    added = run_amis("raster", "add", GEOID, "--id", "geoid", "--title", "EGM96 geoid", "--store", store)
    assert added.returncode == 0, added.stderr
    return store


@pytest.fixture(scope="session")
def grid_store(tmp_path_factory, amis_bin) -> Path:
    """A store holding only 'grid': 200,000 synthetic points (bounds_support.write_grid_gpkg)."""
    work = tmp_path_factory.mktemp("hostile-grid")
    source = work / "grid_source.gpkg"
    write_grid_gpkg(source, GRID_COUNT)
    store = work / "store" / "grid.gpkg"
    store.parent.mkdir()
    amis_import(store, source, "grid")
    return store


@pytest.fixture()
def session():
    with http_session() as s:
        yield s
