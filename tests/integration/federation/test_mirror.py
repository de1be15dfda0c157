"""Mirroring (issue 16): a national node's collection copied into the regional store as a
read-only collection, kept current by `amis node sync` (and after each scheduled harvest):
only the features changed at the node are rewritten (one change set authored by the node),
a re-run with no change writes nothing, a feature deleted at the node is deleted here, and
people cannot edit the mirror (409).

Oracles: the national node read directly by GDAL's OAPIF driver; the regional store's tables
read with sqlite3/psycopg2 (store_support)."""
from __future__ import annotations

import math

import pytest
import requests
from osgeo import gdal

import store_support
import support
from cascade_support import SITES, admin_headers, cascading_config, serve_national
from federation_support import build_regional_store, harvest, node, start


@pytest.fixture(scope="module")
def national(tmp_path_factory, amis_bin):
    yield from serve_national(tmp_path_factory.mktemp("mirror-national"))


@pytest.fixture(scope="module")
def regional(tmp_path_factory, amis_bin, national):
    work = tmp_path_factory.mktemp("mirror-regional")
    store = build_regional_store(work)
    done, _ = node(store, "add", "idn", national.url + "/", "--kind", "oapif", "--country", "IDN",
                   "--schedule", "off")
    assert done.returncode == 0, done.stderr
    assert harvest(store, "idn")[0] == 0
    done, doc = node(store, "publish", "idn", "sites", "--collection", "idn_sites_copy", "--mode", "mirror")
    assert done.returncode == 0 and doc["mode"] == "mirror" and doc["synced"], done.stdout + done.stderr
    return store


def source(url: str) -> dict[str, dict]:
    """name -> {properties, x, y} of the national collection, read with GDAL's OAPIF driver."""
    ds = gdal.OpenEx(f"OAPIF:{url}/collections/sites", gdal.OF_VECTOR | gdal.OF_READONLY)
    assert ds is not None, gdal.GetLastErrorMsg()
    out = {}
    for f in ds.GetLayer(0):
        g = f.GetGeometryRef()
        out[f.GetField("name")] = {"commodity": f.GetField("commodity"), "tonnes": f.GetField("tonnes"),
                                   "grade": f.GetField("grade"), "x": g.GetX(), "y": g.GetY()}
    return out


def mirrored(store) -> dict[str, dict]:
    """name -> {properties, x, y} of the mirror, read from the regional store with OGR."""
    return {f.properties["name"]: {"commodity": f.properties["commodity"], "tonnes": f.properties["tonnes"],
                                   "grade": f.properties["grade"], "x": f.geometry.GetX(), "y": f.geometry.GetY()}
            for f in support.read_features(store, "idn_sites_copy")}


def same(a: dict[str, dict], b: dict[str, dict]) -> None:
    assert set(a) == set(b)
    for name, f in a.items():
        for k in ("commodity", "tonnes"):
            assert f[k] == b[name][k], (name, k)
        for k in ("grade", "x", "y"):
            assert math.isclose(f[k], b[name][k], abs_tol=1e-9), (name, k)


def change_sets(store) -> int:
    return store_support.rows(store, "SELECT COUNT(*) FROM amis_change_sets WHERE collection = ?",
                              "idn_sites_copy")[0][0]


def sync(store) -> dict:
    done, report = node(store, "sync", "idn_sites_copy")
    assert done.returncode == 0 and report is not None, done.stdout + done.stderr
    return report


def test_the_first_copy_equals_the_source(regional, national):
    same(mirrored(regional), source(national.url))
    assert len(mirrored(regional)) == SITES


def test_an_unchanged_rerun_writes_nothing(regional):
    before = change_sets(regional)
    digests = store_support.table_digests(regional, ["amis_mirrored", "amis_feature_versions"])
    report = sync(regional)
    assert report["unchanged"] == SITES and report["added"] == report["updated"] == report["deleted"] == 0, report
    assert report["changeSet"] is None
    assert change_sets(regional) == before
    assert store_support.table_digests(regional, ["amis_mirrored", "amis_feature_versions"]) == digests


