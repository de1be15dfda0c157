"""Login sessions for the web portal (issue 6): POST /login (JSON or form), the
amis_session cookie and its CSRF token, GET /session, POST /logout, and the limit on
failed logins, on stores and servers of their own.

Oracles, none of them AMIS's own output:
- sqlite3 reads (read-only) of amis_sessions, amis_users, amis_audit and the tables a
  refused write must leave alone (digests of all their rows);
- Python's hashlib: a cookie's SHA-256 is the digest amis_sessions keeps;
- Set-Cookie headers parsed here, and requests' cookie jar (http.cookiejar) for what a
  client that honours cookies does with them;
- the raw bytes of the store files and the server's access log and stderr, searched for
  every cookie value and password used.

Failed logins are counted per user name and per client address for as long as a server
runs. Every loopback address 127.x.y.z reaches the server, so each login that fails on
purpose is sent from an address of its own (a requests adapter binding the source
address): the servers' 127.0.0.1 never collects failures, and the tests of the limit
choose exactly which name and which address collect them.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import http.cookiejar
import itertools
import json
import re
import statistics
import subprocess
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter

import styles_support as ss
from support import AMIS_BIN, AmisServer, connect_store, cpu_seconds, http_session, store_tables
from wfs_support import AMIS_NS, NS
from store_support import amis, audit_since, error, last_audit_id, ro, rows, table_digests

PASSWORD = "correct horse battery staple"
ADMIN, REVIEWER, IDN_EDITOR = "secretariat", "expert", "idn-editor"
USERS = {ADMIN: ("admin", None), REVIEWER: ("reviewer", None), IDN_EDITOR: ("editor", "IDN")}
BOOTSTRAP = "bootstrap-admin-token-for-the-session-tests-77c1"  # no real secret
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MERGE_PATCH = "application/merge-patch+json"
COOKIE = "amis_session"
SESSION_LENGTH = 8 * 3600
LOOPBACK = "127.0.0.1"
HTTPS_BASE = "https://portal.amis.example.org"
# Every table a refused write must leave as it was (those that exist in the store).
WATCHED = ("coal_mines", "amis_change_sets", "amis_changes", "amis_feature_versions", "amis_audit",
           "amis_users", "amis_tokens", "amis_sessions", "amis_styles", "amis_collections")

IN_JAVA = (110.4, -7.3)  # a point in Indonesia

_addresses = itertools.count()


def fresh_address() -> str:
    """A loopback address no request of this module has come from yet."""
    n = next(_addresses)
    assert n < 250 * 200
    return f"127.0.{10 + n // 250}.{1 + n % 250}"


# --------------------------------------------------------------------------- the store, read directly



def snapshot(store: Path) -> dict[str, str]:
    """The watched tables that exist -> SHA-256 of all their rows in rowid order."""
    tables = store_tables(store)
    return table_digests(store, [t for t in WATCHED if t in tables])


def sessions_of(store: Path, user: str) -> list[tuple]:
    return rows(store, "SELECT digest, user_name, csrf, expires FROM amis_sessions WHERE user_name = ? ORDER BY digest",
                user)


def session_row(store: Path, cookie: str) -> tuple | None:
    found = rows(store, "SELECT digest, user_name, csrf, expires FROM amis_sessions WHERE digest = ?", sha256(cookie))
    assert len(found) <= 1
    return found[0] if found else None


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()



def store_bytes(store: Path) -> bytes:
    """The store file and its journal / WAL files, as bytes."""
    return b"".join(p.read_bytes() for p in sorted(store.parent.glob(store.name + "*")) if p.is_file())


# --------------------------------------------------------------------------- HTTP


class SourceAddressAdapter(HTTPAdapter):
    """Connects from a given loopback address."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, connections, maxsize, block=False, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(connections, maxsize, block, **kwargs)


def client(address: str = LOOPBACK, cookies: bool = False) -> requests.Session:
    """A requests session from `address`; without `cookies` its jar takes and sends none,
    so that every cookie a test sends is one it names."""
    s = http_session()
    if not cookies:
        s.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    if address != LOOPBACK:
        s.mount("http://", SourceAddressAdapter(address))
    return s


@dataclass
class SetCookie:
    name: str
    value: str
    attributes: dict[str, str | bool]  # lower-case name -> value (True for flags)
    raw: str


def set_cookies(r: requests.Response) -> list[SetCookie]:
    out = []
    for header in r.raw.headers.getlist("Set-Cookie"):
        first, *rest = [p.strip() for p in header.split(";")]
        name, _, value = first.partition("=")
        attributes: dict[str, str | bool] = {}
        for part in rest:
            k, eq, v = part.partition("=")
            assert k.lower() not in attributes, f"attribute {k} twice: {header}"
            attributes[k.lower()] = v if eq else True
        out.append(SetCookie(name, value, attributes, header))
    return out



@dataclass
class Login:
    user: str
    cookie: str
    csrf: str
    doc: dict
    response: requests.Response


@dataclass
class Env:
    store: Path
    server: AmisServer
    tokens: dict[str, str]
    secrets: set = field(default_factory=set)  # every password and cookie value used: none may leak
    clients: dict[str, requests.Session] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url

    def at(self, address: str = LOOPBACK) -> requests.Session:
        if address not in self.clients:
            self.clients[address] = client(address)
        return self.clients[address]

    def close(self) -> None:
        for s in self.clients.values():
            s.close()

    def keep(self, secret: str) -> str:
        self.secrets.add(secret)
        return secret

    def call(self, method: str, path: str, cookie: str | None = None, csrf: str | None = None,
             token: str | None = None, body: Any = None, content_type: str | None = None,
             params: dict | None = None, address: str = LOOPBACK, headers: dict | None = None) -> requests.Response:
        data = body if body is None or isinstance(body, (bytes, str)) else json.dumps(body)
        h = dict(headers or {})
        if cookie is not None:
            h["Cookie"] = f"{COOKIE}={cookie}"
        if csrf is not None:
            h["X-CSRF-Token"] = csrf
        if token is not None:
            h["Authorization"] = f"Bearer {self.tokens.get(token, token)}"
        if data is not None and content_type != "":
            h["Content-Type"] = content_type or JSON
        return self.at(address).request(method, self.url + path, data=data, headers=h, params=params, timeout=60)

    def login_request(self, user: str, password: str, address: str = LOOPBACK, form: bool = False,
                      content_type: str | None = None) -> requests.Response:
        self.keep(password)
        if form:
            body = urllib.parse.urlencode({"user": user, "password": password})
            r = self.call("POST", "/login", body=body, content_type=content_type or FORM, address=address)
        else:
            r = self.call("POST", "/login", body={"user": user, "password": password},
                          content_type=content_type or JSON, address=address)
        for c in set_cookies(r):
            if c.value:
                self.keep(c.value)
        return r

    def login(self, user: str, password: str = PASSWORD, address: str = LOOPBACK, form: bool = False,
              content_type: str | None = None) -> Login:
        r = self.login_request(user, password, address, form, content_type)
        assert r.status_code == 200, f"login of {user}: {r.status_code} {r.text[:300]}"
        cookies = [c for c in set_cookies(r) if c.name == COOKIE]
        assert len(cookies) == 1, [c.raw for c in set_cookies(r)]
        doc = r.json()
        return Login(user, cookies[0].value, doc["csrfToken"], doc, r)

    def add_user(self, name: str, role: str, country: str | None = None, password: str = PASSWORD) -> None:
        """An account made over the admin API with an administrator's bearer token."""
        body = {"name": name, "role": role, "password": self.keep(password)}
        if country:
            body["country"] = country
        r = self.call("POST", "/admin/users", token=self.tokens.get(ADMIN, BOOTSTRAP), body=body)
        assert r.status_code == 201, r.text



