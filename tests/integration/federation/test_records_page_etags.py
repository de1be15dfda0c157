"""ETags of AMIS's own OGC API - Records pages (issue 16: "only new and changed records are
fetched (dates, ETags, content digests)"). A page of records is streamed, so its ETag is made
before it from what the page depends on: the version of the stored records (every write of
a record, derived, harvested or edited), the request's path and parameters and the base URL
of its links. A request naming it gets 304 without the search being run; so does a regional
AMIS node re-harvesting a national one.

Oracles: the national node's access log (the status of each request the harvester made), the
pages themselves and the regional catalogue read through its own Records API."""
from __future__ import annotations

import pytest
import requests

from federation_support import (build_national_store, build_regional_store, harvest, harvested, node,
                                point_collection, regional_config, served)
from support import amis_import

RECORDS = 30


@pytest.fixture(scope="module")
def national(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("national-etags")
    for server in served(build_national_store(work, RECORDS), work, "national"):
        server.work = work
        yield server


@pytest.fixture(scope="module")
def regional(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("regional-etags")
    yield from served(build_regional_store(work), work, "regional", regional_config(work))


def items(server, headers: dict | None = None, **params) -> requests.Response:
    return requests.get(server.url + "/collections/catalog/items", params={"f": "json", **params},
                        headers=headers or {}, timeout=30)


def test_a_page_has_an_etag_and_a_request_naming_it_gets_304(national):
    first = items(national, limit=7)
    assert first.status_code == 200 and len(first.json()["features"]) == 7, first.text[:300]
    etag = first.headers["ETag"]
    assert etag.startswith('W/"'), etag
    again = items(national, {"If-None-Match": etag}, limit=7)
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    listed = items(national, {"If-None-Match": f'"other", {etag}'}, limit=7)
    assert listed.status_code == 304
    # "*" names any current page, but a request the search refuses gets its error.
    refused = items(national, {"If-None-Match": "*"}, limit=7, filter="no_such_queryable = 1")
    assert refused.status_code == 400, refused.text[:300]
    # Another page, or the same page whose links name another host: another ETag, sent in full.
    other_page = items(national, {"If-None-Match": etag}, limit=7, offset=7)
    assert other_page.status_code == 200 and other_page.headers["ETag"] != etag
    assert [f["id"] for f in other_page.json()["features"]] != [f["id"] for f in first.json()["features"]]
    host = "localhost:" + national.url.rsplit(":", 1)[1]
    named = items(national, {"If-None-Match": etag, "Host": host}, limit=7)
    assert named.status_code == 200 and named.headers["ETag"] != etag
    assert all(link["href"].startswith("http://" + host) for link in named.json()["links"])


def harvester_requests(national, since: int) -> list[str]:
    """(path, status) of the national node's Records items requests logged after `since` bytes."""
    out = []
    for line in national.access_log()[since:].splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "GET" and parts[1].startswith("/collections/catalog/items"):
            out.append((parts[1], int(parts[2])))
    return out


def test_an_amis_node_reharvests_unchanged_pages_with_304s(national, regional):
    done, _ = node(regional.store, "add", "nat", national.url, "--kind", "amis", "--country", "IDN",
                   "--schedule", "off")
    assert done.returncode == 0, done.stderr
    code, first = harvest(regional.store, "nat")
    assert code == 0 and first["added"] >= RECORDS and first["failed"] == 0, first
    before = len(national.access_log())
    code, again = harvest(regional.store, "nat")
    assert code == 0 and again["unchanged"] == first["added"], again
    assert again["added"] == again["updated"] == again["withdrawn"] == again["failed"] == 0, again
    asked = harvester_requests(national, before)
    assert asked and all(status == 304 for _, status in asked), asked
    # The regional catalogue holds the national node's records, each under its source id.
    theirs = {f["id"]: f["properties"]["title"] for f in items(national, limit=1000).json()["features"]}
    assert harvested(regional, "nat") == theirs



def test_a_change_of_the_records_gives_the_page_another_etag(national, regional):
    """A collection imported into the national store (by the CLI, while the node serves) is a
    new derived record: the pages' ETags change, and the next harvest takes it."""
    page = items(national, limit=1000)
    etag = page.headers["ETag"]
    before = {f["id"] for f in page.json()["features"]}
    amis_import(national.store, point_collection(national.work / "smelters.geojson", "smelter",
                                                 [(106.8, -6.2)]), "idn_smelters", "--title", "Smelters")
    changed = items(national, {"If-None-Match": etag}, limit=1000)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    added = {f["id"] for f in changed.json()["features"]} - before
    assert len(added) == 1 and "idn_smelters" in next(iter(added)), added
    code, report = harvest(regional.store, "nat")
    assert code == 0 and report["added"] == 1 and report["failed"] == 0, report
    theirs = {f["id"]: f["properties"]["title"] for f in changed.json()["features"]}
    assert harvested(regional, "nat") == theirs
