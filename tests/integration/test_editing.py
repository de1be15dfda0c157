"""Member-state data management (issue 6): OGC API - Features Part 4 writes turned into
change sets under expert review, on a store and a server of their own.

Users: an administrator, two reviewers and two editors (Indonesia, Viet Nam), with bearer
tokens from `amis token create`. The configuration publishes an administrator's writes to
mine_facilities at once, and scopes editors of coal_mine_boundaries by its `country`
property (country names, so no ISO3 editor ever matches); coal_mines (iso3) goes through
review for everyone, and observations has no country property at all.

Oracles, none of them AMIS's own output:
- sqlite3 reads (read-only) of the store: the feature tables, amis_change_sets,
  amis_changes, amis_feature_versions, amis_audit, and a digest of every row of the
  tables a refused request must leave alone;
- GeoPackage geometry blobs decoded here and compared with osgeo.ogr (GEOS for the
  point-in-country checks);
- GDAL's GPKG driver on the store file, GDAL's OAPIF driver, WFS GetFeature and the MVT
  decoder of tiles_support for what readers see after an approval.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import threading
import json
import math
import socket
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
from osgeo import gdal, ogr

import styles_support as ss
import tiles_support as ts
import wfs_support as ws
from support import AMIS_BIN, AmisServer, http_session
from store_support import amis, change_set_row, error, ro, rows, table_digests

gdal.UseExceptions()

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

# Points checked (with GEOS, in test_boundary_problems_in_the_review) to lie inside /
# outside the countries they are used for.
IN_JAVA = (110.4, -7.3)       # Central Java, Indonesia
IN_HANOI = (105.85, 21.03)    # Ha Noi, Viet Nam

# Every table a refused request must leave as it was.
WATCHED = ("coal_mines", "mine_facilities", "coal_mine_boundaries", "observations", "amis_change_sets",
           "amis_changes", "amis_feature_versions", "amis_audit", "amis_collections", "gpkg_contents",
           "gpkg_ogr_contents", "rtree_coal_mines_geom")


# --------------------------------------------------------------------------- the store, read directly



def snapshot(store: Path, tables=WATCHED) -> dict[str, str]:
    """table -> SHA-256 of all its rows in rowid order."""
    return table_digests(store, tables)


def gpkg_geometry(blob: bytes | None) -> ogr.Geometry | None:
    """A GeoPackage geometry blob (GP header, optional envelope, WKB) as an OGR geometry."""
    if blob is None:
        return None
    blob = bytes(blob)
    assert blob[:2] == b"GP", blob[:8]
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 7]
    return ogr.CreateGeometryFromWkb(blob[8 + envelope:])


def wkb_geometry(blob: bytes | None) -> ogr.Geometry | None:
    return None if blob is None else ogr.CreateGeometryFromWkb(bytes(blob))


def feature_row(store: Path, collection: str, fid: int) -> tuple[ogr.Geometry | None, dict] | None:
    """(geometry, properties) of a row of a feature table, or None when there is none."""
    with ro(store) as db:
        cur = db.execute(f'SELECT * FROM "{collection}" WHERE fid = ?', (fid,))
        names = [d[0] for d in cur.description]
        row = cur.fetchone()
    if row is None:
        return None
    values = dict(zip(names, row))
    geom = gpkg_geometry(values.pop("geom"))
    values.pop("fid")
    return geom, values


def count(store: Path, collection: str) -> int:
    return rows(store, f'SELECT count(*) FROM "{collection}"')[0][0]



def changes_of(store: Path, cs: int) -> list[dict]:
    with ro(store) as db:
        cur = db.execute("SELECT seq, operation, fid, base, geom, properties FROM amis_changes "
                         "WHERE change_set = ? ORDER BY seq", (cs,))
        names = [d[0] for d in cur.description]
        out = [dict(zip(names, r)) for r in cur.fetchall()]
    for c in out:
        c["properties"] = None if c["properties"] is None else json.loads(c["properties"])
    return out


def versions_of(store: Path, collection: str, fid: int) -> list[tuple]:
    return rows(store, "SELECT version, operation, change_set, author FROM amis_feature_versions "
                       "WHERE collection = ? AND fid = ? ORDER BY version", collection, fid)


def last_audit(store: Path) -> tuple:
    return rows(store, "SELECT actor, action, subject, detail FROM amis_audit ORDER BY id DESC LIMIT 1")[0]


def country_polygon(store: Path, iso3: str) -> ogr.Geometry:
    blobs = rows(store, "SELECT geom FROM countries WHERE iso3 = ?", iso3)
    assert len(blobs) == 1, f"{iso3}: {len(blobs)} rows in countries"
    return gpkg_geometry(blobs[0][0])


def point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def same_point(g: ogr.Geometry | None, lon: float, lat: float, tol: float = 1e-9) -> bool:
    return g is not None and abs(g.GetX() - lon) <= tol and abs(g.GetY() - lat) <= tol


# --------------------------------------------------------------------------- the server



@dataclass
class Env:
    store: Path
    work: Path
    server: AmisServer
    s: requests.Session
    tokens: dict[str, str]
    used: set = field(default_factory=set)

    @property
    def url(self) -> str:
        return self.server.url

    def headers(self, user: str | None, content_type: str | None = None, **extra: str) -> dict:
        h = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        if content_type:
            h["Content-Type"] = content_type
        h.update({k.replace("_", "-"): v for k, v in extra.items()})
        return h

    def call(self, method: str, path: str, user: str | None = None, body: Any = None,
             content_type: str | None = None, headers: dict | None = None, params: dict | None = None
             ) -> requests.Response:
        data = body if body is None or isinstance(body, (bytes, str)) else json.dumps(body)
        if data is not None and content_type is None:
            content_type = JSON
        h = self.headers(user, content_type)
        h.update(headers or {})
        return self.s.request(method, self.url + path, data=data, headers=h, params=params, timeout=60)

    def write(self, method: str, user: str | None, fid: int | None = None, body: Any = None,
              collection: str = "coal_mines", content_type: str | None = None, **kw) -> requests.Response:
        path = f"/collections/{collection}/items" + ("" if fid is None else f"/{fid}")
        if content_type is None and method != "DELETE":
            content_type = MERGE_PATCH if method == "PATCH" else GEOJSON
        return self.call(method, path, user, body, content_type, **kw)

    def act(self, cs: int, action: str, user: str | None, comment: str | None = None) -> requests.Response:
        body = None if comment is None else {"comment": comment}
        return self.call("POST", f"/changesets/{cs}/{action}", user, body)

    def get_feature(self, fid: int, collection: str = "coal_mines") -> requests.Response:
        return self.s.get(f"{self.url}/collections/{collection}/items/{fid}", timeout=60)

    def fresh(self, iso3: str, n: int = 1, collection: str = "coal_mines") -> list[int]:
        """n features of a country that no other test of this module has touched."""
        fids = [r[0] for r in rows(self.store, f'SELECT fid FROM "{collection}" WHERE iso3 = ? AND geom IS NOT NULL '
                                               "ORDER BY fid", iso3) if (collection, r[0]) not in self.used]
        assert len(fids) >= n, f"no more untouched {iso3} features in {collection}"
        self.used.update((collection, f) for f in fids[:n])
        return fids[:n]

    # A change set authored by `user`, holding a PATCH of `fid` (status -> `status`).
    def submitted(self, user: str, fid: int, status: str = "Mothballed", collection: str = "coal_mines") -> int:
        r = self.write("PATCH", user, fid, {"properties": {"status": status}}, collection=collection)
        assert r.status_code == 202, r.text
        return r.json()["changeSet"]["id"]

    def draft(self, user: str, collection: str = "coal_mines", title: str = "") -> int:
        body = {"collection": collection, **({"title": title} if title else {})}
        r = self.call("POST", "/changesets", user, body)
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def approve(self, cs: int, user: str = REVIEWER2) -> dict:
        r = self.act(cs, "approve", user)
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture(scope="module")
def env(tmp_path_factory, store_path):
    work = tmp_path_factory.mktemp("editing")
    store = ss.copy_store(store_path, work / "store.gpkg")
    tokens = {}
    for name, (role, country) in USERS.items():
        extra = ["--country", country] if country else []
        r = amis("user", "add", name, "--role", role, *extra, "--store", store, stdin=PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
        r = amis("token", "create", name, "--store", store)
        assert r.returncode == 0, r.stderr
        tokens[name] = r.stdout.strip()
    config = work / "amis.toml"
    config.write_text(CONFIG)
    srv = AmisServer(store, work, name="editing", config=config)
    srv.start()
    with http_session() as s:
        yield Env(store, work, srv, s, tokens)
    alive = srv.alive()
    status = srv.stop()
    assert alive, f"amis serve died during the editing tests:\n{srv.stderr()}"
    assert status == 0, srv.stderr()



def new_mine(name: str, lonlat: tuple[float, float] = IN_JAVA, **properties) -> dict:
    return {"type": "Feature", "geometry": point(*lonlat),
            "properties": {"mine_name": name, "status": "Proposed", **properties}}


def as_body(feature_doc: dict, **changes) -> dict:
    """A GET /items/{fid} document as a PUT body, with property changes."""
    return {"type": "Feature", "geometry": feature_doc["geometry"],
            "properties": {**feature_doc["properties"], **changes}}


# --------------------------------------------------------------------------- authentication


def test_anonymous_and_forged_tokens_get_401_and_change_nothing(env):
    fid = env.fresh("IDN")[0]
    cs = env.submitted(IDN_EDITOR, fid)
    doc = env.get_feature(fid).json()
    requests_ = [
        ("POST", "/collections/coal_mines/items", new_mine("anonymous mine"), GEOJSON),
        ("PUT", f"/collections/coal_mines/items/{fid}", as_body(doc, status="Closed"), GEOJSON),
        ("PATCH", f"/collections/coal_mines/items/{fid}", {"properties": {"status": "Closed"}}, MERGE_PATCH),
        ("DELETE", f"/collections/coal_mines/items/{fid}", None, None),
        ("POST", "/changesets", {"collection": "coal_mines"}, JSON),
        ("GET", "/changesets", None, None),
        ("GET", f"/changesets/{cs}", None, None),
        ("GET", f"/changesets/{cs}/review", None, None),
        *[("POST", f"/changesets/{cs}/{a}", None, None) for a in ("submit", "withdraw", "approve", "reject")],
        ("GET", "/audit", None, None),
    ]
    before = snapshot(env.store)
    for method, path, body, ctype in requests_:
        token = env.tokens[IDN_EDITOR]
        altered = token[:-1] + ("A" if token[-1] != "A" else "B")
        for auth in (None, "Bearer amis_" + "A" * 43, "Bearer " + altered, "Basic Zm9vOmJhcg=="):
            headers = {"Authorization": auth} if auth else {}
            r = env.call(method, path, None, body, ctype, headers=headers)
            error(r, 401, "Unauthorized")
            assert r.headers.get("WWW-Authenticate", "").lower().startswith("bearer"), (method, path, r.headers)
    assert snapshot(env.store) == before
    assert change_set_row(env.store, cs)["state"] == "submitted"


# --------------------------------------------------------------------------- who may write what


@pytest.fixture(scope="module")
def matrix_features(env) -> dict[str, int]:
    return {"IDN": env.fresh("IDN")[0], "VNM": env.fresh("VNM")[0]}


WRITERS = [IDN_EDITOR, REVIEWER, ADMIN]
OPERATIONS = {"POST": "insert", "PUT": "replace", "PATCH": "replace", "DELETE": "delete"}


@pytest.mark.parametrize("country", ["IDN", "VNM"])
@pytest.mark.parametrize("method", list(OPERATIONS))
@pytest.mark.parametrize("user", WRITERS)
def test_write_permission_matrix(env, matrix_features, user, method, country):
    """Editors write their own country's features only; reviewers and administrators any
    (all through review on coal_mines). A refusal records nothing; an accepted write
    is one submitted change set of one change, and publishes nothing."""
    fid = matrix_features[country]
    doc = env.get_feature(fid).json()
    assert doc["properties"]["iso3"] == country
    lonlat = IN_JAVA if country == "IDN" else IN_HANOI
    body = {"POST": new_mine(f"matrix {user} {country}", lonlat, iso3=country),
            "PUT": as_body(doc, status="Closed"),
            "PATCH": {"properties": {"status": "Shelved"}},
            "DELETE": None}[method]
    before = snapshot(env.store)
    r = env.write(method, user, None if method == "POST" else fid, body)
    editor_elsewhere = USERS[user][0] == "editor" and USERS[user][1] != country
    if editor_elsewhere:
        error(r, 403, "Forbidden")
        assert snapshot(env.store) == before
        return
    assert r.status_code == 202, r.text
    out = r.json()
    assert out["published"] is False and "feature" not in out
    cs = out["changeSet"]["id"]
    assert r.headers["Location"] == f"{env.url}/changesets/{cs}"
    row = change_set_row(env.store, cs)
    assert (row["author"], row["state"], row["collection"]) == (user, "submitted", "coal_mines")
    assert row["country"] == (USERS[user][1] or "")
    changes = changes_of(env.store, cs)
    assert [(c["operation"], c["fid"]) for c in changes] == [(OPERATIONS[method], None if method == "POST" else fid)]
    if method != "DELETE":
        assert changes[0]["properties"]["iso3"] == country
    assert last_audit(env.store)[:3] == (user, "submit", f"change set {cs}")
    after = snapshot(env.store)
    for table in ("coal_mines", "amis_feature_versions", "amis_collections", "rtree_coal_mines_geom"):
        assert after[table] == before[table], f"{table} changed before any review"
    assert env.call("GET", f"/changesets/{cs}", user).json()["state"] == "submitted"


def test_editor_may_not_move_a_feature_to_another_country(env):
    fid = env.fresh("IDN")[0]
    doc = env.get_feature(fid).json()
    before = snapshot(env.store)
    for method, body in (("PATCH", {"properties": {"iso3": "VNM"}}),
                         ("PUT", as_body(doc, iso3="VNM")),
                         ("PATCH", {"properties": {"iso3": "MYS"}}),
                         ("PUT", as_body(doc, iso3="idn"))):
        d = error(env.write(method, IDN_EDITOR, fid, body), 403, "Forbidden")
        assert "IDN" in d["description"], d
    assert snapshot(env.store) == before
    # The same move by a reviewer is a change like any other.
    cs = env.submitted(REVIEWER, fid, status="Operating")
    r = env.write("PATCH", REVIEWER, fid, {"properties": {"iso3": "VNM"}})
    assert r.status_code == 202, r.text
    assert changes_of(env.store, r.json()["changeSet"]["id"])[0]["properties"]["iso3"] == "VNM"
    assert cs != r.json()["changeSet"]["id"]


def test_new_feature_without_country_gets_the_editors_country(env):
    d = env.draft(IDN_EDITOR)
    for props in ({}, {"iso3": None}):
        r = env.write("POST", IDN_EDITOR, body={"type": "Feature", "geometry": point(*IN_JAVA),
                                                "properties": {"mine_name": f"no country {len(props)}", **props}},
                      params={"changeset": d})
        assert r.status_code == 202, r.text
    assert [c["properties"]["iso3"] for c in changes_of(env.store, d)] == ["IDN", "IDN"]
    # A reviewer's feature without a country stays without one, and the review says so.
    r = env.write("POST", REVIEWER, body={"type": "Feature", "geometry": point(*IN_JAVA),
                                          "properties": {"mine_name": "reviewer's, no country"}})
    cs = r.json()["changeSet"]["id"]
    assert changes_of(env.store, cs)[0]["properties"]["iso3"] is None
    review = env.call("GET", f"/changesets/{cs}/review", ADMIN).json()
    assert review["changes"][0]["problems"] == ["no country: 'iso3' is empty"]
    # After approval the rows carry IDN.
    assert env.act(d, "submit", IDN_EDITOR).status_code == 200
    env.approve(d, REVIEWER)
    inserted = [c["fid"] for c in changes_of(env.store, d)]
    assert all(isinstance(f, int) for f in inserted)
    assert [feature_row(env.store, "coal_mines", f)[1]["iso3"] for f in inserted] == ["IDN", "IDN"]


def test_editors_may_not_write_collections_without_their_country_property(env):
    """observations has no iso3; coal_mine_boundaries is scoped by `country` (names), so
    an ISO3 editor owns none of its features. Reviewers write both."""
    obs_fid = rows(env.store, "SELECT min(fid) FROM observations")[0][0]
    idn_boundary = rows(env.store, "SELECT min(fid) FROM coal_mine_boundaries WHERE iso3 = 'IDN'")[0][0]
    assert idn_boundary is not None
    before = snapshot(env.store)
    for user in (IDN_EDITOR, VNM_EDITOR):
        d = error(env.write("PATCH", user, obs_fid, {"properties": {"station": "S9"}}, collection="observations"),
                  403, "Forbidden")
        assert "country property" in d["description"]
        error(env.write("POST", user, body={"type": "Feature", "geometry": point(*IN_JAVA), "properties": {}},
                        collection="observations"), 403, "Forbidden")
        error(env.write("DELETE", user, obs_fid, collection="observations"), 403, "Forbidden")
    d = error(env.write("PATCH", IDN_EDITOR, idn_boundary, {"properties": {"notes": "x"}},
                        collection="coal_mine_boundaries"), 403, "Forbidden")
    assert "Indonesia" in d["description"], d
    assert snapshot(env.store) == before
    r = env.write("PATCH", REVIEWER, obs_fid, {"properties": {"station": "S9"}}, collection="observations")
    assert r.status_code == 202, r.text
    r = env.write("PATCH", REVIEWER, idn_boundary, {"properties": {"notes": "checked"}},
                  collection="coal_mine_boundaries")
    assert r.status_code == 202, r.text


# --------------------------------------------------------------------------- who may act on change sets


ACTION_CASES = [
    # action, the change set's author, actor, expected status
    ("submit", IDN_EDITOR, IDN_EDITOR, 200), ("submit", IDN_EDITOR, VNM_EDITOR, 404),
    ("submit", IDN_EDITOR, REVIEWER, 403), ("submit", IDN_EDITOR, ADMIN, 403), ("submit", IDN_EDITOR, None, 401),
    ("withdraw", IDN_EDITOR, IDN_EDITOR, 200), ("withdraw", IDN_EDITOR, VNM_EDITOR, 404),
    ("withdraw", IDN_EDITOR, REVIEWER, 403), ("withdraw", IDN_EDITOR, ADMIN, 403),
    ("withdraw", IDN_EDITOR, None, 401),
    ("approve", IDN_EDITOR, IDN_EDITOR, 403), ("approve", IDN_EDITOR, VNM_EDITOR, 404),
    ("approve", IDN_EDITOR, REVIEWER, 200), ("approve", IDN_EDITOR, ADMIN, 200), ("approve", IDN_EDITOR, None, 401),
    ("reject", IDN_EDITOR, IDN_EDITOR, 403), ("reject", IDN_EDITOR, VNM_EDITOR, 404),
    ("reject", IDN_EDITOR, REVIEWER, 200), ("reject", IDN_EDITOR, ADMIN, 200), ("reject", IDN_EDITOR, None, 401),
    ("approve", REVIEWER, REVIEWER, 403), ("approve", REVIEWER, REVIEWER2, 200), ("approve", REVIEWER, ADMIN, 200),
    ("reject", REVIEWER, REVIEWER, 403), ("reject", REVIEWER, REVIEWER2, 200),
    ("approve", ADMIN, ADMIN, 200), ("approve", ADMIN, REVIEWER, 200), ("reject", ADMIN, ADMIN, 200),
]
AFTER_ACTION = {"submit": "submitted", "withdraw": "draft", "approve": "approved", "reject": "rejected"}


@pytest.mark.parametrize("action, author, actor, status", ACTION_CASES,
                         ids=[f"{a}-by-{u or 'anonymous'}-of-{o}" for a, o, u, _ in ACTION_CASES])
def test_review_action_permissions(env, action, author, actor, status):
    fid = env.fresh("IDN")[0]
    original = feature_row(env.store, "coal_mines", fid)
    if action == "submit":
        cs = env.draft(author)
        r = env.write("PATCH", author, fid, {"properties": {"status": "Mothballed"}}, params={"changeset": cs})
        assert r.status_code == 202, r.text
    else:
        cs = env.submitted(author, fid)
    state = change_set_row(env.store, cs)["state"]
    before = snapshot(env.store)
    r = env.act(cs, action, actor, comment="checked against the 2024 survey" if action != "submit" else None)
    if status != 200:
        error(r, status)
        if status == 401:
            assert r.headers["WWW-Authenticate"].lower().startswith("bearer")
        assert snapshot(env.store) == before
        assert change_set_row(env.store, cs)["state"] == state
        return
    assert r.status_code == 200, r.text
    assert r.json()["state"] == AFTER_ACTION[action] == change_set_row(env.store, cs)["state"]
    assert last_audit(env.store)[:3] == (actor, action, f"change set {cs}")
    row = feature_row(env.store, "coal_mines", fid)
    if action == "approve":
        assert row[1]["status"] == "Mothballed" and row[1] == {**original[1], "status": "Mothballed"}
        db = change_set_row(env.store, cs)
        assert (db["reviewer"], db["comment"]) == (actor, "checked against the 2024 survey")
    else:
        assert row[1] == original[1] and row[0].Equals(original[0])
    if action == "reject":
        db = change_set_row(env.store, cs)
        assert (db["reviewer"], db["comment"]) == (actor, "checked against the 2024 survey")


@pytest.mark.parametrize("user, status", [(ADMIN, 200), (REVIEWER, 403), (IDN_EDITOR, 403), (None, 401)])
def test_audit_log_is_for_administrators(env, user, status):
    r = env.call("GET", "/audit", user)
    if status == 200:
        assert r.status_code == 200 and isinstance(r.json()["entries"], list)
    else:
        error(r, status)


def test_change_set_state_machine_refusals(env):
    fids = env.fresh("IDN", 4)
    empty = env.draft(IDN_EDITOR)
    submitted = env.submitted(IDN_EDITOR, fids[0])
    approved = env.submitted(IDN_EDITOR, fids[1])
    env.approve(approved)
    rejected = env.submitted(IDN_EDITOR, fids[2])
    assert env.act(rejected, "reject", REVIEWER, "no source given").status_code == 200
    draft = env.draft(IDN_EDITOR)
    assert env.write("PATCH", IDN_EDITOR, fids[3], {"properties": {"status": "Closed"}},
                     params={"changeset": draft}).status_code == 202
    before = snapshot(env.store)
    cases = [
        (empty, "submit", IDN_EDITOR, None, 409), (submitted, "submit", IDN_EDITOR, None, 409),
        (draft, "withdraw", IDN_EDITOR, None, 409), (approved, "withdraw", IDN_EDITOR, None, 409),
        (rejected, "withdraw", IDN_EDITOR, None, 409), (approved, "submit", IDN_EDITOR, None, 409),
        (draft, "approve", REVIEWER, None, 409), (approved, "approve", REVIEWER, None, 409),
        (rejected, "approve", REVIEWER, None, 409), (approved, "reject", REVIEWER, "late", 409),
        (rejected, "reject", REVIEWER, "again", 409), (draft, "reject", REVIEWER, "not yet", 409),
        (submitted, "reject", REVIEWER, None, 400), (submitted, "reject", REVIEWER, "", 400),
        (999999, "approve", REVIEWER, None, 404), (999999, "submit", IDN_EDITOR, None, 404),
    ]
    for cs, action, user, comment, status in cases:
        error(env.act(cs, action, user, comment), status)
    # A reject body that is not {"comment": "..."} is a bad request.
    for body, ctype, status in (("not json", JSON, 400), ('{"comment": 5}', JSON, 400), ("[1]", JSON, 400),
                                ('{"comment": "x"}', "text/plain", 415)):
        error(env.call("POST", f"/changesets/{submitted}/reject", REVIEWER, body, ctype), status)
    # Only a draft takes more changes.
    for cs in (submitted, approved, rejected):
        error(env.write("PATCH", IDN_EDITOR, fids[3], {"properties": {"status": "Closed"}},
                        params={"changeset": cs}), 409, "Conflict")
    assert snapshot(env.store) == before
    assert [change_set_row(env.store, c)["state"] for c in (empty, submitted, approved, rejected, draft)] == [
        "draft", "submitted", "approved", "rejected", "draft"]


# --------------------------------------------------------------------------- ETag / If-Match


def test_etag_is_a_strong_content_digest_and_if_match_guards_writes(env):
    fid, other = env.fresh("IDN", 2)
    r = env.get_feature(fid)
    etag = r.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/") and len(etag) > 10
    assert env.get_feature(fid).headers["ETag"] == etag
    assert env.get_feature(other).headers["ETag"] != etag
    doc = r.json()

    before = snapshot(env.store)
    stale = '"0123456789abcdef0123456789abcdef"'
    for method, body in (("PATCH", {"properties": {"status": "Closed"}}), ("PUT", as_body(doc, status="Closed")),
                         ("DELETE", None)):
        for if_match in (stale, "W/" + etag, etag[:-2] + '"', f"{stale}, W/{etag}"):
            d = error(env.write(method, IDN_EDITOR, fid, body, headers={"If-Match": if_match}), 412)
            assert etag in d["description"], d  # the current tag, so the client can re-read
    assert snapshot(env.store) == before

    for if_match in ("*", etag, f'{stale}, {etag}'):
        r = env.write("PATCH", IDN_EDITOR, fid, {"properties": {"status": "Closed"}}, headers={"If-Match": if_match})
        assert r.status_code == 202, (if_match, r.text)
    assert env.get_feature(fid).headers["ETag"] == etag  # submitted is not published

    # A PUT of the very same content, approved, keeps the tag: it digests the content.
    same = env.write("PUT", REVIEWER, fid, as_body(doc), headers={"If-Match": etag})
    assert same.status_code == 202, same.text
    env.approve(same.json()["changeSet"]["id"])
    assert env.get_feature(fid).headers["ETag"] == etag
    assert versions_of(env.store, "coal_mines", fid)[-1][1] == "replace"

    # A real change changes it; the old tag is then refused, the new one accepted.
    cs = env.write("PATCH", REVIEWER, fid, {"properties": {"capacity_mtpa": 7.25}}, headers={"If-Match": etag})
    env.approve(cs.json()["changeSet"]["id"])
    new = env.get_feature(fid).headers["ETag"]
    assert new != etag
    assert feature_row(env.store, "coal_mines", fid)[1]["capacity_mtpa"] == 7.25
    before = snapshot(env.store)
    error(env.write("DELETE", IDN_EDITOR, fid, headers={"If-Match": etag}), 412)
    assert snapshot(env.store) == before
    assert env.write("DELETE", IDN_EDITOR, fid, headers={"If-Match": new}).status_code == 202


# --------------------------------------------------------------------------- conflicts


def test_second_change_set_on_the_same_feature_conflicts_and_applies_nothing(env):
    fid = env.fresh("IDN")[0]
    original = feature_row(env.store, "coal_mines", fid)
    a = env.submitted(REVIEWER, fid, status="Cancelled")
    b = env.write("PATCH", IDN_EDITOR, fid, {"properties": {"capacity_mtpa": 3.5}}).json()["changeSet"]["id"]
    c = env.write("DELETE", IDN_EDITOR, fid).json()["changeSet"]["id"]
    # d: a draft with a new feature and a change of the same feature, submitted.
    d = env.draft(IDN_EDITOR, title="new pit and a fix")
    assert env.write("POST", IDN_EDITOR, body=new_mine("conflicted newcomer"), params={"changeset": d}).status_code == 202
    assert env.write("PATCH", IDN_EDITOR, fid, {"properties": {"owners": "PT Example"}},
                     params={"changeset": d}).status_code == 202
    assert env.act(d, "submit", IDN_EDITOR).status_code == 200
    for cs in (b, c, d):
        assert not any(p.startswith("conflict") for ch in env.call("GET", f"/changesets/{cs}/review", REVIEWER
                                                                   ).json()["changes"] for p in ch["problems"])

    env.approve(a)
    assert feature_row(env.store, "coal_mines", fid)[1] == {**original[1], "status": "Cancelled"}
    n = count(env.store, "coal_mines")
    before = snapshot(env.store)
    for cs in (b, c, d):
        review = env.call("GET", f"/changesets/{cs}/review", REVIEWER).json()
        flagged = [ch for ch in review["changes"] if any(p.startswith("conflict:") for p in ch["problems"])]
        assert [ch["featureId"] for ch in flagged] == [fid], review
        assert review["changesWithProblems"] >= 1
        d_ = error(env.act(cs, "approve", REVIEWER2), 409, "Conflict")
        assert f"feature {fid}" in d_["description"], d_
        assert change_set_row(env.store, cs)["state"] == "submitted"
    assert snapshot(env.store) == before
    assert count(env.store, "coal_mines") == n
    assert rows(env.store, "SELECT count(*) FROM coal_mines WHERE mine_name = 'conflicted newcomer'") == [(0,)]
    assert feature_row(env.store, "coal_mines", fid)[1]["capacity_mtpa"] == original[1]["capacity_mtpa"]
    # A conflicted change set can still be rejected, or withdrawn and reworked.
    assert env.act(b, "reject", REVIEWER, "superseded by change set %d" % a).status_code == 200
    assert env.act(c, "withdraw", IDN_EDITOR).status_code == 200


def test_conflict_with_a_deleted_feature(env):
    fid = env.fresh("IDN")[0]
    delete = env.write("DELETE", REVIEWER, fid).json()["changeSet"]["id"]
    patch = env.submitted(IDN_EDITOR, fid, status="Closed")
    env.approve(delete)
    assert feature_row(env.store, "coal_mines", fid) is None
    review = env.call("GET", f"/changesets/{patch}/review", REVIEWER).json()
    assert review["changes"][0]["problems"] == ["conflict: the feature was deleted after this change was written"]
    before = snapshot(env.store)
    d = error(env.act(patch, "approve", ADMIN), 409, "Conflict")
    assert f"feature {fid}" in d["description"] and "deleted" in d["description"]
    assert snapshot(env.store) == before
    assert feature_row(env.store, "coal_mines", fid) is None
    error(env.write("PATCH", IDN_EDITOR, fid, {"properties": {"status": "Closed"}}), 404)


def test_simultaneous_approvals_of_conflicting_change_sets(env):
    """Two reviewers approve two change sets of the same feature at the same moment: one
    wins, the other gets 409, and the row is the winner's content, whole."""
    for _ in range(3):
        fid = env.fresh("IDN")[0]
        a = env.write("PATCH", IDN_EDITOR, fid, {"properties": {"status": "Closed", "capacity_mtpa": 1.0}}
                      ).json()["changeSet"]["id"]
        b = env.write("PATCH", REVIEWER, fid, {"properties": {"status": "Shelved", "capacity_mtpa": 2.0}}
                      ).json()["changeSet"]["id"]
        barrier = threading.Barrier(2)

        def approve(cs, user):
            with http_session() as s:
                barrier.wait()
                return s.post(f"{env.url}/changesets/{cs}/approve", headers=env.headers(user), timeout=60)

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            ra, rb = pool.map(approve, (a, b), (REVIEWER, REVIEWER2))
        assert sorted((ra.status_code, rb.status_code)) == [200, 409], (ra.text, rb.text)
        winner = a if ra.status_code == 200 else b
        want = {a: ("Closed", 1.0), b: ("Shelved", 2.0)}[winner]
        props = feature_row(env.store, "coal_mines", fid)[1]
        assert (props["status"], props["capacity_mtpa"]) == want
        states = {c: change_set_row(env.store, c)["state"] for c in (a, b)}
        assert states == {winner: "approved", (b if winner == a else a): "submitted"}
        assert [v[2] for v in versions_of(env.store, "coal_mines", fid)] == [None, winner]


