"""What the needs-register tests share: a server on a store of its own (either backend) with
accounts of every role, calls with a bearer token or a login session, and the register's
tables read with plain SQL (sqlite3 or psycopg2), independently of AMIS."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests

from support import AmisServer, DEMO_SOURCES, amis_import, http_session
from store_support import add_users, rows

PASSWORD = "correct horse battery staple"
ADMIN, REVIEWER, REVIEWER2 = "secretariat", "expert", "expert-two"
IDN, VNM = "idn-editor", "vnm-editor"
USERS = {ADMIN: ("admin", None), REVIEWER: ("reviewer", None), REVIEWER2: ("reviewer", None),
         IDN: ("editor", "IDN"), VNM: ("editor", "VNM")}
CONFIG = '[server]\nlog_level = "info"\n\n[editing]\ncountry_property = "iso3"\n'
NEED_COLUMNS = ("id", "kind", "title", "description", "collection", "feature", "submitter", "country", "created",
                "updated", "status", "priority", "assignee", "resolution")


class Env:
    def __init__(self, server: AmisServer, store: Path, tokens: dict[str, str]):
        self.server, self.store, self.tokens = server, store, tokens
        self.s = http_session()

    def call(self, method: str, path: str, user: str | None = None, body: Any = None,
             params: dict | None = None, headers: dict | None = None, raw: bytes | str | None = None,
             content_type: str = "application/json") -> requests.Response:
        h = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        if body is not None or raw is not None:
            h["Content-Type"] = content_type
        h.update(headers or {})
        data = raw if raw is not None else (None if body is None else json.dumps(body))
        return self.s.request(method, self.server.url + path, data=data, headers=h, params=params, timeout=60)

    def submit(self, user: str, body: dict, expect: int = 201) -> dict:
        r = self.call("POST", "/needs", user, body)
        assert r.status_code == expect, r.text
        return r.json()

    def triage(self, user: str, need: int, body: dict, expect: int = 200) -> dict:
        r = self.call("PATCH", f"/needs/{need}", user, body)
        assert r.status_code == expect, r.text
        return r.json()


def need_rows(store: Path, where: str = "", *args) -> list[dict]:
    """amis_needs as stored, id ascending."""
    found = rows(store, f"SELECT {', '.join(NEED_COLUMNS)} FROM amis_needs {where} ORDER BY id", *args)
    return [dict(zip(NEED_COLUMNS, r)) for r in found]


def note_rows(store: Path, need: int) -> list[tuple]:
    return rows(store, "SELECT author, kind, text FROM amis_need_notes WHERE need = ? ORDER BY id", need)


def audit_rows(store: Path, need: int) -> list[tuple]:
    return rows(store, "SELECT actor, action, detail FROM amis_audit WHERE subject = ? ORDER BY id", f"need {need}")


def as_stored(doc: dict) -> dict:
    """A need of the API as its row: the same fields under the table's names."""
    return {"id": doc["id"], "kind": doc["kind"], "title": doc["title"], "description": doc["description"],
            "collection": doc["collection"] or "", "feature": doc["featureId"], "submitter": doc["submitter"],
            "country": doc["country"] or "", "created": doc["created"], "updated": doc["updated"],
            "status": doc["status"], "priority": doc["priority"], "assignee": doc["assignee"] or "",
            "resolution": doc["resolution"]}


def start_env(work: Path, name: str, collections: tuple[str, ...] = ("coal_mines",)) -> Env:
    """A store with the demo's collections and the accounts of USERS, and a server on it."""
    store = work / "store.gpkg"
    for collection in collections:
        amis_import(store, DEMO_SOURCES[collection].path, collection)
    tokens = add_users(store, USERS, PASSWORD)
    config = work / "amis.toml"
    config.write_text(CONFIG)
    srv = AmisServer(store, work, name=name, config=config)
    srv.start()
    return Env(srv, store, tokens)
