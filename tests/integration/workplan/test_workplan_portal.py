"""The work-plan page (web/workplan.html) in Debian's Chromium (web/e2e/workplan.mjs), on a
store and server of its own, on either backend: Indonesia's editor (lead and coordinator
of 4.2 in the example Appendix) signs in on the portal and submits a progress report with
an evidence link through the page's form; the Secretariat (a reviewer) approves it; the
page shows the status; the meeting is frozen and listed with its PDF; a later report,
approved too, changes the page but leaves the frozen report unchanged to the byte.
The activities the form offers are checked against the Appendix read with Python's csv.

Needs the portal built (scripts/build-web.sh), Node.js and /usr/bin/chromium."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

import workplan_support as ws
from support import REPO_ROOT
from test_portal import CHROMIUM, portal_can_run  # noqa: F401 (autouse: skip or fail without a browser)
from test_workplan import ADMIN, IDN, PASSWORD, PLAN, REVIEWER, Env, serving

ARTEFACTS = Path(__file__).parent.parent / "artefacts" / "workplan"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    yield from serving(tmp_path_factory.mktemp("workplan-portal"), mines=False)


def browse(site: Env, step: str, user: str | None = None, **report) -> dict:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CHROMIUM": str(CHROMIUM), "AMIS_STEP": step, "AMIS_USER": user or "",
           "AMIS_PASSWORD": PASSWORD, **{f"AMIS_{k.upper()}": v for k, v in report.items()}}
    p = subprocess.run(["node", "e2e/workplan.mjs", site.server.url + "/portal/", str(ARTEFACTS)],
                       cwd=REPO_ROOT / "web", env=env, capture_output=True, text=True, timeout=240)
    assert p.returncode == 0, p.stderr[-3000:]
    answer = json.loads(p.stdout.strip().splitlines()[-1])
    assert "failure" not in answer, answer["failure"] + f"\n(screenshots in {ARTEFACTS})"
    assert answer["errors"] == [], answer["errors"]
    return answer


def submitted_change_set(answer: dict) -> int:
    m = re.search(r"(\d+)\D*$", answer["announced"])
    assert m, answer["announced"]
    return int(m.group(1))


def test_a_coordinator_reports_the_secretariat_approves_and_the_snapshot_stays(site):
    app = ws.appendix()
    mine = [a["id"] for a in ws.reference()["activities"]
            if "IDN" in (app.get(a["id"], {}).get(k) for k in ("lead", "co_lead", "country_coordinator"))]
    evidence = "https://example.org/asomm3-19/idn-4.2-minutes.pdf"
    first = browse(site, "report", IDN, activity="4.2", meeting="ASOMM3-19",
                   narrative="AMIS nodes of five member states", evidence=evidence)
    assert first["offered"] == mine
    cs = submitted_change_set(first)
    change_set = site.call("GET", f"/changesets/{cs}", REVIEWER).json()
    assert (change_set["state"], change_set["collection"]) == ("submitted", "workplan_progress")
    assert first["statuses"]["4.2"] == ""  # not reported until approved
    site.act(cs, "approve", REVIEWER)
    seen = browse(site, "approved")
    assert seen["statuses"]["4.2"] == "ongoing"
    assert site.get(f"/workplans/{PLAN}/activities/4.2")["progress"][0]["evidence"] == \
           [{"title": "evidence", "href": evidence}]

    r = site.call("POST", f"/workplans/{PLAN}/meetings", ADMIN, {"meeting": "ASOMM3-19", "title": "19th ASOMM+3"})
    assert r.status_code == 201, r.text
    frozen = site.get(f"/workplans/{PLAN}/meetings/ASOMM3-19")
    listed = browse(site, "frozen")["meetings"]
    assert [m["title"] for m in listed] == ["19th ASOMM+3"]
    assert listed[0]["pdf"].endswith(f"/workplans/{PLAN}/meetings/ASOMM3-19?f=pdf")

    # After the meeting the coordinator edits the report of that meeting; approved, the page
    # shows the edit and the frozen report is what it was.
    later = browse(site, "later", IDN, activity="4.2", meeting="ASOMM3-19", narrative="corrected after the meeting",
                   evidence=evidence)
    site.act(submitted_change_set(later), "approve", REVIEWER)
    assert site.get(f"/workplans/{PLAN}/activities/4.2")["progress"][-1]["narrative"] == "corrected after the meeting"
    assert site.get(f"/workplans/{PLAN}/meetings/ASOMM3-19") == frozen
    frozen_42 = next(a for a in frozen["activities"] if a["id"] == "4.2")
    assert frozen_42["report"]["narrative"] == "AMIS nodes of five member states"
