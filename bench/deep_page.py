#!/usr/bin/python3
"""Deep pages (issue 14): the first items page against the page at feature N, reached by the
keyset `next` link (after=<id>) and by offset, plus what numberMatched costs on its own.

    /usr/bin/python3 bench/deep_page.py URL COLLECTION [--at 1000000] [--limit 1000] [--runs 21]

URL is a running AMIS (any store: `--store x.gpkg` or `--store postgresql://...`). Prints the
median and p90 of each case in milliseconds and the ratios deep/first; run it against the
GeoPackage and the PostGIS node on the same data (bench/make_data.py, fixed seed).
"""
import argparse
import statistics
import sys
import time

import requests


def timed(session: requests.Session, url: str, params: dict, runs: int) -> tuple[float, float, dict]:
    times, doc = [], None
    session.get(url, params=params).raise_for_status()  # warm the caches once
    for _ in range(runs):
        t0 = time.perf_counter()
        r = session.get(url, params=params)
        times.append((time.perf_counter() - t0) * 1000)
        r.raise_for_status()
        doc = r.json()
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))], doc


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("collection")
    ap.add_argument("--at", type=int, default=1_000_000, help="the deep page's position")
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=21)
    a = ap.parse_args()
    items = f"{a.url.rstrip('/')}/collections/{a.collection}/items"
    s = requests.Session()
    first = s.get(items, params={"limit": 1, "f": "json"}).json()
    matched = first["numberMatched"]
    at = min(a.at, matched - a.limit)
    # The id at position `at` in id order, found by walking keyset pages of 10,000 ids (not timed).
    after, pos = None, 0
    while pos < at:
        step = min(10_000, at - pos)
        params = {"limit": step, "properties": ""}
        if after is not None:
            params.update(after=after, offset=pos)
        page = s.get(items, params=params).json()
        after, pos = page["features"][-1]["id"], pos + len(page["features"])
    cases = {
        "first page": {"limit": a.limit},
        f"keyset page at {at}": {"limit": a.limit, "offset": at, "after": after},
        f"offset page at {at}": {"limit": a.limit, "offset": at},
    }
    print(f"# {items}: {matched} features, limit {a.limit}, {a.runs} runs per case")
    results = {}
    for name, params in cases.items():
        p50, p90, doc = timed(s, items, params, a.runs)
        results[name] = p50
        assert doc["numberReturned"] == a.limit and doc["numberMatched"] == matched, name
        print(f"{name:>28}: p50 {p50:8.1f} ms  p90 {p90:8.1f} ms")
    deep = [n for n in results if n.startswith("keyset")][0]
    off = [n for n in results if n.startswith("offset")][0]
    print(f"keyset deep / first: {results[deep] / results['first page']:.2f}x   "
          f"offset deep / first: {results[off] / results['first page']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
