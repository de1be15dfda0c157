"""Distributed search through a chain of nodes ends within the first node's deadline (issue 16):
each AMIS node that asks another one to search further sends the time its own search has left
(`deadline`, milliseconds), and the asked node ends its search by then, even when its own
[federation] search_deadline_seconds is longer.

Nodes on loopback: the top node (deadline 2 s) asks the middle AMIS node (deadline 10 s), which
asks a slow node that answers after 8 s. Without the deadline passed on, the middle node would
wait for the slow one 8 s and the top node would cut the middle one off at 2 s; with it, the
middle node answers in time, with the slow node cut off. Oracle: the wall clock and the middle
node's records read from it directly (local search)."""
from __future__ import annotations

import time

import pytest
import requests

from federation_support import ADMIN_TOKEN, LoopbackServer, build_national_store, build_regional_store, node, start

TOP_DEADLINE = 4.0
MIDDLE_DEADLINE = 10.0
MARGIN = 3.0       # the answer's own work on top of the deadline (CI's loaded 2-core machine)
SLOW_SLEEP = 14.0
RECORDS = 6


def config(path, deadline: float):
    path.write_text(f'[admin]\ntoken = "{ADMIN_TOKEN}"\n\n[federation]\nharvest_concurrency = 0\n'
                    f'timeout_seconds = 20\nretries = 0\nsearch_deadline_seconds = {deadline}\n')
    return path


@pytest.fixture(scope="module")
def chain(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("deadline-chain")

    def sleepy(path: str):
        time.sleep(SLOW_SLEEP)
        return 200, {"Content-Type": "application/xml"}, b"<late/>"

    with LoopbackServer(sleepy) as slow:
        middle_store = build_national_store(work / "middle", RECORDS)
        done, _ = node(middle_store, "add", "slow", f"http://127.0.0.1:{slow.port}/csw", "--kind", "csw",
                       "--country", "THA", "--schedule", "off")
        assert done.returncode == 0, done.stderr
        middle = start(middle_store, work / "middle-logs", "middle", config(work / "middle.toml", MIDDLE_DEADLINE))
        top_store = build_regional_store(work / "top")
        done, _ = node(top_store, "add", "middle", middle.url, "--kind", "amis", "--country", "IDN",
                       "--schedule", "off")
        assert done.returncode == 0, done.stderr
        top = start(top_store, work / "top-logs", "top", config(work / "top.toml", TOP_DEADLINE))
        try:
            yield top, middle, slow
        finally:
            alive = top.alive() and middle.alive()
            top.stop()
            middle.stop()
    assert alive


def timed_get(url: str, params: dict) -> tuple[requests.Response, float]:
    started = time.monotonic()
    r = requests.get(url, params=params, timeout=60)
    elapsed = time.monotonic() - started
    assert r.status_code == 200, r.text
    return r, elapsed


def middle_ids(middle) -> set[str]:
    r = requests.get(middle.url + "/collections/catalog/items", params={"f": "json", "limit": 1000}, timeout=30)
    assert r.status_code == 200, r.text
    return {f["id"] for f in r.json()["features"]}


def test_a_records_search_through_a_chain_ends_within_the_first_deadline(chain):
    top, middle, slow = chain
    r, elapsed = timed_get(top.url + "/collections/catalog/items", {"federated": "true", "hopCount": 3, "limit": 1000})
    nodes = {n["node"]: n for n in r.json()["federation"]["nodes"]}
    print(f"\nchain top({TOP_DEADLINE} s) -> middle({MIDDLE_DEADLINE} s) -> slow({SLOW_SLEEP} s): {elapsed:.3f} s; "
          f"middle {nodes['middle']['status']} after {nodes['middle']['seconds']} s")
    assert elapsed <= TOP_DEADLINE + MARGIN, elapsed
    assert nodes["middle"]["status"] == "answered", nodes  # it ended its own search in time
    assert nodes["middle"]["seconds"] < TOP_DEADLINE, nodes
    got = {f["id"] for f in r.json()["features"]}
    assert middle_ids(middle) <= got and len(middle_ids(middle)) >= RECORDS
    assert slow.asked, "the middle node asked the slow one"


def test_a_csw_search_through_a_chain_ends_within_the_first_deadline(chain):
    top, middle, _ = chain
    r, elapsed = timed_get(top.url + "/csw", {
        "service": "CSW", "version": "2.0.2", "request": "GetRecords", "typeNames": "csw:Record",
        "resultType": "results", "elementSetName": "brief", "maxRecords": 500,
        "distributedSearch": "true", "hopCount": 3})
    assert elapsed <= TOP_DEADLINE + MARGIN, elapsed
    assert "node 'middle'" not in r.headers.get("Warning", ""), r.headers.get("Warning")
    for record_id in middle_ids(middle):
        assert record_id in r.text


def test_the_middle_node_honours_a_deadline_it_is_given(chain):
    _, middle, _ = chain
    r, elapsed = timed_get(middle.url + "/collections/catalog/items", {"federated": "true", "deadline": 500, "limit": 10})
    nodes = {n["node"]: n for n in r.json()["federation"]["nodes"]}
    assert nodes["slow"]["status"] == "cut-off" and elapsed < 0.5 + MARGIN, (elapsed, nodes)


@pytest.mark.parametrize("params", [{"federated": "true", "deadline": "0"},
                                    {"federated": "true", "deadline": "soon"},
                                    {"federated": "true", "deadline": "600001"},
                                    {"deadline": "500"}])
def test_a_bad_deadline_is_400(chain, params):
    _, middle, _ = chain
    r = requests.get(middle.url + "/collections/catalog/items", params={**params, "f": "json"}, timeout=30)
    assert r.status_code == 400 and r.json()["code"] == "InvalidParameterValue", r.text
    r = requests.get(middle.url + "/csw", params={
        "service": "CSW", "version": "2.0.2", "request": "GetRecords", "typeNames": "csw:Record",
        "distributedSearch": "true", "deadline": params["deadline"]}, timeout=30)
    assert r.status_code == (200 if params["deadline"] == "500" else 400), r.text
