#!/usr/bin/python3
"""Helpers for bench/run.sh (Debian's /usr/bin/python3: needs osgeo and numpy).

  benchlib.py cases GPKG OUTDIR
      fixed request parameters, deterministic for a given GeoPackage:
      bbox1k.txt  64 lon/lat boxes each holding 1000..1100 occurrences
                  (minlon minlat maxlon maxlat count; exact, boundary inclusive)
      ids.txt     1000 occurrence ids
      (the same file formats as /work/shared/peers/make_cases.py)
  benchlib.py expand PEER_CONF CASES_DIR WORK_DIR
      writes WORK_DIR/<case>.urls for the bbox/id cases of PEER_CONF, prints the case names
  benchlib.py get PEER_CONF KEY
  benchlib.py preflight URL_BASE GPKG CASES_DIR [BIG_LIMIT]
      correctness checks of AMIS against the GeoPackage; one line per check,
      "FAIL request=... expected=... got=..." on a mismatch; exit status 1 if any failed
  benchlib.py median TSV LABEL
      per-case medians of wrk runs (lines "ROUND CASE k=v ..."), in the format of the
      peers' cases.py median
  benchlib.py summary LOG [LOG ...]
      the results table (markdown) from run.sh's logs: median lines, bigexport lines,
      flatmem lines
"""
import json
import os
import random
import re
import statistics
import sys
import time
import urllib.error
import urllib.request

ENC_RE = re.compile(r"(\w+)=(\S+)")


# ------------------------------------------------------------------ data access
def load_points(gpkg, layer="occurrences"):
    """(ids, xs, ys) numpy arrays of every point, via OGR (exact coordinates)."""
    import numpy as np
    from osgeo import ogr
    ogr.UseExceptions()
    ds = ogr.Open(gpkg)
    sql = "SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y FROM %s ORDER BY id" % layer
    try:
        lyr = ds.ExecuteSQL(sql, dialect="SQLITE")
        rows = [(f.GetField(0), f.GetField(1), f.GetField(2)) for f in lyr]
        ds.ReleaseResultSet(lyr)
    except Exception:
        lyr = ds.GetLayerByName(layer)
        rows = []
        for f in lyr:
            g = f.GetGeometryRef()
            rows.append((f.GetField("id"), g.GetX(), g.GetY()))
    a = np.array(rows, dtype=np.float64)
    return a[:, 0].astype(np.int64), a[:, 1], a[:, 2]


def cache_points(gpkg):
    """load_points, cached next to the other case files in /tmp (the GeoPackage is read-only)."""
    import numpy as np
    st = os.stat(gpkg)
    key = "/tmp/amis-bench/points-%d-%d.npz" % (st.st_size, int(st.st_mtime))
    if os.path.exists(key):
        z = np.load(key)
        return z["ids"], z["xs"], z["ys"]
    ids, xs, ys = load_points(gpkg)
    os.makedirs(os.path.dirname(key), exist_ok=True)
    np.savez(key, ids=ids, xs=xs, ys=ys)
    return ids, xs, ys


def count_box(xs, ys, b):
    return int(((xs >= b[0]) & (xs <= b[2]) & (ys >= b[1]) & (ys <= b[3])).sum())


# ------------------------------------------------------------------ cases
def make_cases(gpkg, out):
    ids, xs, ys = cache_points(gpkg)
    os.makedirs(out, exist_ok=True)
    rng = random.Random(4243)
    n = len(ids)
    boxes = []
    while len(boxes) < 64:
        k = rng.randrange(n)
        cx, cy = xs[k], ys[k]
        lo, hi = 0.01, 10.0
        for _ in range(40):
            h = (lo + hi) / 2
            b = (round(cx - h, 4), round(cy - h, 4), round(cx + h, 4), round(cy + h, 4))
            c = count_box(xs, ys, b)
            if c < 1000:
                lo = h
            elif c > 1100:
                hi = h
            else:
                boxes.append(b + (c,))
                break
    with open(os.path.join(out, "bbox1k.txt"), "w") as f:
        for b in boxes:
            f.write("%.4f %.4f %.4f %.4f %d\n" % b)
    with open(os.path.join(out, "ids.txt"), "w") as f:
        for _ in range(1000):
            f.write("%d\n" % ids[rng.randrange(n)])
    print("cases in %s: %d boxes (1000..1100 points), 1000 ids" % (out, len(boxes)))


