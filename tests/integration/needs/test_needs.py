"""The needs and requirements register (issue 18, work plan 4.3) on a store and server of
their own, on either backend (--store-backend postgis): member states' editors and the
expert team submit needs (a dataset wanted, a service missing, a data problem in a feature
that must exist); an editor sees only their own; only reviewers and administrators triage
and comment; every change is in amis_audit and the need's history, read back with plain SQL;
the CSV export equals the JSON list and keeps spreadsheets from running formulas; the public
counts equal SQL's GROUP BY and name no one; a session cookie's writes need its CSRF token;
bad input is a 4xx OGC API exception; `amis store copy` keeps the register.
"""
from __future__ import annotations

import csv
import io
import subprocess

import pytest

from needs_support import (ADMIN, IDN, PASSWORD, REVIEWER, REVIEWER2, USERS, VNM, as_stored, audit_rows, need_rows,
                           note_rows, start_env)
from store_support import error, rows, table_digests
from support import AMIS_BIN, AmisServer, http_session, store_arg

REGISTER = ("amis_needs", "amis_need_notes", "amis_audit")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    env = start_env(tmp_path_factory.mktemp("needs"), "needs")
    yield env
    alive = env.server.alive()
    env.server.stop()
    assert alive, env.server.stderr()


@pytest.fixture(scope="module")
def feature(env):
    r = env.call("GET", "/collections/coal_mines/items", params={"limit": 1, "iso3": "IDN"})
    assert r.status_code == 200, r.text
    return r.json()["features"][0]["id"]


def test_anonymous_callers_cannot_submit_or_list(env):
    before = table_digests(env.store, REGISTER)
    error(env.call("POST", "/needs", body={"kind": "dataset", "title": "Geochemistry of Borneo"}), 401)
    error(env.call("GET", "/needs"), 401)
    error(env.call("GET", "/needs/1"), 401)
    assert table_digests(env.store, REGISTER) == before


def test_an_editor_submits_a_need_of_their_own_member_state(env):
    doc = env.submit(IDN, {"kind": "dataset", "title": "Nickel laterite deposits of Sulawesi",
                           "description": "Deposit outlines with grades, as in the national inventory."})
    assert (doc["kind"], doc["status"], doc["priority"], doc["submitter"], doc["country"]) == \
           ("dataset", "new", "normal", IDN, "IDN")
    assert doc["created"] == doc["updated"] and doc["assignee"] is None
    [row] = need_rows(env.store, "WHERE id = ?", doc["id"])
    assert row == as_stored(doc)
    assert audit_rows(env.store, doc["id"]) == [(IDN, "submit need", "dataset: Nickel laterite deposits of Sulawesi")]
    # Another member state's need is refused, as another country's feature is.
    count = len(need_rows(env.store))
    error(env.call("POST", "/needs", IDN, {"kind": "service", "title": "WCS for VNM", "country": "VNM"}), 403)
    assert len(need_rows(env.store)) == count


def test_a_reviewer_may_submit_for_any_member_state_or_none(env):
    doc = env.submit(REVIEWER, {"kind": "service", "title": "OGC API Processes for buffer analyses"})
    assert doc["country"] is None and doc["submitter"] == REVIEWER
    doc = env.submit(REVIEWER, {"kind": "service", "title": "Vector tiles of licences", "country": "MYS"})
    assert doc["country"] == "MYS"
    error(env.call("POST", "/needs", REVIEWER, {"kind": "service", "title": "X of Y", "country": "USA"}), 400)


def test_a_data_problem_links_to_a_feature_that_exists(env, feature):
    doc = env.submit(VNM, {"kind": "data-problem", "title": "Wrong coordinates", "collection": "coal_mines",
                           "featureId": feature, "description": "The mine is 20 km further east."})
    assert (doc["collection"], doc["featureId"]) == ("coal_mines", feature)
    related = [l["href"] for l in doc["links"] if l["rel"] == "related"]
    assert related and related[0].endswith(f"/collections/coal_mines/items/{feature}")
    r = env.call("GET", related[0].replace(env.server.url, ""))
    assert r.status_code == 200, r.text  # the link leads to the feature
    missing = 10**9
    for body, locator in ((dict(collection="coal_mines", featureId=missing), "featureId"),
                          (dict(collection="no_such_collection", featureId=1), "collection"),
                          (dict(collection="coal_mines"), "featureId"),
                          (dict(featureId=feature), "featureId")):
        e = error(env.call("POST", "/needs", VNM, {"kind": "data-problem", "title": "Bad link", **body}), 400)
        assert e["code"] == "InvalidValue", e
    assert not need_rows(env.store, "WHERE title = ?", "Bad link")