def stop(srv: AmisServer) -> None:
    alive = srv.alive()
    status = srv.stop()
    assert alive, f"amis serve died during the session tests:\n{srv.stderr()[-3000:]}"
    assert status == 0, srv.stderr()[-3000:]


@pytest.fixture(scope="module")
def env(tmp_path_factory, store_path):
    """A copy of the demo store with an administrator, a reviewer and an Indonesian
    editor (each with a bearer token too), served over plain http without a base_url."""
    work = tmp_path_factory.mktemp("sessions")
    store = ss.copy_store(store_path, work / "store.gpkg")
    tokens = {}
    for name, (role, country) in USERS.items():
        extra = ["--country", country] if country else []
        r = amis("user", "add", name, "--role", role, *extra, "--store", store, stdin=PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
        r = amis("token", "create", name, "--label", "fixture", "--store", store)
        assert r.returncode == 0, r.stderr
        tokens[name] = r.stdout.strip()
    config = work / "amis.toml"
    config.write_text('[server]\nlog_level = "info"\n')
    srv = AmisServer(store, work, name="sessions", config=config)
    srv.start()
    e = Env(store, srv, tokens, secrets={PASSWORD})
    yield e
    e.close()
    stop(srv)


@pytest.fixture(scope="module")
def limits(tmp_path_factory):
    """A server of its own for the limit on failed logins, over a store holding accounts
    only, behind an https base_url (so its cookies are Secure). Accounts are made with
    the bootstrap token."""
    work = tmp_path_factory.mktemp("login-limits")
    store = work / "accounts.gpkg"
    r = amis("user", "add", "limits-admin", "--role", "admin", "--store", store, stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    config = work / "amis.toml"
    config.write_text(f'[server]\nlog_level = "debug"\n\n[service]\nbase_url = "{HTTPS_BASE}/"\n\n'
                      f'[admin]\ntoken = "{BOOTSTRAP}"\n')
    srv = AmisServer(store, work, name="limits", config=config)
    srv.start()
    e = Env(store, srv, {}, secrets={PASSWORD, BOOTSTRAP})
    yield e
    e.close()
    stop(srv)


def assert_session_cookie(c: SetCookie, secure: bool) -> None:
    assert c.name == COOKIE, c.raw
    a = c.attributes
    assert a.get("path") == "/", c.raw
    assert a.get("httponly") is True, c.raw
    assert str(a.get("samesite", "")).lower() == "strict", c.raw
    assert a.get("max-age") == str(SESSION_LENGTH), c.raw
    assert ("secure" in a) == secure, c.raw
    assert "domain" not in a, c.raw  # host-only


# --------------------------------------------------------------------------- logging in


def test_login_with_json_sets_a_session_cookie(env):
    audit0 = last_audit_id(env.store)
    before = {r[0] for r in rows(env.store, "SELECT digest FROM amis_sessions")}
    t0 = time.time()
    login = env.login(IDN_EDITOR)
    r = login.response
    assert r.headers["Content-Type"].startswith("application/json"), r.headers
    assert "no-store" in r.headers.get("Cache-Control", ""), r.headers
    cookies = set_cookies(r)
    assert len(cookies) == 1, [c.raw for c in cookies]
    assert_session_cookie(cookies[0], secure=False)

    doc = login.doc
    assert set(doc) == {"user", "role", "country", "csrfToken", "expires"}, doc
    user = rows(env.store, "SELECT name, role, country FROM amis_users WHERE name = ?", IDN_EDITOR)[0]
    assert (doc["user"], doc["role"], doc["country"]) == user == (IDN_EDITOR, "editor", "IDN")
    assert isinstance(doc["expires"], int) and abs(doc["expires"] - (t0 + SESSION_LENGTH)) < 60, doc["expires"]
    assert isinstance(doc["csrfToken"], str) and len(doc["csrfToken"]) >= 32
    assert len(login.cookie) >= 32 and login.cookie != doc["csrfToken"]
    assert PASSWORD not in r.text and login.cookie not in r.text

    # The store keeps the SHA-256 of the cookie, the CSRF token and the expiry; never the cookie.
    added = [row for row in rows(env.store, "SELECT digest, user_name, csrf, expires FROM amis_sessions")
             if row[0] not in before]
    assert added == [(sha256(login.cookie), IDN_EDITOR, doc["csrfToken"], doc["expires"])]
    assert login.cookie not in repr(rows(env.store, "SELECT * FROM amis_sessions"))

    entries = audit_since(env.store, audit0)
    assert [(a, act) for a, act, _, _ in entries] == [(IDN_EDITOR, "login")], entries
    # The client is a pseudonym, never its address (personal data stays out of the store).
    assert re.fullmatch(r"client [0-9a-f]{12}", entries[0][3]), entries
    assert LOOPBACK not in repr(entries)
    assert PASSWORD not in repr(entries) and login.cookie not in repr(entries)

    # The cookie authenticates GET /session: the same principal and CSRF token.
    r = env.call("GET", "/session", cookie=login.cookie)
    assert r.status_code == 200, r.text
    assert "no-store" in r.headers.get("Cache-Control", ""), r.headers
    assert r.json() == doc
    assert set_cookies(r) == []


def test_every_login_is_a_new_session(env):
    first, second = env.login(REVIEWER), env.login(REVIEWER)
    assert first.cookie != second.cookie and first.csrf != second.csrf
    assert session_row(env.store, first.cookie)[2] == first.csrf
    assert session_row(env.store, second.cookie)[2] == second.csrf
    # Logging in while sending a session cookie gives a new one (no session fixation).
    r = env.call("POST", "/login", cookie=first.cookie, body={"user": REVIEWER, "password": PASSWORD})
    assert r.status_code == 200, r.text
    (c,) = set_cookies(r)
    env.keep(c.value)
    assert c.value not in (first.cookie, second.cookie)
    for login in (first, second):
        assert env.call("GET", "/session", cookie=login.cookie).json()["csrfToken"] == login.csrf


@pytest.mark.parametrize("content_type", [FORM, FORM + "; charset=UTF-8"])
def test_login_with_a_form(env, content_type):
    """A browser's form: spaces as '+', the reserved characters percent-encoded."""
    name = "form-user" + ("-cs" if "charset" in content_type else "")
    password = "pässword with spaces + plus & amp = eq %41 ' \" ;"
    env.add_user(name, "reviewer", password=password)
    login = env.login(name, password, form=True, content_type=content_type)
    assert "+" in login.response.request.body  # the test's own body: spaces as '+'
    assert (login.doc["user"], login.doc["role"], login.doc["country"]) == (name, "reviewer", None)
    assert_session_cookie(set_cookies(login.response)[0], secure=False)
    assert session_row(env.store, login.cookie)[1:3] == (name, login.csrf)
    assert env.call("GET", "/session", cookie=login.cookie).json()["user"] == name


def test_login_with_json_and_a_charset(env):
    login = env.login(ADMIN, content_type=JSON + "; charset=utf-8")
    assert login.doc["role"] == "admin" and login.doc["country"] is None


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data; boundary=x",
                                          "application/merge-patch+json", ""])
