"""The PostgreSQL harness itself (pg_support): a private cluster per test process, a database
with PostGIS per store path, copies, and no postgres left behind however the run ends
(normal end, Ctrl-C with and without pytest-xdist, SIGKILL of the process that started it).

These tests start clusters of their own (never the session's), so they run on either backend.
What they check is read back from PostgreSQL with psql, from /proc and from the file system.
"""
from __future__ import annotations

import os
import pwd
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import pg_support
from support import REPO_ROOT

INTEGRATION = Path(__file__).resolve().parents[1]
SLEEPER_ENV = "AMIS_PG_HARNESS_SLEEPER"


def postgres_processes_under(root: Path) -> list[int]:
    """Pids of postgres processes whose command line or data directory lies under root."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(entry / "cwd") if (entry / "cwd").exists() else ""
        except OSError:
            continue
        if ("postgres" in cmdline or "postgres" in cwd) and (str(root) in cmdline or cwd.startswith(str(root))):
            pids.append(int(entry.name))
    return pids


def wait_until(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture
def cluster():
    c = pg_support.new_cluster()
    yield c
    c.stop()


def test_a_cluster_runs_as_postgres_on_loopback_and_its_own_socket(cluster):
    pid = cluster.postmaster_pid()
    assert pid is not None
    owner = (Path("/proc") / str(pid)).stat().st_uid
    if os.geteuid() == 0:
        assert owner == pwd.getpwnam("postgres").pw_uid, "root must not run postgres"
        assert cluster.root.stat().st_uid == owner
    assert cluster.psql("postgres", "SHOW listen_addresses").strip() == "127.0.0.1"
    assert cluster.psql("postgres", "SHOW unix_socket_directories").strip() == str(cluster.root)
    assert (cluster.root / f".s.PGSQL.{cluster.port}").is_socket()
    assert cluster.psql("postgres", "SELECT version()").startswith("PostgreSQL 15.")
    # the TCP listener answers too (what amis connects to)
    r = subprocess.run(pg_support._as_owner([str(pg_support.PG_BIN / "psql"), "-X", "-A", "-t",
                                             cluster.dsn("postgres"), "-c", "SELECT 1"]),
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and r.stdout.strip() == "1", r.stderr


def test_a_cluster_has_the_fast_test_settings(cluster):
    for name in ("fsync", "synchronous_commit", "full_page_writes"):
        assert cluster.psql("postgres", f"SHOW {name}").strip() == "off", name


def test_every_store_gets_its_own_database_with_postgis(cluster, tmp_path, monkeypatch):
    monkeypatch.setattr(pg_support, "_cluster", cluster)
    monkeypatch.setattr(pg_support, "_created", set())
    a, b = tmp_path / "a.gpkg", tmp_path / "sub" / "b.gpkg"
    (tmp_path / "sub").mkdir()
    url_a, url_b = pg_support.store_url(a), pg_support.store_url(b)
    assert url_a != url_b
    assert pg_support.store_url(a) == url_a, "one path, one database"
    assert url_a == f"postgresql://postgres@127.0.0.1:{cluster.port}/{pg_support.database_name(a)}"
    assert {pg_support.database_name(a), pg_support.database_name(b)} <= cluster.databases()
    for store in (a, b):
        db = pg_support.database_name(store)
        assert cluster.psql(db, "SELECT extversion FROM pg_extension WHERE extname = 'postgis'").startswith("3.3")
        assert cluster.psql(db, "SELECT ST_AsText(ST_Point(1, 2))").strip() == "POINT(1 2)"
    # a path in a folder that does not exist gets no database (as no GeoPackage could be made)
    missing = tmp_path / "no" / "dir" / "x.gpkg"
    pg_support.store_url(missing)
    assert pg_support.database_name(missing) not in cluster.databases()


def test_a_copied_store_is_a_separate_database_with_the_same_rows(cluster, tmp_path, monkeypatch):
    monkeypatch.setattr(pg_support, "_cluster", cluster)
    monkeypatch.setattr(pg_support, "_created", set())
    source, target = tmp_path / "source.gpkg", tmp_path / "target.gpkg"
    src_db = pg_support.store_database(source)
    cluster.psql(src_db, "CREATE TABLE sites (id serial PRIMARY KEY, geom geometry(Point, 4326), name text);"
                         "INSERT INTO sites (geom, name) SELECT ST_SetSRID(ST_Point(i, i), 4326), 'site ' || i "
                         "FROM generate_series(1, 100) i")
    # a connection held open on the source (a running server) must not stop the copy
    holder = subprocess.Popen(pg_support._as_owner([str(pg_support.PG_BIN / "psql"), "-X", cluster.dsn(src_db),
                                                    "-c", "SELECT pg_sleep(30)"]),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.3)
        pg_support.copy_store(source, target)
    finally:
        holder.kill()
        holder.wait()
    dst_db = pg_support.database_name(target)
    digest = "SELECT md5(string_agg(id || ST_AsEWKT(geom) || name, ',' ORDER BY id)) FROM sites"
    assert cluster.psql(dst_db, digest) == cluster.psql(src_db, digest)
    cluster.psql(dst_db, "DELETE FROM sites WHERE id > 50")
    assert cluster.psql(src_db, "SELECT count(*) FROM sites").strip() == "100"
    assert cluster.psql(dst_db, "SELECT count(*) FROM sites").strip() == "50"


def test_stop_ends_postgres_and_removes_the_directory(tmp_path):
    c = pg_support.new_cluster()
    pid, root = c.postmaster_pid(), c.root
    assert pid is not None and postgres_processes_under(root)
    c.stop()
    assert not root.exists()
    assert wait_until(lambda: not postgres_processes_under(root), 10), postgres_processes_under(root)
    assert c.watchdog.poll() is not None, "the watchdog ends with the cluster"
    c.stop()  # idempotent


def test_a_killed_owner_leaves_no_postgres(tmp_path):
    """SIGKILL of the process that started the cluster: no atexit, no pytest hook; the watchdog
    stops postgres and removes its directory."""
    script = (f"import sys; sys.path.insert(0, {str(INTEGRATION)!r}); import pg_support, time\n"
              "c = pg_support.cluster(); print(c.root, flush=True); time.sleep(120)\n")
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    root = Path(child.stdout.readline().strip())
    assert root.is_dir() and postgres_processes_under(root)
    child.kill()
    child.wait()
    assert wait_until(lambda: not postgres_processes_under(root) and not root.exists()), (
        postgres_processes_under(root), root.exists())


@pytest.mark.skipif(not os.environ.get(SLEEPER_ENV), reason="only run by the Ctrl-C test below")
def test_sleeper():
    """Starts this process's cluster, says where, and waits to be interrupted."""
    c = pg_support.cluster()
    Path(os.environ[SLEEPER_ENV]).write_text(str(c.root))
    time.sleep(120)