def test_rewriting_a_draft_change_bases_it_on_the_current_version(env):
    fid = env.fresh("IDN")[0]
    d = env.draft(IDN_EDITOR)
    assert env.write("PATCH", IDN_EDITOR, fid, {"properties": {"status": "Mothballed"}},
                     params={"changeset": d}).status_code == 202
    env.approve(env.submitted(REVIEWER, fid, status="Shelved"))  # published meanwhile
    etag = env.get_feature(fid).headers["ETag"]
    r = env.write("PATCH", IDN_EDITOR, fid, {"properties": {"status": "Closed"}}, params={"changeset": d},
                  headers={"If-Match": etag})
    assert r.status_code == 202, r.text
    assert env.act(d, "submit", IDN_EDITOR).status_code == 200
    review = env.call("GET", f"/changesets/{d}/review", REVIEWER).json()
    assert review["changes"][0]["problems"] == []
    r = env.act(d, "approve", REVIEWER)
    assert r.status_code == 200, r.text
    assert feature_row(env.store, "coal_mines", fid)[1]["status"] == "Closed"


# --------------------------------------------------------------------------- drafts


def test_draft_workflow_from_first_change_to_approval(env):
    f1, f2, f3 = env.fresh("IDN", 3)
    vnm = env.fresh("VNM")[0]
    orig = {f: feature_row(env.store, "coal_mines", f) for f in (f1, f2, f3)}
    n0 = count(env.store, "coal_mines")
    updated0 = rows(env.store, "SELECT updated FROM amis_collections WHERE id = 'coal_mines'")[0][0]
    audit0 = rows(env.store, "SELECT count(*) FROM amis_audit")[0][0]

    r = env.call("POST", "/changesets", IDN_EDITOR, {"collection": "coal_mines", "title": "Java survey 2025"})
    assert r.status_code == 201, r.text
    d = r.json()["id"]
    assert r.headers["Location"] == f"{env.url}/changesets/{d}"
    assert (r.json()["state"], r.json()["changes"], r.json()["title"], r.json()["author"]) == (
        "draft", 0, "Java survey 2025", IDN_EDITOR)
    error(env.act(d, "submit", IDN_EDITOR), 409)

    def add(method, fid=None, body=None):
        r = env.write(method, IDN_EDITOR, fid, body, params={"changeset": d})
        assert r.status_code == 202, r.text
        assert r.headers["Location"] == f"{env.url}/changesets/{d}"
        return r.json()["changeSet"]

    assert add("PATCH", f1, {"properties": {"status": "Mothballed"}})["changes"] == 1
    # The second write to f1 replaces the first (it is a patch of the published feature).
    cs = add("PATCH", f1, {"properties": {"capacity_mtpa": 12.5, "owners": None}})
    assert (cs["changes"], cs["state"]) == (1, "draft")
    assert add("DELETE", f2)["changes"] == 2
    assert add("POST", body=new_mine("Draft pit", (110.41, -7.31), capacity_mtpa=0.8, opening_year=2027)
               )["changes"] == 3
    stored = changes_of(env.store, d)
    assert [(c["operation"], c["fid"]) for c in stored] == [("replace", f1), ("delete", f2), ("insert", None)]
    assert stored[0]["properties"] == {**orig[f1][1], "capacity_mtpa": 12.5, "owners": None}
    assert stored[1]["properties"] is None and stored[1]["geom"] is None
    assert rows(env.store, "SELECT count(*) FROM amis_audit")[0][0] == audit0  # drafts are private work

    # Nobody else writes into it.
    before = snapshot(env.store)
    error(env.write("PATCH", VNM_EDITOR, vnm, {"properties": {"status": "Closed"}}, params={"changeset": d}), 404)
    error(env.write("PATCH", REVIEWER, f3, {"properties": {"status": "Closed"}}, params={"changeset": d}), 403)
    error(env.write("PATCH", IDN_EDITOR, f3, {"properties": {"status": "Closed"}}, params={"changeset": 99999999}), 404)
    error(env.write("PATCH", IDN_EDITOR, f3, {"properties": {"status": "Closed"}}, params={"changeset": "x1"}), 400)
    error(env.write("PATCH", IDN_EDITOR, f3, {"properties": {"status": "Closed"}}, params={"changeset": "-1"}), 400)
    mf = rows(env.store, "SELECT min(fid) FROM mine_facilities WHERE iso3 = 'IDN'")[0][0]
    error(env.write("PATCH", IDN_EDITOR, mf, {"properties": {"comment": "x"}}, collection="mine_facilities",
                    params={"changeset": d}), 409)
    error(env.call("GET", f"/changesets/{d}", VNM_EDITOR), 404)
    error(env.call("GET", f"/changesets/{d}/review", VNM_EDITOR), 404)
    assert snapshot(env.store) == before

    r = env.act(d, "submit", IDN_EDITOR)
    assert r.status_code == 200 and r.json()["state"] == "submitted", r.text
    assert last_audit(env.store) == (IDN_EDITOR, "submit", f"change set {d}", "coal_mines, 3 changes")
    error(env.write("PATCH", IDN_EDITOR, f3, {"properties": {"status": "Closed"}}, params={"changeset": d}), 409)
    r = env.act(d, "withdraw", IDN_EDITOR)
    assert r.status_code == 200 and r.json()["state"] == "draft"
    assert add("PATCH", f3, {"geometry": point(110.55, -7.05)})["changes"] == 4
    assert env.act(d, "submit", IDN_EDITOR).json()["state"] == "submitted"
    assert count(env.store, "coal_mines") == n0 and feature_row(env.store, "coal_mines", f2) is not None

    review = env.call("GET", f"/changesets/{d}/review", REVIEWER).json()
    assert review["numberOfChanges"] == 4 and review["changeSet"]["id"] == d
    ch = review["changes"]
    assert [(c["seq"], c["operation"], c["featureId"]) for c in ch] == [
        (1, "replace", f1), (2, "delete", f2), (3, "insert", None), (4, "replace", f3)]
    diff = {p["name"]: (p["before"], p["after"]) for p in ch[0]["properties"]}
    assert diff == {"capacity_mtpa": (orig[f1][1]["capacity_mtpa"], 12.5),
                    **({"owners": (orig[f1][1]["owners"], None)} if orig[f1][1]["owners"] is not None else {})}
    assert ch[0]["geometryChanged"] is False and ch[3]["geometryChanged"] is True
    assert ch[1]["after"] is None and ch[1]["before"]["properties"]["mine_name"] == orig[f2][1]["mine_name"]
    assert ch[2]["before"] is None and ch[2]["after"]["properties"]["mine_name"] == "Draft pit"
    assert {p["name"] for p in ch[2]["properties"]} == {"mine_name", "status", "capacity_mtpa", "opening_year", "iso3"}
    assert all(c["problems"] == [] for c in ch), [c["problems"] for c in ch]
    assert review["changesWithProblems"] == 0

    approved = env.approve(d, REVIEWER)
    assert (approved["state"], approved["reviewer"]) == ("approved", REVIEWER)
    inserted = changes_of(env.store, d)[2]["fid"]
    assert isinstance(inserted, int) and inserted not in (f1, f2, f3)
    after_review = env.call("GET", f"/changesets/{d}/review", IDN_EDITOR).json()
    assert after_review["changes"][2]["featureId"] == inserted
    assert after_review["changes"][0]["before"]["properties"]["capacity_mtpa"] == orig[f1][1]["capacity_mtpa"]

    # The store, read directly.
    g1, p1 = feature_row(env.store, "coal_mines", f1)
    assert p1 == {**orig[f1][1], "capacity_mtpa": 12.5, "owners": None} and g1.Equals(orig[f1][0])
    assert feature_row(env.store, "coal_mines", f2) is None
    g3, p3 = feature_row(env.store, "coal_mines", f3)
    assert same_point(g3, 110.55, -7.05) and p3 == orig[f3][1]
    gi, pi = feature_row(env.store, "coal_mines", inserted)
    assert same_point(gi, 110.41, -7.31)
    assert {k: v for k, v in pi.items() if v is not None} == {
        "mine_name": "Draft pit", "status": "Proposed", "capacity_mtpa": 0.8, "opening_year": 2027, "iso3": "IDN"}
    assert rows(env.store, "SELECT typeof(opening_year), typeof(capacity_mtpa) FROM coal_mines WHERE fid = ?",
                inserted) == [("integer", "real")]
    assert count(env.store, "coal_mines") == n0
    assert versions_of(env.store, "coal_mines", f1) == [(0, "import", None, None), (1, "replace", d, IDN_EDITOR)]
    assert versions_of(env.store, "coal_mines", f2) == [(0, "import", None, None), (1, "delete", d, IDN_EDITOR)]
    assert versions_of(env.store, "coal_mines", inserted) == [(1, "insert", d, IDN_EDITOR)]
    # The R-tree follows the moved point.
    assert rows(env.store, "SELECT minx <= 110.55 AND maxx >= 110.55 AND miny <= -7.05 AND maxy >= -7.05 "
                           "FROM rtree_coal_mines_geom WHERE id = ?", f3) == [(1,)]
    assert rows(env.store, "SELECT count(*) FROM rtree_coal_mines_geom WHERE id = ?", f2) == [(0,)]
    updated1, last_change = rows(env.store, "SELECT a.updated, c.last_change FROM amis_collections a JOIN "
                                            "gpkg_contents c ON c.table_name = a.table_name WHERE a.id = 'coal_mines'")[0]
    assert updated1 > updated0 and last_change == updated1
    assert rows(env.store, "SELECT reviewed FROM amis_change_sets WHERE id = ?", d)[0][0] == updated1