def test_login_needs_json_or_a_form(env, content_type):
    address = fresh_address()
    before = snapshot(env.store)
    body = json.dumps({"user": ADMIN, "password": PASSWORD})
    r = env.call("POST", "/login", body=body, content_type=content_type, address=address)
    error(r, 415)
    assert set_cookies(r) == []
    assert snapshot(env.store) == before
    # Not a failed login: five more of them do not lock the address out.
    for _ in range(5):
        assert env.call("POST", "/login", body=body, content_type=content_type, address=address).status_code == 415
    assert env.login(ADMIN, address=address).doc["user"] == ADMIN


@pytest.mark.parametrize("body", ['{"user": "expert"}', '{"password": "x"}', '{"user": 5, "password": "x"}',
                                  '["expert", "x"]', '{"user": "expert", "password": ', ""])
def test_malformed_json_logins_are_refused(env, body):
    before = snapshot(env.store)
    r = env.call("POST", "/login", body=body, content_type=JSON, address=fresh_address())
    error(r, 400)
    assert set_cookies(r) == []
    assert snapshot(env.store) == before


def test_login_takes_no_query_parameters_and_only_post(env):
    before = snapshot(env.store)
    r = env.call("POST", "/login", body={"user": ADMIN, "password": PASSWORD}, params={"user": ADMIN})
    error(r, 400)
    assert set_cookies(r) == []
    for method in ("GET", "PUT", "DELETE"):
        assert env.call(method, "/login").status_code in (404, 405), method
    assert snapshot(env.store) == before


def test_wrong_password_unknown_user_and_disabled_account_look_alike(env):
    env.add_user("to-be-disabled", "editor", "THA")
    r = amis("user", "disable", "to-be-disabled", "--store", env.store)
    assert r.returncode == 0, r.stderr
    wrong = env.keep("not the password at all 1234")
    attempts = [(IDN_EDITOR, wrong, False), ("nobody-by-this-name", PASSWORD, False),
                ("to-be-disabled", PASSWORD, False),  # the right password of a disabled account
                (ADMIN, wrong, True), ("x", PASSWORD, False), ("bad name; drop", PASSWORD, True)]
    before = {t: d for t, d in snapshot(env.store).items() if t != "amis_audit"}
    sessions0 = rows(env.store, "SELECT count(*) FROM amis_sessions")
    audit0 = last_audit_id(env.store)
    bodies = []
    for name, password, form in attempts:
        r = env.login_request(name, password, address=fresh_address(), form=form)
        bodies.append(error(r, 401, "Unauthorized"))
        assert set_cookies(r) == [], (name, r.headers)
        assert r.headers.get("WWW-Authenticate"), r.headers
        assert password not in r.text
    assert all(b == bodies[0] for b in bodies), bodies  # no user enumeration
    assert rows(env.store, "SELECT count(*) FROM amis_sessions") == sessions0
    assert {t: d for t, d in snapshot(env.store).items() if t != "amis_audit"} == before

    entries = audit_since(env.store, audit0)
    assert [(a, act, s) for a, act, s, _ in entries] == [
        ("anonymous", "login failed", name) for name, _, _ in attempts], entries
    assert wrong not in repr(entries) and PASSWORD not in repr(entries)


def test_unknown_names_cost_a_password_check_too(env):
    """A wrong password takes an argon2id check; an unknown name must take about as much work,
    or the time of the answer tells which names exist. Measured as the server's CPU time, which
    the machine's other load (CI runs three workers) does not stretch as it does wall time."""
    name = "timed-user"
    env.add_user(name, "reviewer")
    pid = env.server.process.pid

    def cost(user: str) -> float:
        before = cpu_seconds(pid)
        r = env.login_request(user, "a wrong password, timed", address=fresh_address())
        assert r.status_code == 401, r.text
        return cpu_seconds(pid) - before

    known = statistics.median(cost(name) for _ in range(5))
    unknown = statistics.median(cost(f"unknown-{i}") for i in range(5))
    assert known > 0.01, f"a password check took {known * 1000:.1f} ms of CPU: no hash?"
    assert unknown > 0.5 * known, f"unknown name {unknown * 1000:.1f} ms, wrong password {known * 1000:.1f} ms of CPU"


# --------------------------------------------------------------------------- the cookie and the CSRF token


