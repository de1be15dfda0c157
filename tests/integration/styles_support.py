"""Helpers for the style tests (test_styles.py, test_golden_maps.py).

- a copy of the session store (sqlite3's online backup: consistent while the session
  server has it open) with the demo styles of data/demo/styles added by `amis style add`;
- `amis serve --config amis.toml` on it (the [admin] token of the OGC API Styles writes);
- the store's amis_styles table read with sqlite3, to see that a refused command left it
  unchanged;
- the expected side of the demo styles, written here from the style's description (not
  from AMIS): colour and mark by status, size by capacity, fill opacity 0.85, the country
  groups' fills at 0.9; the scale denominator of a map (OGC's 0.28 mm pixel, degrees at
  6378137 * pi / 180 metres);
- the coal mines of the source, read with OGR, with their distance to the nearest other
  mine (numpy), to pick isolated ones by status and capacity.

Nothing here derives an expected value from AMIS's output.
"""
from __future__ import annotations

import contextlib
import functools
import math
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import requests
from osgeo import gdal, ogr

from support import DEMO_DIR, DEMO_SOURCES, AmisServer, amis_argv, amis_cwd, connect_store, free_loopback_port, run_amis
from support import copy_store as support_copy_store

STYLES_DIR = DEMO_DIR / "styles"


@dataclass(frozen=True)
class DemoStyle:
    collection: str
    name: str
    path: Path


DEMO_STYLES = [
    DemoStyle("coal_mines", "status-capacity", STYLES_DIR / "coal_mines-status-capacity.sld"),
    DemoStyle("countries", "asean-plus-three", STYLES_DIR / "countries-asean-plus-three.sld"),
    DemoStyle("coal_mine_boundaries", "outline", STYLES_DIR / "coal_mine_boundaries-outline.sld"),
]

# An [admin] token of the required length (>= 24 characters); never a real secret.
ADMIN_TOKEN = "amis-integration-tests-admin-token-7f3a9c"

# --------------------------------------------------------------------------- the demo styles' contract

# coal_mines / status-capacity: colour and WellKnownName by status, size by capacity,
# fill-opacity 0.85, a white 0.8 px stroke; names below 1:1,000,000.
STATUS_MARK = {
    "Operating": ("circle", "#1a9850"),
    "Proposed": ("triangle", "#f46d43"),
    "Mothballed": ("circle", "#878787"),
    "Shelved": ("square", "#9970ab"),
    "Cancelled": ("x", "#d73027"),
}
MINE_FILL_OPACITY = 0.85
MINE_LABEL_MAX_SCALE = 1_000_000
MINE_LABEL_FILL = "#252525"

# countries / asean-plus-three: fill by `group` at 0.9, names below 1:40,000,000.
GROUP_FILL = {"ASEAN": "#fdd49e", "Plus Three": "#c6dbef"}
GROUP_STROKE = {"ASEAN": "#b35806", "Plus Three": "#2166ac"}
COUNTRY_FILL_OPACITY = 0.9
COUNTRY_LABEL_MAX_SCALE = 40_000_000

PIXEL_METRES = 0.00028
METRES_PER_DEGREE = 6378137.0 * math.pi / 180.0


def size_class(capacity: float | None) -> int:
    """The marker size (px) of status-capacity for a capacity in Mtpa."""
    if capacity is None or capacity < 1:
        return 6
    return 15 if capacity >= 5 else 10


def degrees_per_pixel(scale: float) -> float:
    """The resolution of a geographic map (degrees per pixel) at a scale denominator."""
    return scale * PIXEL_METRES / METRES_PER_DEGREE


def metres_per_pixel(scale: float) -> float:
    return scale * PIXEL_METRES


# --------------------------------------------------------------------------- the store


def copy_store(source: Path, target: Path) -> Path:
    """A consistent copy of a store (support.copy_store)."""
    support_copy_store(source, target)
    return target


def add_demo_styles(store: Path) -> None:
    for s in DEMO_STYLES:
        r = run_amis("style", "add", "--store", store, "--collection", s.collection, "--name", s.name, s.path)
        assert r.returncode == 0, f"amis style add {s.name}: exit {r.returncode}: {r.stderr.strip()}"


def style_rows(store: Path) -> list[tuple]:
    """Every row of amis_styles, sorted (collection, name, title, abstract, sld, updated)."""
    with contextlib.closing(connect_store(store)) as db:
        return sorted(db.execute("SELECT collection, name, title, abstract, sld, updated FROM amis_styles"))


def write_config(path: Path, token: str | None) -> Path:
    text = "[server]\nlog_level = \"info\"\n"
    if token is not None:
        text += f"\n[admin]\ntoken = \"{token}\"\n"
    path.write_text(text)
    return path


@dataclass
class ConfiguredServer(AmisServer):
    """`amis serve --store S --port P --config C`: AmisServer with a configuration file."""

    config: Path | None = None
    extra: list = field(default_factory=list)

    def start(self, attempts: int = 3, wait_seconds: float = 20) -> None:
        last_error = ""
        for _ in range(attempts):
            self.port = free_loopback_port()
            out = open(self.stdout_path, "wb")
            err = open(self.stderr_path, "wb")
            self._files = [out, err]
            command = amis_argv("serve", "--store", self.store, "--port", self.port)
            if self.config is not None:
                command += ["--config", str(self.config)]
            self.process = subprocess.Popen(command + self.extra, stdout=out, stderr=err,
                                            stdin=subprocess.DEVNULL, cwd=amis_cwd("--store", self.store))
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
        raise RuntimeError(f"amis serve --config did not come up: {last_error}")


