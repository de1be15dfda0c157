"""The country profile's edit form in Debian's Chromium (issue 20; web/e2e/profile.mjs)
against `amis serve` on a store of its own, on either backend (--store-backend postgis):
a Philippine editor gets no "Edit profile" on Indonesia's page and the server refuses
their PATCH; the Indonesian editor's form has every field of the field list in its
order, refuses a year out of range without sending anything, and submits two fields
as a change set (CSRF token with the session cookie); nothing changes for the public
until a reviewer approves it in the portal's review list, whose diff names the two
fields; then the country page shows the new values with their sources and dates, and
the profile JSON, the server's HTML page and the store's row (read with sqlite3 or
psycopg2, not AMIS) agree.

Needs the portal built (scripts/build-web.sh), Node.js and /usr/bin/chromium."""
from __future__ import annotations

import html as htmlmod
import json
import os
import subprocess
from pathlib import Path

import pytest

import investment_support as inv
import store_support as ss
from support import REPO_ROOT, AmisServer, amis_import, http_session
from test_portal import CHROMIUM

WEB = REPO_ROOT / "web"
ARTEFACTS = Path(__file__).parent.parent / "artefacts" / "investment"
PASSWORD = "profile form test password"
IDN, PHL, REVIEWER = "idn-profile-editor", "phl-profile-editor", "profile-reviewer"
USERS = {IDN: ("editor", "IDN"), PHL: ("editor", "PHL"), REVIEWER: ("reviewer", None)}
CONFIG = '[server]\nlog_level = "info"\n\n[editing]\ncountry_property = "iso3"\n'
EDITS = [
    {"key": "mining_law_year", "bad": "1750", "value": 2009, "asOf": "2024-06-30",
     "source": "Test citation: Law No. 4 of 2009 on Mineral and Coal Mining (entered by the browser test)"},
    {"key": "royalty_rates", "value": "Test value: nickel ore 10 %, coal 13.5 % <as typed> — 镍 (entered by the browser test)",
     "asOf": "2024-07-01", "source": "Test citation: Government Regulation No. 26 of 2022 (entered by the browser test)"},
]
EN = json.loads((WEB / "i18n" / "en.json").read_text(encoding="utf-8"))
JA = json.loads((WEB / "i18n" / "ja.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    inv.require_country_page("the profile form")
    work = tmp_path_factory.mktemp("profile-form")
    store = work / "store.gpkg"
    inv.import_demo(store)
    amis_import(store, inv.DEMO / "asean3_countries.geojson", "countries")  # the portal's map draws them
    tokens = ss.add_users(store, USERS, PASSWORD)
    config = work / "amis.toml"
    config.write_text(CONFIG)
    srv = AmisServer(store, work, name="profile-form", config=config)
    srv.start()
    yield srv, store, tokens
    alive = srv.alive()
    srv.stop()
    assert alive, srv.stderr()


def fields_of(doc: dict) -> dict[str, dict]:
    return {f["key"]: f for g in doc["groups"] for f in g["fields"]}


def run_scenario(srv) -> dict:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CHROMIUM": str(CHROMIUM), "AMIS_PASSWORD": PASSWORD, "AMIS_EDITOR": IDN,
           "AMIS_OTHER_EDITOR": PHL, "AMIS_REVIEWER": REVIEWER, "AMIS_EDITS": json.dumps(EDITS)}
    p = subprocess.run(["node", "e2e/profile.mjs", srv.url + "/portal/", "IDN", str(ARTEFACTS)], cwd=WEB, env=env,
                       capture_output=True, text=True, timeout=240)
    assert p.returncode == 0, p.stderr[-3000:]
    answer = json.loads(p.stdout.strip().splitlines()[-1])
    assert "failure" not in answer, answer["failure"] + f"\n(screenshots in {ARTEFACTS}/profile-*.png)"
    assert answer["errors"] == [], answer["errors"]
    return answer


def test_an_indonesian_editor_edits_two_fields_and_a_reviewer_approves_them(server):
    srv, store, tokens = server
    s = http_session()
    keys = inv.field_keys()
    edited = {e["key"]: e for e in EDITS}
    a = run_scenario(srv)

    # Before: every field empty, said so; no button for the public or another country's editor.
    assert list(a["before"]) == keys
    assert all(r["status"] == "empty" and r["cells"] == [EN["profileForm"]["noSource"]] for r in a["before"].values())
    assert a["anonymousButton"] == 0 and a["otherButton"] == 0
    assert a["otherPatch"]["status"] == 403, a["otherPatch"]
    assert {"code", "description"} <= set(a["otherPatch"]["body"]) and "PHL" in a["otherPatch"]["body"]["description"]

    # The form: generated from the field list, in its order, labelled from web/i18n.
    assert a["formFields"] == keys
    assert a["formLabels"] == [EN["profileField"][k] for k in keys]
    listed = {f["key"]: f["label"] for g in json.loads(inv.FIELDS_FILE.read_text())["groups"] for f in g["fields"]}
    assert a["formLabels"] == [listed[k] for k in keys]
    # Switched to Japanese and back, the form kept what was typed.
    assert a["switched"] == {"labels": [JA["profileField"][k] for k in keys], "kept": "typed before the switch",
                             "heading": JA["profileForm"]["heading"], "submit": JA["profileForm"]["submit"]}
    # A year out of range is refused in the browser: nothing was sent.
    assert a["refused"]["patches"] == 0 and "1800" in a["refused"]["error"], a["refused"]

    # The PATCH: one change set, submitted, with the session's CSRF token.
    assert a["patch"]["status"] == 202 and a["patch"]["csrf"] is True, a["patch"]
    assert a["patch"]["url"] == srv.url + "/countries/IDN"
    cs = a["patch"]["body"]["changeSet"]["id"]
    assert a["submitted"]["id"] == cs and a["submitted"]["state"] == "submitted"
    assert f"#{cs}" in a["submitted"]["text"]
    for e in EDITS:
        assert EN["profileField"][e["key"]] in a["submitted"]["text"]
    # Nothing public until approval: the page, the public JSON.
    assert all(r["status"] == "empty" for r in a["afterSubmit"].values())
    assert all(fields_of(a["publicAfterSubmit"])[k]["status"] == "empty" for k in edited)

    # The reviewer's list showed it, the diff named the two fields with value, source and date.
    assert "country_profiles" in a["queued"] and IDN in a["queued"]
    diff = {row[1]: row for row in a["diff"]}
    assert set(diff) == {EN["profileField"][k] for k in edited}, a["diff"]
    for e in EDITS:
        row = diff[EN["profileField"][e["key"]]]
        assert row[0].startswith("IDN")
        assert str(e["value"]) in row[3] and e["source"] in row[3] and e["asOf"] in row[3], row
    assert a["approveStatus"] == 200

    # After: the page shows the values with their sources and dates, the rest stays empty.
    assert list(a["after"]) == keys
    for key, row in a["after"].items():
        if key in edited:
            e = edited[key]
            assert row["status"] == "filled" and row["cells"] == [str(e["value"]), e["source"], e["asOf"]], row
        else:
            assert row["status"] == "empty", (key, row)
    assert a["review"]["stale"] == "false"

    # The profile JSON agrees, as does the server's own HTML page.
    r = s.get(srv.url + "/countries/IDN", params={"f": "json"}, timeout=60)
    assert r.status_code == 200
    doc = r.json()
    fields = fields_of(doc)
    for key, e in edited.items():
        assert (fields[key]["value"], fields[key]["source"], fields[key]["asOf"], fields[key]["status"]) == \
            (e["value"], e["source"], e["asOf"], "filled")
    assert doc["filled"] == 2 and doc["review"]["stale"] is False and doc["review"]["lastReviewed"]
    assert str(doc["filled"]) in a["filledLine"] and str(doc["fieldCount"]) in a["filledLine"]
    page = s.get(srv.url + "/countries/IDN", params={"f": "html"}, timeout=60).text
    for e in EDITS:
        assert htmlmod.escape(str(e["value"]), quote=False) in page and htmlmod.escape(e["source"], quote=False) in page
    # The store holds what was typed (read without AMIS), and the change set as approved.
    (stored,) = ss.rows(store, "SELECT fields FROM country_profiles WHERE iso3 = ?", "IDN")[0]
    assert json.loads(stored) == {k: {"value": e["value"], "source": e["source"], "asOf": e["asOf"]} for k, e in edited.items()}
    row = ss.change_set_row(store, cs)
    assert (row["state"], row["author"], row["reviewer"]) == ("approved", IDN, REVIEWER)
    # The Philippine editor's refused PATCH made no change set.
    assert ss.rows(store, "SELECT count(*) FROM amis_change_sets WHERE author = ?", PHL)[0][0] == 0
