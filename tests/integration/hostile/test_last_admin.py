"""The last administrator stays (issue 21): neither the admin API (PATCH /admin/users/{name})
nor `amis user disable` may disable or demote the last enabled administrator account, not
even that administrator themself: 409 Conflict (exit status 1 on the command line) with a
message saying why, and nothing changes. With a second enabled administrator both are
allowed. Oracle: amis_users and amis_audit read with sqlite3."""
from __future__ import annotations

import pytest

from hostile_support import json_error, start_site, stop_site
from store_support import amis, last_audit_id, rows


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    work = tmp_path_factory.mktemp("last-admin")
    s = start_site(work, work / "accounts.gpkg", '[server]\nlog_level = "info"\n',
                   {"only-admin": ("admin", None), "some-reviewer": ("reviewer", None)}, name="last-admin")
    yield s
    stop_site(s)


def users(store) -> dict[str, tuple]:
    return {r[0]: (r[1], r[2]) for r in rows(store, "SELECT name, role, disabled FROM amis_users")}


def enabled_admins(store) -> list[str]:
    return sorted(n for n, (role, disabled) in users(store).items() if role == "admin" and not disabled)


def refused(site, body: dict, actor: str = "only-admin", target: str = "only-admin") -> None:
    before, audit0 = users(site.store), last_audit_id(site.store)
    doc = json_error(site.call("PATCH", f"/admin/users/{target}", actor, body), 409, "Conflict")
    assert "last" in doc["description"] and "administrator" in doc["description"], doc
    assert users(site.store) == before
    assert last_audit_id(site.store) == audit0


@pytest.mark.parametrize("body", [{"disabled": True}, {"role": "reviewer"}, {"role": "editor", "country": "LAO"},
                                  {"role": "reviewer", "disabled": True}])
def test_the_last_admin_cannot_disable_or_demote_themself(site, body):
    assert enabled_admins(site.store) == ["only-admin"]
    refused(site, body)
    # The account still works as an administrator.
    assert site.call("GET", "/admin/users", "only-admin").status_code == 200


def test_the_cli_cannot_disable_the_last_admin(site):
    before, audit0 = users(site.store), last_audit_id(site.store)
    r = amis("user", "disable", "only-admin", "--store", site.store)
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert "last" in r.stderr and "administrator" in r.stderr, r.stderr
    assert users(site.store) == before and last_audit_id(site.store) == audit0


def test_with_a_second_admin_one_may_go(site):
    site.add_user("second-admin", "admin")
    r = site.call("PATCH", "/admin/users/only-admin", "second-admin", {"role": "reviewer"})
    assert r.status_code == 200, r.text
    assert enabled_admins(site.store) == ["second-admin"]
    # second-admin is now the last one: the other way round it is refused.
    refused(site, {"disabled": True}, actor="second-admin", target="second-admin")
    r = amis("user", "disable", "second-admin", "--store", site.store)
    assert r.returncode == 1 and "last" in r.stderr, r.stderr
    # A disabled admin does not count: disabling the demoted one's replacement is still refused.
    r = site.call("PATCH", "/admin/users/only-admin", "second-admin", {"role": "admin"})
    assert r.status_code == 200, r.text
    assert amis("user", "disable", "only-admin", "--store", site.store).returncode == 0
    assert enabled_admins(site.store) == ["second-admin"]
    refused(site, {"role": "editor", "country": "KHM"}, actor="second-admin", target="second-admin")
    # Re-enabling the other makes room again.
    assert amis("user", "enable", "only-admin", "--store", site.store).returncode == 0
    r = site.call("PATCH", "/admin/users/second-admin", "only-admin", {"disabled": True})
    assert r.status_code == 200, r.text
    assert enabled_admins(site.store) == ["only-admin"]


def test_changing_a_non_admin_is_unaffected(site):
    r = site.call("PATCH", "/admin/users/some-reviewer", "only-admin", {"disabled": True})
    assert r.status_code == 200, r.text
    assert users(site.store)["some-reviewer"] == ("reviewer", 1)
