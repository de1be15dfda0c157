#!/usr/bin/env python3
"""OGC API - Records latencies of a running AMIS on a large catalogue (one client,
sequential requests, first page of 10 with numberMatched): q, bbox, q+bbox+datetime,
each with and without facets=true, facets over the whole catalogue, and a deep page
(offset near the end). Prints p50/p99 per case in milliseconds and checks that
every answer has an exact numberMatched. Queries come from a fixed seed.

    bench/records_latency.py http://127.0.0.1:18094 [--n 100] [--timeout 600]
"""
import argparse
import random
import statistics
import time

import requests

TERMS = ["gold", "copper", "nickel", "coal", "tin", "bauxite", "geochemical", "deposits", "mine", "survey"]


def box(rng):
    x, y = rng.uniform(92, 135), rng.uniform(-10, 35)
    w = rng.uniform(2, 15)
    return f"{x:.3f},{y:.3f},{x + w:.3f},{y + w:.3f}"


def interval(rng):
    start = rng.randint(1970, 2015)
    return f"{start}-01-01T00:00:00Z/{start + rng.randint(1, 10)}-12-31T23:59:59Z"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--timeout", type=float, default=600, help="seconds a request may take before it counts as refused")
    a = p.parse_args()
    items = a.url.rstrip("/") + "/collections/catalog/items"
    s = requests.Session()
    s.trust_env = False
    rng = random.Random(20261205)
    total = s.get(items, params={"limit": 1, "f": "json"}, timeout=600).json()["numberMatched"]
    cases = {
        "q": lambda: {"q": rng.choice(TERMS)},
        "bbox": lambda: {"bbox": box(rng)},
        "q+bbox+datetime": lambda: {"q": rng.choice(TERMS), "bbox": box(rng), "datetime": interval(rng)},
        "q+facets": lambda: {"q": rng.choice(TERMS), "facets": "true"},
        "q+bbox+datetime+facets": lambda: {"q": rng.choice(TERMS), "bbox": box(rng), "datetime": interval(rng),
                                           "facets": "true"},
        "whole catalogue+facets": lambda: {"facets": "true"},
        "deep page (offset)": lambda: {"offset": total - rng.randint(10, 1000)},
    }
    print(f"# {total} records, {a.n} requests per case, one client, limit 10")
    for name, params in cases.items():
        times, refused = [], 0
        for i in range(a.n + 1):
            query = {"f": "json", "limit": 10, **params()}
            t = time.perf_counter()
            try:
                r = s.get(items, params=query, timeout=a.timeout)
            except requests.Timeout:
                refused += 1
                continue
            elapsed = (time.perf_counter() - t) * 1000
            if r.status_code != 200:  # the server's work budget ran out: counted, not timed
                refused += 1
                continue
            doc = r.json()
            assert isinstance(doc.get("numberMatched"), int), doc.keys()
            if i:  # the first one warms
                times.append(elapsed)
        times.sort()
        if not times:
            print(f"{name:24s} every request refused ({refused})")
            continue
        print(f"{name:24s} p50 {statistics.median(times):8.1f} ms   p99 {times[max(0, int(len(times) * 0.99) - 1)]:8.1f} ms"
              + (f"   ({refused} refused or over --timeout)" if refused else ""))


if __name__ == "__main__":
    main()
