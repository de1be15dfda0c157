#!/usr/bin/python3
"""Issue 17's benchmark: AMIS's WCS 2.0.1 against MapServer 8's on the same Cloud Optimized
GeoTIFF, a 20,000 x 20,000 Float32 grid generated here (fixed seed; never committed).

    /usr/bin/python3 bench/wcs_peer.py                       # full size, the grid takes minutes once
    /usr/bin/python3 bench/wcs_peer.py --size 4000 --duration 5

Cases, each request list fixed by the seed and the same for both servers:
- native_512: GetCoverage of a 512 x 512 window at native resolution (SUBSET on both axes);
- scaled_1024: the whole grid scaled to 1024 x 1024 (SCALESIZE), nearest neighbour;
  for each, the p95 of sequential warm requests (one client) and the throughput of
  `wrk -c8` (interleaved rounds, medians);
- memory: 8 concurrent 4096 x 4096 native windows, the server's resident memory above
  its level before them (sampled every 50 ms; MapServer: its FastCGI processes summed),
  warm (after the cases above) and, for AMIS, cold: a server started afresh whose
  first requests they are (its decoded-tile cache empty, so it can grow by its budget).

Every answer of the preflight is opened with GDAL and compared value for value with
`gdal_translate -srcwin` of the COG (native) or its size and type checked (scaled).
Everything lives under --work (default /tmp/amis-wcs-bench) and is kept between runs; each
server runs on its own port, MapServer as FastCGI behind its own nginx (bench/peers/).
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

import numpy as np
from osgeo import gdal, osr

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import peer_postgis as pp  # noqa: E402  (servers, FastCGI peers, wrk, /proc sampling)

gdal.UseExceptions()
EPSG = 32648          # UTM 48N: a projected grid, axes in metres
RES = 30.0            # metres per cell
ORIGIN = (200000.0, 2300000.0)  # upper-left corner
SEED = 20261206


class NoDatabase:
    """Neither server here has a database: its CPU is 0."""

    def cpu(self):
        return 0.0


def make_grid(a):
    """A smooth field with noise, Float32, tiled GeoTIFF, written in bands of rows."""
    path = os.path.join(a.work, "grid-%d.tif" % a.size)
    if os.path.exists(path + ".done"):
        return path
    pp.log("writing the %d x %d Float32 grid %s" % (a.size, a.size, path))
    ds = gdal.GetDriverByName("GTiff").Create(path, a.size, a.size, 1, gdal.GDT_Float32,
                                              ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "BIGTIFF=YES"])
    ds.SetGeoTransform((ORIGIN[0], RES, 0, ORIGIN[1], 0, -RES))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(-9999)
    rng = np.random.default_rng(SEED)
    cols = np.arange(a.size, dtype=np.float64)
    for top in range(0, a.size, 512):
        rows = np.arange(top, min(top + 512, a.size), dtype=np.float64)[:, None]
        field = (500 * np.sin(cols / 1900.0) * np.cos(rows / 2300.0) + 0.01 * (cols + rows)
                 + rng.normal(0, 5, (rows.shape[0], a.size)))
        band.WriteArray(field.astype(np.float32), 0, top)
    ds = None
    open(path + ".done", "w").close()
    return path


def make_store(a, grid):
    """`amis raster add`: the store's COG, which MapServer reads too."""
    store = os.path.join(a.work, "store-%d.gpkg" % a.size)
    if not os.path.exists(store + ".done"):
        for f in (store, store + "-wal", store + "-shm"):
            if os.path.exists(f):
                os.remove(f)
        t0 = time.time()
        pp.sh([a.amis_bin, "raster", "add", grid, "--id", "grid", "--band-names", "value", "--store", store])
        pp.log("amis raster add: %.1f s" % (time.time() - t0))
        open(store + ".done", "w").close()
    cog = os.path.join(a.work, "rasters", "grid.tif")  # the store's folder of rasters
    if not os.path.exists(cog):
        sys.exit("no COG at %s after amis raster add" % cog)
    return store, cog