def test_a_submitter_sees_their_own_and_the_expert_team_all(env):
    env.submit(VNM, {"kind": "dataset", "title": "Bauxite occurrences"})
    for user, where, args in ((IDN, "WHERE submitter = ?", (IDN,)), (VNM, "WHERE submitter = ?", (VNM,)),
                              (REVIEWER, "", ()), (ADMIN, "", ())):
        r = env.call("GET", "/needs", user, params={"limit": 1000})
        assert r.status_code == 200, r.text
        doc = r.json()
        expected = need_rows(env.store, where, *args)
        assert sorted(as_stored(n)["id"] for n in doc["needs"]) == [n["id"] for n in expected], user
        assert doc["numberMatched"] == len(expected)
    # An editor asking for another's needs still gets only their own; another's need does not exist for them.
    theirs = env.call("GET", "/needs", IDN, params={"submitter": VNM}).json()
    assert all(n["submitter"] == IDN for n in theirs["needs"])
    vnm_need = need_rows(env.store, "WHERE submitter = ?", VNM)[0]["id"]
    error(env.call("GET", f"/needs/{vnm_need}", IDN), 404)
    assert env.call("GET", f"/needs/{vnm_need}", VNM).status_code == 200


def test_filters_and_paging_agree_with_sql(env):
    r = env.call("GET", "/needs", REVIEWER, params={"kind": "service", "limit": 1})
    doc = r.json()
    expected = need_rows(env.store, "WHERE kind = ?", "service")
    assert doc["numberMatched"] == len(expected) and len(doc["needs"]) == 1
    assert doc["needs"][0]["id"] == max(n["id"] for n in expected)
    nxt = next(l["href"] for l in doc["links"] if l["rel"] == "next")
    second = env.s.get(nxt, headers={"Authorization": f"Bearer {env.tokens[REVIEWER]}"}, timeout=30).json()
    assert second["needs"][0]["id"] == sorted((n["id"] for n in expected), reverse=True)[1]
    assert env.call("GET", "/needs", REVIEWER, params={"country": "IDN"}).json()["numberMatched"] == \
           len(need_rows(env.store, "WHERE country = ?", "IDN"))


def test_an_editor_cannot_triage_or_comment(env):
    need = need_rows(env.store, "WHERE submitter = ?", IDN)[0]["id"]
    before = table_digests(env.store, REGISTER)
    error(env.call("PATCH", f"/needs/{need}", IDN, {"status": "done", "resolution": "mine"}), 403)
    error(env.call("POST", f"/needs/{need}/comments", IDN, {"text": "please"}), 403)
    assert table_digests(env.store, REGISTER) == before


def test_the_expert_team_triages_with_history_and_audit(env):
    need = need_rows(env.store, "WHERE submitter = ?", IDN)[0]["id"]
    doc = env.triage(REVIEWER, need, {"status": "planned", "priority": "high", "assignee": REVIEWER2})
    assert (doc["status"], doc["priority"], doc["assignee"]) == ("planned", "high", REVIEWER2)
    [row] = need_rows(env.store, "WHERE id = ?", need)
    assert row == as_stored(doc) and row["updated"] >= row["created"]
    assert note_rows(env.store, need) == [(REVIEWER, "change", "status: new \u2192 planned"),
                                          (REVIEWER, "change", "priority: normal \u2192 high"),
                                          (REVIEWER, "change", f"assignee: (none) \u2192 {REVIEWER2}")]
    assert audit_rows(env.store, need)[-1] == (REVIEWER, "triage need", "; ".join(n[2] for n in note_rows(env.store, need)))
    r = env.call("POST", f"/needs/{need}/comments", ADMIN, {"text": "Survey data arrive in Q3."})
    assert r.status_code == 201, r.text
    assert note_rows(env.store, need)[-1] == (ADMIN, "comment", "Survey data arrive in Q3.")
    assert audit_rows(env.store, need)[-1] == (ADMIN, "comment need", "Survey data arrive in Q3.")
    full = env.call("GET", f"/needs/{need}", IDN).json()  # the submitter reads the answer
    assert full["comments"] == 1 and [n["text"] for n in full["notes"]][-1] == "Survey data arrive in Q3."
    # The same triage again changes nothing and writes nothing.
    before = table_digests(env.store, REGISTER)
    env.triage(REVIEWER, need, {"status": "planned"})
    assert table_digests(env.store, REGISTER) == before


