"""The synthetic data of the session fixtures (tests/integration/conftest.py): 50 timed
observations and a grid of points, written with OGR. A module of its own, because test
files import these names and every test folder has its own conftest module."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from osgeo import ogr, osr

UTC = timezone.utc


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
