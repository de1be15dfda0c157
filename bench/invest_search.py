#!/usr/bin/python3
"""The investor search's example question on the bench data, timed on one store.

  /usr/bin/python3 bench/invest_search.py STORE AMIS_BIN SOURCE.gpkg [RUNS]

STORE is a GeoPackage path or a postgresql:// URL (bench/invest_search.sh gives both);
SOURCE is bench/make_invest_data.py's file. Imports deposits, licences and ports, serves
them, and asks RUNS times (after one warm-up) for every answer of

  copper or nickel deposits with tonnage >= 10 Mt in IDN or PHL, not inside an active
  licence, within 50 km of a port

as one CQL2 filter on /collections/deposits/items (limit 10000: the whole answer in one
response, as the portal's download asks), then the same with limit=10 (a first page and
its numberMatched, as the portal's search asks). Prints each run's wall time, the median,
and the answer's size checked against SpatiaLite (the tests' oracle, over SOURCE).
"""
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import json
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration" / "investment_search"))
from invest_support import Oracle, Question  # noqa: E402

EXAMPLE = Question("example", ("Cu", "Ni"), 10, ("IDN", "PHL"), "outside-active", 50)
# Joins with a weak attribute filter: every deposit of Indonesia (about 18,000) is a candidate.
BROAD = Question("broad", (), None, ("IDN",), "outside-active", 50)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*argv):
    r = subprocess.run(argv, capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"{' '.join(map(str, argv))}: {r.stderr}")


def ask(url):
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        doc = json.loads(r.read())
    return time.perf_counter() - t0, doc


def main():
    store, amis, source = sys.argv[1], sys.argv[2], sys.argv[3]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 7
    for layer in ("deposits", "licences", "ports"):
        run(amis, "import", source, "--layer", layer, "--collection", layer, "--store", store)
    port = free_port()
    work = tempfile.mkdtemp(prefix="invest-bench-")
    server = subprocess.Popen([amis, "serve", "--store", store, "--port", str(port)], cwd=work,
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "stderr"), "wb"))
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        oracle = Oracle(Path(source))
        for question, limit in ((EXAMPLE, 10000), (EXAMPLE, 10), (BROAD, 10000)):
            expected = len(oracle.ids(question))
            cql2 = question.cql2_text()
            print(f"# {store.split('?')[0] if store.startswith('postgresql') else store}: {cql2}")
            url = f"{base}/collections/deposits/items?" + urllib.parse.urlencode({"filter": cql2, "limit": limit, "f": "json"})
            ask(url)  # warm-up: the page cache and the statement cache
            times = []
            for i in range(runs):
                t, doc = ask(url)
                times.append(t)
                assert doc["numberMatched"] == expected, (doc["numberMatched"], expected)
            print(f"{question.name}, limit={limit}: {expected} deposits match, as SpatiaLite counts; runs "
                  + " ".join(f"{t * 1000:.0f}" for t in times) + f" ms; median {statistics.median(times) * 1000:.0f} ms")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