def test_change_set_listing_and_visibility(env):
    idn, vnm = env.fresh("IDN")[0], env.fresh("VNM")[0]
    env.submitted(IDN_EDITOR, idn)
    env.submitted(VNM_EDITOR, vnm)
    env.draft(VNM_EDITOR, "mine_facilities")
    all_ids = [r[0] for r in rows(env.store, "SELECT id FROM amis_change_sets ORDER BY id DESC")]
    assert len(all_ids) <= 1000

    def ids(user, **params):
        r = env.call("GET", "/changesets", user, params={"limit": 1000, **params})
        assert r.status_code == 200, r.text
        return [c["id"] for c in r.json()["changeSets"]]

    def db(where="1", *args):
        return [r[0] for r in rows(env.store, f"SELECT id FROM amis_change_sets WHERE {where} ORDER BY id DESC", *args)]

    assert ids(REVIEWER) == all_ids == ids(ADMIN)
    assert ids(IDN_EDITOR) == db("author = ?", IDN_EDITOR)
    assert ids(VNM_EDITOR) == db("author = ?", VNM_EDITOR) and len(ids(VNM_EDITOR)) >= 2
    for state in ("draft", "submitted", "approved", "rejected"):
        assert ids(REVIEWER, state=state) == db("state = ?", state)
        assert ids(IDN_EDITOR, state=state) == db("state = ? AND author = ?", state, IDN_EDITOR)
    assert ids(REVIEWER, collection="mine_facilities") == db("collection = 'mine_facilities'")
    assert ids(REVIEWER, author=VNM_EDITOR, state="draft") == db("author = ? AND state = 'draft'", VNM_EDITOR)
    r = env.call("GET", "/changesets", REVIEWER, params={"limit": 2, "offset": 1})
    assert [c["id"] for c in r.json()["changeSets"]] == all_ids[1:3]
    # Editors read their own change sets only, one by one too.
    other = db("author = ?", VNM_EDITOR)[0]
    error(env.call("GET", f"/changesets/{other}", IDN_EDITOR), 404)
    assert env.call("GET", f"/changesets/{other}", VNM_EDITOR).status_code == 200
    assert env.call("GET", f"/changesets/{other}", REVIEWER).json()["author"] == VNM_EDITOR
    for params in ({"state": "pending"}, {"limit": "5000"}, {"limit": "-1"}, {"offset": "x"}, {"colour": "red"}):
        error(env.call("GET", "/changesets", REVIEWER, params=params), 400)
    error(env.call("GET", "/changesets/abc", REVIEWER), 404)
    error(env.call("GET", "/changesets/99999999", REVIEWER), 404)


