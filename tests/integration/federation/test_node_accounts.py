"""The `node` role (issue 16): the account whose token another AMIS reads this one's change
feed with. A store made before the role existed (its amis_users checks the role against
admin, reviewer and editor only) takes it when AMIS next opens it, keeping its accounts and
tokens; the role is kept as `node`, with no country. Oracle: the store's tables read with
sqlite3/psycopg2, and a row the old check refuses when written directly."""
from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

import store_support
from support import amis_import, connect_store, on_postgis
from sync_support import mines_file

PASSWORD = "node-account-password-not-secret-9q2"
OLD_CHECK = "CHECK (role IN ('admin', 'reviewer', 'editor'))"


def make_old(store: Path) -> None:
    """amis_users as stores made before the node role have it."""
    with contextlib.closing(connect_store(store, write=True)) as db:
        if on_postgis():
            db.execute("ALTER TABLE amis_users DROP CONSTRAINT amis_users_role_check")
            db.execute(f"ALTER TABLE amis_users ADD CONSTRAINT amis_users_role_check {OLD_CHECK}")
            db.execute("DELETE FROM amis_schema_state")  # an older build's schema digest is not this one's
        else:
            db.executescript(f"""
                CREATE TABLE amis_users_old (
                  name TEXT PRIMARY KEY, role TEXT NOT NULL {OLD_CHECK},
                  country TEXT NOT NULL, password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,
                  created TEXT NOT NULL);
                INSERT INTO amis_users_old SELECT * FROM amis_users;
                DROP TABLE amis_users;
                ALTER TABLE amis_users_old RENAME TO amis_users;""")
        db.commit()


def refuses_node_rows(store: Path) -> bool:
    with contextlib.closing(connect_store(store, write=True)) as db:
        try:
            db.execute("INSERT INTO amis_users (name, role, country, password_hash, disabled, created) "
                       "VALUES ('probe', 'node', '', 'x', ?, '2026-01-01T00:00:00Z')", (False,))
        except Exception:  # sqlite3.IntegrityError, psycopg2.errors.CheckViolation
            db.rollback()
            return True
        db.rollback()
        return False


def test_an_old_store_takes_the_node_role_and_keeps_its_accounts(tmp_path):
    store = tmp_path / "old.gpkg"
    assert amis_import(store, mines_file(tmp_path / "mines.geojson"), "mines").returncode == 0
    before = store_support.add_users(store, {"old-reviewer": ("reviewer", None)}, PASSWORD)
    make_old(store)
    assert refuses_node_rows(store)  # the store is as an old one was
    tokens = store_support.add_users(store, {"regional-link": ("node", None)}, PASSWORD)
    assert not refuses_node_rows(store)
    assert store_support.rows(store, "SELECT name, role, country FROM amis_users ORDER BY name") == [
        ("old-reviewer", "reviewer", ""), ("regional-link", "node", "")]
    digests = [r[0] for r in store_support.rows(store, "SELECT digest FROM amis_tokens ORDER BY id")]
    assert len(digests) == 2 and tokens["regional-link"] not in digests and before["old-reviewer"] not in digests
    # opened again: nothing changes
    tables = store_support.table_digests(store, ["amis_users", "amis_tokens"])
    assert store_support.amis("user", "list", "--store", store).returncode == 0
    assert store_support.table_digests(store, ["amis_users", "amis_tokens"]) == tables


@pytest.mark.parametrize("country", ["IDN", ""])
def test_a_node_account_has_no_country(tmp_path, country):
    store = tmp_path / "s.gpkg"
    assert amis_import(store, mines_file(tmp_path / "mines.geojson"), "mines").returncode == 0
    extra = ["--country", country] if country else []
    r = store_support.amis("user", "add", "link", "--role", "node", *extra, "--store", store, stdin=PASSWORD + "\n")
    assert (r.returncode == 0) == (not country), r.stdout + r.stderr
    if country:
        assert "only editors are bound to a country" in r.stderr
