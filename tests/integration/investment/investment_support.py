"""What the country-profile tests share: the demo files the summaries are computed
from, and an independent computation of each summary with SQLite on those files
(not the store, not AMIS's code)."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "data" / "demo"
FIELDS_FILE = ROOT / "static" / "invest" / "profile-fields.json"
ASEAN = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"]

# collection -> (file, layer), as scripts/load-demo.sh imports them
SOURCES = {
    "critical_mineral_deposits": (DEMO / "asean3_mineral_deposits_usgs.gpkg", "critical_mineral_deposits"),
    "major_mineral_deposits": (DEMO / "asean3_mineral_deposits_usgs.gpkg", "major_mineral_deposits"),
    "deposit_database_sites": (DEMO / "asean3_mineral_deposit_databases_usgs_minmod.gpkg", "deposit_database_sites"),
    "iron_ore_mines": (DEMO / "asean3_iron_ore_mines_gem.gpkg", "iron_ore_mines"),
    "coal_mines": (DEMO / "asean3_coal_mines_gem_gcmt.gpkg", "coal_mines"),
    "mineral_production": (DEMO / "asean3_mineral_production_usgs_mcs2024.gpkg", "mcs2024_world_production"),
}


def field_keys() -> list[str]:
    """The field list's keys in order, read from the data file itself."""
    doc = json.loads(FIELDS_FILE.read_text())
    return [f["key"] for g in doc["groups"] for f in g["fields"]]


def _text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v == int(v):
        return str(int(v)) if not isinstance(v, bool) else str(v)
    return str(v)


def independent_groups(collection: str, group_by: list[str], sums: list[str], iso3: str,
                       where: dict[str, str] | None = None) -> list[tuple]:
    """[(keys..., count, sums...)] by SQLite on the demo file, sorted as AMIS sorts (null first, bytes)."""
    path, layer = SOURCES[collection]
    cols = ", ".join(f'"{c}"' for c in group_by)
    sel = ", ".join([f'"{c}"' for c in group_by] + ["count(*)"] + [f'sum("{s}")' for s in sums])
    conds = ['"iso3" = ?'] + [f'"{k}" = ?' for k in (where or {})]
    args = [iso3] + list((where or {}).values())
    sql = f'SELECT {sel} FROM "{layer}" WHERE {" AND ".join(conds)} GROUP BY {cols}'
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        out = []
        for row in db.execute(sql, args):
            keys = tuple(_text(v) for v in row[:len(group_by)])
            out.append(keys + (row[len(group_by)],) + tuple(row[len(group_by) + 1:]))
    return sorted(out, key=lambda r: tuple((k is not None, (k or "").encode()) for k in r[:len(group_by)]))


def count_features(collection: str, iso3: str) -> int:
    path, layer = SOURCES[collection]
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute(f'SELECT count(*) FROM "{layer}" WHERE iso3 = ?', (iso3,)).fetchone()[0]


def require_country_page(what: str) -> None:
    """Fails (CI, AMIS_REQUIRE_PORTAL=1) or skips a browser test of the country page when the
    built portal, Node.js or Chromium is missing."""
    import pytest
    from test_portal import missing_for_the_portal, portal_required
    lacking = missing_for_the_portal()
    if not (ROOT / "web" / "dist" / "country.html").exists():
        lacking.append("web/dist/country.html (scripts/build-web.sh)")
    if lacking:
        if portal_required():
            pytest.fail(f"{what} cannot be tested, missing: " + ", ".join(lacking))
        pytest.skip("missing: " + ", ".join(lacking))


def import_demo(store: Path) -> None:
    """The demo collections the summaries are computed from, into `store`."""
    from support import amis_import
    for collection, (path, layer) in SOURCES.items():
        amis_import(store, path, collection, "--layer", layer)
