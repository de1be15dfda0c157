"""The portal's investor search in Debian's Chromium (web/e2e/invest.mjs): the form writes
the CQL2 text the tests' own question writes, and what it finds — the count, the table's
filter and the GeoJSON download — is the SpatiaLite oracle's answer. Skipped without the
built portal, Node or Chromium unless CI or AMIS_REQUIRE_PORTAL=1 asks for it."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from invest_support import QUESTIONS
from support import REPO_ROOT

WEB = REPO_ROOT / "web"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARTEFACTS = Path(__file__).parent.parent / "artefacts" / "investment_search"


@pytest.fixture(scope="module", autouse=True)
def portal_can_run():
    missing = [what for what, ok in [("web/dist", (WEB / "dist" / "index.html").exists()),
                                     ("playwright-core", (WEB / "node_modules" / "playwright-core").exists()),
                                     (str(CHROMIUM), CHROMIUM.exists()), ("node", shutil.which("node") is not None)]
               if not ok]
    if missing and (os.environ.get("CI") or os.environ.get("AMIS_REQUIRE_PORTAL") == "1"):
        pytest.fail("the investor search's browser test cannot run, missing: " + ", ".join(missing), pytrace=False)
    if missing:
        pytest.skip("missing: " + ", ".join(missing))


def test_the_form_finds_the_oracles_deposits(http, url, oracle):
    q = QUESTIONS[0]
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CHROMIUM": str(CHROMIUM), "INVEST_COMMODITIES": ",".join(q.commodities),
           "INVEST_TONNAGE": f"{q.min_tonnage:g}", "INVEST_COUNTRIES": ",".join(q.countries),
           "INVEST_RULE": "outside", "INVEST_STATUSES": "active", "INVEST_PORT_KM": f"{q.port_km:g}"}
    p = subprocess.run(["node", "e2e/invest.mjs", url + "/portal/", str(ARTEFACTS)], cwd=WEB, env=env,
                       capture_output=True, text=True, timeout=180)
    assert p.returncode == 0, p.stderr[-3000:]
    answer = json.loads(p.stdout.strip().splitlines()[-1])
    assert "failure" not in answer, answer
    assert answer["errors"] == [], answer["errors"]
    assert answer["cql2"] == q.cql2_text()
    expected = oracle.ids(q)
    assert answer["matched"] == len(expected)
    assert answer["tableFilter"] == answer["cql2"]
    r = http.get(answer["downloads"]["geojson"], timeout=120)
    assert r.status_code == 200, r.text[:300]
    assert {f["properties"]["id"] for f in r.json()["features"]} == expected
