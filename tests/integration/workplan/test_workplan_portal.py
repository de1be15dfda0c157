"""The work-plan page (web/workplan.html) in Debian's Chromium (web/e2e/workplan.mjs), on a
store and server of their own, on either backend, following issue 19's scenario by clicking
in the portal:
1. Indonesia's country coordinator (of 1.2, led by Japan, in the example Appendix) and
   China's lead (of 1.1) each submit a progress report through the page's form, each with an
   evidence document uploaded through the form (the file goes up, the report cites it);
2. the Secretariat sees both in the page's review list with their documents, approves one
   and returns the other with a comment;
3. the Secretariat freezes the meeting's report in the page;
4. Indonesia's coordinator edits the approved report after the meeting and the Secretariat
   approves the edit in the page: the page's activity status follows, and the frozen report,
   read through the page's meeting link and through the API, is what it was.
Then the live indicators' table in the page against SQL over the usage table. The
activities the form offers are checked against the Appendix read with Python's csv.

Needs the portal built (scripts/build-web.sh), Node.js and /usr/bin/chromium."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import workplan_support as ws
from portal_scenario_support import run_scenario
from test_portal import portal_can_run  # noqa: F401 (autouse: skip or fail without a browser)
from test_workplan import ADMIN, BASE_CONFIG, CHN, IDN, PASSWORD, PLAN, Env, serving

ARTEFACTS = Path(__file__).parent.parent / "artefacts" / "workplan"
MEETING, MEETING_TITLE = "ASOMM3-19", "19th ASOMM+3"
# Evidence files as a member state would have them: a PDF and a PNG, checked by content.
MINUTES = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
           b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    # The Secretariat here is the administrator account "secretariat"; the store has the
    # demo's coal mines (datasets of several member states) and counts their use.
    yield from serving(tmp_path_factory.mktemp("workplan-portal"), mines=True,
                       config_text=BASE_CONFIG + ws.USAGE_CONFIG)


def browse(site: Env, step: str, user: str | None = None, **actions) -> dict:
    return run_scenario("workplan.mjs", site.server.url + "/portal/", ARTEFACTS, step, user, PASSWORD, **actions)


def submitted_change_set(answer: dict) -> int:
    m = re.search(r"(\d+)\D*$", answer["announced"][-1])
    assert m, answer["announced"]
    return int(m.group(1))


def evidence_of(site: Env, cs: int) -> list[dict]:
    review = site.call("GET", f"/changesets/{cs}/review", ADMIN).json()
    return json.loads(review["changes"][0]["after"]["properties"]["evidence"])


def test_coordinator_and_lead_report_with_documents_the_secretariat_decides_and_freezes(site, tmp_path):
    app = ws.appendix()
    minutes, photo = tmp_path / "idn-1.2-minutes.pdf", tmp_path / "chn-1.1-forum.png"
    minutes.write_bytes(MINUTES)
    photo.write_bytes(PHOTO)

    # 1. Indonesia's coordinator and China's lead report, each uploading a document.
    idn = browse(site, "report-idn", IDN, activity="1.2", meeting=MEETING, narrative="Seminar held in Jakarta",
                 file=minutes)
    assert idn["offered"] == [a["id"] for a in ws.reference()["activities"] if "IDN" in (
        app.get(a["id"], {}).get(k) for k in ("lead", "co_lead", "country_coordinator"))]
    chn = browse(site, "report-chn", CHN, activity="1.1", meeting=MEETING, narrative="Forum held in Kunming",
                 file=photo)
    assert "1.1" in chn["offered"] and "1.2" not in chn["offered"]
    cs_idn, cs_chn = submitted_change_set(idn), submitted_change_set(chn)
    for cs, country, content, name in ((cs_idn, "IDN", MINUTES, minutes.name), (cs_chn, "CHN", PHOTO, photo.name)):
        change_set = site.call("GET", f"/changesets/{cs}", ADMIN).json()
        assert (change_set["state"], change_set["collection"], change_set["country"]) == \
               ("submitted", "workplan_progress", country)
        [cited] = evidence_of(site, cs)
        assert cited["title"] == name and re.search(rf"/workplans/{PLAN}/evidence/\d+$", cited["href"]), cited
        path = cited["href"][len(site.server.url):]
        got = site.call("GET", path, ADMIN)
        assert got.status_code == 200 and got.content == content  # the bytes uploaded by the page
        assert site.call("GET", path).status_code == 404  # not public before approval
    assert idn["statuses"]["1.2"] == "" and chn["statuses"]["1.1"] == ""

    # 2. The Secretariat approves Indonesia's report and returns China's, in the page.
    comment = "Please attach the forum's signed minutes"
    decided = browse(site, "review", ADMIN, approve=cs_idn, **{"return": cs_chn}, comment=comment)
    waiting = {p["changeSet"]: p for p in decided["before"]["pending"]}
    assert set(waiting) == {cs_idn, cs_chn}
    assert [e["href"] for e in waiting[cs_idn]["evidence"]] == [e["href"] for e in evidence_of(site, cs_idn)]
    assert decided["pending"] == []
    approved = site.call("GET", f"/changesets/{cs_idn}", ADMIN).json()
    returned = site.call("GET", f"/changesets/{cs_chn}", ADMIN).json()
    assert (approved["state"], approved["reviewer"]) == ("approved", ADMIN)
    assert (returned["state"], returned["reviewer"], returned["comment"]) == ("rejected", ADMIN, comment)
    assert decided["statuses"]["1.2"] == "ongoing" and decided["statuses"]["1.1"] == ""
    [idn_doc] = evidence_of(site, cs_idn)
    assert site.call("GET", idn_doc["href"][len(site.server.url):]).content == MINUTES  # public once approved
    assert site.get(f"/workplans/{PLAN}/activities/1.2")["progress"][0]["evidence"] == [idn_doc]

    # 3. The Secretariat freezes the meeting's report in the page.
    frozen_page = browse(site, "freeze", ADMIN, freeze=MEETING, freeze_title=MEETING_TITLE)
    assert [m["title"] for m in frozen_page["meetings"]] == [MEETING_TITLE]
    assert frozen_page["meetings"][0]["pdf"].endswith(f"/workplans/{PLAN}/meetings/{MEETING}?f=pdf")
    frozen = site.get(f"/workplans/{PLAN}/meetings/{MEETING}")
    assert frozen["frozenBy"] == ADMIN
    frozen_12 = next(a for a in frozen["activities"] if a["id"] == "1.2")
    assert frozen_12["report"]["narrative"] == "Seminar held in Jakarta"
    assert frozen_12["report"]["evidence"] == [idn_doc]

    # 4. After the meeting the coordinator corrects the report; approved in the page, the
    # page shows the edit, and the frozen report (its page and the API) is what it was.
    later = browse(site, "later", IDN, activity="1.2", meeting=MEETING, narrative="Corrected after the meeting",
                   status="completed")
    browse(site, "review-later", ADMIN, approve=submitted_change_set(later))
    assert site.get(f"/workplans/{PLAN}/activities/1.2")["progress"][-1]["narrative"] == "Corrected after the meeting"
    after = browse(site, "after", open_meeting=MEETING_TITLE)
    assert after["statuses"]["1.2"] == "completed"
    assert frozen_12["status"] == "ongoing"
    assert "Seminar held in Jakarta" in after["meetingPage"]
    assert "Corrected after the meeting" not in after["meetingPage"]
    assert site.get(f"/workplans/{PLAN}/meetings/{MEETING}") == frozen


def test_the_page_shows_the_live_indicators_with_the_use_of_each_states_datasets(site):
    for _ in range(4):
        assert site.s.get(site.server.url + "/collections/coal_mines/items", params={"limit": 9},
                          timeout=60).status_code == 200
    ws.settle_usage(site.s, site.server.url)
    seen = browse(site, "live")
    u = site.get(f"/workplans/{PLAN}/live-indicators")["activity4.3"]["utilization"]
    expected = ws.utilization_by_sql(site.store, u["from"], u["to"], ["coal_mines"])
    assert {c: (int(v["requests"].replace(",", "")), int(v["features"].replace(",", "")))
            for c, v in seen["live"].items()} == {c: e[:2] for c, e in expected.items()}
    assert sum(e[0] for e in expected.values()) >= 4
