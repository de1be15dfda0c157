"""Distributed search (issue 16): a catalogue search on the regional node that includes the
live national nodes, through OGC API - Records (items?federated=true&hopCount=N) and CSW 2.0.2
(GetRecords with csw:DistributedSearch, XML through OWSLib and KVP).

Nodes on loopback: two national AMIS nodes (one asked over OGC API - Records as kind amis,
one over CSW as kind csw; both hold the same generated ISO records, so every one of those is
a duplicate by identifier), a slow node (a Python HTTP server that sleeps beyond the deadline)
and a node that answers malformed XML. The regional node has harvested the first national
node, so its own copies are duplicates by provenance source id.

Oracle: each source read directly with OWSLib's CSW client (local searches only), merged by
the rule (one record per resource: a harvested copy "nat_a:X" is X), never the regional
node's distributed answer."""
from __future__ import annotations

import re

import time
from pathlib import Path

import pytest
import requests
from owslib.csw import CatalogueServiceWeb

from federation_support import (ADMIN_TOKEN, LoopbackServer, build_national_store, build_regional_store,
                                harvest, node, start)
from csw_support import assert_schema_valid  # noqa: E402 (on the path federation_support sets)

ISO_RECORDS = 12
DEADLINE = 4.0     # [federation] search_deadline_seconds of the regional node
MARGIN = 3.0       # the answer's own work on top of the deadline (CI's loaded 2-core machine)
SLOW_SLEEP = 12.0  # the slow node answers long after the deadline
MALFORMED = b"<?xml version='1.0'?><csw:GetRecordsResponse xmlns:csw='http://www.opengis.net/cat/csw/2.0.2'><broken"


def national(tmp_path_factory, name: str):
    work = tmp_path_factory.mktemp(name)
    server = start(build_national_store(work, ISO_RECORDS), work / "logs", name)
    yield server
    alive = server.alive()
    server.stop()
    assert alive, server.stderr()


@pytest.fixture(scope="module")
def nat_a(tmp_path_factory, amis_bin):
    yield from national(tmp_path_factory, "nat-a")


@pytest.fixture(scope="module")
def nat_b(tmp_path_factory, amis_bin):
    yield from national(tmp_path_factory, "nat-b")


def sleepy(path: str):
    time.sleep(SLOW_SLEEP)
    return 200, {"Content-Type": "application/xml"}, MALFORMED


@pytest.fixture(scope="module")
def slow():
    with LoopbackServer(sleepy) as server:
        yield server


@pytest.fixture(scope="module")
def malformed():
    with LoopbackServer(lambda path: (200, {"Content-Type": "application/xml"}, MALFORMED)) as server:
        yield server


@pytest.fixture(scope="module")
def regional(tmp_path_factory, amis_bin, nat_a, nat_b, slow, malformed):
    work = tmp_path_factory.mktemp("regional-dsearch")
    store = build_regional_store(work)
    config = work / "amis.toml"
    config.write_text(f'[admin]\ntoken = "{ADMIN_TOKEN}"\n\n[federation]\nharvest_concurrency = 0\n'
                      f'timeout_seconds = 10\nretries = 0\nsearch_deadline_seconds = {DEADLINE}\n')
    for args in (["nat_a", nat_a.url, "--kind", "amis", "--country", "IDN"],
                 ["nat_b", nat_b.url + "/csw", "--kind", "csw", "--country", "MYS"],
                 ["slow", f"http://127.0.0.1:{slow.port}/csw", "--kind", "csw", "--country", "THA"],
                 ["broken", f"http://127.0.0.1:{malformed.port}/csw", "--kind", "csw", "--country", "PHL"]):
        done, _ = node(store, "add", *args, "--schedule", "off")
        assert done.returncode == 0, done.stdout + done.stderr
    code, report = harvest(store, "nat_a", config=config)
    assert code == 0 and report["added"] > ISO_RECORDS, report
    server = start(store, work / "logs", "regional", config)
    yield server
    alive = server.alive()
    server.stop()
    assert alive, server.stderr()


def csw_ids(url: str) -> list[str]:
    """Every record id of a catalogue, local search only, read with OWSLib page after page."""
    csw = CatalogueServiceWeb(url + "/csw", timeout=60)
    ids: list[str] = []
    position = 1
    while True:
        csw.getrecords2(esn="brief", startposition=position, maxrecords=100)
        ids.extend(csw.records.keys())
        if not csw.results["nextrecord"] or csw.results["nextrecord"] > csw.results["matches"]:
            return ids
        position = csw.results["nextrecord"]


