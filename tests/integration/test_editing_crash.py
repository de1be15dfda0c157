"""Crash consistency and concurrency of change-set approval (issue 6).

- A submitted change set of 20,000 inserts (written straight into amis_change_sets and
  amis_changes with sqlite3, as fixture preparation: the tables of
  src/store/gpkg/gpkg_schema.cpp, geometries as ISO WKB, properties as JSON objects) is
  approved over HTTP and the server is SIGKILLed at several moments. After a restart the
  store must be all-or-nothing: integrity_check and rtreecheck pass, coal_mines holds the
  original rows or the original rows plus 20,000, the change set is 'approved' iff the
  rows are there, the registry (feature_count, gpkg_ogr_contents, extent) and the R-tree
  agree with the rows, and approving again applies everything exactly once.
- Two reviewers approving concurrently (two threads): two change sets that change the same
  feature give one 200 and one 409 and the feature is the winner's; one change set
  approved twice is applied once; approve against reject ends in one consistent state.

Oracles: sqlite3 (read-only) on the store file, geometries decoded from the GeoPackage
blobs here and compared with OGR."""
from __future__ import annotations

import contextlib
import json
import struct
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from osgeo import ogr

import styles_support as ss
from support import AmisServer, assert_same_geometry, connect_store, copy_store, http_session, on_postgis, store_columns
from store_support import amis

PASSWORD = "correct horse battery staple"
N = 20_000  # an approval of about 1.5 s: time for kills at fractions of it
NS20 = ('xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:fes="http://www.opengis.net/fes/2.0" '
        'xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:amis="https://amis.asean.org/ns/amis"')



