"""Paging with limit/offset and the next/prev links: a client that follows `next` must see
every feature exactly once."""
from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest

from support import COAL_MINES_GPKG, GEOJSON, get_json, link, read_features


@pytest.fixture(scope="module")
def source_mines():
    return read_features(COAL_MINES_GPKG, "coal_mines")


@pytest.fixture(scope="module")
def forward_pages(http, base_url):
    """Every page of coal_mines at limit=500, by following `next` from the first."""
    page = get_json(http, f"{base_url}/collections/coal_mines/items", limit=500)
    pages = [page]
    while (nxt := link(page, "next")) is not None:
        assert nxt.get("type") == GEOJSON
        assert len(pages) < 50, "`next` links do not end"
        page = get_json(http, nxt["href"])
        pages.append(page)
    return pages


def test_next_links_visit_every_feature_once(forward_pages, source_mines):
    ids = [f["id"] for p in forward_pages for f in p["features"]]
    assert len(ids) == len(source_mines) == 3122
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, f"features served twice: {duplicates[:10]}"
    # The same multiset of features as the source (gem_mine_id is not unique on its own).
    served = Counter((f["properties"]["gem_mine_id"], f["properties"]["mine_name"])
                     for p in forward_pages for f in p["features"])
    source = Counter((f.properties["gem_mine_id"], f.properties["mine_name"]) for f in source_mines)
    assert served == source


def test_page_sizes_and_counts(forward_pages, source_mines):
    assert len(forward_pages) == 7  # ceil(3122 / 500)
    for i, p in enumerate(forward_pages):
        assert p["numberMatched"] == len(source_mines), f"page {i}: numberMatched changed"
        assert p["numberReturned"] == len(p["features"])
        assert p["numberReturned"] == (500 if i < 6 else 3122 - 6 * 500)
    assert link(forward_pages[-1], "next") is None


def test_next_link_offsets(forward_pages):
    for i, p in enumerate(forward_pages[:-1]):
        q = parse_qs(urlsplit(link(p, "next")["href"]).query)
        assert q["limit"] == ["500"]
        assert int(q["offset"][0]) == 500 * (i + 1)


def test_prev_links_walk_back_to_the_first_page(http, forward_pages):
    assert link(forward_pages[0], "prev") is None, "the first page has a prev link"
    page = forward_pages[-1]
    back = [page]
    while (prev := link(page, "prev")) is not None:
        assert len(back) < 50
        page = get_json(http, prev["href"])
        back.append(page)
    back.reverse()
    assert [[f["id"] for f in p["features"]] for p in back] == \
        [[f["id"] for f in p["features"]] for p in forward_pages]


def test_prev_from_an_unaligned_offset_does_not_go_negative(http, base_url):
    page = get_json(http, f"{base_url}/collections/coal_mines/items", limit=500, offset=200)
    prev = link(page, "prev")
    assert prev is not None
    q = parse_qs(urlsplit(prev["href"]).query)
    assert int(q.get("offset", ["0"])[0]) == 0
    first = get_json(http, prev["href"])
    direct = get_json(http, f"{base_url}/collections/coal_mines/items", limit=500)
    assert [f["id"] for f in first["features"]] == [f["id"] for f in direct["features"]]


def test_offset_and_limit_select_a_window(http, base_url):
    everything = get_json(http, f"{base_url}/collections/coal_mines/items", limit=10000)["features"]
    window = get_json(http, f"{base_url}/collections/coal_mines/items", limit=37, offset=1234)
    assert [f["id"] for f in window["features"]] == [f["id"] for f in everything[1234:1271]]


def test_offset_past_the_end(http, base_url):
    page = get_json(http, f"{base_url}/collections/coal_mines/items", limit=100, offset=5000)
    assert page["features"] == []
    assert page["numberReturned"] == 0
    assert page["numberMatched"] == 3122
    assert link(page, "next") is None


def test_paging_keeps_the_filters(http, base_url, source_mines):
    expected = sorted((f.properties["gem_mine_id"], f.properties["mine_name"])
                      for f in source_mines if f.properties["iso3"] == "IDN"
                      and f.properties["status"] == "Operating")
    page = get_json(http, f"{base_url}/collections/coal_mines/items", limit=40, iso3="IDN", status="Operating")
    seen = []
    while True:
        assert page["numberMatched"] == len(expected)
        seen += page["features"]
        nxt = link(page, "next")
        if nxt is None:
            break
        q = parse_qs(urlsplit(nxt["href"]).query)
        assert q["iso3"] == ["IDN"] and q["status"] == ["Operating"], nxt["href"]
        page = get_json(http, nxt["href"])
    assert sorted((f["properties"]["gem_mine_id"], f["properties"]["mine_name"]) for f in seen) == expected


def test_default_limit_is_10(http, base_url):
    page = get_json(http, f"{base_url}/collections/coal_mines/items")
    assert page["numberReturned"] == 10
    assert link(page, "next") is not None


def test_items_links(http, base_url):
    page = get_json(http, f"{base_url}/collections/coal_mines/items", limit=5, offset=5)
    assert link(page, "self", GEOJSON) is not None
    assert link(page, "alternate", "text/html") is not None
    assert link(page, "collection") is not None
    assert get_json(http, link(page, "collection")["href"])["id"] == "coal_mines"
    again = get_json(http, link(page, "self")["href"])
    assert [f["id"] for f in again["features"]] == [f["id"] for f in page["features"]]


@pytest.mark.parametrize("name,value,limit", [
    ("coal_grade", "Thermal & Met", 100),
    ("owners", "Barkol Fengxin Mining Co Ltd=VLOOKUP(Y2244,'China Workingsheet'!X:Y, 2, FALSE)", 1),
    ("owners", "Shanxi Gujiao Coal & Coking Group Hongfu Coal Industry Co., Ltd.", 1),
])
def test_next_links_keep_awkward_filter_values(http, base_url, source_mines, name, value, limit):
    """Values with '&', '=', quotes, commas and '!' must survive the round trip through
    the next links unchanged."""
    expected = sum(1 for f in source_mines if f.properties[name] == value)
    assert expected >= 1
    features, pages = [], [get_json(http, f"{base_url}/collections/coal_mines/items", limit=limit, **{name: value})]
    while True:
        assert pages[-1]["numberMatched"] == expected
        features += pages[-1]["features"]
        nxt = link(pages[-1], "next")
        if nxt is None:
            break
        assert parse_qs(urlsplit(nxt["href"]).query)[name] == [value]
        pages.append(get_json(http, nxt["href"]))
    assert len(features) == expected
    assert {f["properties"][name] for f in features} == {value}
