"""OGC API - Records search (q, bbox, datetime, type, ids, externalIds, filter, sortby,
paging, facets) compared with answers computed here from the records themselves:
SQLite FTS5 from Python for q, plain Python for the rest (catalog_support)."""
from __future__ import annotations

import time

import pytest

from catalog_support import (RECORDS, all_records, bbox_ids, datetime_ids, facet_counts, fts_ids)
from support import get_json

ITEMS = "/collections/catalog/items"


@pytest.fixture(scope="module")
def records(http, url):
    return all_records(http, url)


def ids(http, url, **params) -> list[str]:
    return [r["id"] for r in all_records(http, url, **params)]


def test_every_collection_and_style_has_a_record(records):
    found = {r["id"] for r in records}
    assert {f"amis:collection:syn_{i:02d}" for i in range(RECORDS)} <= found
    assert "amis:style:syn_01:by-status" in found
    assert len(found) == len(records) == RECORDS + 1


@pytest.mark.parametrize("q", ["gold", "mine", "mining", "Myanmar", "iron ore", "rare earths,tin",
                               "O'Brien", "surveyed national", "colonial", "\"quoted\"", "NEAR(gold)", "*"])
def test_q_matches_sqlite_fts5(http, url, records, q):
    terms = [t.strip() for t in q.split(",") if t.strip()]
    got = ids(http, url, q=q)
    assert len(got) == len(set(got))
    assert set(got) == fts_ids(records, terms)


def test_q_ranks_a_title_match_first(http, url):
    got = ids(http, url, q="bauxite")
    assert got, "bauxite is in some titles"
    first = get_json(http, f"{url}{ITEMS}/{got[0]}")
    assert "Bauxite" in first["properties"]["title"]


@pytest.mark.parametrize("box", [(100, 0, 110, 10), (95, 18, 97, 25), (0, 0, 10, 10), (121.9, 11.9, 122.1, 12.1),
                                 (170, -10, 100, 20)])
def test_bbox_matches_python(http, url, records, box):
    got = ids(http, url, bbox=",".join(map(str, box)))
    assert set(got) == bbox_ids(records, box)


@pytest.mark.parametrize("interval,start,end", [
    ("2000-01-01/2005-12-31", "2000-01-01T00:00:00.000Z", "2005-12-31T23:59:59.999Z"),
    ("../1991-01-01", None, "1991-01-01T23:59:59.999Z"),
    ("2030-06-01/..", "2030-06-01T00:00:00.000Z", None),
    ("2010-12-31", "2010-12-31T00:00:00.000Z", "2010-12-31T23:59:59.999Z"),
])
def test_datetime_matches_python(http, url, records, interval, start, end):
    assert set(ids(http, url, datetime=interval)) == datetime_ids(records, start, end)


def test_type_ids_and_external_ids(http, url, records):
    assert ids(http, url, type="map") == ["amis:style:syn_01:by-status"]
    assert set(ids(http, url, type="dataset")) == {r["id"] for r in records if r["properties"]["type"] == "dataset"}
    wanted = ["amis:collection:syn_03", "amis:collection:syn_07", "no-such-record"]
    assert set(ids(http, url, ids=",".join(wanted))) == set(wanted[:2])
    assert ids(http, url, externalIds="nothing-has-this") == []


def test_filter_and_sortby_match_python(http, url, records):
    expected = sorted((r["properties"]["title"], r["id"]) for r in records if "Gold" in r["properties"]["title"])
    got = all_records(http, url, filter="title LIKE '%Gold%'", sortby="title")
    assert [(r["properties"]["title"], r["id"]) for r in got] == expected
    desc = all_records(http, url, sortby="-title")
    assert [r["properties"]["title"] for r in desc] == sorted((r["properties"]["title"] for r in records), reverse=True)
    json_filter = '{"op": "a_contains", "args": [{"property": "keywords"}, ["coal"]]}'
    got = ids(http, url, filter=json_filter, **{"filter-lang": "cql2-json"})
    assert set(got) == {r["id"] for r in records if "coal" in r["properties"].get("keywords", [])}
    inside = ids(http, url, filter="S_INTERSECTS(geometry, POINT(96 21))")
    assert set(inside) == bbox_ids(records, (96, 21, 96, 21))


@pytest.mark.parametrize("params", [{}, {"q": "mine"}, {"sortby": "-updated"}, {"bbox": "90,-10,130,30"}])
def test_paging_to_the_end_loses_and_repeats_nothing(http, url, params):
    everything = ids(http, url, **params)
    seen, pages = [], 0
    page = get_json(http, url + ITEMS, limit=4, **params)
    while True:
        pages += 1
        assert page["numberMatched"] == len(everything)
        assert page["numberReturned"] == len(page["features"])
        seen += [r["id"] for r in page["features"]]
        nxt = [link["href"] for link in page["links"] if link["rel"] == "next"]
        if not nxt:
            break
        page = get_json(http, nxt[0])
    assert seen == everything
    assert len(set(seen)) == len(seen)
    assert pages == max(1, -(-len(everything) // 4))


@pytest.mark.parametrize("params", [{}, {"q": "mine"}, {"bbox": "100,0,125,25"}])
def test_facets_match_python(http, url, params):
    """Asked three times: the first search of a records version counts its facets in SQL, and
    the later ones, once the GeoPackage store has built the facet terms in memory in the
    background, from there (store/facet_index.hpp); every answer is the same."""
    matching = all_records(http, url, **params)
    expected = facet_counts(matching)
    for attempt in range(3):
        page = get_json(http, url + ITEMS, limit=1, facets="true", **params)
        assert page["numberMatched"] == len(matching)
        for name, facet in page["facets"].items():
            got = {b["value"]: b["count"] for b in facet["buckets"]}
            assert got == expected[name], (attempt, name)
            counts = [b["count"] for b in facet["buckets"]]
            assert counts == sorted(counts, reverse=True)
        time.sleep(0.5)
    one = get_json(http, url + ITEMS, limit=1, facets="type,format")
    assert set(one["facets"]) == {"type", "format"}
