"""Editing with QGIS 3.22 through WFS-T: a member state's editor saves an added feature,
a changed attribute and a deleted feature with the WFS provider (layer.dataProvider()
addFeatures / changeAttributeValues / deleteFeatures, as QGIS's editing buffer does on
Save), over a WFS 1.1.0 and a WFS 2.0.0 connection. Each call is one Transaction, and
each becomes a change set submitted for review: the store (read with sqlite3) holds the
change sets and their changes, and the published features are untouched until a reviewer
approves.

QGIS 3.22 authenticates to a WFS with a user name and password (HTTP Basic, its URI's
user/password or a Basic auth configuration); it has no way to send a bearer token (its
auth methods are Basic, EsriToken, PKI and Identity-Cert). The editor's API token is the
password, as for GitHub's or GitLab's Basic authentication; the account's own password is
refused (docs/editing.md)."""
from __future__ import annotations

import json
import contextlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from osgeo import ogr

from qgis_support import wfs_uri
from store_support import amis
from styles_support import copy_store
from support import AmisServer, connect_store, http_session, store_columns

EDITOR, PASSWORD = "idn-editor", "a password of the editor"
ADMIN = "secretariat"  # publishes at once ([editing] direct_publish)


@dataclass
class Editing:
    store: Path
    server: AmisServer
    token: str
    admin_token: str


