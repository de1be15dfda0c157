"""Reverting an approved change set (POST /changesets/{id}/revert) on a store and a server
of their own: the revert is a new change set that deletes what the original inserted,
gives replaced features their previous content back and restores deleted ones under
their own fid; it goes through review like any other (or is published at once for the
roles of [editing] direct_publish).

Oracles, none of them AMIS's own output:
- a full dump, read with sqlite3 (read-only), of the feature table (every column, the
  geometry blobs byte for byte, the fids and the storage class of every value), of its
  R-tree and of gpkg_ogr_contents, taken before the original change set and compared
  with the dump after the revert's approval;
- the original rows kept here, compared with what amis_changes holds for the revert;
- digests of amis_change_sets, amis_changes, amis_feature_versions and amis_audit, to
  see that a refused revert records nothing.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from osgeo import ogr

import styles_support as ss
from support import AMIS_BIN, AmisServer, http_session, on_postgis
from store_support import add_users, amis, error, last_audit_id, ro, rows, table_digests

ogr.UseExceptions()

PASSWORD = "correct horse battery staple"
ADMIN, REVIEWER, REVIEWER2 = "secretariat", "expert", "expert-two"
IDN_EDITOR, VNM_EDITOR = "idn-editor", "vnm-editor"
USERS = {ADMIN: ("admin", None), REVIEWER: ("reviewer", None), REVIEWER2: ("reviewer", None),
         IDN_EDITOR: ("editor", "IDN"), VNM_EDITOR: ("editor", "VNM")}

GEOJSON = "application/geo+json"
MERGE_PATCH = "application/merge-patch+json"
JSON = "application/json"

CONFIG = """\
[server]
log_level = "info"

[editing]
country_property = "iso3"
boundaries = "countries"

[editing.collections.mine_facilities]
direct_publish = ["admin"]