def resource(record_id: str) -> str:
    """The resource a record describes: a harvested copy "nat_a:X" is X."""
    return record_id.split(":", 1)[1] if record_id.startswith("nat_a:") else record_id


@pytest.fixture(scope="module")
def expected(regional, nat_a, nat_b) -> set[str]:
    merged = {resource(i) for i in csw_ids(regional.url)} | set(csw_ids(nat_a.url)) | set(csw_ids(nat_b.url))
    assert len(merged) > ISO_RECORDS
    return merged


def serves(server) -> bool:
    return requests.get(server.url + "/collections", params={"f": "json"}, timeout=10).status_code == 200


def outcomes(doc: dict) -> dict[str, dict]:
    return {n["node"]: n for n in doc["federation"]["nodes"]}


def test_records_search_merges_the_nodes_and_names_the_slow_one(regional, expected, slow):
    started = time.monotonic()
    r = requests.get(regional.url + "/collections/catalog/items",
                     params={"federated": "true", "limit": 1000}, timeout=30)
    elapsed = time.monotonic() - started
    assert r.status_code == 200, r.text
    doc = r.json()
    nodes = outcomes(doc)
    print(f"\nfederated Records search with one slow node: {elapsed:.3f} s (deadline {DEADLINE} s); nodes: " +
          ", ".join(f"{n} {o['status']} {o['seconds']} s" for n, o in sorted(nodes.items())))
    assert DEADLINE - 0.1 <= elapsed <= DEADLINE + MARGIN, elapsed
    assert nodes["slow"]["status"] == "cut-off", nodes
    assert nodes["broken"]["status"] == "failed" and nodes["broken"]["reason"], nodes
    assert "127.0.0.1" not in nodes["broken"]["reason"]
    assert nodes["nat_a"]["status"] == "answered" and nodes["nat_b"]["status"] == "answered", nodes
    assert doc["federation"]["hopCount"] == 2 and doc["federation"]["deadlineSeconds"] == DEADLINE
    got = [resource(f["id"]) for f in doc["features"]]
    assert len(got) == len(set(got)), "a resource appears twice"
    assert set(got) == expected
    assert doc["numberReturned"] == len(expected) and doc["numberMatched"] == len(expected)
    assert slow.asked, "the slow node was asked"
    assert serves(regional)


def test_records_search_counts_facets_over_the_merged_records(regional, expected):
    """facets with federated=true: counted over the merged records, each once. Oracle: the
    same counts made here from the answer's own features (type, country, keywords)."""
    r = requests.get(regional.url + "/collections/catalog/items",
                     params={"federated": "true", "limit": 1000, "facets": "type,country,keyword"}, timeout=30)
    assert r.status_code == 200, r.text
    doc = r.json()
    features = doc["features"]
    assert doc["federation"]["facetsOver"] == len(features) == doc["numberMatched"] == len(expected)

    def counted(values_of) -> dict[str, int]:
        counts: dict[str, int] = {}
        for f in features:
            for v in set(values_of(f["properties"])):
                counts[v] = counts.get(v, 0) + 1
        return counts

    def buckets(field: str) -> dict[str, int]:
        listed = doc["facets"][field]["buckets"]
        order = [(-b["count"], b["value"].encode()) for b in listed]
        assert order == sorted(order), f"{field}: not by count, then value"
        return {b["value"]: b["count"] for b in listed}

    assert buckets("type") == counted(lambda p: [p["type"]])
    assert buckets("country") == counted(lambda p: [p["country"]] if p.get("country") else [])
    keywords = counted(lambda p: [k for k in p.get("keywords", []) if k])
    assert len(keywords) <= 50 or len(doc["facets"]["keyword"]["buckets"]) == 50
    for value, count in buckets("keyword").items():
        assert keywords[value] == count, value
    # a page of the merged list counts the same records (the window is offset + limit of each source)
    page = requests.get(regional.url + "/collections/catalog/items",
                        params={"federated": "true", "limit": 5, "facets": "type"}, timeout=30).json()
    assert page["federation"]["facetsOver"] >= 5 and len(page["features"]) == 5
    assert sum(b["count"] for b in page["facets"]["type"]["buckets"]) == page["federation"]["facetsOver"]


