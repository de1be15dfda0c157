"""AMIS-to-AMIS sync (issue 16): a national AMIS node publishes its approved change sets as a
feed (GET /changes, a node token), and the regional AMIS pulls it (`amis node sync`, the admin
API) and applies each change set atomically to the features of the node's country, keeping
history and provenance. A replay changes nothing; a gap or a conflict stops the node's sync with
a report, nothing of that change set applied, and the server keeps serving.

Oracles: the national node's own OGC API items (what the regional node must show after a sync),
the data set both started from, and the regional store's tables read with sqlite3/psycopg2."""
from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

import store_support
from federation_support import ADMIN_TOKEN, node, start
from store_support import add_users
from support import DEMO_SOURCES, amis_import
from sync_support import (COLLECTION, EDITOR, LINK, MINES, PASSWORD, Editing, build_store, config, feed_filter,
                          fid_of, items, national_users)

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
PORTAL_ADMIN = "regional-admin"
WATCHED = [COLLECTION, "amis_change_sets", "amis_changes", "amis_feature_versions", "amis_synced",
           "amis_synced_features"]


@dataclass
class Nodes:
    work: Path
    national_store: Path
    national: object
    regional_store: Path
    regional: object
    editing: Editing
    tokens: dict

    def national_items(self) -> dict[str, dict]:
        return items(self.national.url)


