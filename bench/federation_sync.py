#!/usr/bin/python3
"""AMIS-to-AMIS sync throughput (issue 16): a national amis node with N approved change sets
(each a PATCH of one feature's properties and geometry, published directly by an administrator
through the editing API), and a regional store of the same data set that pulls the national
node's change feed with `amis node sync`. Prints the change sets applied per second (the sync
report's own wall time: feed pages fetched, parsed, checked and each applied in one
transaction), and the time of a second sync that finds nothing new.

  AMIS_BIN=build/ci/bin/amis /usr/bin/python3 bench/federation_sync.py [N]
  AMIS_STORE_BACKEND=postgis ... for both nodes on PostGIS (a private cluster, as the tests)."""
from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "integration"))
sys.path.insert(0, str(ROOT / "tests" / "integration" / "federation"))

import requests  # noqa: E402

import support  # noqa: E402
from federation_support import ADMIN_TOKEN, node, start  # noqa: E402
from store_support import add_users, rows  # noqa: E402
from support import amis_import  # noqa: E402
from sync_support import config  # noqa: E402


def mines(path: Path, n: int) -> Path:
    rng = random.Random(16)
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [rng.uniform(95, 141), rng.uniform(-10, 5)]},
         "properties": {"name": f"mine-{i}", "iso3": "IDN", "tonnes": rng.randint(0, 10**6)}} for i in range(n)]}))
    return path


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    try:
        with tempfile.TemporaryDirectory(prefix="amis-sync-bench-") as tmp:
            work = Path(tmp)
            data = mines(work / "mines.geojson", n)
            national_store, regional_store = work / "national.gpkg", work / "regional.gpkg"
            amis_import(national_store, data, "mines")
            amis_import(regional_store, data, "mines")
            token = add_users(national_store, {"regional-link": ("reviewer", None)}, "bench-password-1")[
                "regional-link"]
            national = start(national_store, work / "logs", "national", config(work))
            try:
                fids = [r[0] for r in rows(national_store, 'SELECT fid FROM "mines" ORDER BY fid')]
                rng = random.Random(7)
                s = requests.Session()
                started = time.perf_counter()
                for fid in fids[:n]:
                    r = s.patch(f"{national.url}/collections/mines/items/{fid}", timeout=60, data=json.dumps({
                        "properties": {"tonnes": rng.randint(0, 10**6)},
                        "geometry": {"type": "Point", "coordinates": [rng.uniform(95, 141), rng.uniform(-10, 5)]}}),
                                headers={"Authorization": f"Bearer {ADMIN_TOKEN}",
                                         "Content-Type": "application/merge-patch+json"})
                    assert r.status_code in (200, 204), r.text
                approving = time.perf_counter() - started
                done, _ = node(regional_store, "add", "idn", national.url + "/", "--kind", "amis", "--country", "IDN",
                               "--schedule", "off", "--token", token)
                assert done.returncode == 0, done.stderr
                started = time.perf_counter()
                done, report = node(regional_store, "sync", "idn")
                wall = time.perf_counter() - started
                assert done.returncode == 0 and report["applied"] == n, done.stdout + done.stderr
                again_started = time.perf_counter()
                done, again = node(regional_store, "sync", "idn")
                again_wall = time.perf_counter() - again_started
                assert done.returncode == 0 and again["applied"] == 0
            finally:
                national.stop()
            print(f"store backend: {support.store_backend()}")
            print(f"national: {n} change sets approved through the editing API in {approving:.2f} s "
                  f"({n / approving:.0f}/s)")
            print(f"regional sync: {report['applied']} change sets applied in {report['seconds']:.3f} s "
                  f"= {report['applied'] / report['seconds']:.0f} change sets/s "
                  f"(command wall time {wall:.2f} s)")
            print(f"second sync (nothing new): {again['seconds']:.3f} s (command wall time {again_wall:.2f} s)")
    finally:
        if support.on_postgis():
            import pg_support
            pg_support.stop_cluster()


if __name__ == "__main__":
    main()