def test_a_session_reads_without_the_csrf_token(env):
    admin = env.login(ADMIN)
    for path in ("/session", "/changesets", "/admin/users", "/audit"):
        r = env.call("GET", path, cookie=admin.cookie)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
    users = env.call("GET", "/admin/users", cookie=admin.cookie).json()["users"]
    assert sorted(u["name"] for u in users) == sorted(n for (n,) in rows(env.store, "SELECT name FROM amis_users"))


def wfs_update(fid: int, status: str) -> str:
    ns = f'xmlns:wfs="{NS["wfs"]}" xmlns:fes="{NS["fes"]}" xmlns:gml="{NS["gml"]}" xmlns:amis="{AMIS_NS}"'
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<wfs:Transaction service="WFS" version="2.0.0" {ns}>'
            f'<wfs:Update typeName="amis:coal_mines"><wfs:Property><wfs:ValueReference>status</wfs:ValueReference>'
            f'<wfs:Value>{status}</wfs:Value></wfs:Property>'
            f'<fes:Filter><fes:ResourceId rid="coal_mines.{fid}"/></fes:Filter></wfs:Update></wfs:Transaction>')


def idn_fids(env: Env) -> list[int]:
    return [f for (f,) in rows(env.store, "SELECT fid FROM coal_mines WHERE iso3 = 'IDN' ORDER BY fid")]


def test_writes_with_the_cookie_need_the_csrf_token(env):
    """Every unsafe request with the cookie and a missing or wrong X-CSRF-Token is 403 and
    records nothing; with the session's token the same requests go through."""
    editor, other = env.login(IDN_EDITOR), env.login(IDN_EDITOR)
    admin = env.login(ADMIN)
    fid = idn_fids(env)[0]
    draft = env.call("POST", "/changesets", token=IDN_EDITOR, body={"collection": "coal_mines"}).json()["id"]
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(IN_JAVA)},
               "properties": {"mine_name": "CSRF test mine", "iso3": "IDN"}}
    upload = json.dumps({"type": "FeatureCollection", "features": [
        {**feature, "properties": {"gem_mine_id": "SESSION-UPLOAD-1", "mine_name": "Uploaded", "iso3": "IDN"}}]})
    reviewer_token = rows(env.store, "SELECT id FROM amis_tokens WHERE user_name = ?", REVIEWER)[0][0]
    writes = [  # (login, method, path, body, content type, params)
        (editor, "POST", "/changesets", {"collection": "coal_mines"}, JSON, None),
        (editor, "POST", "/collections/coal_mines/items", feature, "application/geo+json", None),
        (editor, "PUT", f"/collections/coal_mines/items/{fid}", feature, "application/geo+json", None),
        (editor, "PATCH", f"/collections/coal_mines/items/{fid}", {"properties": {"status": "Closed"}}, MERGE_PATCH,
         {"changeset": draft}),
        (editor, "DELETE", f"/collections/coal_mines/items/{fid}", None, None, None),
        (editor, "POST", "/collections/coal_mines/upload", upload, "application/geo+json", {"key": "gem_mine_id"}),
        (editor, "POST", f"/changesets/{draft}/submit", None, None, None),
        (editor, "POST", "/wfs", wfs_update(fid, "Closed"), "application/xml", None),
        (admin, "POST", "/admin/users", {"name": "csrf-made", "role": "reviewer", "password": "x" * 20}, JSON, None),
        (admin, "PATCH", f"/admin/users/{REVIEWER}", {"disabled": True}, JSON, None),
        (admin, "POST", f"/admin/users/{REVIEWER}/tokens", {"label": "csrf"}, JSON, None),
        (admin, "DELETE", f"/admin/tokens/{reviewer_token}", None, None, None),
        (admin, "DELETE", "/collections/coal_mines/styles/no-such-style", None, None, None),
        (editor, "POST", "/logout", None, None, None),
    ]
    before = snapshot(env.store)
    for login, method, path, body, ctype, params in writes:
        for csrf in (None, "", other.csrf, login.cookie, login.csrf + "x", login.csrf[:-1]):
            if login is admin and csrf == other.csrf:
                csrf = editor.csrf  # another user's token
            r = env.call(method, path, cookie=login.cookie, csrf=csrf, body=body, content_type=ctype, params=params)
            assert r.status_code == 403, (method, path, csrf and csrf[:8], r.status_code, r.text[:300])
    assert snapshot(env.store) == before
    # The sessions still work (a refused logout ended nothing).
    assert env.call("GET", "/session", cookie=editor.cookie).status_code == 200

    # With the token (its header name in any case) the same kind of requests go through.
    r = env.call("POST", "/changesets", cookie=editor.cookie, headers={"x-csrf-token": editor.csrf},
                 body={"collection": "coal_mines", "title": "by session"})
    assert r.status_code == 201, r.text
    made = r.json()["id"]
    assert rows(env.store, "SELECT author, state, title FROM amis_change_sets WHERE id = ?", made) == [
        (IDN_EDITOR, "draft", "by session")]
    r = env.call("PATCH", f"/collections/coal_mines/items/{fid}", cookie=editor.cookie, csrf=editor.csrf,
                 body={"properties": {"status": "Closed"}}, content_type=MERGE_PATCH, params={"changeset": draft})
    assert r.status_code == 202, r.text
    assert rows(env.store, "SELECT operation, fid FROM amis_changes WHERE change_set = ?", draft) == [("replace", fid)]
    r = env.call("POST", "/collections/coal_mines/upload", cookie=editor.cookie, csrf=editor.csrf, body=upload,
                 content_type="application/geo+json", params={"key": "gem_mine_id"})
    assert r.status_code == 202, r.text
    assert rows(env.store, "SELECT author FROM amis_change_sets WHERE id = ?", r.json()["changeSet"]["id"]) == [
        (IDN_EDITOR,)]
    cs0 = rows(env.store, "SELECT max(id) FROM amis_change_sets")[0][0]
    r = env.call("POST", "/wfs", cookie=editor.cookie, csrf=editor.csrf, body=wfs_update(idn_fids(env)[2], "Mothballed"),
                 content_type="application/xml")
    assert r.status_code == 200, r.text[:500]
    assert rows(env.store, "SELECT author, state FROM amis_change_sets WHERE id > ?", cs0) == [
        (IDN_EDITOR, "submitted")]
    r = env.call("POST", "/admin/users", cookie=admin.cookie, csrf=admin.csrf,
                 body={"name": "csrf-made", "role": "reviewer", "password": env.keep("csrf made password 123")})
    assert r.status_code == 201, r.text
    assert rows(env.store, "SELECT role FROM amis_users WHERE name = 'csrf-made'") == [("reviewer",)]
    r = env.call("DELETE", "/collections/coal_mines/styles/no-such-style", cookie=admin.cookie, csrf=admin.csrf)
    assert r.status_code == 404, r.text  # past the CSRF check and the role check


