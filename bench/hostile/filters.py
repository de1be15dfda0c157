#!/usr/bin/python3
"""Times hostile spatial filters against a running AMIS: a star polygon of N vertices
over the ASEAN+3 region (alternating radii 40 and 12 degrees around 115E 15N) with each
CQL2 spatial predicate on each demo collection (GET /items), and FES Touches / Crosses /
Overlaps in a WFS 2.0 GetFeature POST. Prints wall time, numberMatched and the server's
CPU seconds spent (from /proc/PID/stat, when PID is given).

    bench/hostile/filters.py http://127.0.0.1:8080 [--pid PID] [--vertices 2800] [--wfs-vertices 4000]

Not a test: it asserts nothing. The numbers go into commit messages.
"""
from __future__ import annotations

import argparse
import math
import os
import re
import time

import requests

COLLECTIONS = ["countries", "coal_mines", "coal_mine_boundaries", "mine_facilities"]
PREDICATES = ["S_INTERSECTS", "S_TOUCHES", "S_CROSSES", "S_OVERLAPS", "S_WITHIN", "S_CONTAINS", "S_DISJOINT"]


def star_points(n: int, cx=115.0, cy=15.0, r_out=40.0, r_in=12.0) -> list[tuple[float, float]]:
    pts = []
    for i in range(n):
        a = 2 * math.pi * i / n
        r = r_out if i % 2 == 0 else r_in
        pts.append((round(cx + r * math.cos(a), 6), round(cy + r * math.sin(a) * 0.8, 6)))
    return pts + [pts[0]]


def star_wkt(n: int) -> str:
    return "POLYGON((" + ",".join(f"{x} {y}" for x, y in star_points(n)) + "))"


def star_gml(n: int) -> str:
    # EPSG:4326 in GML 3.2 with the urn: latitude first.
    pos = " ".join(f"{y} {x}" for x, y in star_points(n))
    return ('<gml:Polygon gml:id="star" srsName="urn:ogc:def:crs:EPSG::4326"><gml:exterior><gml:LinearRing>'
            f'<gml:posList>{pos}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>')


def cpu_seconds(pid: int | None) -> float:
    if not pid:
        return float("nan")
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(pid, fn):
    c0, t0 = cpu_seconds(pid), time.monotonic()
    r = fn()
    return r, time.monotonic() - t0, cpu_seconds(pid) - c0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--pid", type=int)
    ap.add_argument("--vertices", type=int, default=2800)
    ap.add_argument("--wfs-vertices", type=int, default=4000)
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args()
    s = requests.Session()
    s.trust_env = False
    wkt = star_wkt(args.vertices)
    print(f"star of {args.vertices} vertices: {len(wkt)} bytes of WKT")
    for c in COLLECTIONS:
        for p in PREDICATES:
            r, wall, cpu = timed(args.pid, lambda: s.get(f"{args.base}/collections/{c}/items", timeout=args.timeout,
                                                         params={"filter": f"{p}(geometry, {wkt})", "limit": 1}))
            matched = r.json().get("numberMatched") if r.ok else r.text[:80]
            print(f"items {c:22} {p:13} {r.status_code} {wall:7.2f} s wall {cpu:7.2f} s cpu  matched {matched}")
    gml = star_gml(args.wfs_vertices)
    for op in ("Touches", "Crosses", "Overlaps", "Intersects"):
        body = ('<wfs:GetFeature service="WFS" version="2.0.0" resultType="hits" xmlns:wfs="http://www.opengis.net/wfs/2.0" '
                'xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" '
                'xmlns:amis="https://amis.asean.org/ns/amis"><wfs:Query typeNames="amis:coal_mines"><fes:Filter>'
                f'<fes:{op}><fes:ValueReference>geometry</fes:ValueReference>{gml}</fes:{op}>'
                '</fes:Filter></wfs:Query></wfs:GetFeature>')
        r, wall, cpu = timed(args.pid, lambda: s.post(f"{args.base}/wfs", data=body.encode(), timeout=args.timeout,
                                                      headers={"Content-Type": "application/xml"}))
        print(f"wfs POST coal_mines {op:10} ({args.wfs_vertices} vertices, {len(body)} bytes) {r.status_code} "
              f"{wall:7.2f} s wall {cpu:7.2f} s cpu  "
              + (m.group(0) if (m := re.search(r'numberMatched="[^"]*"', r.text)) else repr(r.text[:200])))


if __name__ == "__main__":
    main()
