"""A request whose client has gone stops working (issue 21): the server watches the
connection while a worker serves the request, and the request's queries stop at their
next step. Measured as the server's CPU time after the client closed: a query of about
6 s of SQLite, abandoned after 0.7 s, must not go on burning a core."""
from __future__ import annotations

import os
import time
import urllib.parse

import pytest

# The CPU measured is the amis process's: on PostGIS the query runs in the database's backend
# (whose cancellation pg-core's PQcancel on client-gone is to prove: pg_stat_activity, a gap).
pytestmark = pytest.mark.gpkg_only("measures the SQLite query's CPU in the amis process")

from bounds_support import serving
from http_support import connect

# The heavy filter of test_filter_bounds: ~6 s of SQLite on the 200,000-point grid, most of it
# counting numberMatched. Each request's filter differs (`floor` is below every value, so all
# match): a count is kept per collection version and query, so the same filter twice would be
# answered from the first one's count.
def heavy_cql2(floor: int) -> str:
    return ("(" + " AND ".join([f"value >= {floor}"] * 999) + ") AND NOT (" +
            " OR ".join([f"value < {floor}"] * 1000) + ")")


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


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


def test_the_heavy_query_does_work_when_its_client_waits(patient_server):
    """The control: the same request with its client waiting takes seconds of CPU."""
    pid = patient_server.process.pid
    before = cpu_seconds(pid)
    s = heavy_request(patient_server.port, 0)
    s.settimeout(120)
    assert s.recv(12).startswith(b"HTTP/1.1 200")
    s.close()
    assert cpu_seconds(pid) - before > 2.0


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