def test_session_permissions_are_those_of_the_user(env):
    """An editor's session edits their own country and is refused the admin API and the
    approval; a reviewer's session approves."""
    editor, reviewer = env.login(IDN_EDITOR), env.login(REVIEWER)
    before = snapshot(env.store)
    for method, path, body in (("GET", "/admin/users", None), ("GET", "/audit", None),
                               ("POST", "/admin/users", {"name": "by-editor", "role": "admin", "password": "y" * 20}),
                               ("PATCH", f"/admin/users/{IDN_EDITOR}", {"role": "admin"})):
        error(env.call(method, path, cookie=editor.cookie, csrf=editor.csrf, body=body), 403, "Forbidden")
    error(env.call("GET", "/admin/users", cookie=reviewer.cookie), 403, "Forbidden")
    assert snapshot(env.store) == before

    r = env.call("POST", "/changesets", cookie=editor.cookie, csrf=editor.csrf, body={"collection": "coal_mines"})
    assert r.status_code == 201, r.text
    cs = r.json()["id"]
    fid = idn_fids(env)[1]
    vnm = rows(env.store, "SELECT min(fid) FROM coal_mines WHERE iso3 = 'VNM'")[0][0]
    before = snapshot(env.store)
    error(env.call("PATCH", f"/collections/coal_mines/items/{vnm}", cookie=editor.cookie, csrf=editor.csrf,
                   body={"properties": {"status": "Closed"}}, content_type=MERGE_PATCH, params={"changeset": cs}), 403)
    assert snapshot(env.store) == before
    r = env.call("PATCH", f"/collections/coal_mines/items/{fid}", cookie=editor.cookie, csrf=editor.csrf,
                 body={"properties": {"status": "Cancelled by session"}}, content_type=MERGE_PATCH,
                 params={"changeset": cs})
    assert r.status_code == 202, r.text
    r = env.call("POST", f"/changesets/{cs}/submit", cookie=editor.cookie, csrf=editor.csrf)
    assert r.status_code == 200 and r.json()["state"] == "submitted", r.text
    before = snapshot(env.store)
    error(env.call("POST", f"/changesets/{cs}/approve", cookie=editor.cookie, csrf=editor.csrf), 403)
    assert snapshot(env.store) == before
    assert rows(env.store, "SELECT status FROM coal_mines WHERE fid = ?", fid) != [("Cancelled by session",)]

    r = env.call("POST", f"/changesets/{cs}/approve", cookie=reviewer.cookie, csrf=reviewer.csrf,
                 body={"comment": "fine"})
    assert r.status_code == 200, r.text
    assert rows(env.store, "SELECT state, reviewer FROM amis_change_sets WHERE id = ?", cs) == [("approved", REVIEWER)]
    assert rows(env.store, "SELECT status FROM coal_mines WHERE fid = ?", fid) == [("Cancelled by session",)]


def test_a_bearer_token_takes_precedence_over_the_cookie(env):
    admin = env.login(ADMIN)
    r = env.call("GET", "/session", cookie=admin.cookie, token=REVIEWER)
    assert r.status_code == 200 and r.json()["user"] == REVIEWER and r.json()["role"] == "reviewer", r.text
    error(env.call("GET", "/admin/users", cookie=admin.cookie, token=REVIEWER), 403)
    # A write with the token needs no CSRF token, and is the token's user's.
    r = env.call("POST", "/changesets", cookie=admin.cookie, token=REVIEWER, body={"collection": "coal_mines"})
    assert r.status_code == 201 and r.json()["author"] == REVIEWER, r.text
    assert rows(env.store, "SELECT author FROM amis_change_sets WHERE id = ?", r.json()["id"]) == [(REVIEWER,)]
    # A bad token is not rescued by a good cookie.
    before = snapshot(env.store)
    for token in ("amis_" + "A" * 43, env.tokens[ADMIN][:-1] + ("A" if env.tokens[ADMIN][-1] != "A" else "B")):
        error(env.call("GET", "/session", cookie=admin.cookie, token=token), 401)
        error(env.call("POST", "/changesets", cookie=admin.cookie, csrf=admin.csrf, token=token,
                       body={"collection": "coal_mines"}), 401)
    assert snapshot(env.store) == before


def test_forged_and_unknown_cookies_are_refused(env):
    admin = env.login(ADMIN)
    digest, _, csrf, _ = session_row(env.store, admin.cookie)
    flipped = admin.cookie[:-1] + ("A" if admin.cookie[-1] != "A" else "B")
    before = snapshot(env.store)
    for forged in ("amis_" + "A" * 43, flipped, admin.cookie[:-1], admin.cookie + "A", digest, csrf,
                   admin.cookie.upper(), ""):
        for method, path in (("GET", "/session"), ("GET", "/changesets"), ("GET", "/admin/users"),
                             ("POST", "/changesets"), ("POST", "/logout")):
            body = {"collection": "coal_mines"} if path == "/changesets" and method == "POST" else None
            r = env.call(method, path, cookie=forged, csrf=admin.csrf, body=body)
            error(r, 401, "Unauthorized")
    assert snapshot(env.store) == before
    # A stale cookie does not stand in the way of public reading.
    r = env.call("GET", "/collections/coal_mines/items", cookie="amis_" + "A" * 43, params={"limit": 1})
    assert r.status_code == 200, r.text[:300]
    # The real one still works, also among other cookies.
    r = env.at().get(env.url + "/session", timeout=60,
                     headers={"Cookie": f"theme=dark; {COOKIE}={admin.cookie}; lang=en"})
    assert r.status_code == 200 and r.json()["user"] == ADMIN, r.text


def test_an_expired_session_is_refused(env):
    login = env.login(REVIEWER)
    assert env.call("GET", "/session", cookie=login.cookie).status_code == 200
    with contextlib.closing(connect_store(env.store, write=True)) as db:
        db.execute("UPDATE amis_sessions SET expires = ? WHERE digest = ?", (int(time.time()) - 1, sha256(login.cookie)))
        db.commit()
    error(env.call("GET", "/session", cookie=login.cookie), 401)
    error(env.call("POST", "/changesets", cookie=login.cookie, csrf=login.csrf, body={"collection": "coal_mines"}),
          401)
    with contextlib.closing(connect_store(env.store, write=True)) as db:
        db.execute("UPDATE amis_sessions SET expires = ? WHERE digest = ?", (int(time.time()) + 30, sha256(login.cookie)))
        db.commit()
    assert env.call("GET", "/session", cookie=login.cookie).status_code == 200


