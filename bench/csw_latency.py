#!/usr/bin/env python3
"""CSW 2.0.2 latencies of a running AMIS on a catalogue (one client, sequential requests):
GetRecordById, GetRecords with an AnyText word, with a BBOX, with both (POST, OGC Filter),
resultType=hits, and a whole export paged by 5,000 records (time, and the server's peak RSS
from /proc when its pid is given). Prints p50/p99 per case in milliseconds.

    bench/csw_latency.py http://127.0.0.1:18094/csw STORE.gpkg [--pid PID] [--n 200] [--no-export]

The ids asked for come from the store (sqlite3 on amis_records), chosen with a fixed seed."""
import argparse
import random
import sqlite3
import statistics
import time

import requests

FILTER = """<csw:GetRecords xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:ogc="http://www.opengis.net/ogc"
 xmlns:gml="http://www.opengis.net/gml" service="CSW" version="2.0.2" resultType="{rt}" maxRecords="10">
<csw:Query typeNames="csw:Record"><csw:ElementSetName>summary</csw:ElementSetName>
<csw:Constraint version="1.1.0"><ogc:Filter>{f}</ogc:Filter></csw:Constraint></csw:Query></csw:GetRecords>"""
WORDS = ["gold", "copper", "nickel", "tin", "bauxite", "lithium", "coal", "geological map", "magnetic", "licences"]


def like(word):
    return ("<ogc:PropertyIsLike wildCard='%' singleChar='_' escapeChar='\\'><ogc:PropertyName>csw:AnyText"
            f"</ogc:PropertyName><ogc:Literal>%{word}%</ogc:Literal></ogc:PropertyIsLike>")


def bbox(rng):
    lon, lat = rng.uniform(95, 140), rng.uniform(-10, 40)
    return ("<ogc:BBOX><ogc:PropertyName>ows:BoundingBox</ogc:PropertyName><gml:Envelope srsName="
            f"'urn:ogc:def:crs:EPSG::4326'><gml:lowerCorner>{lat} {lon}</gml:lowerCorner><gml:upperCorner>"
            f"{lat + 2} {lon + 2}</gml:upperCorner></gml:Envelope></ogc:BBOX>")


def timed(session, method, url, **kw):
    t = time.perf_counter()
    r = session.request(method, url, timeout=600, **kw)
    elapsed = (time.perf_counter() - t) * 1000
    assert r.status_code == 200, r.text[:500]
    return elapsed, r


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("store")
    p.add_argument("--pid", type=int)
    p.add_argument("--n", type=int, default=200)
    p.add_argument("--no-export", action="store_true", help="leave out the whole export")
    a = p.parse_args()
    rng = random.Random(20261205)
    ids = [row[0] for row in sqlite3.connect(a.store).execute("SELECT id FROM amis_records ORDER BY id")]
    s = requests.Session()
    s.trust_env = False
    post = {"headers": {"Content-Type": "application/xml"}}
    cases = {
        "GetRecordById": lambda: timed(s, "GET", a.url, params={
            "service": "CSW", "version": "2.0.2", "request": "GetRecordById", "id": rng.choice(ids)}),
        "AnyText": lambda: timed(s, "POST", a.url, data=FILTER.format(rt="results", f=like(rng.choice(WORDS))), **post),
        "BBOX": lambda: timed(s, "POST", a.url, data=FILTER.format(rt="results", f=bbox(rng)), **post),
        "AnyText+BBOX": lambda: timed(s, "POST", a.url, data=FILTER.format(
            rt="results", f=f"<ogc:And>{like(rng.choice(WORDS))}{bbox(rng)}</ogc:And>"), **post),
        "hits AnyText": lambda: timed(s, "POST", a.url, data=FILTER.format(rt="hits", f=like(rng.choice(WORDS))), **post),
    }
    print(f"# {len(ids)} records, {a.n} requests per case, one client")
    for name, run in cases.items():
        run()  # warm
        times = sorted(run()[0] for _ in range(a.n))
        print(f"{name:14s} p50 {statistics.median(times):8.1f} ms   p99 {times[int(len(times) * 0.99) - 1]:8.1f} ms")
    if a.no_export:
        return
    t = time.perf_counter()
    start, seen, total_bytes = 1, 0, 0
    while start:
        _, r = timed(s, "GET", a.url, params={"service": "CSW", "version": "2.0.2", "request": "GetRecords",
                                              "typeNames": "csw:Record", "resultType": "results",
                                              "elementSetName": "full", "maxRecords": "5000",
                                              "startPosition": str(start)})
        body = r.content  # bytes: requests would guess the charset of 10 MB of text on every .text
        total_bytes += len(body)
        seen += body.count(b"<csw:Record>")
        marker = b'nextRecord="'
        at = body.index(marker) + len(marker)
        start = int(body[at:body.index(b'"', at)])
    assert seen == len(ids), (seen, len(ids))
    print(f"export (full, 5000 per page): {time.perf_counter() - t:.1f} s for {seen} records, "
          f"{total_bytes / 1e6:.0f} MB" + (f", server peak RSS {rss_kib(a.pid) / 1024:.0f} MiB" if a.pid else ""))


if __name__ == "__main__":
    main()