def add_users(store: Path) -> dict[str, str]:
    tokens = {}
    for name, role, country in (("tha-editor", "editor", "THA"), ("expert", "reviewer", None),
                                ("expert2", "reviewer", None)):
        extra = ["--country", country] if country else []
        r = amis("user", "add", name, "--role", role, *extra, "--store", store, stdin=PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
        r = amis("token", "create", name, "--store", store)
        assert r.returncode == 0, r.stderr
        tokens[name] = r.stdout.strip()
    return tokens


def query(store: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with contextlib.closing(connect_store(store)) as db:
        return db.execute(sql, params).fetchall()


def scalar(store: Path, sql: str, params: tuple = ()):
    return query(store, sql, params)[0][0]


def gpkg_geometry(blob: bytes | None) -> ogr.Geometry | None:
    if blob is None:
        return None
    assert blob[:2] == b"GP", blob[:8]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(blob[3] >> 1) & 7]
    return ogr.CreateGeometryFromWkb(bytes(blob[8 + envelope:]))


def approve(url: str, cs_id: int, token: str, timeout: float = 120) -> requests.Response:
    with http_session() as s:
        return s.post(f"{url}/changesets/{cs_id}/approve", json={"comment": "ok"},
                      headers={"Authorization": f"Bearer {token}"}, timeout=timeout)


def stop_cleanly(srv: AmisServer) -> None:
    alive = srv.alive()
    status = srv.stop()
    assert alive, f"amis serve ({srv.name}) died:\n{srv.stderr()[-3000:]}"
    assert status == 0, f"amis serve ({srv.name}) exited with {status}:\n{srv.stderr()[-3000:]}"


# --------------------------------------------------------------------------- the large change set


def bulk_name(seq: int) -> str:
    return f"crash-{seq:05d}"


def bulk_point(seq: int) -> tuple[float, float]:
    i = seq - 1
    return 100.0 + (i % 250) * 0.01, 14.0 + (i // 250) * 0.01


@dataclass
class Bulk:
    store: Path  # the prepared store, never served: each test serves a copy
    tokens: dict[str, str]
    cs_id: int
    original: int  # coal_mines rows before approval
    outcomes: dict = field(default_factory=dict)  # kill -> committed; 'duration' -> seconds


@pytest.fixture(scope="module")
def bulk(tmp_path_factory, store_path) -> Bulk:
    work = tmp_path_factory.mktemp("crash")
    store = ss.copy_store(store_path, work / "prepared.gpkg")
    tokens = add_users(store)
    names = [n for n in store_columns(store, "coal_mines") if n not in ("fid", "geom")]
    with contextlib.closing(connect_store(store, write=True)) as db:
        assert {"mine_name", "iso3", "capacity_mtpa", "opening_year"} <= set(names)
        original = db.execute("SELECT count(*) FROM coal_mines").fetchone()[0]
        cur = db.execute(
            "INSERT INTO amis_change_sets (collection, title, author, country, state, created, submitted) "
            "VALUES ('coal_mines', 'bulk survey', 'tha-editor', 'THA', 'submitted', "
            "'2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z') RETURNING id")
        cs_id = cur.fetchone()[0]
        template = dict.fromkeys(names)

        def rows():
            for seq in range(1, N + 1):
                props = dict(template, mine_name=bulk_name(seq), iso3="THA")
                x, y = bulk_point(seq)
                wkb = struct.pack("<BIdd", 1, 1, x, y)  # ISO WKB, little-endian Point
                yield cs_id, seq, "insert", None, "", wkb, json.dumps(props)

        db.executemany("INSERT INTO amis_changes (change_set, seq, operation, fid, base, geom, properties) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", rows())
        db.commit()
    assert not Path(str(store) + "-wal").exists() or Path(str(store) + "-wal").stat().st_size == 0
    assert scalar(store, "SELECT count(*) FROM amis_changes WHERE change_set = ?", (cs_id,)) == N
    return Bulk(store, tokens, cs_id, original)


def crash_name_sql() -> str:
    """bulk_name(seq) in SQL: SQLite's printf, PostgreSQL's lpad."""
    return "'crash-' || lpad(c.seq::text, 5, '0')" if on_postgis() else "printf('crash-%05d', c.seq)"


def check_store(store: Path, b: Bulk) -> bool:
    """Every invariant of an all-or-nothing approval; returns whether it committed."""
    if not on_postgis():  # SQLite's own checks; PostgreSQL's WAL makes a killed transaction vanish
        assert query(store, "PRAGMA integrity_check") == [("ok",)]
        assert scalar(store, "SELECT rtreecheck('rtree_coal_mines_geom')") == "ok"
    count = scalar(store, "SELECT count(*) FROM coal_mines")
    assert count in (b.original, b.original + N), f"{count - b.original} of {N} rows: a partial approval"
    committed = count == b.original + N
    bulk_rows = query(store, "SELECT count(*), count(DISTINCT mine_name) FROM coal_mines WHERE mine_name LIKE 'crash-%'")
    assert bulk_rows == [(N, N) if committed else (0, 0)]
    state, reviewer = query(store, "SELECT state, coalesce(reviewer, '') FROM amis_change_sets WHERE id = ?",
                            (b.cs_id,))[0]
    assert (state == "approved") == committed, f"state {state!r} with {count - b.original} new rows"
    assert state in ("approved", "submitted")
    assert (reviewer != "") == committed
    # the registry
    assert scalar(store, "SELECT feature_count FROM amis_collections WHERE id = 'coal_mines'") == count
    if not on_postgis():  # OGR's count cache, a GeoPackage table
        ogr_count = query(store, "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'coal_mines'")
        assert ogr_count in ([], [(count,)], [(None,)]) and (ogr_count == [(count,)] or not committed)
    # the R-tree: one entry per feature with a geometry, nothing else
    with_geometry = scalar(store, "SELECT count(*) FROM coal_mines WHERE geom IS NOT NULL")
    assert scalar(store, "SELECT count(*) FROM rtree_coal_mines_geom") == with_geometry
    assert scalar(store, "SELECT count(*) FROM coal_mines WHERE geom IS NOT NULL AND fid NOT IN "
                         "(SELECT id FROM rtree_coal_mines_geom)") == 0
    if committed:
        registry = "amis_collections WHERE id" if on_postgis() else "gpkg_contents WHERE table_name"
        extent = query(store, f"SELECT min_x, min_y, max_x, max_y FROM {registry} = 'coal_mines'")[0]
        rtree = query(store, "SELECT min(minx), min(miny), max(maxx), max(maxy) FROM rtree_coal_mines_geom")[0]
        assert all(abs(a - r) < 1e-3 for a, r in zip(extent, rtree)), (extent, rtree)
    # the change set's rows: each insert points at the one row it made
    linked = scalar(store, "SELECT count(*) FROM amis_changes c JOIN coal_mines m ON m.fid = c.fid "
                           "WHERE c.change_set = ? AND m.mine_name = " + crash_name_sql(), (b.cs_id,))
    assert linked == (N if committed else 0)
    assert scalar(store, "SELECT count(fid) FROM amis_changes WHERE change_set = ?", (b.cs_id,)) == linked
    assert scalar(store, "SELECT count(*) FROM amis_feature_versions WHERE change_set = ?", (b.cs_id,)) == linked
    approvals = scalar(store, "SELECT count(*) FROM amis_audit WHERE action = 'approve' AND subject = ?",
                       (f"change set {b.cs_id}",))
    assert approvals == (1 if committed else 0)
    if committed:
        for seq in (1, N // 2, N):
            (blob,) = query(store, "SELECT m.geom FROM amis_changes c JOIN coal_mines m ON m.fid = c.fid "
                                   "WHERE c.change_set = ? AND c.seq = ?", (b.cs_id, seq))[0]
            x, y = bulk_point(seq)
            assert_same_geometry(gpkg_geometry(blob), ogr.CreateGeometryFromWkt(f"POINT ({x!r} {y!r})"),
                                 what=f"change {seq}")
    return committed


# When to SIGKILL the server after the approval request is sent: once after its answer
# (which also measures how long the approval takes), after 50 ms, and at fractions of
# that measured duration (the last ones close to the commit, before or after it).
KILLS = [("after-answer", None), ("50ms", 0.05), ("0.3T", 0.3), ("0.7T", 0.7), ("0.95T", 0.95), ("1.0T", 1.0)]
ESTIMATED_DURATION = 1.5  # s, if the first case did not run (-k)


def kill_delay(bulk: Bulk, name: str, value: float) -> float:
    return value if name.endswith("ms") else value * bulk.outcomes.get("duration", ESTIMATED_DURATION)


@pytest.mark.parametrize("name, value", KILLS, ids=[k[0] for k in KILLS])
def test_sigkill_during_approval_is_all_or_nothing(bulk, tmp_path, name, value):
    store = tmp_path / "store.gpkg"
    copy_store(bulk.store, store)
    victim = AmisServer(store, tmp_path, name="victim")
    victim.start()
    answer: dict = {}
    sent = threading.Event()

    def run():
        sent.set()
        try:
            answer["status"] = approve(victim.url, bulk.cs_id, bulk.tokens["expert"]).status_code
        except requests.RequestException as e:
            answer["error"] = e

    t = threading.Thread(target=run)
    t.start()
    sent.wait()
    started = time.monotonic()
    if value is None:
        t.join(120)
        bulk.outcomes["duration"] = time.monotonic() - started
    else:
        time.sleep(kill_delay(bulk, name, value))
    victim.process.kill()
    victim.process.wait(10)
    t.join(60)
    victim.stop()  # closes the log files
    if value is None:  # after the kill, so that a failure leaves no server behind
        assert answer.get("status") == 200, answer

    restarted = AmisServer(store, tmp_path, name="restarted")
    restarted.start()
    try:
        committed = check_store(store, bulk)
        bulk.outcomes[name] = committed
        if answer.get("status") == 200:
            assert committed, "the server answered 200 but the approval is not in the store"
        if name == "50ms":
            assert not committed, f"{N} inserts approved in 50 ms: the kill did not interrupt anything"
        r = approve(restarted.url, bulk.cs_id, bulk.tokens["expert2"])
        if committed:
            assert r.status_code == 409, f"a second approval: HTTP {r.status_code} {r.text[:300]}"
        else:
            assert r.status_code == 200, r.text[:500]
            assert r.json()["state"] == "approved"
        assert check_store(store, bulk), "approved after the restart, but not in the store"
    finally:
        stop_cleanly(restarted)


def test_some_kills_interrupted_the_approval(bulk):
    """The kills above are only meaningful if some landed before the commit (and the one
    after the answer, after it)."""
    if not all(k[0] in bulk.outcomes for k in KILLS):
        pytest.skip("meaningful only after every kill test")
    outcomes = {k[0]: bulk.outcomes[k[0]] for k in KILLS}
    assert outcomes["after-answer"] and not outcomes["50ms"], outcomes


# --------------------------------------------------------------------------- concurrent reviewers


@dataclass
class Review:
    store: Path
    tokens: dict[str, str]
    srv: AmisServer


@pytest.fixture(scope="module")
def review(tmp_path_factory, store_path):
    work = tmp_path_factory.mktemp("concurrent-review")
    store = ss.copy_store(store_path, work / "store.gpkg")
    tokens = add_users(store)
    srv = AmisServer(store, work, name="review")  # no [editing]: every write waits for review
    srv.start()
    yield Review(store, tokens, srv)
    stop_cleanly(srv)


def wfs_transaction(rv: Review, actions: str, who: str = "tha-editor") -> int:
    """Posts a 2.0 transaction; the id of the change set it leaves for review."""
    body = f'<wfs:Transaction service="WFS" version="2.0.0" {NS20}>{actions}</wfs:Transaction>'
    with http_session() as s:
        r = s.post(rv.srv.url + "/wfs", data=body.encode(), timeout=60,
                   headers={"Content-Type": "application/xml", "Authorization": f"Bearer {rv.tokens[who]}"})
    assert r.status_code == 200, r.text[:500]
    location = r.headers.get("Location", "")
    assert "/changesets/" in location, f"not left for review: {r.headers}"
    return int(location.rsplit("/", 1)[1])


def rename(fid: int, name: str) -> str:
    return ('<wfs:Update typeName="amis:coal_mines"><wfs:Property><wfs:ValueReference>mine_name</wfs:ValueReference>'
            f'<wfs:Value>{name}</wfs:Value></wfs:Property><fes:Filter><fes:ResourceId rid="coal_mines.{fid}"/>'
            "</fes:Filter></wfs:Update>")


def concurrently(*calls) -> list:
    """Runs the calls in threads released together; their results (or exceptions)."""
    barrier = threading.Barrier(len(calls))
    out: list = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            out[i] = call()
        except Exception as e:  # noqa: BLE001 - reported by the caller
            out[i] = e

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return out


def state_of(store: Path, cs_id: int) -> str:
    return scalar(store, "SELECT state FROM amis_change_sets WHERE id = ?", (cs_id,))


def test_conflicting_change_sets_approved_concurrently(review):
    store = review.store
    fid = scalar(store, "SELECT min(fid) FROM coal_mines WHERE iso3 = 'THA'")
    versions = scalar(store, "SELECT count(*) FROM amis_feature_versions WHERE collection = 'coal_mines' AND fid = ?",
                      (fid,))
    winners = []
    for round_ in range(6):
        a = wfs_transaction(review, rename(fid, f"round {round_} A"))
        b = wfs_transaction(review, rename(fid, f"round {round_} B"))
        first, second = ("expert", "expert2") if round_ % 2 else ("expert2", "expert")
        ra, rb = concurrently(lambda: approve(review.srv.url, a, review.tokens[first]),
                              lambda: approve(review.srv.url, b, review.tokens[second]))
        assert isinstance(ra, requests.Response) and isinstance(rb, requests.Response), (ra, rb)
        assert sorted([ra.status_code, rb.status_code]) == [200, 409], (ra.text[:300], rb.text[:300])
        winner, loser, tag = (a, b, "A") if ra.status_code == 200 else (b, a, "B")
        loser_answer = rb if ra.status_code == 200 else ra
        assert "conflict" in loser_answer.text.lower() or "changed" in loser_answer.text.lower(), loser_answer.text
        winners.append(tag)
        assert scalar(store, "SELECT mine_name FROM coal_mines WHERE fid = ?", (fid,)) == f"round {round_} {tag}"
        assert (state_of(store, winner), state_of(store, loser)) == ("approved", "submitted")
        # one new version per round; the first change of an imported feature adds version 0 too
        now = scalar(store, "SELECT count(*) FROM amis_feature_versions WHERE collection = 'coal_mines' AND fid = ?",
                     (fid,))
        assert now == max(versions, 1) + round_ + 1, f"round {round_}: {now} versions"
    assert scalar(store, "SELECT count(*) FROM coal_mines WHERE fid = ?", (fid,)) == 1


def test_one_change_set_approved_twice_concurrently_applies_once(review):
    store = review.store
    count = scalar(store, "SELECT count(*) FROM coal_mines")
    features = "".join(
        "<amis:coal_mines><amis:geometry><gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\">"
        f"<gml:pos>{14 + i // 50 * 0.01:.2f} {100 + i % 50 * 0.01:.2f}</gml:pos></gml:Point></amis:geometry>"
        f"<amis:mine_name>twice-{i:03d}</amis:mine_name></amis:coal_mines>" for i in range(500))
    cs = wfs_transaction(review, f"<wfs:Insert>{features}</wfs:Insert>")
    assert scalar(store, "SELECT count(*) FROM coal_mines") == count
    r1, r2 = concurrently(lambda: approve(review.srv.url, cs, review.tokens["expert"]),
                          lambda: approve(review.srv.url, cs, review.tokens["expert2"]))
    assert sorted([r1.status_code, r2.status_code]) == [200, 409], (r1.text[:300], r2.text[:300])
    assert scalar(store, "SELECT count(*) FROM coal_mines") == count + 500
    assert query(store, "SELECT count(*), count(DISTINCT mine_name) FROM coal_mines "
                        "WHERE mine_name LIKE 'twice-%'") == [(500, 500)]
    assert scalar(store, "SELECT count(*) FROM amis_feature_versions WHERE change_set = ?", (cs,)) == 500
    assert scalar(store, "SELECT feature_count FROM amis_collections WHERE id = 'coal_mines'") == count + 500
    assert state_of(store, cs) == "approved"


def test_approve_racing_reject_ends_in_one_state(review):
    store = review.store
    fid = scalar(store, "SELECT max(fid) FROM coal_mines WHERE iso3 = 'THA'")
    outcomes = set()
    for round_ in range(6):
        old = scalar(store, "SELECT mine_name FROM coal_mines WHERE fid = ?", (fid,))
        cs = wfs_transaction(review, rename(fid, f"approve or reject {round_}"))
        with http_session() as s:
            reject = lambda: s.post(f"{review.srv.url}/changesets/{cs}/reject",  # noqa: E731
                                    json={"comment": "no"}, timeout=60,
                                    headers={"Authorization": f"Bearer {review.tokens['expert2']}"})
            ra, rr = concurrently(lambda: approve(review.srv.url, cs, review.tokens["expert"]), reject)
        assert sorted([ra.status_code, rr.status_code]) == [200, 409], (ra.text[:300], rr.text[:300])
        name = scalar(store, "SELECT mine_name FROM coal_mines WHERE fid = ?", (fid,))
        if ra.status_code == 200:
            assert (state_of(store, cs), name) == ("approved", f"approve or reject {round_}")
        else:
            assert (state_of(store, cs), name) == ("rejected", old)
        outcomes.add(state_of(store, cs))
    assert outcomes <= {"approved", "rejected"}
