#!/usr/bin/python3
"""Issue 14's benchmark: AMIS on PostGIS vs AMIS on GeoPackage vs MapServer 8 and QGIS
Server 3.22 reading the same PostGIS table, on 5,000,000 points and 200,000 polygons.

    /usr/bin/python3 bench/peer_postgis.py                       # full size, about 40 min
    /usr/bin/python3 bench/peer_postgis.py --points 200000 --polygons 20000 --duration 5

Everything lives under --work (default /tmp/amis-peer-bench) and is kept between runs:
the data (bench/make_data.py, fixed seed), a private PostgreSQL 15 cluster started as
the `postgres` user (runuser), the GeoPackage store, the request lists. Each server
runs on its own port; MapServer and QGIS run as FastCGI processes behind their own
nginx (templates in bench/peers/). At the end every process this script started is
stopped by its PID (--keep leaves them up). See bench/README.md, "PostGIS peers".
"""
import argparse
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "lib"))
import benchlib  # noqa: E402  (cases: 64 boxes of 1000..1100 points, 1000 ids)

PG_BIN = "/usr/lib/postgresql/15/bin"
TICK = os.sysconf("SC_CLK_TCK")
SERVERS = ("amis-pg", "amis-gpkg", "mapserver", "qgis", "amis-pg-b")  # amis-pg-b: --amis-bin-b, an A/B build
PEERS = ("mapserver", "qgis")
CASES = ("items_bbox_1k", "items_first_1k", "items_deep_1m", "item", "wfs_geojson_1k", "mvt_z5", "mvt_z8")


def log(msg):
    print(msg, flush=True)


def sh(cmd, **kw):
    r = subprocess.run(cmd, text=True, capture_output=True, **kw)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        raise subprocess.CalledProcessError(r.returncode, cmd)
    return r.stdout


def as_postgres(cmd):
    return (["runuser", "-u", "postgres", "--"] + cmd) if os.getuid() == 0 else cmd