def start_amis(a, store, port):
    run = os.path.join(a.work, "run", "amis")
    os.makedirs(run, exist_ok=True)
    conf = os.path.join(run, "amis.toml")
    with open(conf, "w") as f:
        f.write('[server]\nhost = "127.0.0.1"\nlog_level = "warn"\nmax_connections_per_address = 4096\n'
                '[store]\nurl = "%s"\n[tiles]\ncache_max_mb = 0\n' % store)
        if a.block_cache_mb:
            f.write('[coverages]\nblock_cache_mb = %d\n' % a.block_cache_mb)
    p = subprocess.Popen([a.amis_bin, "serve", "--config", conf, "--port", str(port)], cwd=ROOT,
                         stdout=subprocess.DEVNULL, stderr=open(os.path.join(run, "stderr.log"), "w"))
    s = pp.Server("amis", "http://127.0.0.1:%d" % port, lambda: [p.pid])
    s.procs.append(p)
    try:
        pp.wait_up(s.base + "/wcs?SERVICE=WCS&REQUEST=GetCapabilities", "amis")
    except SystemExit:
        s.stop()
        raise
    return s


def start_mapserver(a, cog, port):
    run = os.path.join(a.work, "run", "mapserver")
    os.makedirs(run, exist_ok=True)
    base = "http://127.0.0.1:%d" % port
    maxx, miny = ORIGIN[0] + a.size * RES, ORIGIN[1] - a.size * RES
    pp.render(os.path.join(HERE, "peers", "wcs.map.in"), os.path.join(run, "wcs.map"),
              {"BASE": base, "COG": cog, "EPSG": str(EPSG), "SIZE": str(a.size), "RES": repr(RES),
               "MINX": repr(ORIGIN[0]), "MINY": repr(miny), "MAXX": repr(maxx), "MAXY": repr(ORIGIN[1])})
    with open(os.path.join(run, "mapserver.conf"), "w") as f:
        # The map of requests that name none (MS_MAPFILE); none may name a path.
        f.write('CONFIG\n  ENV\n    MS_MAP_NO_PATH "1"\n    MS_MAPFILE "%s/wcs.map"\n'
                '    MS_ERRORFILE "%s/ms_error.log"\n  END\nEND\n' % (run, run))
    params = "fastcgi_param MAPSERVER_CONFIG_FILE %s/mapserver.conf;" % run
    s, _ = pp.start_fcgi(a, "mapserver", port, "/mapserv", params, "/usr/lib/cgi-bin/mapserv",
                         {"MAPSERVER_CONFIG_FILE": os.path.join(run, "mapserver.conf")})
    pp.wait_up(base + "/mapserv?SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCapabilities", "mapserver")
    return s


# ------------------------------------------------------------------ requests
def axis_labels(server, path, coverage):
    """The grid's two axis labels in the server's DescribeCoverage (easting first)."""
    url = "%s%s?SERVICE=WCS&VERSION=2.0.1&REQUEST=DescribeCoverage&COVERAGEID=%s" % (server.base, path, coverage)
    with urllib.request.urlopen(url, timeout=60) as r:
        text = r.read().decode()
    start = text.index('axisLabels="') + len('axisLabels="')
    labels = text[start:text.index('"', start)].split()
    if len(labels) != 2:
        sys.exit("%s: axis labels %r" % (server.name, labels))
    return labels


class Wcs:
    def __init__(self, name, path, coverage, labels):
        self.name, self.path, self.coverage, self.labels = name, path, coverage, labels

    def get_coverage(self, extra):
        return ("%s?SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCoverage&COVERAGEID=%s&FORMAT=image/tiff&%s"
                % (self.path, self.coverage, extra))

    def window(self, col, row, width, height):
        """Cells [col, col+width) x [row, row+height) at native resolution: the subset's edges
        a hundredth of a cell inside the window's, so that no server rounds to a neighbour."""
        e0, e1 = ORIGIN[0] + (col + 0.01) * RES, ORIGIN[0] + (col + width - 0.01) * RES
        n1, n0 = ORIGIN[1] - (row + 0.01) * RES, ORIGIN[1] - (row + height - 0.01) * RES
        x, y = self.labels
        return self.get_coverage("SUBSET=%s(%.2f,%.2f)&SUBSET=%s(%.2f,%.2f)" % (x, e0, e1, y, n0, n1))

    def scaled(self, width, height):
        x, y = self.labels
        return self.get_coverage("SCALESIZE=%s(%d),%s(%d)" % (x, width, y, height))


