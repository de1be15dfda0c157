"""The portal's languages in Debian's Chromium (web/e2e/languages.mjs) against `amis serve`
on the demo store: a browser whose languages are Chinese opens the portal in Chinese;
the switch to Japanese and Korean changes the labels and the code-list values of the
feature table and of the status filter; the choice is kept (a reload, the Usage page);
English comes back. Every text is compared with web/i18n's files, every table cell
with the value the store holds (sqlite3) looked up in the code lists; a browser in
English gets the English portal the other portal tests read.

Needs the portal built (scripts/build-web.sh), Node.js and /usr/bin/chromium."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

import store_support as ss
from support import REPO_ROOT
from test_portal import CHROMIUM, portal, portal_can_run  # noqa: F401 (fixtures: the demo store and server)

WEB = REPO_ROOT / "web"
ARTEFACTS = Path(__file__).parent.parent / "artefacts" / "portal"
LANGUAGES = ("en", "zh", "ja", "ko")


def flatten(messages: dict, prefix: str = "") -> dict[str, str]:
    out = {}
    for key, value in messages.items():
        name = f"{prefix}.{key}" if prefix else key
        out.update(flatten(value, name) if isinstance(value, dict) else {name: value})
    return out


MESSAGES = {lang: flatten(json.loads((WEB / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))) for lang in LANGUAGES}
CODES = {lang: json.loads((WEB / "i18n" / "codes" / f"{lang}.json").read_text(encoding="utf-8")) for lang in LANGUAGES}


def code(lang: str, code_list: str, value: str) -> str:
    """A stored value as the code list names it in `lang` (any case), else as stored."""
    for key, text in CODES[lang][code_list].items():
        if key.lower() == value.lower():
            return text
    return value


def matches(template: str, text: str) -> bool:
    """Is `text` the message `template` with its {placeholders} filled?"""
    pattern = re.sub(r"\\\{\w+\\\}", ".+", re.escape(template))
    return re.fullmatch(pattern, text) is not None


def run(portal, locale: str, switch: str = "") -> dict:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CHROMIUM": str(CHROMIUM), "AMIS_LOCALE": locale, "AMIS_SWITCH": switch}
    p = subprocess.run(["node", "e2e/languages.mjs", portal.url, str(ARTEFACTS)], cwd=WEB, env=env,
                       capture_output=True, text=True, timeout=240)
    assert p.returncode == 0, p.stderr[-3000:]
    answer = json.loads(p.stdout.strip().splitlines()[-1])
    assert "failure" not in answer, answer["failure"] + f"\n(screenshot {ARTEFACTS}/languages-{locale}-failure.png)"
    assert answer["errors"] == [], answer["errors"]
    return answer


def check_labels(step: dict, lang: str) -> None:
    m = MESSAGES[lang]
    assert step["lang"] == {"zh": "zh-Hans"}.get(lang, lang), step["lang"]
    assert step["switchValue"] == lang
    assert step["tabs"] == {tab: m[f"portal.tabs.{tab}"] for tab in ("layers", "data", "filter", "invest", "download", "workspace")}
    assert step["title"] == m["portal.title"]
    assert step["layersHeading"] == m["layers.title"]
    # The active layer is the coal mines (the portal's first choice), titled by the data.
    assert step["tableTitle"] == m["table.title"].replace("{layer}", "Coal mines (GEM Global Coal Mine Tracker)")
    assert step["statusLabel"] == code(lang, "property", "status")


def check_values(portal, step: dict, lang: str) -> None:
    """Each cell of the coded columns is the stored value in the code list of `lang`;
    the status filter offers the stored values, named by the code list."""
    columns = {c["property"]: c["title"] for c in step["columns"]}
    assert columns["status"] == code(lang, "property", "status")
    assert columns["coal_type"] == code(lang, "property", "coal_type")
    fids = [r["fid"] for r in step["rows"]]
    assert fids, step
    stored = {fid: (status, coal_type) for fid, status, coal_type in ss.rows(
        portal.store, f"SELECT fid, status, coal_type FROM coal_mines WHERE fid IN ({','.join('?' * len(fids))})", *fids)}
    for row in step["rows"]:
        status, coal_type = stored[row["fid"]]
        assert row["cells"]["status"] == code(lang, "status", status), (row, status)
        assert row["cells"]["coal_type"] == code(lang, "coal_type", coal_type or ""), (row, coal_type)
        if lang != "en" and status:
            assert row["cells"]["status"] != status, f"{status} is not translated into {lang}"
    statuses = sorted(v for (v,) in ss.rows(portal.store, "SELECT DISTINCT status FROM coal_mines WHERE status <> ''"))
    assert sorted(o["value"] for o in step["statusOptions"]) == statuses
    assert {o["value"]: o["text"] for o in step["statusOptions"]} == {s: code(lang, "status", s) for s in statuses}


def test_a_chinese_browser_gets_chinese_and_the_switch_goes_through_japanese_korean_and_english(portal):
    a = run(portal, "zh-CN", "ja,ko,en")
    steps = {s["step"]: s for s in a["steps"]}
    assert list(steps) == ["open", "switch-ja", "switch-ko", "cleared-ko", "reload-ko", "switch-en"]
    opened = steps["open"]
    assert [o["value"] for o in opened["switchOptions"]] == list(LANGUAGES)
    assert [o["text"] for o in opened["switchOptions"]] == ["English", "简体中文", "日本語", "한국어"]
    for step, lang in [("open", "zh"), ("switch-ja", "ja"), ("switch-ko", "ko"), ("cleared-ko", "ko"), ("reload-ko", "ko"),
                       ("switch-en", "en")]:
        check_labels(steps[step], lang)
        check_values(portal, steps[step], lang)
    # A filter chosen through a translated option sends the stored value, and stays chosen
    # when the language changes (ja -> ko); "Clear filters" then clears it.
    assert steps["switch-ja"]["filterValue"] == steps["switch-ko"]["filterValue"]
    for step in ("switch-ja", "switch-ko", "switch-en"):
        value = steps[step]["filterValue"]
        assert steps[step]["tableFilter"] == f"status = '{value}'"
        assert [o["value"] for o in steps[step]["statusOptions"] if o["selected"]] == [value]
        assert {r["cells"]["status"] for r in steps[step]["rows"]} == {code(steps[step]["lang"][:2], "status", value)}
    for step in ("open", "cleared-ko", "reload-ko"):
        assert steps[step]["tableFilter"] == ""
        assert not any(o["selected"] for o in steps[step]["statusOptions"])
    # The switch is remembered: the Usage page opened after it is in Korean too.
    assert a["usage"]["lang"] == "ko" and a["usage"]["switchValue"] == "ko"
    assert a["usage"]["heading"] == MESSAGES["ko"]["usage.heading"]
    assert matches(MESSAGES["ko"]["usage.total"], a["usage"]["status"]) or a["usage"]["status"] == MESSAGES["ko"]["usage.logIn"]


def test_an_english_browser_gets_the_english_portal(portal):
    a = run(portal, "en-US")
    opened = a["steps"][0]
    check_labels(opened, "en")
    check_values(portal, opened, "en")
    assert opened["searchPlaceholder"] == "Search Coal mines (GEM Global Coal Mine Tracker) by name"


@pytest.mark.parametrize("locale, lang", [("ja-JP", "ja"), ("ko-KR", "ko"), ("fr-FR", "en")])
def test_the_browser_language_chooses_the_first_view(portal, locale, lang):
    opened = run(portal, locale)["steps"][0]
    check_labels(opened, lang)
    check_values(portal, opened, lang)