def test_records_search_pages_over_the_merged_list(regional, expected):
    seen: list[str] = []
    url, params = regional.url + "/collections/catalog/items", {"federated": "true", "limit": 7}
    for _ in range(20):
        doc = requests.get(url, params=params, timeout=30).json()
        seen.extend(resource(f["id"]) for f in doc["features"])
        nxt = [link["href"] for link in doc["links"] if link["rel"] == "next"]
        if not nxt:
            break
        url, params = nxt[0], None
    assert len(seen) == len(set(seen)) and set(seen) == expected


def test_records_search_with_q_asks_the_nodes_the_same_question(regional, nat_a, nat_b):
    term = "nickel"
    doc = requests.get(regional.url + "/collections/catalog/items",
                       params={"federated": "true", "q": term, "limit": 100}, timeout=30).json()
    direct = set()
    for url in (regional.url, nat_a.url, nat_b.url):
        local = requests.get(url + "/collections/catalog/items", params={"q": term, "limit": 100}, timeout=30).json()
        direct |= {resource(f["id"]) for f in local["features"]}
    got = [resource(f["id"]) for f in doc["features"]]
    assert direct and len(got) == len(set(got))
    # nat_b is a CSW node: q goes to it as csw:AnyText LIKE '%nickel%', a superset of the
    # Records full-text match; every Records match is there.
    assert direct <= set(got)


def test_hop_count_one_searches_here_only(regional, slow):
    asked = len(slow.asked)
    started = time.monotonic()
    doc = requests.get(regional.url + "/collections/catalog/items",
                       params={"federated": "true", "hopCount": 1, "limit": 1000}, timeout=30).json()
    assert time.monotonic() - started < DEADLINE
    assert doc["federation"]["nodes"] == [] and len(slow.asked) == asked
    local = requests.get(regional.url + "/collections/catalog/items", params={"limit": 1000}, timeout=30).json()
    assert [f["id"] for f in doc["features"]] == [f["id"] for f in local["features"]]


def test_csw_distributed_search_through_owslib(regional, expected, slow):
    asked = len(slow.asked)
    csw = CatalogueServiceWeb(regional.url + "/csw", timeout=60)
    started = time.monotonic()
    csw.getrecords2(esn="brief", maxrecords=500, distributedsearch=True, hopcount=2)
    elapsed = time.monotonic() - started
    print(f"\nCSW DistributedSearch with one slow node: {elapsed:.3f} s (deadline {DEADLINE} s)")
    assert elapsed <= DEADLINE + MARGIN
    got = [resource(i) for i in csw.records]
    assert len(got) == len(set(got)) and set(got) == expected
    assert csw.results["matches"] == len(expected)
    forwarded = slow.asked[asked:]
    assert forwarded and all("request=GetRecords" in p for p in forwarded)
    # hopCount 2 arrives as 1 at the node: it searches only itself.
    assert all("hopCount=1" in p and "distributedSearch=true" in p for p in forwarded), forwarded


def test_csw_kvp_names_the_cut_off_and_failed_nodes_in_a_warning(regional, expected):
    r = requests.get(regional.url + "/csw", params={
        "service": "CSW", "version": "2.0.2", "request": "GetRecords", "typeNames": "csw:Record",
        "resultType": "results", "elementSetName": "brief", "maxRecords": 500,
        "distributedSearch": "true", "hopCount": 3}, timeout=30)
    assert r.status_code == 200, r.text
    warning = r.headers.get("Warning", "")
    assert warning.startswith("199 amis ") and "node 'slow' cut-off" in warning and "node 'broken' failed" in warning
    assert "nat_a" not in warning and "127.0.0.1" not in warning
    assert "Warning" in r.headers["Access-Control-Expose-Headers"]  # a browser's CSW client reads it too
    assert 'numberOfRecordsMatched="%d"' % len(expected) in r.text
    assert_schema_valid(r.content)  # the answer stays a valid CSW 2.0.2 document
    iso = requests.get(regional.url + "/csw", params={
        "service": "CSW", "version": "2.0.2", "request": "GetRecords", "typeNames": "gmd:MD_Metadata",
        "outputSchema": "http://www.isotc211.org/2005/gmd", "resultType": "results", "elementSetName": "full",
        "maxRecords": 500, "distributedSearch": "true", "hopCount": 2}, timeout=30)
    # The same nodes with the same outcome (a cut-off's reason says whether the node's own request
    # or the search's deadline ran out first, which is a race).
    outcome = re.compile(r"node '([^']+)' ([a-z-]+)")
    assert iso.status_code == 200
    assert sorted(outcome.findall(iso.headers["Warning"])) == sorted(outcome.findall(warning))
    assert_schema_valid(iso.content)
    # Local only: no warning, no node asked.
    local = requests.get(regional.url + "/csw", params={
        "service": "CSW", "version": "2.0.2", "request": "GetRecords", "typeNames": "csw:Record",
        "resultType": "hits", "distributedSearch": "true", "hopCount": 1}, timeout=30)
    assert local.status_code == 200 and "Warning" not in local.headers


