"""Attribute indexes (issue 22): the properties filters compare get an index at import and
at serve start — those declared in amis.toml ([features.collections.<id>] indexes), the
editing country property, and text properties with few distinct values — and the SQL the
server runs for a CQL2 `status = 'operating'` filter and a `?iso3=IDN` filter uses them.

Oracles: sqlite_master and EXPLAIN QUERY PLAN asked of SQLite directly (Python's sqlite3,
read-only) about the SQL the server logs at debug level, and counts made with sqlite3; on the
PostGIS backend pg_indexes and the counts (the plans are SQLite's).
"""
from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
import requests

from store_support import amis, ro, rows
from support import AmisServer, connect_store, on_postgis
from test_import import sites, write_points


def indexes(store: Path) -> dict[str, str]:
    """AMIS's indexes of the sites table -> their definition (sqlite_master, or pg_indexes)."""
    if on_postgis():
        return {name: sql for name, sql in rows(store, "SELECT indexname, indexdef FROM pg_indexes WHERE "
                                                       "schemaname = 'amis_data' AND tablename = 'sites' AND "
                                                       "indexname LIKE 'amis\\_%'")}
    return {name: sql for name, sql in rows(store, "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                                   "AND tbl_name = 'sites' AND name LIKE 'amis_%'")}


def plan(store: Path, sql: str) -> str:
    with ro(store) as db:
        steps = db.execute("EXPLAIN QUERY PLAN " + sql, [None] * sql.count("?")).fetchall()
    return " | ".join(s[-1] for s in steps)


def logged_sql(server: AmisServer, kind: str) -> list[str]:
    return re.findall(rf"\[debug\] {kind} SQL: (.*)", server.stderr())


def test_filters_use_the_indexes_made_at_import(tmp_path):
    src = tmp_path / "sites.gpkg"
    write_points(src, sites(20000))
    config = tmp_path / "amis.toml"
    config.write_text('[server]\nlog_level = "debug"\n\n[features.collections.sites]\nindexes = [["tonnes", "status"]]\n')
    store = tmp_path / "store.gpkg"
    r = amis("import", src, "--collection", "sites", "--config", config, "--store", store)
    assert r.returncode == 0, r.stderr
    assert "attribute indexes: tonnes+status, iso3, status" in r.stdout, r.stdout
    # Declared (composite), the country property, the category-like status; not the
    # unique code and name, nor a number nobody declared alone.
    assert set(indexes(store)) == {"amis_sites_tonnes_status_idx", "amis_sites_iso3_idx", "amis_sites_status_idx"}

    server = AmisServer(store, tmp_path, name="indexes", config=config)
    server.start()
    try:
        base = f"{server.url}/collections/sites/items"
        for params, column, where, args in (
                ({"filter": "status = 'operating'", "limit": 5}, "status", "status = ?", ("operating",)),
                ({"iso3": "IDN", "limit": 5}, "iso3", "iso3 = ?", ("IDN",))):
            before = len(logged_sql(server, "page"))
            doc = requests.get(base, params=params, timeout=30).json()
            want = rows(store, f"SELECT count(*) FROM sites WHERE {where}", *args)[0][0]
            assert doc["numberMatched"] == want and doc["numberReturned"] == 5, (params, doc.get("numberMatched"))
            pages, counts = logged_sql(server, "page")[before:], logged_sql(server, "count")
            assert len(pages) == 1 and f'"{column}"' in pages[0], pages
            if on_postgis():
                continue  # the plans asked below are SQLite's (EXPLAIN QUERY PLAN of the logged SQL)
            page_plan = plan(store, pages[0])
            assert f"USING INDEX amis_sites_{column}_idx ({column}=?)" in page_plan, (pages[0], page_plan)
            assert "SCAN" not in page_plan and "TEMP B-TREE" not in page_plan, page_plan
            count_plan = plan(store, counts[-1])
            assert f"USING COVERING INDEX amis_sites_{column}_idx" in count_plan, (counts[-1], count_plan)
    finally:
        server.stop()


def test_serve_makes_missing_indexes_and_refuses_unknown_properties(tmp_path):
    src = tmp_path / "sites.gpkg"
    write_points(src, sites(2000))
    store = tmp_path / "store.gpkg"
    r = amis("import", src, "--collection", "sites", "--store", store)
    assert r.returncode == 0, r.stderr
    with contextlib.closing(connect_store(store, write=True)) as db:  # as an older amis left the store
        for name in indexes(store):
            db.execute(f'DROP INDEX "{name}"')
        db.commit()
    assert indexes(store) == {}

    config = tmp_path / "amis.toml"
    config.write_text('[features.collections.sites]\nindexes = ["name"]\n\n[editing]\ncountry_property = "code"\n')
    server = AmisServer(store, tmp_path, name="serve-indexes", config=config)
    server.start()
    server.stop()
    assert set(indexes(store)) == {"amis_sites_name_idx", "amis_sites_code_idx", "amis_sites_status_idx",
                                   "amis_sites_iso3_idx"}
    want = ("CREATE INDEX amis_sites_name_idx ON amis_data.sites USING btree (name)" if on_postgis()
            else "CREATE INDEX \"amis_sites_name_idx\" ON \"sites\" (\"name\")")
    assert want in indexes(store).values(), indexes(store)

    # A declared property the file lacks fails the import before the collection is replaced.
    fids = rows(store, "SELECT fid FROM sites ORDER BY fid")
    config.write_text('[features.collections.sites]\nindexes = ["no_such"]\n')
    r = amis("import", src, "--collection", "sites", "--config", config, "--store", store)
    assert r.returncode == 1 and "no_such" in r.stderr, (r.stdout, r.stderr)
    assert rows(store, "SELECT fid FROM sites ORDER BY fid") == fids and "amis_sites_name_idx" in indexes(store)