# ------------------------------------------------------------------ /proc
def proc_stat(pid):
    """(utime+stime, cutime+cstime) in seconds, or None when the process is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            parts = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(parts[11]) + int(parts[12])) / TICK, (int(parts[13]) + int(parts[14])) / TICK


def children(ppid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == ppid:
                        out.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return out


def rss_mb(pid, key="VmRSS"):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# ------------------------------------------------------------------ PostgreSQL
class Postgres:
    """A private cluster under WORK/pg, kept between runs (the loaded tables too)."""

    def __init__(self, work, port):
        self.dir = os.path.join(work, "pg")
        self.data = os.path.join(self.dir, "data")
        self.run = os.path.join(self.dir, "run")
        self.port = port
        self.db = "amis_bench"
        self.started = False

    def url(self, user):
        return "postgresql:///%s?host=%s&port=%d&user=%s" % (self.db, self.run, self.port, user)

    def conninfo(self, user):
        return "host=%s port=%d dbname=%s user=%s" % (self.run, self.port, self.db, user)

    def psql(self, sql, db=None):
        return sh(as_postgres(["/usr/bin/psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", self.run,
                               "-p", str(self.port), "-U", "postgres", "-d", db or self.db, "-c", sql])).strip()

    def postmaster(self):
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            return int(f.readline())

    def cpu(self):
        """CPU seconds of every backend so far: live children plus those the postmaster reaped."""
        pm = self.postmaster()
        total = sum((proc_stat(p) or (0, 0))[0] for p in children(pm))
        own = proc_stat(pm)
        return total + own[0] + own[1]

    def start(self):
        os.makedirs(self.run, exist_ok=True)
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
            shutil.chown(self.run, "postgres")
        if not os.path.exists(os.path.join(self.data, "PG_VERSION")):
            log("initdb %s" % self.data)
            sh(as_postgres([PG_BIN + "/initdb", "-D", self.data, "-U", "postgres", "-A", "trust",
                            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]))
            conf = ("\n# bench/peer_postgis.py: unix socket only; durability off (reproducible bench data)\n"
                    "listen_addresses = ''\nport = %d\nunix_socket_directories = '%s'\n"
                    "max_connections = 400\nshared_buffers = 1GB\nwork_mem = 16MB\n"
                    "maintenance_work_mem = 512MB\neffective_cache_size = 4GB\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                    "shared_preload_libraries = 'pg_stat_statements'\n"
                    "pg_stat_statements.track = all\n" % (self.port, self.run))
            sh(as_postgres(["tee", "-a", os.path.join(self.data, "postgresql.conf")]), input=conf)
        st = subprocess.run(as_postgres([PG_BIN + "/pg_ctl", "-D", self.data, "status"]), capture_output=True)
        if st.returncode != 0:
            sh(as_postgres([PG_BIN + "/pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "server.log"),
                            "-w", "-t", "120", "start"]))
            self.started = True
        if self.psql("SELECT count(*) FROM pg_database WHERE datname = '%s'" % self.db, db="postgres") == "0":
            self.psql("CREATE DATABASE %s" % self.db, db="postgres")
            # two roles, so pg_stat_activity tells AMIS's connections from the peers'
            self.psql("CREATE ROLE amis LOGIN SUPERUSER; CREATE ROLE peers LOGIN SUPERUSER")
            self.psql("CREATE EXTENSION postgis; CREATE EXTENSION pg_stat_statements")
        log("PostgreSQL %s on %s port %d (%s)" % (self.psql("SHOW server_version"), self.run, self.port,
                                                  "started" if self.started else "already running"))

    def stop(self):
        if self.started:
            subprocess.run(as_postgres([PG_BIN + "/pg_ctl", "-D", self.data, "-m", "fast", "stop"]),
                           capture_output=True)


# ------------------------------------------------------------------ data and stores
def make_data(a):
    path = os.path.join(a.work, "minerals-%d-%d.gpkg" % (a.points, a.polygons))
    if not os.path.exists(path):
        log("generating %s (bench/make_data.py)" % path)
        t0 = time.time()
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "make_data.py"), path + ".tmp",
                        str(a.points), str(a.polygons)], check=True)
        os.rename(path + ".tmp", path)
        log("  %.0f s" % (time.time() - t0))
    return path


def amis_import(a, data, store, stamp):
    """Both layers into STORE with `amis import`, once per data file (STAMP records it)."""
    key = "%s %d" % (data, int(os.stat(data).st_mtime))
    if os.path.exists(stamp) and open(stamp).read() == key:
        return
    for layer in ("occurrences", "licences"):
        t0 = time.time()
        cmd = [a.amis_bin, "import", data, "--collection", layer, "--layer", layer, "--store", store]
        if layer == "occurrences":
            cmd += ["--datetime", "updated"]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        log("  amis import %s into %s: %.1f s" % (layer, store.split("?")[0], time.time() - t0))
    with open(stamp, "w") as f:
        f.write(key)


def tiles(data_cases, z, n=16, seed=55):
    """n distinct WebMercatorQuad tiles at zoom z, each around a random occurrence."""
    ids, xs, ys = data_cases
    rng = random.Random(seed + z)
    out = set()
    while len(out) < n:
        k = rng.randrange(len(ids))
        lon, lat = xs[k], ys[k]
        x = int((lon + 180) / 360 * 2 ** z)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * 2 ** z)
        out.add((z, x, y))
    return sorted(out)


def tile_bbox3857(z, x, y):
    o = 20037508.342789244
    size = 2 * o / 2 ** z
    return (-o + x * size, o - (y + 1) * size, -o + (x + 1) * size, o - y * size)


# ------------------------------------------------------------------ servers
class Server:
    def __init__(self, name, base, pids_fn):
        self.name, self.base, self.pids = name, base, pids_fn
        self.procs = []          # Popen objects this script started
        self.pidfiles = []       # FastCGI / nginx pid files this script wrote

    def cpu(self):
        return sum((proc_stat(p) or (0, 0))[0] for p in self.pids())

    def rss(self, key="VmRSS"):
        return sum(rss_mb(p, key) for p in self.pids())

    def stop(self):
        for p in self.procs:
            p.terminate()
        for f in self.pidfiles:
            if self.procs and f.endswith("amis.pid"):
                os.remove(f)
                continue
            try:
                pids = [int(x) for x in open(f).read().split()]
            except OSError:
                continue
            for pid in pids:
                try:
                    os.kill(pid, 15)
                except ProcessLookupError:
                    pass
            time.sleep(0.5)
            for pid in pids:   # mapserv in FastCGI mode ignores SIGTERM while idle
                st = proc_stat(pid)
                if st is not None:
                    try:
                        os.kill(pid, 9)
                    except ProcessLookupError:
                        pass
            if os.path.exists(f):
                os.remove(f)
        for p in self.procs:
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


def wait_up(url, what, tries=150):
    for _ in range(tries):
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                r.read()
                return
        except Exception:
            time.sleep(0.2)
    sys.exit("%s did not answer %s" % (what, url))


def start_amis(a, name, store, port, extra="", binary=None):
    run = os.path.join(a.work, "run", name)
    os.makedirs(run, exist_ok=True)
    conf = os.path.join(run, "amis.toml")
    with open(conf, "w") as f:
        f.write('[server]\nhost = "127.0.0.1"\nlog_level = "warn"\nmax_connections_per_address = 4096\n'
                '[store]\nurl = "%s"\n%s'
                '[features]\nmax_limit = %d\nmax_download_features = %d\n[tiles]\ncache_max_mb = 0\n'
                # A tile waits for its turn at the render gate as long as a peer's request waits in
                # its FastCGI backlog: with the default 5 s, 8 clients of 19 MB z5 tiles get 503s.
                '[wms]\nrender_wait_seconds = 300\n' % (store, extra, a.points, a.points))
    p = subprocess.Popen([binary or a.amis_bin, "serve", "--config", conf, "--port", str(port)], cwd=ROOT,
                         stdout=subprocess.DEVNULL, stderr=open(os.path.join(run, "stderr.log"), "w"))
    s = Server(name, "http://127.0.0.1:%d" % port, lambda: [p.pid])
    s.procs.append(p)
    with open(os.path.join(run, "amis.pid"), "w") as f:
        f.write("%d\n" % p.pid)
    s.pidfiles = [os.path.join(run, "amis.pid")]
    try:  # a start at 5M points scans each text column's distinct values: tens of seconds
        wait_up(s.base + "/collections?f=json", name, tries=900)
    except SystemExit:
        s.stop()
        raise
    return s


def render(src, dst, subst):
    with open(src) as f:
        text = f.read()
    for k, v in subst.items():
        text = text.replace("@%s@" % k, v)
    with open(dst, "w") as f:
        f.write(text)


def start_fcgi(a, name, port, location, params, fcgi, env):
    run = os.path.join(a.work, "run", name)
    os.makedirs(os.path.join(run, "nginx_tmp"), exist_ok=True)
    for f in ("fcgi.pid", "nginx.pid", "fcgi.sock"):
        if os.path.exists(os.path.join(run, f)):
            os.remove(os.path.join(run, f))
    render(os.path.join(HERE, "peers", "nginx.conf.in"), os.path.join(run, "nginx.conf"),
           {"RUN": run, "LISTEN": "127.0.0.1:%d" % port, "LOCATION": location, "PARAMS": params})
    full_env = dict(os.environ, **env)
    subprocess.run(["spawn-fcgi", "-s", os.path.join(run, "fcgi.sock"), "-M", "0666", "-F", str(a.procs),
                    "-P", os.path.join(run, "fcgi.pid"), "--", fcgi], check=True, env=full_env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["nginx", "-p", run, "-c", os.path.join(run, "nginx.conf"),
                    "-e", os.path.join(run, "nginx_error.log")], check=True)

    def pids():
        try:
            return [int(x) for x in open(os.path.join(run, "fcgi.pid")).read().split()]
        except OSError:
            return []
    s = Server(name, "http://127.0.0.1:%d" % port, pids)
    s.pidfiles = [os.path.join(run, "nginx.pid"), os.path.join(run, "fcgi.pid")]
    return s, run


def start_mapserver(a, pg, port):
    run = os.path.join(a.work, "run", "mapserver")
    os.makedirs(run, exist_ok=True)
    base = "http://127.0.0.1:%d" % port
    subst = {"RUN": run, "BASE": base, "PGCONN": pg.conninfo("peers")}
    render(os.path.join(HERE, "peers", "minerals-postgis.map.in"), os.path.join(run, "minerals.map"), subst)
    render(os.path.join(HERE, "peers", "mapserver.conf.in"), os.path.join(run, "mapserver.conf"), subst)
    params = ("fastcgi_split_path_info ^(/mapserv)(/.*)?$;\n      fastcgi_param SCRIPT_NAME /mapserv;\n"
              "      fastcgi_param PATH_INFO $fastcgi_path_info;\n"
              "      fastcgi_param MAPSERVER_CONFIG_FILE %s/mapserver.conf;" % run)
    s, _ = start_fcgi(a, "mapserver", port, "/mapserv", params, "/usr/lib/cgi-bin/mapserv",
                      {"MAPSERVER_CONFIG_FILE": os.path.join(run, "mapserver.conf")})
    wait_up(base + "/mapserv/minerals/ogcapi/conformance?f=json", "mapserver")
    return s


def start_qgis(a, pg, port):
    run = os.path.join(a.work, "run", "qgis")
    for d in ("xdg", "profile"):
        os.makedirs(os.path.join(run, d), exist_ok=True)
    os.chmod(os.path.join(run, "xdg"), 0o700)
    base = "http://127.0.0.1:%d" % port
    env = {"QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": os.path.join(run, "xdg"),
           "QGIS_PROJECT_FILE": os.path.join(run, "minerals.qgs"), "QGIS_SERVER_LOG_LEVEL": "2",
           "QGIS_SERVER_LOG_FILE": os.path.join(run, "qgis_server.log"),
           "QGIS_SERVER_TRUST_LAYER_METADATA": "true", "QGIS_SERVER_PARALLEL_RENDERING": "false",
           "QGIS_SERVER_API_WFS3_MAX_LIMIT": "10000",
           "QGIS_CUSTOM_CONFIG_PATH": os.path.join(run, "profile"), "HOME": os.path.join(run, "profile")}
    subprocess.run(["/usr/bin/python3", os.path.join(HERE, "peers", "make_qgis_project.py"), pg.conninfo("peers"),
                    env["QGIS_PROJECT_FILE"], base], check=True, env=dict(os.environ, **env),
                   stdout=subprocess.DEVNULL)
    params = "fastcgi_param SERVER_NAME 127.0.0.1;\n      fastcgi_param QGIS_PROJECT_FILE %s;" % env["QGIS_PROJECT_FILE"]
    s, _ = start_fcgi(a, "qgis", port, "/qgisserver", params, "/usr/lib/cgi-bin/qgis_mapserv.fcgi", env)
    wait_up(base + "/qgisserver?SERVICE=WMS&REQUEST=GetCapabilities", "qgis")
    return s


# ------------------------------------------------------------------ request lists
def url_lists(a, cases_dir, points, deep_path):
    boxes = [r[:4] for r in benchlib.rows(cases_dir + "/bbox1k.txt")]
    ids = [r[0] for r in benchlib.rows(cases_dir + "/ids.txt")]
    at = min(1_000_000, a.points - 1000)
    ms_oapi = "/mapserv/minerals/ogcapi/collections/occurrences/items"
    qg_oapi = "/qgisserver/wfs3/collections/occurrences/items"
    wfs2 = "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&COUNT=1000"
    u = {c: {} for c in CASES}
    for s in ("amis-pg", "amis-gpkg", "amis-pg-b"):
        u["items_bbox_1k"][s] = ["/collections/occurrences/items?f=json&limit=1000&bbox=%s" % ",".join(b) for b in boxes]
        u["items_first_1k"][s] = ["/collections/occurrences/items?f=json&limit=1000"]
        u["items_deep_1m"][s] = [deep_path]
        u["item"][s] = ["/collections/occurrences/items/%s?f=json" % i for i in ids]
        u["wfs_geojson_1k"][s] = ["/wfs?%s&OUTPUTFORMAT=application/json&BBOX=%s,%s,%s,%s,urn:ogc:def:crs:EPSG::4326"
                                  % (wfs2, b[1], b[0], b[3], b[2]) for b in boxes]
    u["items_bbox_1k"]["mapserver"] = ["%s?f=json&limit=1000&bbox=%s" % (ms_oapi, ",".join(b)) for b in boxes]
    u["items_bbox_1k"]["qgis"] = ["%s.json?limit=1000&bbox=%s" % (qg_oapi, ",".join(b)) for b in boxes]
    # the peers have no keyset paging: their deep page is offset paging, their own `next` link
    u["items_first_1k"]["mapserver"] = ["%s?f=json&limit=1000" % ms_oapi]
    u["items_first_1k"]["qgis"] = ["%s.json?limit=1000" % qg_oapi]
    u["items_deep_1m"]["mapserver"] = ["%s?f=json&limit=1000&offset=%d" % (ms_oapi, at)]
    u["items_deep_1m"]["qgis"] = ["%s.json?limit=1000&offset=%d" % (qg_oapi, at)]
    u["item"]["mapserver"] = ["%s/%s?f=json" % (ms_oapi, i) for i in ids]
    u["item"]["qgis"] = ["%s/%s.json" % (qg_oapi, i) for i in ids]
    u["wfs_geojson_1k"]["mapserver"] = ["/mapserv?map=minerals&%s&OUTPUTFORMAT=geojson&BBOX=%s,%s,%s,%s,urn:ogc:def:crs:EPSG::4326"
                                        % (wfs2, b[1], b[0], b[3], b[2]) for b in boxes]
    # QGIS Server 3.22 has no WFS 2.0: WFS 1.1.0 with a lon/lat box (see ../shared/peers/qgis/peer.conf)
    u["wfs_geojson_1k"]["qgis"] = ["/qgisserver?SERVICE=WFS&VERSION=1.1.0&REQUEST=GetFeature&TYPENAME=occurrences"
                                   "&OUTPUTFORMAT=application/json&MAXFEATURES=1000&BBOX=%s" % ",".join(b) for b in boxes]
    for z in (5, 8):
        ts = tiles(points, z)
        c = "mvt_z%d" % z
        for s in ("amis-pg", "amis-gpkg", "amis-pg-b"):
            u[c][s] = ["/collections/occurrences/tiles/WebMercatorQuad/%d/%d/%d" % (z, y, x) for z, x, y in ts]
        getmap = ("SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=occurrences&STYLES=&CRS=EPSG:3857"
                  "&WIDTH=256&HEIGHT=256&FORMAT=application/vnd.mapbox-vector-tile&BBOX=%s")
        bb = [",".join("%.6f" % v for v in tile_bbox3857(*t)) for t in ts]
        u[c]["mapserver"] = ["/mapserv?map=minerals&" + getmap % b for b in bb]
        u[c]["qgis"] = ["/qgisserver?" + getmap % b for b in bb]
    for c in u:
        for s in u[c]:
            u[c][s] = [benchlib.encode_query(x) for x in u[c][s]]
    return u


def get(base, path, timeout=900):
    req = urllib.request.Request(base + path, headers={"Accept-Encoding": "identity"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read()


def n_features(body):
    doc = json.loads(body)
    return len(doc["features"]) if "features" in doc else (1 if doc.get("type") == "Feature" else 0)


def preflight(servers, urls, cases_dir):
    """Every server answers every case's first request with data; AMIS's bbox counts and its
    deep page are checked against the counts bench/lib/benchlib.py made with numpy."""
    box_counts = [int(r[4]) for r in benchlib.rows(cases_dir + "/bbox1k.txt")]
    ok = {}
    for c in CASES:
        for s in servers:
            if s not in urls[c]:
                continue
            path = urls[c][s][0]
            try:
                st, ctype, body = get(servers[s].base, path)
                note = "%d %s %d B" % (st, ctype.split(";")[0], len(body))
                if c.startswith("mvt"):
                    good = st == 200 and len(body) > 0 and "json" not in ctype and "xml" not in ctype
                elif c == "item":
                    good = n_features(body) == 1
                else:
                    n = n_features(body)
                    note += ", %d features" % n
                    good = n == 1000
                    if s.startswith("amis") and c == "items_bbox_1k":
                        m = json.loads(body).get("numberMatched")
                        good = good and m == box_counts[0]
                        note += ", numberMatched %s (numpy %d)" % (m, box_counts[0])
            except Exception as e:  # a peer that cannot do a case is reported, not fatal
                good, note = False, "error %s" % e
            ok[(c, s)] = good
            log("preflight %-15s %-10s %s %s" % (c, s, "ok  " if good else "FAIL", note[:160]))
    return ok


# ------------------------------------------------------------------ load
class Sampler(threading.Thread):
    """Samples the servers' RSS and the PostgreSQL connections of one role while a run lasts."""

    def __init__(self, server, pg, role):
        super().__init__(daemon=True)
        self.server, self.pg, self.role = server, pg, role
        self.stop_flag = threading.Event()
        self.rss_max, self.anon_max, self.conns_max, self.workers_max = 0.0, 0.0, 0, 0

    def run(self):
        while not self.stop_flag.is_set():
            self.rss_max = max(self.rss_max, self.server.rss())
            self.anon_max = max(self.anon_max, self.server.rss("RssAnon"))
            if self.role:
                try:
                    # connections are client backends; PostgreSQL's own parallel workers (a
                    # parallel plan of one statement) run under the same role and are counted apart
                    n, w = self.pg.psql("SELECT count(*) FILTER (WHERE backend_type = 'client backend'), "
                                        "count(*) FILTER (WHERE backend_type = 'parallel worker') "
                                        "FROM pg_stat_activity WHERE usename = '%s'" % self.role).split("|")
                    self.conns_max = max(self.conns_max, int(n))
                    self.workers_max = max(self.workers_max, int(w))
                except subprocess.CalledProcessError:
                    pass
            self.stop_flag.wait(0.25)


