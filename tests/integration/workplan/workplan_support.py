"""What the work-plan tests share: an independent reading of the work plan (Python's yaml on
the YAML, the csv module on the Appendix, the plan's text), and the accomplishment rules
computed here, not by AMIS, from statuses and milestone values."""
from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
PLAN_YAML = ROOT / "data" / "workplans" / "workplan-2022-2025.yaml"
PLAN_TEXT = ROOT / "data" / "workplans" / "asomm3-work-plan-2022-2025.txt"
APPENDIX = ROOT / "tests" / "data" / "workplan" / "appendix-example.csv"
ASEAN = {"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"}
MILESTONE_MET = {"met", "yes", "done", "achieved", "true"}


def reference() -> dict:
    doc = yaml.safe_load(PLAN_YAML.read_text())
    # PyYAML reads YAML 1.1, where the key `no` is the boolean false (AMIS reads the YAML 1.2
    # core schema, where only true/false are booleans): the area's number is under False here.
    areas = [(a[False], a["code"], a["title"]) for a in doc["work_plan"]["programme_areas"]]
    activities = []
    for a in doc["activities"]:
        outputs = a["expected_output"] if isinstance(a["expected_output"], list) else [a["expected_output"]]
        activities.append({"id": a["id"], "area": a["area"], "activity": a["activity"], "outputs": outputs})
    return {"id": doc["work_plan"]["id"], "title": doc["work_plan"]["title"], "areas": areas, "activities": activities}


def appendix() -> dict[str, dict]:
    """activity -> {lead, co_lead, country_coordinator, indicators: [(name, type, output)]}."""
    out: dict[str, dict] = {}
    with APPENDIX.open(newline="") as f:
        for row in csv.DictReader(f):
            a = out.setdefault(row["activity"], {"lead": "", "co_lead": "", "country_coordinator": "",
                                                 "indicators": []})
            for k in ("lead", "co_lead", "country_coordinator"):
                if row[k]:
                    a[k] = row[k]
            if row["indicator"]:
                a["indicators"].append((row["indicator"], row["indicator_type"], int(row["output"] or 1)))
    return out


def _squeeze(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", text)
    for a, b in (("\u201c", '"'), ("\u201d", '"'), ("\u2018", "'"), ("\u2019", "'"), ("\u2013", "-")):
        text = text.replace(a, b)
    return re.sub(r"\s+", "", text)


def in_plan_text(text: str) -> bool:
    """Whether `text` is in the work plan's text, whitespace, tags and quotes aside; a text
    the page layout split in two (the table's next cell in between) counts when both parts are."""
    body = _squeeze(PLAN_TEXT.read_text())
    t = _squeeze(text)
    if t in body:
        return True
    for cut in range(len(t) - 1, 10, -1):
        if t[:cut] in body:
            return t[cut:] in body
    return False


def units(activity: dict, app: dict, status: str | None, values: dict[str, str], rule: str) -> list[bool]:
    """Whether each unit the rule counts for one activity (its outputs, or itself) is accomplished."""
    if rule == "action-lines":
        return [status == "completed"]
    out = []
    milestones = [i for i in app.get(activity["id"], {}).get("indicators", []) if i[1] == "milestone"]
    for n in range(1, len(activity["outputs"]) + 1):
        mine = [i for i in milestones if i[2] == n]
        if mine:
            out.append(all(values.get(i[0], "").lower() in MILESTONE_MET for i in mine))
        else:
            out.append(status == "completed")
    return out


def rates(plan: dict, app: dict, states: dict[str, tuple[str | None, dict[str, str]]], rule: str) -> dict:
    """area code -> (k, n), and "overall": the rule applied to activity -> (status, indicator values)."""
    out: dict[str, list[int]] = {code: [0, 0] for _, code, _ in plan["areas"]}
    for a in plan["activities"]:
        status, values = states.get(a["id"], (None, {}))
        units_ = units(a, app, status, values, rule)
        out[a["area"]][0] += sum(units_)
        out[a["area"]][1] += len(units_)
    overall = [sum(v[0] for v in out.values()), sum(v[1] for v in out.values())]
    result = {k: tuple(v) for k, v in out.items()}
    result["overall"] = tuple(overall)
    return result


def rate_text(k: int, n: int) -> str:
    if n == 0:
        return f"{k} of {n}"
    p = math.floor(1000 * k / n + 0.5) / 10  # half away from zero, as a rate is rounded for people
    return f"{k} of {n} ({p:.0f}%)" if p == int(p) else f"{k} of {n} ({p:.1f}%)"


# ------------------------------------------------------------- activity 4.3's utilization

USAGE_CONFIG = '\n[usage]\nflush_seconds = 1\n'
# Three sites in Thailand only: a dataset of one member state (the demo's coal mines are
# several states').
THA_SITES = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [100.5 + i / 10, 13.7]},
     "properties": {"name": f"site {i}", "iso3": "THA"}} for i in range(3)]}


def settle_usage(session, url: str, timeout: float = 20) -> None:
    """Waits until the usage aggregator has written every request accepted so far."""
    import time
    deadline = time.monotonic() + timeout
    time.sleep(0.2)
    while True:
        status = session.get(f"{url}/usage", timeout=10).json()["status"]
        if status["written"] == status["accepted"] and status["pending"] == 0:
            return
        assert time.monotonic() < deadline, f"usage counts not written in {timeout} s: {status}"
        time.sleep(0.2)


def utilization_by_sql(store, first: str, last: str, collections: list[str]) -> dict[str, tuple[int, int, int]]:
    """member state -> (requests, features, bytes) to the collections holding its features (by
    their iso3 column), days first..last, from the store's daily usage table with plain SQL
    (sqlite3 or psycopg2), the usage API's own requests left out."""
    from store_support import rows
    out = {}
    for state in sorted(ASEAN):
        mine = [c for c in collections if rows(store, f'SELECT count(*) FROM "{c}" WHERE iso3 = ?', state)[0][0] > 0]
        total = (0, 0, 0)
        for c in mine:
            got = rows(store, "SELECT coalesce(sum(requests), 0), coalesce(sum(features), 0), coalesce(sum(bytes), 0) "
                              "FROM amis_usage_daily WHERE collection = ? AND period >= ? AND period <= ? "
                              "AND service <> 'usage'", c, first, last)[0]
            total = tuple(a + int(b) for a, b in zip(total, got))
        out[state] = total
    return out
