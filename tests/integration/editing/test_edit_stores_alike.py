"""Change sets, versions, asOf, the audit log and accounts on PostgreSQL answer as on
the GeoPackage (issue 14): the same editing session, request for request, against a
server on a GeoPackage store and a server on a PostgreSQL database holding the same
import, with the answers compared (times and the server's address masked). Skipped
without AMIS_TEST_PG_URL (tests/pg/with_postgres.sh gives one).

Oracles beside the comparison: psycopg2 on the database (the audit log refuses UPDATE
and DELETE; the failed-login counters hold no address).
"""
from __future__ import annotations

import json
import os
import re
import urllib.parse
from pathlib import Path

import pytest

from support import AmisServer, DEMO_SOURCES, amis_import, http_session
from store_support import amis

PG_URL = os.environ.get("AMIS_TEST_PG_URL", "")
pytestmark = pytest.mark.skipif(not PG_URL, reason="AMIS_TEST_PG_URL is not set (tests/pg/with_postgres.sh)")

PASSWORD = "correct horse battery staple"
USERS = {"secretariat": ("admin", None), "expert": ("reviewer", None), "expert-two": ("reviewer", None),
         "idn-editor": ("editor", "IDN")}
CONFIG = '[server]\nlog_level = "info"\n\n[editing]\ncountry_property = "iso3"\n'
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


def database_url(name: str) -> str:
    parts = urllib.parse.urlsplit(PG_URL)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="module")
def postgres_store():
    import psycopg2
    admin = psycopg2.connect(PG_URL)
    admin.autocommit = True
    name = f"amis_edit_alike_{os.getpid()}"
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {name}")
    url = database_url(name)
    with psycopg2.connect(url) as db, db.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    yield url
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


