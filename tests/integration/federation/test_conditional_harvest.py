"""Conditional GETs of a harvest's pages (issue 16: "only new and changed records are fetched
(dates, ETags, content digests)"). The node is Debian's nginx serving static files (a real
server's own ETag, Last-Modified and 304 Not Modified): an OGC API - Records items page and a
WMS capabilities document, both copied from a national AMIS node.

- A re-harvest sends back what nginx said of each page (If-None-Match, If-Modified-Since); nginx
  answers 304 and the run counts every record unchanged without a byte of the page.
- A page changed at the source is sent again (200): the changed record is updated, a record gone
  is withdrawn.
- A page with a record that could not be taken keeps no validators: the next run asks for it
  unconditionally, so the record is tried again.

Oracles: nginx's access log (status and the If-None-Match each request carried), the ETag nginx
gives the file (a HEAD request), the items of the static page, and the regional catalogue read
through its own Records API."""
from __future__ import annotations

import json
import re

import pytest
import requests

from federation_support import (build_national_store, build_regional_store, harvest, harvested, node, regional_config,
                                served, start)
from nginx_support import nginx_config, running_nginx
from support import free_loopback_ports


@pytest.fixture(scope="module")
def national(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("national-static")
    server = start(build_national_store(work, 12), work / "logs", "national")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def site(national, tmp_path_factory):
    """nginx serving a copy of the national node's records page and WMS capabilities."""
    folder = tmp_path_factory.mktemp("nginx-static")
    root = folder / "site"
    (root / "records/collections/catalog").mkdir(parents=True)
    page = requests.get(national.url + "/collections/catalog/items", params={"f": "json", "limit": 500}, timeout=30)
    assert page.status_code == 200 and not any(l["rel"] == "next" for l in page.json()["links"]), page.text
    (root / "records/collections/catalog/items").write_bytes(page.content)
    capabilities = requests.get(national.url + "/wms", params={"service": "WMS", "request": "GetCapabilities",
                                                                "version": "1.3.0"}, timeout=30)
    assert capabilities.status_code == 200
    (root / "wms").write_bytes(capabilities.content)
    (port,) = free_loopback_ports(1)
    config = nginx_config(folder, '$status "$uri" "$http_if_none_match" "$http_if_modified_since"', f"""
  server {{
    listen 127.0.0.1:{port};
    root {root};
    location /records/ {{ default_type application/geo+json; }}
    location = /wms {{ default_type text/xml; }}
  }}""")
    with running_nginx(folder, config, [port]):
        yield root, f"http://127.0.0.1:{port}", folder / "access.log"


@pytest.fixture(scope="module")
def regional(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("regional-static")
    yield from served(build_regional_store(work), work, "regional", regional_config(work))


def last_request(log, uri: str) -> tuple[int, str, str]:
    """(status, If-None-Match, If-Modified-Since) of the last request nginx answered for `uri`
    (nginx writes a quote inside a value as \\x22, an absent header as -)."""
    rows = []
    for line in log.read_text().splitlines():
        match = re.fullmatch(r'(\d+) "([^"]*)" "([^"]*)" "([^"]*)"', line)
        if match and match.group(2) == uri:
            rows.append(match.groups())
    assert rows, log.read_text()
    status, _, if_none_match, if_modified_since = (v.replace("\\x22", '"') for v in rows[-1])
    return int(status), "" if if_none_match == "-" else if_none_match, "" if if_modified_since == "-" else if_modified_since


def etag_of(url: str) -> str:
    r = requests.head(url, timeout=10)
    assert r.status_code == 200 and r.headers.get("ETag"), r.headers
    return r.headers["ETag"]


def write_page(path, features, like=None) -> None:
    """The page at `path` (or the one at `like`) with `features` instead of its own."""
    doc = json.loads((like or path).read_text())
    doc["features"] = features
    doc["numberMatched"] = doc["numberReturned"] = len(features)
    path.write_text(json.dumps(doc))


def test_an_unchanged_page_is_not_sent_again_and_a_changed_one_is(site, regional):
    root, base, log = site
    page_file = root / "records/collections/catalog/items"
    features = json.loads(page_file.read_text())["features"]
    uri = "/records/collections/catalog/items"
    done, _ = node(regional.store, "add", "static", base + uri, "--kind", "records", "--country", "IDN",
                   "--schedule", "off")
    assert done.returncode == 0, done.stderr
    code, first = harvest(regional.store, "static")
    assert code == 0 and first["added"] == len(features) and first["failed"] == 0, first
    assert last_request(log, uri) == (200, "", "")

    code, again = harvest(regional.store, "static")
    assert code == 0 and again["unchanged"] == len(features), again
    assert again["added"] == again["updated"] == again["withdrawn"] == again["failed"] == 0, again
    status, if_none_match, if_modified_since = last_request(log, uri)
    assert (status, if_none_match) == (304, etag_of(base + uri)) and if_modified_since, last_request(log, uri)

    # Changed at the source: one title changed, one record gone.
    old_etag = etag_of(base + uri)
    features[0]["properties"]["title"] = "Retitled at the source"
    gone = features.pop()
    write_page(page_file, features)
    code, changed = harvest(regional.store, "static")
    assert code == 0 and changed["updated"] == 1 and changed["withdrawn"] == 1, changed
    assert changed["unchanged"] == len(features) - 1, changed
    assert last_request(log, uri)[:2] == (200, old_etag)
    expected = {f["id"]: f["properties"]["title"] for f in features}
    assert harvested(regional, "static") == expected and gone["id"] not in expected

    code, after = harvest(regional.store, "static")
    assert after["unchanged"] == len(features) and last_request(log, uri)[0] == 304, after


def test_a_page_with_a_record_that_failed_is_asked_for_again_in_full(site, regional):
    root, base, log = site
    folder = root / "records/collections/broken"
    folder.mkdir(parents=True)
    source = root / "records/collections/catalog/items"
    features = json.loads(source.read_text())["features"][:3]
    features.append({"type": "Feature", "id": "no-properties", "geometry": None})
    write_page(folder / "items", features, like=source)
    uri = "/records/collections/broken/items"
    node(regional.store, "add", "broken", base + uri, "--kind", "records", "--country", "IDN", "--schedule", "off")
    for _ in range(2):
        code, report = harvest(regional.store, "broken")
        assert report["failed"] == 1 and report["status"] == "partial", report
        assert last_request(log, uri) == (200, "", ""), "validators kept for a page with a failed record"
    assert set(harvested(regional, "broken")) == {f["id"] for f in features[:3]}


def test_unchanged_wms_capabilities_are_not_read_again(site, regional, national):
    root, base, log = site
    node(regional.store, "add", "staticwms", base + "/wms", "--kind", "wms", "--country", "IDN", "--schedule", "off")
    code, first = harvest(regional.store, "staticwms")
    assert code == 0 and first["added"] > 0 and first["failed"] == 0, first
    code, again = harvest(regional.store, "staticwms")
    assert again["unchanged"] == first["added"] and again["added"] == again["updated"] == 0, again
    assert last_request(log, "/wms")[:2] == (304, etag_of(base + "/wms"))
