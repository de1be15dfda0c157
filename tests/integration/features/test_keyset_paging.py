"""Keyset paging (issue 14): in id order, `next` links carry `after=<last id>` so that a deep
page is a range read like the first; `offset` stays as the page's position. The expected pages
are computed from the source data (OGR) and the grid's own arithmetic, not from AMIS."""
from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest

from support import COAL_MINES_GPKG, get_json, link, read_features
from synthetic_data import GRID_COUNT, grid_point


def page_params(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def follow(http, url: str, **params) -> list[dict]:
    page = get_json(http, url, **params)
    pages = [page]
    while (nxt := link(page, "next")) is not None:
        assert len(pages) < 200, "`next` links do not end"
        page = get_json(http, nxt["href"])
        pages.append(page)
    return pages


def test_next_links_carry_the_last_id_and_the_position(http, base_url):
    pages = follow(http, f"{base_url}/collections/coal_mines/items", limit=700)
    for i, page in enumerate(pages[:-1]):
        q = page_params(link(page, "next")["href"])
        assert int(q["after"]) == page["features"][-1]["id"]
        assert int(q["offset"]) == 700 * (i + 1)


def test_keyset_pages_of_a_filter_visit_every_match_once(http, base_url):
    """A property filter followed to the end: the served features are exactly the source's matches."""
    source = Counter((f.properties["gem_mine_id"], f.properties["mine_name"])
                     for f in read_features(COAL_MINES_GPKG, "coal_mines")
                     if f.properties["status"] == "Operating")
    assert len(source) > 600
    pages = follow(http, f"{base_url}/collections/coal_mines/items", limit=250, status="Operating")
    assert len(pages) > 2
    served = [f for p in pages for f in p["features"]]
    ids = [f["id"] for f in served]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert Counter((f["properties"]["gem_mine_id"], f["properties"]["mine_name"]) for f in served) == source
    for p in pages:  # numberMatched is the whole match on every page, not the rest after the key
        assert p["numberMatched"] == sum(source.values())


def test_a_deep_keyset_page_is_the_grid_range(grid_http, grid_server):
    """after=N in the 200,000-point grid gives ids N+1.. (the grid's fids follow its seq)."""
    url = f"{grid_server.url}/collections/grid/items"
    after = GRID_COUNT - 1000
    page = get_json(grid_http, url, limit=10, after=after, offset=after)
    assert [f["id"] for f in page["features"]] == list(range(after + 1, after + 11))
    assert [f["properties"]["seq"] for f in page["features"]] == list(range(after, after + 10))
    assert page["features"][0]["geometry"]["coordinates"] == pytest.approx(list(grid_point(after)))
    assert page["numberMatched"] == GRID_COUNT
    q = page_params(link(page, "next")["href"])
    assert (int(q["after"]), int(q["offset"])) == (after + 10, after + 10)
    assert int(page_params(link(page, "prev")["href"])["offset"]) == after - 10


def test_the_last_keyset_page_has_no_next_link(grid_http, grid_server):
    page = get_json(grid_http, f"{grid_server.url}/collections/grid/items", limit=10,
                    after=GRID_COUNT - 4, offset=GRID_COUNT - 4)
    assert [f["id"] for f in page["features"]] == [GRID_COUNT - 3, GRID_COUNT - 2, GRID_COUNT - 1, GRID_COUNT]
    assert link(page, "next") is None


def test_keyset_with_a_bbox_counts_the_whole_match(grid_http, grid_server):
    # Rows 0..3 of the grid (latitudes -10 .. -9.25), columns 0..99 (longitudes 90 .. 94.95).
    box = "89.99,-10.01,94.96,-9.24"
    first = get_json(grid_http, f"{grid_server.url}/collections/grid/items", limit=50, bbox=box)
    second = get_json(grid_http, link(first, "next")["href"])
    assert first["numberMatched"] == second["numberMatched"] == 400
    expected = sorted(r * 1000 + c + 1 for r in range(4) for c in range(100))
    assert [f["id"] for f in first["features"] + second["features"]] == expected[:100]


def test_html_next_link_is_keyset(http, base_url):
    r = http.get(f"{base_url}/collections/coal_mines/items", params={"f": "html", "limit": 20})
    assert r.status_code == 200
    assert "&amp;offset=20&amp;after=" in r.text


@pytest.mark.parametrize("params, fragment", [
    ({"after": "x"}, "after"),
    ({"after": "1", "sortby": "mine_name"}, "sortby"),
])
def test_bad_keyset_requests_are_400(http, base_url, params, fragment):
    r = http.get(f"{base_url}/collections/coal_mines/items", params=params)
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "InvalidParameterValue"
    assert fragment in body["description"]