def test_triage_refuses_what_the_expert_team_may_not_do(env):
    need = need_rows(env.store, "WHERE submitter = ?", VNM)[0]["id"]
    before = table_digests(env.store, REGISTER)
    error(env.call("PATCH", f"/needs/{need}", REVIEWER, {"assignee": IDN}), 400)  # an editor is not of the team
    error(env.call("PATCH", f"/needs/{need}", REVIEWER, {"assignee": "nobody-here"}), 400)
    error(env.call("PATCH", f"/needs/{need}", REVIEWER, {"status": "declined"}), 400)  # closing says why
    error(env.call("PATCH", f"/needs/{need}", REVIEWER, {"status": "finished"}), 400)
    error(env.call("PATCH", f"/needs/{need}", REVIEWER, {}), 400)
    error(env.call("PATCH", "/needs/999999", REVIEWER, {"status": "triaged"}), 404)
    assert table_digests(env.store, REGISTER) == before
    doc = env.triage(ADMIN, need, {"status": "declined", "resolution": "Already in the national portal."})
    assert doc["status"] == "declined" and doc["resolution"] == "Already in the national portal."


def test_the_csv_export_equals_the_json_list(env):
    env.submit(IDN, {"kind": "dataset", "title": "=HYPERLINK(\"http://example.org\",\"click\")",
                     "description": "+1 line\r\nand \"quotes\", commas"})
    for user in (REVIEWER, IDN):
        r = env.call("GET", "/needs", user, params={"f": "csv"})
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv"), r.text
        table = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"), newline="")))
        listed = env.call("GET", "/needs", user, params={"limit": 1000}).json()["needs"]
        assert len(table) == len(listed) > 0
        for line, doc in zip(table, listed):
            unquoted = {k: (v[1:] if v[:1] == "'" and v[1:2] in "=+-@\t\r" else v) for k, v in line.items()}
            assert unquoted == {"id": str(doc["id"]), "kind": doc["kind"], "status": doc["status"],
                                "priority": doc["priority"], "title": doc["title"],
                                "description": doc["description"], "collection": doc["collection"] or "",
                                "featureId": "" if doc["featureId"] is None else str(doc["featureId"]),
                                "submitter": doc["submitter"], "country": doc["country"] or "",
                                "assignee": doc["assignee"] or "", "resolution": doc["resolution"],
                                "comments": str(doc["comments"]), "created": doc["created"],
                                "updated": doc["updated"]}, line
    formula = next(l for l in table if "HYPERLINK" in l["title"])
    assert formula["title"].startswith("'=") and formula["description"].startswith("'+")


def test_the_public_counts_equal_sql_and_name_no_one(env):
    r = env.call("GET", "/needs/summary")
    assert r.status_code == 200, r.text
    doc = r.json()
    grouped = rows(env.store, "SELECT kind, status, count(*) FROM amis_needs GROUP BY kind, status")
    assert sorted((c["kind"], c["status"], c["needs"]) for c in doc["byKindAndStatus"]) == sorted(grouped)
    by_country = rows(env.store, "SELECT country, count(*) FROM amis_needs GROUP BY country")
    assert sorted((c["country"] or "", c["needs"]) for c in doc["byCountry"]) == sorted(by_country)
    assert doc["total"] == rows(env.store, "SELECT count(*) FROM amis_needs")[0][0]
    for name in USERS:
        assert name not in r.text
    for n in need_rows(env.store):
        assert n["title"] not in r.text
    table = list(csv.DictReader(io.StringIO(env.call("GET", "/needs/summary", params={"f": "csv"}).text)))
    assert sorted((t["kind"], t["status"], t["country"], int(t["needs"])) for t in table) == \
           sorted(rows(env.store, "SELECT kind, status, country, count(*) FROM amis_needs GROUP BY kind, status, country"))
    # A new need changes the counts.
    env.submit(VNM, {"kind": "service", "title": "WMS time dimension"})
    after = env.call("GET", "/needs/summary").json()
    assert after["total"] == doc["total"] + 1


