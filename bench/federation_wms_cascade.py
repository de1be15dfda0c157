#!/usr/bin/python3
"""Cascaded WMS layers' latency (issue 16 benchmark): MapServer (CGI on loopback, as in
tests/integration/federation/test_wms_cascade.py) and a national amis node serving generated data,
a regional amis node cascading a layer of each, and the same GetMaps timed on the source and on
the cascade: cold (every box asked once, so the node is asked) and warm (the same boxes again,
from the cascade's image cache). Prints medians in ms and the overhead of the cascade.

  AMIS_BIN=build/ci/bin/amis /usr/bin/python3 bench/federation_wms_cascade.py [ROUNDS] [SIZE]"""
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

from cascade_support import build_national_sites, cascading_config, national_config  # noqa: E402
from federation_support import build_regional_store, harvest, node, start  # noqa: E402
from wms_cascade_support import MapServerNode, map_params  # noqa: E402


def timed(session: requests.Session, url: str, params: dict) -> float:
    started = time.perf_counter()
    r = session.get(url, params=params, timeout=60)
    took = time.perf_counter() - started
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png", (url, r.status_code, r.text[:200])
    return took * 1000


def boxes(round_: int) -> list[tuple]:
    """Boxes of the round (latitude first: EPSG:4326 in WMS 1.3.0), another set each round."""
    return [(-10 + i * 0.5 + round_ * 0.01, 95 + i, 10 + i * 0.5 + round_ * 0.01, 115 + i) for i in range(10)]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 512
    with tempfile.TemporaryDirectory(prefix="amis-wms-cascade-bench-") as tmp:
        work = Path(tmp)
        with MapServerNode(work / "ms") as ms:
            national = start(build_national_sites(work / "nat"), work / "logs", "national",
                             national_config(work / "nat"))
            regional = None
            try:
                store = build_regional_store(work / "regional")
                config = cascading_config(work / "regional", timeout=10, ttl=3600)
                for name, url, layer, collection in (("ms", ms.url, "areas", "ms_areas"),
                                                     ("idn", national.url + "/wms", "sites", "idn_map")):
                    assert node(store, "add", name, url, "--kind", "wms", "--country", "IDN",
                                "--schedule", "off")[0].returncode == 0
                    assert harvest(store, name)[0] == 0
                    done, _ = node(store, "publish", name, layer, "--collection", collection, config=config)
                    assert done.returncode == 0, done.stderr
                regional = start(store, work / "logs", "regional", config)
                session = requests.Session()
                for label, source, layer, collection in (("MapServer", ms.url, "areas", "ms_areas"),
                                                         ("amis node", national.url + "/wms", "sites", "idn_map")):
                    times = {"source": [], "cold": [], "warm": []}
                    for r in range(rounds):
                        for box in boxes(r):
                            direct = map_params(layer, "EPSG:4326", box, size, size, TRANSPARENT="FALSE")
                            cascaded = map_params(collection, "EPSG:4326", box, size, size)
                            times["source"].append(timed(session, source, direct))
                            times["cold"].append(timed(session, regional.url + "/wms", cascaded))
                            times["warm"].append(timed(session, regional.url + "/wms", cascaded))
                    med = {k: statistics.median(v) for k, v in times.items()}
                    print(f"{label}: GetMap {size}x{size}, {len(times['source'])} maps: source {med['source']:.1f} ms, "
                          f"cascade cold {med['cold']:.1f} ms ({(med['cold'] / med['source'] - 1) * 100:+.0f}%), "
                          f"warm {med['warm']:.1f} ms ({(med['warm'] / med['source'] - 1) * 100:+.0f}%)")
            finally:
                if regional:
                    regional.stop()
                national.stop()


if __name__ == "__main__":
    main()
