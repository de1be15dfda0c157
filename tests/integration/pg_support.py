"""A private PostgreSQL 15 + PostGIS cluster for the integration tests, and a database in it
for every store the tests create when they run against the PostGIS backend
(AMIS_STORE_BACKEND=postgis).

One cluster per pytest process: each pytest-xdist worker starts its own, on a free port, the
first time a test asks for a PostGIS store (never when the suite runs on GeoPackage). A
cluster per worker rather than one shared by all: nothing to coordinate between processes
(who starts it, who may stop it while another worker still uses it), a worker that dies takes
only its own databases with it, and initdb costs half a second.

PostgreSQL refuses to run as root and CI runs as root: initdb, pg_ctl and psql then run as
the `postgres` user (runuser), in a directory of /tmp owned by that user. The cluster listens
on 127.0.0.1 and on a unix socket in its directory, trusts local connections, and trades
durability for speed (fsync, synchronous_commit and full_page_writes off): a test database
that a crash loses is recreated by the next run.

It is stopped (and its directory removed) when the session ends, also after failures and
Ctrl-C (pytest's sessionfinish, and atexit); a watchdog process stops it should the pytest
process die without either (SIGKILL), so no postgres outlives its test run.
"""
from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PG_BIN = Path(os.environ.get("AMIS_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "postgres"
TEMPLATE = "amis_template"  # has the postgis extension; every store database is a copy of it
# The PostGIS store keeps each collection's features in a table of this schema named after
# the collection, its own tables (amis_*) in public: readers look in both, in this order, so
# that a test's `SELECT … FROM coal_mines` or OGR layer "coal_mines" means the same table on
# either backend.
FEATURE_SCHEMA = "amis_data"

# Settings for a throwaway test cluster (postgresql.conf lines).
TEST_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",  # a few servers with their pools, the CLI and the readers
    "shared_buffers": "64MB",
    "log_min_messages": "warning",
    "log_min_error_statement": "panic",  # hostile tests send bad SQL values on purpose
    "logging_collector": "off",
    "autovacuum": "off",  # short-lived databases; the tests' ANALYZE-free plans are fine
    "max_wal_size": "1GB",
    "timezone": "'UTC'",
}


def _running_as_root() -> bool:
    return os.geteuid() == 0


def _as_owner(argv: list[str]) -> list[str]:
    """The command as the cluster's owner: `postgres` when we are root, else ourselves."""
    return ["runuser", "-u", SUPERUSER, "--", *argv] if _running_as_root() else argv


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_name(store: Path | str) -> str:
    """The database a store path maps to: stable for the path, a valid unquoted identifier."""
    digest = hashlib.sha1(str(Path(store).absolute()).encode()).hexdigest()[:20]
    return f"amis_{digest}"


class ClusterError(RuntimeError):
    pass


@dataclass
class Cluster:
    """initdb + pg_ctl in a private directory; psql for administration."""

    root: Path
    port: int
    watchdog: subprocess.Popen | None = None
    started: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root

    @property
    def log_file(self) -> Path:
        return self.root / "postgres.log"

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def ogr_datasource(self, database: str) -> str:
        """A GDAL `PG:` connection string for the database (what osgeo.ogr opens); the feature
        tables' layers are named after their collections."""
        return (f"PG:host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={database} "
                f"active_schema={FEATURE_SCHEMA}")

    def dsn(self, database: str) -> str:
        """A libpq keyword/value connection string (psycopg2, psql)."""
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={database}"

    # ------------------------------------------------------------------ life cycle

    def start(self) -> None:
        self._run([str(PG_BIN / "initdb"), "-D", str(self.data_dir), "-A", "trust", "-U", SUPERUSER,
                   "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], "initdb")
        with open(self.data_dir / "postgresql.conf", "a") as conf:
            conf.write("\n# amis integration tests\n")
            for key, value in TEST_SETTINGS.items():
                conf.write(f"{key} = {value}\n")
            conf.write(f"port = {self.port}\n")
            conf.write(f"unix_socket_directories = '{self.socket_dir}'\n")
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_file),
                   "-w", "-t", "60", "start"], "pg_ctl start")
        self.started = True
        self.psql("postgres", f"CREATE DATABASE {TEMPLATE}")
        self.psql(TEMPLATE, "CREATE EXTENSION postgis")
        self.psql("postgres", f"ALTER DATABASE {TEMPLATE} WITH IS_TEMPLATE true")

    def stop(self) -> None:
        """Stops the server (fast, then immediate) and removes the directory; idempotent."""
        with self._lock:
            if self.started:
                pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir), "-w", "-t", "30", "stop"]
                fast = subprocess.run(_as_owner([*pg_ctl, "-m", "fast"]), capture_output=True, text=True)
                if fast.returncode != 0 and self.postmaster_pid() is not None:
                    subprocess.run(_as_owner([*pg_ctl, "-m", "immediate"]), capture_output=True, text=True)
                self.started = False
            if self.watchdog is not None and self.watchdog.poll() is None:
                self.watchdog.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.watchdog.wait(timeout=5)
            shutil.rmtree(self.root, ignore_errors=True)

    def postmaster_pid(self) -> int | None:
        """The running postmaster's pid (from postmaster.pid, checked alive), else None."""
        try:
            pid = int((self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass  # alive, another user's
        return pid

    def start_watchdog(self, guarded_pid: int) -> None:
        """A detached process that stops the cluster if `guarded_pid` dies without doing so."""
        script = (
            "import os, subprocess, sys, time, shutil\n"
            "pid, pg_ctl, data, root = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]\n"
            "prefix = sys.argv[5:]\n"
            "while True:\n"
            "    try:\n"
            "        os.kill(pid, 0)\n"
            "    except ProcessLookupError:\n"
            "        break\n"
            "    time.sleep(0.5)\n"
            "if os.path.exists(os.path.join(data, 'postmaster.pid')):\n"
            "    subprocess.run([*prefix, pg_ctl, '-D', data, '-m', 'immediate', '-w', 'stop'],\n"
            "                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
            "shutil.rmtree(root, ignore_errors=True)\n"
        )
        prefix = ["runuser", "-u", SUPERUSER, "--"] if _running_as_root() else []
        self.watchdog = subprocess.Popen(
            [sys.executable, "-c", script, str(guarded_pid), str(PG_BIN / "pg_ctl"), str(self.data_dir),
             str(self.root), *prefix],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)  # a Ctrl-C to the terminal's process group must not kill it

    # ------------------------------------------------------------------ databases

    def psql(self, database: str, sql: str, *, check: bool = True) -> str:
        """Runs SQL through psql on the unix socket; returns its unaligned, tuples-only output."""
        r = subprocess.run(
            _as_owner([str(PG_BIN / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                       "-h", str(self.socket_dir), "-p", str(self.port), "-U", SUPERUSER, "-d", database,
                       "-c", sql]),
            capture_output=True, text=True, timeout=120)
        if check and r.returncode != 0:
            raise ClusterError(f"psql -d {database} -c {sql!r}: {r.stderr.strip()}")
        return r.stdout

    def databases(self) -> set[str]:
        out = self.psql("postgres", "SELECT datname FROM pg_database WHERE NOT datistemplate")
        return {line for line in out.splitlines() if line}

    def create_database(self, name: str) -> None:
        """A new database with PostGIS (a copy of the template); no-op if it exists."""
        with self._lock:
            if name not in self.databases():
                self.psql("postgres", f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")

    def drop_database(self, name: str) -> None:
        self.psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def copy_database(self, source: str, target: str) -> None:
        """`target` := a copy of `source`, also while servers are connected to `source`
        (pg_dump | pg_restore: CREATE DATABASE … TEMPLATE refuses a database in use)."""
        self.drop_database(target)
        self.create_database(target)
        dump = subprocess.Popen(
            _as_owner([str(PG_BIN / "pg_dump"), "-Fc", "-h", str(self.socket_dir), "-p", str(self.port),
                       "-U", SUPERUSER, source]),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        restore = subprocess.run(
            _as_owner([str(PG_BIN / "pg_restore"), "--no-owner", "--exit-on-error", "-h", str(self.socket_dir),
                       "-p", str(self.port), "-U", SUPERUSER, "-d", target]),
            stdin=dump.stdout, capture_output=True, text=True)
        dump.stdout.close()
        dump_err = dump.stderr.read().decode(errors="replace")
        dump.wait()
        if dump.returncode != 0 or restore.returncode != 0:
            raise ClusterError(f"copy {source} -> {target}: {dump_err.strip()} {restore.stderr.strip()}")

    def _run(self, argv: list[str], what: str) -> None:
        r = subprocess.run(_as_owner(argv), capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            log = self.log_file.read_text(errors="replace")[-2000:] if self.log_file.exists() else ""
            raise ClusterError(f"{what} failed ({r.returncode}): {r.stderr.strip()} {log}")


def new_cluster() -> Cluster:
    """Starts a cluster in a fresh directory owned by the cluster's user, with a watchdog on
    this process. The caller stops it."""
    if not (PG_BIN / "initdb").exists():
        raise ClusterError(f"no PostgreSQL 15 at {PG_BIN} (scripts/setup-debian.sh --test installs it)")
    root = Path(tempfile.mkdtemp(prefix="amis-pg-"))
    if _running_as_root():
        user = pwd.getpwnam(SUPERUSER)
        os.chown(root, user.pw_uid, user.pw_gid)
    root.chmod(0o700)
    last: Exception | None = None
    for _ in range(3):  # another process may take the free port between choosing and binding
        cluster = Cluster(root, free_port())
        cluster.start_watchdog(os.getpid())
        try:
            cluster.start()
            return cluster
        except ClusterError as e:
            last = e
            cluster.stop()
            root.mkdir(mode=0o700)
            if _running_as_root():
                os.chown(root, user.pw_uid, user.pw_gid)
            time.sleep(0.2)
    shutil.rmtree(root, ignore_errors=True)
    raise ClusterError(f"could not start PostgreSQL: {last}")


# --------------------------------------------------------------------------- this process's cluster

_cluster: Cluster | None = None
_cluster_lock = threading.Lock()


def cluster() -> Cluster:
    """This process's cluster, started on first use and stopped at exit."""
    global _cluster
    with _cluster_lock:
        if _cluster is None:
            _cluster = new_cluster()
            atexit.register(stop_cluster)
            install_signal_handlers()
        return _cluster


def stop_cluster() -> None:
    global _cluster
    with _cluster_lock:
        if _cluster is not None:
            _cluster.stop()
            _cluster = None


def cluster_running() -> bool:
    return _cluster is not None


def _stop_on_signal(signum, frame):  # SIGTERM to a worker: stop the cluster, then die as asked
    stop_cluster()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def install_signal_handlers() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop_on_signal)


# --------------------------------------------------------------------------- stores as databases

_created: set[str] = set()


def store_database(store: Path | str, *, create: bool = True) -> str:
    """The database of a store path, created with PostGIS on first use when `create` and the
    path's folder exists (a GeoPackage could not be created in a missing folder either)."""
    name = database_name(store)
    if create and name not in _created and Path(store).parent.is_dir():
        cluster().create_database(name)
        _created.add(name)
    return name


def store_url(store: Path | str, create: bool = True) -> str:
    return cluster().url(store_database(store, create=create))


def is_store(path: Path | str) -> bool:
    """Whether this process made a database for the path (given to --store or copied)."""
    return database_name(path) in _created


def store_datasource(store: Path | str) -> str:
    """`PG:` for a store's database; any other path (a source file) unchanged."""
    if not is_store(store):
        return str(store)
    return cluster().ogr_datasource(store_database(store, create=False))


def store_dsn(store: Path | str) -> str:
    return cluster().dsn(store_database(store, create=False))


def copy_store(source: Path | str, target: Path | str) -> None:
    name = database_name(target)
    cluster().copy_database(store_database(source, create=False), name)
    _created.add(name)


def drop_store(store: Path | str) -> None:
    name = database_name(store)
    cluster().drop_database(name)
    _created.discard(name)


# --------------------------------------------------------------------------- reading a store

class StoreConnection:
    """A psycopg2 connection to a store's database with the part of sqlite3's interface the
    tests use (execute with `?` parameters, commit, rollback, close), so that a test's check of
    what was stored runs unchanged on either backend. psycopg2 is libpq's Python binding: as
    independent of AMIS as sqlite3 is for the GeoPackage. Read-only (and autocommit) unless
    `write`; a writer commits like sqlite3's."""

    def __init__(self, dsn: str, write: bool = False):
        import psycopg2
        import psycopg2.extensions
        self._db = psycopg2.connect(dsn, options=f"-c search_path={FEATURE_SCHEMA},public")
        self._db.set_session(readonly=not write, autocommit=not write)
        register_geometry_as_geopackage_blob(self._db)
        # bytea as bytes, as sqlite3 gives blobs (psycopg2's memoryview has its address in its
        # repr, which the tests' table digests hash)
        bytea = psycopg2.extensions.new_type(psycopg2.BINARY.values, "BYTEA_AS_BYTES", lambda value, cursor: (
            None if value is None else bytes(psycopg2.BINARY(value, cursor))))
        psycopg2.extensions.register_type(bytea, self._db)

    def executemany(self, sql: str, rows) -> None:
        with self._db.cursor() as cursor:
            cursor.executemany(qmark_to_pyformat(sql), list(rows))

    def commit(self) -> None:
        self._db.commit()

    def rollback(self) -> None:
        self._db.rollback()

    def execute(self, sql: str, args=()):
        cursor = self._db.cursor()
        if sql.strip().upper() == "PRAGMA CASE_SENSITIVE_LIKE = ON":
            return cursor  # PostgreSQL's LIKE is case-sensitive already
        cursor.execute(qmark_to_pyformat(postgresql_dialect(sql)), tuple(args))  # () still unescapes %%
        return cursor

    def close(self) -> None:
        self._db.close()


def register_geometry_as_geopackage_blob(db) -> None:
    """Geometry values read through this connection come back as GeoPackage geometry blobs
    (GeoPackage 1.3 §2.1.3: "GP", version, flags, srs_id, no envelope, then ISO WKB), the
    form sqlite3 gives on the GeoPackage store, so the tests' one decoder reads both. Only the
    representation changes: the WKB is PostGIS's (EWKB without its SRID)."""
    import psycopg2.extensions
    with db.cursor() as cursor:
        cursor.execute("SELECT oid FROM pg_type WHERE typname = 'geometry'")
        oids = tuple(r[0] for r in cursor.fetchall())
    if not oids:
        return
    geometry = psycopg2.extensions.new_type(oids, "GEOMETRY", lambda value, _cursor: (
        None if value is None else geopackage_blob(bytes.fromhex(value))))
    psycopg2.extensions.register_type(geometry, db)


def geopackage_blob(ewkb: bytes) -> bytes:
    """A PostGIS EWKB geometry as a GeoPackage blob without envelope."""
    import struct
    little = ewkb[0] == 1
    order = "<" if little else ">"
    (kind,) = struct.unpack(order + "I", ewkb[1:5])
    srid = 0
    wkb = ewkb
    if kind & 0x20000000:  # EWKB's SRID flag: the SRID follows the type
        (srid,) = struct.unpack(order + "i", ewkb[5:9])
        wkb = ewkb[:1] + struct.pack(order + "I", kind & ~0x20000000) + ewkb[9:]
    empty = _ewkb_is_empty(wkb, order)
    flags = (0x01 if little else 0) | (0x10 if empty else 0)  # byte order of the header, no envelope
    return b"GP\x00" + bytes([flags]) + struct.pack(("<" if little else ">") + "i", srid or 4326) + wkb


def _ewkb_is_empty(wkb: bytes, order: str) -> bool:
    import struct
    (kind,) = struct.unpack(order + "I", wkb[1:5])
    base = (kind & 0xFFFF) % 1000
    if base == 1:  # a point is empty when both coordinates are NaN
        x, y = struct.unpack(order + "dd", wkb[5:21])
        return x != x and y != y
    (count,) = struct.unpack(order + "I", wkb[5:9])
    return count == 0


RTREE_RE = re.compile(r'"?\brtree_(\w+?)_geom\b"?')


def envelopes_for_rtrees(sql: str) -> str:
    """A GeoPackage R-tree (rtree_<table>_geom: id, minx, maxx, miny, maxy) named in a test's
    SQL read on PostGIS as the envelopes of the table's geometries, computed by PostGIS from
    what is stored, with the same columns (empty and null geometries have no entry, as in the
    R-tree). The GeoPackage's values are 32-bit floats rounded outwards, these are exact."""
    def table(m: re.Match) -> str:
        name = m.group(1)
        return (f'(SELECT fid AS id, ST_XMin(geom) AS minx, ST_XMax(geom) AS maxx, ST_YMin(geom) AS miny, '
                f'ST_YMax(geom) AS maxy FROM {FEATURE_SCHEMA}."{name}" WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)) '
                f'AS "rtree_{name}_geom"')
    return RTREE_RE.sub(table, sql)


TYPEOF_RE = re.compile(r"\btypeof\(([^()]+)\)")
GLOB_RE = re.compile(r"(\w+) GLOB '([^'*?\[]*(?:[*?][^'*?\[]*)*)'")


def postgresql_dialect(sql: str) -> str:
    """The few SQLite words of the tests' SQL in PostgreSQL's: R-trees (envelopes_for_rtrees),
    typeof() as SQLite's storage class of the value PostgreSQL holds ('integer', 'real',
    'text', 'blob', 'null'), GLOB (case-sensitive, * and ?) as LIKE (% and _), and
    `IS NOT value` as IS DISTINCT FROM."""
    def storage_class(m: re.Match) -> str:
        v = m.group(1)
        return (f"(CASE WHEN ({v}) IS NULL THEN 'null' "
                f"WHEN pg_typeof({v})::text IN ('smallint', 'integer', 'bigint', 'boolean') THEN 'integer' "
                f"WHEN pg_typeof({v})::text IN ('real', 'double precision', 'numeric') THEN 'real' "
                f"WHEN pg_typeof({v})::text = 'bytea' THEN 'blob' ELSE 'text' END)")

    def like(m: re.Match) -> str:
        pattern = m.group(2).replace("%", "\\%").replace("_", "\\_").replace("*", "%").replace("?", "_")
        return f"{m.group(1)} LIKE '{pattern}'"
    sql = GLOB_RE.sub(like, TYPEOF_RE.sub(storage_class, envelopes_for_rtrees(sql)))
    return re.sub(r"\bIS NOT (?=['?])", "IS DISTINCT FROM ", sql)  # SQLite's IS NOT with a value


def qmark_to_pyformat(sql: str) -> str:
    """sqlite3's `?` placeholders as psycopg2's `%s` (outside quoted text); `%` doubled."""
    out, quote = [], None
    for ch in sql:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        else:
            out.append("%%" if ch == "%" else ch)
    return "".join(out)


def connect_store(store: Path | str, write: bool = False) -> StoreConnection:
    return StoreConnection(store_dsn(store), write)
