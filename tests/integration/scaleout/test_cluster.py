"""Scale-out (issue 14) through scripts/cluster.sh, as a user would run it: a PostgreSQL primary and
a streaming replica (run as the postgres user), three stateless amis nodes and HAProxy in front.

Checked through HAProxy: a signed-in editor reads their own approved writes 50 times out of 50
while the replica replays with a delay (recovery_min_apply_delay), which anonymous reads show;
reads move to the primary when the replica stops; a node killed with SIGKILL loses no acknowledged
approval and the others keep answering; after the primary stops and the replica is promoted, the
nodes reconnect and every acknowledged approval is there. The database is read with psql, not
through AMIS."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from support import AMIS_BIN, free_loopback_ports, on_postgis

ROOT = Path(__file__).resolve().parents[3]
CLUSTER = ROOT / "scripts" / "cluster.sh"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PASSWORD = "correct horse battery staple"
MERGE_PATCH = "application/merge-patch+json"

# It starts its own databases: it runs once, in the PostGIS pass of scripts/test.sh.
pytestmark = [pytest.mark.skipif(not on_postgis(), reason="runs in the PostGIS pass (--store-backend postgis)"),
              pytest.mark.skipif(not (PG_BIN / "initdb").exists() or not shutil.which("haproxy"),
                                 reason="needs postgresql-15-postgis-3 and haproxy (scripts/setup-debian.sh --test)")]


@dataclass
class Cluster:
    dir: Path
    env: dict
    front: str
    nodes: list[int]
    primary_port: int
    replica_port: int
    tokens: dict = field(default_factory=dict)
    killed: set = field(default_factory=set)

    @property
    def run(self) -> Path:
        return self.dir / "run"

    def psql(self, port: int, sql: str) -> str:
        cmd = [str(PG_BIN / "psql"), "-h", str(self.run), "-p", str(port), "-U", "postgres", "-Atqc", sql, "amis"]
        if os.getuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=60).stdout.strip()

    def pg_ctl(self, *args: str) -> None:
        cmd = [str(PG_BIN / "pg_ctl"), *args]
        if os.getuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def auth(self, user: str) -> dict:
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def node_pid(self, port: int) -> int:
        return int((self.dir / f"node-{port}.pid").read_text())


def amis_cli(store_url: str, *args: str, stdin: str | None = None) -> str:
    r = subprocess.run([str(AMIS_BIN), *args, "--store", store_url], input=stdin, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


@pytest.fixture(scope="module")
def cluster():
    # Not under pytest's 0700 temporary folder: the postgres user must reach it.
    work = Path(tempfile.mkdtemp(prefix="amis-cluster-", dir="/tmp"))
    work.chmod(0o755)
    *nodes, primary, replica, front = free_loopback_ports(6)
    c = Cluster(work, {}, "", nodes, primary, replica)
    c.front = f"http://127.0.0.1:{front}"
    c.env = {**os.environ, "AMIS_CLUSTER_DIR": str(work), "PORT": str(front), "NODE_PORTS": " ".join(map(str, nodes)),
             "PRIMARY_PORT": str(c.primary_port), "REPLICA_PORT": str(c.replica_port), "AMIS_BIN": str(AMIS_BIN)}
    try:
        r = subprocess.run([str(CLUSTER), "start"], env=c.env, capture_output=True, text=True, timeout=900)
        assert r.returncode == 0, r.stdout + r.stderr
        url = (f"postgresql:///amis?host={c.run},{c.run}&port={c.primary_port},{c.replica_port}"
               "&user=postgres&target_session_attrs=read-write")
        for name, role, country in (("idn-editor", "editor", "IDN"), ("expert", "reviewer", None)):
            extra = ["--country", country] if country else []
            amis_cli(url, "user", "add", name, "--role", role, *extra, stdin=PASSWORD + "\n")
            c.tokens[name] = amis_cli(url, "token", "create", name)
        yield c
    finally:
        r = subprocess.run([str(CLUSTER), "stop"], env=c.env, capture_output=True, text=True, timeout=300)
        left = subprocess.run(["pgrep", "-af", str(work)], capture_output=True, text=True).stdout
        shutil.rmtree(work, ignore_errors=True)
        assert r.returncode == 0, r.stdout + r.stderr
        assert not left.strip(), f"cluster.sh stop left processes running:\n{left}"


def idn_mines(c: Cluster, n: int) -> list[int]:
    page = requests.get(f"{c.front}/collections/coal_mines/items", params={"iso3": "IDN", "limit": n,
                                                                        "properties": "mine_name"}, timeout=60).json()
    assert len(page["features"]) == n
    return [f["id"] for f in page["features"]]


def approve_edit(c: Cluster, fid: int, value: str, session: requests.Session) -> int:
    """PATCHes a mine's status as the IDN editor and approves it as the expert; returns the change set."""
    r = session.patch(f"{c.front}/collections/coal_mines/items/{fid}", data=json.dumps({"properties": {"status": value}}),
                      headers={**c.auth("idn-editor"), "Content-Type": MERGE_PATCH}, timeout=60)
    assert r.status_code == 202, r.text
    cs = r.json()["changeSet"]["id"]
    r = session.post(f"{c.front}/changesets/{cs}/approve", headers=c.auth("expert"), timeout=60)
    assert r.status_code == 200, r.text
    return cs


