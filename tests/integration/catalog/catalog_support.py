"""A store whose catalogue has enough records to search, page and facet: 24 small
synthetic collections (title, description, keywords, licence, extent and time all
different) and a style, and independent answers computed here from the records
themselves: SQLite FTS5 in Python for q, plain Python for bbox, datetime and facets."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from support import amis_import, get_json, run_amis

COMMODITIES = ["gold", "coal", "nickel", "tin", "copper", "bauxite", "iron ore", "rare earths"]
COUNTRIES = {  # name, ISO alpha-3, a point inside
    "Indonesia": (110.0, -2.0), "Myanmar": (96.0, 21.0), "Philippines": (122.0, 12.0),
    "Viet Nam": (106.0, 16.0), "Thailand": (101.0, 15.0), "Malaysia": (102.0, 4.0),
}
KINDS = ["deposits", "mines", "occurrences"]
RECORDS = 24


def synthetic_collections() -> list[dict]:
    out = []
    names = list(COUNTRIES)
    for i in range(RECORDS):
        commodity = COMMODITIES[i % len(COMMODITIES)]
        country = names[i % len(names)]
        kind = KINDS[i % len(KINDS)]
        x, y = COUNTRIES[country]
        spread = 0.5 + i % 4
        desc = (f"{kind.capitalize()} of {commodity} surveyed in {country}; "
                + ("mined since the colonial period. " if i % 2 else "mining licences granted recently. ")
                + ("Compiled by O'Brien & Partners." if i % 5 == 0 else "Compiled by the national survey."))
        out.append({
            "id": f"syn_{i:02d}", "title": f"{commodity.title()} {kind} of {country}", "description": desc,
            "keywords": [commodity, kind, country],
            "points": [(x - spread, y - spread / 2), (x + spread, y + spread / 2), (x, y)],
            "dates": [f"{1990 + i}-03-01", f"{1995 + i}-07-15", f"{2000 + i}-12-31"],
        })
    return out


def write_geojson(path: Path, c: dict) -> None:
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": list(p)},
                 "properties": {"name": f"{c['id']}-{k}", "observed": d}}
                for k, (p, d) in enumerate(zip(c["points"], c["dates"]))]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def build_catalog_store(work: Path) -> Path:
    store = work / "catalog.gpkg"
    for c in synthetic_collections():
        src = work / f"{c['id']}.geojson"
        write_geojson(src, c)
        amis_import(store, src, c["id"], "--title", c["title"], "--description", c["description"],
                    "--keywords", ",".join(c["keywords"]), "--licence", "CC-BY-4.0", "--datetime", "observed")
    (work / "style.sld").write_text(point_style("syn_01"))
    result = run_amis("style", "add", "--collection", "syn_01", "--name", "by-status", work / "style.sld",
                      "--store", store)
    assert result.returncode == 0, result.stderr
    return store


def point_style(layer: str) -> str:
    """A one-rule SLD 1.0 document for a point collection."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc">
 <NamedLayer><Name>{layer}</Name><UserStyle><Title>Red points</Title><FeatureTypeStyle><Rule>
  <PointSymbolizer><Graphic><Mark><WellKnownName>circle</WellKnownName><Fill><CssParameter name="fill">#cc0000</CssParameter></Fill></Mark><Size>6</Size></Graphic></PointSymbolizer>
 </Rule></FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>"""


def all_records(http, url: str, **params) -> list[dict]:
    """Every record of a search, following next links."""
    page = get_json(http, f"{url}/collections/catalog/items", limit=1_000_000, **params)
    assert "next" not in {link["rel"] for link in page["links"]}
    return page["features"]


# ----------------------------------------------------------------------------- independent answers

def fts_ids(records: list[dict], terms: list[str]) -> set[str]:
    """The records whose title, keywords or description hold every word of any term,
    by SQLite FTS5 (words without stemming, accents removed: how both stores read
    words) from Python over the records as served."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, title, keywords, description, "
               "tokenize='unicode61 remove_diacritics 2')")
    for r in records:
        p = r["properties"]
        db.execute("INSERT INTO t VALUES (?, ?, ?, ?)",
                   (r["id"], p["title"], " ".join(p.get("keywords", [])), p.get("description", "")))
    found: set[str] = set()
    for term in terms:
        words = ['"' + w.replace('"', '""') + '"' for w in term.split() if any(ch.isalnum() for ch in w)]
        if words:
            found |= {row[0] for row in db.execute("SELECT id FROM t WHERE t MATCH ?", (" AND ".join(words),))}
    return found


def record_box(r: dict) -> tuple[float, float, float, float] | None:
    if not r.get("geometry"):
        return None
    ring = r["geometry"]["coordinates"][0]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def bbox_ids(records: list[dict], box: tuple[float, float, float, float]) -> set[str]:
    w, s, e, n = box
    spans = [(w, e)] if w <= e else [(w, 180.0), (-180.0, e)]
    out = set()
    for r in records:
        b = record_box(r)
        if b and b[1] <= n and b[3] >= s and any(b[0] <= hi and b[2] >= lo for lo, hi in spans):
            out.add(r["id"])
    return out


def day_bounds(value: str, end: bool) -> str:
    if len(value) == 10:
        return value + ("T23:59:59.999Z" if end else "T00:00:00.000Z")
    return value


def datetime_ids(records: list[dict], start: str | None, end: str | None) -> set[str]:
    out = set()
    for r in records:
        t = r.get("time")
        if not t:
            continue
        lo, hi = t["interval"]
        lo = None if lo == ".." else day_bounds(lo, False)
        hi = None if hi == ".." else day_bounds(hi, True)
        if end is not None and lo is not None and lo > end:
            continue
        if start is not None and hi is not None and hi < start:
            continue
        out.add(r["id"])
    return out


def facet_counts(records: list[dict]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {f: {} for f in ("keyword", "country", "theme", "type", "format")}

    def add(facet: str, values) -> None:
        for v in set(values):
            counts[facet][v] = counts[facet].get(v, 0) + 1

    for r in records:
        p = r["properties"]
        add("keyword", p.get("keywords", []))
        add("type", [p["type"]])
        if p.get("country"):
            add("country", [p["country"]])
        add("format", [f["name"] for f in p.get("formats", [])])
        add("theme", [c["id"] for t in p.get("themes", []) for c in t["concepts"]])
    return counts
