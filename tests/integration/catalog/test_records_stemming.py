"""Full text with English stems (Porter2) on both stores: a word finds the records
that hold any form of it with the same stem, checked against hand-picked word
forms (plain Python over the records as served) and against SQLite FTS5 over the
stems of Snowball's own C library (catalog_support.fts_ids); ranking still puts
title matches first; CSW's AnyText stays a substring search."""
from __future__ import annotations

import re

import pytest

from catalog_support import all_records, fts_ids, snowball_stem
from support import get_json

ITEMS = "/collections/catalog/items"

# A searched word and the forms of it in the synthetic records (catalog_support)
# that share its stem, worked out by hand from the Porter2 rules.
FORMS = {
    "deposit": {"deposits"},
    "deposited": {"deposits"},
    "mine": {"mines", "mined", "mining"},
    "mining": {"mines", "mined", "mining"},
    "occurrence": {"occurrences"},
    "survey": {"surveyed", "survey"},
    "surveying": {"surveyed", "survey"},
    "licence": {"licences"},
    "compile": {"compiled"},
    "grant": {"granted"},
    "colony": {"colonial"},
    "nationally": {"national"},
    "periods": {"period"},
    "recent": {"recently"},
}


@pytest.fixture(scope="module")
def records(http, url):
    return all_records(http, url)


def words_of(record: dict) -> set[str]:
    p = record["properties"]
    text = " ".join([p["title"], " ".join(p.get("keywords", [])), p.get("description", "")])
    return set(re.findall(r"[a-z]+", text.lower()))


def ids(http, url, **params) -> set[str]:
    found = [r["id"] for r in all_records(http, url, **params)]
    assert len(found) == len(set(found))
    return set(found)


@pytest.mark.parametrize("word", sorted(FORMS))
def test_a_word_finds_every_form_with_its_stem(http, url, records, word):
    expected = {r["id"] for r in records if words_of(r) & FORMS[word]}
    assert expected, f"the synthetic records hold a form of {word}"
    assert {snowball_stem(f) for f in FORMS[word]} == {snowball_stem(word)}
    assert ids(http, url, q=word) == expected


@pytest.mark.parametrize("q", ["deposit", "mined", "MINING", "surveys", "licenced", "compiling", "colonies",
                               "deposits of gold", "mine,occurrence", "gold mined", "Coal Mines", "partner"])
def test_q_matches_fts5_over_snowball_stems(http, url, records, q):
    terms = [t.strip() for t in q.split(",") if t.strip()]
    assert ids(http, url, q=q) == fts_ids(records, terms)


def test_stemmed_search_ranks_a_title_match_first(http, url, records):
    """No title says "mined"; the stem finds the titles with "Mines" and puts one first."""
    assert not any("mined" in r["properties"]["title"].lower() for r in records)
    page = get_json(http, f"{url}{ITEMS}", q="mined", limit=5)
    assert page["numberMatched"] > 5
    assert "mines" in page["features"][0]["properties"]["title"].lower()


def test_csw_anytext_stays_a_substring_search(http, url, records):
    """PropertyIsLike on AnyText finds the records whose text holds the letters, not
    the stem: '%mined%' finds the records with "mined", not those with only "mining"."""
    body = """<csw:GetRecords xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:ogc="http://www.opengis.net/ogc"
 service="CSW" version="2.0.2" resultType="results" maxRecords="1000" outputSchema="http://www.opengis.net/cat/csw/2.0.2">
<csw:Query typeNames="csw:Record"><csw:ElementSetName>brief</csw:ElementSetName><csw:Constraint version="1.1.0">
<ogc:Filter><ogc:PropertyIsLike wildCard="%" singleChar="_" escapeChar="\\"><ogc:PropertyName>AnyText</ogc:PropertyName>
<ogc:Literal>%mined%</ogc:Literal></ogc:PropertyIsLike></ogc:Filter></csw:Constraint></csw:Query></csw:GetRecords>"""
    r = http.post(f"{url}/csw", data=body.encode(), headers={"Content-Type": "application/xml"})
    assert r.status_code == 200, r.text
    got = set(re.findall(r"<dc:identifier>([^<]+)</dc:identifier>", r.text))
    expected = {rec["id"] for rec in records if "mined" in " ".join(
        [rec["properties"]["title"], " ".join(rec["properties"].get("keywords", [])),
         rec["properties"].get("description", "")]).lower()}
    assert expected and got == expected
    assert any("mining" in words_of(rec) and rec["id"] not in got for rec in records)
