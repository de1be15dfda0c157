"""Helpers of the hostile tests (see conftest.py): servers on copies of a store with
an amis.toml, the synthetic grid of points, star-shaped filter geometries."""
from __future__ import annotations

import contextlib
import math
import shutil
from pathlib import Path
from typing import Iterator

from osgeo import ogr, osr

from synthetic_data import write_grid_gpkg  # noqa: F401  (the main suite's grid, for conftest)
from support import DEMO_DIR, AmisServer, copy_store, store_files

GEOID = DEMO_DIR / "asean3_egm96_geoid_15min.tif"


@contextlib.contextmanager
def serving(store: Path, work: Path, name: str, config: str = "") -> Iterator[AmisServer]:
    """`amis serve` on a copy of `store` (with its raster folder) and `config` as its
    amis.toml; checks at the end that it is still alive."""
    copy = work / "store.gpkg"
    copy_store(store, copy)
    if (store_files(store) / "rasters").is_dir():
        shutil.copytree(store_files(store) / "rasters", store_files(copy) / "rasters", dirs_exist_ok=True)
    toml = work / "amis.toml"
    toml.write_text(config)
    srv = AmisServer(copy, work, name=name, config=toml)
    srv.start()
    try:
        yield srv
        assert srv.alive(), f"amis serve ({name}) died:\n{srv.stderr()}"
    finally:
        srv.stop()


def star_points(n: int, cx=115.0, cy=15.0, r_out=40.0, r_in=12.0) -> list[tuple[float, float]]:
    """A closed ring of n vertices (n even) alternating between two radii: a star whose
    spikes all reach across the region, so that GEOS's relate nodes it in time
    quadratic in n."""
    pts = []
    for i in range(n):
        a = 2 * math.pi * i / n
        r = r_out if i % 2 == 0 else r_in
        pts.append((round(cx + r * math.cos(a), 6), round(cy + r * math.sin(a) * 0.8, 6)))
    return pts + [pts[0]]


def wkt_polygon(points) -> str:
    return "POLYGON((" + ",".join(f"{x} {y}" for x, y in points) + "))"