[editing.collections.coal_mine_boundaries]
country_property = "country"
"""

IN_JAVA = (110.4, -7.3)  # Central Java, Indonesia

# What a refused revert must leave alone.
RECORDS = ("amis_change_sets", "amis_changes", "amis_feature_versions", "amis_audit", "coal_mines",
           "mine_facilities", "observations", "coal_mine_boundaries")


# --------------------------------------------------------------------------- the store, read directly



def dump(store: Path, table: str) -> dict[str, Any]:
    """Everything a reader of the GeoPackage sees of a collection: the column names, every
    row in fid order with Python's type of each value (int/float/str/bytes/None, so the
    storage class counts), the R-tree rows and the count of gpkg_ogr_contents."""
    with ro(store) as db:
        cur = db.execute(f'SELECT * FROM "{table}" ORDER BY fid')
        names = [d[0] for d in cur.description]
        table_rows = [tuple((type(v).__name__, v) for v in r) for r in cur.fetchall()]
        rtree = db.execute(f'SELECT * FROM "rtree_{table}_geom" ORDER BY id').fetchall()
        ogr_count = [] if on_postgis() else db.execute(  # OGR's count cache: the GeoPackage's
            "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = ?", (table,)).fetchall()
    return {"columns": names, "rows": table_rows, "rtree": rtree, "ogr_count": ogr_count}


def assert_same_dump(got: dict, want: dict, what: str) -> None:
    assert got["columns"] == want["columns"], what
    g = {r[0][1]: r for r in got["rows"]}
    w = {r[0][1]: r for r in want["rows"]}
    extra, missing = sorted(set(g) - set(w)), sorted(set(w) - set(g))
    differing = [fid for fid in sorted(set(g) & set(w)) if g[fid] != w[fid]]
    details = {fid: [(name, a, b) for name, a, b in zip(got["columns"], g[fid], w[fid]) if a != b]
               for fid in differing[:3]}
    assert not extra and not missing and not differing, (
        f"{what}: fids not there before {extra}, fids lost {missing}, rows that differ {differing} "
        f"(column, now, before): {details}")
    assert got["rows"] == want["rows"], what
    assert got["rtree"] == want["rtree"], f"{what}: the R-tree differs"
    assert got["ogr_count"] == want["ogr_count"], f"{what}: gpkg_ogr_contents differs"


def snapshot(store: Path, tables=RECORDS) -> dict[str, str]:
    """table -> SHA-256 of all its rows in rowid order."""
    return table_digests(store, tables)


def raw_row(store: Path, table: str, fid: int) -> dict | None:
    with ro(store) as db:
        cur = db.execute(f'SELECT * FROM "{table}" WHERE fid = ?', (fid,))
        names = [d[0] for d in cur.description]
        r = cur.fetchone()
    return None if r is None else dict(zip(names, r))


def gpkg_wkb(blob: bytes | None) -> bytes | None:
    """The WKB of a GeoPackage geometry blob (GP header and envelope stripped)."""
    if blob is None:
        return None
    blob = bytes(blob)
    assert blob[:2] == b"GP", blob[:8]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(blob[3] >> 1) & 7]
    return blob[8 + envelope:]


def change_set_row(store: Path, cs: int) -> dict:
    with ro(store) as db:
        cur = db.execute("SELECT * FROM amis_change_sets WHERE id = ?", (cs,))
        names = [d[0] for d in cur.description]
        r = cur.fetchone()
    assert r is not None, f"no change set {cs} in amis_change_sets"
    return dict(zip(names, r))


def changes_of(store: Path, cs: int) -> list[dict]:
    with ro(store) as db:
        cur = db.execute("SELECT seq, operation, fid, geom, properties FROM amis_changes WHERE change_set = ? "
                         "ORDER BY seq", (cs,))
        names = [d[0] for d in cur.description]
        out = [dict(zip(names, r)) for r in cur.fetchall()]
    for c in out:
        c["properties"] = None if c["properties"] is None else json.loads(c["properties"])
    return out


def audit_since(store: Path, after_id: int) -> list[tuple]:
    return rows(store, "SELECT actor, action, subject FROM amis_audit WHERE id > ? ORDER BY id", after_id)



def point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def new_mine(name: str, lonlat=IN_JAVA, **properties) -> dict:
    return {"type": "Feature", "geometry": point(*lonlat),
            "properties": {"mine_name": name, "status": "Proposed", "iso3": "IDN", **properties}}


# --------------------------------------------------------------------------- the server



@dataclass
class Env:
    store: Path
    server: AmisServer
    s: requests.Session
    tokens: dict[str, str]
    used: set = field(default_factory=set)

    @property
    def url(self) -> str:
        return self.server.url

    def call(self, method: str, path: str, user: str | None = None, body: Any = None,
             content_type: str | None = None, headers: dict | None = None, params: dict | None = None
             ) -> requests.Response:
        data = body if body is None or isinstance(body, (bytes, str)) else json.dumps(body)
        h = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        if data is not None:
            h["Content-Type"] = content_type or JSON
        h.update(headers or {})
        return self.s.request(method, self.url + path, data=data, headers=h, params=params, timeout=60)

    def write(self, method: str, user: str, fid: int | None = None, body: Any = None,
              collection: str = "coal_mines", **kw) -> requests.Response:
        path = f"/collections/{collection}/items" + ("" if fid is None else f"/{fid}")
        ctype = None if method == "DELETE" else MERGE_PATCH if method == "PATCH" else GEOJSON
        return self.call(method, path, user, body, ctype, **kw)

    def act(self, cs: int, action: str, user: str | None, comment: str | None = None) -> requests.Response:
        return self.call("POST", f"/changesets/{cs}/{action}", user, None if comment is None else {"comment": comment})

    def fresh(self, n: int = 1, collection: str = "coal_mines", where: str = "iso3 = 'IDN'") -> list[int]:
        fids = [r[0] for r in rows(self.store, f'SELECT fid FROM "{collection}" WHERE {where} AND geom IS NOT NULL '
                                               "ORDER BY fid") if (collection, r[0]) not in self.used]
        assert len(fids) >= n, f"no more untouched features in {collection}"
        self.used.update((collection, f) for f in fids[:n])
        return fids[:n]

    def draft(self, user: str, collection: str = "coal_mines") -> int:
        r = self.call("POST", "/changesets", user, {"collection": collection})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def add(self, cs: int, method: str, user: str, fid: int | None = None, body: Any = None,
            collection: str = "coal_mines") -> None:
        r = self.write(method, user, fid, body, collection, params={"changeset": cs})
        assert r.status_code == 202, r.text

    def submit(self, cs: int, user: str) -> None:
        r = self.act(cs, "submit", user)
        assert r.status_code == 200 and r.json()["state"] == "submitted", r.text

    def approve(self, cs: int, user: str = REVIEWER2) -> dict:
        r = self.act(cs, "approve", user, "ok")
        assert r.status_code == 200, r.text
        assert r.json()["state"] == "approved", r.text
        return r.json()

    def one_write(self, method: str, user: str, fid: int | None = None, body: Any = None,
                  collection: str = "coal_mines") -> int:
        """A write without ?changeset=: its own submitted change set."""
        r = self.write(method, user, fid, body, collection)
        assert r.status_code == 202, r.text
        return r.json()["changeSet"]["id"]

    def revert(self, cs: int, user: str) -> dict:
        r = self.act(cs, "revert", user)
        assert r.status_code in (200, 201), r.text
        assert r.headers["Content-Type"].startswith("application/json")
        return r.json()

    def history(self, fid: int, collection: str = "coal_mines") -> list[dict]:
        r = self.s.get(f"{self.url}/collections/{collection}/items/{fid}/history", timeout=60)
        assert r.status_code == 200, r.text
        return r.json()["features"]


@pytest.fixture(scope="module")
def env(tmp_path_factory, store_path):
    work = tmp_path_factory.mktemp("revert")
    store = ss.copy_store(store_path, work / "store.gpkg")
    tokens = add_users(store, USERS, PASSWORD)
    config = work / "amis.toml"
    config.write_text(CONFIG)
    srv = AmisServer(store, work, name="revert", config=config)
    srv.start()
    with http_session() as s:
        yield Env(store, srv, s, tokens)
    alive = srv.alive()
    status = srv.stop()
    assert alive, f"amis serve died during the revert tests:\n{srv.stderr()}"
    assert status == 0, srv.stderr()



def mixed_change_set(env: Env, author: str = REVIEWER, approver: str = REVIEWER2) -> dict:
    """An approved change set of three changes to coal_mines: an insert, a replace (PATCH of
    the geometry and three properties) and a delete; returns its id, the fids and the
    rows as they were."""
    f_replace, f_delete = env.fresh(2)
    original = {f: raw_row(env.store, "coal_mines", f) for f in (f_replace, f_delete)}
    cs = env.draft(author)
    env.add(cs, "POST", author, body=new_mine("Revert pit", (110.41, -7.29), capacity_mtpa=3.25, opening_year=2031))
    env.add(cs, "PATCH", author, f_replace, {"geometry": point(110.77, -7.11),
                                             "properties": {"status": "Closed", "capacity_mtpa": 9.5, "owners": None}})
    env.add(cs, "DELETE", author, f_delete)
    env.submit(cs, author)
    env.approve(cs, approver)
    inserted = changes_of(env.store, cs)[0]["fid"]
    assert isinstance(inserted, int) and inserted not in (f_replace, f_delete)
    # The change set is published: the oracle sees it in the table.
    assert raw_row(env.store, "coal_mines", inserted)["mine_name"] == "Revert pit"
    assert raw_row(env.store, "coal_mines", f_replace)["status"] == "Closed"
    assert raw_row(env.store, "coal_mines", f_delete) is None
    return {"cs": cs, "inserted": inserted, "replaced": f_replace, "deleted": f_delete, "original": original}


# --------------------------------------------------------------------------- the main case


def test_revert_of_insert_replace_and_delete_restores_the_table_exactly(env):
    before = dump(env.store, "coal_mines")
    etags = {}
    for fid in env.fresh(2):  # the next two untouched features: mixed_change_set takes them
        env.used.discard(("coal_mines", fid))
        etags[fid] = env.s.get(f"{env.url}/collections/coal_mines/items/{fid}", timeout=30).headers["ETag"]
    m = mixed_change_set(env)
    cs, inserted, replaced, deleted = m["cs"], m["inserted"], m["replaced"], m["deleted"]
    assert set(etags) == {replaced, deleted}
    after_cs = dump(env.store, "coal_mines")
    assert after_cs["rows"] != before["rows"] and after_cs["rtree"] != before["rtree"]
    audit0 = last_audit_id(env.store)

    rv = env.revert(cs, REVIEWER)
    new = rv["id"]
    assert new != cs and isinstance(new, int)
    assert (rv["state"], rv["author"], rv["collection"], rv["changes"]) == ("submitted", REVIEWER, "coal_mines", 3), rv
    row = change_set_row(env.store, new)
    assert (row["state"], row["author"], row["collection"]) == ("submitted", REVIEWER, "coal_mines")
    assert change_set_row(env.store, cs)["state"] == "approved"  # the original stays approved
    # A submitted revert publishes nothing.
    assert_same_dump(dump(env.store, "coal_mines"), after_cs, "after the revert was submitted")

    # What the revert holds: the inverse of each change, with the original content.
    changes = {(c["operation"], c["fid"]): c for c in changes_of(env.store, new)}
    assert set(changes) == {("delete", inserted), ("replace", replaced), ("insert", deleted)}, changes.keys()
    for op, fid in (("replace", replaced), ("insert", deleted)):
        orig = m["original"][fid]
        stored = changes[(op, fid)]
        assert stored["properties"] == {k: v for k, v in orig.items() if k not in ("fid", "geom")}, (op, fid)
        assert bytes(stored["geom"]) == gpkg_wkb(orig["geom"]), (op, fid)

    # The audit log says who reverted what.
    entries = audit_since(env.store, audit0)
    assert (REVIEWER, "revert", f"change set {cs}") in entries, entries
    r = env.call("GET", "/audit", ADMIN, params={"limit": 10})
    assert r.status_code == 200, r.text
    assert any((e["actor"], e["action"], e["subject"]) == (REVIEWER, "revert", f"change set {cs}")
               for e in r.json()["entries"]), r.json()

    # The reviewer who asked for it may not approve it; another reviewer does.
    error(env.act(new, "approve", REVIEWER, "ok"), 403)
    env.approve(new, REVIEWER2)
    assert change_set_row(env.store, new)["state"] == "approved"
    assert_same_dump(dump(env.store, "coal_mines"), before, "after the revert's approval")

    # Readers see it, and the history keeps every step.
    assert env.s.get(f"{env.url}/collections/coal_mines/items/{inserted}", timeout=30).status_code == 404
    served = env.s.get(f"{env.url}/collections/coal_mines/items/{deleted}", timeout=30)
    assert served.status_code == 200
    assert served.json()["properties"]["mine_name"] == m["original"][deleted]["mine_name"]
    # The same content, so the same strong ETag as before the original change set.
    for fid, etag in etags.items():
        assert env.s.get(f"{env.url}/collections/coal_mines/items/{fid}", timeout=30).headers["ETag"] == etag, fid

    h = env.history(deleted)
    assert [(v["version"]["number"], v["version"]["operation"], v["version"]["changeSet"]) for v in h[:2]] == [
        (0, "import", None), (1, "delete", cs)]
    assert len(h) == 3 and h[2]["version"]["number"] == 2 and h[2]["version"]["changeSet"] == new
    assert h[2]["version"]["author"] == REVIEWER
    assert h[2]["properties"] == h[0]["properties"] and h[2]["geometry"] == h[0]["geometry"]
    h = env.history(replaced)
    assert [(v["version"]["number"], v["version"]["operation"], v["version"]["changeSet"]) for v in h] == [
        (0, "import", None), (1, "replace", cs), (2, "replace", new)]
    assert h[2]["properties"] == h[0]["properties"] and h[2]["geometry"] == h[0]["geometry"]
    assert h[1]["properties"]["status"] == "Closed"
    h = env.history(inserted)
    assert [(v["version"]["number"], v["version"]["operation"], v["version"]["changeSet"]) for v in h] == [
        (1, "insert", cs), (2, "delete", new)]

    # The original cannot be reverted a second time: its features changed since (by the revert).
    before_again = snapshot(env.store)
    error(env.act(cs, "revert", REVIEWER2), 409, "Conflict")
    assert snapshot(env.store) == before_again


def test_reverting_the_revert_reapplies_the_original(env):
    before = dump(env.store, "coal_mines")
    m = mixed_change_set(env, author=IDN_EDITOR, approver=REVIEWER)
    after_cs = dump(env.store, "coal_mines")
    # A change written on top of the original, still pending when the revert is approved.
    pending = env.one_write("PATCH", IDN_EDITOR, m["inserted"], {"properties": {"status": "Operating"}})
    first = env.revert(m["cs"], REVIEWER)["id"]
    env.approve(first, REVIEWER2)
    assert_same_dump(dump(env.store, "coal_mines"), before, "after the revert")
    snap = snapshot(env.store)
    d = error(env.act(pending, "approve", REVIEWER), 409, "Conflict")  # its feature is gone
    assert f"feature {m['inserted']}" in d["description"], d
    assert snapshot(env.store) == snap

    audit0 = last_audit_id(env.store)
    rr = env.revert(first, ADMIN)  # administrators revert too
    assert (rr["state"], rr["author"], rr["changes"]) == ("submitted", ADMIN, 3), rr
    assert_same_dump(dump(env.store, "coal_mines"), before, "after the second revert was submitted")
    assert (ADMIN, "revert", f"change set {first}") in audit_since(env.store, audit0)
    changes = {(c["operation"], c["fid"]) for c in changes_of(env.store, rr["id"])}
    assert changes == {("insert", m["inserted"]), ("replace", m["replaced"]), ("delete", m["deleted"])}
    env.approve(rr["id"], REVIEWER)
    # The inserted feature is back under its own fid, the others as the original left them.
    assert_same_dump(dump(env.store, "coal_mines"), after_cs, "after the revert of the revert")
    h = env.history(m["inserted"])
    assert [(v["version"]["number"], v["version"]["operation"], v["version"]["changeSet"]) for v in h] == [
        (1, "insert", m["cs"]), (2, "delete", first), (3, "insert", rr["id"])]
    assert h[2]["properties"] == h[0]["properties"]


# --------------------------------------------------------------------------- refusals


def test_only_approved_change_sets_are_reverted(env):
    f1, f2, f3, f4 = env.fresh(4)
    draft = env.draft(IDN_EDITOR)
    env.add(draft, "PATCH", IDN_EDITOR, f1, {"properties": {"status": "Closed"}})
    submitted = env.one_write("PATCH", IDN_EDITOR, f2, {"properties": {"status": "Closed"}})
    rejected = env.one_write("PATCH", IDN_EDITOR, f3, {"properties": {"status": "Closed"}})
    assert env.act(rejected, "reject", REVIEWER, "no source").status_code == 200
    approved = env.one_write("PATCH", IDN_EDITOR, f4, {"properties": {"status": "Closed"}})
    env.approve(approved, REVIEWER)
    pending_revert = env.revert(approved, REVIEWER)["id"]  # itself submitted, not approved
    empty = env.draft(REVIEWER)
    before = snapshot(env.store)
    for cs, state in ((draft, "draft"), (submitted, "submitted"), (rejected, "rejected"),
                      (pending_revert, "submitted"), (empty, "draft")):
        for user in (REVIEWER2, ADMIN):
            d = error(env.act(cs, "revert", user), 409, "Conflict")
            assert state in d["description"], d
    for cs in ("99999999", "abc"):
        error(env.call("POST", f"/changesets/{cs}/revert", REVIEWER), 404)
    assert snapshot(env.store) == before
    error(env.call("GET", f"/changesets/{approved}/revert", REVIEWER), 405)


def test_revert_is_refused_when_a_feature_changed_again(env):
    # A replaced feature changed again by a later approved change set.
    f = env.fresh(1)[0]
    original = raw_row(env.store, "coal_mines", f)
    first = env.one_write("PATCH", REVIEWER, f, {"properties": {"status": "Mothballed"}})
    env.approve(first)
    second = env.one_write("PATCH", IDN_EDITOR, f, {"properties": {"capacity_mtpa": 4.75}})
    env.approve(second, REVIEWER)
    before = snapshot(env.store)
    d = error(env.act(first, "revert", REVIEWER2), 409, "Conflict")
    assert f"feature {f}" in d["description"], d
    assert snapshot(env.store) == before
    # The later one is reverted (it is the last change): back to the first's content.
    rv = env.revert(second, REVIEWER2)["id"]
    env.approve(rv, REVIEWER)
    assert raw_row(env.store, "coal_mines", f) == {**original, "status": "Mothballed"}

    # An inserted feature deleted by a later change set.
    ins = env.one_write("POST", REVIEWER, body=new_mine("short-lived pit"))
    env.approve(ins)
    new_fid = changes_of(env.store, ins)[0]["fid"]
    env.approve(env.one_write("DELETE", IDN_EDITOR, new_fid), REVIEWER)
    before = snapshot(env.store)
    d = error(env.act(ins, "revert", REVIEWER2), 409, "Conflict")
    assert f"feature {new_fid}" in d["description"], d
    assert snapshot(env.store) == before


def test_a_partly_changed_change_set_is_not_reverted_at_all(env):
    """Two features; only the second changed again: 409, and the first is not reverted either."""
    f1, f2 = env.fresh(2)
    cs = env.draft(REVIEWER)
    env.add(cs, "PATCH", REVIEWER, f1, {"properties": {"status": "Shelved"}})
    env.add(cs, "PATCH", REVIEWER, f2, {"properties": {"status": "Shelved"}})
    env.submit(cs, REVIEWER)
    env.approve(cs)
    env.approve(env.one_write("PATCH", IDN_EDITOR, f2, {"properties": {"owners": "PT Later"}}), REVIEWER)
    before = snapshot(env.store)
    table = dump(env.store, "coal_mines")
    d = error(env.act(cs, "revert", ADMIN), 409, "Conflict")
    assert f"feature {f2}" in d["description"] and f"feature {f1}" not in d["description"], d
    assert snapshot(env.store) == before
    assert_same_dump(dump(env.store, "coal_mines"), table, "after a refused revert")


@pytest.mark.parametrize("user, status", [(IDN_EDITOR, 403), (VNM_EDITOR, (403, 404)), (None, 401),
                                          ("forged", 401)])
def test_who_may_not_revert(env, user, status):
    f = env.fresh(1)[0]
    cs = env.one_write("PATCH", IDN_EDITOR, f, {"properties": {"status": "Closed"}})
    env.approve(cs, REVIEWER)
    before = snapshot(env.store)
    headers = {"Authorization": "Bearer amis_" + "A" * 43} if user == "forged" else None
    r = env.call("POST", f"/changesets/{cs}/revert", None if user == "forged" else user, headers=headers)
    if isinstance(status, tuple):  # another editor's change set: hidden (404) or forbidden (403)
        assert r.status_code in status, (r.status_code, r.text)
        status = r.status_code
    error(r, status)
    if r.status_code == 401:
        assert r.headers.get("WWW-Authenticate", "").lower().startswith("bearer"), r.headers
    assert snapshot(env.store) == before
    # The same change set is reverted by an administrator.
    rv = env.revert(cs, ADMIN)
    assert rv["state"] == "submitted" and rv["author"] == ADMIN


# --------------------------------------------------------------------------- direct publication


def test_revert_is_published_at_once_for_direct_publish_roles(env):
    """mine_facilities publishes an administrator's writes at once: so is their revert; a
    reviewer's revert of the same collection goes through review."""
    table = "mine_facilities"
    before = dump(env.store, table)
    mf1, mf2 = env.fresh(2, table)

    def published(method, fid=None, body=None):
        r = env.write(method, ADMIN, fid, body, table)
        assert r.status_code in (200, 201) and r.json()["published"] is True, r.text
        cs = r.json()["changeSet"]
        assert cs["state"] == "approved", r.text
        return cs["id"]

    patched = published("PATCH", mf1, {"properties": {"comment": "verified on site", "production_start": 1999}})
    deleted = published("DELETE", mf2)
    inserted = published("POST", body={"type": "Feature", "geometry": {"type": "MultiPoint",
                                                                          "coordinates": [[110.6, -7.4]]},
                                       "properties": {"facility_name": "Depot to undo", "iso3": "IDN"}})
    new_fid = changes_of(env.store, inserted)[0]["fid"]
    assert raw_row(env.store, table, new_fid) is not None and raw_row(env.store, table, mf2) is None

    # A reviewer's revert waits for review.
    rv = env.revert(patched, REVIEWER)
    assert rv["state"] == "submitted", rv
    assert raw_row(env.store, table, mf1)["comment"] == "verified on site"
    env.approve(rv["id"], ADMIN)
    # An administrator's is published at once.
    for cs in (deleted, inserted):
        rv = env.revert(cs, ADMIN)
        assert rv["state"] == "approved" and rv["reviewer"] == ADMIN, rv
        assert change_set_row(env.store, rv["id"])["state"] == "approved"
    assert_same_dump(dump(env.store, table), before, "after the reverts")
    assert [v["version"]["operation"] for v in env.history(mf2, table)][:2] == ["import", "delete"]
    assert len(env.history(mf2, table)) == 3