def read_conf(path):
    cases, keys = [], {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            if parts[0] == "case" and len(parts) == 3:
                cases.append((parts[1], parts[2]))
            elif len(parts) == 2:
                keys[parts[0]] = parts[1]
            else:
                sys.exit("bad line in %s: %s" % (path, line.rstrip()))
    return cases, keys


def rows(path):
    with open(path) as f:
        return [l.split() for l in f if l.strip()]


def expand(conf, cases_dir, work):
    os.makedirs(work, exist_ok=True)
    cases, _ = read_conf(conf)
    names = []
    for name, tpl in cases:
        if "{bbox_lonlat}" in tpl:
            urls = [tpl.replace("{bbox_lonlat}", ",".join(b[:4])) for b in rows(cases_dir + "/bbox1k.txt")]
        elif "{id}" in tpl:
            urls = [tpl.replace("{id}", r[0]) for r in rows(cases_dir + "/ids.txt")]
        elif "{" in tpl:
            continue           # tile/WMS placeholders: not part of the AMIS-only load
        else:
            urls = [tpl]
        with open(os.path.join(work, name + ".urls"), "w") as f:
            f.write("\n".join(urls) + "\n")
        names.append(name)
    print(" ".join(names))


# ------------------------------------------------------------------ pre-flight
class Checker:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.failures = 0

    def get(self, path, timeout=300):
        t0 = time.time()
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as r:
                body, code, ctype = r.read(), r.status, r.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            body, code, ctype = e.read(), e.code, e.headers.get("Content-Type", "")
        except Exception as e:      # connection refused, timeout, reset
            return None, "%s: %s" % (type(e).__name__, e), "", time.time() - t0
        return code, body, ctype, time.time() - t0

    def expect(self, path, what, expected, got):
        if expected == got:
            return True
        self.failures += 1
        print("    FAIL request=%s check=%s expected=%s got=%s" % (path, what, expected, str(got)[:300]))
        return False

    def collection(self, path, want_features, want_matched=None, bbox=None, want_next=None):
        code, body, ctype, dt = self.get(path)
        if not self.expect(path, "status", 200, code):
            if code is not None:
                print("      body: %s" % body[:300].decode("utf-8", "replace").replace("\n", " "))
            return None
        try:
            d = json.loads(body)
        except ValueError as e:
            self.expect(path, "json", "valid JSON", "unparsable (%s)" % e)
            return None
        feats = d.get("features", [])
        fids = [f.get("id") for f in feats]
        ok = self.expect(path, "type", "FeatureCollection", d.get("type"))
        ok &= self.expect(path, "content-type", "application/geo+json", ctype.split(";")[0].strip())
        ok &= self.expect(path, "features", want_features, len(feats))
        if "numberReturned" in d:
            ok &= self.expect(path, "numberReturned", len(feats), d["numberReturned"])
        if want_matched is not None and "numberMatched" in d:
            ok &= self.expect(path, "numberMatched", want_matched, d["numberMatched"])
        ok &= self.expect(path, "unique ids", len(fids), len(set(map(str, fids))))
        if bbox is not None:
            outside = 0
            for f in feats:
                x, y = f["geometry"]["coordinates"][:2]
                if not (bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]):
                    outside += 1
            ok &= self.expect(path, "features outside bbox", 0, outside)
        rels = sorted({l.get("rel") for l in d.get("links", []) if isinstance(l, dict)})
        if want_next is not None:
            ok &= self.expect(path, "next link", want_next, "next" in rels)
        print("    %s %s status=%d ms=%.0f bytes=%d features=%d numberMatched=%s links=%s" % (
            "ok  " if ok else "BAD ", path[:110], code, dt * 1000, len(body), len(feats),
            d.get("numberMatched", "-"), ",".join(str(r) for r in rels)))
        return d


