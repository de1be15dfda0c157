"""The admin API for accounts (issue 6): /admin/users, /admin/users/{name},
/admin/users/{name}/tokens and /admin/tokens/{id}, for administrators only, on a store
and a server of their own (users made with `amis user add`, tokens with `amis token
create`, and the bootstrap token of amis.toml's [admin] section).

Oracles, none of them AMIS's own output:
- sqlite3 reads (read-only) of amis_users, amis_tokens and amis_audit, and digests of
  them to see that a refused request changed nothing;
- Python's hashlib: a token's SHA-256 is the digest the store keeps;
- libsodium's crypto_pwhash_str_verify through ctypes: the stored argon2id hash is one of
  the password that was set (and no longer of the old one);
- the server's access log and stderr, searched for every password and token used here.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import ctypes.util
import hashlib
import json
import sqlite3
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

import styles_support as ss
from support import AmisServer, amis_argv, amis_cwd, free_loopback_port, http_session
from store_support import amis, audit_since, error, last_audit_id, ro, rows, table_digests

PASSWORD = "correct horse battery staple"
ADMIN, REVIEWER, IDN_EDITOR = "secretariat", "expert", "idn-editor"
USERS = {ADMIN: ("admin", None), REVIEWER: ("reviewer", None), IDN_EDITOR: ("editor", "IDN")}
BOOTSTRAP = "bootstrap-admin-token-for-the-admin-api-tests-4b1d"  # >= 24 characters, no real secret
JSON = "application/json"
ACCOUNT_TABLES = ("amis_users", "amis_tokens", "amis_audit")
ASEAN3 = ("BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "CHN", "JPN", "KOR")


# --------------------------------------------------------------------------- the store, read directly



def snapshot(store: Path, tables=ACCOUNT_TABLES) -> dict[str, str]:
    """table -> SHA-256 of all its rows in rowid order."""
    return table_digests(store, tables)


def user_row(store: Path, name: str) -> dict | None:
    with ro(store) as db:
        cur = db.execute("SELECT * FROM amis_users WHERE name = ?", (name,))
        names = [d[0] for d in cur.description]
        r = cur.fetchone()
    return None if r is None else dict(zip(names, r))


def token_row(store: Path, token_id: int) -> dict | None:
    with ro(store) as db:
        cur = db.execute("SELECT * FROM amis_tokens WHERE id = ?", (token_id,))
        names = [d[0] for d in cur.description]
        r = cur.fetchone()
    return None if r is None else dict(zip(names, r))



def expected_user(store: Path, name: str) -> dict:
    """The user document the API should give, from the row of amis_users."""
    u = user_row(store, name)
    assert u is not None, name
    return {"name": u["name"], "role": u["role"], "country": u["country"] or None,
            "disabled": bool(u["disabled"]), "created": u["created"]}


_SODIUM = None


def sodium():
    global _SODIUM
    if _SODIUM is None:
        path = ctypes.util.find_library("sodium") or "libsodium.so.23"
        lib = ctypes.CDLL(path)
        assert lib.sodium_init() >= 0
        lib.crypto_pwhash_str_verify.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulonglong]
        _SODIUM = lib
    return _SODIUM


def password_matches(encoded_hash: str, password: str) -> bool:
    pw = password.encode()
    return sodium().crypto_pwhash_str_verify(encoded_hash.encode(), pw, len(pw)) == 0


# --------------------------------------------------------------------------- the server



@dataclass
class Env:
    store: Path
    server: AmisServer
    s: requests.Session
    tokens: dict[str, str]
    secrets: set = field(default_factory=set)  # every password and token used: none may be logged
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return self.server.url

    def keep(self, secret: str) -> str:
        with self.lock:
            self.secrets.add(secret)
        return secret

    def call(self, method: str, path: str, user: str | None = None, body: Any = None,
             content_type: str | None = None, token: str | None = None, params: dict | None = None
             ) -> requests.Response:
        data = body if body is None or isinstance(body, (bytes, str)) else json.dumps(body)
        h = {}
        if token or user:
            h["Authorization"] = f"Bearer {token or self.tokens[user]}"
        if data is not None and content_type != "":
            h["Content-Type"] = content_type or JSON
        return self.s.request(method, self.url + path, data=data, headers=h, params=params, timeout=60)

    def add_user(self, name: str, role: str, country: str | None = None, password: str | None = None,
                 user: str = ADMIN) -> dict:
        body = {"name": name, "role": role, "password": self.keep(password or f"pw of {name} 0123456789")}
        if country is not None:
            body["country"] = country
        r = self.call("POST", "/admin/users", user, body)
        assert r.status_code == 201, r.text
        return r.json()

    def new_token(self, name: str, label: str = "tests", user: str = ADMIN) -> tuple[int, str]:
        r = self.call("POST", f"/admin/users/{name}/tokens", user, {"label": label})
        assert r.status_code == 201, r.text
        return r.json()["id"], self.keep(r.json()["token"])

    def patch(self, name: str, body: Any, user: str = ADMIN) -> requests.Response:
        if isinstance(body, dict) and isinstance(body.get("password"), str):
            self.keep(body["password"])
        return self.call("PATCH", f"/admin/users/{name}", user, body)


@pytest.fixture(scope="module")
def env(tmp_path_factory, store_path):
    work = tmp_path_factory.mktemp("admin-api")
    store = ss.copy_store(store_path, work / "store.gpkg")
    tokens = {}
    for name, (role, country) in USERS.items():
        extra = ["--country", country] if country else []
        r = amis("user", "add", name, "--role", role, *extra, "--store", store, stdin=PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
        r = amis("token", "create", name, "--label", "fixture", "--store", store)
        assert r.returncode == 0, r.stderr
        tokens[name] = r.stdout.strip()
    tokens["bootstrap"] = BOOTSTRAP
    config = work / "amis.toml"
    config.write_text(f'[server]\nlog_level = "info"\n\n[admin]\ntoken = "{BOOTSTRAP}"\n')
    srv = AmisServer(store, work, name="admin-api", config=config)
    srv.start()
    with http_session() as s:
        yield Env(store, srv, s, tokens, secrets={PASSWORD, BOOTSTRAP, *tokens.values()})
    alive = srv.alive()
    status = srv.stop()
    assert alive, f"amis serve died during the admin API tests:\n{srv.stderr()}"
    assert status == 0, srv.stderr()



# --------------------------------------------------------------------------- who may


def admin_requests(env: Env) -> list[tuple[str, str, Any]]:
    live = rows(env.store, "SELECT id FROM amis_tokens WHERE user_name = ? AND NOT revoked", REVIEWER)[0][0]
    return [
        ("GET", "/admin/users", None),
        ("POST", "/admin/users", {"name": "intruder", "role": "admin", "password": "x" * 20}),
        ("GET", f"/admin/users/{REVIEWER}", None),
        ("PATCH", f"/admin/users/{REVIEWER}", {"role": "admin"}),
        ("PATCH", f"/admin/users/{ADMIN}", {"disabled": True}),
        ("GET", f"/admin/users/{REVIEWER}/tokens", None),
        ("POST", f"/admin/users/{REVIEWER}/tokens", {"label": "stolen"}),
        ("DELETE", f"/admin/tokens/{live}", None),
        ("GET", "/admin/users/nobody", None),  # 401/403 before 404: no probing for names
        ("PATCH", "/admin/users/nobody", {"disabled": True}),
        ("DELETE", "/admin/tokens/99999999", None),
    ]


@pytest.mark.parametrize("who, status", [(None, 401), ("forged", 401), ("altered", 401), ("basic", 401),
                                         (REVIEWER, 403), (IDN_EDITOR, 403)])
def test_admin_api_is_for_administrators_only(env, who, status):
    before = snapshot(env.store)
    for method, path, body in admin_requests(env):
        headers = {}
        if who == "forged":
            headers["Authorization"] = "Bearer amis_" + "A" * 43
        elif who == "altered":
            t = env.tokens[ADMIN]
            headers["Authorization"] = "Bearer " + t[:-1] + ("A" if t[-1] != "A" else "B")
        elif who == "basic":
            headers["Authorization"] = "Basic c2VjcmV0YXJpYXQ6Y29ycmVjdCBob3JzZQ=="
        elif who:
            headers["Authorization"] = f"Bearer {env.tokens[who]}"
        if body is not None:
            headers["Content-Type"] = JSON
        r = env.s.request(method, env.url + path, data=None if body is None else json.dumps(body),
                          headers=headers, timeout=60)
        d = error(r, status, "Unauthorized" if status == 401 else "Forbidden")
        assert "password" not in d and "token" not in d
        if status == 401:
            assert r.headers.get("WWW-Authenticate", "").lower().startswith("bearer"), (method, path, r.headers)
    assert snapshot(env.store) == before


def test_administrators_and_the_bootstrap_token_may(env):
    for who in (ADMIN, "bootstrap"):
        r = env.call("GET", "/admin/users", token=env.tokens[who])
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"].startswith("application/json")
    # The bootstrap token writes too, and the audit log names no secret as its actor.
    audit0 = last_audit_id(env.store)
    doc = env.add_user("made-by-bootstrap", "reviewer", user="bootstrap")
    assert doc["name"] == "made-by-bootstrap" and user_row(env.store, "made-by-bootstrap")["role"] == "reviewer"
    tid, _ = env.new_token("made-by-bootstrap", user="bootstrap")
    entries = audit_since(env.store, audit0)
    assert [(e[1], e[2]) for e in entries] == [("add user", "made-by-bootstrap"), ("create token", "made-by-bootstrap")]
    actor = entries[0][0]
    assert actor and actor == entries[1][0] and BOOTSTRAP not in actor and actor not in USERS, actor
    assert str(tid) in entries[1][3]


def test_no_user_can_take_the_bootstrap_tokens_identity(env):
    r = env.call("POST", "/changesets", "bootstrap", {"collection": "coal_mines"})
    assert r.status_code == 201, r.text
    draft, actor = r.json()["id"], r.json()["author"]
    fid = rows(env.store, "SELECT min(fid) FROM coal_mines WHERE iso3 = 'KHM'")[0][0]
    r = env.call("PATCH", f"/collections/coal_mines/items/{fid}", "bootstrap", {"properties": {"status": "Closed"}},
                 "application/merge-patch+json", params={"changeset": draft})
    assert r.status_code == 202, r.text
    r = env.call("POST", "/admin/users", ADMIN, {"name": actor, "role": "editor", "country": "KHM",
                                                 "password": env.keep("impostor password 123")})
    if r.status_code in (400, 409):  # the name is reserved: fine
        return
    assert r.status_code == 201, r.text
    _, token = env.new_token(actor)
    before = snapshot(env.store, ("amis_change_sets", "amis_changes", "amis_audit"))
    error(env.call("GET", f"/changesets/{draft}", token=token), 404)
    assert env.call("POST", f"/changesets/{draft}/submit", token=token).status_code in (403, 404)
    assert snapshot(env.store, ("amis_change_sets", "amis_changes", "amis_audit")) == before


def test_a_bootstrap_token_shorter_than_24_characters_is_refused(env, tmp_path):
    config = tmp_path / "short.toml"
    config.write_text('[admin]\ntoken = "only-23-characters-long"\n')
    assert len("only-23-characters-long") == 23
    r = subprocess.run(amis_argv("serve", "--store", env.store, "--port", free_loopback_port(),
                                 "--config", config), cwd=amis_cwd("--store", env.store), capture_output=True, text=True, timeout=30,
                       stdin=subprocess.DEVNULL)
    assert r.returncode != 0, r.stderr
    assert "24" in r.stderr, r.stderr
    assert "only-23-characters-long" not in r.stderr + r.stdout


# --------------------------------------------------------------------------- users


def test_list_of_users_is_the_store(env):
    r = env.call("GET", "/admin/users", ADMIN)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert set(doc) == {"users"}
    names = [n for (n,) in rows(env.store, "SELECT name FROM amis_users")]
    assert sorted(u["name"] for u in doc["users"]) == sorted(names)
    for u in doc["users"]:
        assert u == expected_user(env.store, u["name"]), u
    assert {u["name"]: (u["role"], u["country"]) for u in doc["users"]}[IDN_EDITOR] == ("editor", "IDN")
    assert {u["name"]: u["country"] for u in doc["users"]}[REVIEWER] is None
    assert "password" not in r.text and "$argon2" not in r.text
    error(env.call("GET", "/admin/users", ADMIN, params={"colour": "red"}), 400)
    # Methods the paths do not take.
    for method, path in (("DELETE", "/admin/users"), ("DELETE", f"/admin/users/{REVIEWER}"),
                         ("PUT", f"/admin/users/{REVIEWER}/tokens"), ("GET", "/admin/tokens/1")):
        assert env.call(method, path, ADMIN).status_code in (404, 405), (method, path)


@pytest.mark.parametrize("role, country", [("editor", "VNM"), ("reviewer", None), ("admin", None)])
def test_add_user(env, role, country):
    name = f"new.{role}_{country or 'none'}@asean-3"
    password = env.keep(f"a long enough password for {role}")
    audit0 = last_audit_id(env.store)
    body = {"name": name, "role": role, "password": password, **({"country": country} if country else {})}
    r = env.call("POST", "/admin/users", ADMIN, body)
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc == expected_user(env.store, name)
    assert (doc["name"], doc["role"], doc["country"], doc["disabled"]) == (name, role, country, False)
    assert password not in r.text and "password" not in doc and "hash" not in r.text
    location = r.headers["Location"]
    got = env.s.get(urljoin(env.url + "/admin/users", location), timeout=30,
                    headers={"Authorization": f"Bearer {env.tokens[ADMIN]}"})
    assert got.status_code == 200 and got.json() == doc, (location, got.text)
    row = user_row(env.store, name)
    assert (row["role"], row["country"], row["disabled"]) == (role, country or "", 0)
    assert row["password_hash"].startswith("$argon2id$") and password not in row["password_hash"]
    assert password_matches(row["password_hash"], password)
    assert not password_matches(row["password_hash"], password + "!")
    entries = audit_since(env.store, audit0)
    assert [(a, act, subj) for a, act, subj, _ in entries] == [(ADMIN, "add user", name)]
    assert role in entries[0][3] and password not in entries[0][3]
    # A new user has no token yet.
    r = env.call("GET", f"/admin/users/{name}/tokens", ADMIN)
    assert r.status_code == 200 and r.json() == {"tokens": []}


def test_user_names_of_3_to_64_characters_are_accepted(env):
    for name in ("abc", "x" * 64, "A.b_c-d@e9"):
        env.add_user(name, "reviewer")
        assert user_row(env.store, name) is not None


ADD_REFUSALS = [
    # body, status, code, a word of the description
    ({"name": "ab", "role": "reviewer", "password": PASSWORD}, 400, "InvalidValue", "name"),
    ({"name": "x" * 65, "role": "reviewer", "password": PASSWORD}, 400, "InvalidValue", "name"),
    ({"name": "with space", "role": "reviewer", "password": PASSWORD}, 400, "InvalidValue", "name"),
    ({"name": "slash/name", "role": "reviewer", "password": PASSWORD}, 400, "InvalidValue", "name"),
    ({"name": "semi;colon", "role": "reviewer", "password": PASSWORD}, 400, "InvalidValue", "name"),
    ({"name": "quote'name", "role": "reviewer", "password": PASSWORD}, 400, "InvalidValue", "name"),
    ({"name": "", "role": "reviewer", "password": PASSWORD}, 400, "InvalidValue", "name"),
    ({"name": 12345, "role": "reviewer", "password": PASSWORD}, 400, "InvalidValue", "name"),
    ({"role": "reviewer", "password": PASSWORD}, 400, "InvalidValue", "name"),
    ({"name": "emperor-x", "role": "emperor", "password": PASSWORD}, 400, "InvalidValue", "role"),
    ({"name": "capital-x", "role": "Admin", "password": PASSWORD}, 400, "InvalidValue", "role"),
    ({"name": "no-role-x", "password": PASSWORD}, 400, "InvalidValue", "role"),
    ({"name": "no-country", "role": "editor", "password": PASSWORD}, 400, "InvalidValue", "country"),
    ({"name": "usa-editor", "role": "editor", "country": "USA", "password": PASSWORD}, 400, "InvalidValue", "country"),
    ({"name": "lower-idn", "role": "editor", "country": "idn", "password": PASSWORD}, 400, "InvalidValue", "country"),
    ({"name": "empty-cty", "role": "editor", "country": "", "password": PASSWORD}, 400, "InvalidValue", "country"),
    ({"name": "boss-idn", "role": "admin", "country": "IDN", "password": PASSWORD}, 400, "InvalidValue", "country"),
    ({"name": "rev-vnm", "role": "reviewer", "country": "VNM", "password": PASSWORD}, 400, "InvalidValue", "country"),
    ({"name": "short-pw", "role": "reviewer", "password": "123456789"}, 400, "InvalidValue", "password"),
    ({"name": "long-pw", "role": "reviewer", "password": "p" * 1025}, 400, "InvalidValue", "password"),
    ({"name": "no-pw", "role": "reviewer"}, 400, "InvalidValue", "password"),
    ({"name": "num-pw", "role": "reviewer", "password": 12345678901}, 400, "InvalidValue", "password"),
    ({"name": REVIEWER, "role": "reviewer", "password": PASSWORD}, 409, "Conflict", REVIEWER),
    ({"name": IDN_EDITOR, "role": "editor", "country": "IDN", "password": PASSWORD}, 409, "Conflict", IDN_EDITOR),
    ({"name": "extra-x", "role": "reviewer", "password": PASSWORD, "email": "a@b.c"}, 400, "InvalidValue", "email"),
    ({"name": "extra-y", "role": "reviewer", "password": PASSWORD, "disabled": False}, 400, "InvalidValue", "disabled"),
    ('{"name": "broken", "role": ', 400, None, None),
    ("[1, 2]", 400, None, None),
    ('"a string"', 400, None, None),
]


@pytest.mark.parametrize("body, status, code, mentions", ADD_REFUSALS,
                         ids=[f"{i:02d}-{c[1]}-{c[3]}" for i, c in enumerate(ADD_REFUSALS)])
def test_add_user_refusals(env, body, status, code, mentions):
    before = snapshot(env.store)
    d = error(env.call("POST", "/admin/users", ADMIN, body), status, code)
    if mentions:
        assert mentions.lower() in d["description"].lower(), d
    if isinstance(body, dict) and isinstance(body.get("password"), str):
        assert body["password"] not in d["description"]
    assert snapshot(env.store) == before


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml", ""])
def test_add_user_needs_a_json_body(env, content_type):
    before = snapshot(env.store)
    body = json.dumps({"name": "typed-user", "role": "reviewer", "password": PASSWORD})
    error(env.call("POST", "/admin/users", ADMIN, body, content_type), 415)
    assert snapshot(env.store) == before
    assert user_row(env.store, "typed-user") is None


def test_add_user_with_a_charset_parameter(env):
    r = env.call("POST", "/admin/users", ADMIN,
                 {"name": "charset-user", "role": "reviewer", "password": env.keep("charset password 1")},
                 "application/json; charset=utf-8")
    assert r.status_code == 201, r.text
    row = user_row(env.store, "charset-user")
    assert row is not None, "the account was not stored"
    assert (row["role"], row["country"], row["disabled"]) == ("reviewer", "", 0)
    assert password_matches(row["password_hash"], "charset password 1")


def test_password_length_is_counted_in_characters(env):
    before = snapshot(env.store)
    password = "\u00e9" * 5  # 5 characters, 10 bytes
    env.keep(password)
    error(env.call("POST", "/admin/users", ADMIN, {"name": "accented-pw", "role": "reviewer", "password": password}),
          400, "InvalidValue")
    assert snapshot(env.store) == before


def test_unknown_users(env):
    before = snapshot(env.store)
    error(env.call("GET", "/admin/users/nobody", ADMIN), 404, "NotFound")
    error(env.call("PATCH", "/admin/users/nobody", ADMIN, {"disabled": True}), 404, "NotFound")
    error(env.call("PATCH", "/admin/users/nobody", ADMIN, {"password": env.keep("nobody's password")}), 404)
    error(env.call("GET", "/admin/users/nobody/tokens", ADMIN), 404, "NotFound")
    error(env.call("POST", "/admin/users/nobody/tokens", ADMIN, {"label": "x"}), 404, "NotFound")
    assert snapshot(env.store) == before


def test_get_user(env):
    for name in (ADMIN, REVIEWER, IDN_EDITOR):
        r = env.call("GET", f"/admin/users/{name}", ADMIN)
        assert r.status_code == 200, r.text
        assert r.json() == expected_user(env.store, name)


# --------------------------------------------------------------------------- changing users


def test_change_role_and_country(env):
    name = "role-changer"
    env.add_user(name, "editor", "IDN")
    tid, token = env.new_token(name)
    # As an editor, the token is refused by the admin API.
    error(env.call("GET", "/admin/users", token=token), 403)

    audit0 = last_audit_id(env.store)
    r = env.patch(name, {"country": "VNM"})
    assert r.status_code == 200, r.text
    assert r.json() == expected_user(env.store, name) and r.json()["country"] == "VNM"
    assert (user_row(env.store, name)["role"], user_row(env.store, name)["country"]) == ("editor", "VNM")

    r = env.patch(name, {"role": "admin", "country": None})
    assert r.status_code == 200, r.text
    assert (r.json()["role"], r.json()["country"]) == ("admin", None)
    assert (user_row(env.store, name)["role"], user_row(env.store, name)["country"]) == ("admin", "")
    # The same token is now an administrator's, at once.
    assert env.call("GET", "/admin/users", token=token).status_code == 200

    r = env.patch(name, {"role": "reviewer"})
    assert r.status_code == 200, r.text
    assert expected_user(env.store, name)["role"] == "reviewer"
    error(env.call("GET", "/admin/users", token=token), 403)

    entries = audit_since(env.store, audit0)
    assert [(a, act, subj) for a, act, subj, _ in entries] == [(ADMIN, "change role", name)] * 3
    assert "VNM" in entries[0][3] and "admin" in entries[1][3] and "reviewer" in entries[2][3]


def test_an_editor_made_reviewer_keeps_no_country(env):
    """Either the change is refused (the country must be cleared with it) or the country
    goes: never a reviewer bound to a country."""
    name = "editor-to-reviewer"
    env.add_user(name, "editor", "THA")
    r = env.patch(name, {"role": "reviewer"})
    row = user_row(env.store, name)
    if r.status_code == 200:
        assert (row["role"], row["country"]) == ("reviewer", "")
        assert r.json()["country"] is None
    else:
        error(r, 400, "InvalidValue")
        assert (row["role"], row["country"]) == ("editor", "THA")


ROLE_REFUSALS = [
    {"role": "editor", "country": "USA"},
    {"role": "editor"},  # a reviewer made editor without a country
    {"role": "editor", "country": None},
    {"country": "IDN"},  # a reviewer with a country
    {"role": "admin", "country": "JPN"},
    {"role": "emperor"},
    {"role": None},
    {"role": 3},
    {"country": 5},
    {"disabled": "yes"},
    {"disabled": 1},
    {"disabled": None},
    {"password": "short"},
    {"password": None},
    {"password": 12345678901},
    {"name": "renamed"},
    {"created": "2020-01-01T00:00:00Z"},
    # Everything is checked before anything changes: a valid role and a bad password...
    {"role": "editor", "country": "IDN", "password": "short"},
    # ...a valid password and a bad role...
    {"role": "emperor", "password": "a perfectly fine password"},
    # ...a valid role and password, and a bad 'disabled'.
    {"role": "editor", "country": "IDN", "password": "a perfectly fine password", "disabled": "yes"},
    {"disabled": True, "role": "editor", "country": "USA"},
    {"disabled": True, "password": "short"},
]


@pytest.mark.parametrize("body", ROLE_REFUSALS, ids=[json.dumps(b)[:60] for b in ROLE_REFUSALS])
def test_change_refusals_change_nothing(env, body):
    name = "steady-reviewer"
    if user_row(env.store, name) is None:
        env.add_user(name, "reviewer", password="steady password 0123")
    before = snapshot(env.store)
    row = user_row(env.store, name)
    d = error(env.patch(name, body), 400)
    if isinstance(body.get("password"), str):
        assert body["password"] not in d["description"]
    assert user_row(env.store, name) == row
    assert snapshot(env.store) == before


@pytest.mark.parametrize("content_type", ["text/plain", "application/merge-patch+json", ""])
def test_change_needs_a_json_body(env, content_type):
    before = snapshot(env.store)
    error(env.call("PATCH", f"/admin/users/{REVIEWER}", ADMIN, json.dumps({"disabled": True}), content_type), 415)
    assert snapshot(env.store) == before


def test_disable_and_enable(env):
    name = "to-be-disabled"
    env.add_user(name, "reviewer")
    _, token = env.new_token(name)
    assert env.call("GET", "/changesets", token=token).status_code == 200
    audit0 = last_audit_id(env.store)

    r = env.patch(name, {"disabled": True})
    assert r.status_code == 200, r.text
    assert r.json()["disabled"] is True and user_row(env.store, name)["disabled"] == 1
    # The token is refused on writes (and on reads that need one).
    before = snapshot(env.store, ("amis_change_sets",))
    r = env.call("POST", "/changesets", body={"collection": "coal_mines"}, token=token)
    error(r, 401, "Unauthorized")
    assert r.headers["WWW-Authenticate"].lower().startswith("bearer")
    assert snapshot(env.store, ("amis_change_sets",)) == before
    error(env.call("GET", "/changesets", token=token), 401)
    # Disabling a disabled user again changes nothing.
    assert env.patch(name, {"disabled": True}).status_code == 200

    r = env.patch(name, {"disabled": False})
    assert r.status_code == 200 and r.json()["disabled"] is False
    assert user_row(env.store, name)["disabled"] == 0
    r = env.call("POST", "/changesets", body={"collection": "coal_mines"}, token=token)
    assert r.status_code == 201, r.text
    entries = audit_since(env.store, audit0)
    assert [(a, act, subj) for a, act, subj, _ in entries if act != "submit"][:2] == [
        (ADMIN, "disable user", name), (ADMIN, "enable user", name)]


def test_a_disabled_administrator_is_refused_by_the_admin_api(env):
    name = "disabled-admin"
    env.add_user(name, "admin")
    _, token = env.new_token(name)
    assert env.call("GET", "/admin/users", token=token).status_code == 200
    assert env.patch(name, {"disabled": True}).status_code == 200
    before = snapshot(env.store)
    error(env.call("GET", "/admin/users", token=token), 401)
    error(env.call("PATCH", f"/admin/users/{name}", body={"disabled": False}, token=token), 401)
    assert snapshot(env.store) == before
    assert user_row(env.store, name)["disabled"] == 1


def test_set_password(env):
    name = "password-changer"
    old = env.keep("the first password here")
    new = env.keep("the second password, longer")
    env.add_user(name, "reviewer", password=old)
    hash0 = user_row(env.store, name)["password_hash"]
    assert password_matches(hash0, old)
    audit0 = last_audit_id(env.store)
    r = env.patch(name, {"password": new})
    assert r.status_code == 200, r.text
    assert r.json() == expected_user(env.store, name)
    assert new not in r.text and "password" not in r.json()
    hash1 = user_row(env.store, name)["password_hash"]
    assert hash1.startswith("$argon2id$") and hash1 != hash0 and new not in hash1
    assert password_matches(hash1, new) and not password_matches(hash1, old)
    assert [(a, act, subj) for a, act, subj, _ in audit_since(env.store, audit0)] == [(ADMIN, "set password", name)]
    assert new not in repr(audit_since(env.store, audit0))
    # The same password again is hashed anew (salted).
    assert env.patch(name, {"password": new}).status_code == 200
    hash2 = user_row(env.store, name)["password_hash"]
    assert hash2 != hash1 and password_matches(hash2, new)


def test_several_changes_in_one_request(env):
    name = "many-at-once"
    env.add_user(name, "reviewer")
    hash0 = user_row(env.store, name)["password_hash"]
    password = env.keep("many at once password")
    audit0 = last_audit_id(env.store)
    r = env.patch(name, {"role": "editor", "country": "KHM", "disabled": True, "password": password})
    assert r.status_code == 200, r.text
    row = user_row(env.store, name)
    assert (row["role"], row["country"], row["disabled"]) == ("editor", "KHM", 1)
    assert row["password_hash"] != hash0 and password_matches(row["password_hash"], password)
    assert sorted(act for _, act, _, _ in audit_since(env.store, audit0)) == [
        "change role", "disable user", "set password"]


# --------------------------------------------------------------------------- tokens


def test_token_lifecycle(env):
    name = "token-holder"
    env.add_user(name, "reviewer")
    audit0 = last_audit_id(env.store)
    r = env.call("POST", f"/admin/users/{name}/tokens", ADMIN, {"label": "nightly sync"})
    assert r.status_code == 201, r.text
    assert "no-store" in r.headers.get("Cache-Control", ""), r.headers
    doc = r.json()
    token = env.keep(doc["token"])
    tid = doc["id"]
    assert isinstance(tid, int) and isinstance(token, str) and len(token) >= 32
    row = token_row(env.store, tid)
    assert row is not None
    assert row["digest"] == hashlib.sha256(token.encode()).hexdigest()
    assert (row["user_name"], row["label"], row["revoked"]) == (name, "nightly sync", 0)
    assert token not in repr(rows(env.store, "SELECT * FROM amis_tokens"))

    # It works as a bearer token, as that user (a reviewer: no admin API).
    r = env.call("GET", "/changesets", token=token)
    assert r.status_code == 200, r.text
    error(env.call("GET", "/admin/users", token=token), 403)

    listed = env.call("GET", f"/admin/users/{name}/tokens", ADMIN)
    assert listed.status_code == 200, listed.text
    assert listed.json() == {"tokens": [{"id": tid, "label": "nightly sync", "created": row["created"],
                                         "revoked": False}]}
    assert token not in listed.text and row["digest"] not in listed.text

    # A second token without a label; both listed in the order they were made.
    r = env.call("POST", f"/admin/users/{name}/tokens", ADMIN)
    assert r.status_code == 201, r.text
    second = env.keep(r.json()["token"])
    assert second != token and r.json()["id"] > tid
    db = rows(env.store, "SELECT id, label, created, revoked FROM amis_tokens WHERE user_name = ? ORDER BY id", name)
    assert [(t["id"], t["label"], t["created"], t["revoked"]) for t in
            env.call("GET", f"/admin/users/{name}/tokens", ADMIN).json()["tokens"]] == [
        (i, lab, c, bool(rv)) for i, lab, c, rv in db]

    # Revoked: refused at once, listed as revoked; the other token still works.
    r = env.call("DELETE", f"/admin/tokens/{tid}", ADMIN)
    assert r.status_code == 200, r.text
    assert token_row(env.store, tid)["revoked"] == 1
    error(env.call("GET", "/changesets", token=token), 401)
    assert env.call("GET", "/changesets", token=second).status_code == 200
    listed = env.call("GET", f"/admin/users/{name}/tokens", ADMIN).json()["tokens"]
    assert {t["id"]: t["revoked"] for t in listed} == {tid: True, db[1][0]: False}
    before = snapshot(env.store)
    error(env.call("DELETE", f"/admin/tokens/{tid}", ADMIN), 404)  # not live any more
    assert snapshot(env.store) == before

    entries = [(a, act, subj) for a, act, subj, _ in audit_since(env.store, audit0)]
    assert entries == [(ADMIN, "create token", name), (ADMIN, "create token", name),
                       (ADMIN, "revoke token", f"token {tid}")], entries


def test_token_refusals(env):
    before = snapshot(env.store)
    for path in ("/admin/tokens/99999999", "/admin/tokens/abc", "/admin/tokens/-1", "/admin/tokens/1.5"):
        error(env.call("DELETE", path, ADMIN), 404)
    error(env.call("POST", f"/admin/users/{REVIEWER}/tokens", ADMIN, {"label": "x" * 201}), 400, "InvalidValue")
    error(env.call("POST", f"/admin/users/{REVIEWER}/tokens", ADMIN, {"label": 5}), 400, "InvalidValue")
    error(env.call("POST", f"/admin/users/{REVIEWER}/tokens", ADMIN, {"label": "x", "user": "y"}), 400)
    error(env.call("POST", f"/admin/users/{REVIEWER}/tokens", ADMIN, '{"label": ', JSON), 400)
    error(env.call("POST", f"/admin/users/{REVIEWER}/tokens", ADMIN, '{"label": "x"}', "text/plain"), 415)
    assert snapshot(env.store) == before


def test_token_of_an_editor_is_bound_to_the_editor(env):
    """A token made for an editor by an administrator authenticates the editor: it sees
    their change sets only and may not approve."""
    name = "token-editor"
    env.add_user(name, "editor", "IDN")
    _, token = env.new_token(name)
    r = env.call("POST", "/changesets", body={"collection": "coal_mines"}, token=token)
    assert r.status_code == 201 and r.json()["author"] == name, r.text
    listed = env.call("GET", "/changesets", token=token, params={"limit": 1000}).json()["changeSets"]
    assert {c["author"] for c in listed} == {name}


# --------------------------------------------------------------------------- the command line


def test_command_line_changes_are_audited(env):
    audit0 = last_audit_id(env.store)
    cli_password = env.keep("a command line password")
    r = amis("user", "add", "cli-made", "--role", "editor", "--country", "MYS", "--store", env.store,
             stdin=cli_password + "\n")
    assert r.returncode == 0, r.stderr
    r = amis("token", "create", "cli-made", "--label", "from the shell", "--store", env.store)
    assert r.returncode == 0, r.stderr
    token = env.keep(r.stdout.strip())
    new_password = env.keep("another command line password")
    assert amis("user", "passwd", "cli-made", "--store", env.store, stdin=new_password + "\n").returncode == 0
    assert amis("user", "disable", "cli-made", "--store", env.store).returncode == 0
    assert amis("user", "enable", "cli-made", "--store", env.store).returncode == 0
    tid = rows(env.store, "SELECT id FROM amis_tokens WHERE user_name = 'cli-made'")[0][0]
    assert amis("token", "revoke", str(tid), "--store", env.store).returncode == 0
    entries = audit_since(env.store, audit0)
    assert [(a, act, subj) for a, act, subj, _ in entries] == [
        ("command line", "add user", "cli-made"), ("command line", "create token", "cli-made"),
        ("command line", "set password", "cli-made"), ("command line", "disable user", "cli-made"),
        ("command line", "enable user", "cli-made"), ("command line", "revoke token", f"token {tid}")], entries
    assert "MYS" in entries[0][3]
    dump = repr(entries)
    assert cli_password not in dump and new_password not in dump and token not in dump
    # The server reads the same store: the user is listed, the revoked token refused.
    users = env.call("GET", "/admin/users", ADMIN).json()["users"]
    assert {u["name"]: (u["role"], u["country"]) for u in users}["cli-made"] == ("editor", "MYS")
    error(env.call("GET", "/changesets", token=token), 401)
    # And the API's audit log shows the command line's entries.
    listed = env.call("GET", "/audit", ADMIN, params={"limit": 1000}).json()["entries"]
    assert [(e["actor"], e["action"], e["subject"]) for e in listed if e["id"] > audit0][::-1] == [
        (a, act, subj) for a, act, subj, _ in entries]


# --------------------------------------------------------------------------- concurrency


def test_simultaneous_adds_of_one_name(env):
    barrier = threading.Barrier(4)
    password = env.keep("simultaneous password")

    def add(_):
        with http_session() as s:
            barrier.wait()
            return s.post(f"{env.url}/admin/users", timeout=60,
                          headers={"Authorization": f"Bearer {env.tokens[ADMIN]}", "Content-Type": JSON},
                          data=json.dumps({"name": "raced-name", "role": "reviewer", "password": password}))

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(add, range(4)))
    statuses = sorted(r.status_code for r in results)
    assert rows(env.store, "SELECT count(*) FROM amis_users WHERE name = 'raced-name'") == [(1,)]
    assert rows(env.store, "SELECT count(*) FROM amis_audit WHERE action = 'add user' AND subject = 'raced-name'"
                ) == [(1,)]
    assert statuses == [201, 409, 409, 409], [(r.status_code, r.text[:200]) for r in results]


# --------------------------------------------------------------------------- secrets


def test_no_password_or_token_in_the_audit_log_or_the_server_logs(env):
    """Runs last: every password and token this module used (fixture users, API users,
    changed passwords, created tokens, the bootstrap token) is looked for in amis_audit,
    amis_users, amis_tokens, the access log and stderr."""
    # One more of each, with distinctive text, so that this test stands on its own too.
    password = env.keep("Unmistakable-Password-9f2c")
    env.add_user("secret-check", "reviewer", password=password)
    _, token = env.new_token("secret-check", label="secret check")
    env.patch("secret-check", {"password": env.keep("Unmistakable-Password-second-1d7e")})
    env.call("GET", "/admin/users", token=token)
    env.call("GET", "/admin/users", ADMIN)
    time.sleep(0.2)  # let the access log reach its file
    assert len(env.secrets) >= 10
    stored = {t: repr(rows(env.store, f"SELECT * FROM {t}")) for t in ACCOUNT_TABLES}
    logs = {"access log": env.server.access_log(), "stderr": env.server.stderr()}
    assert "POST /admin/users" in logs["access log"] + logs["stderr"], "nothing logged: no log to search"
    for secret in sorted(env.secrets):
        probes = {secret}
        if secret.startswith("amis_"):
            probes.add(secret[5:17])  # a fragment of a token is a leak too
        for probe in probes:
            for where, text in {**stored, **logs}.items():
                assert probe not in text, f"a secret ({probe[:4]}...) appears in {where}"
