"""A request whose client has gone stops working (issue 21): the server watches the
connection while a worker serves the request, and the request's queries stop at their
next step. Measured as the server's CPU time after the client closed: a query of about
6 s of SQLite, abandoned after 0.7 s, must not go on burning a core."""
from __future__ import annotations

import time
import urllib.parse

import pytest

from bounds_support import serving
from http_support import connect
from support import cpu_seconds, on_postgis

# On GeoPackage the query runs in the amis process: its CPU tells whether it goes on. On
# PostGIS it runs in the database's backend: pg_stat_activity tells (PQcancel on client-gone).

# The heavy filter of test_filter_bounds: ~6 s of SQLite on the 200,000-point grid, most of it
# counting numberMatched. Each request's filter differs (`floor` is below every value, so all
# match): a count is kept per collection version and query, so the same filter twice would be
# answered from the first one's count.
def heavy_cql2(floor: int) -> str:
    return ("(" + " AND ".join([f"value >= {floor}"] * 999) + ") AND NOT (" +
            " OR ".join([f"value < {floor}"] * 1000) + ")")


@pytest.fixture(scope="module")
def patient_server(tmp_path_factory, grid_store):
    with serving(grid_store, tmp_path_factory.mktemp("client-gone"), "client-gone",
                 "[server]\nwork_timeout_seconds = 120\n") as srv:
        yield srv


def heavy_request(port: int, floor: int):
    s = connect(port)
    query = urllib.parse.urlencode({"filter": heavy_cql2(floor)})
    s.sendall(f"GET /collections/grid/items?{query} HTTP/1.1\r\nHost: h\r\n\r\n".encode())
    return s


def active_store_queries(server) -> int:
    """The store database's statements running now, other than this one."""
    import pg_support
    name = pg_support.database_name(server.store)
    return int(pg_support.cluster().psql("postgres", (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = '%s' AND state = 'active' "
        "AND pid <> pg_backend_pid()") % name).strip())


@pytest.mark.gpkg_only("measures the SQLite query's CPU in the amis process")
def test_the_heavy_query_does_work_when_its_client_waits(patient_server):
    """The control: the same request with its client waiting takes seconds of CPU."""
    pid = patient_server.process.pid
    before = cpu_seconds(pid)
    s = heavy_request(patient_server.port, 0)
    s.settimeout(120)
    assert s.recv(12).startswith(b"HTTP/1.1 200")
    s.close()
    assert cpu_seconds(pid) - before > 2.0


@pytest.mark.gpkg_only("measures the SQLite query's CPU in the amis process")
def test_a_client_that_leaves_stops_its_query(patient_server):
    pid = patient_server.process.pid
    s = heavy_request(patient_server.port, -1)
    time.sleep(0.7)
    s.close()
    time.sleep(0.3)  # the server notices at the query's next progress step
    before = cpu_seconds(pid)
    time.sleep(2.5)
    spent = cpu_seconds(pid) - before
    assert spent < 0.5, f"the server spent {spent:.2f} CPU-seconds after its client left"
    time.sleep(0.2)
    assert "(client gone)" in patient_server.access_log().splitlines()[-1]


@pytest.mark.skipif(not on_postgis(), reason="the PostGIS backend's query (the GeoPackage's is measured above)")
def test_the_heavy_postgis_query_runs_while_its_client_waits(patient_server):
    """The control: with its client waiting, the statement stays active well over the
    1.3 s the next test allows its cancellation (0.3 s + 1 s)."""
    started = time.monotonic()
    s = heavy_request(patient_server.port, -4)
    s.settimeout(120)
    assert s.recv(12).startswith(b"HTTP/1.1 200")
    s.close()
    assert time.monotonic() - started > 1.5


@pytest.mark.skipif(not on_postgis(), reason="the PostGIS backend's query (the GeoPackage's is measured above)")
def test_a_client_that_leaves_cancels_its_postgis_query(patient_server):
    """The heavy query runs in a PostgreSQL backend while its client waits; once the client
    has gone the node cancels it (PQcancel), and no statement of the store is left running."""
    s = heavy_request(patient_server.port, -2)
    deadline = time.monotonic() + 10
    while active_store_queries(patient_server) == 0:  # the control: the query does run
        assert time.monotonic() < deadline, "the heavy query never showed in pg_stat_activity"
        time.sleep(0.05)
    time.sleep(0.3)
    s.close()
    # Left alone the query runs about 2 s more (the control above); cancelled, it stops at once.
    closed = time.monotonic()
    while (running := active_store_queries(patient_server)) > 0 and time.monotonic() < closed + 1.0:
        time.sleep(0.05)
    print(f"the store's statements ended {time.monotonic() - closed:.2f} s after the client left")
    assert running == 0, "the store's query went on after its client left"
    time.sleep(0.2)
    assert "(client gone)" in patient_server.access_log().splitlines()[-1]
