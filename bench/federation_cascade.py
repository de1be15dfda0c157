#!/usr/bin/python3
"""Cascaded collections' overhead (issue 16 benchmark): a national amis node serving N
generated sites, a regional amis node cascading them (warm cache), and the same requests
timed on both: OGC API items pages (limit 100, every offset) and WMS GetMaps (a few boxes).
Prints per-kind medians and the overhead of the cascade over the source (goal <= 10%).
Sequential single requests on keep-alive sessions, rounds alternating source and cascade.

  AMIS_BIN=build/ci/bin/amis /usr/bin/python3 bench/federation_cascade.py [N] [ROUNDS] [TTL]
TTL is the cascade's cache_ttl_seconds (3600; 0: no cache, every request asks the node)."""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "integration"))
sys.path.insert(0, str(ROOT / "tests" / "integration" / "federation"))

import requests  # noqa: E402

from cascade_support import cascading_config, generate_sites  # noqa: E402
from federation_support import build_regional_store, harvest, node, start  # noqa: E402
from support import amis_import  # noqa: E402


def timed(session: requests.Session, url: str) -> float:
    started = time.perf_counter()
    r = session.get(url, timeout=60)
    took = time.perf_counter() - started
    assert r.status_code == 200, (url, r.status_code, r.text[:200])
    return took


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    ttl = float(sys.argv[3]) if len(sys.argv) > 3 else 3600
    with tempfile.TemporaryDirectory(prefix="amis-cascade-bench-") as tmp:
        work = Path(tmp)
        national_store = work / "national.gpkg"
        amis_import(national_store, generate_sites(work / "sites.geojson", n), "sites")
        national = start(national_store, work / "logs", "national")
        regional = None
        try:
            store = build_regional_store(work / "regional")
            config = cascading_config(work / "regional", timeout=10, ttl=ttl)
            assert node(store, "add", "idn", national.url + "/", "--kind", "oapif", "--country", "IDN",
                        "--schedule", "off")[0].returncode == 0
            assert harvest(store, "idn")[0] == 0
            done, _ = node(store, "publish", "idn", "sites", "--collection", "idn_sites", config=config)
            assert done.returncode == 0, done.stderr
            regional = start(store, work / "logs", "regional", config)
            kinds = {
                "items": [f"/collections/{{c}}/items?f=json&limit=100&offset={o}" for o in range(0, n, 100)],
                "getmap": [f"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS={{c}}&STYLES=&CRS=CRS:84"
                           f"&BBOX={x},{-10 + i},{x + 20},{10 + i}&WIDTH=512&HEIGHT=512&FORMAT=image/png"
                           for i, x in enumerate(range(95, 125, 5))],
            }
            sides = {"source": (national.url, "sites"), "cascade": (regional.url, "idn_sites")}
            sessions = {side: requests.Session() for side in sides}
            for s in sessions.values():
                s.trust_env = False
            for kind, paths in kinds.items():  # warm: the cascade's cache, both nodes' count caches
                for side, (base, c) in sides.items():
                    for p in paths:
                        timed(sessions[side], base + p.format(c=c))
            times = {(kind, side): [] for kind in kinds for side in sides}
            for _ in range(rounds):
                for kind, paths in kinds.items():
                    for side, (base, c) in sides.items():
                        times[(kind, side)].append(sum(timed(sessions[side], base + p.format(c=c)) for p in paths)
                                                   / len(paths))
            print(f"features={n} rounds={rounds} cache_ttl={ttl:g}s")
            for kind, paths in kinds.items():
                src = statistics.median(times[(kind, "source")])
                cas = statistics.median(times[(kind, "cascade")])
                print(f"{kind:7s} requests/round={len(paths):4d} source_ms={src * 1000:8.2f} "
                      f"cascade_ms={cas * 1000:8.2f} overhead={100 * (cas / src - 1):+6.1f}%")
        finally:
            if regional:
                regional.stop()
            national.stop()


if __name__ == "__main__":
    main()