def test_a_disabled_users_session_is_refused(env):
    name = "session-then-disabled"
    env.add_user(name, "editor", "IDN")
    login, admin = env.login(name), env.login(ADMIN)
    assert env.call("GET", "/changesets", cookie=login.cookie).status_code == 200
    r = env.call("PATCH", f"/admin/users/{name}", cookie=admin.cookie, csrf=admin.csrf, body={"disabled": True})
    assert r.status_code == 200, r.text
    assert rows(env.store, "SELECT disabled FROM amis_users WHERE name = ?", name) == [(1,)]
    before = snapshot(env.store)
    error(env.call("GET", "/session", cookie=login.cookie), 401)
    error(env.call("GET", "/changesets", cookie=login.cookie), 401)
    error(env.call("POST", "/changesets", cookie=login.cookie, csrf=login.csrf, body={"collection": "coal_mines"}), 401)
    assert snapshot(env.store) == before


def test_a_new_password_or_disabling_ends_the_users_sessions(env):
    """Whoever knew the old password is logged out; re-enabling an account does not bring
    its sessions back. Other users' sessions stay."""
    name, other = "session-then-new-password", "session-of-someone-else"
    env.add_user(name, "editor", "IDN")
    env.add_user(other, "editor", "IDN")
    first, second, bystander = env.login(name), env.login(name), env.login(other)
    assert rows(env.store, "SELECT count(*) FROM amis_sessions WHERE user_name = ?", name) == [(2,)]
    r = env.call("PATCH", f"/admin/users/{name}", token=ADMIN, body={"password": "a brand new long password"})
    assert r.status_code == 200, r.text
    assert rows(env.store, "SELECT count(*) FROM amis_sessions WHERE user_name = ?", name) == [(0,)]
    for login in (first, second):
        error(env.call("GET", "/session", cookie=login.cookie), 401)
    assert env.call("GET", "/session", cookie=bystander.cookie).status_code == 200

    third = env.login(name, "a brand new long password")
    for disabled in (True, False):
        r = env.call("PATCH", f"/admin/users/{name}", token=ADMIN, body={"disabled": disabled})
        assert r.status_code == 200, r.text
    error(env.call("GET", "/session", cookie=third.cookie), 401)
    assert env.call("GET", "/session", cookie=bystander.cookie).status_code == 200


def test_a_role_change_applies_to_a_live_session(env):
    """A session carries the user, not a copy of the role: an administrator's change is in
    force at once, as for a bearer token."""
    name = "promoted-editor"
    env.add_user(name, "editor", "IDN")
    login = env.login(name)
    error(env.call("GET", "/admin/users", cookie=login.cookie), 403)
    r = env.call("PATCH", f"/admin/users/{name}", token=ADMIN, body={"role": "admin"})
    assert r.status_code == 200, r.text
    assert rows(env.store, "SELECT role FROM amis_users WHERE name = ?", name) == [("admin",)]
    assert env.call("GET", "/admin/users", cookie=login.cookie).status_code == 200
    doc = env.call("GET", "/session", cookie=login.cookie).json()
    assert (doc["user"], doc["role"], doc["csrfToken"]) == (name, "admin", login.csrf)


# --------------------------------------------------------------------------- logging out


def test_logout_ends_the_session(env):
    login, other = env.login(IDN_EDITOR), env.login(IDN_EDITOR)
    error(env.call("POST", "/logout"), 401)  # no session to end
    r = env.call("POST", "/logout", cookie=login.cookie)  # no CSRF token
    error(r, 403)
    assert set_cookies(r) == []
    assert session_row(env.store, login.cookie) is not None
    audit0 = last_audit_id(env.store)

    r = env.call("POST", "/logout", cookie=login.cookie, csrf=login.csrf)
    assert r.status_code == 200, r.text
    assert "no-store" in r.headers.get("Cache-Control", ""), r.headers
    (c,) = set_cookies(r)
    assert c.name == COOKIE and c.value == "" and c.attributes.get("max-age") == "0", c.raw
    assert c.attributes.get("path") == "/" and c.attributes.get("httponly") is True, c.raw
    assert session_row(env.store, login.cookie) is None
    assert session_row(env.store, other.cookie) is not None  # only this session ends
    assert audit_since(env.store, audit0) == [] or all(a == IDN_EDITOR for a, *_ in audit_since(env.store, audit0))

    d = error(env.call("GET", "/session", cookie=login.cookie), 401, "Unauthorized")
    assert "session has ended" in d["description"], d
    before = snapshot(env.store)
    error(env.call("POST", "/changesets", cookie=login.cookie, csrf=login.csrf, body={"collection": "coal_mines"}), 401)
    error(env.call("POST", "/logout", cookie=login.cookie, csrf=login.csrf), 401)
    assert snapshot(env.store) == before
    assert env.call("GET", "/session", cookie=other.cookie).json()["csrfToken"] == other.csrf


def test_a_cookie_jar_follows_the_session(env):
    """requests' cookie jar as a browser: it keeps the cookie from /login, sends it back,
    and drops it when /logout expires it."""
    with client(cookies=True) as s:
        s.cookies.set(COOKIE, "amis_stale_value_from_an_old_login_000000000", domain="127.0.0.1", path="/")
        r = s.post(env.url + "/login", json={"user": REVIEWER, "password": PASSWORD}, timeout=60)
        assert r.status_code == 200, r.text
        jar = {c.name: c for c in s.cookies}
        assert set(jar) == {COOKIE}, jar
        value = env.keep(jar[COOKIE].value)
        assert value != "amis_stale_value_from_an_old_login_000000000"
        assert [c.name for c in s.cookies] == [COOKIE] and jar[COOKIE].path == "/"
        assert session_row(env.store, value)[1] == REVIEWER
        csrf = r.json()["csrfToken"]

        r = s.get(env.url + "/session", timeout=60)
        assert r.status_code == 200 and r.json()["user"] == REVIEWER, r.text
        r = s.post(env.url + "/changesets", json={"collection": "coal_mines"}, timeout=60)
        assert r.status_code == 403, r.text
        r = s.post(env.url + "/changesets", json={"collection": "coal_mines"}, headers={"X-CSRF-Token": csrf},
                   timeout=60)
        assert r.status_code == 201 and r.json()["author"] == REVIEWER, r.text

        r = s.post(env.url + "/logout", headers={"X-CSRF-Token": csrf}, timeout=60)
        assert r.status_code == 200, r.text
        assert [c.name for c in s.cookies] == [], "the jar kept the cookie after logout"
        error(s.get(env.url + "/session", timeout=60), 401)
    assert session_row(env.store, value) is None


