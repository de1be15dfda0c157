"""What the editing tests share: reading a store with read-only sqlite3 (independently of
AMIS), digests of whole tables to prove that a refused request changed nothing, the audit
log and change sets as stored, OGC API JSON errors, and the `amis` command line."""
from __future__ import annotations

import contextlib
import hashlib
import subprocess
from pathlib import Path

import requests

from support import amis_argv, amis_cwd, connect_store, on_postgis


def ro(store: Path):
    """A read-only connection to the store (sqlite3, or psycopg2 on PostGIS): support.connect_store."""
    return contextlib.closing(connect_store(store))


def rows(store: Path, sql: str, *args) -> list[tuple]:
    with ro(store) as db:
        return db.execute(sql, args).fetchall()


def table_digests(store: Path, tables) -> dict[str, str]:
    """table -> SHA-256 of all its rows in rowid order."""
    out = {}
    with ro(store) as db:
        for t in tables:
            if on_postgis() and t.startswith("gpkg_"):
                out[t] = "the GeoPackage's registry: none on PostGIS"
                continue
            h = hashlib.sha256()
            if not on_postgis():
                sql = f'SELECT * FROM "{t}" ORDER BY rowid'
            elif t.startswith("rtree_"):  # the envelopes of the stored geometries (pg_support)
                sql = f'SELECT * FROM "{t}" ORDER BY id'
            else:
                sql = f'SELECT * FROM "{t}" t ORDER BY t::text'  # PostgreSQL has no rowid
            for r in db.execute(sql):
                h.update(repr(r).encode())
            out[t] = h.hexdigest()
    return out


def amis(*args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(amis_argv(*args), cwd=amis_cwd(*args), input=stdin, capture_output=True, text=True,
                          timeout=120)


def add_users(store: Path, users: dict[str, tuple[str, str | None]], password: str) -> dict[str, str]:
    """`amis user add` for name -> (role, country or None), then `amis token create` for each;
    returns name -> token."""
    tokens = {}
    for name, (role, country) in users.items():
        extra = ["--country", country] if country else []
        r = amis("user", "add", name, "--role", role, *extra, "--store", store, stdin=password + "\n")
        assert r.returncode == 0, r.stderr
        r = amis("token", "create", name, "--store", store)
        assert r.returncode == 0, r.stderr
        tokens[name] = r.stdout.strip()
    return tokens


def change_set_row(store: Path, cs: int) -> dict:
    with ro(store) as db:
        cur = db.execute("SELECT * FROM amis_change_sets WHERE id = ?", (cs,))
        names = [d[0] for d in cur.description]
        row = cur.fetchone()
    assert row is not None, f"no change set {cs} in amis_change_sets"
    return dict(zip(names, row))


def last_audit_id(store: Path) -> int:
    return rows(store, "SELECT coalesce(max(id), 0) FROM amis_audit")[0][0]


def audit_since(store: Path, after_id: int) -> list[tuple]:
    return rows(store, "SELECT actor, action, subject, detail FROM amis_audit WHERE id > ? ORDER BY id", after_id)


def error(r: requests.Response, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, f"{r.request.method} {r.url}: {r.status_code} {r.text[:400]}"
    assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
    doc = r.json()
    assert set(doc) >= {"code", "description"} and doc["description"], doc
    if code:
        assert doc["code"] == code, doc
    return doc
