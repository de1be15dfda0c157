"""A harvest against nodes that fail or attack (issue 16): a node that is down, a redirect
to another host, a malformed page among good ones, an invalid record in a page, an HTML
error page with status 200. Each run ends with its report; nothing else is lost; the
regional server keeps serving; no token or address reaches the logs."""
from __future__ import annotations

import requests
import pytest

from federation_support import (LoopbackServer, build_national_store, build_regional_store, harvest, node,
                                pass_through, regional_config, start)
from support import free_loopback_port

NODE_TOKEN = "national-node-token-never-shown-9c41e"  # no real secret
ISO_RECORDS = 520  # more than one CSW page (500)


@pytest.fixture(scope="module")
def national(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("national-faults")
    server = start(build_national_store(work, ISO_RECORDS), work / "logs", "national")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def regional(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("regional-faults")
    config = regional_config(work, concurrency=0)
    server = start(build_regional_store(work), work / "logs", "regional", config)
    server.federation_config = config
    yield server
    alive = server.alive()
    server.stop()
    assert alive, server.stderr()


def serves(server) -> bool:
    return requests.get(server.url + "/collections", params={"f": "json"}, timeout=10).status_code == 200


def test_a_node_that_is_down_is_reported(regional):
    port = free_loopback_port()  # nothing listens there
    node(regional.store, "add", "down", f"http://127.0.0.1:{port}/csw", "--kind", "csw", "--country", "MYS",
         "--schedule", "1h", "--token", NODE_TOKEN)
    code, report = harvest(regional.store, "down", config=regional.federation_config)
    assert code == 2 and report["status"] == "failed", report
    assert "refused" in report["error"] and "127.0.0.1" not in report["error"]
    done, shown = node(regional.store, "show", "down")
    assert shown["failedRunsInARow"] == 1 and shown["lastRun"]["status"] == "failed"
    assert shown["nextRun"] not in (None, "as soon as possible")  # tried again later, not at once
    assert NODE_TOKEN not in done.stdout + done.stderr and shown["hasToken"] is True
    assert serves(regional)


def test_a_redirect_to_another_host_is_refused(regional):
    with LoopbackServer(lambda path: (200, {"Content-Type": "text/plain"}, b"secret")) as elsewhere:
        target = f"http://localhost:{elsewhere.port}/collections/catalog/items"  # another host name
        with LoopbackServer(lambda path: (302, {"Location": target}, b"")) as redirecting:
            node(regional.store, "add", "redirect", f"http://127.0.0.1:{redirecting.port}", "--kind", "records",
                 "--country", "THA", "--schedule", "off")
            code, report = harvest(regional.store, "redirect")
            assert redirecting.asked, "the node was asked"
        assert elsewhere.asked == [], "the other host was never asked"
    assert report["status"] == "failed" and "redirect to another host" in report["error"], report


def test_an_html_error_page_with_status_200_fails_the_run(regional):
    html = b"<html><body><h1>Maintenance</h1></body></html>"
    with LoopbackServer(lambda path: (200, {"Content-Type": "text/html"}, html)) as broken:
        node(regional.store, "add", "htmlpage", f"http://127.0.0.1:{broken.port}/csw", "--kind", "csw",
             "--country", "PHL", "--schedule", "off")
        code, report = harvest(regional.store, "htmlpage")
    assert code == 2 and report["status"] == "failed" and "GetRecordsResponse" in report["error"], report


def test_a_malformed_page_and_an_invalid_record_are_counted_and_the_rest_taken(national, regional):
    broken_id = {}

    def change(path: str, body: bytes):
        if "startPosition=501" in path:
            return b"<csw:GetRecordsResponse xmlns:csw='http://www.opengis.net/cat/csw/2.0.2'><broken"
        if "startPosition=1&" in path:
            text = body.decode()
            # One record of the first page loses its dateStamp: no longer valid ISO 19139.
            first = text.index("<gmd:MD_Metadata")
            stamp = text.index("<gmd:dateStamp>", first)
            end = text.index("</gmd:dateStamp>", stamp) + len("</gmd:dateStamp>")
            ident = text.index("<gco:CharacterString>", text.index("<gmd:fileIdentifier>", first))
            broken_id["id"] = text[ident + len("<gco:CharacterString>"):text.index("</gco:CharacterString>", ident)]
            return (text[:stamp] + text[end:]).encode()
        return None

    with LoopbackServer(pass_through(national.url, change)) as proxy:
        node(regional.store, "add", "partial", f"http://127.0.0.1:{proxy.port}/csw", "--kind", "csw",
             "--country", "VNM", "--schedule", "off")
        code, report = harvest(regional.store, "partial")
    assert code == 2 and report["status"] == "partial", report
    reasons = {f["sourceId"]: f["reason"] for f in report["failures"]}
    assert set(reasons) == {"page 2", broken_id["id"]}, reasons
    assert "dateStamp" in reasons[broken_id["id"]]
    assert report["added"] == 500 - 1 and report["failed"] == 2 and report["withdrawn"] == 0
    assert serves(regional)