def test_an_editors_author_filter_is_not_replaced_by_their_own_name(env):
    env.submitted(IDN_EDITOR, env.fresh("IDN")[0])
    r = env.call("GET", "/changesets", IDN_EDITOR, params={"author": REVIEWER, "limit": 1000})
    assert r.status_code == 200
    assert [c["author"] for c in r.json()["changeSets"] if c["author"] != REVIEWER] == []


# --------------------------------------------------------------------------- direct publication


def test_direct_publish_for_administrators_on_mine_facilities(env):
    n0 = count(env.store, "mine_facilities")
    first = feature_row(env.store, "mine_facilities", 1)
    body = {"type": "Feature", "id": 1, "geometry": point(110.6, -7.4),
            "properties": {"facility_name": "Direct depot", "iso3": "IDN", "production_start": 2026}}
    r = env.write("POST", ADMIN, body=body, collection="mine_facilities")
    assert r.status_code == 201, r.text
    out = r.json()
    # A client's "id" is not the feature's: the store numbers new features.
    assert feature_row(env.store, "mine_facilities", 1)[1] == first[1]
    assert out["published"] is True and out["changeSet"]["state"] == "approved"
    assert out["changeSet"]["reviewer"] == ADMIN
    fid = int(r.headers["Location"].rsplit("/", 1)[1])
    assert r.headers["Location"] == out["feature"] == f"{env.url}/collections/mine_facilities/items/{fid}"
    g = env.s.get(r.headers["Location"], timeout=30)
    assert g.status_code == 200 and g.headers["ETag"] == r.headers["ETag"]
    assert g.json()["properties"]["facility_name"] == "Direct depot"
    geom, props = feature_row(env.store, "mine_facilities", fid)
    # A Point in a MULTIPOINT collection is stored as a MultiPoint.
    assert geom.GetGeometryName() == "MULTIPOINT" and geom.Equals(ogr.CreateGeometryFromWkt("MULTIPOINT (110.6 -7.4)"))
    assert g.json()["geometry"]["type"] == "MultiPoint"
    assert (props["facility_name"], props["iso3"], props["production_start"]) == ("Direct depot", "IDN", 2026)
    assert count(env.store, "mine_facilities") == n0 + 1
    assert versions_of(env.store, "mine_facilities", fid) == [(1, "insert", out["changeSet"]["id"], ADMIN)]
    cs_row = change_set_row(env.store, out["changeSet"]["id"])
    assert (cs_row["state"], cs_row["reviewer"], cs_row["comment"]) == ("approved", ADMIN, "published directly")
    assert last_audit(env.store)[:3] == (ADMIN, "approve", f"change set {out['changeSet']['id']}")
    assert env.call("GET", "/collections/mine_facilities/items", params={"limit": 1}).json()["numberMatched"] == n0 + 1

    r = env.write("PATCH", ADMIN, fid, {"properties": {"comment": "verified"}}, collection="mine_facilities")
    assert r.status_code == 200 and r.json()["published"] is True, r.text
    assert r.json()["feature"] == f"{env.url}/collections/mine_facilities/items/{fid}"
    assert "Location" not in r.headers
    assert feature_row(env.store, "mine_facilities", fid)[1]["comment"] == "verified"
    assert r.headers["ETag"] == env.get_feature(fid, "mine_facilities").headers["ETag"] != g.headers["ETag"]

    r = env.write("DELETE", ADMIN, fid, collection="mine_facilities")
    assert r.status_code == 200 and r.json()["published"] is True, r.text
    assert feature_row(env.store, "mine_facilities", fid) is None
    error(env.get_feature(fid, "mine_facilities"), 404)
    assert count(env.store, "mine_facilities") == n0

    # Reviewers on mine_facilities, and administrators elsewhere, still go through review.
    existing = rows(env.store, "SELECT min(fid) FROM mine_facilities WHERE iso3 = 'IDN'")[0][0]
    before = feature_row(env.store, "mine_facilities", existing)
    r = env.write("PATCH", REVIEWER, existing, {"properties": {"comment": "by a reviewer"}},
                  collection="mine_facilities")
    assert r.status_code == 202 and r.json()["published"] is False
    mine = env.fresh("IDN")[0]
    r = env.write("PATCH", ADMIN, mine, {"properties": {"status": "Closed"}})
    assert r.status_code == 202 and r.json()["published"] is False
    assert feature_row(env.store, "mine_facilities", existing)[1] == before[1]
    assert change_set_row(env.store, r.json()["changeSet"]["id"])["state"] == "submitted"

    # An administrator's draft on mine_facilities is published when submitted.
    d = env.draft(ADMIN, "mine_facilities")
    assert env.write("PATCH", ADMIN, existing, {"properties": {"comment": "from a draft"}},
                     collection="mine_facilities", params={"changeset": d}).status_code == 202
    assert feature_row(env.store, "mine_facilities", existing)[1]["comment"] == before[1]["comment"]
    r = env.act(d, "submit", ADMIN)
    assert r.status_code == 200 and r.json()["state"] == "approved", r.text
    assert feature_row(env.store, "mine_facilities", existing)[1]["comment"] == "from a draft"
    assert [a[1] for a in rows(env.store, "SELECT actor, action FROM amis_audit WHERE subject = ? ORDER BY id",
                               f"change set {d}")] == ["submit", "approve"]


