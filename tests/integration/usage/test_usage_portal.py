"""The portal's Usage page in Debian's Chromium: the numbers of its tables and of its chart
over time equal the usage API's CSV for the same period (the page's own reads of the API,
service "usage", are left out by both)."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest

from support import REPO_ROOT
from test_portal import CHROMIUM, missing_for_the_portal, portal_required
from usage_support import settle

WEB = REPO_ROOT / "web"
ARTEFACTS = Path(__file__).parent.parent / "artefacts" / "usage"
DOWNLOADS = {"csv", "kml", "gpkg", "shapezip", "flatgeobuf", "geotiff"}  # as the page (usage-data.ts)
MAP_VIEWS = {("wms", "GetMap"), ("wmts", "GetTile"), ("maps", "tile"), ("tiles", "tile")}


def missing() -> list[str]:
    """What the browser test needs (the portal's own list) and the Usage page."""
    out = missing_for_the_portal()
    if not (WEB / "dist" / "usage.html").exists():
        out.append("web/dist/usage.html (scripts/build-web.sh)")
    return out


def test_usage_page_shows_the_numbers_of_the_csv(usage_server, http):
    lacking = missing()
    if lacking:
        if portal_required():
            pytest.fail("the Usage page cannot be tested, missing: " + ", ".join(lacking))
        pytest.skip("missing: " + ", ".join(lacking))
    url = usage_server.url
    for params in ({"f": "csv", "limit": "2"}, {"f": "kml", "limit": "2"}):
        http.get(f"{url}/collections/coal_mines/items", params=params, timeout=30)
    http.get(f"{url}/collections/countries/tiles/WebMercatorQuad/0/0/0", timeout=30)
    settle(http, url)
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    before = daily_csv(http, url, today)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    p = subprocess.run(["node", "e2e/usage.mjs", url + "/portal/", today, today, str(ARTEFACTS)], cwd=WEB,
                       capture_output=True, text=True, timeout=120, env={**os.environ, "CHROMIUM": str(CHROMIUM)})
    assert p.returncode == 0, p.stderr[-2000:]
    shown = json.loads(p.stdout.strip().splitlines()[-1])
    assert "failure" not in shown, shown
    assert shown["errors"] == []
    settle(http, url)
    after = daily_csv(http, url, today)
    # The page's own files (service portal) are counted while it loads: the tables that
    # hold them lie between the counts before and after; those that cannot equal both.
    exact = {"collection": lambda r: r["collection"] != "",
             "downloads": lambda r: r["format"] in DOWNLOADS,
             "mapViews": lambda r: (r["service"], r["operation"]) in MAP_VIEWS}
    keys = {"collection": "collection", "downloads": "collection", "mapViews": "collection",
            "country": "country", "service": "service", "client": "client"}
    for table, key in keys.items():
        keep = exact.get(table, lambda r: True)
        low, high = by(before, key, keep), by(after, key, keep)
        assert shown[table], table
        for name, n in shown[table].items():
            assert low.get(name, 0) <= n <= high.get(name, 0), (table, name, n, low.get(name), high.get(name))
        if table in exact:
            assert low == high and shown[table] == {k: low[k] for k in shown[table]}, table
            assert len(shown[table]) == min(20, len(low)), table
    assert shown["downloads"]["coal_mines"] == by(before, "collection", exact["downloads"])["coal_mines"] >= 2
    assert shown["canvas"] >= 1
    # The member-state section: Thailand's rows are the API's CSV of the page's months.
    month = today[:7]
    state = http.get(f"{url}/usage/member-states/THA", params={"from": month, "to": month, "f": "csv"}, timeout=10)
    as_csv = [{"month": r["month"], "collection": r["collection"], "country": r["country"],
               "requests": int(r["requests"]), "features": int(r["features"])}
              for r in csv.DictReader(io.StringIO(state.text))]
    assert as_csv and shown["memberState"]["rows"] == as_csv
    assert shown["memberState"]["csv"].endswith(f"/usage/member-states/THA?from={month}&to={month}&f=csv")
    assert [h.split("/usage/")[1] for h in shown["memberState"]["monthly"]] == \
        [f"monthly/{month}?f={f}" for f in ("html", "pdf", "csv")]
    for name, values in shown["series"].items():
        if name not in ("other", "portal"):
            assert values == [by(before, "service")[name]], name


def daily_csv(http, url, day) -> list[dict]:
    text = http.get(f"{url}/usage/daily", params={"from": day, "to": day, "f": "csv",
                                                  "group": "collection,service,operation,format,country,client"},
                    timeout=10).text
    return [r for r in csv.DictReader(io.StringIO(text)) if r["service"] != "usage"]


def by(rows, key, keep=lambda r: True) -> dict:
    c = Counter()
    for r in rows:
        if keep(r):
            c[r[key]] += int(r["requests"])
    return dict(c)
