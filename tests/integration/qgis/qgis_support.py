"""Helpers of the QGIS tests: the QGIS worker process (qgis_worker.py) and its client, data
source URIs built the way QGIS's own source dialogs build them, the store read with
osgeo.ogr and sqlite3 (the independent oracle), the server's access log, and pixel
positions in a drawn image.

Nothing expected is computed by QGIS or by AMIS: QGIS is the client under test, AMIS
the server, OGR/sqlite3 on the store file the oracle."""
from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from osgeo import gdal, ogr, osr

from support import connect_store, store_datasource

WORKER = Path(__file__).with_name("qgis_worker.py")
PYTHON = "/usr/bin/python3"  # Debian's, with python3-qgis
# Seconds for one QGIS command: a hang is a failure, not a stuck suite (QGIS 3.22 hung
# once, rather than failing, when DescribeFeatureType answered 400).
COMMAND_TIMEOUT = float(os.environ.get("AMIS_QGIS_TIMEOUT", "180"))


class QgisFailed(AssertionError):
    """QGIS crashed, hung or raised while running a command; carries its last output."""


class QgisWorker:
    """One QGIS process (QgsApplication created once, exitQgis() at the end) that runs the
    commands of qgis_worker.py. If QGIS dies, the command fails with its stderr and the next
    command starts a new process."""

    def __init__(self, home: Path):
        self.home = home
        self.proc: subprocess.Popen | None = None
        self.reply = None
        self.stderr_path = home / "qgis.stderr.log"
        self.starts = 0

    def _start(self) -> None:
        read_fd, write_fd = os.pipe()
        runtime = self.home / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        env = dict(os.environ, QGIS_PREFIX_PATH="/usr", QT_QPA_PLATFORM="offscreen",
                   HOME=str(self.home), XDG_RUNTIME_DIR=str(runtime), NO_PROXY="*",
                   no_proxy="*", QGIS_CUSTOM_CONFIG_PATH=str(self.home / "profile"))
        for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
            env.pop(proxy, None)
        self.stderr_file = open(self.stderr_path, "ab")
        self.proc = subprocess.Popen([PYTHON, str(WORKER), str(write_fd)], stdin=subprocess.PIPE,
                                     stdout=self.stderr_file, stderr=self.stderr_file, env=env,
                                     pass_fds=(write_fd,), text=True, cwd=self.home)
        os.close(write_fd)
        self.reply = os.fdopen(read_fd, "r")
        self.starts += 1

    def run(self, command: str, **args: Any) -> dict:
        """The command's result; raises QgisFailed on a crash, a hang or an exception."""
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        offset = self.stderr_path.stat().st_size
        self.proc.stdin.write(json.dumps({"command": command, "args": args}) + "\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.reply], [], [], COMMAND_TIMEOUT)
        line = self.reply.readline() if ready else ""
        if not line:
            if ready:  # the pipe closed: QGIS is ending, let it finish dying
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.proc.wait(timeout=30)
            hung = self.proc.poll() is None
            self._kill()
            raise QgisFailed(f"QGIS {'hung' if hung else 'crashed (exit %s)' % self.proc.returncode} "
                             f"running {command}({args}):\n{self._stderr_since(offset)}")
        answer = json.loads(line)
        if not answer["ok"]:
            raise QgisFailed(f"QGIS raised in {command}: {answer['error']}\nmessages: {answer['messages']}")
        result = answer["result"]
        result["messages"] = answer["messages"]
        return result

    def _stderr_since(self, offset: int) -> str:
        self.stderr_file.flush()
        with open(self.stderr_path, "rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace")[-4000:]

    def _kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        if self.proc is not None:
            self.proc.wait(timeout=30)
        with contextlib.suppress(Exception):
            self.reply.close()

    def close(self) -> int | None:
        """Ends QGIS with exitQgis() (stdin closed); its exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        self.reply.close()
        self.stderr_file.close()
        return self.proc.returncode


# --------------------------------------------------------------------------- data source URIs


def wfs_uri(base_url: str, typename: str, version: str, *, max_features: int | None = None,
            restrict_to_bbox: bool = False, paging: bool = True, page_size: int | None = None,
            username: str | None = None, password: str | None = None, sql: str | None = None) -> str:
    """A WFS / OAPIF source with QgsDataSourceUri, with the keys QGIS's data source dialog
    writes (version 'OGC_API_FEATURES' for the oapif provider)."""
    from qgis.core import QgsDataSourceUri  # imported late: only the URI class, no application

    uri = QgsDataSourceUri()
    uri.setParam("url", base_url)
    uri.setParam("typename", typename)
    uri.setParam("version", version)
    uri.setParam("restrictToRequestBBOX", "1" if restrict_to_bbox else "0")
    uri.setParam("pagingEnabled", "true" if paging else "false")
    if max_features is not None:
        uri.setParam("maxNumFeatures", str(max_features))
    if page_size is not None:
        uri.setParam("pageSize", str(page_size))
    if username is not None:
        uri.setUsername(username)
        uri.setPassword(password or "")
    if sql is not None:
        uri.setSql(sql)
    return uri.uri(False)


def wms_uri(url: str, layers: list[str], styles: list[str], crs: str, fmt: str = "image/png",
            **extra: str) -> str:
    """A wms provider source as QGIS's WMS dialog writes it: repeated layers= / styles=."""
    from qgis.core import QgsDataSourceUri

    uri = QgsDataSourceUri()
    uri.setParam("url", url)
    uri.setParam("crs", crs)
    uri.setParam("format", fmt)
    uri.setParam("dpiMode", "7")
    uri.setParam("contextualWMSLegend", "0")
    for layer, style in zip(layers, styles):
        uri.setParam("layers", layer)
        uri.setParam("styles", style)
    for key, value in extra.items():
        uri.setParam(key, value)
    return bytes(uri.encodedUri()).decode()


# --------------------------------------------------------------------------- the oracle


def ogr_features(store: Path, table: str, bbox: tuple | None = None, where: str | None = None) -> list[dict]:
    """The store's features of a table read with osgeo.ogr: fid, attributes, geometry."""
    ds = gdal.OpenEx(store_datasource(store), gdal.OF_VECTOR | gdal.OF_READONLY)
    layer = ds.GetLayerByName(table)
    if bbox is not None:
        layer.SetSpatialFilterRect(*bbox)
    if where is not None:
        layer.SetAttributeFilter(where)
    d = layer.GetLayerDefn()
    names = [d.GetFieldDefn(i).GetName() for i in range(d.GetFieldCount())]
    out = []
    for f in layer:
        g = f.GetGeometryRef()
        out.append({"fid": f.GetFID(), "attributes": {n: f.GetField(n) for n in names},
                    "geometry": g.Clone() if g else None})
    return out


def ogr_field_names(store: Path, table: str) -> list[str]:
    ds = gdal.OpenEx(store_datasource(store), gdal.OF_VECTOR | gdal.OF_READONLY)
    d = ds.GetLayerByName(table).GetLayerDefn()
    return [d.GetFieldDefn(i).GetName() for i in range(d.GetFieldCount())]


def ogr_field_kinds(store: Path, table: str) -> dict[str, str]:
    """Field name -> OGR type name (String, Integer, Real, DateTime, ...)."""
    ds = gdal.OpenEx(store_datasource(store), gdal.OF_VECTOR | gdal.OF_READONLY)
    d = ds.GetLayerByName(table).GetLayerDefn()
    return {d.GetFieldDefn(i).GetName(): d.GetFieldDefn(i).GetTypeName() for i in range(d.GetFieldCount())}


def sql(store: Path, query: str, *params) -> list[tuple]:
    with contextlib.closing(connect_store(store)) as db:
        return db.execute(query, params).fetchall()


def comparable(value: Any) -> Any:
    """An attribute value as both readers can agree on: numbers as floats to 12 digits,
    empty text as None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(f"{float(value):.12g}")
    return value


# --------------------------------------------------------------------------- the access log


@dataclass
class LogMark:
    """A position in a server's access log, to read the requests made after it."""

    path: Path
    offset: int

    @classmethod
    def now(cls, server) -> "LogMark":
        return cls(server.stdout_path, server.stdout_path.stat().st_size)

    def lines(self) -> list[str]:
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            return f.read().decode(errors="replace").splitlines()


# --------------------------------------------------------------------------- images


def read_rgba(path: Path | str) -> np.ndarray:
    """A PNG as an array (rows, columns, RGBA), read with GDAL."""
    ds = gdal.Open(str(path))
    bands = [ds.GetRasterBand(i + 1).ReadAsArray() for i in range(ds.RasterCount)]
    if len(bands) == 3:
        bands.append(np.full_like(bands[0], 255))
    return np.dstack(bands)


def pixel_of(x: float, y: float, extent: list, size: list) -> tuple[int, int]:
    """(column, row) of map coordinates in an image of `size` drawn over `extent`."""
    minx, miny, maxx, maxy = extent
    col = int((x - minx) / (maxx - minx) * size[0])
    row = int((maxy - y) / (maxy - miny) * size[1])
    return col, row


def to_web_mercator(lon: float, lat: float) -> tuple[float, float]:
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromEPSG(4326)
    dst.ImportFromEPSG(3857)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    x, y, _ = osr.CoordinateTransformation(src, dst).TransformPoint(lon, lat)
    return x, y


def rasterize(store: Path, table: str, extent: list, size: list, epsg: int,
              all_touched: bool = False) -> np.ndarray:
    """Which pixels of an image of `size` over `extent` (in EPSG:`epsg`) hold a feature of
    the store's table: GDAL's rasterisation of the store (reprojected by GDAL), rows
    from the top. A point marks the pixel it falls in; a polygon the pixels whose centre it
    covers (or that it touches, with all_touched)."""
    width, height = size
    minx, miny, maxx, maxy = extent
    ds = gdal.GetDriverByName("MEM").Create("", width, height, 1, gdal.GDT_Byte)
    ds.SetGeoTransform((minx, (maxx - minx) / width, 0, maxy, 0, -(maxy - miny) / height))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    src = gdal.OpenEx(store_datasource(store), gdal.OF_VECTOR | gdal.OF_READONLY)
    options = ["ALL_TOUCHED=TRUE"] if all_touched else []
    gdal.RasterizeLayer(ds, [1], src.GetLayerByName(table), burn_values=[1], options=options)
    return ds.GetRasterBand(1).ReadAsArray().astype(bool)


def dilate(mask: np.ndarray, radius: int) -> np.ndarray:
    """The mask grown by `radius` pixels in every direction (a square)."""
    out = mask.copy()
    for axis in (0, 1):
        grown = out.copy()
        for d in range(1, radius + 1):
            grown[tuple(slice(d, None) if a == axis else slice(None) for a in (0, 1))] |= \
                out[tuple(slice(None, -d) if a == axis else slice(None) for a in (0, 1))]
            grown[tuple(slice(None, -d) if a == axis else slice(None) for a in (0, 1))] |= \
                out[tuple(slice(d, None) if a == axis else slice(None) for a in (0, 1))]
        out = grown
    return out


def erode(mask: np.ndarray, radius: int) -> np.ndarray:
    return ~dilate(~mask, radius)


def assert_drawn_where_the_store_says(image, store_path, table, extent, epsg, margin, points: bool) -> None:
    """Every pixel of a feature (a point's pixel, or a polygon's interior shrunk by the
    margin) is painted; every pixel farther than the margin from all features is not."""
    size = [image.shape[1], image.shape[0]]
    painted = image[..., 3] > 0
    inside = rasterize(store_path, table, extent, size, epsg)
    must_paint = inside if points else erode(inside, margin)
    near = near_features(store_path, table, extent, size, epsg, margin)
    assert must_paint.sum() > 20, f"too few {table} pixels in the extent for a meaningful test"
    assert (~near).sum() > 0.2 * near.size, "too little empty sea in the extent"
    missing = must_paint & ~painted
    assert not missing.any(), (
        f"{missing.sum()} of {must_paint.sum()} pixels where the store has {table} are not drawn, "
        f"e.g. (row, column) {list(zip(*missing.nonzero()))[:5]}")
    stray = painted & ~near
    assert not stray.any(), (
        f"{stray.sum()} pixels drawn farther than {margin} px from every {table} feature, "
        f"e.g. (row, column) {list(zip(*stray.nonzero()))[:5]}")


def near_features(store_path, table, extent, size, epsg, margin) -> np.ndarray:
    """Pixels within `margin` of a feature, features beyond the image's edge included (a
    marker just outside the extent reaches into it)."""
    minx, miny, maxx, maxy = extent
    dx, dy = (maxx - minx) / size[0], (maxy - miny) / size[1]
    padded = [minx - margin * dx, miny - margin * dy, maxx + margin * dx, maxy + margin * dy]
    touched = rasterize(store_path, table, padded, [size[0] + 2 * margin, size[1] + 2 * margin], epsg,
                        all_touched=True)
    return dilate(touched, margin)[margin:-margin, margin:-margin]