# --------------------------------------------------------------------------- history


def test_history_keeps_every_version_including_deletions(env):
    fid = env.fresh("IDN")[0]
    g0, p0 = feature_row(env.store, "coal_mines", fid)
    h = env.s.get(f"{env.url}/collections/coal_mines/items/{fid}/history", timeout=30)
    assert h.status_code == 200 and h.headers["Content-Type"].startswith("application/geo+json")
    only = h.json()["features"]
    assert len(only) == 1 and only[0]["version"] == {"number": 0, "operation": "import", "changeSet": None,
                                                     "author": None, "time": None}

    cs1 = env.submitted(IDN_EDITOR, fid, status="Mothballed")
    env.approve(cs1, REVIEWER)
    doc = env.get_feature(fid).json()
    moved = as_body(doc, capacity_mtpa=2.0)
    moved["geometry"] = point(110.123456789, -7.0)
    cs2 = env.write("PUT", REVIEWER, fid, moved).json()["changeSet"]["id"]
    env.approve(cs2, REVIEWER2)
    cs3 = env.write("DELETE", IDN_EDITOR, fid).json()["changeSet"]["id"]
    env.approve(cs3, ADMIN)
    error(env.get_feature(fid), 404)

    h = env.s.get(f"{env.url}/collections/coal_mines/items/{fid}/history", timeout=30)
    assert h.status_code == 200, h.text
    feats = h.json()["features"]
    assert h.json()["type"] == "FeatureCollection" and h.json()["numberReturned"] == 4
    got = [(f["version"]["number"], f["version"]["operation"], f["version"]["changeSet"], f["version"]["author"])
           for f in feats]
    assert got == [(0, "import", None, None), (1, "replace", cs1, IDN_EDITOR), (2, "replace", cs2, REVIEWER),
                   (3, "delete", cs3, IDN_EDITOR)]
    assert got == versions_of(env.store, "coal_mines", fid)
    assert all(f["id"] == fid for f in feats)
    # Version 0 is the imported row; each later one the content its change set approved.
    v0 = feats[0]
    assert v0["properties"] == p0
    assert ogr.CreateGeometryFromJson(json.dumps(v0["geometry"])).Equals(g0)
    assert feats[1]["properties"] == {**p0, "status": "Mothballed"}
    assert feats[2]["properties"] == {**p0, "status": "Mothballed", "capacity_mtpa": 2.0}
    assert same_point(ogr.CreateGeometryFromJson(json.dumps(feats[2]["geometry"])), 110.123456789, -7.0)
    assert feats[3]["geometry"] is None
    assert rows(env.store, "SELECT geom FROM amis_feature_versions WHERE collection = 'coal_mines' AND fid = ? "
                           "AND version = 3", fid) == [(None,)]
    # Times are the approvals' times, in order.
    reviewed = [change_set_row(env.store, c)["reviewed"] for c in (cs1, cs2, cs3)]
    assert [f["version"]["time"] for f in feats[1:]] == reviewed
    parsed = [datetime.fromisoformat(t.replace("Z", "+00:00")) for t in reviewed]
    assert parsed == sorted(parsed) and all(t.tzinfo == timezone.utc for t in parsed)

    error(env.s.get(f"{env.url}/collections/coal_mines/items/{fid}/history", params={"colour": "x"}, timeout=30), 400)
    error(env.s.get(f"{env.url}/collections/coal_mines/items/99999999/history", timeout=30), 404)
    error(env.s.get(f"{env.url}/collections/nowhere/items/1/history", timeout=30), 404)