# --------------------------------------------------------------------------- audit


def test_logins_are_in_the_audit_log(env):
    name = "audited-user"
    password = env.keep("audited user's password 0451")
    env.add_user(name, "editor", "KHM", password=password)
    audit0 = last_audit_id(env.store)
    address = fresh_address()
    wrong = env.keep("audited wrong password 9981")
    error(env.login_request(name, wrong, address=address), 401)
    login = env.login(name, password)
    entries = audit_since(env.store, audit0)
    assert [(a, act, s) for a, act, s, _ in entries] == [("anonymous", "login failed", name),
                                                         (name, "login", name)], entries
    # Each client as a pseudonym (the two attempts came from two addresses); never an address.
    assert all(re.fullmatch(r"client [0-9a-f]{12}", e[3]) for e in entries), entries
    assert entries[0][3] != entries[1][3], entries
    assert LOOPBACK not in repr(entries) and address not in repr(entries)
    admin = env.login(ADMIN)
    listed = env.call("GET", "/audit", cookie=admin.cookie, params={"limit": 1000})
    assert listed.status_code == 200, listed.text
    mine = [(e["actor"], e["action"], e["subject"], e["detail"]) for e in listed.json()["entries"]
            if e["id"] > audit0 and e["subject"] == name]
    assert mine[::-1] == entries
    for secret in (password, wrong, login.cookie, admin.cookie):
        assert secret not in listed.text


# --------------------------------------------------------------------------- the limit on failed logins


def fail(env: Env, name: str, address: str, **kw) -> requests.Response:
    r = env.login_request(name, "a wrong password for the limit", address=address, **kw)
    error(r, 401)
    return r


def assert_limited(r: requests.Response) -> None:
    error(r, 429)
    assert set_cookies(r) == []
    retry = r.headers.get("Retry-After", "")
    assert retry.isdigit() and 0 < int(retry) <= 15 * 60, r.headers


def retry_after(r: requests.Response) -> int:
    assert_limited(r)
    return int(r.headers["Retry-After"])


def test_failures_for_one_name_from_one_address_do_not_lock_anyone_else_out(limits):
    """Issue 21: five wrong passwords for a name from an address used to lock the name out
    from every address, and every other name out from that address (behind a proxy, that is
    everyone). Now they slow down that pair only."""
    name, bystander = "pair-victim", "pair-bystander"
    limits.add_user(name, "editor", "LAO")
    limits.add_user(bystander, "editor", "LAO")
    address = fresh_address()
    audit0 = last_audit_id(limits.store)
    for _ in range(5):
        fail(limits, name, address)
    # The same pair waits, even with the right password.
    assert_limited(limits.login_request(name, PASSWORD, address=address))
    assert sessions_of(limits.store, name) == []
    # Another user from that address, and the user from another address, log in.
    assert limits.login(bystander, address=address).doc["user"] == bystander
    assert limits.login(name, address=fresh_address()).doc["user"] == name
    entries = audit_since(limits.store, audit0)
    assert [e[:3] for e in entries][:5] == [("anonymous", "login failed", name)] * 5


def test_a_name_guessed_from_many_addresses_is_not_locked(limits):
    name = "many-addresses"
    limits.add_user(name, "reviewer")
    for _ in range(12):
        fail(limits, name, fresh_address())
    assert limits.login(name, address=fresh_address()).doc["user"] == name


def test_the_wait_of_a_pair_doubles_and_a_success_clears_it(limits):
    name = "doubling-wait"
    limits.add_user(name, "reviewer")
    address = fresh_address()
    for _ in range(5):
        fail(limits, name, address)
    waits = []
    for _ in range(3):
        wait = retry_after(limits.login_request(name, "still wrong", address=address))
        waits.append(wait)
        assert wait <= 8, f"a wait of {wait} s after {4 + len(waits)} failures of one pair"
        time.sleep(wait + 0.2)
        fail(limits, name, address)  # checked once the wait is over, and wrong again
    assert waits == [1, 2, 4], waits
    assert retry_after(limits.login_request(name, PASSWORD, address=address)) == 8
    time.sleep(8.2)
    assert limits.login(name, address=address).doc["user"] == name
    for _ in range(5):  # a success starts the pair afresh
        fail(limits, name, address)
    assert retry_after(limits.login_request(name, "wrong", address=address)) == 1


def test_spraying_many_names_from_one_address_hits_its_ceiling(limits):
    """An address that fails for 50 different names in 15 minutes is refused for any name,
    the right password too; other addresses are not."""
    name = "spray-victim"
    limits.add_user(name, "reviewer")
    address = fresh_address()
    for i in range(50):
        r = limits.call("POST", "/login", body={"user": f"sprayed-name-{i}", "password": "guess"}, address=address,
                        headers={"X-Forwarded-For": f"203.0.113.{i}", "X-Real-IP": f"203.0.113.{i}",
                                 "Forwarded": f"for=203.0.113.{i}"})
        error(r, 401)
    r = limits.call("POST", "/login", body={"user": name, "password": PASSWORD}, address=address,
                    headers={"X-Forwarded-For": "198.51.100.7"})
    assert_limited(r)
    assert sessions_of(limits.store, name) == []
    assert limits.login(name, address=fresh_address()).doc["user"] == name


def test_the_limit_of_a_pair_also_holds_for_simultaneous_attempts(limits):
    """Ten wrong passwords for one name sent at once from one address: at most five may be
    checked (401); the rest are refused (429), like attempts sent one by one."""
    name = "parallel-guesses"
    limits.add_user(name, "reviewer")
    address = fresh_address()
    sessions = [client(address) for _ in range(10)]

    def attempt(i: int) -> int:
        r = sessions[i].post(limits.url + "/login", json={"user": name, "password": f"parallel guess {i}"}, timeout=60)
        return r.status_code

    try:
        with concurrent.futures.ThreadPoolExecutor(10) as pool:
            statuses = sorted(pool.map(attempt, range(10)))
    finally:
        for s in sessions:
            s.close()
    assert set(statuses) <= {401, 429}, statuses
    assert statuses.count(401) <= 5, f"{statuses.count(401)} passwords checked for one pair: {statuses}"
    assert_limited(limits.login_request(name, PASSWORD, address=address))