# --------------------------------------------------------------------------- other kinds of columns


def test_revert_restores_polygons_and_date_times_exactly(env):
    """coal_mine_boundaries (MULTIPOLYGON) and observations (a date-time column): a replace
    and a delete in each (and a geometry removed), reverted, equal the rows before byte for
    byte, R-trees included."""
    b1, b2 = env.fresh(2, "coal_mine_boundaries", "1 = 1")
    o1, o2, o3 = env.fresh(3, "observations", "observed IS NOT NULL")
    dumps = {t: dump(env.store, t) for t in ("coal_mine_boundaries", "observations")}
    ring = [[110.0, -7.0], [110.2, -7.0], [110.2, -6.8], [110.0, -6.8], [110.0, -7.0]]
    cs_b = env.draft(REVIEWER, "coal_mine_boundaries")
    env.add(cs_b, "PATCH", REVIEWER, b1, {"geometry": {"type": "MultiPolygon", "coordinates": [[ring]]},
                                          "properties": {"iso3": "IDN"}}, "coal_mine_boundaries")
    env.add(cs_b, "DELETE", REVIEWER, b2, collection="coal_mine_boundaries")
    env.submit(cs_b, REVIEWER)
    cs_o = env.draft(REVIEWER, "observations")
    env.add(cs_o, "PATCH", REVIEWER, o1, {"properties": {"observed": "2031-05-06T07:08:09+07:00", "station": "S9"}},
            "observations")
    env.add(cs_o, "DELETE", REVIEWER, o2, collection="observations")
    env.add(cs_o, "PATCH", REVIEWER, o3, {"geometry": None}, "observations")  # its geometry removed
    env.submit(cs_o, REVIEWER)
    for cs in (cs_b, cs_o):
        env.approve(cs)
    assert rows(env.store, "SELECT station FROM observations WHERE fid = ?", o1) == [("S9",)]
    assert rows(env.store, "SELECT geom IS NULL FROM observations WHERE fid = ?", o3) == [(1,)]
    for cs in (cs_b, cs_o):
        rv = env.revert(cs, REVIEWER2)["id"]
        env.approve(rv, REVIEWER)
    for t, want in dumps.items():
        assert_same_dump(dump(env.store, t), want, f"{t} after the revert")
    # The temporal extent is the one before again.
    coll = env.s.get(f"{env.url}/collections/observations", timeout=30).json()
    end = coll["extent"]["temporal"]["interval"][0][1]
    assert not end.startswith("2031"), end


# --------------------------------------------------------------------------- a revert asked for twice


def test_a_change_set_is_not_reverted_twice(env):
    """Two reverts of one change set asked for before either is approved: the second is
    refused, or, if recorded, cannot be approved after the first. The table ends as it
    was before the original, never with the deleted feature twice or an error."""
    before = dump(env.store, "coal_mines")
    m = mixed_change_set(env)
    first = env.revert(m["cs"], REVIEWER)["id"]
    r = env.act(m["cs"], "revert", ADMIN)
    second = None
    if r.status_code != 409:
        assert r.status_code in (200, 201), r.text
        second = r.json()["id"]
    env.approve(first, REVIEWER2)
    assert_same_dump(dump(env.store, "coal_mines"), before, "after the first revert")
    if second is not None:
        snap = snapshot(env.store)
        error(env.act(second, "approve", REVIEWER2, "ok"), 409, "Conflict")
        assert snapshot(env.store) == snap
        assert change_set_row(env.store, second)["state"] == "submitted"
    assert_same_dump(dump(env.store, "coal_mines"), before, "at the end")