@pytest.mark.parametrize("workers", [None, 2])
def test_ctrl_c_leaves_no_postgres(tmp_path, workers):
    """A Ctrl-C at the terminal (SIGINT to pytest's process group) in the middle of a test that
    uses the cluster, without and with pytest-xdist."""
    where = tmp_path / "root.txt"
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            f"{Path(__file__).relative_to(REPO_ROOT)}::test_sleeper"]
    if workers:
        argv[4:4] = ["-n", str(workers)]
    else:
        argv[4:4] = ["-p", "no:xdist"]
    run = subprocess.Popen(argv, cwd=REPO_ROOT, env={**os.environ, SLEEPER_ENV: str(where)},
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        started = wait_until(lambda: (where.exists() and where.read_text()) or run.poll() is not None, 120)
        if run.poll() is not None or not started:
            os.killpg(run.pid, signal.SIGKILL)
            pytest.fail(f"the sleeper never started: {run.communicate()[0].decode(errors='replace')[-3000:]}")
        root = Path(where.read_text())
        assert wait_until(lambda: bool(postgres_processes_under(root)), 10)
        os.killpg(run.pid, signal.SIGINT)
        try:
            out, _ = run.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            # pytest-xdist sometimes waits on a worker after one Ctrl-C on a loaded machine; a
            # user presses it again. What is checked is that no postgres is left behind.
            os.killpg(run.pid, signal.SIGINT)
            out, _ = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    assert wait_until(lambda: not postgres_processes_under(root) and not root.exists(), 20), (
        postgres_processes_under(root), out.decode(errors="replace")[-2000:])