def wait_idle(server, pg, limit=120):
    """Waits until the server and the database are idle: requests a previous run left queued
    (a peer's FastCGI backlog) must not be counted against the next case."""
    t0 = time.time()
    while time.time() - t0 < limit:
        c0 = server.cpu() + pg.cpu()
        time.sleep(0.5)
        if server.cpu() + pg.cpu() - c0 < 0.05:
            return time.time() - t0
    return time.time() - t0


def wrk(a, server, pg, urls, case, conns, duration, role=None):
    waited = wait_idle(server, pg)
    path = os.path.join(a.work, "urls", "%s.%s.urls" % (case, server.name))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(urls) + "\n")
    load0, cpu0, db0, t0 = loadavg(), server.cpu(), pg.cpu(), time.time()
    rss0, anon0 = server.rss(), server.rss("RssAnon")
    sampler = Sampler(server, pg, role)
    sampler.start()
    out = subprocess.run(["wrk", "-t2", "-c%d" % conns, "-d%ds" % duration, "--timeout", "60s",
                          "-s", os.path.join(HERE, "lib", "rotate.lua"), server.base],
                         env=dict(os.environ, WRK_URLS=path), capture_output=True, text=True).stdout
    sampler.stop_flag.set()
    sampler.join()
    wall = time.time() - t0
    r = {"case": case, "server": server.name, "conns": conns, "load_before": load0, "load_after": loadavg(),
         "idle_wait_s": waited}
    for line in out.splitlines():
        if line.startswith("WRKRESULT"):
            r.update({k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])})
        if "Non-2xx" in line:
            r["non2xx"] = int(line.split()[-1])
    n = max(r.get("requests", 0), 1)
    if r.get("duration_s"):  # answered with 2xx per second: a 503 turned away is not a tile served
        r["ok_rps"] = (r.get("requests", 0) - r.get("non2xx", 0)) / r["duration_s"]
    r["server_cpu_ms"] = (server.cpu() - cpu0) * 1000 / n
    r["db_cpu_ms"] = (pg.cpu() - db0) * 1000 / n
    r["server_cpu_share"] = (server.cpu() - cpu0) / wall
    r["rss_before_mb"], r["rss_max_mb"], r["anon_before_mb"], r["anon_max_mb"] = rss0, sampler.rss_max, anon0, sampler.anon_max
    if role:
        r["pg_conns_max"], r["pg_workers_max"] = sampler.conns_max, sampler.workers_max
    log("run %-15s %-10s c=%-3d rps %8.1f p50 %7.1f p99 %7.1f ms  %6.1f MB/s  srv %6.2f  db %6.2f ms/req  "
        "rss %5.0f->%5.0f MB (anon %4.0f->%4.0f)  non2xx %d  load %s -> %s%s"
        % (case, server.name, conns, r.get("rps", 0), r.get("p50_ms", 0), r.get("p99_ms", 0), r.get("MBps", 0),
           r["server_cpu_ms"], r["db_cpu_ms"], rss0, sampler.rss_max, anon0, sampler.anon_max, r.get("non2xx", 0), load0, r["load_after"],
           "  pg_conns_max %d (+%d parallel workers)" % (sampler.conns_max, sampler.workers_max) if role else ""))
    return r