@pytest.fixture(scope="module")
def nodes(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("sync")
    national_store = build_store(work / "national", "national")
    tokens = national_users(national_store)
    national = start(national_store, work / "national" / "logs", "sync-national", config(work / "national"))
    regional_store = build_store(work / "regional", "regional")
    add_users(regional_store, {PORTAL_ADMIN: ("admin", None)}, PASSWORD)
    for collection in ("countries", "coal_mines"):  # the layers the portal opens with (its nodes page test)
        assert amis_import(regional_store, DEMO_SOURCES[collection].path, collection).returncode == 0
    done, _ = node(regional_store, "add", "idn", national.url + "/", "--kind", "amis", "--country", "IDN",
                   "--schedule", "off", "--token", tokens[LINK])
    assert done.returncode == 0, done.stdout + done.stderr
    regional = start(regional_store, work / "regional" / "logs", "sync-regional", config(work / "regional"))
    try:
        yield Nodes(work, national_store, national, regional_store, regional,
                    Editing(national.url, tokens), tokens)
    finally:
        alive = regional.alive() and national.alive()
        regional.stop()
        national.stop()
    assert alive, "a node died during the sync tests"


def admin_sync(nodes: Nodes, name: str = "idn", body: dict | None = None) -> dict:
    """POST /admin/nodes/NAME/sync (202: the sync runs in the background), then the report
    read where the answer says, once the node's sync is no longer queued or running."""
    r = requests.post(f"{nodes.regional.url}/admin/nodes/{name}/sync", headers=ADMIN, json=body, timeout=30)
    assert r.status_code == 202, r.text
    where = r.json()["report"]
    assert r.headers["Location"] == where == f"/admin/nodes/{name}/sync", r.headers
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        shown = requests.get(nodes.regional.url + where, headers=ADMIN, timeout=30)
        assert shown.status_code == 200, shown.text
        if shown.json()["state"] == "idle":
            return shown.json()["report"]
        time.sleep(0.05)
    raise AssertionError(f"the sync of {name} did not end: {shown.text}")


def correct_here(nodes: Nodes, name: str, tonnes: int) -> None:
    """The regional node's own administrator changes a mine's tonnes (published at once)."""
    fid = fid_of(nodes.regional_store, name)
    r = requests.patch(f"{nodes.regional.url}/collections/{COLLECTION}/items/{fid}",
                       json={"properties": {"tonnes": tonnes}},
                       headers={**ADMIN, "Content-Type": "application/merge-patch+json"}, timeout=30)
    assert r.status_code in (200, 204), r.text


def cli_sync(store: Path, name: str) -> tuple[int, dict]:
    done, report = node(store, "sync", name)
    assert report is not None, done.stdout + done.stderr
    return done.returncode, report


def source_state() -> dict[str, dict]:
    return {name: {"iso3": iso3, "tonnes": tonnes, "x": x, "y": y} for name, iso3, x, y, tonnes in MINES}


def test_the_feed_needs_a_node_token(nodes):
    url = f"{nodes.national.url}/changes"
    r = requests.get(url, timeout=30)
    assert r.status_code == 401 and r.headers["Content-Type"].startswith("application/json"), r.text
    assert r.json()["code"] == "Unauthorized"
    r = requests.get(url, headers={"Authorization": "Bearer not-a-token"}, timeout=30)
    assert r.status_code == 401
    r = requests.get(url, headers={"Authorization": f"Bearer {nodes.tokens[EDITOR]}"}, timeout=30)
    assert r.status_code == 403, r.text
    r = requests.get(url, headers={"Authorization": f"Bearer {nodes.tokens[LINK]}"}, params={"limit": 0}, timeout=30)
    assert r.status_code == 400 and r.json()["code"] == "InvalidParameterValue"
    r = requests.get(url, headers={"Authorization": f"Bearer {nodes.tokens[LINK]}"}, timeout=30)
    assert r.status_code == 200 and r.json()["changes"] == [], r.text


def test_a_node_token_reads_the_feed_and_nothing_else(nodes):
    """The feed token is a `node` account's: it reads /changes and what anyone may read (what a
    harvest reads), and every route that needs a role refuses it (403), also the expert team's."""
    assert store_support.rows(nodes.national_store, "SELECT role, country FROM amis_users WHERE name = ?",
                              LINK) == [("node", "")]
    url, link = nodes.national.url, {"Authorization": f"Bearer {nodes.tokens[LINK]}"}
    for path, params in [("/changes", {}), (f"/collections/{COLLECTION}/items", {"f": "json"}),
                         ("/collections/catalog/items", {"f": "json"}),
                         ("/csw", {"service": "CSW", "request": "GetCapabilities"})]:
        r = requests.get(url + path, headers=link, params=params, timeout=30)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
    fid = fid_of(nodes.national_store, "idn-5")
    refused = [("POST", "/changesets", {"collection": COLLECTION, "title": "by a node"}, "application/json"),
               ("PATCH", f"/collections/{COLLECTION}/items/{fid}", {"properties": {"tonnes": 1}},
                "application/merge-patch+json"),
               ("DELETE", f"/collections/{COLLECTION}/items/{fid}", None, None),
               ("POST", "/changesets/999999/approve", {"comment": "by a node"}, "application/json"),
               ("POST", "/changesets/999999/reject", {"comment": "by a node"}, "application/json"),
               ("GET", "/changesets", None, None), ("GET", "/audit", None, None),
               ("GET", "/admin/users", None, None), ("GET", "/admin/nodes", None, None)]
    for method, path, body, kind in refused:
        headers = dict(link, **({"Content-Type": kind} if kind else {}))
        r = requests.request(method, url + path, headers=headers, data=None if body is None else json.dumps(body),
                             timeout=30)
        assert r.status_code == 403, (method, path, r.status_code, r.text[:300])
        assert r.json()["code"] == "Forbidden" and nodes.tokens[LINK] not in r.text
    transaction = (f'<wfs:Transaction service="WFS" version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0" '
                   f'xmlns:fes="http://www.opengis.net/fes/2.0"><wfs:Delete typeName="{COLLECTION}"><fes:Filter>'
                   f'<fes:ResourceId rid="{COLLECTION}.{fid}"/></fes:Filter></wfs:Delete></wfs:Transaction>')
    r = requests.post(f"{url}/wfs", headers=dict(link, **{"Content-Type": "application/xml"}), data=transaction,
                      timeout=30)
    assert r.status_code == 403, r.text[:300]
    assert fid_of(nodes.national_store, "idn-5") == fid  # nothing changed


def test_approved_edits_appear_on_the_regional_node(nodes):
    ed = nodes.editing
    changed, deleted = fid_of(nodes.national_store, "idn-0"), fid_of(nodes.national_store, "idn-1")
    first = ed.draft("Production figures of 2026")
    ed.write("PATCH", first, changed, {"properties": {"tonnes": 123456}, "geometry": {
        "type": "Point", "coordinates": [105.123456789012, -6.987654321098]}})
    ed.write("POST", first, body={"type": "Feature", "geometry": {"type": "Point", "coordinates": [112.25, -7.75]},
                                  "properties": {"name": "idn-new", "iso3": "IDN", "tonnes": 42}})
    ed.submit_and_approve(first)
    second = ed.draft("A closed mine")
    ed.write("DELETE", second, deleted)
    ed.submit_and_approve(second)
    # the feed, as the regional node's token reads it: two change sets, in order, with no people named
    feed = requests.get(f"{nodes.national.url}/changes", headers={"Authorization": f"Bearer {nodes.tokens[LINK]}"},
                        params={"since": 0, "limit": 1}, timeout=30).json()
    assert [c["sequence"] for c in feed["changes"]] == [1] and feed["changes"][0]["changeSet"] == first
    assert any(link["rel"] == "next" for link in feed["links"])
    assert EDITOR not in str(feed) and "national-reviewer" not in str(feed)

    report = admin_sync(nodes)
    assert (report["status"], report["applied"], report["sequence"]) == ("synced", 2, 2), report
    expected = nodes.national_items()
    assert "idn-new" in expected and "idn-1" not in expected and expected["idn-0"]["tonnes"] == 123456
    served = items(nodes.regional.url)
    for name, f in expected.items():  # the national node's features are the regional's
        assert served[name] == f, name
    for name, f in source_state().items():  # the other countries' are as they were
        if f["iso3"] != "IDN":
            assert served[name] == f, name
    assert set(served) == set(expected) | {n for n, f in source_state().items() if f["iso3"] != "IDN"}

    # WFS GetFeature and WMS GetFeatureInfo on the regional node show the same
    r = requests.get(f"{nodes.regional.url}/wfs", params={
        "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature", "TYPENAMES": COLLECTION,
        "OUTPUTFORMAT": "application/json"}, timeout=60)
    assert r.status_code == 200, r.text
    wfs = {f["properties"]["name"]: f["properties"]["tonnes"] for f in r.json()["features"]}
    assert wfs["idn-0"] == 123456 and wfs["idn-new"] == 42 and "idn-1" not in wfs
    x, y = 112.25, -7.75
    r = requests.get(f"{nodes.regional.url}/wms", params={
        "SERVICE": "WMS", "VERSION": "1.1.1", "REQUEST": "GetFeatureInfo", "LAYERS": COLLECTION,
        "QUERY_LAYERS": COLLECTION, "STYLES": "", "SRS": "EPSG:4326",
        "BBOX": f"{x - 0.5},{y - 0.5},{x + 0.5},{y + 0.5}", "WIDTH": 101, "HEIGHT": 101, "X": 50, "Y": 50,
        "FORMAT": "image/png", "INFO_FORMAT": "application/json"}, timeout=60)
    assert r.status_code == 200, r.text
    assert [f["properties"]["name"] for f in r.json()["features"]] == ["idn-new"]

    # history and provenance: a version per change, by the node, with the national change set named
    store = nodes.regional_store
    regional_fid = fid_of(store, "idn-0")
    versions = store_support.rows(store, "SELECT version, operation, author FROM amis_feature_versions "
                                         "WHERE collection = ? AND fid = ? ORDER BY version", COLLECTION, regional_fid)
    assert [tuple(v) for v in versions] == [(0, "import", None), (1, "replace", "node:idn")]
    synced = store_support.rows(store, "SELECT sequence, remote_change_set, collection FROM amis_synced "
                                       "WHERE node = ? ORDER BY sequence", "idn")
    assert [tuple(s) for s in synced] == [(1, first, COLLECTION), (2, second, COLLECTION)]
    states = store_support.rows(store, "SELECT state, author, country FROM amis_change_sets WHERE id IN "
                                       "(SELECT change_set FROM amis_synced)")
    assert {tuple(s) for s in states} == {("approved", "node:idn", "IDN")}
    done, shown = node(store, "show", "idn")
    assert done.returncode == 0 and shown["sync"]["sequence"] == 2 and shown["sync"]["status"] == "synced", shown


def test_replaying_the_feed_changes_nothing(nodes):
    store = nodes.regional_store
    before = store_support.table_digests(store, WATCHED)
    for _ in range(2):
        code, report = cli_sync(store, "idn")
        assert code == 0 and report["applied"] == 0 and report["sequence"] == 2, report
    assert store_support.table_digests(store, WATCHED) == before
    # a node that serves its whole feed again, whatever `since` is asked
    replay_store = build_store(nodes.work / "replay", "replay")
    with feed_filter(nodes.national.url, nodes.tokens[LINK], lambda entries: entries) as replaying:
        done, _ = node(replay_store, "add", "again", f"http://127.0.0.1:{replaying.port}/", "--kind", "amis",
                       "--country", "IDN", "--schedule", "off")
        assert done.returncode == 0, done.stderr
        code, first = cli_sync(replay_store, "again")
        assert code == 0 and first["applied"] == 2, first
        after_first = store_support.table_digests(replay_store, WATCHED)
        for _ in range(2):
            code, report = cli_sync(replay_store, "again")
            assert code == 0 and report["applied"] == 0 and report["alreadyApplied"] == 2, report
    assert store_support.table_digests(replay_store, WATCHED) == after_first
    assert items_of(replay_store) == items_of(store)


def items_of(store: Path) -> dict:
    return {r[0]: tuple(r[1:]) for r in store_support.rows(store, f'SELECT name, iso3, tonnes FROM "{COLLECTION}"')}


def test_a_gap_stops_the_sync_and_applies_nothing_after_it(nodes):
    ed = nodes.editing
    third = ed.draft("Third")
    ed.write("PATCH", third, fid_of(nodes.national_store, "idn-2"), {"properties": {"tonnes": 3}})
    ed.submit_and_approve(third)
    store = build_store(nodes.work / "gap", "gap")  # a regional store that has synced nothing yet
    skip_two = lambda entries: [e for e in entries if e["sequence"] != 2]  # noqa: E731
    with feed_filter(nodes.national.url, nodes.tokens[LINK], skip_two) as gappy:
        done, _ = node(store, "add", "gappy", f"http://127.0.0.1:{gappy.port}/", "--kind", "amis",
                       "--country", "IDN", "--schedule", "off")
        assert done.returncode == 0, done.stderr
        code, report = cli_sync(store, "gappy")
        assert code == 2 and report["status"] == "stopped" and report["applied"] == 1, report
        assert report["stoppedAt"] == 3 and "gap" in report["reason"] and "2 is missing" in report["reason"], report
        assert [s[0] for s in store_support.rows(store, "SELECT sequence FROM amis_synced")] == [1]
        tonnes = dict(store_support.rows(store, f'SELECT name, tonnes FROM "{COLLECTION}"'))
        assert tonnes["idn-0"] == 123456  # sequence 1
        assert "idn-1" in tonnes and tonnes["idn-2"] == source_state()["idn-2"]["tonnes"]  # not 2, not 3
        done, shown = node(store, "show", "gappy")
        assert shown["sync"]["status"] == "stopped" and shown["sync"]["stoppedAt"] == 3
        # the administrator accepts the gap: `--skip` names the sequence the report stopped at
        done, refused = node(store, "sync", "gappy", "--skip", "2")
        assert done.returncode != 0 and "did not stop at sequence 2" in done.stderr, done.stdout + done.stderr
        audit = store_support.last_audit_id(store)
        done, report = node(store, "sync", "gappy", "--skip", "3")
        assert done.returncode == 0, done.stdout + done.stderr
    assert (report["status"], report["applied"], report["sequence"]) == ("synced", 1, 3), report
    assert report["skipped"].startswith("sequence 2 skipped by [amis node sync]"), report
    assert [tuple(s) for s in store_support.rows(store, "SELECT sequence, change_set FROM amis_synced "
                                                        "ORDER BY sequence")][:2] == [(1, 1), (2, 0)]
    assert [a[:3] for a in store_support.audit_since(store, audit)] == [
        ("[amis node sync]", "sync-skip", "node gappy"), ("node:gappy", "sync", "change set 2")]
    tonnes = dict(store_support.rows(store, f'SELECT name, tonnes FROM "{COLLECTION}"'))
    assert tonnes["idn-2"] == 3 and "idn-1" in tonnes  # 3 applied; 2 (the deletion) never came


def test_a_conflict_stops_the_sync_with_nothing_half_applied(nodes):
    # sequence 3 (the gap test's) first
    assert admin_sync(nodes)["sequence"] == 3
    store = nodes.regional_store
    # the regional node's own administrator corrects idn-3 meanwhile
    correct_here(nodes, "idn-3", 7)
    ed = nodes.editing
    cs = ed.draft("Two mines")
    ed.write("PATCH", cs, fid_of(nodes.national_store, "idn-4"), {"properties": {"tonnes": 4444}})
    ed.write("PATCH", cs, fid_of(nodes.national_store, "idn-3"), {"properties": {"tonnes": 3333}})
    ed.submit_and_approve(cs)
    before = store_support.table_digests(store, WATCHED)
    report = admin_sync(nodes)
    assert report["status"] == "stopped" and report["stoppedAt"] == 4 and report["applied"] == 0, report
    assert "conflict" in report["reason"] and f"change set {cs}" in report["reason"], report
    assert store_support.table_digests(store, WATCHED) == before  # idn-4 untouched too
    served = items(nodes.regional.url)  # still serving
    assert served["idn-3"]["tonnes"] == 7 and served["idn-4"]["tonnes"] == source_state()["idn-4"]["tonnes"]
    r = requests.get(f"{nodes.regional.url}/admin/nodes/idn", headers=ADMIN, timeout=30)
    assert r.status_code == 200 and r.json()["sync"]["status"] == "stopped", r.text
    assert "conflict" in r.json()["sync"]["reason"]
    # and again: the same stop, nothing applied
    assert admin_sync(nodes)["stoppedAt"] == 4
    assert store_support.table_digests(store, WATCHED) == before


def test_a_feature_of_another_country_is_not_the_nodes(nodes):
    # the national administrator (who may) changes a Malaysian mine there
    r = requests.patch(f"{nodes.national.url}/collections/{COLLECTION}/items/{fid_of(nodes.national_store, 'mys-0')}",
                       json={"properties": {"tonnes": 1}},
                       headers={**ADMIN, "Content-Type": "application/merge-patch+json"}, timeout=30)
    assert r.status_code in (200, 204), r.text
    store = build_store(nodes.work / "other", "other")  # syncs sequences 1-4, then meets the Malaysian mine
    done, _ = node(store, "add", "idn", nodes.national.url + "/", "--kind", "amis", "--country", "IDN",
                   "--schedule", "off", "--token", nodes.tokens[LINK])
    assert done.returncode == 0, done.stderr
    code, report = cli_sync(store, "idn")
    assert code == 2 and report["status"] == "stopped" and report["stoppedAt"] == 5, report
    assert report["applied"] == 4 and "not the node's to change" in report["reason"], report
    tonnes = dict(store_support.rows(store, f'SELECT name, tonnes FROM "{COLLECTION}"'))
    assert tonnes["mys-0"] == source_state()["mys-0"]["tonnes"] and tonnes["idn-3"] == 3333


def test_an_unregistered_or_wrong_token_is_reported_not_retried_in_a_loop(nodes):
    store = build_store(nodes.work / "badtoken", "badtoken")
    done, _ = node(store, "add", "idn", nodes.national.url + "/", "--kind", "amis", "--country", "IDN",
                   "--schedule", "off", "--token", "not-the-token")
    assert done.returncode == 0, done.stderr
    code, report = cli_sync(store, "idn")
    assert code == 2 and report["status"] == "failed" and "401" in report["reason"], report
    assert "not-the-token" not in str(report)
    assert store_support.rows(store, "SELECT count(*) FROM amis_synced")[0][0] == 0


def test_the_background_harvester_syncs_an_amis_node_on_schedule(nodes):
    work = nodes.work / "scheduled"
    store = build_store(work, "scheduled")
    done, _ = node(store, "add", "idn", nodes.national.url + "/", "--kind", "amis", "--country", "IDN",
                   "--schedule", "1h", "--token", nodes.tokens[LINK])
    assert done.returncode == 0, done.stderr
    cfg = config(work)
    cfg.write_text(cfg.read_text().replace("harvest_concurrency = 0", "harvest_concurrency = 1"))
    server = start(store, work / "logs", "sync-scheduled", cfg)
    try:
        deadline = time.monotonic() + 60
        shown = {}
        while time.monotonic() < deadline:
            shown = requests.get(f"{server.url}/admin/nodes/idn", headers=ADMIN, timeout=30).json()
            if shown.get("sync"):
                break
            time.sleep(0.2)
        sync = shown.get("sync")
        assert sync and sync["status"] == "stopped" and sync["stoppedAt"] == 5 and sync["applied"] == 4, shown
        assert shown["lastRun"] is not None  # the harvest ran first
        assert items(server.url)["idn-3"]["tonnes"] == 3333
    finally:
        server.stop()


def test_an_administrator_retries_or_skips_a_stopped_sync(nodes):
    """After the conflict (sequence 4) and the Malaysian mine (5): a skip of a sequence the sync
    did not stop at is refused; the conflict resolved by hand, a retry applies 4; the skip of 5
    passes over it, in the report and the audit log, and the sync goes on."""
    store, url = nodes.regional_store, nodes.regional.url
    assert admin_sync(nodes)["stoppedAt"] == 4
    for body, status in [({"skip": 3}, 409), ({"skip": "4"}, 400), ({"skip": 4, "more": 1}, 400)]:
        r = requests.post(f"{url}/admin/nodes/idn/sync", headers=ADMIN, json=body, timeout=30)
        assert r.status_code == status, (body, r.text)
    r = requests.post(f"{url}/admin/nodes/idn/sync", headers={"Authorization": f"Bearer {nodes.tokens[LINK]}"},
                      timeout=30)
    assert r.status_code == 401, r.text  # the national node's token means nothing here
    # resolved by hand: idn-3 back to the version the node's change replaced
    correct_here(nodes, "idn-3", source_state()["idn-3"]["tonnes"])
    report = admin_sync(nodes)
    assert (report["status"], report["applied"], report["stoppedAt"]) == ("stopped", 1, 5), report
    assert "not the node's to change" in report["reason"] and report["skipped"] is None, report
    served = items(url)
    assert served["idn-3"]["tonnes"] == 3333 and served["idn-4"]["tonnes"] == 4444
    audit = store_support.last_audit_id(store)
    report = admin_sync(nodes, body={"skip": 5})
    assert (report["status"], report["applied"], report["sequence"]) == ("synced", 0, 5), report
    assert report["skipped"].startswith("sequence 5 skipped by [admin token]"), report
    assert "not the node's to change" in report["skipped"], report
    assert items(url)["mys-0"]["tonnes"] == source_state()["mys-0"]["tonnes"]
    entries = store_support.audit_since(store, audit)
    assert [e[:3] for e in entries] == [("[admin token]", "sync-skip", "node idn")], entries
    assert entries[0][3].startswith("sequence 5 of node idn skipped"), entries
    assert [tuple(s) for s in store_support.rows(store, "SELECT sequence, change_set FROM amis_synced WHERE node = ? "
                                                        "AND sequence >= 4 ORDER BY sequence", "idn")][1] == (5, 0)
    shown = requests.get(f"{url}/admin/nodes/idn", headers=ADMIN, timeout=30).json()
    assert shown["sync"]["status"] == "synced" and shown["sync"]["skipped"] == report["skipped"]
    # nothing stopped now: a skip is refused, and the next sync says nothing was skipped before it
    r = requests.post(f"{url}/admin/nodes/idn/sync", headers=ADMIN, json={"skip": 5}, timeout=30)
    assert r.status_code == 409, r.text
    assert admin_sync(nodes)["skipped"] is None


def test_the_nodes_page_skips_a_stopped_sync(nodes):
    """The portal's nodes page, in Chromium (web/e2e/node-sync.mjs): a new conflict stops the
    sync at sequence 6; the page shows it with the reason, "Retry sync" and "Skip sequence 6";
    the administrator skips it after confirming, and the page shows the sync gone on, the skip
    named, as the admin API reports it; in Japanese too."""
    from test_nodes_portal import ARTEFACTS, WEB, fill, messages
    from test_portal import CHROMIUM, missing_for_the_portal, portal_required
    lacking = missing_for_the_portal()
    if lacking:
        if portal_required():
            pytest.fail("the nodes page cannot be tested, missing: " + ", ".join(lacking))
        pytest.skip("missing: " + ", ".join(lacking))
    url = nodes.regional.url
    correct_here(nodes, "idn-5", 55)
    ed = nodes.editing
    cs = ed.draft("idn-5 again")
    ed.write("PATCH", cs, fid_of(nodes.national_store, "idn-5"), {"properties": {"tonnes": 5555}})
    ed.submit_and_approve(cs)
    stopped = admin_sync(nodes)
    assert (stopped["status"], stopped["stoppedAt"]) == ("stopped", 6), stopped
    p = subprocess.run(["node", "e2e/node-sync.mjs", url + "/portal/", str(ARTEFACTS)], cwd=WEB,
                       capture_output=True, text=True, timeout=180,
                       env={**os.environ, "CHROMIUM": str(CHROMIUM), "AMIS_ADMIN": PORTAL_ADMIN,
                            "AMIS_PASSWORD": PASSWORD, "AMIS_NODE": "idn"})
    assert p.returncode == 0, p.stderr[-2000:]
    shown = json.loads(p.stdout.strip().splitlines()[-1])
    assert "failure" not in shown and shown["errors"] == [], shown
    en, ja = messages("en"), messages("ja")
    before = shown["before"]
    assert before["label"] == en["nodes.sync"] and "sync-stopped" in before["class"], before
    assert before["lines"] == [fill(en["nodes.syncStopped"], sequence=6), stopped["reason"]], before
    assert [b["text"] for b in before["buttons"]][1:] == [en["nodes.retrySync"],
                                                           fill(en["nodes.skipChange"], sequence=6)], before
    assert shown["confirm"] == fill(en["nodes.skipConfirm"], node="idn", sequence=6)
    assert shown["postStatus"] == 202 and json.loads(shown["postBody"]) == {"skip": 6}
    report = requests.get(f"{url}/admin/nodes/idn/sync", headers=ADMIN, timeout=30).json()["report"]
    assert (report["status"], report["sequence"]) == ("synced", 6), report
    after = shown["after"]
    assert "sync-synced" in after["class"] and len(after["buttons"]) == 1, after
    assert after["lines"] == [fill(en["nodes.syncSynced"], sequence=6),
                              fill(en["nodes.syncSkippedBefore"], what=report["skipped"])], after
    assert report["skipped"].startswith(f"sequence 6 skipped by {PORTAL_ADMIN}"), report
    assert shown["ja"]["label"] == ja["nodes.sync"]
    assert shown["ja"]["lines"][0] == fill(ja["nodes.syncSynced"], sequence=6)
    assert items(url)["idn-5"]["tonnes"] == 55  # the node's change was passed over
