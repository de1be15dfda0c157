"""WFS 2.0 response paging (ImplementsResultPaging): COUNT/STARTINDEX over a whole
collection returns every feature exactly once; `next` is there exactly when more features
follow and `previous` exactly when some precede; following `next` keeps the query
(BBOX, FILTER, SORTBY) and visits every matching feature once."""
from __future__ import annotations

import math
from urllib.parse import urlsplit

import pytest

from support import intersects_bbox
from wfs_support import (counts, fes_filter, get_feature_body, get_features, gml_features,
                         post_features, served_ids, xml_response)


def follow_next(http, doc, limit: int = 200) -> list:
    """The documents reached by following `next` from `doc` (doc included)."""
    docs = [doc]
    while docs[-1].get("next"):
        assert len(docs) < limit, "too many pages: a `next` loop?"
        docs.append(xml_response(http.get(docs[-1].get("next"), timeout=120)))
    return docs


@pytest.mark.parametrize("count", [500, 1000, 3122, 3121, 777])
def test_start_index_pages_cover_the_collection_once(http, base_url, wfs_expected, count):
    total = len(wfs_expected("coal_mines").by_id)
    seen = []
    for start in range(0, total, count):
        doc, features = get_features(http, base_url, TYPENAMES="amis:coal_mines", COUNT=count, STARTINDEX=start,
                                     PROPERTYNAME="mine_name")
        assert counts(doc) == (total, min(count, total - start))
        assert len(features) == min(count, total - start)
        assert bool(doc.get("next")) == (start + count < total), f"start {start}: next={doc.get('next')!r}"
        assert bool(doc.get("previous")) == (start > 0), f"start {start}: previous={doc.get('previous')!r}"
        seen += served_ids(features, "coal_mines")
    assert len(seen) == len(set(seen)) == total
    assert set(seen) == set(wfs_expected("coal_mines").by_id)


def test_following_next_visits_every_feature_once(http, base_url, wfs_expected):
    doc, _ = get_features(http, base_url, TYPENAMES="amis:coal_mines", COUNT=400)
    docs = follow_next(http, doc)
    ids = [i for d in docs for i in served_ids(gml_features(d), "coal_mines")]
    assert len(docs) == math.ceil(len(wfs_expected("coal_mines").by_id) / 400)
    assert len(ids) == len(set(ids)) == len(wfs_expected("coal_mines").by_id)
    assert not docs[-1].get("next")


def test_next_and_previous_lead_to_the_neighbouring_pages(http, base_url):
    doc, features = get_features(http, base_url, TYPENAMES="amis:countries", COUNT=5, STARTINDEX=2,
                                 SORTBY="iso3")
    assert urlsplit(doc.get("next")).path.endswith("/wfs")
    after = gml_features(xml_response(http.get(doc.get("next"), timeout=60)))
    before = gml_features(xml_response(http.get(doc.get("previous"), timeout=60)))
    _, direct_after = get_features(http, base_url, TYPENAMES="amis:countries", COUNT=5, STARTINDEX=7, SORTBY="iso3")
    _, direct_before = get_features(http, base_url, TYPENAMES="amis:countries", COUNT=5, STARTINDEX=0,
                                    SORTBY="iso3")
    assert [f.gml_id for f in after] == [f.gml_id for f in direct_after]
    # previous of startIndex 2 with count 5: the page that starts at 0 (2 or 5 features)
    assert [f.gml_id for f in before] == [f.gml_id for f in direct_before][:len(before)]
    assert len(before) in (2, 5)


def test_next_keeps_the_bbox(http, base_url, wfs_expected):
    box = (95.0, -11.0, 141.0, 6.0)
    want = wfs_expected("coal_mines").ids_where(lambda f: intersects_bbox(f.geometry, box))
    doc, _ = get_features(http, base_url, TYPENAMES="amis:coal_mines", COUNT=100,
                          BBOX=f"{box[1]},{box[0]},{box[3]},{box[2]}")
    docs = follow_next(http, doc)
    ids = [i for d in docs for i in served_ids(gml_features(d), "coal_mines")]
    assert len(ids) == len(set(ids)) and set(ids) == want
    assert all(int(d.get("numberMatched")) == len(want) for d in docs)


def test_next_keeps_the_filter_and_sort_order(http, base_url, wfs_expected):
    exp = wfs_expected("coal_mines")
    flt = fes_filter('<fes:PropertyIsEqualTo><fes:ValueReference>amis:status</fes:ValueReference>'
                     '<fes:Literal>Operating</fes:Literal></fes:PropertyIsEqualTo>', declare=True)
    doc, _ = get_features(http, base_url, TYPENAMES="amis:coal_mines", COUNT=300, FILTER=flt,
                          SORTBY="gem_mine_id ASC", PROPERTYNAME="gem_mine_id,status")
    docs = follow_next(http, doc)
    features = [f for d in docs for f in gml_features(d)]
    want = exp.layer_ids("status = 'Operating'")
    assert sorted(served_ids(features, "coal_mines")) == sorted(want)
    keys = [f.properties["gem_mine_id"] for f in features]
    assert keys == sorted(keys), "sort order lost across pages"


def test_start_index_past_the_end_is_empty(http, base_url, wfs_expected):
    total = len(wfs_expected("coal_mines").by_id)
    doc, features = get_features(http, base_url, TYPENAMES="amis:coal_mines", COUNT=10, STARTINDEX=total + 5)
    assert features == []
    assert counts(doc) == (total, 0)
    assert not doc.get("next")


def test_start_index_without_count_returns_the_rest(http, base_url, wfs_expected):
    total = len(wfs_expected("countries").by_id)
    doc, features = get_features(http, base_url, TYPENAMES="amis:countries", STARTINDEX=10)
    assert len(features) == total - 10
    assert not doc.get("next")


def test_sorted_pages_concatenate_to_the_sorted_whole(http, base_url):
    whole_doc, whole = get_features(http, base_url, TYPENAMES="amis:mine_facilities",
                                    SORTBY="facility_id DESC", PROPERTYNAME="facility_id")
    pages = []
    for start in range(0, len(whole), 60):
        _, features = get_features(http, base_url, TYPENAMES="amis:mine_facilities", SORTBY="facility_id DESC",
                                   PROPERTYNAME="facility_id", COUNT=60, STARTINDEX=start)
        pages += features
    assert [f.properties["facility_id"] for f in pages] == [f.properties["facility_id"] for f in whole]


def test_post_paging_attributes(http, base_url, wfs_expected):
    total = len(wfs_expected("mine_facilities").by_id)
    seen = []
    for start in range(0, total, 100):
        doc, features = post_features(http, base_url, get_feature_body(
            "amis:mine_facilities", attrs=f'count="100" startIndex="{start}"'))
        assert counts(doc) == (total, min(100, total - start))
        assert bool(doc.get("next")) == (start + 100 < total)
        seen += served_ids(features, "mine_facilities")
    assert sorted(seen) == sorted(wfs_expected("mine_facilities").by_id)