def start(store: str | Path, work: Path, name: str) -> tuple[AmisServer, dict[str, str]]:
    source = DEMO_SOURCES["coal_mines"]
    amis_import(store, source.path, "coal_mines")
    tokens = {}
    for user, (role, country) in USERS.items():
        extra = ["--country", country] if country else []
        r = amis("user", "add", user, "--role", role, *extra, "--store", store, stdin=PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
        r = amis("token", "create", user, "--store", store)
        assert r.returncode == 0, r.stderr
        tokens[user] = r.stdout.strip()
    config = work / f"{name}.toml"
    config.write_text(CONFIG)
    srv = AmisServer(store, work, name=name, config=config)
    srv.start()
    return srv, tokens


def session_transcript(srv: AmisServer, tokens: dict[str, str]) -> list[tuple]:
    """One editing session; each answer as (request, status, masked body, masked ETag)."""
    out: list[tuple] = []
    with http_session() as s:
        def call(method: str, path: str, user: str | None = None, body=None, ctype="application/json"):
            headers = {"Authorization": f"Bearer {tokens[user]}"} if user else {}
            data = None
            if body is not None:
                data = json.dumps(body)
                headers["Content-Type"] = ctype
            r = s.request(method, srv.url + path, data=data, headers=headers, timeout=60)
            text = TIME.sub("TIME", r.text.replace(srv.url, "URL"))
            etag = r.headers.get("ETag")  # a weak one stands for the data's update time: masked
            out.append((f"{method} {path} {user}", r.status_code, text, "W/" if etag and etag.startswith("W/") else etag))
            return r

        def change_set_of(r) -> int:
            assert r.status_code == 202, r.text
            return r.json()["changeSet"]["id"]

        items = "/collections/coal_mines/items"
        first = call("GET", f"{items}?limit=3").json()["features"]
        f1, f2, f3 = (f["id"] for f in first)
        before = call("GET", "/collections/coal_mines").json()["extent"]
        new = change_set_of(call("POST", items, "expert", {
            "type": "Feature", "geometry": {"type": "Point", "coordinates": [110.4, -7.3]},
            "properties": {"mine_name": "Alike", "status": "Proposed", "iso3": "IDN"}}, "application/geo+json"))
        patch = change_set_of(call("PATCH", f"{items}/{f1}", "expert", {"properties": {"status": "Mothballed"}},
                                   "application/merge-patch+json"))
        late = change_set_of(call("PATCH", f"{items}/{f1}", "secretariat", {"properties": {"status": "Shelved"}},
                                  "application/merge-patch+json"))
        delete = change_set_of(call("DELETE", f"{items}/{f2}", "expert"))
        for cs in (new, patch, delete):
            assert call("POST", f"/changesets/{cs}/approve", "expert-two").status_code == 200
        assert call("POST", f"/changesets/{late}/approve", "expert-two").status_code == 409
        call("POST", f"/changesets/{late}/reject", "expert-two", {"comment": "conflicts"})
        draft = call("POST", "/changesets", "idn-editor", {"collection": "coal_mines", "title": "draft"}).json()["id"]
        call("POST", f"/changesets/{draft}/submit", "idn-editor")
        for cs in (new, patch, late, delete, draft):
            call("GET", f"/changesets/{cs}", "expert")
            call("GET", f"/changesets/{cs}/review", "expert")
        call("GET", "/changesets?limit=10", "expert")
        call("GET", "/changesets?state=approved", "secretariat")
        for fid in (f1, f2, f3):
            call("GET", f"{items}/{fid}")
            call("GET", f"{items}/{fid}/history")
        call("GET", f"{items}?asOf=2000-01-01T00:00:00Z&limit=4")
        call("GET", f"{items}?asOf=2999-01-01T00:00:00Z&limit=4")
        call("GET", "/collections/coal_mines")
        call("GET", "/audit", "secretariat")
        call("GET", "/admin/users", "secretariat")
        call("PATCH", "/admin/users/secretariat", "secretariat", {"disabled": True})  # the last administrator
        assert before
    return out


def test_an_editing_session_answers_alike_on_both_stores(tmp_path, postgres_store):
    gpkg_srv, gpkg_tokens = start(tmp_path / "store.gpkg", tmp_path, "gpkg")
    pg_srv, pg_tokens = start(postgres_store, tmp_path, "postgis")
    try:
        gpkg = session_transcript(gpkg_srv, gpkg_tokens)
        pg = session_transcript(pg_srv, pg_tokens)
    finally:
        for srv in (gpkg_srv, pg_srv):
            alive = srv.alive()
            srv.stop()
            assert alive, srv.stderr()[-3000:]
    assert len(gpkg) == len(pg)
    for a, b in zip(gpkg, pg):
        assert a == b, f"{a[0]}:\n gpkg     {a[1]} {a[3]} {a[2][:1500]}\n postgis  {b[1]} {b[3]} {b[2][:1500]}"
    statuses = [t[1] for t in gpkg]
    assert 500 not in statuses and 409 in statuses


def test_the_audit_log_refuses_changes_in_the_database(postgres_store):
    import psycopg2
    r = amis("user", "add", "audited-user", "--role", "reviewer", "--store", postgres_store, stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr  # an entry in the audit log
    with psycopg2.connect(postgres_store) as db, db.cursor() as cur:
        cur.execute("SELECT count(*) FROM amis_audit")
        assert cur.fetchone()[0] > 0
    for statement in ("UPDATE amis_audit SET actor = 'mallory'", "DELETE FROM amis_audit", "TRUNCATE amis_audit"):
        db = psycopg2.connect(postgres_store)
        with pytest.raises(psycopg2.Error, match="append-only"), db.cursor() as cur:
            cur.execute(statement)
        db.close()


def test_two_nodes_on_one_database_share_sessions_and_failed_logins(tmp_path, postgres_store):
    """Stateless nodes (issue 14): a session opened on one node works on the other, a
    logout on one ends it on both, and failed logins on either count for both."""
    import requests
    config = tmp_path / "nodes.toml"
    config.write_text(CONFIG)
    amis_import(postgres_store, DEMO_SOURCES["coal_mines"].path, "coal_mines")
    r = amis("user", "add", "node-user", "--role", "reviewer", "--store", postgres_store, stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    nodes = [AmisServer(postgres_store, tmp_path, name=f"node-{n}", config=config) for n in range(2)]
    try:
        for node in nodes:
            node.start()
        a, b = (node.url for node in nodes)
        login = requests.post(f"{a}/login", json={"user": "node-user", "password": PASSWORD}, timeout=30)
        assert login.status_code == 200, login.text
        cookie = {"amis_session": login.cookies["amis_session"]}
        csrf = login.json()["csrfToken"]
        seen = requests.get(f"{b}/session", cookies=cookie, timeout=30)
        assert seen.status_code == 200 and seen.json()["user"] == "node-user", seen.text
        assert seen.json()["csrfToken"] == csrf
        draft = requests.post(f"{b}/changesets", json={"collection": "coal_mines"}, cookies=cookie,
                              headers={"X-CSRF-Token": csrf}, timeout=30)
        assert draft.status_code == 201, draft.text
        no_csrf = requests.post(f"{b}/changesets", json={"collection": "coal_mines"}, cookies=cookie, timeout=30)
        assert no_csrf.status_code == 403, no_csrf.text
        out = requests.post(f"{a}/logout", cookies=cookie, headers={"X-CSRF-Token": csrf}, timeout=30)
        assert out.status_code == 200, out.text
        assert requests.get(f"{b}/session", cookies=cookie, timeout=30).status_code == 401

        for n in range(5):
            wrong = requests.post(f"{(a, b)[n % 2]}/login", json={"user": "node-user", "password": "wrong password!"},
                                  timeout=30)
            assert wrong.status_code == 401, wrong.text
        for url in (a, b):
            limited = requests.post(f"{url}/login", json={"user": "node-user", "password": PASSWORD}, timeout=30)
            assert limited.status_code == 429, limited.text
    finally:
        for node in nodes:
            alive = node.alive()
            node.stop()
            assert alive, node.stderr()[-3000:]

    import psycopg2
    with psycopg2.connect(postgres_store) as db, db.cursor() as cur:
        cur.execute("SELECT count(*) FROM amis_login_pairs WHERE failures = 5")
        assert cur.fetchone()[0] == 1
        cur.execute("SELECT string_agg(digest, ' ') FROM amis_login_pairs UNION ALL "
                    "SELECT string_agg(address || name, ' ') FROM amis_login_names")
        stored = " ".join(row[0] or "" for row in cur.fetchall())
        assert "127.0.0.1" not in stored and "node-user" not in stored
