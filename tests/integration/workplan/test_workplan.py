"""Work-plan progress monitoring (issue 19) on a store and server of their own, on either
backend (--store-backend postgis): the plan loaded from its YAML and checked against an
independent reading (Python's yaml, the plan's text); the Appendix imported from the CSV
template; progress reports submitted by leads and country coordinators as change sets,
approved or returned by the Secretariat; a meeting frozen and left unchanged by later
edits; the changes since the last meeting; accomplishment rates against the rules computed
here; activity 4.2's live indicator against SQL on the store's change sets.

Users: the Secretariat (admin), two reviewers of the expert team, and editors for
Indonesia (lead and coordinator of 4.2 in the example Appendix), Viet Nam (coordinator of
1.1 and 3.5) and Thailand (partner of 4.2 only).
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests

import workplan_support as ws
from support import AmisServer, DEMO_SOURCES, amis_import, http_session, run_amis
from store_support import add_users, error, rows

PASSWORD = "correct horse battery staple"
ADMIN, REVIEWER, REVIEWER2 = "secretariat", "expert", "expert-two"
IDN, VNM, THA, CHN = "idn-editor", "vnm-editor", "tha-editor", "chn-editor"
USERS = {ADMIN: ("admin", None), REVIEWER: ("reviewer", None), REVIEWER2: ("reviewer", None),
         IDN: ("editor", "IDN"), VNM: ("editor", "VNM"), THA: ("editor", "THA"), CHN: ("editor", "CHN")}
PLAN = "ASOMM3-WP-2022-2025"
BASE_CONFIG = '[server]\nlog_level = "info"\n\n[editing]\ncountry_property = "iso3"\n'
# A test identifier in IATI's form {RegistrationAgency}-{number}: not a registered organisation.
IATI_ORG = "XI-IATI-AMISTEST"
CONFIG = BASE_CONFIG + f'\n[workplan]\niati_org_ref = "{IATI_ORG}"\n'


class Env:
    def __init__(self, server: AmisServer, store: Path, tokens: dict[str, str]):
        self.server, self.store, self.tokens = server, store, tokens
        self.s = http_session()

    def call(self, method: str, path: str, user: str | None = None, body: Any = None,
             params: dict | None = None, headers: dict | None = None) -> requests.Response:
        h = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        if body is not None:
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        data = None if body is None else json.dumps(body)
        return self.s.request(method, self.server.url + path, data=data, headers=h, params=params, timeout=60)

    def get(self, path: str, **params) -> dict:
        r = self.call("GET", path, params=params or None)
        assert r.status_code == 200, r.text
        return r.json()

    def report(self, user: str, activity: str, body: dict, expect: int = 202) -> dict:
        r = self.call("POST", f"/workplans/{PLAN}/activities/{activity}/progress", user, body)
        assert r.status_code == expect, r.text
        return r.json()

    def act(self, cs: int, action: str, user: str = REVIEWER) -> dict:
        r = self.call("POST", f"/changesets/{cs}/{action}", user, {"comment": f"{action} by {user}"})
        assert r.status_code == 200, r.text
        return r.json()

    def reported_and_approved(self, activity: str, body: dict, user: str = ADMIN) -> int:
        cs = self.report(user, activity, body)["changeSet"]["id"]
        self.act(cs, "approve", REVIEWER2 if user == REVIEWER else REVIEWER)
        return cs


def serving(work: Path, mines: bool, config_text: str = CONFIG, before_start=None):
    """A store with the plan, the example Appendix and USERS (and the demo's coal mines),
    and a server on it with `config_text` as amis.toml (`before_start(store)` adds to the
    store first): yields the Env, stops the server after."""
    store = work / "store.gpkg"
    if mines:
        amis_import(store, DEMO_SOURCES["coal_mines"].path, "coal_mines")
    loaded = run_amis("workplan", "load", ws.PLAN_YAML, "--store", store)
    assert loaded.returncode == 0, loaded.stderr
    assert "4 programme areas, 16 activities, 17 expected outputs" in loaded.stdout, loaded.stdout
    imported = run_amis("workplan", "import-appendix", ws.APPENDIX, "--store", store)
    assert imported.returncode == 0, imported.stderr
    tokens = add_users(store, USERS, PASSWORD)
    if before_start:
        before_start(store)
    config = work / "amis.toml"
    config.write_text(config_text)
    srv = AmisServer(store, work, name=work.name, config=config)
    srv.start()
    yield Env(srv, store, tokens)
    alive = srv.alive()
    srv.stop()
    assert alive, srv.stderr()


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    yield from serving(tmp_path_factory.mktemp("workplan"), mines=True)


def test_the_plan_is_the_yaml_read_independently(env):
    ref = ws.reference()
    doc = env.get(f"/workplans/{PLAN}")
    assert doc["counts"] == {"programmeAreas": 4, "activities": 16, "expectedOutputs": 17}
    assert [(a["no"], a["code"], a["title"]) for a in doc["programmeAreas"]] == ref["areas"]
    assert [(a["id"], a["area"], a["activity"], a["expectedOutputs"]) for a in doc["activities"]] == \
           [(a["id"], a["area"], a["activity"], a["outputs"]) for a in ref["activities"]]
    # The store's own tables, read with SQL.
    assert rows(env.store, "SELECT count(*) FROM amis_workplan_areas WHERE plan = ?", PLAN)[0][0] == 4
    assert rows(env.store, "SELECT count(*) FROM amis_workplan_activities WHERE plan = ?", PLAN)[0][0] == 16
    assert rows(env.store, "SELECT count(*) FROM amis_workplan_outputs WHERE plan = ?", PLAN)[0][0] == 17


def test_the_texts_are_the_work_plans(env):
    doc = env.get(f"/workplans/{PLAN}")
    for a in doc["activities"]:
        assert ws.in_plan_text(a["activity"]), a["id"]
        for o in a["expectedOutputs"]:
            assert ws.in_plan_text(o), (a["id"], o)


def test_the_appendix_is_imported(env):
    app = ws.appendix()
    doc = env.get(f"/workplans/{PLAN}")
    for a in doc["activities"]:
        expected = app.get(a["id"], {"lead": "", "co_lead": "", "country_coordinator": "", "indicators": []})
        assert (a["lead"] or "", a["coLead"] or "", a["countryCoordinator"] or "") == \
               (expected["lead"], expected["co_lead"], expected["country_coordinator"]), a["id"]
        assert [(i["name"], i["type"], i["output"]) for i in a["indicators"]] == expected["indicators"], a["id"]
    four_two = next(a for a in doc["activities"] if a["id"] == "4.2")
    assert four_two["partners"] == ["THA", "VNM", "PHL"]
    assert four_two["indicators"][1]["targets"] == {"2022": "2", "2023": "4", "2024": "6", "2025": "10"}


def test_a_bad_appendix_changes_nothing(env, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("activity,lead\n4.2,XYZ\n")
    before = env.get(f"/workplans/{PLAN}")
    r = run_amis("workplan", "import-appendix", bad, "--store", env.store)
    assert r.returncode != 0 and "XYZ" in r.stderr
    assert env.get(f"/workplans/{PLAN}")["activities"] == before["activities"]


def test_progress_goes_through_review(env):
    body = {"meeting": "ASOMM3-19", "status": "ongoing", "narrative": "AMIS serves OGC APIs",
            "events": [{"date": "2023-05-10", "place": "Jakarta", "countries": ["IDN", "MYS"]}],
            "indicators": [{"indicator": "AMIS in operation", "value": "met"},
                           {"indicator": "member states updating their data", "value": 3}],
            "evidence": [{"title": "minutes", "href": "https://example.org/asomm3-19-minutes.pdf"}]}
    submitted = env.report(IDN, "4.2", body)
    cs = submitted["changeSet"]["id"]
    assert submitted["changeSet"]["state"] == "submitted"
    r = env.call("GET", f"/changesets/{cs}", REVIEWER)
    assert r.status_code == 200 and r.json()["collection"] == "workplan_progress", r.text
    # Not reported until approved.
    assert next(a for a in env.get(f"/workplans/{PLAN}")["activities"] if a["id"] == "4.2")["status"] is None
    env.act(cs, "approve")
    activity = env.get(f"/workplans/{PLAN}/activities/4.2")
    assert activity["status"] == "ongoing"
    assert activity["progress"][0]["country"] == "IDN"
    assert activity["progress"][0]["events"][0]["countries"] == ["IDN", "MYS"]
    # A report the Secretariat returns is never published.
    returned = env.report(VNM, "1.1", {"meeting": "ASOMM3-19", "status": "completed"})["changeSet"]["id"]
    env.act(returned, "reject")
    assert env.get(f"/workplans/{PLAN}/activities/1.1")["progress"] == []


def test_only_the_responsible_countries_report(env):
    before = rows(env.store, "SELECT count(*) FROM amis_change_sets")[0][0]
    # Thailand is a partner of 4.2, neither lead, co-lead nor coordinator.
    doc = error(env.call("POST", f"/workplans/{PLAN}/activities/4.2/progress", THA,
                         {"meeting": "ASOMM3-19", "status": "completed"}), 403, "Forbidden")
    assert "IDN, MYS" in doc["description"]
    # Viet Nam coordinates 1.1, not 4.2; nor may it report in Indonesia's name.
    error(env.call("POST", f"/workplans/{PLAN}/activities/4.2/progress", VNM,
                   {"meeting": "ASOMM3-19", "status": "completed"}), 403)
    error(env.call("POST", f"/workplans/{PLAN}/activities/1.1/progress", VNM,
                   {"meeting": "ASOMM3-19", "status": "completed", "country": "IDN"}), 403)
    # The same rule holds on the generic write path (OGC API - Features - Part 4).
    feature = {"type": "Feature", "geometry": None,
               "properties": {"work_plan": PLAN, "activity": "4.2", "meeting": "ASOMM3-19", "iso3": "THA",
                              "status": "completed"}}
    r = env.s.post(env.server.url + "/collections/workplan_progress/items", data=json.dumps(feature),
                   headers={"Authorization": f"Bearer {env.tokens[THA]}", "Content-Type": "application/geo+json"},
                   timeout=60)
    error(r, 403)
    # 2.1 has no lead in the Appendix: no editor reports it.
    error(env.call("POST", f"/workplans/{PLAN}/activities/2.1/progress", IDN,
                   {"meeting": "ASOMM3-19", "status": "ongoing"}), 403)
    assert rows(env.store, "SELECT count(*) FROM amis_change_sets")[0][0] == before


@pytest.mark.parametrize("body, status", [
    ({"meeting": "ASOMM3-19", "status": "finished"}, 400),
    ({"meeting": "bad meeting id", "status": "ongoing"}, 400),
    ({"meeting": "M", "status": "ongoing", "indicators": [{"indicator": "nope", "value": "1"}]}, 400),
    ({"meeting": "M", "status": "ongoing", "indicators": [{"indicator": "member states updating their data",
                                                             "value": "many"}]}, 400),
    ({"meeting": "M", "status": "ongoing", "evidence": [{"href": "file:///etc/passwd"}]}, 400),
    ({"meeting": "M", "status": "ongoing", "colour": "red"}, 400),
])
def test_bad_reports_are_refused(env, body, status):
    error(env.call("POST", f"/workplans/{PLAN}/activities/4.2/progress", IDN, body), status)


def test_errors(env):
    error(env.call("POST", f"/workplans/{PLAN}/activities/4.2/progress", None,
                   {"meeting": "M", "status": "ongoing"}), 401)
    error(env.call("GET", "/workplans/NO-SUCH-PLAN"), 404)
    error(env.call("GET", f"/workplans/{PLAN}/activities/9.9"), 404)
    error(env.call("GET", f"/workplans/{PLAN}/accomplishment", params={"rule": "vibes"}), 400)
    error(env.call("GET", f"/workplans/{PLAN}", params={"colour": "red"}), 400)
    error(env.call("GET", f"/workplans/{PLAN}/meetings/never"), 404)
    r = env.s.post(env.server.url + f"/workplans/{PLAN}/activities/4.2/progress", data="not json",
                   headers={"Authorization": f"Bearer {env.tokens[IDN]}", "Content-Type": "application/json"},
                   timeout=60)
    error(r, 400)


def test_html_is_negotiated(env):
    r = env.s.get(env.server.url + f"/workplans/{PLAN}", headers={"Accept": "text/html"}, timeout=60)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    for a in ws.reference()["activities"]:
        assert f">{a['id']}</a>" in r.text
    assert "Trade and Investment in Minerals" in r.text
    r = env.s.get(env.server.url + f"/workplans/{PLAN}/activities/4.2", params={"f": "html"}, timeout=60)
    assert r.status_code == 200 and "Progress reports" in r.text
    r = env.s.get(env.server.url + "/workplans", params={"f": "json"}, timeout=60)
    assert r.json()["workPlans"][0]["id"] == PLAN


def test_openapi_declares_the_work_plan(env):
    paths = env.get("/api")["paths"]
    for p in ("/workplans", "/workplans/{planId}", "/workplans/{planId}/activities/{activityId}/progress",
              "/workplans/{planId}/meetings", "/workplans/{planId}/meetings/{meetingId}",
              "/workplans/{planId}/accomplishment", "/workplans/{planId}/changes-since-last-meeting",
              "/workplans/{planId}/live-indicators"):
        assert p in paths, p
    assert "post" in paths["/workplans/{planId}/activities/{activityId}/progress"]


# Scripted statuses for the rates: activity -> (status, milestone values), reported by the
# Secretariat (naming the lead's country) and approved by a reviewer.
SCRIPT_19 = {"1.1": ("completed", {"forum held in the year": "met"}), "1.2": ("ongoing", {}),
             "2.1": ("completed", {}), "3.5": ("ongoing", {"consensus on establishing the centre": "met"}),
             "3.6": ("delayed", {"MOU concluded": "not met"}), "4.3": ("completed", {})}
SCRIPT_20 = {"1.2": ("completed", {}), "3.5": ("completed", {"decision implemented": "met"}),
             "3.6": ("completed", {"MOU concluded": "met"})}


def script(env, meeting: str, statuses: dict) -> None:
    for activity, (status, values) in statuses.items():
        body = {"meeting": meeting, "status": status, "country": "IDN",
                "indicators": [{"indicator": k, "value": v} for k, v in values.items()]}
        env.reported_and_approved(activity, body)


def expected_states(*scripts: dict) -> dict:
    states: dict[str, tuple[str | None, dict]] = {}
    for s in scripts:
        for activity, (status, values) in s.items():
            merged = dict(states.get(activity, (None, {}))[1])
            merged.update(values)
            states[activity] = (status, merged)
    return states


def check_rates(doc: dict, states: dict, rule: str) -> None:
    plan, app = ws.reference(), ws.appendix()
    expected = ws.rates(plan, app, states, rule)
    assert doc["rule"] == rule
    assert doc["ruleName"]
    assert (doc["overall"]["accomplished"], doc["overall"]["total"]) == expected["overall"]
    assert doc["overall"]["text"] == ws.rate_text(*expected["overall"])
    for area in doc["programmeAreas"]:
        assert (area["accomplished"], area["total"]) == expected[area["scope"]], area
        assert area["text"] == ws.rate_text(*expected[area["scope"]])


def test_meetings_freeze_and_rates_recompute(env):
    script(env, "ASOMM3-19", SCRIPT_19)
    # 4.2 was reported ongoing (with "AMIS in operation" met) in test_progress_goes_through_review.
    states_19 = expected_states({"4.2": ("ongoing", {"AMIS in operation": "met"})}, SCRIPT_19)
    for rule in ("outputs", "action-lines"):
        check_rates(env.get(f"/workplans/{PLAN}/accomplishment", rule=rule), states_19, rule)
    error(env.call("POST", f"/workplans/{PLAN}/meetings", IDN, {"meeting": "ASOMM3-19"}), 403)
    r = env.call("POST", f"/workplans/{PLAN}/meetings", ADMIN,
                 {"meeting": "ASOMM3-19", "title": "19th ASOMM+3", "held": "2023-08-22"})
    assert r.status_code == 201, r.text
    error(env.call("POST", f"/workplans/{PLAN}/meetings", ADMIN, {"meeting": "ASOMM3-19"}), 409)
    frozen = env.get(f"/workplans/{PLAN}/meetings/ASOMM3-19")
    assert {a["id"]: a["status"] for a in frozen["activities"]}["4.2"] == "ongoing"
    assert env.get(f"/workplans/{PLAN}/changes-since-last-meeting")["changes"] == []

    # After the meeting: 4.2's report of that meeting is edited, and the next meeting's come in.
    cs = env.report(IDN, "4.2", {"meeting": "ASOMM3-19", "status": "completed",
                                 "indicators": [{"indicator": "AMIS in operation", "value": "met"}]})
    env.act(cs["changeSet"]["id"], "approve")
    script(env, "ASOMM3-20", SCRIPT_20)
    assert env.get(f"/workplans/{PLAN}/meetings/ASOMM3-19") == frozen  # unchanged, to the byte
    changes = {c["activity"]: c for c in env.get(f"/workplans/{PLAN}/changes-since-last-meeting")["changes"]}
    assert set(changes) == {"4.2", "1.2", "3.5", "3.6"}
    assert (changes["4.2"]["before"], changes["4.2"]["after"]) == ("ongoing", "completed")
    assert "status" in changes["3.6"]["changed"] and "indicators" in changes["3.6"]["changed"]

    # The past meeting's rate, recomputed under either rule, is still the meeting's.
    for rule in ("outputs", "action-lines"):
        check_rates(env.get(f"/workplans/{PLAN}/accomplishment", rule=rule, meeting="ASOMM3-19"), states_19, rule)
        check_rates(env.get(f"/workplans/{PLAN}/meetings/ASOMM3-19", rule=rule)["accomplishment"], states_19, rule)
    states_now = expected_states(states_19, {"4.2": ("completed", {})}, SCRIPT_20)
    for rule in ("outputs", "action-lines"):
        check_rates(env.get(f"/workplans/{PLAN}/accomplishment", rule=rule), states_now, rule)
    r = env.call("POST", f"/workplans/{PLAN}/meetings", REVIEWER, {"meeting": "ASOMM3-20"})
    assert r.status_code == 201, r.text
    m20 = env.get(f"/workplans/{PLAN}/meetings/ASOMM3-20")
    sources = {a["id"]: a["statusSource"] for a in m20["activities"]}
    assert sources["1.2"] == "reported" and sources["1.1"] == "carried" and sources["1.3"] == "none"
    listed = env.get(f"/workplans/{PLAN}/meetings")["meetings"]
    assert [m["meeting"] for m in listed] == ["ASOMM3-19", "ASOMM3-20"]
    assert rows(env.store, "SELECT count(*) FROM amis_workplan_meetings WHERE plan = ?", PLAN)[0][0] == 2


def test_activity_4_2_counts_approved_edits(env):
    # Indonesia's editor changes one of Indonesia's coal mines; the change is approved.
    fid = rows(env.store, "SELECT fid FROM coal_mines WHERE iso3 = 'IDN' ORDER BY fid LIMIT 1")[0][0]
    r = env.s.patch(env.server.url + f"/collections/coal_mines/items/{fid}",
                    data=json.dumps({"properties": {"status": "Mothballed"}}),
                    headers={"Authorization": f"Bearer {env.tokens[IDN]}",
                             "Content-Type": "application/merge-patch+json"}, timeout=60)
    assert r.status_code == 202, r.text
    env.act(r.json()["changeSet"]["id"], "approve")
    live = env.get(f"/workplans/{PLAN}/live-indicators")
    since = (datetime.now(timezone.utc) - timedelta(days=90)).strftime("%Y-%m-%dT%H:%M:%SZ")
    expected = sorted({r[0] for r in rows(
        env.store, "SELECT country FROM amis_change_sets WHERE state = 'approved' AND reviewed >= ? "
                   "AND collection <> 'workplan_progress'", since)} & ws.ASEAN)
    assert expected == ["IDN"]
    assert live["activity4.2"]["memberStates"] == expected
    assert live["activity4.2"]["text"] == ws.rate_text(len(expected), 10)
    per_state = {s["country"]: s["approvedChangeSets365Days"] for s in live["activity4.3"]["memberStates"]}
    assert per_state == {"IDN": 1}


def test_the_portal_has_a_work_plan_page(env):
    """The portal's work-plan page (web/workplan.html, built into web/dist) is served, and the
    portal's header links to it."""
    r = env.s.get(env.server.url + "/portal/workplan.html", timeout=60)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert 'id="plan-choice"' in r.text and 'id="rule-choice"' in r.text
    assert 'href="workplan.html"' in env.s.get(env.server.url + "/portal/", timeout=60).text


# Where every activity stands after test_meetings_freeze_and_rates_recompute: its latest
# approved report (4.2 reported ongoing, then completed, for ASOMM3-19; the scripts of both meetings).
STATES_NOW = expected_states({"4.2": ("ongoing", {"AMIS in operation": "met"})}, SCRIPT_19,
                             {"4.2": ("completed", {})}, SCRIPT_20)


def gdal_activities(url: str) -> list[dict]:
    """The features of workplan_activities as GDAL's OAPIF driver (what QGIS uses) reads them."""
    from osgeo import gdal
    ds = gdal.OpenEx(f"OAPIF:{url}", gdal.OF_VECTOR | gdal.OF_READONLY)
    assert ds is not None
    layer = ds.GetLayerByName("workplan_activities")
    assert layer is not None
    out = []
    for f in layer:
        assert f.GetGeometryRef() is None or f.GetGeometryRef().IsEmpty()
        out.append({layer.GetLayerDefn().GetFieldDefn(i).GetName(): f.GetField(i) for i in range(f.GetFieldCount())})
    return out


def test_activities_are_an_ogc_api_collection(env):
    """ogrinfo lists the 16 activities through OGC API - Features, without geometry, with the
    Appendix's lead, co-lead and coordinator and where each stands now (after the approvals
    and freezes above: the collection follows them)."""
    import subprocess
    r = subprocess.run(["ogrinfo", "-ro", "-al", f"OAPIF:{env.server.url}", "workplan_activities"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("OGRFeature(workplan_activities)") == 16, r.stdout[-2000:]
    assert "POINT" not in r.stdout and "POLYGON" not in r.stdout
    plan, app = ws.reference(), ws.appendix()
    got = {f["activity"]: f for f in gdal_activities(env.server.url)}
    assert sorted(got, key=lambda i: [int(p) for p in i.split(".")]) == [a["id"] for a in plan["activities"]]
    for a in plan["activities"]:
        f = got[a["id"]]
        expected = app.get(a["id"], {"lead": "", "co_lead": "", "country_coordinator": ""})
        assert (f["work_plan"], f["programme_area"]) == (PLAN, a["area"])
        assert (f["lead"] or "", f["co_lead"] or "", f["country_coordinator"] or "") == \
               (expected["lead"], expected["co_lead"], expected["country_coordinator"]), a["id"]
        status, values = STATES_NOW.get(a["id"], (None, {}))
        assert f["status"] == status, a["id"]
        done = ws.units(a, app, status, values, "outputs")
        assert (f["outputs_accomplished"], f["outputs_total"]) == (sum(done), len(done)), a["id"]
        assert f["rate"] == ws.rate_text(sum(done), len(done))
        assert f["last_meeting"] == "ASOMM3-20"
    # Derived from the work plan: nobody edits it through OGC API - Features - Part 4.
    feature = {"type": "Feature", "geometry": None, "properties": {"work_plan": PLAN, "activity": "9.9"}}
    r = env.s.post(env.server.url + "/collections/workplan_activities/items", data=json.dumps(feature),
                   headers={"Authorization": f"Bearer {env.tokens[ADMIN]}", "Content-Type": "application/geo+json"},
                   timeout=60)
    error(r, 409)


def test_the_meeting_report_is_a_pdf(env, tmp_path):
    """The frozen report of ASOMM3-19 as PDF: pdftotext finds every activity's number and
    status (with where it came from), in the plan's order; the HTML page links to it."""
    import re
    import subprocess
    frozen = env.get(f"/workplans/{PLAN}/meetings/ASOMM3-19")
    r = env.s.get(env.server.url + f"/workplans/{PLAN}/meetings/ASOMM3-19", params={"f": "pdf"}, timeout=60)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF-")
    assert r.headers["Content-Disposition"] == f'inline; filename="{PLAN}-ASOMM3-19.pdf"'
    pdf = tmp_path / "meeting.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    found = re.findall(r"(not reported|not_started|ongoing|completed|delayed|discontinued) \((reported|carried|none)\)",
                       text)
    assert found == [(a["status"] or "not reported", a["statusSource"]) for a in frozen["activities"]]
    lines = {line.strip() for line in text.splitlines()}
    for a in frozen["activities"]:
        assert a["id"] in lines, a["id"]
    assert frozen["accomplishment"]["overall"]["text"] in text
    page = env.s.get(env.server.url + f"/workplans/{PLAN}/meetings", params={"f": "html"}, timeout=60).text
    assert f'/workplans/{PLAN}/meetings/ASOMM3-19?f=pdf"' in page
    error(env.call("GET", f"/workplans/{PLAN}/meetings/never", params={"f": "pdf"}), 404)


TRICKY = 'Held in "Jakarta", then Manila;\nnext: <ASOMM+3> & the 20th\'s follow-up'
IATI_STATUS = {None: "1", "not_started": "1", "ongoing": "2", "delayed": "2", "completed": "3", "discontinued": "5"}


def csv_rows_from_json(plan_doc: dict, reports: list[dict]) -> list[dict]:
    """What the CSV must hold, built here from the JSON of the same reports."""
    types = {(a["id"], i["name"]): i["type"] for a in plan_doc["activities"] for i in a["indicators"]}
    out = []
    for r in reports:
        events = "; ".join(e["date"] + (f" {e['place']}" if e.get("place") else "") +
                           (f" ({' '.join(e['countries'])})" if e.get("countries") else "") for e in r["events"])
        base = {"work_plan": r["workPlan"], "activity": r["activity"], "meeting": r["meeting"],
                "country": r["country"], "reported": r["reported"], "status": r["status"],
                "events": events, "evidence": " ".join(e["href"] for e in r["evidence"]),
                "narrative": r["narrative"]}
        values = r["indicators"] or [{"indicator": "", "value": ""}]
        for v in values:
            out.append(dict(base, indicator=v["indicator"], value=str(v["value"]),
                            indicator_type=types.get((r["activity"], v["indicator"]), "") if v["indicator"] else ""))
    return out


def test_progress_as_csv_equals_the_json(env):
    import csv
    import io
    body = {"meeting": "ASOMM3-21", "status": "ongoing", "narrative": TRICKY,
            "events": [{"date": "2024-05-10", "place": "Manila, PH", "countries": ["PHL", "IDN"]}],
            "indicators": [{"indicator": "AMIS in operation", "value": "met"}],
            "evidence": [{"title": "minutes & <annex>", "href": "https://example.org/a?b=1&c=2.pdf"}]}
    env.reported_and_approved("4.2", dict(body, country="IDN"))
    plan_doc = env.get(f"/workplans/{PLAN}")
    for params in ({}, {"meeting": "ASOMM3-20"}):
        doc = env.get(f"/workplans/{PLAN}/progress", **params)
        assert doc["reports"], params
        r = env.s.get(env.server.url + f"/workplans/{PLAN}/progress", params=dict(params, f="csv"), timeout=60)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv"), r.text
        assert r.headers["Content-Disposition"].startswith("attachment; filename=")
        got = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"), newline="")))
        assert got == csv_rows_from_json(plan_doc, doc["reports"])
        if params:
            assert {g["meeting"] for g in got} == {"ASOMM3-20"}
        else:  # quotes, commas, a newline, < and & come back as they were written
            assert [g["narrative"] for g in got if g["meeting"] == "ASOMM3-21"] == [TRICKY]
    error(env.call("GET", f"/workplans/{PLAN}/progress", params={"meeting": "bad id", "f": "csv"}), 400)


def test_iati_activities_validate_against_the_schema(env, tmp_path):
    import subprocess
    import xml.etree.ElementTree as ET
    r = env.s.get(env.server.url + f"/workplans/{PLAN}/iati-activities", timeout=60)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/xml"), r.text
    path = tmp_path / "activities.xml"
    path.write_bytes(r.content)
    xsd = ws.ROOT / "tests" / "schemas" / "iati-2.03" / "iati-activities-schema.xsd"
    v = subprocess.run(["xmllint", "--noout", "--schema", str(xsd), str(path)], capture_output=True, text=True)
    assert v.returncode == 0, v.stderr[-3000:]
    root = ET.fromstring(r.content)
    assert root.tag == "iati-activities" and root.get("version") == "2.03"
    plan_doc = env.get(f"/workplans/{PLAN}")
    activities = root.findall("iati-activity")
    assert [a.findtext("iati-identifier") for a in activities] == \
           [f"{IATI_ORG}-{PLAN}-{a['id']}" for a in plan_doc["activities"]]
    assert {a.find("reporting-org").get("ref") for a in activities} == {IATI_ORG}
    assert plan_doc["iatiReportingOrg"] == IATI_ORG
    for element, a in zip(activities, plan_doc["activities"]):
        assert element.find("activity-status").get("code") == IATI_STATUS[a["status"]], a["id"]
        assert element.find("title/narrative").text == f"Activity {a['id']}: {a['activity']}"
    four_two = activities[[a["id"] for a in plan_doc["activities"]].index("4.2")]
    progress = [d.findtext("narrative") for d in four_two.findall("description") if d.get("type") == "4"]
    assert progress == [f"Progress reported by IDN for ASOMM3-21: {TRICKY}"]
    link = four_two.find("document-link")
    assert link.get("url") == "https://example.org/a?b=1&c=2.pdf" and link.get("format") == "application/pdf"
    assert link.findtext("title/narrative") == "minutes & <annex>"


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(32))


def upload(env, user: str | None, activity: str, content: bytes, media: str = "application/pdf",
           **params) -> requests.Response:
    h = {"Content-Type": media}
    if user:
        h["Authorization"] = f"Bearer {env.tokens[user]}"
    return env.s.post(env.server.url + f"/workplans/{PLAN}/activities/{activity}/evidence", params=params,
                      data=content, headers=h, timeout=60)


def test_evidence_documents_are_uploaded_checked_and_reviewed(env):
    r = upload(env, IDN, "4.2", PDF, title="signed minutes")
    assert r.status_code == 201, r.text
    doc = r.json()
    assert (doc["mediaType"], doc["country"], doc["title"]) == ("application/pdf", "IDN", "signed minutes")
    assert r.headers["Location"] == doc["href"]
    path = doc["href"][len(env.server.url):]
    assert rows(env.store, "SELECT media_type, length(content), uploaded_by FROM amis_workplan_documents WHERE id = ?",
                doc["id"]) == [("application/pdf", len(PDF), IDN)]
    # Not public before an approved report cites it; its uploader and the Secretariat read it.
    error(env.call("GET", path), 404)
    for user in (IDN, REVIEWER):
        got = env.call("GET", path, user)
        assert got.status_code == 200 and got.content == PDF
    assert got.headers["Content-Type"] == "application/pdf"
    assert got.headers["Content-Disposition"] == f'attachment; filename="evidence-{doc["id"]}.pdf"'
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    error(env.call("GET", path, VNM), 404)
    # The type is the content's, whatever the client says; the size is bounded.
    error(upload(env, IDN, "4.2", b"<html><script>alert(1)</script></html>"), 415)
    error(upload(env, IDN, "4.2", b"%PDF" + b"x" * 100, media="image/png"), 415)
    error(upload(env, IDN, "4.2", b""), 400)
    error(upload(env, IDN, "4.2", b"%PDF-" + b"0" * (10 * 1024 * 1024)), 400)
    # Who may upload is who may report: Thailand is only a partner of 4.2; nobody anonymous.
    error(upload(env, THA, "4.2", PDF), 403)
    error(upload(env, None, "4.2", PDF), 401)
    error(upload(env, VNM, "4.2", PDF, country="IDN"), 403)
    # The Secretariat uploads for a member state it names.
    error(upload(env, REVIEWER, "1.1", PNG, media="image/png"), 400)
    png = upload(env, REVIEWER, "1.1", PNG, media="image/png", country="VNM")
    assert png.status_code == 201 and png.json()["mediaType"] == "image/png", png.text
    # Cited by a report that the Secretariat approves, the document is public.
    cs = env.report(IDN, "4.2", {"meeting": "ASOMM3-21", "status": "ongoing",
                                 "evidence": [{"title": "signed minutes", "href": doc["href"]}]})
    error(env.call("GET", path), 404)  # submitted, not approved yet
    env.act(cs["changeSet"]["id"], "approve")
    got = env.call("GET", path)
    assert got.status_code == 200 and got.content == PDF
    error(env.call("GET", f"/workplans/{PLAN}/evidence/99999"), 404)
    error(env.call("GET", f"/workplans/{PLAN}/evidence/x1"), 404)