def styled_server(work: Path, session_store: Path, token: str | None = ADMIN_TOKEN,
                  name: str = "styled") -> ConfiguredServer:
    """A started server over a copy of the session store with the demo styles added."""
    store = copy_store(session_store, work / "store.gpkg")
    add_demo_styles(store)
    config = write_config(work / "amis.toml", token)
    srv = ConfiguredServer(store, work, name=name, config=config)
    srv.start()
    return srv


def stop_checked(srv: AmisServer) -> None:
    alive = srv.alive()
    status = srv.stop()
    assert alive, f"amis serve ({srv.name}) died during the tests:\n{srv.stderr()[-3000:]}"
    assert status == 0, f"amis serve ({srv.name}) exited with {status}:\n{srv.stderr()[-3000:]}"


# --------------------------------------------------------------------------- the sources


@dataclass(frozen=True)
class SourceMine:
    fid: int
    name: str
    status: str
    capacity: float | None
    lon: float
    lat: float
    nearest: float  # degrees (planar lon/lat distance) to the nearest other coal mine


@functools.lru_cache(maxsize=None)
def coal_mines() -> tuple[SourceMine, ...]:
    """Every coal mine of the source (OGR), with its distance to the nearest other one."""
    ds, lyr = DEMO_SOURCES["coal_mines"].open_layer()
    rows = []
    for f in lyr:
        g = f.GetGeometryRef()
        cap = f.GetFieldAsDouble("capacity_mtpa") if f.IsFieldSetAndNotNull("capacity_mtpa") else None
        rows.append((f.GetFID(), f.GetFieldAsString("mine_name"), f.GetFieldAsString("status"), cap,
                     g.GetX(), g.GetY()))
    xy = np.array([(r[4], r[5]) for r in rows])
    nearest = np.full(len(rows), np.inf)
    for i in range(0, len(rows), 512):  # blocks: a full n x n matrix is 80 MB
        block = np.hypot(xy[i:i + 512, None, 0] - xy[None, :, 0], xy[i:i + 512, None, 1] - xy[None, :, 1])
        for k in range(block.shape[0]):
            block[k, i + k] = np.inf
        nearest[i:i + 512] = block.min(axis=1)
    return tuple(SourceMine(*r, float(n)) for r, n in zip(rows, nearest))


def most_isolated(status: str, size: int) -> SourceMine:
    """The coal mine of that status and size class farthest from any other."""
    candidates = [m for m in coal_mines() if m.status == status and size_class(m.capacity) == size]
    assert candidates, f"no {status} coal mine of size class {size} in the source"
    return max(candidates, key=lambda m: m.nearest)


def mine_named(name: str) -> SourceMine:
    found = [m for m in coal_mines() if m.name == name]
    assert len(found) == 1, f"{len(found)} coal mines named {name!r}"
    return found[0]


def mines_in_box(box: tuple[float, float, float, float]) -> list[SourceMine]:
    minx, miny, maxx, maxy = box
    return [m for m in coal_mines() if minx <= m.lon <= maxx and miny <= m.lat <= maxy]


@functools.lru_cache(maxsize=None)
def country_groups() -> tuple[tuple[str, str, str, ogr.Geometry], ...]:
    """(iso3, name, group, geometry) of every country of the source."""
    ds, lyr = DEMO_SOURCES["countries"].open_layer()
    return tuple((f["iso3"], f["name"], f["group"], f.GetGeometryRef().Clone()) for f in lyr)


# --------------------------------------------------------------------------- shapes


def mark_polygon(shape: str, size: float) -> ogr.Geometry:
    """The outline of a WellKnownName mark of `size` px centred on (0, 0) (SE 1.1 11.3.2:
    circle, square, triangle pointing up, x as two crossed bars), for its area."""
    h = size / 2
    if shape == "circle":
        return ogr.CreateGeometryFromWkt("POINT (0 0)").Buffer(h, 64)
    if shape == "square":
        return ogr.CreateGeometryFromWkt(f"POLYGON(({-h} {-h},{h} {-h},{h} {h},{-h} {h},{-h} {-h}))")
    if shape == "triangle":
        return ogr.CreateGeometryFromWkt(f"POLYGON(({-h} {-h},{h} {-h},0 {h},{-h} {-h}))")
    if shape == "x":  # two bars 0.2 * size wide along the diagonals, clipped to the square
        w = 0.2 * size
        box = mark_polygon("square", size)
        bars = None
        for sign in (1, -1):
            line = ogr.CreateGeometryFromWkt(f"LINESTRING({-size} {-size * sign},{size} {size * sign})")
            bar = line.Buffer(w / 2 * math.sqrt(2), 1)
            bars = bar if bars is None else bars.Union(bar)
        return bars.Intersection(box)
    raise ValueError(shape)


# --------------------------------------------------------------------------- images


def write_png(path: Path, rgba: np.ndarray) -> None:
    """An RGBA array as a PNG (GDAL, best zlib compression)."""
    h, w = rgba.shape[:2]
    mem = gdal.GetDriverByName("MEM").Create("", w, h, 4, gdal.GDT_Byte)
    for b in range(4):
        mem.GetRasterBand(b + 1).WriteArray(rgba[..., b])
    gdal.GetDriverByName("PNG").CreateCopy(str(path), mem, options=["ZLEVEL=9"])
    mem = None
    aux = Path(str(path) + ".aux.xml")
    if aux.exists():
        aux.unlink()
