"""Fixtures of the hostile tests: requests built to take the server's time, memory or
threads (absurd map boxes, filter geometries of thousands of vertices, many layers,
many large renders at once). Each test starts its own server on the demo store with a
short [server] work_timeout_seconds where a deadline is what is proven, and asserts on
behaviour (the answer, its status and code, another request answered meanwhile), never
on how fast something was.
"""
from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import Iterator

import pytest

from support import DEMO_DIR, DEMO_SOURCES, AmisServer, amis_import, http_session, run_amis

GEOID = DEMO_DIR / "asean3_egm96_geoid_15min.tif"


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


@contextlib.contextmanager
def serving(store: Path, work: Path, name: str, config: str = "") -> Iterator[AmisServer]:
    """`amis serve` on a copy of `store` (with its raster folder) and `config` as its
    amis.toml; checks at the end that it is still alive."""
    copy = work / "store.gpkg"
    shutil.copy(store, copy)
    if (store.parent / "rasters").is_dir():
        shutil.copytree(store.parent / "rasters", work / "rasters", dirs_exist_ok=True)
    toml = work / "amis.toml"
    toml.write_text(config)
    srv = AmisServer(copy, work, name=name, config=toml)
    srv.start()
    try:
        yield srv
        assert srv.alive(), f"amis serve ({name}) died:\n{srv.stderr()}"
    finally:
        srv.stop()


@pytest.fixture()
def session():
    with http_session() as s:
        yield s