def test_the_ceiling_of_an_address_also_holds_for_simultaneous_attempts(limits):
    """Sixty names at once from one address: at most fifty passwords are checked."""
    address = fresh_address()
    sessions = [client(address) for _ in range(60)]

    def attempt(i: int) -> int:
        r = sessions[i].post(limits.url + "/login", json={"user": f"parallel-spray-{i}", "password": "x"}, timeout=120)
        return r.status_code

    try:
        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            statuses = sorted(pool.map(attempt, range(60)))
    finally:
        for s in sessions:
            s.close()
    assert set(statuses) <= {401, 429}, statuses
    assert statuses.count(401) <= 50, f"{statuses.count(401)} names checked from one address"
    assert statuses.count(429) >= 10, statuses


def test_the_limit_is_kept_in_the_store(tmp_path):
    """Failures are counted in the store (issue 14): a server started anew over the same
    store, like another node of a cluster, goes on from the count the first one left."""
    store = tmp_path / "accounts.gpkg"
    r = amis("user", "add", "restart-user", "--role", "reviewer", "--store", store, stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    config = tmp_path / "amis.toml"
    config.write_text('[server]\nlog_level = "info"\n')
    address = fresh_address()
    servers = []
    try:
        for run in range(2):
            srv = AmisServer(store, tmp_path, name=f"restart-{run}", config=config)
            srv.start()
            servers.append(srv)
            e = Env(store, srv, {})
            try:
                if run == 0:
                    for _ in range(5):
                        fail(e, "restart-user", address)
                    assert_limited(e.login_request("restart-user", PASSWORD, address=address))
                else:
                    time.sleep(1.1)  # the first wait (1 s) is over
                    fail(e, "restart-user", address)  # the sixth failure: a fresh count would allow four more
                    assert retry_after(e.login_request("restart-user", PASSWORD, address=address)) == 2
                    time.sleep(2.1)
                    assert e.login("restart-user", address=address).doc["user"] == "restart-user"
            finally:
                e.close()
                stop(srv)
    finally:
        for srv in servers:
            if srv.alive():
                srv.stop()


def test_two_servers_on_one_store_share_the_count(tmp_path):
    """Two nodes on one store at once: failures on either count for both."""
    store = tmp_path / "shared.gpkg"
    r = amis("user", "add", "shared-user", "--role", "reviewer", "--store", store, stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    config = tmp_path / "amis.toml"
    config.write_text('[server]\nlog_level = "info"\n')
    address = fresh_address()
    servers = [AmisServer(store, tmp_path, name=f"node-{n}", config=config) for n in range(2)]
    envs = []
    try:
        for srv in servers:
            srv.start()
            envs.append(Env(store, srv, {}))
        for n in range(5):
            fail(envs[n % 2], "shared-user", address)
        for e in envs:
            assert_limited(e.login_request("shared-user", PASSWORD, address=address))
    finally:
        for e in envs:
            e.close()
        for srv in servers:
            if srv.alive():
                stop(srv)


def test_cookies_behind_https_are_secure(limits):
    name = "secure-cookie-user"
    limits.add_user(name, "reviewer")
    login = limits.login(name, address=fresh_address())
    (c,) = set_cookies(login.response)
    assert_session_cookie(c, secure=True)
    assert session_row(limits.store, login.cookie)[1] == name
    r = limits.call("POST", "/logout", cookie=login.cookie, csrf=login.csrf)
    assert r.status_code == 200, r.text
    (c,) = set_cookies(r)
    assert c.attributes.get("max-age") == "0" and c.attributes.get("secure") is True, c.raw


def test_cookies_through_a_trusted_https_proxy_are_secure(env):
    """A login forwarded by a trusted proxy (127.0.0.1, the default) that says https gets a
    Secure cookie although base_url is plain http; the same header from any other address
    is not believed."""
    name = "proxied-cookie-user"
    env.add_user(name, "reviewer")
    body = {"user": name, "password": PASSWORD}
    proxied = env.call("POST", "/login", body=body, content_type=JSON, headers={"X-Forwarded-Proto": "https"})
    assert proxied.status_code == 200, proxied.text
    assert_session_cookie(set_cookies(proxied)[0], secure=True)
    direct = env.call("POST", "/login", body=body, content_type=JSON, address=fresh_address(),
                      headers={"X-Forwarded-Proto": "https"})
    assert direct.status_code == 200, direct.text
    assert_session_cookie(set_cookies(direct)[0], secure=False)


# --------------------------------------------------------------------------- secrets


@pytest.mark.parametrize("which", ["env", "limits"])
def test_no_cookie_or_password_in_the_store_or_the_logs(request, which):
    """Runs last in the module: every cookie value and password used on the server is
    looked for in the bytes of the store files, the access log and stderr."""
    e: Env = request.getfixturevalue(which)
    # One more login and logout with distinctive text, so that this test stands on its own.
    password = "Unmistakable-Session-Password-5e1a"
    e.add_user("secret-check", "reviewer", password=password)
    login = e.login("secret-check", password, address=fresh_address())
    e.call("GET", "/session", cookie=login.cookie)
    e.call("POST", "/logout", cookie=login.cookie, csrf=login.csrf)
    error(e.login_request("secret-check", "Unmistakable-Wrong-Password-77d0", address=fresh_address()), 401)
    time.sleep(0.2)  # let the logs reach their files
    cookies = {s for s in e.secrets if s.startswith("amis_")}
    assert len(cookies) >= 2 and login.cookie in cookies
    stored = store_bytes(e.store)
    logs = {"access log": e.server.access_log(), "stderr": e.server.stderr()}
    assert "POST /login" in logs["access log"] + logs["stderr"], "nothing logged: no log to search"
    for secret in sorted(e.secrets):
        probes = {secret}
        if secret.startswith("amis_"):
            probes.add(secret[5:17])  # a fragment of a cookie is a leak too
        for probe in probes:
            assert probe.encode() not in stored, f"a secret ({probe[:4]}...) is in the store file"
            for where, text in logs.items():
                assert probe not in text, f"a secret ({probe[:4]}...) appears in {where}"
    # The digests of the cookies are there, the cookies not.
    assert sha256(login.cookie) not in repr(rows(e.store, "SELECT digest FROM amis_sessions"))  # logged out
