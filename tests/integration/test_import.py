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
from support import on_postgis

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


@pytest.mark.gpkg_only("the GeoPackage's R-tree (float32 boxes, SQLite's rtreecheck)")
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


@pytest.mark.gpkg_only("the GeoPackage's R-tree (SQLite's rtreecheck)")
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


# --------------------------------------------------------------------------- import again by key

ADMIN, EDITOR = "secretariat", "idn-editor"
PASSWORD = "correct horse battery staple"


def versions(store: Path, fid: int) -> list[tuple]:
    return rows(store, "SELECT version, operation, change_set, author FROM amis_feature_versions "
                       "WHERE collection = 'sites' AND fid = ? ORDER BY version", fid)


def table_rows(store: Path) -> dict[int, tuple]:
    return {r[0]: r[1:] for r in rows(store, "SELECT fid, geom, code, name, status, iso3, tonnes FROM sites")}


def fid_of(store: Path, code: str) -> int:
    found = rows(store, "SELECT fid FROM sites WHERE code = ?", code)
    assert len(found) == 1, (code, found)
    return found[0][0]


def reimport(store: Path, src: Path, *extra: str):
    return amis("import", src, "--collection", "sites", "--key", "code", "--as", ADMIN, *extra, "--store", store)


@pytest.fixture()
def keyed(tmp_path):
    """A store with 300 sites imported once, an administrator and an editor."""
    store = tmp_path / "store.gpkg"
    v1 = sites(300)
    write_points(tmp_path / "v1.gpkg", v1)
    r = amis("import", tmp_path / "v1.gpkg", "--collection", "sites", "--store", store)
    assert r.returncode == 0, r.stderr
    for name, role in ((ADMIN, ["--role", "admin"]), (EDITOR, ["--role", "editor", "--country", "IDN"])):
        r = amis("user", "add", name, *role, "--store", store, stdin=PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
    return store, v1, tmp_path


def test_reimport_by_key_applies_the_difference_as_one_change_set(keyed):
    import requests
    from support import AmisServer

    store, v1, tmp = keyed
    before = table_rows(store)
    fids = {code: fid_of(store, code) for code in (f"S{i:05d}" for i in range(300))}

    # An edit through the API first: the administrator changes S00010 (approved by them).
    token = amis("token", "create", ADMIN, "--store", store).stdout.strip()
    server = AmisServer(store, tmp, name="keyed")
    server.start()
    try:
        auth = {"Authorization": f"Bearer {token}"}
        f10 = fids["S00010"]
        r = requests.patch(f"{server.url}/collections/sites/items/{f10}", json={"properties": {"name": "renamed"}},
                           headers={**auth, "Content-Type": "application/merge-patch+json"}, timeout=30)
        assert r.status_code in (200, 201, 202, 204), r.text
        api_cs = r.json()["changeSet"]["id"]
        if r.json()["changeSet"]["state"] != "approved":
            r = requests.post(f"{server.url}/changesets/{api_cs}/approve", json={"comment": "ok"}, headers=auth,
                              timeout=30)
            assert r.status_code == 200, r.text
        assert rows(store, "SELECT name FROM sites WHERE fid = ?", f10) == [("renamed",)]

        # The new edition: two changed, two gone, two new, S00010 as in v1 (so the API edit is undone).
        v2 = [dict(f) for f in v1 if f["code"] not in ("S00003", "S00004")]
        by = {f["code"]: f for f in v2}
        by["S00001"]["status"] = "closed" if by["S00001"]["status"] != "closed" else "operating"
        by["S00002"]["lon"], by["S00002"]["lat"] = 120.5, 10.25
        v2 += [{"code": "S90000", "name": "new one", "status": "proposed", "iso3": "VNM", "tonnes": 1.5,
                "lon": 105.0, "lat": 20.0},
               {"code": "S90001", "name": "new two", "status": "proposed", "iso3": "PHL", "tonnes": None,
                "lon": 121.0, "lat": 14.0}]
        write_points(tmp / "v2.gpkg", v2)
        last_cs = rows(store, "SELECT max(id) FROM amis_change_sets")[0][0]
        last_audit = rows(store, "SELECT max(id) FROM amis_audit")[0][0]

        r = reimport(store, tmp / "v2.gpkg")
        assert r.returncode == 0, r.stderr
        assert "2 inserted, 3 changed, 2 deleted, 295 unchanged" in r.stdout, r.stdout

        # ONE new change set, approved and reviewed by the importing administrator.
        new = rows(store, "SELECT id, collection, author, state, reviewer FROM amis_change_sets WHERE id > ?", last_cs)
        assert len(new) == 1, new
        cs, collection, author, state, reviewer = new[0]
        assert (collection, author, state, reviewer) == ("sites", ADMIN, "approved", ADMIN)
        ops = rows(store, "SELECT operation, fid FROM amis_changes WHERE change_set = ? ORDER BY seq", cs)
        assert sorted(o for o, _ in ops) == ["delete", "delete", "insert", "insert", "replace", "replace", "replace"]
        assert {f for o, f in ops if o == "replace"} == {fids["S00001"], fids["S00002"], f10}
        assert {f for o, f in ops if o == "delete"} == {fids["S00003"], fids["S00004"]}
        audit = rows(store, "SELECT actor, action, subject, detail FROM amis_audit WHERE id > ? ORDER BY id", last_audit)
        assert (ADMIN, "import", "collection sites") in [a[:3] for a in audit], audit
        assert any(a[1] == "import" and f"change set {cs}," in a[3] and "by key 'code'" in a[3] for a in audit), audit

        after = table_rows(store)
        # Unchanged features: same fid, same row byte for byte, no new version.
        for code, fid in fids.items():
            if code in ("S00001", "S00002", "S00003", "S00004", "S00010"):
                continue
            assert after[fid] == before[fid], code
            assert versions(store, fid) in ([], [(0, "import", None, None)]), (code, versions(store, fid))
        # Changed ones: same fid, the file's content, a new version in the history.
        assert after[fids["S00001"]][3] == by["S00001"]["status"]
        assert after[fids["S00002"]][0] != before[fids["S00002"]][0]
        assert after[f10][2] == "site 10"
        for code, earlier in (("S00001", [(0, "import", None, None)]), ("S00002", [(0, "import", None, None)]),
                              ("S00010", [(0, "import", None, None), (1, "replace", api_cs, ADMIN)])):
            h = requests.get(f"{server.url}/collections/sites/items/{fids[code]}/history", timeout=30)
            assert h.status_code == 200, h.text
            got = [(f["version"]["number"], f["version"]["operation"], f["version"]["changeSet"],
                    f["version"]["author"]) for f in h.json()["features"]]
            assert got == earlier + [(len(earlier), "replace", cs, ADMIN)], (code, got)
            assert got == versions(store, fids[code])
        point = requests.get(f"{server.url}/collections/sites/items/{fids['S00002']}", timeout=30).json()
        assert point["geometry"]["coordinates"] == [120.5, 10.25]
        # Deleted ones: gone from the table, their history kept and closed by a delete.
        for code in ("S00003", "S00004"):
            assert fids[code] not in after
            assert versions(store, fids[code]) == [(0, "import", None, None), (1, "delete", cs, ADMIN)]
            assert requests.get(f"{server.url}/collections/sites/items/{fids[code]}", timeout=30).status_code == 404
        # New ones: inserted with new fids.
        for code in ("S90000", "S90001"):
            fid = fid_of(store, code)
            assert fid not in before and versions(store, fid) == [(1, "insert", cs, ADMIN)]  # the store numbers an insert 1
        assert rows(store, "SELECT count(*) FROM sites")[0][0] == 300
        if not on_postgis():  # the GeoPackage's registry and R-tree; PostgreSQL keeps its GiST index itself
            assert rows(store, "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'sites'") == [(300,)]
            assert rtree_check(store, "sites") == "ok"
        assert rows(store, "SELECT count(*) FROM rtree_sites_geom")[0][0] == rows(
            store, "SELECT count(*) FROM sites WHERE geom IS NOT NULL")[0][0]
    finally:
        server.stop()

    # The same file again changes nothing and records no change set.
    r = reimport(store, tmp / "v2.gpkg")
    assert r.returncode == 0 and "nothing to change" in r.stdout, (r.stdout, r.stderr)
    assert rows(store, "SELECT max(id) FROM amis_change_sets")[0][0] == cs


def test_reimport_refuses_missing_and_duplicated_keys_naming_them(keyed):
    store, v1, tmp = keyed
    snapshot = (table_rows(store), rows(store, "SELECT count(*) FROM amis_change_sets"),
                rows(store, "SELECT count(*) FROM amis_feature_versions"))

    twice = [dict(f) for f in v1] + [dict(v1[5]), dict(v1[6]), dict(v1[6])]
    write_points(tmp / "twice.gpkg", twice)
    r = reimport(store, tmp / "twice.gpkg")
    assert r.returncode == 1 and "S00005" in r.stderr and "S00006" in r.stderr and "S00007" not in r.stderr, r.stderr

    missing = [dict(f) for f in v1]
    missing[41]["code"] = None
    missing[99]["code"] = None
    write_points(tmp / "missing.gpkg", missing)
    r = reimport(store, tmp / "missing.gpkg")
    assert r.returncode == 1 and "feature 42" in r.stderr and "feature 100" in r.stderr, r.stderr

    r = amis("import", tmp / "twice.gpkg", "--collection", "sites", "--key", "no_such", "--as", ADMIN,
             "--store", store)
    assert r.returncode == 1 and "no_such" in r.stderr, r.stderr
    for who in (EDITOR, "nobody"):
        r = amis("import", tmp / "v1.gpkg", "--collection", "sites", "--key", "code", "--as", who, "--store", store)
        assert r.returncode == 1 and "administrator" in r.stderr, r.stderr
    r = amis("import", tmp / "v1.gpkg", "--collection", "sites", "--key", "code", "--store", store)
    assert r.returncode == 1 and "--as" in r.stderr, r.stderr

    assert (table_rows(store), rows(store, "SELECT count(*) FROM amis_change_sets"),
            rows(store, "SELECT count(*) FROM amis_feature_versions")) == snapshot
