"""Accounts and API tokens (issue 6, first slice): `amis user ...` and `amis token ...` on a
store of its own, and the bearer tokens on a write path (styles, which only admins change).

Oracles: sqlite3 reads of the store (argon2id hashes, no secret in clear), Python's
hashlib for the stored token digest, and the HTTP answers of a server over that store."""
from __future__ import annotations

import contextlib
import hashlib
import subprocess

import pytest

import styles_support as ss
from support import AmisServer, amis_argv, amis_cwd, connect_store, http_session

PASSWORD = "correct horse battery staple"
SLD = (ss.STYLES_DIR / "countries-asean-plus-three.sld").read_bytes()


def amis(*args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(amis_argv(*args), cwd=amis_cwd(*args), input=stdin, capture_output=True, text=True, timeout=120)


def rows(store, sql: str) -> list[tuple]:
    with contextlib.closing(connect_store(store)) as db:
        return db.execute(sql).fetchall()


@pytest.fixture(scope="module")
def accounts(tmp_path_factory, store_path):
    work = tmp_path_factory.mktemp("accounts")
    store = ss.copy_store(store_path, work / "store.gpkg")
    for name, role, country in (("secretariat", "admin", None), ("expert", "reviewer", None),
                                ("idn-editor", "editor", "IDN")):
        extra = ["--country", country] if country else []
        r = amis("user", "add", name, "--role", role, *extra, "--store", store, stdin=PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
    tokens = {}
    for name in ("secretariat", "expert", "idn-editor"):
        r = amis("token", "create", name, "--label", "tests", "--store", store)
        assert r.returncode == 0, r.stderr
        tokens[name] = r.stdout.strip()
    srv = AmisServer(store, work, name="accounts")
    srv.start()
    with http_session() as s:
        yield store, tokens, srv, s
    assert srv.alive(), srv.stderr()
    srv.stop()


def put(s, srv, name, token):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return s.put(f"{srv.url}/collections/countries/styles/{name}", data=SLD, headers=headers, timeout=30)


def test_passwords_are_argon2id_and_tokens_are_digests(accounts):
    store, tokens, _, _ = accounts
    users = rows(store, "SELECT name, role, country, password_hash FROM amis_users ORDER BY name")
    assert [(u[0], u[1], u[2]) for u in users] == [("expert", "reviewer", ""), ("idn-editor", "editor", "IDN"),
                                                   ("secretariat", "admin", "")]
    assert all(u[3].startswith("$argon2id$") and PASSWORD not in u[3] for u in users)
    assert len({u[3] for u in users}) == 3  # salted: one password, three hashes
    digests = {r[0]: r[1] for r in rows(store, "SELECT user_name, digest FROM amis_tokens")}
    for name, token in tokens.items():
        assert token.startswith("amis_") and len(token) >= 40
        assert digests[name] == hashlib.sha256(token.encode()).hexdigest()
    dump = "\n".join(str(r) for r in rows(store, "SELECT * FROM amis_tokens"))
    assert not any(t in dump for t in tokens.values())


def test_admin_token_writes_other_roles_are_forbidden(accounts):
    _, tokens, srv, s = accounts
    assert put(s, srv, "by-admin", tokens["secretariat"]).status_code == 200
    for name in ("expert", "idn-editor"):
        r = put(s, srv, "by-" + name, tokens[name])
        assert r.status_code == 403 and r.json()["code"] == "Forbidden", r.text
    r = put(s, srv, "anonymous", None)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].lower().startswith("bearer")
    assert put(s, srv, "forged", "amis_" + "A" * 43).status_code == 401
    names = [st["id"] for st in s.get(f"{srv.url}/collections/countries/styles", timeout=30).json()["styles"]]
    assert "by-admin" in names and not any(n in names for n in ("by-expert", "by-idn-editor", "anonymous", "forged"))


def test_revoked_tokens_and_disabled_users_are_refused(accounts):
    store, tokens, srv, s = accounts
    extra = amis("token", "create", "secretariat", "--store", store).stdout.strip()
    assert put(s, srv, "before-revoke", extra).status_code == 200
    listed = amis("token", "list", "secretariat", "--store", store).stdout.splitlines()
    last_id = listed[-1].split("\t")[0]
    assert amis("token", "revoke", last_id, "--store", store).returncode == 0
    assert put(s, srv, "after-revoke", extra).status_code == 401
    assert "revoked" in amis("token", "list", "secretariat", "--store", store).stdout.splitlines()[-1]
    # The last enabled administrator may not be disabled (tests/integration/hostile/test_last_admin.py).
    r = amis("user", "add", "standby-admin", "--role", "admin", "--store", store, stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    assert amis("user", "disable", "secretariat", "--store", store).returncode == 0
    assert put(s, srv, "while-disabled", tokens["secretariat"]).status_code == 401
    assert amis("user", "enable", "secretariat", "--store", store).returncode == 0
    assert put(s, srv, "enabled-again", tokens["secretariat"]).status_code == 200


def test_tokens_never_reach_the_logs(accounts):
    _, tokens, srv, s = accounts
    put(s, srv, "logged", tokens["secretariat"])
    put(s, srv, "logged", tokens["secretariat"][:-1] + "x")
    logs = srv.access_log() + srv.stderr()
    assert "PUT /collections/countries/styles/logged" in logs
    assert not any(t[5:17] in logs for t in tokens.values())


@pytest.mark.parametrize("args, stdin, mentions", [
    (["user", "add", "short-pw", "--role", "admin"], "short\n", "10 to 1024"),
    (["user", "add", "no-country", "--role", "editor"], PASSWORD + "\n", "needs a country"),
    (["user", "add", "usa-editor", "--role", "editor", "--country", "USA"], PASSWORD + "\n", "needs a country"),
    (["user", "add", "boss", "--role", "admin", "--country", "IDN"], PASSWORD + "\n", "only editors"),
    (["user", "add", "king", "--role", "emperor"], PASSWORD + "\n", "admin, reviewer, editor or node"),
    (["user", "add", "a", "--role", "admin"], PASSWORD + "\n", "3 to 64"),
    (["user", "add", "expert", "--role", "admin"], PASSWORD + "\n", "already"),
    (["user", "add", "no-password", "--role", "admin"], "", "standard input"),
    (["user", "passwd", "nobody"], PASSWORD + "\n", "nobody"),
    (["token", "create", "nobody"], None, "nobody"),
    (["token", "revoke", "99999"], None, "99999"),
])
def test_cli_refusals(accounts, args, stdin, mentions):
    store = accounts[0]
    before = rows(store, "SELECT * FROM amis_users"), rows(store, "SELECT * FROM amis_tokens")
    r = amis(*args, "--store", store, stdin=stdin)
    assert r.returncode == 1, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and mentions in lines[0], r.stderr
    assert (rows(store, "SELECT * FROM amis_users"), rows(store, "SELECT * FROM amis_tokens")) == before


def test_passwd_changes_the_hash(accounts):
    store = accounts[0]
    before = rows(store, "SELECT password_hash FROM amis_users WHERE name = 'expert'")[0][0]
    r = amis("user", "passwd", "expert", "--store", store, stdin="another long password\n")
    assert r.returncode == 0, r.stderr
    after = rows(store, "SELECT password_hash FROM amis_users WHERE name = 'expert'")[0][0]
    assert after != before and after.startswith("$argon2id$")
