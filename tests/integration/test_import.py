"""`amis import`: the R-tree it builds in one pass (issue 22), and a collection imported
again by key as one change set that keeps feature ids, versions and history.

Oracles, none of them AMIS's own output: the source files as written here with OGR, and
the store read with sqlite3 (read-only): SQLite's own rtreecheck() and R-tree queries,
the feature table, amis_feature_versions, amis_change_sets and amis_audit.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from osgeo import ogr, osr

from store_support import amis, rows

ogr.UseExceptions()


def write_points(path: Path, features: list[dict], layer_name: str = "sites") -> None:
    """features: {"code", "name", "status", "iso3", "lon", "lat"} (lon None: no geometry)."""
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    layer = ds.CreateLayer(layer_name, srs, ogr.wkbPoint)
    for name, kind in (("code", ogr.OFTString), ("name", ogr.OFTString), ("status", ogr.OFTString),
                       ("iso3", ogr.OFTString), ("tonnes", ogr.OFTReal)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    layer.StartTransaction()
    for f in features:
        o = ogr.Feature(layer.GetLayerDefn())
        for k in ("code", "name", "status", "iso3", "tonnes"):
            if f.get(k) is not None:
                o[k] = f[k]
        if f.get("lon") is not None:
            o.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({f['lon']} {f['lat']})"))
        layer.CreateFeature(o)
    layer.CommitTransaction()
    ds = None


def sites(n: int, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        out.append({"code": f"S{i:05d}", "name": f"site {i}", "status": rnd.choice(["operating", "closed", "proposed"]),
                    "iso3": rnd.choice(["IDN", "VNM", "PHL", "MYS"]), "tonnes": round(rnd.uniform(0, 1000), 3),
                    "lon": None if i % 997 == 5 else round(rnd.uniform(92, 146), 7),
                    "lat": None if i % 997 == 5 else round(rnd.uniform(-11, 46), 7)})
    return out


def rtree_check(store: Path, table: str) -> str:
    return rows(store, f"SELECT rtreecheck('rtree_{table}_geom')")[0][0]


# --------------------------------------------------------------------------- the R-tree


def test_import_builds_a_valid_complete_rtree(tmp_path):
    data = sites(20000)
    src = tmp_path / "sites.gpkg"
    write_points(src, data)
    store = tmp_path / "store.gpkg"
    r = amis("import", src, "--collection", "sites", "--store", store)
    assert r.returncode == 0, r.stderr

    assert rtree_check(store, "sites") == "ok"
    # One R-tree row per feature with a geometry, each box the point rounded outwards to float32.
    by_code = {f["code"]: f for f in data}
    fids = {fid: code for fid, code in rows(store, "SELECT fid, code FROM sites")}
    rtree = rows(store, "SELECT id, minx, maxx, miny, maxy FROM rtree_sites_geom")
    with_geometry = {fid for fid, code in fids.items() if by_code[code]["lon"] is not None}
    assert {r[0] for r in rtree} == with_geometry and len(rtree) == len(with_geometry)
    for fid, minx, maxx, miny, maxy in rtree:
        f = by_code[fids[fid]]
        assert minx <= f["lon"] <= maxx and miny <= f["lat"] <= maxy, (fid, f)
        # at most two float32 steps wide (SQLite rounds outwards by a relative 2^-23)
        assert maxx - minx <= abs(f["lon"]) * 2 ** -21 and maxy - miny <= max(abs(f["lat"]), 1) * 2 ** -21, (
            fid, minx, maxx, miny, maxy)
    # Window queries through SQLite's R-tree module find exactly the points a scan finds.
    rnd = random.Random(3)
    for _ in range(40):
        x0, y0 = rnd.uniform(92, 140), rnd.uniform(-11, 40)
        x1, y1 = x0 + rnd.uniform(0.1, 8), y0 + rnd.uniform(0.1, 8)
        got = {r[0] for r in rows(store, "SELECT id FROM rtree_sites_geom WHERE minx >= ? AND maxx <= ? "
                                         "AND miny >= ? AND maxy <= ?", x0, x1, y0, y1)}
        want = {fid for fid in with_geometry
                if x0 < by_code[fids[fid]]["lon"] < x1 and y0 < by_code[fids[fid]]["lat"] < y1}
        assert want <= got and len(got - want) <= 2, (x0, y0, x1, y1, len(got), len(want))


def test_an_empty_and_a_one_point_collection_have_valid_rtrees(tmp_path):
    store = tmp_path / "store.gpkg"
    for name, data in (("none", [{"code": "A", "lon": None}]), ("one", sites(1))):
        src = tmp_path / f"{name}.gpkg"
        write_points(src, data)
        r = amis("import", src, "--collection", name, "--store", store)
        assert r.returncode == 0, r.stderr
        assert rtree_check(store, name) == "ok"
    assert rows(store, "SELECT count(*) FROM rtree_none_geom")[0][0] == 0
    assert rows(store, "SELECT count(*) FROM rtree_one_geom")[0][0] == 1
