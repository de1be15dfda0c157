#!/usr/bin/env python3
"""Peak memory of N vector tiles built at once: starts `amis serve` on STORE with the tile
cache off, asks one tile alone (its size), then the same tile N times at once, and prints
the answers' statuses, the time they took and the server's resident memory before, at its
peak (VmHWM, reset through /proc/PID/clear_refs) and after.

    bench/make_data.py /tmp/mvtmem/src.gpkg 1000000 1000
    amis import /tmp/mvtmem/src.gpkg --layer occurrences --collection occurrences --store /tmp/mvtmem/store.gpkg
    bench/mvt_memory.py build/ci/bin/amis /tmp/mvtmem/store.gpkg [--tile 3/3/6] [--n 8]
"""
import argparse
import concurrent.futures
import pathlib
import subprocess
import tempfile
import time

import requests


def status_mb(pid, key):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) // 1024
    return -1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("amis")
    p.add_argument("store")
    p.add_argument("--collection", default="occurrences")
    p.add_argument("--tile", default="3/3/6", help="z/row/col in WebMercatorQuad")
    p.add_argument("--n", type=int, default=8)
    p.add_argument("--port", type=int, default=18120)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as work:
        config = pathlib.Path(work) / "amis.toml"
        config.write_text('[server]\nhost = "127.0.0.1"\nlog_level = "warn"\n[tiles]\ncache_max_mb = 0\n')
        server = subprocess.Popen([a.amis, "serve", "--config", str(config), "--store", a.store, "--port", str(a.port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{a.port}"
            s = requests.Session()
            s.trust_env = False
            for _ in range(150):
                try:
                    s.get(base + "/collections", timeout=2)
                    break
                except requests.RequestException:
                    time.sleep(0.2)
            url = f"{base}/collections/{a.collection}/tiles/WebMercatorQuad/{a.tile}"
            t = time.time()
            one = s.get(url, timeout=600)
            print(f"one tile alone: {one.status_code}, {len(one.content) / 1e6:.1f} MB in {time.time() - t:.1f} s")
            time.sleep(1)
            pathlib.Path(f"/proc/{server.pid}/clear_refs").write_text("5")
            before = status_mb(server.pid, "RssAnon:")

            def get(_):
                with requests.Session() as c:
                    c.trust_env = False
                    return c.get(url, timeout=600).status_code

            t = time.time()
            with concurrent.futures.ThreadPoolExecutor(a.n) as pool:
                codes = sorted(pool.map(get, range(a.n)))
            print(f"{a.n} at once: statuses {codes} in {time.time() - t:.1f} s; resident memory before "
                  f"{before} MB (anonymous), peak {status_mb(server.pid, 'VmHWM:')} MB, after "
                  f"{status_mb(server.pid, 'RssAnon:')} MB (anonymous)")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