def export(a, server, pg, path, expected):
    """One GET of every occurrence as GeoJSON, streamed to a counter; RSS sampled meanwhile."""
    wait_idle(server, pg)
    for pid in server.pids():
        try:
            with open("/proc/%d/clear_refs" % pid, "w") as f:
                f.write("5")          # resets VmHWM
        except OSError:
            pass
    load0, cpu0, db0 = loadavg(), server.cpu(), pg.cpu()
    rss0, anon0 = server.rss(), server.rss("RssAnon")
    sampler = Sampler(server, pg, None)
    sampler.start()
    t0 = time.time()
    size, ttfb, feats = 0, None, 0
    req = urllib.request.Request(server.base + benchlib.encode_query(path), headers={"Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(req, timeout=a.export_timeout) as r:
            tail = b""
            while True:
                chunk = r.read(1 << 20)
                if not chunk:
                    break
                if ttfb is None:
                    ttfb = time.time() - t0
                size += len(chunk)
                feats += (tail + chunk).count(b'"Feature"') - tail.count(b'"Feature"')
                tail = chunk[-16:]
        err = ""
    except Exception as e:
        err = str(e)
    secs = time.time() - t0
    sampler.stop_flag.set()
    sampler.join()
    hwm = max((rss_mb(p, "VmHWM") for p in server.pids()), default=0)
    r = {"case": "export", "server": server.name, "seconds": secs, "ttfb": ttfb or 0, "MB": size / 1e6,
         "MBps": size / 1e6 / secs, "features": feats, "expected": expected, "error": err,
         "server_cpu_s": server.cpu() - cpu0, "db_cpu_s": pg.cpu() - db0, "rss_before_mb": rss0,
         "rss_max_mb": sampler.rss_max, "anon_before_mb": anon0, "anon_max_mb": sampler.anon_max, "hwm_mb": hwm, "load_before": load0, "load_after": loadavg()}
    log("export %-10s %6.1f s  ttfb %.2f s  %8.1f MB  %6.1f MB/s  %d/%d features  srv %.1f s  db %.1f s  "
        "rss %.0f -> max %.0f MB, anon %.0f -> max %.0f MB (VmHWM of the busiest process %.0f MB)  load %s -> %s %s"
        % (server.name, secs, ttfb or 0, size / 1e6, size / 1e6 / secs, feats, expected, r["server_cpu_s"],
           r["db_cpu_s"], rss0, sampler.rss_max, anon0, sampler.anon_max, hwm, load0, r["load_after"], err))
    return r


# ------------------------------------------------------------------ summary
def med(rs, key):
    v = [r[key] for r in rs if key in r]
    return statistics.median(v) if v else float("nan")


def ok_rps(r, duration):
    """Requests answered 2xx per second (a run read back from a log: from rps, non-2xx and -d)."""
    if "ok_rps" in r:
        return r["ok_rps"]
    return max(0.0, r.get("rps", 0) - r.get("non2xx", 0) / duration)


def med_ok(rs, duration):
    return statistics.median(ok_rps(r, duration) for r in rs)


def summary(a, results, exports, conn_runs, started):
    lines = ["# bench/peer_postgis.py, %s UTC" % time.strftime("%Y-%m-%d %H:%M", time.gmtime(started)),
             "", "Data: %d points, %d polygons (bench/make_data.py, seed 20240601). wrk -t2 -c%d -d%ds, "
             "%d interleaved round(s), medians. AMIS %s (sha256 %s)%s." % (
                 a.points, a.polygons, a.conns, a.duration, a.rounds, a.amis_bin,
                 a.amis_sha, "; amis-pg-b: %s (sha256 %s)" % (a.amis_bin_b, sh(["sha256sum", a.amis_bin_b])[:12])
                 if a.amis_bin_b else ""), "",
             "| case | server | rps | 2xx/s | p50 ms | p99 ms | MB/s | server CPU ms/req | DB CPU ms/req | RSS max MB (anon) | non-2xx | load before |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    by = {}
    for r in results:
        by.setdefault((r["case"], r["server"]), []).append(r)
    for c in CASES:
        for s in SERVERS:
            rs = by.get((c, s))
            if not rs:
                continue
            lines.append("| %s | %s | %.1f | %.2f | %.1f | %.1f | %.1f | %.2f | %.2f | %.0f (%.0f) | %d | %s |" % (
                c, s, med(rs, "rps"), med_ok(rs, a.duration), med(rs, "p50_ms"), med(rs, "p99_ms"), med(rs, "MBps"),
                med(rs, "server_cpu_ms"), med(rs, "db_cpu_ms"), max(r["rss_max_mb"] for r in rs),
                max(r["anon_max_mb"] for r in rs),
                sum(r.get("non2xx", 0) for r in rs), " / ".join(r["load_before"].split()[0] for r in rs)))
    # Ratios of answers with 2xx per second: a server that turns requests away (AMIS's render
    # gate answers 503 + Retry-After when a tile waited 5 s for a slot) gets no credit for them.
    lines += ["", "| case | AMIS PostGIS / better peer | AMIS GeoPackage / better peer | amis-pg-b / better peer | better peer |",
              "|---|---|---|---|---|"]
    for c in CASES:
        peers = [(med_ok(by[(c, p)], a.duration), p) for p in PEERS
                 if (c, p) in by and med_ok(by[(c, p)], a.duration) > 0]
        if not peers:
            continue
        best = max(peers)
        cells = ["%.2fx" % (med_ok(by[(c, s)], a.duration) / best[0]) if (c, s) in by else "-"
                 for s in ("amis-pg", "amis-gpkg", "amis-pg-b")]
        lines.append("| %s | %s | %s | %s | %s (%.2f 2xx/s) |" % (c, cells[0], cells[1], cells[2], best[1], best[0]))
    lines += ["", "Deep page (feature %d) vs first page, p50 and rps:" % min(1_000_000, a.points - 1000)]
    for s in SERVERS:
        if (("items_deep_1m", s) in by) and (("items_first_1k", s) in by):
            d, f = by[("items_deep_1m", s)], by[("items_first_1k", s)]
            if min(med(d, "rps"), med(f, "rps")) <= 0:
                lines.append("- %s: first page %.1f rps, deep page %.1f rps (no request completed within a run: "
                             "a ratio is meaningless)" % (s, med(f, "rps"), med(d, "rps")))
                continue
            lines.append("- %s: p50 %.1f vs %.1f ms (%.2fx), rps %.1f vs %.1f (first/deep %.2fx)" % (
                s, med(d, "p50_ms"), med(f, "p50_ms"), med(d, "p50_ms") / med(f, "p50_ms"),
                med(d, "rps"), med(f, "rps"), med(f, "rps") / med(d, "rps")))
    if exports:
        lines += ["", "| export (all occurrences, GeoJSON) | s | TTFB s | MB | MB/s | features | server CPU s | DB CPU s | RSS before -> max MB | RssAnon before -> max MB | VmHWM MB | load before |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in exports:
            lines.append("| %s | %.1f | %.2f | %.0f | %.1f | %d/%d | %.1f | %.1f | %.0f -> %.0f | %.0f -> %.0f | %.0f | %s |%s" % (
                r["server"], r["seconds"], r["ttfb"], r["MB"], r["MBps"], r["features"], r["expected"],
                r["server_cpu_s"], r["db_cpu_s"], r["rss_before_mb"], r["rss_max_mb"], r["anon_before_mb"],
                r["anon_max_mb"], r["hwm_mb"],
                r["load_before"].split()[0], " " + r["error"] if r["error"] else ""))
    if conn_runs:
        lines += ["", "256 concurrent clients on one AMIS PostGIS node (default pool_size):"]
        for r in conn_runs:
            lines.append("- %s: max %d PostgreSQL connections (client backends of role amis in pg_stat_activity; "
                         "besides them at most %d parallel workers of PostgreSQL's own), %.1f rps, p50 %.1f ms, "
                         "p99 %.1f ms, non-2xx %d, socket errors %d, load %s" % (
                             r["case"], r["pg_conns_max"], r["pg_workers_max"], r.get("rps", 0), r.get("p50_ms", 0), r.get("p99_ms", 0),
                             r.get("non2xx", 0), sum(int(r.get(k, 0)) for k in ("err_connect", "err_read", "err_write", "err_timeout")),
                             r["load_before"]))
    return "\n".join(lines) + "\n"


RUN_RE = (r"^run (\S+) +(\S+) +c=(\d+) +rps +([\d.]+) p50 +([\d.]+) p99 +([\d.]+) ms +([\d.]+) MB/s +srv +([\d.]+) "
          r"+db +([\d.]+) ms/req +rss +([\d.]+)-> *([\d.]+) MB \(anon +([\d.]+)-> *([\d.]+)\) +non2xx (\d+) +"
          r"load ([\d. ]+?) -> ([\d. ]+?)(?:  pg_conns_max (\d+) \(\+(\d+) parallel workers\))?\s*$")
EXPORT_RE = (r"^export (\S+) +([\d.]+) s +ttfb ([\d.]+) s +([\d.]+) MB +([\d.]+) MB/s +(\d+)/(\d+) features +srv ([\d.]+) s "
             r"+db ([\d.]+) s +rss ([\d.]+) -> max ([\d.]+) MB, anon ([\d.]+) -> max ([\d.]+) MB \(VmHWM of the "
             r"busiest process ([\d.]+) MB\) +load ([\d.]+ [\d.]+ [\d.]+) -> ([\d.]+ [\d.]+ [\d.]+) ?(.*)$")


def from_log(path):
    """The results of a run, read back from its log lines (a run whose summary was not written)."""
    import re
    runs, exports, conns = [], [], []
    for line in open(path):
        m = re.match(RUN_RE, line)
        if m:
            g = m.groups()
            r = {"case": g[0], "server": g[1], "conns": int(g[2]), "rps": float(g[3]), "p50_ms": float(g[4]),
                 "p99_ms": float(g[5]), "MBps": float(g[6]), "server_cpu_ms": float(g[7]), "db_cpu_ms": float(g[8]),
                 "rss_before_mb": float(g[9]), "rss_max_mb": float(g[10]), "anon_before_mb": float(g[11]),
                 "anon_max_mb": float(g[12]), "non2xx": int(g[13]), "load_before": g[14], "load_after": g[15]}
            if g[16] is not None:
                r["pg_conns_max"], r["pg_workers_max"] = int(g[16]), int(g[17])
            (conns if r["conns"] == 256 else runs).append(r)
            continue
        m = re.match(EXPORT_RE, line)
        if m:
            g = m.groups()
            exports.append({"case": "export", "server": g[0], "seconds": float(g[1]), "ttfb": float(g[2]),
                            "MB": float(g[3]), "MBps": float(g[4]), "features": int(g[5]), "expected": int(g[6]),
                            "server_cpu_s": float(g[7]), "db_cpu_s": float(g[8]), "rss_before_mb": float(g[9]),
                            "rss_max_mb": float(g[10]), "anon_before_mb": float(g[11]), "anon_max_mb": float(g[12]),
                            "hwm_mb": float(g[13]), "load_before": g[14], "load_after": g[15], "error": g[16].strip()})
    return runs, exports, conns


def stop_kept(a):
    """Stops the servers and the cluster a --keep run left: by the PIDs in WORK/run/*/."""
    for name in SERVERS:
        run = os.path.join(a.work, "run", name)
        s = Server(name, "", lambda: [])
        s.pidfiles = [f for f in (os.path.join(run, x) for x in ("amis.pid", "nginx.pid", "fcgi.pid"))
                      if os.path.exists(f)]
        if s.pidfiles:
            log("stopping %s" % name)
            s.stop()
    pg = Postgres(a.work, a.pg_port)
    if os.path.exists(os.path.join(pg.data, "postmaster.pid")):
        pg.started = True
        pg.stop()
        log("stopped PostgreSQL in %s" % pg.data)
    return 0


# ------------------------------------------------------------------ main
def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=5_000_000)
    ap.add_argument("--polygons", type=int, default=200_000)
    ap.add_argument("--work", default="/tmp/amis-peer-bench")
    ap.add_argument("--amis-bin", default=os.path.join(ROOT, "build/release/bin/amis"))
    ap.add_argument("--role-b", default="amis", help="the PostgreSQL role amis-pg-b connects as (a role with its "
                    "own settings, ALTER ROLE … SET, tries a session setting without a rebuild)")
    ap.add_argument("--amis-bin-b", help="a second amis binary, served as amis-pg-b on the same PostGIS store "
                    "(an A/B comparison of two builds in one run)")
    ap.add_argument("--pg-port", type=int, default=55440)
    ap.add_argument("--port", type=int, default=8091, help="first of four ports: amis-pg, amis-gpkg, mapserver, qgis")
    ap.add_argument("--procs", type=int, default=4, help="FastCGI processes per peer")
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--conns", type=int, default=8)
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--servers", default=",".join(SERVERS))
    ap.add_argument("--export", choices=("all", "amis", "none"), default="all",
                    help="the full GeoJSON export: every server, AMIS only, or none")
    ap.add_argument("--export-timeout", type=int, default=900)
    ap.add_argument("--no-conns-test", action="store_true", help="skip the 256-client connection count")
    ap.add_argument("--keep", action="store_true", help="leave the servers and PostgreSQL running")
    ap.add_argument("--stop", action="store_true", help="stop what a --keep run left running, and exit")
    ap.add_argument("--from-log", help="print the summary of a run from its log (give the run's sizes and options)")
    a = ap.parse_args()
    if a.stop:
        return stop_kept(a)
    if a.from_log:
        a.amis_sha = "see the log"
        print(summary(a, *from_log(a.from_log), os.stat(a.from_log).st_mtime))
        return 0
    a.amis_bin = os.path.abspath(a.amis_bin)
    a.amis_sha = sh(["sha256sum", a.amis_bin])[:12]   # before the run: a rebuild meanwhile does not change it
    started = time.time()
    os.makedirs(a.work, exist_ok=True)
    chosen = [s for s in a.servers.split(",") if s in SERVERS]
    cases = [c for c in a.cases.split(",") if c in CASES]

    data = make_data(a)
    cases_dir = os.path.join(a.work, "cases-%d-%d" % (a.points, a.polygons))
    if not os.path.exists(cases_dir + "/ids.txt"):
        benchlib.make_cases(data, cases_dir)
    points = benchlib.cache_points(data)

    pg = Postgres(a.work, a.pg_port)
    servers = {}
    try:
        pg.start()
        amis_import(a, data, pg.url("amis"), os.path.join(a.work, "pg", "loaded"))
        for t in ("occurrences", "licences"):
            pg.psql("VACUUM ANALYZE amis_data." + t)
        store = os.path.join(a.work, "store-%d-%d.gpkg" % (a.points, a.polygons))
        amis_import(a, data, store, store + ".loaded")

        ports = dict(zip(SERVERS, range(a.port, a.port + len(SERVERS))))
        if "amis-pg" in chosen:
            servers["amis-pg"] = start_amis(a, "amis-pg", pg.url("amis"), ports["amis-pg"],
                                            'data_dir = "%s"\n' % os.path.join(a.work, "run", "amis-pg", "data"))
        if "amis-gpkg" in chosen:
            servers["amis-gpkg"] = start_amis(a, "amis-gpkg", store, ports["amis-gpkg"])
        if "mapserver" in chosen:
            servers["mapserver"] = start_mapserver(a, pg, ports["mapserver"])
        if "qgis" in chosen:
            servers["qgis"] = start_qgis(a, pg, ports["qgis"])
        if a.amis_bin_b:
            servers["amis-pg-b"] = start_amis(a, "amis-pg-b", pg.url(a.role_b), ports["amis-pg-b"],
                                              'data_dir = "%s"\n' % os.path.join(a.work, "run", "amis-pg-b", "data"),
                                              binary=os.path.abspath(a.amis_bin_b))
        log("servers: " + ", ".join("%s %s" % (s, servers[s].base) for s in servers))

        # AMIS's own `next` link out of the page before feature 1,000,000: keyset (after=)
        at = min(1_000_000, a.points - 1000)
        amis0 = next(iter(s for s in servers if s.startswith("amis")), None)
        deep = "/collections/occurrences/items?f=json&limit=1000&offset=%d&after=%d" % (at, at)
        if amis0:
            page = json.loads(get(servers[amis0].base, "/collections/occurrences/items?f=json&limit=1000&offset=%d"
                                  % (at - 1000))[2])
            nxt = [l["href"] for l in page["links"] if l["rel"] == "next"][0]
            deep = urllib.parse.urlsplit(nxt)._replace(scheme="", netloc="").geturl()
            log("deep page: %s (the next link of the page at offset %d)" % (deep, at - 1000))
        urls = url_lists(a, cases_dir, points, urllib.parse.unquote(deep))
        ok = preflight(servers, urls, cases_dir)

        results = []
        for rnd in range(a.rounds):
            for c in cases:
                order = list(servers) if rnd % 2 == 0 else list(reversed(servers))
                for s in order:
                    if s in urls[c] and ok.get((c, s)):
                        # a z5 tile of 5M points takes seconds: a longer run so that a few complete
                        secs = a.duration * 3 if c == "mvt_z5" else a.duration
                        role = (a.role_b if s == "amis-pg-b" else "amis") if s.startswith("amis") else "peers"
                        results.append(wrk(a, servers[s], pg, urls[c][s], c, a.conns, secs, role=role))
        exports = []
        if a.export != "none":
            paths = {"amis-pg": "/collections/occurrences/items?f=json&limit=%d" % a.points,
                     "amis-pg-b": "/collections/occurrences/items?f=json&limit=%d" % a.points,
                     "amis-gpkg": "/collections/occurrences/items?f=json&limit=%d" % a.points,
                     "mapserver": "/mapserv?map=minerals&SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&OUTPUTFORMAT=geojson",
                     "qgis": "/qgisserver?SERVICE=WFS&VERSION=1.1.0&REQUEST=GetFeature&TYPENAME=occurrences&OUTPUTFORMAT=application/json"}
            for s in servers:
                if a.export == "all" or s.startswith("amis"):
                    exports.append(export(a, servers[s], pg, paths[s], a.points))
        conn_runs = []
        if "amis-pg" in servers and not a.no_conns_test:
            for c in ("items_bbox_1k", "item"):
                conn_runs.append(wrk(a, servers["amis-pg"], pg, urls[c]["amis-pg"], c, 256, a.duration, role="amis"))
        out = os.path.join(a.work, "results", "summary-%s.md" % time.strftime("%Y%m%d-%H%M%S", time.gmtime(started)))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out.replace(".md", ".json"), "w") as f:
            json.dump({"runs": results, "exports": exports, "conns": conn_runs}, f, indent=1)
        text = summary(a, results, exports, conn_runs, started)
        with open(out, "w") as f:
            f.write(text)
        print("\n" + text)
        log("summary: %s" % out)
    finally:
        if not a.keep:
            for s in servers.values():
                s.stop()
            pg.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