def test_a_session_cookie_needs_its_csrf_token(env):
    need = need_rows(env.store, "WHERE submitter = ?", VNM)[-1]["id"]
    with http_session() as s:
        login = s.post(env.server.url + "/login", json={"user": REVIEWER, "password": PASSWORD}, timeout=30)
        assert login.status_code == 200, login.text
        csrf = login.json()["csrfToken"]
        error(s.patch(env.server.url + f"/needs/{need}", json={"priority": "urgent"}, timeout=30), 403)
        error(s.post(env.server.url + "/needs", json={"kind": "dataset", "title": "no token"}, timeout=30), 403)
        r = s.patch(env.server.url + f"/needs/{need}", json={"priority": "urgent"}, headers={"X-CSRF-Token": csrf},
                    timeout=30)
        assert r.status_code == 200 and r.json()["priority"] == "urgent", r.text
        assert s.get(env.server.url + "/needs", timeout=30).status_code == 200  # reads need no token


@pytest.mark.parametrize("body, status", [
    ("not json", 400), ("[1, 2]", 400), ('{"kind": "dataset"}', 400), ('{"kind": "wish", "title": "abc"}', 400),
    ('{"kind": "dataset", "title": "ab"}', 400), ('{"kind": "dataset", "title": 42}', 400),
    ('{"kind": "dataset", "title": "' + "x" * 201 + '"}', 400),
    ('{"kind": "dataset", "title": "abc", "description": "' + "x" * 10001 + '"}', 400),
    ('{"kind": "dataset", "title": "abc", "priority": "high"}', 400),
    ('{"kind": "dataset", "title": "abc", "featureId": -1, "collection": "coal_mines"}', 400),
    ('{"kind": "dataset", "title": "abc", "pad": "' + "x" * 70000 + '"}', 400),
])
def test_bad_submissions_are_refused(env, body, status):
    before = table_digests(env.store, REGISTER)
    error(env.call("POST", "/needs", IDN, raw=body), status)
    assert table_digests(env.store, REGISTER) == before


def test_bad_requests_are_ogc_api_exceptions(env):
    error(env.call("POST", "/needs", IDN, raw='{"kind": "dataset", "title": "abc"}', content_type="text/plain"), 415)
    for params in ({"kind": "wish"}, {"status": "closed"}, {"limit": 0}, {"limit": 1001}, {"offset": -1},
                   {"f": "xml"}, {"sort": "id"}, {"country": "X" * 101}):
        error(env.call("GET", "/needs", REVIEWER, params=params), 400)
    error(env.call("GET", "/needs", REVIEWER, params={"f": "csv", "offset": 5}), 400)
    error(env.call("GET", "/needs/abc", REVIEWER), 404)
    error(env.call("GET", "/needs/999999", REVIEWER), 404)
    error(env.call("GET", "/needs/summary", params={"f": "pdf"}), 400)
    error(env.call("POST", "/needs/1/comments", REVIEWER, {"text": "   "}), 400)
    error(env.call("POST", "/needs/1/comments", REVIEWER, {"text": "x" * 10001}), 400)


def test_store_copy_keeps_the_register(env, tmp_path):
    target = tmp_path / "copy.gpkg"
    r = subprocess.run([str(AMIS_BIN), "store", "copy", store_arg(env.store), store_arg(target)], cwd=tmp_path,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "amis_needs:" in r.stderr and "amis_need_notes:" in r.stderr, r.stderr
    for table in ("amis_needs", "amis_need_notes"):
        assert rows(target, f"SELECT * FROM {table} ORDER BY id") == rows(env.store, f"SELECT * FROM {table} ORDER BY id")
    srv = AmisServer(target, tmp_path, name="needs-copy")
    srv.start()
    try:
        with http_session() as s:
            a = s.get(srv.url + "/needs/summary", timeout=30).json()
            b = env.call("GET", "/needs/summary").json()
            assert a == b
    finally:
        srv.stop()