# --------------------------------------------------------------------------- audit log


def test_audit_log_records_actions_and_is_append_only(env):
    fid, fid2 = env.fresh("IDN", 2)
    d = env.draft(IDN_EDITOR)
    env.write("PATCH", IDN_EDITOR, fid, {"properties": {"status": "Closed"}}, params={"changeset": d})
    assert env.act(d, "submit", IDN_EDITOR).status_code == 200
    assert env.act(d, "withdraw", IDN_EDITOR).status_code == 200
    assert env.act(d, "submit", IDN_EDITOR).status_code == 200
    assert env.act(d, "reject", REVIEWER, "coordinates unverified").status_code == 200
    cs = env.submitted(IDN_EDITOR, fid2)
    env.approve(cs, ADMIN)
    expected = [(IDN_EDITOR, "submit", f"change set {d}"), (IDN_EDITOR, "withdraw", f"change set {d}"),
                (IDN_EDITOR, "submit", f"change set {d}"), (REVIEWER, "reject", f"change set {d}"),
                (IDN_EDITOR, "submit", f"change set {cs}"), (ADMIN, "approve", f"change set {cs}")]
    r = env.call("GET", "/audit", ADMIN, params={"limit": 6})
    assert r.status_code == 200, r.text
    entries = r.json()["entries"]
    assert [(e["actor"], e["action"], e["subject"]) for e in reversed(entries)] == expected
    assert entries[2]["detail"] == "coordinates unverified"
    db = rows(env.store, "SELECT id, time, actor, action, subject, detail FROM amis_audit ORDER BY id DESC LIMIT 6")
    assert [(e["id"], e["time"], e["actor"], e["action"], e["subject"], e["detail"]) for e in entries] == db
    older = env.call("GET", "/audit", ADMIN, params={"before": entries[-1]["id"], "limit": 1000}).json()["entries"]
    assert [e["id"] for e in older] == [r[0] for r in rows(env.store, "SELECT id FROM amis_audit WHERE id < ? "
                                                                      "ORDER BY id DESC", entries[-1]["id"])]
    error(env.call("GET", "/audit", ADMIN, params={"actor": "x"}), 400)

    # The table refuses UPDATE and DELETE (on a copy of the store).
    copy = ss.copy_store(env.store, env.work / "audit-copy.gpkg")
    all_rows = rows(copy, "SELECT * FROM amis_audit ORDER BY id")
    with contextlib.closing(sqlite3.connect(copy)) as db:
        for sql in ("UPDATE amis_audit SET actor = 'nobody'", "DELETE FROM amis_audit",
                    "UPDATE amis_audit SET detail = '' WHERE id = (SELECT max(id) FROM amis_audit)"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                db.execute(sql)
            db.rollback()
    assert rows(copy, "SELECT * FROM amis_audit ORDER BY id") == all_rows


# --------------------------------------------------------------------------- bad input


BAD_INPUT = [
    # method, collection, body, content type, status, code, a word of the description
    ("POST", "coal_mines", '{"type": "Feature", "geometry": ', GEOJSON, 400, None, "JSON"),
    ("POST", "coal_mines", "[]", GEOJSON, 400, None, None),
    ("POST", "coal_mines", '"Feature"', GEOJSON, 400, None, None),
    ("POST", "coal_mines", {"type": "FeatureCollection", "features": []}, GEOJSON, 400, None, "Feature"),
    ("POST", "coal_mines", {"type": "Feature", "properties": {"mine_name": "x"}}, GEOJSON, 400, None, "geometry"),
    ("POST", "coal_mines", new_mine("x", colour="red"), GEOJSON, 400, "InvalidValue", "colour"),
    ("POST", "coal_mines", new_mine("x", fid=5), GEOJSON, 400, "InvalidValue", "fid"),
    ("POST", "coal_mines", new_mine("x", capacity_mtpa="5.0"), GEOJSON, 400, "InvalidValue", "capacity_mtpa"),
    ("POST", "coal_mines", new_mine("x", opening_year=2020.5), GEOJSON, 400, "InvalidValue", "opening_year"),
    ("POST", "coal_mines", new_mine("x", opening_year="2020"), GEOJSON, 400, "InvalidValue", "opening_year"),
    ("POST", "coal_mines", new_mine("x", opening_year=True), GEOJSON, 400, "InvalidValue", "opening_year"),
    ("POST", "coal_mines", new_mine("x", opening_year=1e30), GEOJSON, 400, "InvalidValue", "opening_year"),
    ("POST", "coal_mines", new_mine("x", status=5), GEOJSON, 400, "InvalidValue", "status"),
    ("POST", "coal_mines", new_mine("x", status=["Operating"]), GEOJSON, 400, "InvalidValue", "status"),
    ("POST", "coal_mines", {"type": "Feature", "geometry": point(*IN_JAVA), "properties": []}, GEOJSON, 400,
     "InvalidValue", "properties"),
    ("POST", "coal_mines", {**new_mine("x"), "geometry": {"type": "LineString", "coordinates": [[110, -7], [111, -7]]}},
     GEOJSON, 400, "InvalidValue", "POINT"),
    ("POST", "coal_mines", {**new_mine("x"), "geometry": point(200.0, -7.0)}, GEOJSON, 400, "InvalidValue", "longitude"),
    ("POST", "coal_mines", {**new_mine("x"), "geometry": point(110.0, -95.0)}, GEOJSON, 400, "InvalidValue", "latitude"),
    ("POST", "coal_mines", {**new_mine("x"), "geometry": {"type": "Point"}}, GEOJSON, 400, "InvalidValue", "geometry"),
    ("POST", "coal_mines", {**new_mine("x"), "geometry": {"type": "Point", "coordinates": []}}, GEOJSON, 400,
     "InvalidValue", "geometry"),
    ("POST", "coal_mines", {**new_mine("x"), "geometry": "POINT (110 -7)"}, GEOJSON, 400, "InvalidValue", "geometry"),
    ("POST", "coal_mines", {**new_mine("x"), "geometry": {"type": "Circle", "coordinates": [110, -7]}}, GEOJSON, 400,
     "InvalidValue", "geometry"),
    ("POST", "coal_mine_boundaries",
     {"type": "Feature", "properties": {"mine_name": "bow tie", "iso3": "IDN"},
      "geometry": {"type": "Polygon", "coordinates": [[[110, -7], [111, -6], [111, -7], [110, -6], [110, -7]]]}},
     GEOJSON, 400, "InvalidValue", "valid"),
    ("POST", "coal_mine_boundaries",
     {"type": "Feature", "properties": {"mine_name": "open ring", "iso3": "IDN"},
      "geometry": {"type": "Polygon", "coordinates": [[[110, -7], [111, -7], [111, -6], [110, -6]]]}},
     GEOJSON, 400, "InvalidValue", None),
    ("POST", "coal_mine_boundaries",
     {"type": "Feature", "properties": {"mine_name": "a point", "iso3": "IDN"}, "geometry": point(110, -7)},
     GEOJSON, 400, "InvalidValue", "MULTIPOLYGON"),
    ("POST", "coal_mines", new_mine("plain text"), "text/plain", 415, None, "application/geo+json"),
    ("POST", "coal_mines", new_mine("form"), "application/x-www-form-urlencoded", 415, None, None),
    ("POST", "coal_mines", new_mine("xml"), "application/gml+xml", 415, None, None),
    ("POST", "nowhere", new_mine("x"), GEOJSON, 404, None, "nowhere"),
    ("PATCH", "coal_mines", '{"properties": {"status": ', MERGE_PATCH, 400, None, None),
    ("PATCH", "coal_mines", {"properties": {"status": 5}}, MERGE_PATCH, 400, "InvalidValue", "status"),
    ("PATCH", "coal_mines", {"properties": {"colour": "red"}}, MERGE_PATCH, 400, "InvalidValue", "colour"),
    ("PATCH", "coal_mines", {"properties": "Closed"}, MERGE_PATCH, 400, "InvalidValue", "properties"),
    ("PATCH", "coal_mines", {"colour": "red"}, MERGE_PATCH, 400, "InvalidValue", "'properties' only"),
    ("PATCH", "coal_mines", {"geometry": {"type": "Polygon", "coordinates": [[[110, -7], [111, -7], [111, -6], [110, -7]]]}},
     MERGE_PATCH, 400, "InvalidValue", "POINT"),
    ("PATCH", "coal_mines", {"geometry": point(-181, 0)}, MERGE_PATCH, 400, "InvalidValue", "longitude"),
    ("PATCH", "coal_mines", {"properties": {"status": "Closed"}}, "text/plain", 415, None, None),
    ("PUT", "coal_mines", {"type": "Feature"}, GEOJSON, 400, None, "geometry"),
    ("PUT", "coal_mines", {"properties": {}, "geometry": None}, GEOJSON, 400, None, "Feature"),
    ("PUT", "coal_mines", new_mine("x", reserves_mt="lots"), GEOJSON, 400, "InvalidValue", "reserves_mt"),
    ("PUT", "coal_mines", new_mine("x"), "text/csv", 415, None, None),
]


@pytest.mark.parametrize("method, collection, body, ctype, status, code, mentions", BAD_INPUT,
                         ids=[f"{i:02d}-{c[0]}-{c[4]}" for i, c in enumerate(BAD_INPUT)])
def test_bad_input_is_refused_and_records_nothing(env, matrix_features, method, collection, body, ctype, status,
                                                  code, mentions):
    fid = None if method == "POST" else matrix_features["IDN"]
    before = snapshot(env.store)
    d = error(env.write(method, REVIEWER, fid, body, collection=collection, content_type=ctype), status, code)
    if mentions:
        assert mentions.lower() in d["description"].lower(), d
    assert snapshot(env.store) == before


def test_missing_features_and_ids(env):
    before = snapshot(env.store)
    for method in ("PUT", "PATCH", "DELETE"):
        for fid in ("99999999", "abc", "-3", "1.5"):
            body = None if method == "DELETE" else ({"properties": {}} if method == "PATCH" else new_mine("x"))
            error(env.write(method, REVIEWER, fid, body), 404)
        error(env.write(method, REVIEWER, 1, None if method == "DELETE" else new_mine("x"), collection="nowhere"), 404)
    error(env.call("POST", "/changesets", REVIEWER, {"collection": "nowhere"}), 400)
    error(env.call("POST", "/changesets", REVIEWER, {"title": "no collection"}), 400)
    error(env.call("POST", "/changesets", REVIEWER, {"collection": "coal_mines", "title": 5}), 400)
    error(env.call("POST", "/changesets", REVIEWER, "not json"), 400)
    error(env.call("POST", "/changesets", REVIEWER, {"collection": "coal_mines"}, "text/plain"), 415)
    error(env.call("POST", "/changesets", REVIEWER, {"collection": "coal_mines", "title": "t" * 501}), 400)
    submitted = rows(env.store, "SELECT max(id) FROM amis_change_sets WHERE state = 'submitted' AND author != ?",
                     REVIEWER)[0][0]
    error(env.act(submitted, "reject", REVIEWER, "c" * 10001), 400)
    # Methods a path does not take: 405 with the ones it does.
    for method, path, allow in (("DELETE", "/changesets/1", {"GET"}), ("GET", "/changesets/1/approve", {"POST"}),
                                ("PUT", "/changesets", {"GET", "POST"}), ("PATCH", "/collections/coal_mines/items",
                                                                          {"GET", "POST"}),
                                ("POST", "/audit", {"GET"}), ("POST", "/collections/coal_mines/items/1/history", {"GET"})):
        r = env.call(method, path, ADMIN)
        error(r, 405)
        assert {m.strip() for m in r.headers["Allow"].split(",")} >= allow, (path, r.headers["Allow"])
    assert snapshot(env.store) == before


def test_accepted_variants_of_input(env):
    """What is accepted and how it is stored: a Polygon promoted into a MULTIPOLYGON
    collection, a 3D point flattened, 2020.0 as an INTEGER, a charset parameter."""
    ring = [[110.0, -7.0], [110.2, -7.0], [110.2, -6.8], [110.0, -6.8], [110.0, -7.0]]
    d = env.draft(REVIEWER, "coal_mine_boundaries")
    r = env.write("POST", REVIEWER, body={"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                                          "properties": {"mine_name": "promoted", "iso3": "IDN"}},
                  collection="coal_mine_boundaries", params={"changeset": d})
    assert r.status_code == 202, r.text
    stored = wkb_geometry(changes_of(env.store, d)[0]["geom"])
    wkt = "MULTIPOLYGON (((" + ",".join(f"{x} {y}" for x, y in ring) + ")))"
    assert stored.GetGeometryName() == "MULTIPOLYGON" and stored.Equals(ogr.CreateGeometryFromWkt(wkt))

    d2 = env.draft(REVIEWER)
    body = new_mine("three d", opening_year=2020.0)
    body["geometry"] = {"type": "Point", "coordinates": [110.4, -7.3, 350.0]}
    r = env.write("POST", REVIEWER, body=body, content_type="application/geo+json; charset=utf-8",
                  params={"changeset": d2})
    assert r.status_code == 202, r.text
    r = env.write("POST", REVIEWER, body=new_mine("plain json"), content_type="application/json",
                  params={"changeset": d2})
    assert r.status_code == 202, r.text
    first, second = changes_of(env.store, d2)
    g = wkb_geometry(first["geom"])
    assert g.GetCoordinateDimension() == 2 and same_point(g, 110.4, -7.3)
    assert first["properties"]["opening_year"] == 2020 and isinstance(first["properties"]["opening_year"], int)
    assert second["properties"]["mine_name"] == "plain json"
    assert env.act(d2, "submit", REVIEWER).status_code == 200
    env.approve(d2, ADMIN)
    fid = changes_of(env.store, d2)[0]["fid"]
    assert rows(env.store, "SELECT typeof(opening_year), opening_year FROM coal_mines WHERE fid = ?", fid) == [
        ("integer", 2020)]


def test_body_over_the_limit_is_refused_with_413(env):
    """A Content-Length above the server's 16 MiB body limit: 413 before any body is read."""
    before = snapshot(env.store)
    host, port = "127.0.0.1", env.server.port
    length = 17 * 1024 * 1024
    head = (f"POST /collections/coal_mines/items HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Authorization: Bearer {env.tokens[REVIEWER]}\r\nContent-Type: application/geo+json\r\n"
            f"Content-Length: {length}\r\n\r\n")
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(head.encode())
        data = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                data += chunk
    status_line, _, rest = data.partition(b"\r\n")
    assert status_line.split(b" ")[1] == b"413", data[:300]
    body = json.loads(rest.split(b"\r\n\r\n", 1)[1])
    assert set(body) >= {"code", "description"}
    # A body just under the limit is read (and refused for what it is, not for its size).
    big = json.dumps(new_mine("big", comment="x")).encode()
    padding = b" " * (15 * 1024 * 1024)
    r = env.write("POST", REVIEWER, body=big[:-1] + padding + b"}")
    error(r, 400, "InvalidValue")  # 'comment' is no property of coal_mines
    assert snapshot(env.store) == before


def test_unknown_query_parameters_are_refused(env, matrix_features):
    fid = matrix_features["IDN"]
    before = snapshot(env.store)
    error(env.write("POST", REVIEWER, body=new_mine("x"), params={"colour": "red"}), 400)
    error(env.write("PATCH", REVIEWER, fid, {"properties": {"status": "Closed"}}, params={"dryRun": "true"}), 400)
    error(env.write("PUT", REVIEWER, fid, new_mine("x"), params={"f": "json"}), 400)
    error(env.write("DELETE", REVIEWER, fid, params={"changeSet": "1"}), 400)  # the name is case-sensitive
    error(env.call("GET", "/changesets/1/review", REVIEWER, params={"colour": "red"}), 400)
    assert snapshot(env.store) == before


# --------------------------------------------------------------------------- review problems


def test_boundary_problems_in_the_review(env):
    idn = country_polygon(env.store, "IDN")
    vnm = country_polygon(env.store, "VNM")
    java, hanoi = ogr.CreateGeometryFromWkt("POINT (%r %r)" % IN_JAVA), ogr.CreateGeometryFromWkt("POINT (%r %r)" % IN_HANOI)
    assert idn.Intersects(java) and not idn.Intersects(hanoi) and vnm.Intersects(hanoi)
    d = env.draft(IDN_EDITOR)
    for name, where in (("inside", IN_JAVA), ("outside", IN_HANOI)):
        # An Indonesian editor may file an IDN feature anywhere; the review flags it.
        assert env.write("POST", IDN_EDITOR, body=new_mine(name, where), params={"changeset": d}).status_code == 202
    fid = env.fresh("IDN")[0]
    assert env.write("PATCH", IDN_EDITOR, fid, {"geometry": point(*IN_HANOI)}, params={"changeset": d}).status_code == 202
    review = env.call("GET", f"/changesets/{d}/review", IDN_EDITOR).json()
    assert [c["problems"] for c in review["changes"]] == [[], ["outside the boundary of IDN"],
                                                          ["outside the boundary of IDN"]]
    assert review["numberOfChanges"] == 3 and review["changesWithProblems"] == 2
    page = env.call("GET", f"/changesets/{d}/review", IDN_EDITOR, params={"offset": 1, "limit": 1}).json()
    assert [c["seq"] for c in page["changes"]] == [2] and page["changesWithProblems"] == 2


# --------------------------------------------------------------------------- readers after approval


def test_readers_see_approved_changes(env):
    """Items, numberMatched, the extent, the HTML page, GDAL's OAPIF driver, WFS and the
    GPKG driver on the store file all follow an approval."""
    moved, deleted = env.fresh("IDN", 2)
    n0 = count(env.store, "coal_mines")
    d = env.draft(REVIEWER, title="readers")
    far = (150.25, 55.5)  # beyond the collection's extent (and any country: a problem, not a refusal)
    for body in (new_mine("Reader pit", IN_JAVA, iso3="IDN", capacity_mtpa=4.5),
                 new_mine("Far pit", far, iso3="JPN")):
        assert env.write("POST", REVIEWER, body=body, params={"changeset": d}).status_code == 202
    assert env.write("PATCH", REVIEWER, moved, {"geometry": point(111.111, -7.777), "properties": {"status": "Closed"}},
                     params={"changeset": d}).status_code == 202
    assert env.write("DELETE", REVIEWER, deleted, params={"changeset": d}).status_code == 202
    old_deleted = feature_row(env.store, "coal_mines", deleted)[0]
    assert env.act(d, "submit", REVIEWER).status_code == 200
    env.approve(d, ADMIN)
    new_fid, far_fid = [c["fid"] for c in changes_of(env.store, d)[:2]]
    n1 = count(env.store, "coal_mines")
    assert n1 == n0 + 1

    items = env.s.get(f"{env.url}/collections/coal_mines/items", params={"limit": 1}, timeout=30).json()
    assert items["numberMatched"] == n1
    f = env.get_feature(new_fid).json()
    assert f["properties"]["mine_name"] == "Reader pit" and f["properties"]["capacity_mtpa"] == 4.5
    assert f["geometry"] == point(*IN_JAVA)
    error(env.get_feature(deleted), 404)
    coll = env.s.get(f"{env.url}/collections/coal_mines", timeout=30).json()
    minx, miny, maxx, maxy = coll["extent"]["spatial"]["bbox"][0]
    assert maxx >= far[0] - 1e-4 and maxy >= far[1] - 1e-4 and maxx < far[0] + 0.01 and maxy < far[1] + 0.01
    updated = rows(env.store, "SELECT updated FROM amis_collections WHERE id = 'coal_mines'")[0][0]
    html = env.s.get(f"{env.url}/collections/coal_mines", params={"f": "html"}, timeout=30).text
    assert updated in html and str(n1) in html

    # GDAL's GeoPackage driver on the store file: the feature count it keeps.
    ds = gdal.OpenEx(str(env.store), gdal.OF_VECTOR | gdal.OF_READONLY)
    assert ds.GetLayerByName("coal_mines").GetFeatureCount() == n1
    ds = None

    # GDAL's OAPIF driver, with bbox requests around each place.
    ds = gdal.OpenEx(f"OAPIF:{env.url}", gdal.OF_VECTOR | gdal.OF_READONLY)
    layer = ds.GetLayerByName("coal_mines")

    def near(lon, lat, r=0.0005):
        layer.SetSpatialFilterRect(lon - r, lat - r, lon + r, lat + r)
        return [(ft.GetFID(), ft.GetField("mine_name"), ft.GetField("status"), ft.GetGeometryRef().Clone())
                for ft in layer]

    got = {fid: (name, status, g) for fid, name, status, g in near(*IN_JAVA)}
    assert got[new_fid][0] == "Reader pit" and same_point(got[new_fid][2], *IN_JAVA)
    got = {fid: (name, status, g) for fid, name, status, g in near(111.111, -7.777)}
    assert got[moved][1] == "Closed" and same_point(got[moved][2], 111.111, -7.777)
    assert deleted not in [x[0] for x in near(old_deleted.GetX(), old_deleted.GetY())]
    assert [x[1] for x in near(*far)] == ["Far pit"]
    ds = None

    # WFS 2.0 GetFeature by resource id.
    _, feats = ws.get_features(env.s, env.url, RESOURCEID=f"coal_mines.{new_fid},coal_mines.{moved},"
                                                          f"coal_mines.{deleted}")
    by_id = {ws.fid_of(g.gml_id, "coal_mines"): g for g in feats}
    assert sorted(by_id) == sorted([new_fid, moved])
    assert by_id[new_fid].properties["mine_name"] == "Reader pit"
    assert by_id[moved].properties["status"] == "Closed"
    g = by_id[moved].geometry  # EPSG:4326 axis order: latitude first
    assert abs(g.GetX() - (-7.777)) < 1e-9 and abs(g.GetY() - 111.111) < 1e-9


def test_vector_tiles_follow_an_approved_move(env):
    fid = env.fresh("IDN")[0]
    g, _ = feature_row(env.store, "coal_mines", fid)
    z = 12

    def tile_of(lon, lat):
        n = 2 ** z
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        return y, x

    def ids_in(row, col):
        r = ts.get_tile(env.s, env.url, "WebMercatorQuad", z, row, col, "coal_mines")
        if r.status_code == 204:
            return set()
        layers = ts.decode_mvt(ts.mvt_body(r))
        return {f.id for f in layers["coal_mines"].features} if "coal_mines" in layers else set()

    old_tile = tile_of(g.GetX(), g.GetY())
    target = (g.GetX() + 0.5, g.GetY() + 0.3)
    new_tile = tile_of(*target)
    assert old_tile != new_tile
    assert fid in ids_in(*old_tile) and fid in ids_in(*old_tile)  # the second from the cache
    assert fid not in ids_in(*new_tile)
    cache = env.work / "tile-cache"
    assert cache.is_dir() and any(p.is_file() for p in cache.rglob("*")), "tiles are not cached: no invalidation to test"
    cs = env.write("PATCH", REVIEWER, fid, {"geometry": point(*target)}).json()["changeSet"]["id"]
    assert fid in ids_in(*old_tile)  # submitted is not published
    env.approve(cs)
    assert fid not in ids_in(*old_tile)
    assert fid in ids_in(*new_tile)


def test_datetime_properties_are_normalised_and_extend_the_temporal_extent(env):
    fid = rows(env.store, "SELECT max(fid) FROM observations WHERE observed IS NOT NULL")[0][0]
    r = env.write("PATCH", REVIEWER, fid, {"properties": {"observed": "2030-01-01T07:30:00+07:00"}},
                  collection="observations")
    assert r.status_code == 202, r.text
    env.approve(r.json()["changeSet"]["id"], ADMIN)
    stored = rows(env.store, "SELECT observed FROM observations WHERE fid = ?", fid)[0][0]
    assert datetime.fromisoformat(stored.replace("Z", "+00:00")) == datetime(2030, 1, 1, 0, 30, tzinfo=timezone.utc)
    coll = env.s.get(f"{env.url}/collections/observations", timeout=30).json()
    end = coll["extent"]["temporal"]["interval"][0][1]
    assert datetime.fromisoformat(end.replace("Z", "+00:00")) == datetime(2030, 1, 1, 0, 30, tzinfo=timezone.utc)
    found = env.s.get(f"{env.url}/collections/observations/items",
                      params={"datetime": "2030-01-01T00:30:00Z"}, timeout=30).json()
    assert [f["id"] for f in found["features"]] == [fid]
    before = snapshot(env.store)
    for bad in ("yesterday", "2030-13-01T00:00:00Z", "2030-01-01T00:00:00", 20300101):
        error(env.write("PATCH", REVIEWER, fid, {"properties": {"observed": bad}}, collection="observations"),
              400, "InvalidValue")
    assert snapshot(env.store) == before


def test_a_date_is_not_a_date_time(env):
    fid = rows(env.store, "SELECT min(fid) FROM observations WHERE observed IS NOT NULL")[0][0]
    before = snapshot(env.store)
    error(env.write("PATCH", REVIEWER, fid, {"properties": {"observed": "2030-01-01"}}, collection="observations"),
          400, "InvalidValue")
    assert snapshot(env.store) == before


# --------------------------------------------------------------------------- hostile input (own server)


@pytest.fixture
def spare_server(env, tmp_path):
    """A server of its own over a copy of the editing store (same users and tokens), for
    requests that may bring a server down."""
    store = ss.copy_store(env.store, tmp_path / "spare.gpkg")
    config = tmp_path / "amis.toml"
    config.write_text(CONFIG)
    srv = AmisServer(store, tmp_path, name="spare", config=config)
    srv.start()
    yield srv
    srv.stop()


DEPTH = 100_000  # a 200 KB body, far below the 16 MiB limit


@pytest.mark.parametrize("member", ["geometry", "property"])
def test_deeply_nested_json_is_refused_without_harm(env, spare_server, member):
    nested = "[" * DEPTH + "]" * DEPTH
    if member == "geometry":
        body = '{"type": "Feature", "geometry": {"type": "Point", "coordinates": %s}, "properties": {}}' % nested
    else:
        body = '{"type": "Feature", "geometry": null, "properties": {"status": %s}}' % nested
    with http_session() as s:
        try:
            r = s.post(f"{spare_server.url}/collections/coal_mines/items", data=body, timeout=60,
                       headers={**env.headers(IDN_EDITOR), "Content-Type": GEOJSON})
            status = r.status_code
        except requests.ConnectionError as e:
            status = f"no answer ({e.__class__.__name__})"
        try:
            alive = s.get(spare_server.url + "/", timeout=10).status_code == 200
        except requests.ConnectionError:
            alive = False
    assert alive, f"the server died (exit status {spare_server.process.poll()}): {spare_server.stderr()[-300:]}"
    assert status == 400, status


def test_number_matched_follows_an_approved_change(env):
    """numberMatched of a page after the first is remembered per collection version (issue 14):
    an approval makes a new version, so the next page counts again and never says the old number."""
    box = {"bbox": f"{IN_JAVA[0] - 0.5},{IN_JAVA[1] - 0.5},{IN_JAVA[0] + 0.5},{IN_JAVA[1] + 0.5}", "limit": 1}
    items = f"{env.url}/collections/coal_mines/items"
    before = env.s.get(items, params=box, timeout=60).json()["numberMatched"]
    assert env.s.get(items, params={**box, "offset": 1}, timeout=60).json()["numberMatched"] == before
    r = env.write("POST", IDN_EDITOR, body=new_mine("counted mine"))
    assert r.status_code == 202, r.text
    env.approve(r.json()["changeSet"]["id"], REVIEWER)  # a write without a draft is submitted at once
    for offset in (0, 1):
        assert env.s.get(items, params={**box, "offset": offset}, timeout=60).json()["numberMatched"] == before + 1
