#!/usr/bin/python3
"""Conditional GETs in a harvest (issue 16): an unchanged re-harvest of N records (default
10,000, in pages of 500 linked by `next`) served as static files by Debian's nginx, once from a
server that answers conditional GETs (ETag, Last-Modified, 304) and once from the same files on
a server that does not (etag off, if_modified_since off: every page sent again, the harvest's
digests finding every record unchanged). Rounds alternate; prints the median seconds of each
re-harvest (`amis node harvest`, wall clock and the run's own seconds) and their ratio, and the
bytes nginx sent in each.

  AMIS_BIN=build/ci/bin/amis /usr/bin/python3 bench/federation_conditional.py [N] [ROUNDS]
Records are generated with a fixed seed."""
from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "integration"))
sys.path.insert(0, str(ROOT / "tests" / "integration" / "federation"))

from federation_support import build_regional_store, harvest, node  # noqa: E402
from nginx_support import nginx_config, running_nginx  # noqa: E402
from support import free_loopback_ports  # noqa: E402

PAGE = 500


def write_pages(root: Path, n: int, port: int, prefix: str) -> None:
    """N records as pages /<prefix>/items, /<prefix>/p1, ... (each naming the next one) on the
    server at `port`."""
    rng = random.Random(20261207)
    folder = root / prefix
    folder.mkdir(parents=True)
    pages = (n + PAGE - 1) // PAGE
    for p in range(pages):
        features = []
        for i in range(p * PAGE, min(n, (p + 1) * PAGE)):
            x, y = rng.uniform(92, 141), rng.uniform(-11, 28)
            features.append({"type": "Feature", "id": f"rec-{i:06d}",
                             "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1],
                                                                              [x, y + 1], [x, y]]]},
                             "properties": {"title": f"Survey record {i}", "type": "dataset",
                                            "description": "Generated record " + "x" * rng.randint(50, 400),
                                            "keywords": ["minerals", rng.choice(["gold", "tin", "nickel"])],
                                            "updated": "2026-11-01T00:00:00Z"}})
        links = [{"rel": "self", "href": f"http://127.0.0.1:{port}/{prefix}/{f'p{p}' if p else 'items'}"}]
        if p + 1 < pages:
            links.append({"rel": "next", "href": f"http://127.0.0.1:{port}/{prefix}/p{p + 1}"})
        (folder / (f"p{p}" if p else "items")).write_text(json.dumps({"type": "FeatureCollection", "features": features,
                                                   "numberMatched": n, "numberReturned": len(features),
                                                   "links": links}))


def bytes_sent(log: Path, port: int) -> int:
    return sum(int(line.split()[1]) for line in log.read_text().splitlines() if line.split()[0] == str(port))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory(prefix="amis-conditional-") as tmp:
        work = Path(tmp)
        with_validators, without = free_loopback_ports(2)
        site = work / "site"
        write_pages(site, n, with_validators, "with")
        write_pages(site, n, without, "without")
        config = nginx_config(work, "$server_port $body_bytes_sent $status", f"""
  server {{ listen 127.0.0.1:{with_validators}; root {site}; default_type application/geo+json; }}
  server {{ listen 127.0.0.1:{without}; root {site}; default_type application/geo+json;
           etag off; if_modified_since off; }}""")
        store = build_regional_store(work / "regional")
        with running_nginx(work, config, [with_validators, without]):
            for name, port in (("with", with_validators), ("without", without)):
                done, _ = node(store, "add", name, f"http://127.0.0.1:{port}/{name}/items", "--kind", "records",
                               "--country", "IDN", "--schedule", "off")
                assert done.returncode == 0, done.stderr
                code, first = harvest(store, name)
                assert code == 0 and first["added"] == n, first
            wall = {"with": [], "without": []}
            own = {"with": [], "without": []}
            sent = {"with": [], "without": []}
            log = work / "access.log"
            for _ in range(rounds):
                for name, port in (("with", with_validators), ("without", without)):
                    before = bytes_sent(log, port)
                    started = time.perf_counter()
                    code, report = harvest(store, name)
                    wall[name].append(time.perf_counter() - started)
                    assert code == 0 and report["unchanged"] == n, report
                    own[name].append(report["seconds"])
                    time.sleep(0.2)  # nginx writes its log line after the answer
                    sent[name].append(bytes_sent(log, port) - before)
        for name in ("with", "without"):
            print(f"{name:8} validators: re-harvest of {n} unchanged records: run {statistics.median(own[name]):.3f} s, "
                  f"command {statistics.median(wall[name]):.3f} s, {statistics.median(sent[name]) / 1e6:.2f} MB sent")
        print(f"run time without / with: {statistics.median(own['without']) / statistics.median(own['with']):.1f}x")


if __name__ == "__main__":
    main()