def windows(a, n, size):
    rng = random.Random(SEED + size)
    return [(rng.randrange(0, a.size - size + 1), rng.randrange(0, a.size - size + 1)) for _ in range(n)]


def fetch(base, path, timeout=300):
    with urllib.request.urlopen(base + path, timeout=timeout) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read()


def read_tiff(body, name):
    vsi = "/vsimem/%s-%d.tif" % (name, threading.get_ident())
    gdal.FileFromMemBuffer(vsi, body)
    try:
        ds = gdal.Open(vsi)
        return ds.GetRasterBand(1).ReadAsArray(), ds.GetGeoTransform()
    finally:
        gdal.Unlink(vsi)


def preflight(a, servers, clients, cog):
    """Each server's answers hold the right cells: native windows equal the COG's own cells."""
    src = gdal.Open(cog)
    for col, row in windows(a, 3, 512):
        want = src.GetRasterBand(1).ReadAsArray(col, row, 512, 512)
        for s in servers:
            status, ctype, body = fetch(s.base, clients[s.name].window(col, row, 512, 512))
            if status != 200 or "tiff" not in ctype:
                sys.exit("%s native window: %s %s %r" % (s.name, status, ctype, body[:300]))
            got, _ = read_tiff(body, s.name)
            if got.shape != want.shape or not np.array_equal(got, want):
                sys.exit("%s: the 512 x 512 window at (%d, %d) differs from the COG's cells (shape %s)"
                         % (s.name, col, row, got.shape))
    for s in servers:
        status, ctype, body = fetch(s.base, clients[s.name].scaled(1024, 1024))
        got, gt = read_tiff(body, s.name) if status == 200 else (None, None)
        if got is None or got.shape != (1024, 1024) or got.dtype != np.float32:
            sys.exit("%s scaled view: %s %s %s" % (s.name, status, ctype, None if got is None else got.shape))
        pp.log("preflight %-9s ok: native windows equal the COG; scaled 1024 x 1024 Float32, cell %.1f m"
               % (s.name, gt[1]))


def sequential_p95(server, paths, n):
    for p in paths[:2]:          # warm: the COG's blocks in the page cache, the server's paths
        fetch(server.base, p)
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        fetch(server.base, paths[i % len(paths)])
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"p50_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))]}