def test_csw_distributed_search_forwards_the_constraint(regional, nat_a, nat_b):
    from owslib.fes import PropertyIsLike
    like = PropertyIsLike("csw:AnyText", "%nickel%")
    csw = CatalogueServiceWeb(regional.url + "/csw", timeout=60)
    csw.getrecords2(constraints=[like], esn="brief", maxrecords=500, distributedsearch=True, hopcount=2)
    got = {resource(i) for i in csw.records}
    direct = set()
    for url in (regional.url, nat_a.url, nat_b.url):
        one = CatalogueServiceWeb(url + "/csw", timeout=60)
        one.getrecords2(constraints=[like], esn="brief", maxrecords=500)
        direct |= {resource(i) for i in one.records}
    assert direct and got == direct


def titles_by_resource(regional, nat_a, nat_b) -> dict[str, str]:
    """resource -> title over the three catalogues, each read directly with OWSLib (local searches)."""
    out: dict[str, str] = {}
    for url in (regional.url, nat_a.url, nat_b.url):
        csw = CatalogueServiceWeb(url + "/csw", timeout=60)
        csw.getrecords2(esn="summary", maxrecords=1000)
        assert csw.results["matches"] == len(csw.records)
        for rid, record in csw.records.items():
            out.setdefault(resource(rid), record.title)
    return out


@pytest.mark.parametrize("sortby,reverse", [("title", False), ("-title", True)])
def test_records_search_with_sortby_orders_the_merged_list(regional, nat_a, nat_b, sortby, reverse):
    titles = titles_by_resource(regional, nat_a, nat_b)
    r = requests.get(regional.url + "/collections/catalog/items",
                     params={"federated": "true", "limit": 10, "sortby": sortby}, timeout=30)
    assert r.status_code == 200, r.text
    got = [f["properties"]["title"] for f in r.json()["features"]]
    # The first ten of all three catalogues by title (byte order, as the stores sort), not each
    # source's first ones taken in turns.
    assert got == sorted(titles.values(), key=lambda t: t.encode(), reverse=reverse)[:10]


def test_csw_distributed_search_with_sortby_orders_the_merged_list(regional, nat_a, nat_b):
    from owslib.fes import SortBy, SortProperty
    titles = titles_by_resource(regional, nat_a, nat_b)
    csw = CatalogueServiceWeb(regional.url + "/csw", timeout=60)
    csw.getrecords2(esn="summary", maxrecords=10, sortby=SortBy([SortProperty("dc:title", "ASC")]),
                    distributedsearch=True, hopcount=2)
    got = [record.title for record in csw.records.values()]
    assert got == sorted(titles.values(), key=lambda t: t.encode())[:10]


@pytest.mark.parametrize("params", [{"federated": "maybe"}, {"federated": "true", "hopCount": "99"},
                                    {"hopCount": "2"}, {"federated": "true", "offset": 995, "limit": 10}])
def test_bad_records_parameters_are_400(regional, params):
    r = requests.get(regional.url + "/collections/catalog/items", params=params, timeout=30)
    assert r.status_code == 400 and r.json()["code"] == "InvalidParameterValue", r.text


def test_bad_csw_hop_count_is_an_exception_report(regional):
    r = requests.get(regional.url + "/csw", params={
        "service": "CSW", "version": "2.0.2", "request": "GetRecords", "typeNames": "csw:Record",
        "distributedSearch": "true", "hopCount": "many"}, timeout=30)
    assert r.status_code == 400 and "ExceptionReport" in r.text and 'locator="hopCount"' in r.text


def test_the_server_keeps_serving_while_nodes_are_slow(regional):
    # Several distributed searches at once, each cut off at its deadline; a plain request
    # meanwhile is answered at once.
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        searches = [pool.submit(requests.get, regional.url + "/collections/catalog/items",
                                params={"federated": "true"}, timeout=30) for _ in range(3)]
        time.sleep(0.3)
        assert serves(regional)
        # answered while every search still waits for its slow node's deadline
        assert not any(s.done() for s in searches)
        for s in searches:
            assert s.result().status_code == 200
    assert regional.alive()
