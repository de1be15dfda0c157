"""The needs register in the portal's workspace, in Debian's Chromium (web/e2e/needs.mjs): an
editor submits a need, a reviewer triages it (status, priority, assignee, a comment), and the
public counts the page shows change with it. What the page showed is checked against the API
and the store (plain SQL), on either backend."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from needs_support import IDN, PASSWORD, REVIEWER, need_rows, note_rows, start_env
from store_support import rows
from support import REPO_ROOT
from test_portal import CHROMIUM, missing_for_the_portal, portal_required

WEB = REPO_ROOT / "web"
ARTEFACTS = Path(__file__).parent.parent / "artefacts" / "needs"
TITLE = "Rare earth occurrences of Kalimantan"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    lacking = missing_for_the_portal()
    if lacking:
        if portal_required():
            pytest.fail("the needs portal cannot be tested, missing: " + ", ".join(lacking))
        pytest.skip("missing: " + ", ".join(lacking))
    env = start_env(tmp_path_factory.mktemp("needs-portal"), "needs-portal", ("countries", "coal_mines"))
    yield env
    env.server.stop()


def test_a_need_submitted_and_triaged_in_the_portal(env):
    env.submit(REVIEWER, {"kind": "service", "title": "An earlier need"})  # the counts are not all zero
    p = subprocess.run(["node", "e2e/needs.mjs", env.server.url + "/portal/", str(ARTEFACTS)], cwd=WEB,
                       capture_output=True, text=True, timeout=180,
                       env={**os.environ, "CHROMIUM": str(CHROMIUM), "AMIS_EDITOR": IDN, "AMIS_REVIEWER": REVIEWER,
                            "AMIS_PASSWORD": PASSWORD, "AMIS_NEED_TITLE": TITLE})
    assert p.returncode == 0, p.stderr[-2000:]
    shown = json.loads(p.stdout.strip().splitlines()[-1])
    assert "failure" not in shown, shown
    assert shown["errors"] == [] and shown["unlabelled"] == [] and shown["unlabelledInTriage"] == []
    assert (shown["submitStatus"], shown["triageStatus"], shown["commentStatus"]) == (201, 200, 201)
    [row] = need_rows(env.store, "WHERE id = ?", shown["need"])
    assert (row["title"], row["submitter"], row["country"], row["status"], row["priority"], row["assignee"]) == \
           (TITLE, IDN, "IDN", "planned", "high", REVIEWER)
    assert note_rows(env.store, shown["need"])[-1] == (REVIEWER, "comment", "Planned with the 2027 data call.")
    # The editor saw only their own need, and no triage form.
    assert shown["editorSees"] == [shown["need"]] and not shown["editorCanTriage"]
    # The public counts moved with the need: +1 dataset/new on submitting, then new -> planned.
    before, submitted, triaged = shown["before"], shown["afterSubmit"], shown["afterTriage"]
    assert submitted["total"] == before["total"] + 1 == triaged["total"]
    assert submitted["cells"]["dataset/new"] == before["cells"]["dataset/new"] + 1
    assert triaged["cells"]["dataset/new"] == before["cells"]["dataset/new"]
    assert triaged["cells"]["dataset/planned"] == before["cells"]["dataset/planned"] + 1
    # ... and are the store's.
    stored = {f"{k}/{s}": n for k, s, n in rows(env.store, "SELECT kind, status, count(*) FROM amis_needs GROUP BY kind, status")}
    assert {k: v for k, v in triaged["cells"].items() if v} == stored
    assert env.call("GET", "/needs/summary").json()["total"] == triaged["total"]