def memory_case(a, server, client):
    """8 concurrent 4096 x 4096 native windows; resident memory sampled every 50 ms."""
    pp.wait_idle(server, NoDatabase())
    before = server.rss()
    peak = [before]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], server.rss())
            time.sleep(0.05)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    statuses = []

    def one(col, row, side):
        try:
            statuses.append(fetch(server.base, client.window(col, row, side, side), timeout=600)[0])
        except Exception as e:  # a refusal (413) is an answer, recorded as such
            statuses.append(getattr(e, "code", str(e)))
    t0 = time.time()
    side = min(4096, a.size)
    threads = [threading.Thread(target=one, args=(col, row, side)) for col, row in windows(a, 8, side)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.time() - t0
    done.set()
    sampler.join()
    return {"rss_before_mb": before, "rss_peak_mb": peak[0], "added_mb": peak[0] - before,
            "wall_s": wall, "statuses": statuses}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=20000)
    ap.add_argument("--work", default="/tmp/amis-wcs-bench")
    ap.add_argument("--amis-bin", default=os.path.join(ROOT, "build/release/bin/amis"))
    ap.add_argument("--port", type=int, default=8111, help="amis; MapServer on the next port")
    ap.add_argument("--procs", type=int, default=4, help="MapServer FastCGI processes")
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--conns", type=int, default=8)
    ap.add_argument("--sequential", type=int, default=40, help="requests per case for the p95")
    ap.add_argument("--memory-only", action="store_true", help="the memory cases alone (after the preflight)")
    ap.add_argument("--block-cache-mb", type=int, default=0,
                    help="amis's [coverages] block_cache_mb (0: its default, 256)")
    a = ap.parse_args()
    a.amis_bin = os.path.abspath(a.amis_bin)
    os.makedirs(a.work, exist_ok=True)
    grid = make_grid(a)
    store, cog = make_store(a, grid)
    pp.log("COG %s (%.0f MB), amis %s, load %s" % (cog, os.path.getsize(cog) / 1e6, a.amis_bin, pp.loadavg()))
    servers = []
    try:
        servers.append(start_amis(a, store, a.port))
        servers.append(start_mapserver(a, cog, a.port + 1))
        clients = {"amis": Wcs("amis", "/wcs", "grid", axis_labels(servers[0], "/wcs", "grid")),
                   "mapserver": Wcs("mapserver", "/mapserv", "grid", axis_labels(servers[1], "/mapserv", "grid"))}
        pp.log("axis labels: amis %s, mapserver %s" % (clients["amis"].labels, clients["mapserver"].labels))
        preflight(a, servers, clients, cog)
        urls = {"native_512": {n: [c.window(col, row, 512, 512) for col, row in windows(a, 64, 512)]
                               for n, c in clients.items()},
                "scaled_1024": {n: [c.scaled(1024, 1024)] for n, c in clients.items()}}
        results = []
        for case, per_server in ({} if a.memory_only else urls).items():
            for s in servers:
                r = sequential_p95(s, per_server[s.name], a.sequential)
                r.update({"case": case, "server": s.name, "kind": "sequential"})
                pp.log("seq %-12s %-9s p50 %7.1f p95 %7.1f ms" % (case, s.name, r["p50_ms"], r["p95_ms"]))
                results.append(r)
        for rnd in range(0 if a.memory_only else a.rounds):
            order = servers if rnd % 2 == 0 else servers[::-1]
            for case, per_server in urls.items():
                for s in order:
                    results.append(pp.wrk(a, s, NoDatabase(), per_server[s.name], case, a.conns, a.duration))
        memory = {s.name: memory_case(a, s, clients[s.name]) for s in servers}
        servers[0].stop()
        servers[0] = start_amis(a, store, a.port)
        memory["amis cold"] = memory_case(a, servers[0], clients["amis"])
        for name, m in memory.items():
            pp.log("memory %-9s 8 x 4096^2: +%.0f MB (%.0f -> %.0f), %.1f s, statuses %s"
                   % (name, m["added_mb"], m["rss_before_mb"], m["rss_peak_mb"], m["wall_s"], m["statuses"]))
    finally:
        for s in servers:
            s.stop()
    print(summary(a, results, memory))
    out = os.path.join(a.work, "results-%s.json" % time.strftime("%Y%m%d-%H%M%S"))
    with open(out, "w") as f:
        json.dump({"results": results, "memory": memory}, f, indent=1)
    pp.log("raw results: %s" % out)
    return 0


def summary(a, results, memory):
    lines = ["", "# bench/wcs_peer.py, %s UTC: %d x %d Float32 COG, wrk -c%d -d%ds, %d rounds (medians), "
             "amis block cache %s MB" % (time.strftime("%Y-%m-%d %H:%M", time.gmtime()), a.size, a.size, a.conns,
                                        a.duration, a.rounds, a.block_cache_mb or 256),
             "", "| case | server | p50 ms (1 client) | p95 ms (1 client) | rps (c=%d) | server CPU ms/req |" % a.conns,
             "|---|---|---|---|---|---|"]
    rps = {}
    for case in ("native_512", "scaled_1024") if results else ():
        for name in ("amis", "mapserver"):
            seq = next(r for r in results if r.get("kind") == "sequential" and r["case"] == case and r["server"] == name)
            runs = [r for r in results if r.get("kind") != "sequential" and r["case"] == case and r["server"] == name]
            rps[case, name] = statistics.median(r.get("rps", 0) for r in runs)
            cpu = statistics.median(r["server_cpu_ms"] for r in runs)
            lines.append("| %s | %s | %.1f | %.1f | %.1f | %.1f |" % (case, name, seq["p50_ms"], seq["p95_ms"],
                                                                     rps[case, name], cpu))
    lines.append("")
    for case in ("native_512", "scaled_1024") if results else ():
        lines.append("%s: AMIS / MapServer throughput %.2fx" % (case, rps[case, "amis"] / max(rps[case, "mapserver"], 1e-9)))
    for name, m in memory.items():
        lines.append("memory, 8 concurrent 4096 x 4096 windows, %s: +%.0f MB resident (%.0f -> %.0f MB), %.1f s"
                     % (name, m["added_mb"], m["rss_before_mb"], m["rss_peak_mb"], m["wall_s"]))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
