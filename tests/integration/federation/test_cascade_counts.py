"""A cascaded collection's counts follow the node (issue 16): numberMatched of a page after
the first, which the Features API keeps per collection version, is asked again once the
cascade's cache window has passed, so a feature deleted at the node leaves the count."""
from __future__ import annotations

import time

import pytest
import requests

from cascade_support import SITES, admin_headers, cascading_config, serve_national
from federation_support import build_regional_store, harvest, node, start

TTL = 1.0  # cascade_cache_ttl_seconds of the regional node


@pytest.fixture(scope="module")
def national(tmp_path_factory, amis_bin):
    yield from serve_national(tmp_path_factory.mktemp("counts-national"))


@pytest.fixture(scope="module")
def regional(tmp_path_factory, amis_bin, national):
    work = tmp_path_factory.mktemp("counts-regional")
    store = build_regional_store(work)
    config = cascading_config(work, ttl=TTL)
    done, _ = node(store, "add", "idn", national.url + "/", "--kind", "oapif", "--country", "IDN", "--schedule", "off")
    assert done.returncode == 0, done.stderr
    code, report = harvest(store, "idn")
    assert code == 0, report
    done, doc = node(store, "publish", "idn", "sites", "--collection", "idn_sites", config=config)
    assert done.returncode == 0, done.stdout + done.stderr
    server = start(store, work / "logs", "regional", config)
    yield server
    alive = server.alive()
    server.stop()
    assert alive, server.stderr()


def second_page_matched(base: str) -> int:
    first = requests.get(f"{base}/collections/idn_sites/items", params={"limit": 10, "f": "json"}, timeout=30).json()
    following = next(link["href"] for link in first["links"] if link["rel"] == "next")
    return requests.get(following, timeout=30).json()["numberMatched"]


def test_later_pages_count_what_the_node_holds_after_the_cache_window(regional, national):
    assert second_page_matched(regional.url) == SITES
    items = requests.get(f"{national.url}/collections/sites/items", params={"limit": 1, "f": "json"}, timeout=30).json()
    gone = items["features"][0]["id"]
    r = requests.delete(f"{national.url}/collections/sites/items/{gone}", headers=admin_headers(), timeout=30)
    assert r.status_code in (200, 204), r.text
    direct = requests.get(f"{national.url}/collections/sites/items", params={"limit": 1, "f": "json"}, timeout=30)
    assert direct.json()["numberMatched"] == SITES - 1
    time.sleep(TTL * 2.5)
    assert second_page_matched(regional.url) == SITES - 1
