"""The national nodes page of the portal's workspace (issue 16), in Debian's Chromium
(web/e2e/nodes.mjs): an administrator sees each node's status, last run, next run, errors and
last harvest report, harvests a node now and sees its report arrive, and reads the page in
Japanese. What the page showed is checked against the admin API (/admin/nodes/{name}/runs)
and the translation files, on either backend."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from federation_support import (ADMIN_TOKEN, build_national_store, build_regional_store, harvest, node, start)
from store_support import add_users
from support import DEMO_SOURCES, REPO_ROOT, amis_import, free_loopback_port
from test_portal import CHROMIUM, missing_for_the_portal, portal_required

WEB = REPO_ROOT / "web"
ARTEFACTS = Path(__file__).parent.parent / "artefacts" / "nodes"
ADMIN, PASSWORD = "admin-nodes", "nodes portal password 1"
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def messages(lang: str) -> dict[str, str]:
    def flatten(m: dict, prefix: str = "") -> dict[str, str]:
        out = {}
        for k, v in m.items():
            name = f"{prefix}.{k}" if prefix else k
            out.update(flatten(v, name) if isinstance(v, dict) else {name: v})
        return out
    return flatten(json.loads((WEB / "i18n" / f"{lang}.json").read_text(encoding="utf-8")))


def fill(template: str, **values) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), template)


@pytest.fixture(scope="module")
def servers(tmp_path_factory, amis_bin):
    lacking = missing_for_the_portal()
    if lacking:
        if portal_required():
            pytest.fail("the nodes page cannot be tested, missing: " + ", ".join(lacking))
        pytest.skip("missing: " + ", ".join(lacking))
    work = tmp_path_factory.mktemp("nodes-portal")
    national = start(build_national_store(work / "national", 5), work / "logs-national", "national")
    store = build_regional_store(work / "regional")
    for collection in ("countries", "coal_mines"):  # the layers the portal opens with
        amis_import(store, DEMO_SOURCES[collection].path, collection)
    add_users(store, {ADMIN: ("admin", None)}, PASSWORD)
    config = work / "amis.toml"
    config.write_text(f'[admin]\ntoken = "{ADMIN_TOKEN}"\n\n[federation]\nharvest_concurrency = 1\n'
                      'timeout_seconds = 20\nretries = 0\n')
    for args in (["nat", national.url, "--kind", "amis", "--country", "IDN"],
                 ["down", f"http://127.0.0.1:{free_loopback_port()}/csw", "--kind", "csw", "--country", "LAO",
                  "--rate", "30/min"]):
        done, _ = node(store, "add", *args, "--schedule", "off")
        assert done.returncode == 0, done.stderr
    code, report = harvest(store, "down", config=config)
    assert code == 2 and report["status"] == "failed"
    regional = start(store, work / "logs-regional", "regional", config)
    yield regional, national
    regional.stop()
    national.stop()


def last_run(regional, name: str) -> dict:
    import requests
    return requests.get(f"{regional.url}/admin/nodes/{name}/runs", params={"limit": 1}, headers=AUTH,
                        timeout=10).json()["runs"][0]


def test_the_nodes_page_shows_the_nodes_and_harvests_one(servers):
    regional, _ = servers
    p = subprocess.run(["node", "e2e/nodes.mjs", regional.url + "/portal/", str(ARTEFACTS)], cwd=WEB,
                       capture_output=True, text=True, timeout=180,
                       env={**os.environ, "CHROMIUM": str(CHROMIUM), "AMIS_ADMIN": ADMIN,
                            "AMIS_PASSWORD": PASSWORD, "AMIS_NODE": "nat"})
    assert p.returncode == 0, p.stderr[-2000:]
    shown = json.loads(p.stdout.strip().splitlines()[-1])
    assert "failure" not in shown, shown
    assert shown["errors"] == []
    en, ja = messages("en"), messages("ja")
    columns = ["kind", "country", "rateLimit", "status", "lastRun", "nextRun", "errors", "report"]
    assert shown["title"] == fill(en["nodes.title"], count=2)
    assert shown["headers"] == [en[f"nodes.{c}"] for c in columns]
    # Before: "nat" never harvested; "down" failed, its error and report as the API keeps them.
    nat, down = shown["before"]["nat"]["fields"], shown["before"]["down"]["fields"]
    assert (nat["kind"], nat["country"], nat["status"]) == ("amis", "IDN", en["nodes.never"])
    assert "run-never" in shown["before"]["nat"]["status"]
    assert nat["nextRun"] == en["nodes.notScheduled"] and nat["errors"] == en["nodes.noErrors"]
    assert nat["rateLimit"] == en["nodes.noRateLimit"]
    assert down["rateLimit"] == fill(en["nodes.ratePerMinute.other"], count=30)
    assert shown["before"]["nat"]["button"] == fill(en["nodes.harvestLabel"], node="nat")
    failed = last_run(regional, "down")
    assert down["status"] == en["nodes.failed"] and "run-failed" in shown["before"]["down"]["status"]
    assert down["lastRun"] == failed["finished"]
    assert fill(en["nodes.failedInARow.one"], count=1) in down["errors"] and failed["error"] in down["errors"]
    # Harvest now: queued for the background harvester, then the report on the page is the API's.
    assert shown["harvestStatus"] == 202
    run = last_run(regional, "nat")
    after = shown["after"]["nat"]
    assert f"run-{run['status']}" in after["status"] and run["status"] == "succeeded"
    assert after["fields"]["lastRun"] == run["finished"]
    assert after["fields"]["report"] == fill(en["nodes.reportText"], seen=run["seen"], added=run["added"],
                                             updated=run["updated"], unchanged=run["unchanged"],
                                             withdrawn=run["withdrawn"], failed=run["failed"],
                                             seconds=f"{run['seconds']:.1f}")
    assert run["added"] > 5
    # In Japanese.
    assert shown["jaTitle"] == fill(ja["nodes.title"], count=2)
    assert shown["jaHeaders"] == [ja[f"nodes.{c}"] for c in columns]
    assert shown["jaRows"]["nat"]["fields"]["status"] == ja["nodes.succeeded"]
    assert shown["jaRows"]["down"]["fields"]["nextRun"] == ja["nodes.notScheduled"]
    assert shown["jaRows"]["down"]["fields"]["rateLimit"] == fill(ja["nodes.ratePerMinute.other"], count=30)