@pytest.fixture(scope="module")
def editing(tmp_path_factory, store_path):
    """A server over a copy of the session store with an editor for Indonesia and an
    administrator whose edits are published at once."""
    work = tmp_path_factory.mktemp("qgis-editing")
    store = copy_store(store_path, work / "store.gpkg")
    r = amis("user", "add", EDITOR, "--role", "editor", "--country", "IDN", "--store", store, stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    r = amis("token", "create", EDITOR, "--store", store)
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip()
    r = amis("user", "add", ADMIN, "--role", "admin", "--store", store, stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    r = amis("token", "create", ADMIN, "--store", store)
    assert r.returncode == 0, r.stderr
    config = work / "amis.toml"
    config.write_text('[editing]\ndirect_publish = ["admin"]\n')
    server = AmisServer(store, work, name="qgis-editing", config=config)
    server.start()
    yield Editing(store, server, token, r.stdout.strip())
    alive = server.alive()
    status = server.stop()
    assert alive and status == 0, server.stderr()[-3000:]


def rows(store: Path, query: str, *params) -> list[tuple]:
    with contextlib.closing(connect_store(store)) as db:
        return db.execute(query, params).fetchall()


def mine_row(store: Path, fid: int) -> dict:
    cur_names = store_columns(store, "coal_mines")
    values = rows(store, "SELECT * FROM coal_mines WHERE fid = ?", fid)
    assert values, f"no coal mine {fid} in the store"
    return dict(zip(cur_names, values[0]))


def gpkg_geometry(blob: bytes) -> ogr.Geometry:
    """A GeoPackage geometry blob (GeoPackage 1.3, 2.1.3): header, envelope, WKB."""
    assert blob[:2] == b"GP", blob[:8]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(blob[3] >> 1) & 7]
    return ogr.CreateGeometryFromWkb(bytes(blob[8 + envelope:]))


def indonesian_mines(store: Path, skip: int, count: int) -> list[tuple[int, str]]:
    """(fid, gem_mine_id) of Indonesian mines whose GEM id no other mine shares (the test
    finds them in QGIS by that id) and that are not Shelved."""
    return rows(store, "SELECT fid, gem_mine_id FROM coal_mines WHERE iso3 = 'IDN' AND status <> 'Shelved' AND "
                       "gem_mine_id IN (SELECT gem_mine_id FROM coal_mines GROUP BY gem_mine_id HAVING count(*) = 1) "
                       "ORDER BY fid LIMIT ? OFFSET ?", count, skip)


def change_sets_after(store: Path, last: int) -> list[dict]:
    names = store_columns(store, "amis_change_sets")
    return [dict(zip(names, r)) for r in rows(store, "SELECT * FROM amis_change_sets WHERE id > ? ORDER BY id", last)]


def changes_of(store: Path, change_set: int) -> list[dict]:
    return [{"operation": op, "fid": fid, "geom": geom, "properties": json.loads(p) if p else None}
            for op, fid, geom, p in rows(store, "SELECT operation, fid, geom, properties FROM amis_changes "
                                                "WHERE change_set = ? ORDER BY seq", change_set)]


def last_change_set(store: Path) -> int:
    return rows(store, "SELECT coalesce(max(id), 0) FROM amis_change_sets")[0][0]


@pytest.mark.parametrize("version,skip,point", [("1.1.0", 0, (116.5, -1.0)), ("2.0.0", 3, (116.25, -0.75))])
def test_editor_saves_an_insert_an_update_a_move_and_a_delete(qgis, editing, version, skip, point):
    store = editing.store
    (changed_fid, changed_id), (moved_fid, moved_id), (deleted_fid, deleted_id) = indonesian_mines(store, skip, 3)
    before_changed, before_deleted = mine_row(store, changed_fid), mine_row(store, deleted_fid)
    before_moved = mine_row(store, moved_fid)
    old_point = gpkg_geometry(before_moved["geom"])
    moved_to = (round(old_point.GetX() + 0.125, 6), round(old_point.GetY() - 0.0625, 6))
    count_before = rows(store, "SELECT count(*) FROM coal_mines")[0][0]
    last = last_change_set(store)
    new_id = f"QGIS-{version}"

    uri = wfs_uri(editing.server.url + "/wfs", "amis:coal_mines", version, username=EDITOR, password=editing.token)
    result = qgis.run("edit_vector", provider="WFS", uri=uri,
                      add=[{"attributes": {"gem_mine_id": new_id, "mine_name": "Mine added in QGIS",
                                           "country": "Indonesia", "iso3": "IDN", "status": "Proposed"},
                            "wkt": f"Point ({point[0]} {point[1]})"}],
                      change={changed_id: {"status": "Shelved"}},
                      move={moved_id: f"Point ({moved_to[0]} {moved_to[1]})"}, delete=[deleted_id])
    assert result["valid"], result["error"]
    assert "Add Features" in result["capabilities"], result["capabilities"]
    assert [result.get(k) for k in ("add", "change", "move", "delete")] == [True] * 4, (
        f"QGIS could not save: {result['messages']} {result['provider_errors']}")

    sets = change_sets_after(store, last)
    assert [(s["collection"], s["author"], s["country"], s["state"]) for s in sets] == \
        [("coal_mines", EDITOR, "IDN", "submitted")] * 4, sets
    insert, update, move, delete = (changes_of(store, s["id"]) for s in sets)

    assert [c["operation"] for c in insert] == ["insert"]
    added = insert[0]["properties"]
    assert (added["gem_mine_id"], added["mine_name"], added["iso3"], added["status"]) == \
        (new_id, "Mine added in QGIS", "IDN", "Proposed")
    g = ogr.CreateGeometryFromWkb(bytes(insert[0]["geom"]))
    assert (g.GetX(), g.GetY()) == point, f"the added point is stored at {g.ExportToWkt()}"

    assert [(c["operation"], c["fid"]) for c in update] == [("replace", changed_fid)]
    expected = {k: v for k, v in before_changed.items() if k not in ("fid", "geom")}
    expected["status"] = "Shelved"
    assert update[0]["properties"] == expected, "the update changed more (or less) than the status"

    assert [(c["operation"], c["fid"]) for c in move] == [("replace", moved_fid)]
    g = ogr.CreateGeometryFromWkb(bytes(move[0]["geom"]))
    assert (g.GetX(), g.GetY()) == moved_to, f"the moved point is stored at {g.ExportToWkt()}"
    assert move[0]["properties"] == {k: v for k, v in before_moved.items() if k not in ("fid", "geom")}

    assert [(c["operation"], c["fid"]) for c in delete] == [("delete", deleted_fid)]

    # under review: nothing is published yet
    assert mine_row(store, changed_fid) == before_changed
    assert mine_row(store, deleted_fid) == before_deleted
    assert mine_row(store, moved_fid) == before_moved
    assert rows(store, "SELECT count(*) FROM coal_mines")[0][0] == count_before


@pytest.mark.parametrize("password", ["the account's password", "a revoked or made-up token"])
def test_wrong_credentials_save_nothing(qgis, editing, password):
    """QGIS with the account password or a token that is not the editor's: every save
    fails and no change set appears."""
    store = editing.store
    secret = PASSWORD if password.startswith("the account") else "amis_" + "x" * 43
    last = last_change_set(store)
    (changed_fid, changed_id), = indonesian_mines(store, 6, 1)
    uri = wfs_uri(editing.server.url + "/wfs", "amis:coal_mines", "1.1.0", username=EDITOR, password=secret)
    result = qgis.run("edit_vector", provider="WFS", uri=uri,
                      add=[{"attributes": {"gem_mine_id": "QGIS-refused", "iso3": "IDN"}, "wkt": "Point (116 -1)"}],
                      change={changed_id: {"status": "Shelved"}})
    assert result["valid"], result["error"]
    assert (result.get("add"), result.get("change")) == (False, False), result
    assert any("Unauthorized" in m for m in result["messages"]), result["messages"]
    assert change_sets_after(store, last) == []


def test_only_a_transaction_may_say_1_0_0(editing):
    """The 1.0.0 that QGIS writes into its Transactions is accepted there only: a GetFeature
    of version 1.0.0 (KVP or XML) is still refused, and a 1.0.0 Transaction without
    credentials is refused for them (401), not for its version."""
    url = editing.server.url + "/wfs"
    with http_session() as s:
        r = s.get(url, params={"SERVICE": "WFS", "VERSION": "1.0.0", "REQUEST": "GetFeature",
                               "TYPENAME": "amis:coal_mines"}, timeout=60)
        assert r.status_code == 400 and 'exceptionCode="InvalidParameterValue"' in r.text, r.text
        get_feature = ('<GetFeature xmlns="http://www.opengis.net/wfs" service="WFS" version="1.0.0">'
                       '<Query typeName="amis:coal_mines"/></GetFeature>')
        r = s.post(url, data=get_feature, headers={"Content-Type": "text/xml"}, timeout=60)
        assert r.status_code == 400 and 'exceptionCode="InvalidParameterValue"' in r.text, r.text
        delete = ('<Transaction xmlns="http://www.opengis.net/wfs" service="WFS" version="1.0.0">'
                  '<Delete typeName="amis:coal_mines"><Filter xmlns="http://www.opengis.net/ogc">'
                  '<FeatureId fid="coal_mines.1"/></Filter></Delete></Transaction>')
        last = last_change_set(editing.store)
        r = s.post(url, data=delete, headers={"Content-Type": "text/xml"}, timeout=60)
        assert r.status_code == 401, r.text
        assert change_sets_after(editing.store, last) == []


@pytest.mark.parametrize("version,skip", [("2.0.0", 8), ("1.1.0", 9)])
def test_a_published_edit_shows_when_the_layer_is_opened_again(qgis, editing, version, skip):
    """QGIS shows a mine, an administrator changes it in QGIS (published at once), and
    the same layer opened again shows the new value: QGIS must not answer the second
    GetFeature from its disk cache (Qt keeps HTTP answers across sessions and, for WFS,
    reuses one for the same URL unless the server forbids storing it)."""
    store = editing.store
    (fid, gem_id), = indonesian_mines(store, skip, 1)
    x, y = gpkg_geometry(mine_row(store, fid)["geom"]).GetPoint_2D()
    box = [x - 0.01, y - 0.01, x + 0.01, y + 0.01]
    reader = wfs_uri(editing.server.url + "/wfs", "amis:coal_mines", version, restrict_to_bbox=True)

    def status_in_qgis() -> str:
        layer = qgis.run("read_vector", provider="WFS", uri=reader, rect=box, count=False)
        found = [f["attributes"]["status"] for f in layer["features"] if f["attributes"]["gem_mine_id"] == gem_id]
        assert len(found) == 1, layer["features"]
        return found[0]

    before = status_in_qgis()
    assert before == mine_row(store, fid)["status"]
    new_status = "Mothballed" if before != "Mothballed" else "Operating"
    editor = wfs_uri(editing.server.url + "/wfs", "amis:coal_mines", version, username=ADMIN,
                     password=editing.admin_token)
    result = qgis.run("edit_vector", provider="WFS", uri=editor, change={gem_id: {"status": new_status}})
    assert result.get("change") is True, result["messages"]
    assert mine_row(store, fid)["status"] == new_status, "the administrator's change is not published"
    assert status_in_qgis() == new_status, "QGIS shows the feature as it was before the edit"


@pytest.mark.parametrize("version,dx", [("1.1.0", 0.0), ("2.0.0", 0.05)])
def test_editor_adds_a_polygon_with_a_hole(qgis, editing, version, dx):
    """A mine boundary drawn in QGIS (a polygon with a hole, in Kalimantan) is stored in its
    change set with the same rings: GML 3.1.1 in lat/lon order over 1.1.0, GML 2 in
    lon/lat over 2.0.0 (1.0.0 transactions)."""
    x0, y0 = 116.0 + dx, -1.0
    outer = [(x0, y0), (x0 + 0.02, y0), (x0 + 0.02, y0 + 0.02), (x0, y0 + 0.02), (x0, y0)]
    inner = [(x0 + 0.005, y0 + 0.005), (x0 + 0.005, y0 + 0.01), (x0 + 0.01, y0 + 0.01), (x0 + 0.01, y0 + 0.005),
             (x0 + 0.005, y0 + 0.005)]
    ring = lambda pts: "(" + ", ".join(f"{x!r} {y!r}" for x, y in pts) + ")"
    wkt = f"MultiPolygon (({ring(outer)}, {ring(inner)}))"
    last = last_change_set(editing.store)
    uri = wfs_uri(editing.server.url + "/wfs", "amis:coal_mine_boundaries", version, username=EDITOR,
                  password=editing.token)
    result = qgis.run("edit_vector", provider="WFS", uri=uri,
                      add=[{"attributes": {"mine_name": f"Boundary drawn in QGIS {version}", "country": "Indonesia",
                                           "iso3": "IDN"}, "wkt": wkt}])
    assert result["valid"], result["error"]
    assert result.get("add") is True, result["messages"]
    sets = change_sets_after(editing.store, last)
    assert [(s["collection"], s["state"]) for s in sets] == [("coal_mine_boundaries", "submitted")]
    (change,) = changes_of(editing.store, sets[0]["id"])
    stored = ogr.CreateGeometryFromWkb(bytes(change["geom"]))
    expected = ogr.CreateGeometryFromWkt(wkt)
    assert stored.GetGeometryCount() == 1 and stored.GetGeometryRef(0).GetGeometryCount() == 2, stored.ExportToWkt()
    assert stored.SymDifference(expected).GetArea() < 1e-15, f"stored {stored.ExportToWkt()}"
    assert change["properties"]["mine_name"] == f"Boundary drawn in QGIS {version}"


@pytest.mark.parametrize("version", ["1.1.0", "2.0.0"])
def test_editor_cannot_touch_another_countrys_mines(qgis, editing, version):
    """Indonesia's editor, in QGIS, changes and deletes Thai mines and adds one in Thailand:
    every save is refused with the server's reason, nothing is recorded, the rows are as
    they were."""
    store = editing.store
    (changed_fid, changed_id), (deleted_fid, deleted_id) = rows(
        store, "SELECT fid, gem_mine_id FROM coal_mines WHERE iso3 = 'THA' AND gem_mine_id IN "
               "(SELECT gem_mine_id FROM coal_mines GROUP BY gem_mine_id HAVING count(*) = 1) ORDER BY fid LIMIT 2")
    before = mine_row(store, changed_fid), mine_row(store, deleted_fid)
    last = last_change_set(store)
    uri = wfs_uri(editing.server.url + "/wfs", "amis:coal_mines", version, username=EDITOR, password=editing.token)
    result = qgis.run("edit_vector", provider="WFS", uri=uri,
                      add=[{"attributes": {"gem_mine_id": "QGIS-THA", "iso3": "THA", "country": "Thailand"},
                            "wkt": "Point (100.5 14.5)"}],
                      change={changed_id: {"status": "Shelved"}}, delete=[deleted_id])
    assert result["valid"], result["error"]
    assert [result.get(k) for k in ("add", "change", "delete")] == [False, False, False], result
    refusals = [m for m in result["messages"] if "exception report" in m]
    assert len(refusals) == 3 and all("THA" in m or "Thailand" in m or "country" in m for m in refusals), refusals
    assert change_sets_after(store, last) == []
    assert (mine_row(store, changed_fid), mine_row(store, deleted_fid)) == before