def preflight(base, gpkg, cases_dir, big_limit=None):
    ids, xs, ys = cache_points(gpkg)
    pos = {int(i): k for k, i in enumerate(ids)}
    n = len(ids)
    c = Checker(base)
    col = "/collections/occurrences"
    print("  pre-flight against %s (expected values from %s, %d points)" % (base, gpkg, n))

    # a bbox page of 1000 out of 1000..1100
    for b in rows(cases_dir + "/bbox1k.txt")[:8]:
        box = [float(v) for v in b[:4]]
        want = count_box(xs, ys, box)
        c.collection("%s/items?f=json&limit=1000&bbox=%s" % (col, ",".join(b[:4])),
                     min(want, 1000), want, bbox=box, want_next=want > 1000)
    # paging: two 10k pages, disjoint
    p1 = c.collection(col + "/items?f=json&limit=10000", min(n, 10000), n, want_next=n > 10000)
    p2 = c.collection(col + "/items?f=json&limit=10000&offset=10000", max(0, min(n - 10000, 10000)), n)
    if p1 and p2:
        a = {str(f.get("id")) for f in p1["features"]}
        b2 = {str(f.get("id")) for f in p2["features"]}
        c.expect(col + "/items?f=json&limit=10000&offset=10000", "ids shared with offset=0 page", 0, len(a & b2))
    # clamping of an over-large limit with the default config is not checked here: the
    # bench server runs with max_limit >= the export size.
    # single items
    for fid in [r[0] for r in rows(cases_dir + "/ids.txt")[:5]] + ["1", str(int(ids.max()))]:
        path = "%s/items/%s?f=json" % (col, fid)
        code, body, ctype, dt = c.get(path)
        if not c.expect(path, "status", 200, code):
            continue
        try:
            d = json.loads(body)
        except ValueError as e:
            c.expect(path, "json", "valid JSON", "unparsable (%s)" % e)
            continue
        k = pos[int(fid)]
        ok = c.expect(path, "type", "Feature", d.get("type"))
        ok &= c.expect(path, "id", fid, str(d.get("id")))
        ok &= c.expect(path, "properties.id", int(fid), (d.get("properties") or {}).get("id"))
        coords = (d.get("geometry") or {}).get("coordinates") or [None, None]
        got = tuple(coords[:2])
        close = (len(got) == 2 and None not in got and
                 abs(got[0] - xs[k]) <= 1e-7 and abs(got[1] - ys[k]) <= 1e-7)
        ok &= c.expect(path, "coordinates (within 1e-7)", (xs[k], ys[k]), (xs[k], ys[k]) if close else got)
        print("    %s %s status=%d ms=%.1f bytes=%d" % ("ok  " if ok else "BAD ", path, code, dt * 1000, len(body)))
    missing = "%s/items/%d?f=json" % (col, int(ids.max()) + 1000)
    code, body, ctype, dt = c.get(missing)
    c.expect(missing, "status (missing item)", 404, code)
    print("    %s %s status=%s" % ("ok  " if code == 404 else "BAD ", missing, code))
    if big_limit:
        c.collection("%s/items?f=json&limit=%d" % (col, big_limit), min(n, big_limit), n)
    print("  pre-flight: %s" % ("all checks passed" if c.failures == 0 else "%d FAILED checks" % c.failures))
    return c.failures


# ------------------------------------------------------------------ results
def kv(parts):
    return dict(m.groups() for m in (ENC_RE.match(p) for p in parts) if m)


