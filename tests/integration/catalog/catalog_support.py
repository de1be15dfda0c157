"""A store whose catalogue has enough records to search, page and facet: 24 small
synthetic collections (title, description, keywords, licence, extent and time all
different) and a style, and independent answers computed here from the records
themselves: SQLite FTS5 and Snowball's libstemmer in Python for q, plain Python for bbox, datetime and facets."""
from __future__ import annotations

import ctypes
import json
import re
import sqlite3
from pathlib import Path

import pytest

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

_SNOWBALL = None


def snowball_stem(word: str) -> str:
    """The English (Porter2) stem of a word by Snowball's own C library (Debian's
    libstemmer0d), for words of the letters a-z: the words AMIS stems."""
    global _SNOWBALL
    if _SNOWBALL is None:
        try:
            lib = ctypes.CDLL("libstemmer.so.0d")
        except OSError:
            pytest.skip("no libstemmer.so.0d (Snowball's C library) to compute the stems with")
        lib.sb_stemmer_new.restype = ctypes.c_void_p
        lib.sb_stemmer_new.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        lib.sb_stemmer_stem.restype = ctypes.POINTER(ctypes.c_char)
        lib.sb_stemmer_stem.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        lib.sb_stemmer_length.argtypes = [ctypes.c_void_p]
        _SNOWBALL = (lib, lib.sb_stemmer_new(b"english", b"UTF_8"))
    if not re.fullmatch(r"[a-z]+", word):
        return word
    lib, stemmer = _SNOWBALL
    out = lib.sb_stemmer_stem(stemmer, word.encode(), len(word))
    return ctypes.string_at(out, lib.sb_stemmer_length(stemmer)).decode()


def fts5_tokens(db: sqlite3.Connection, texts: list[str]) -> list[list[str]]:
    """The words of each text as SQLite FTS5's unicode61 tokenizer (accents removed,
    lower case) reads them, in order, through an fts5vocab table."""
    db.execute("DROP TABLE IF EXISTS tok")
    db.execute("CREATE VIRTUAL TABLE tok USING fts5(t, tokenize='unicode61 remove_diacritics 2')")
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.tok_words USING fts5vocab(main, tok, 'instance')")
    db.executemany("INSERT INTO tok (rowid, t) VALUES (?, ?)", [(i + 1, t) for i, t in enumerate(texts)])
    out: list[list[str]] = [[] for _ in texts]
    for term, doc, _offset in db.execute("SELECT term, doc, offset FROM temp.tok_words ORDER BY doc, offset"):
        out[doc - 1].append(term)
    db.execute("DROP TABLE temp.tok_words")
    return out


def fts_ids(records: list[dict], terms: list[str]) -> set[str]:
    """The records whose title, keywords or description hold every word of any term,
    each word as the phrase of the English stems of its FTS5 words: SQLite FTS5's
    unicode61 words (accents removed) stemmed by Snowball's libstemmer, from Python
    over the records as served."""
    db = sqlite3.connect(":memory:")
    fields = []
    for r in records:
        p = r["properties"]
        fields += [p["title"], " ".join(p.get("keywords", [])), p.get("description", "")]
    stems = [" ".join(snowball_stem(w) for w in words) for words in fts5_tokens(db, fields)]
    db.execute("CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, title, keywords, description, "
               "tokenize='unicode61 remove_diacritics 2')")
    for i, r in enumerate(records):
        db.execute("INSERT INTO t VALUES (?, ?, ?, ?)", (r["id"], *stems[3 * i:3 * i + 3]))
    found: set[str] = set()
    for term in terms:
        words = [w for w in term.split() if any(ch.isalnum() for ch in w)]
        phrases = [" ".join(snowball_stem(t) for t in tokens) or word
                   for word, tokens in zip(words, fts5_tokens(db, words))]
        quoted = ['"' + p.replace('"', '""') + '"' for p in phrases]
        if quoted:
            found |= {row[0] for row in db.execute("SELECT id FROM t WHERE t MATCH ?", (" AND ".join(quoted),))}
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