def test_a_changed_and_a_deleted_feature_are_detected(regional, national):
    items = requests.get(f"{national.url}/collections/sites/items?f=json&limit=3", timeout=30).json()["features"]
    changed, deleted = items[0], items[1]
    changed["properties"]["tonnes"] = 123456
    changed["geometry"]["coordinates"] = [111.5, -6.25]
    body = {"type": "Feature", "geometry": changed["geometry"], "properties": changed["properties"]}
    r = requests.put(f"{national.url}/collections/sites/items/{changed['id']}", json=body, headers=admin_headers(),
                     timeout=30)
    assert r.status_code in (200, 204), r.text
    r = requests.delete(f"{national.url}/collections/sites/items/{deleted['id']}", headers=admin_headers(), timeout=30)
    assert r.status_code in (200, 204), r.text
    expected = source(national.url)
    assert len(expected) == SITES - 1 and expected[changed["properties"]["name"]]["tonnes"] == 123456
    report = sync(regional)
    assert (report["updated"], report["deleted"], report["added"]) == (1, 1, 0), report
    assert report["unchanged"] == SITES - 2 and report["changeSet"]
    same(mirrored(regional), expected)
    # the change set is the node's, and the history of the changed feature has the copy
    author = store_support.rows(regional, "SELECT author FROM amis_change_sets WHERE id = ?", report["changeSet"])
    assert author == [("node:idn",)]
    assert sync(regional)["changeSet"] is None  # and again nothing


def test_people_cannot_edit_a_mirror(tmp_path, regional):
    server = start(regional, tmp_path / "logs", "regional-edit", cascading_config(tmp_path))
    try:
        fid = requests.get(f"{server.url}/collections/idn_sites_copy/items?f=json&limit=1",
                           timeout=30).json()["features"][0]["id"]
        r = requests.delete(f"{server.url}/collections/idn_sites_copy/items/{fid}", headers=admin_headers(),
                            timeout=30)
        assert r.status_code == 409, r.text
        assert "idn" in r.json()["description"]
        r = requests.post(f"{server.url}/collections/idn_sites_copy/items", headers=admin_headers(), json={
            "type": "Feature", "geometry": {"type": "Point", "coordinates": [110, 0]},
            "properties": {"name": "x", "commodity": "Ni", "tonnes": 1, "grade": 1.0}}, timeout=30)
        assert r.status_code == 409, r.text
    finally:
        server.stop()


def test_the_admin_api_lists_and_copies_mirrors(tmp_path, regional):
    server = start(regional, tmp_path / "logs", "regional-admin", cascading_config(tmp_path))
    try:
        assert requests.get(f"{server.url}/admin/publications", timeout=30).status_code == 401
        listed = requests.get(f"{server.url}/admin/publications", headers=admin_headers(), timeout=30)
        assert listed.status_code == 200, listed.text
        (only,) = listed.json()["publications"]
        assert (only["collection"], only["node"], only["mode"]) == ("idn_sites_copy", "idn", "mirror")
        r = requests.post(f"{server.url}/admin/publications/idn_sites_copy/sync", headers=admin_headers(), timeout=60)
        assert r.status_code == 200, r.text
        assert r.json()["unchanged"] == SITES - 1 and r.json()["changeSet"] is None
        r = requests.post(f"{server.url}/admin/nodes/idn/publish", headers=admin_headers(), timeout=60,
                          json={"sourceId": "sites", "collection": "idn_sites_copy"})
        assert r.status_code == 409, r.text
        r = requests.post(f"{server.url}/admin/nodes/idn/publish", headers=admin_headers(), timeout=60,
                          json={"sourceId": "nowhere", "collection": "idn_nowhere"})
        assert r.status_code == 404, r.text
    finally:
        server.stop()


def test_unpublishing_a_mirror_removes_its_copy(regional):
    done, _ = node(regional, "unpublish", "idn_sites_copy")
    assert done.returncode == 0, done.stderr
    assert store_support.rows(regional, "SELECT COUNT(*) FROM amis_mirrored")[0][0] == 0
    done, doc = node(regional, "published")
    assert doc == []