def status_of(c: Cluster, fid: int, session: requests.Session, user: str | None) -> str:
    r = session.get(f"{c.front}/collections/coal_mines/items/{fid}", headers=c.auth(user) if user else {}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()["properties"]["status"]


def health(port: int) -> dict:
    return requests.get(f"http://127.0.0.1:{port}/health", timeout=30).json()


def wait_for(predicate, seconds: float, what: str):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if value := predicate():
                return value
        except (requests.RequestException, AssertionError):
            pass
        time.sleep(0.25)
    pytest.fail(f"waited {seconds} s for {what}")


def test_each_node_reports_primary_and_replica(cluster):
    for port in cluster.nodes:
        doc = health(port)
        assert doc["status"] == "ok" and doc["store"]["backend"] == "postgis"
        roles = {d["role"]: d for d in doc["store"]["databases"]}
        assert roles["primary"]["reachable"] and roles["replica"]["reachable"]
        assert roles["replica"]["lagSeconds"] >= 0
        assert roles["primary"]["pool"]["size"] == 8
        assert "password" not in json.dumps(doc)


def test_an_editor_reads_their_own_writes_despite_replica_delay(cluster):
    c = cluster
    c.psql(c.replica_port, "ALTER SYSTEM SET recovery_min_apply_delay = '2s'")
    c.psql(c.replica_port, "SELECT pg_reload_conf()")
    fids = idn_mines(c, 50)
    stale_anonymous = 0
    with requests.Session() as s:
        for i, fid in enumerate(fids):
            value = f"Read-your-writes {i}"
            approve_edit(c, fid, value, s)
            assert status_of(c, fid, s, "idn-editor") == value, f"write {i} of 50 not read back by its editor"
            stale_anonymous += status_of(c, fid, s, None) != value
    c.psql(c.replica_port, "ALTER SYSTEM RESET recovery_min_apply_delay")
    c.psql(c.replica_port, "SELECT pg_reload_conf()")
    # The delay was real and anonymous reads went to the replica: most of them saw the old value.
    assert stale_anonymous >= 25, f"only {stale_anonymous} of 50 anonymous reads were behind"
    # The primary holds all 50 (psql, not AMIS).
    got = c.psql(c.primary_port, "SELECT count(*) FROM amis_data.coal_mines WHERE status LIKE 'Read-your-writes %'")
    assert got == "50"


def test_reads_move_to_the_primary_when_the_replica_stops(cluster):
    c = cluster
    c.pg_ctl("-D", str(c.dir / "replica"), "-m", "fast", "-w", "stop")
    try:
        with requests.Session() as s:
            for _ in range(30):
                r = s.get(f"{c.front}/collections/coal_mines/items", params={"limit": 5}, timeout=60)
                assert r.status_code == 200, r.text
        doc = health(c.nodes[0])
        roles = {d["role"]: d for d in doc["store"]["databases"]}
        assert doc["status"] == "ok" and not roles["replica"]["reachable"]
    finally:
        c.pg_ctl("-D", str(c.dir / "replica"), "-l", str(c.dir / "replica.log"), "-w", "start")
    wait_for(lambda: all({d["role"]: d for d in health(p)["store"]["databases"]}["replica"]["reachable"]
                         for p in c.nodes), 60, "the replica to be back in every node's /health")


def test_a_killed_node_loses_no_acknowledged_approval(cluster):
    c = cluster
    fids = idn_mines(c, 60)[50:60]
    acknowledged: list[tuple[int, str]] = []
    failures: list[str] = []

    def writer():
        with requests.Session() as s:
            for round_ in range(3):
                for fid in fids:
                    value = f"Kill test {round_}-{fid}"
                    try:
                        approve_edit(c, fid, value, s)
                        acknowledged.append((fid, value))
                    except (AssertionError, requests.RequestException) as e:
                        failures.append(str(e)[:200])

    t = threading.Thread(target=writer)
    t.start()
    time.sleep(1.0)
    victim = c.nodes[1]
    os.kill(c.node_pid(victim), signal.SIGKILL)
    c.killed.add(victim)
    t.join(timeout=240)
    assert not t.is_alive()
    # The other nodes answer through HAProxy.
    with requests.Session() as s:
        for _ in range(20):
            assert s.get(f"{c.front}/collections/coal_mines/items", params={"limit": 1}, timeout=60).status_code == 200
    # Every acknowledged approval is in the primary, and no change set is half-applied.
    assert len(acknowledged) >= 20, f"{len(acknowledged)} acknowledged, failures: {failures[:3]}"
    latest = {}
    for fid, value in acknowledged:
        latest[fid] = value
    for fid, value in latest.items():
        stored = c.psql(c.primary_port, f"SELECT status FROM amis_data.coal_mines WHERE fid = {fid}")
        assert stored.startswith("Kill test"), (fid, stored)
    half = c.psql(c.primary_port, "SELECT count(*) FROM amis_change_sets cs WHERE cs.state = 'approved' AND "
                                  "(SELECT count(*) FROM amis_changes ch WHERE ch.change_set = cs.id) <> "
                                  "(SELECT count(*) FROM amis_feature_versions v WHERE v.change_set = cs.id)")
    assert half == "0"


def test_promoting_the_replica_keeps_every_acknowledged_approval(cluster):
    c = cluster
    live = [p for p in c.nodes if p not in c.killed]
    before = int(c.psql(c.primary_port, "SELECT count(*) FROM amis_change_sets WHERE state = 'approved'"))
    wait_for(lambda: c.psql(c.replica_port, "SELECT pg_last_wal_replay_lsn() >= '%s'::pg_lsn" %
                            c.psql(c.primary_port, "SELECT pg_current_wal_lsn()")) == "t", 30, "the replica to catch up")
    fid = idn_mines(c, 61)[60]
    c.pg_ctl("-D", str(c.dir / "primary"), "-m", "fast", "-w", "stop")
    # Without a primary every node stays in HAProxy, read-only: reads answer from the replica,
    # a write gets a 503 in OGC API's form, and nothing is left half-done.
    for port in live:
        wait_for(lambda: health(port)["status"] == "read-only", 30, f"node {port} to report read-only")
    with requests.Session() as s:
        for _ in range(10):
            r = s.get(f"{c.front}/collections/coal_mines/items", params={"limit": 2}, timeout=60)
            assert r.status_code == 200, r.text
        r = s.patch(f"{c.front}/collections/coal_mines/items/{fid}", data=json.dumps({"properties": {"status": "x"}}),
                    headers={**c.auth("idn-editor"), "Content-Type": MERGE_PATCH}, timeout=60)
        assert r.status_code == 503 and r.json()["code"] == "ServiceUnavailable", r.text
    c.pg_ctl("-D", str(c.dir / "replica"), "-w", "promote")
    with requests.Session() as s:
        cs = wait_for(lambda: approve_edit(c, fid, "After promotion", s), 60, "a write after the promotion")
        assert status_of(c, fid, s, "idn-editor") == "After promotion"
    after = int(c.psql(c.replica_port, "SELECT count(*) FROM amis_change_sets WHERE state = 'approved'"))
    assert after == before + 1
    assert c.psql(c.replica_port, f"SELECT state FROM amis_change_sets WHERE id = {cs}") == "approved"
    for port in live:
        r = requests.get(f"http://127.0.0.1:{port}/health", timeout=30)
        assert r.status_code == 200 and r.json()["status"] == "ok", r.text