def median(tsv, label):
    byc, order = {}, []
    for parts in rows(tsv):
        if len(parts) < 3:
            continue
        if parts[1] not in byc:
            byc[parts[1]] = []
            order.append(parts[1])
        byc[parts[1]].append(kv(parts[2:]))
    for case in order:
        rs = byc[case]
        med = lambda k: statistics.median(float(r[k]) for r in rs)
        errs = sum(int(r[k]) for r in rs for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout"))
        reqs = sum(int(r["requests"]) for r in rs)
        avg_kb = sum(float(r["bytes"]) for r in rs) / max(reqs, 1) / 1024
        cpu = ""
        if all("cpu_busy" in r for r in rs):
            cpu = " cpu_busy=%d%% server_cpu=%d%%" % (med("cpu_busy"), med("server_cpu"))
        print("%-10s %-18s runs=%d rps=%.1f p50_ms=%.1f p99_ms=%.1f MBps=%.2f avg_resp_KB=%.1f errors=%d%s" % (
            label, case, len(rs), med("rps"), med("p50_ms"), med("p99_ms"), med("MBps"), avg_kb, errs, cpu))


def summary(logs):
    load, big, flat = {}, {}, []
    servers, cases = [], []
    for path in logs:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 4 and parts[2].startswith("runs=") and "rps=" in line:
                    label, case = parts[0], parts[1]
                    load[(label, case)] = kv(parts[2:])
                    if label not in servers:
                        servers.append(label)
                    if case not in cases:
                        cases.append(case)
                elif len(parts) >= 3 and parts[1] == "bigexport" and parts[2].startswith("run="):
                    big.setdefault(parts[0], []).append(kv(parts[2:]))
                elif parts and parts[0] == "FLATMEM":
                    flat.append(kv(parts[1:]))
    servers.sort(key=lambda s: (s != "amis", s))
    peers = [s for s in servers if s != "amis"]
    out = []
    if load:
        out.append("| case | " + " | ".join("%s rps / p50 / p99 ms / MB/s" % s for s in servers)
                   + (" | AMIS / best peer (rps) |" if peers and "amis" in servers else " |"))
        out.append("|---" * (len(servers) + 1 + (1 if peers and "amis" in servers else 0)) + "|")
        for case in cases:
            cells = []
            for s in servers:
                r = load.get((s, case))
                if r is None:
                    cells.append("-")
                    continue
                errs = int(r.get("errors", "0"))
                cells.append("%s / %s / %s / %s%s" % (r["rps"], r["p50_ms"], r["p99_ms"], r["MBps"],
                                                     " (%d errors)" % errs if errs else ""))
            ratio = ""
            if peers and "amis" in servers:
                best = [float(load[(p, case)]["rps"]) for p in peers if (p, case) in load]
                a = load.get(("amis", case))
                if best and a and max(best) > 0:
                    bp = max(peers, key=lambda p: float(load[(p, case)]["rps"]) if (p, case) in load else -1)
                    ratio = " | %.2fx (vs %s)" % (float(a["rps"]) / max(best), bp)
                else:
                    ratio = " | -"
            out.append("| %s | %s%s |" % (case, " | ".join(cells), ratio))
    # requests per CPU-second the server processes actually got: less sensitive than rps to
    # other jobs on a shared box (server_cpu = the servers' share of all cpus, in %)
    ncpu = os.cpu_count() or 1
    eff = {}
    for (srv, case), r in load.items():
        try:
            sc = float(r["server_cpu"].rstrip("%"))
            if sc > 0:
                eff[(srv, case)] = float(r["rps"]) / (sc / 100.0 * ncpu)
        except (KeyError, ValueError):
            pass
    if eff:
        out.append("")
        out.append("| case: requests per server CPU-second (rps / (server_cpu x %d cpus)) | %s |" % (
            ncpu, " | ".join(servers)) + (" AMIS / best peer |" if peers and "amis" in servers else ""))
        out.append("|---" * (len(servers) + 1 + (1 if peers and "amis" in servers else 0)) + "|")
        for case in cases:
            cells = ["%.1f" % eff[(s, case)] if (s, case) in eff else "-" for s in servers]
            ratio = ""
            if peers and "amis" in servers:
                pv = [eff[(p, case)] for p in peers if (p, case) in eff]
                ratio = " %.1fx |" % (eff[("amis", case)] / max(pv)) if pv and ("amis", case) in eff else " - |"
            out.append("| %s | %s |%s" % (case, " | ".join(cells), ratio))
    if big:
        out.append("")
        out.append("| big export (all occurrences, GeoJSON, 1 GET) | runs | http | features | seconds (median) | TTFB s | MB | MB/s | peak RSS MB (before) |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for s in sorted(big, key=lambda s: (s != "amis", s)):
            rs = sorted(big[s], key=lambda r: float(r.get("seconds", "inf")))
            m = rs[(len(rs) - 1) // 2]
            secs = float(m["seconds"])
            mb = int(m["bytes"]) / 1e6
            peaks = [r.get("server_peak_rss_MB", "n/a") for r in big[s]]
            out.append("| %s | %d | %s | %s | %.2f | %.3f | %.1f | %.1f | %s (%s) |" % (
                s, len(rs), ",".join(sorted({r["http"] for r in rs})), m["features"], secs,
                float(m.get("ttfb_s", "nan")), mb, mb / secs if secs else 0,
                "/".join(peaks), m.get("server_rss_before_MB", "?")))
    if flat:
        out.append("")
        out.append("| AMIS flat-memory check | features | MB | seconds | RSS before MB | peak RSS (VmHWM) MB | peak RssAnon MB (sampled) |")
        out.append("|---|---|---|---|---|---|---|")
        for r in flat:
            out.append("| limit=%s | %s | %.1f | %.3f | %s | %s | %s |" % (
                r["limit"], r["features"], int(r["bytes"]) / 1e6, float(r["seconds"]), r["rss_before_MB"],
                r["peak_rss_MB"], r.get("peak_anon_MB", "?")))
        if len(flat) >= 2:
            try:
                a, b = float(flat[0]["peak_rss_MB"]), float(flat[-1]["peak_rss_MB"])
                out.append("")
                out.append("peak RSS %s vs %s features: %.0f MB vs %.0f MB (x%.2f for x%.0f the features)" % (
                    flat[0]["features"], flat[-1]["features"], a, b, b / a if a else 0,
                    float(flat[-1]["features"]) / max(float(flat[0]["features"]), 1)))
            except (KeyError, ValueError):
                pass
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "cases":
        make_cases(*args)
    elif cmd == "expand":
        expand(*args)
    elif cmd == "get":
        print(read_conf(args[0])[1].get(args[1], ""))
    elif cmd == "preflight":
        sys.exit(1 if preflight(args[0], args[1], args[2], int(args[3]) if len(args) > 3 else None) else 0)
    elif cmd == "median":
        median(*args)
    elif cmd == "summary":
        summary(args)
    else:
        sys.exit(__doc__)
