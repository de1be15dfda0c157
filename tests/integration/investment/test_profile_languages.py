"""The country profiles in Debian's Chromium in another language (issue 20; web/e2e/compare.mjs)
against `amis serve` on a store of its own, on either backend (--store-backend postgis): a
browser whose language is Chinese gets the server's comparison of IDN, PHL and VNM in Chinese
(chosen by its Accept-Language) with the same fields in the same order for each country, every
row one cell per country; the portal's country page starts in Chinese and its language switch
turns the summaries' titles, notes and the licences' absence into Korean. Every expected text
is read from web/i18n here, not through AMIS.

Needs the portal built (scripts/build-web.sh), Node.js and /usr/bin/chromium."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import investment_support as inv
from support import REPO_ROOT, AmisServer, http_session
from test_portal import CHROMIUM

WEB = REPO_ROOT / "web"
ARTEFACTS = Path(__file__).parent.parent / "artefacts" / "investment"


def texts(lang: str) -> dict:
    return json.loads((WEB / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    inv.require_country_page("the profiles' languages in Chromium")
    work = tmp_path_factory.mktemp("profile-languages")
    store = work / "store.gpkg"
    inv.import_demo(store)
    srv = AmisServer(store, work, name="profile-languages")
    srv.start()
    yield srv
    alive = srv.alive()
    srv.stop()
    assert alive, srv.stderr()


def test_chinese_comparison_and_the_country_pages_switch_to_korean(server):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CHROMIUM": str(CHROMIUM), "AMIS_LOCALE": "zh-CN", "AMIS_SWITCH": "ko"}
    p = subprocess.run(["node", "e2e/compare.mjs", server.url, str(ARTEFACTS)], cwd=WEB, env=env,
                       capture_output=True, text=True, timeout=180)
    assert p.returncode == 0, p.stderr[-3000:]
    a = json.loads(p.stdout.strip().splitlines()[-1])
    assert "failure" not in a and a["errors"] == [], a
    zh, ko = texts("zh"), texts("ko")
    keys = inv.field_keys()

    compare = a["compare"]
    assert compare["lang"] == "zh-Hans"
    assert [c for c, _ in compare["countries"]] == ["IDN", "PHL", "VNM"]
    for code, shown in compare["countries"]:
        assert shown.startswith(zh["country"][code]), (code, shown)
    assert [r["field"] for r in compare["rows"]] == keys
    assert [r["label"] for r in compare["rows"]] == [zh["profileField"][k] for k in keys]
    assert {r["cells"] for r in compare["rows"]} == {3}

    doc = http_session().get(server.url + "/countries/VNM", timeout=60).json()
    for lang, t, seen in (("zh-Hans", zh, a["before"]), ("ko", ko, a["after"])):
        page = t["countryPage"]
        assert seen["lang"] == lang
        assert seen["titles"] == [page["summary"][s["id"]] for s in doc["summaries"]]
        assert seen["notes"] == [page["summaryNote"][s["id"]] for s in doc["summaries"] if "note" in s]
        assert page["summaryAbsent"]["mining_licences"] in seen["hints"]
        assert doc["asOf"][:10] in seen["status"]
