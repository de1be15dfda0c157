#!/usr/bin/python3
"""Helpers for bench/run.sh (Debian's /usr/bin/python3: needs osgeo and numpy).

  benchlib.py cases GPKG OUTDIR
      fixed request parameters, deterministic for a given GeoPackage:
      bbox1k.txt  64 lon/lat boxes each holding 1000..1100 occurrences
                  (minlon minlat maxlon maxlat count; exact, boundary inclusive)
      ids.txt     1000 occurrence ids
      (the same file formats as /work/shared/peers/make_cases.py)
  benchlib.py expand PEER_CONF CASES_DIR WORK_DIR [CONF ...]
      writes WORK_DIR/<case>.urls for the cases of PEER_CONF (and of the further CONFs, e.g.
      bench/amis/cql2.conf), prints the case names. Placeholders: {bbox_lonlat} (64 boxes),
      {octagon_lonlat} (the octagon inscribed in each of the same boxes, as a WKT ring),
      {id}; query values are percent-encoded here, so templates are written readable
  benchlib.py get PEER_CONF KEY
  benchlib.py preflight URL_BASE GPKG CASES_DIR [BIG_LIMIT]
      correctness checks of AMIS against the GeoPackage; one line per check,
      "FAIL request=... expected=... got=..." on a mismatch; exit status 1 if any failed
  benchlib.py preflight-cql2 URL_BASE GPKG WORK_DIR CONF CASE [CASE ...]
      checks every request of the named cases of CONF (the .urls files written by expand)
      against counts made without AMIS: numpy for the boxes and octagons (cross-checked with
      OGR/GEOS), sqlite3 on the source GeoPackage for the attribute part, OSR for crs=;
      plain-bbox twins of the S_INTERSECTS(BBOX) case must return the identical page
  benchlib.py latency URL_BASE WORK_DIR PID N CASE [CASE ...]
      N sequential single requests per case (no concurrency; the cases take turns in 4 blocks,
      after 8 warm-up requests each): wall ms per request and server CPU ms per request
      (from /proc/PID/stat); prints LATENCY lines
  benchlib.py median TSV LABEL
      per-case medians of wrk runs (lines "ROUND CASE k=v ..."), in the format of the
      peers' cases.py median
  benchlib.py summary LOG [LOG ...]
      the results table (markdown) from run.sh's logs: median lines, bigexport lines,
      flatmem lines, LATENCY lines; AMIS alone: a table of every case against the plain
      bbox case (oapif_bbox_1k) measured in the same run
"""
import json
import os
import random
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
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
            if parts[0] == "case" and len(parts) >= 3:
                # the template is the rest of the line: CQL2 text may hold spaces
                cases.append((parts[1], line.split(None, 2)[2].strip()))
            elif len(parts) == 2:
                keys[parts[0]] = parts[1]
            else:
                sys.exit("bad line in %s: %s" % (path, line.rstrip()))
    return cases, keys


def rows(path):
    with open(path) as f:
        return [l.split() for l in f if l.strip()]


SAFE = ",:/()"        # left as they are in query values (bbox lists, crs URIs, WKT, function calls)


def encode_query(path):
    """Percent-encode the query values of a readable path (spaces, quotes, = > < in CQL2).
    A value that already holds '%' is taken as encoded."""
    if "?" not in path:
        return path
    head, query = path.split("?", 1)
    out = []
    for param in query.split("&"):
        k, eq, v = param.partition("=")
        out.append(k + eq + (v if "%" in v else urllib.parse.quote(v, safe=SAFE)))
    return head + "?" + "&".join(out)


def octagon(b):
    """Closed ring (list of (x, y)) of the octagon inscribed in box b: its corners cut off so
    that the 8 edges are equal for a square box. Vertices rounded to 6 decimals, counter-clockwise."""
    x0, y0, x1, y1 = (float(v) for v in b[:4])
    a, c = (x1 - x0) / (2 + 2 ** 0.5), (y1 - y0) / (2 + 2 ** 0.5)
    pts = [(x0 + a, y0), (x1 - a, y0), (x1, y0 + c), (x1, y1 - c),
           (x1 - a, y1), (x0 + a, y1), (x0, y1 - c), (x0, y0 + c)]
    pts = [(round(x, 6), round(y, 6)) for x, y in pts]
    return pts + [pts[0]]


def ring_text(ring):
    return ",".join("%.6f %.6f" % p for p in ring)


def fill(tpl, box=None, fid=None):
    if box is not None:
        tpl = tpl.replace("{bbox_lonlat}", ",".join(box[:4]))
        tpl = tpl.replace("{octagon_lonlat}", ring_text(octagon(box)))
    if fid is not None:
        tpl = tpl.replace("{id}", fid)
    return tpl


def expand(conf, cases_dir, work, *more):
    os.makedirs(work, exist_ok=True)
    cases = []
    for c in (conf,) + more:
        cases += read_conf(c)[0]
    names = []
    for name, tpl in cases:
        if "{bbox_lonlat}" in tpl or "{octagon_lonlat}" in tpl:
            urls = [fill(tpl, box=b) for b in rows(cases_dir + "/bbox1k.txt")]
        elif "{id}" in tpl:
            urls = [fill(tpl, fid=r[0]) for r in rows(cases_dir + "/ids.txt")]
        elif "{" in tpl:
            continue           # tile/WMS placeholders: not part of the AMIS-only load
        else:
            urls = [tpl]
        with open(os.path.join(work, name + ".urls"), "w") as f:
            f.write("\n".join(encode_query(u) for u in urls) + "\n")
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


# ------------------------------------------------------------------ pre-flight of the CQL2 / crs cases
SP_BBOX = "S_INTERSECTS(geometry,BBOX({bbox_lonlat}))"
SP_OCTAGON = "S_INTERSECTS(geometry,POLYGON(({octagon_lonlat})))"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def query_params(path):
    return dict(p.partition("=")[::2] for p in path.partition("?")[2].split("&") if p)


class Truth:
    """Answers computed without AMIS: numpy on the points, sqlite3 on the source GeoPackage."""

    def __init__(self, gpkg):
        import numpy as np
        import sqlite3
        self.np = np
        self.ids, self.xs, self.ys = cache_points(gpkg)
        self.pos = {int(i): k for k, i in enumerate(self.ids)}
        self.db = sqlite3.connect("file:%s?mode=ro" % gpkg, uri=True)
        self.where_cache = {}

    def box(self, b):
        return (self.xs >= b[0]) & (self.xs <= b[2]) & (self.ys >= b[1]) & (self.ys <= b[3])

    def convex(self, ring, eps=1e-9):
        """Points inside or on a convex counter-clockwise ring; also how many lie within eps
        (degrees) of an edge, where float rounding could decide differently."""
        np = self.np
        xs0, ys0, xs1, ys1 = zip(*[(ring[i][0], ring[i][1], ring[i + 1][0], ring[i + 1][1])
                                   for i in range(len(ring) - 1)])
        env = self.box((min(xs0), min(ys0), max(xs0), max(ys0)))
        idx = np.nonzero(env)[0]
        px, py = self.xs[idx], self.ys[idx]
        least = np.full(len(idx), np.inf)        # signed distance to the nearest edge (inside >= 0)
        for x0, y0, x1, y1 in zip(xs0, ys0, xs1, ys1):
            cross = (x1 - x0) * (py - y0) - (y1 - y0) * (px - x0)
            least = np.minimum(least, cross / max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 1e-300))
        mask = np.zeros(len(self.ids), dtype=bool)
        mask[idx[least >= 0]] = True
        return mask, int((np.abs(least) <= eps).sum()), idx

    def where(self, sql):
        """Boolean mask of the points whose row satisfies the SQL condition (on the source file)."""
        if sql not in self.where_cache:
            got = [r[0] for r in self.db.execute("SELECT id FROM occurrences WHERE " + sql)]
            self.where_cache[sql] = self.np.isin(self.ids, self.np.array(got, dtype=self.np.int64))
        return self.where_cache[sql]

    def count(self, sql):
        return self.db.execute("SELECT count(*) FROM occurrences WHERE " + sql).fetchone()[0]


def ogr_count(wkt, idx, xs, ys):
    """GEOS (through OGR) count of the points idx that intersect the polygon wkt."""
    from osgeo import ogr
    poly = ogr.CreateGeometryFromWkt(wkt)
    n = 0
    for k in idx:
        p = ogr.Geometry(ogr.wkbPoint)
        p.AddPoint_2D(float(xs[k]), float(ys[k]))
        n += 1 if poly.Intersects(p) else 0
    return n


def transformer(crs_uri):
    """lon/lat -> the crs of the URI (OSR), or None for CRS84."""
    if not crs_uri or crs_uri == CRS84:
        return None
    from osgeo import osr
    code = int(crs_uri.rstrip("/").rsplit("/", 1)[1])
    a, b = osr.SpatialReference(), osr.SpatialReference()
    a.ImportFromEPSG(4326)
    b.ImportFromEPSG(code)
    for s in (a, b):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(a, b)
    return lambda pts: [tuple(t[:2]) for t in ct.TransformPoints([tuple(map(float, p)) for p in pts])]


def get_full(base, path, timeout=300):
    t0 = time.time()
    try:
        with urllib.request.urlopen(base + path, timeout=timeout) as r:
            return r.status, r.read(), dict(r.headers.items()), time.time() - t0
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers.items()), time.time() - t0
    except Exception as e:
        return None, ("%s: %s" % (type(e).__name__, e)).encode(), {}, time.time() - t0


def preflight_cql2(base, gpkg, cases_dir, conf, *names):
    np = __import__("numpy")
    t = Truth(gpkg)
    c = Checker(base)
    base = base.rstrip("/")
    templates = dict(read_conf(conf)[0])
    boxes = rows(cases_dir + "/bbox1k.txt")
    print("  pre-flight (CQL2 / crs) against %s: every request of %s" % (base, " ".join(names)))
    for name in names:
        tpl = templates.get(name)
        if tpl is None:
            continue                      # a case of peer.conf (checked by preflight)
        params = query_params(tpl)
        limit = int(params.get("limit", "10"))
        flt = params.get("filter", "")
        if "filter-lang" in params:
            c.expect(tpl, "template", "CQL2-Text filter", "filter-lang given")
            continue
        residual = flt.replace(SP_BBOX, "1=1").replace(SP_OCTAGON, "1=1")
        if "{" in residual or re.search(r"\b[ST]_[A-Z]+\s*\(", residual, re.I):
            c.expect(tpl, "template", "an attribute part with S_INTERSECTS(geometry,BBOX|POLYGON of a placeholder)",
                     "unsupported filter " + flt)
            continue
        attr = residual.strip() not in ("", "1=1")
        to_crs = transformer(params.get("crs"))
        want_crs = "<%s>" % (params.get("crs") or CRS84)
        per_box = "{bbox_lonlat}" in tpl or "{octagon_lonlat}" in tpl
        if attr and not per_box:
            print("    %s: sqlite3 on %s: SELECT count(*) FROM occurrences WHERE %s -> %d" % (
                name, gpkg, residual, t.count(residual)))
        stats = {"requests": 0, "matched": [], "ms": [], "near": 0, "ogr_checked": 0, "twins": 0,
                 "max_err": 0.0, "bad": 0}
        for i, b in enumerate(boxes if per_box else [None]):
            mask = np.ones(len(t.ids), dtype=bool)
            box = [float(v) for v in b[:4]] if b else None
            path = encode_query(fill(tpl, box=b))
            if "bbox" in params or SP_BBOX in flt:
                mask &= t.box(box)
            if SP_OCTAGON in flt:
                ring = octagon(b)
                m, near, idx = t.convex(ring)
                mask &= m
                stats["near"] += near
                g = ogr_count("POLYGON((%s))" % ring_text(ring), idx, t.xs, t.ys)
                stats["ogr_checked"] += 1
                c.expect(path, "independent counts agree (numpy point-in-octagon vs OGR/GEOS)",
                         int(m.sum()), g)
            if attr:
                mask &= t.where(residual)
            want_ids = set(int(v) for v in t.ids[mask])
            want = len(want_ids)
            code, body, hdr, dt = get_full(base, path)
            stats["requests"] += 1
            stats["ms"].append(dt * 1000)
            fails = c.failures
            if not c.expect(path, "status", 200, code):
                print("      body: %s" % body[:300].decode("utf-8", "replace"))
                continue
            d = json.loads(body)
            feats = d.get("features", [])
            fids = [int(f["id"]) for f in feats]
            c.expect(path, "content-type", "application/geo+json", hdr.get("Content-Type", "").split(";")[0])
            c.expect(path, "Content-Crs", want_crs, hdr.get("Content-Crs"))
            c.expect(path, "numberMatched", want, d.get("numberMatched"))
            c.expect(path, "numberReturned", min(want, limit), d.get("numberReturned"))
            c.expect(path, "features", min(want, limit), len(feats))
            c.expect(path, "unique ids", len(fids), len(set(fids)))
            c.expect(path, "features not matching (by the independent count)", 0, len(set(fids) - want_ids))
            rels = {l.get("rel") for l in d.get("links", [])}
            c.expect(path, "next link", want > limit, "next" in rels)
            src = [(t.xs[t.pos[f]], t.ys[t.pos[f]]) for f in fids]
            got = [tuple(f["geometry"]["coordinates"][:2]) for f in feats]
            exp = to_crs(src) if to_crs else src
            tol = 1e-3 if to_crs else 1e-7           # metres / degrees
            err = max([max(abs(a[0] - e[0]), abs(a[1] - e[1])) for a, e in zip(got, exp)] or [0.0])
            stats["max_err"] = max(stats["max_err"], err)
            c.expect(path, "coordinates within %g of %s" % (tol, "OSR's transform" if to_crs else "the source"),
                     True, err <= tol)
            stats["matched"].append(want)
            if flt == SP_BBOX and set(params) <= {"f", "limit", "filter"}:
                # its plain-bbox twin: the same page, feature for feature
                twin = "%s?f=%s&limit=%d&bbox=%s" % (tpl.partition("?")[0], params.get("f", "json"), limit,
                                                      ",".join(b[:4]))
                tc, tb, th, _ = get_full(base, twin)
                td = json.loads(tb) if tc == 200 else {}
                c.expect(twin, "numberMatched of bbox= vs filter=S_INTERSECTS(BBOX) %s" % path,
                         d.get("numberMatched"), td.get("numberMatched"))
                c.expect(twin, "feature ids of bbox= vs filter=S_INTERSECTS(BBOX) %s" % path,
                         fids, [int(f["id"]) for f in td.get("features", [])])
                stats["twins"] += 1
                if i == 0:
                    # and the same filter in CQL2-JSON
                    cj = json.dumps({"op": "s_intersects", "args": [{"property": "geometry"}, {"bbox": box}]},
                                    separators=(",", ":"))
                    jpath = "%s?f=json&limit=%d&filter-lang=cql2-json&filter=%s" % (
                        tpl.partition("?")[0], limit, urllib.parse.quote(cj, safe=""))
                    jc, jb, _, _ = get_full(base, jpath)
                    jd = json.loads(jb) if jc == 200 else {}
                    ok = c.expect(jpath, "numberMatched (cql2-json)", want, jd.get("numberMatched"))
                    print("    %s cql2-json twin %s numberMatched=%s" % ("ok  " if ok else "BAD ", jpath[:120],
                                                                        jd.get("numberMatched")))
            if c.failures != fails:
                stats["bad"] += 1
            if i < 2 or c.failures != fails:
                print("    %s %s status=%d ms=%.0f bytes=%d numberMatched=%s (independent: %d) returned=%d" % (
                    "ok  " if c.failures == fails else "BAD ", path[:150], code, dt * 1000, len(body),
                    d.get("numberMatched"), want, len(feats)))
        m = stats["matched"]
        extra = []
        if stats["ogr_checked"]:
            extra.append("numpy point-in-octagon = OGR/GEOS on %d polygons, points within 1e-9 deg of an edge: %d"
                         % (stats["ogr_checked"], stats["near"]))
        if stats["twins"]:
            extra.append("%d plain-bbox twins: identical numberMatched and ids" % stats["twins"]
                         if stats["bad"] == 0 else "%d plain-bbox twins compared" % stats["twins"])
        if to_crs:
            extra.append("max |coordinate - OSR| = %.2g m" % stats["max_err"])
        if m:
            print("  %s %s: %d requests, %d bad; numberMatched %d..%d (mean %.0f); single-request ms median %.0f%s" % (
                "ok  " if stats["bad"] == 0 else "BAD ", name, stats["requests"], stats["bad"], min(m), max(m),
                sum(m) / len(m), statistics.median(stats["ms"]), "; " + "; ".join(extra) if extra else ""))
    print("  pre-flight (CQL2 / crs): %s" % ("all checks passed" if c.failures == 0 else "%d FAILED checks" % c.failures))
    return c.failures


# ------------------------------------------------------------------ single-request latency
def latency(base, work, pid, n, *cases, blocks=4, warm=8):
    """n sequential requests per case on one keep-alive connection per case: wall time per
    request and the server's CPU time per request (utime + stime of PID). The cases take turns
    in `blocks` blocks of n/blocks requests, after `warm` warm-up requests each, so a slow
    moment of the shared machine or a cold cache does not land on one case only."""
    import http.client
    tick = os.sysconf("SC_CLK_TCK")
    host = urllib.parse.urlsplit(base)

    def cpu():
        with open("/proc/%s/stat" % pid) as f:
            v = f.read().rsplit(")", 1)[1].split()
        return (int(v[11]) + int(v[12])) / tick

    n = int(n)
    per_block = max(1, n // blocks)
    st = {}
    for case in cases:
        urls = [l.strip() for l in open(os.path.join(work, case + ".urls")) if l.strip()]
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=300)
        for i in range(warm):
            conn.request("GET", urls[i % len(urls)])
            conn.getresponse().read()
        st[case] = {"urls": urls, "conn": conn, "next": warm, "ms": [], "cpu": 0.0, "bytes": 0, "bad": 0}
    for _ in range(blocks):
        for case in cases:
            s = st[case]
            c0 = cpu()
            for _ in range(per_block):
                url = s["urls"][s["next"] % len(s["urls"])]
                s["next"] += 1
                t0 = time.perf_counter()
                s["conn"].request("GET", url)
                r = s["conn"].getresponse()
                body = r.read()
                s["ms"].append((time.perf_counter() - t0) * 1000)
                s["bytes"] += len(body)
                if r.status != 200:
                    s["bad"] += 1
                    print("LATENCY-FAIL case=%s status=%d url=%s" % (case, r.status, url))
            s["cpu"] += cpu() - c0
    for case in cases:
        s = st[case]
        s["conn"].close()
        ms = sorted(s["ms"])
        k = len(ms)
        print("LATENCY case=%s n=%d wall_p50_ms=%.1f wall_min_ms=%.1f wall_p90_ms=%.1f cpu_ms_per_req=%.1f avg_KB=%.1f%s" % (
            case, k, statistics.median(ms), ms[0], ms[int(0.9 * (k - 1))], s["cpu"] * 1000 / k,
            s["bytes"] / k / 1024, " errors=%d" % s["bad"] if s["bad"] else ""))


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
            ncpu = os.cpu_count() or 1
            per_req = statistics.median(float(r["server_cpu"]) / 100 * ncpu * 1000 / max(float(r["rps"]), 1e-9)
                                        for r in rs)
            cpu = " cpu_busy=%d%% server_cpu=%d%% cpu_ms_per_req=%.2f" % (med("cpu_busy"), med("server_cpu"), per_req)
        print("%-10s %-18s runs=%d rps=%.1f p50_ms=%.1f p99_ms=%.1f MBps=%.2f avg_resp_KB=%.1f errors=%d%s" % (
            label, case, len(rs), med("rps"), med("p50_ms"), med("p99_ms"), med("MBps"), avg_kb, errs, cpu))


def baseline_table(load, lat, cases, base="oapif_bbox_1k"):
    """AMIS alone: every case against the plain bbox case of the same run."""
    b = load[("amis", base)]
    bl = lat.get(base, {})
    f = lambda r, k: float(r[k]) if k in r else float("nan")
    out = ["", "AMIS alone, against `%s` measured in the same run (ratios: case / %s; "
           "rps ratio < 1 = slower; CPU ratio > 1 = more server CPU per request)" % (base, base), "",
           "| case | rps | p50 ms | p99 ms | MB/s | KB/resp | rps ratio | p50 ratio | server CPU ms/req (load) | CPU ratio "
           "| 1 request alone: wall p50 ms / server CPU ms | CPU ratio (alone) |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for case in cases:
        r = load.get(("amis", case))
        if r is None:
            continue
        l = lat.get(case, {})
        alone = "%s / %s" % (l["wall_p50_ms"], l["cpu_ms_per_req"]) if l else "-"
        ratio_alone = "%.2f" % (f(l, "cpu_ms_per_req") / f(bl, "cpu_ms_per_req")) if l and bl and f(bl, "cpu_ms_per_req") > 0 else "-"
        out.append("| %s | %s | %s | %s | %s | %s | %.2f | %.2f | %s | %s | %s | %s |" % (
            case, r["rps"], r["p50_ms"], r["p99_ms"], r["MBps"], r.get("avg_resp_KB", "-"),
            f(r, "rps") / f(b, "rps"), f(r, "p50_ms") / f(b, "p50_ms"),
            r.get("cpu_ms_per_req", "-"),
            "%.2f" % (f(r, "cpu_ms_per_req") / f(b, "cpu_ms_per_req")) if "cpu_ms_per_req" in b else "-",
            alone, ratio_alone))
    return out


def summary(logs):
    load, big, flat, lat = {}, {}, [], {}
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
                elif parts and parts[0] == "LATENCY":
                    r = kv(parts[1:])
                    lat[r["case"]] = r
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
    if servers == ["amis"] and ("amis", "oapif_bbox_1k") in load and len(cases) > 1:
        out += baseline_table(load, lat, cases)
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
    elif cmd == "preflight-cql2":
        sys.exit(1 if preflight_cql2(*args) else 0)
    elif cmd == "latency":
        latency(*args)
    elif cmd == "median":
        median(*args)
    elif cmd == "summary":
        summary(args)
    else:
        sys.exit(__doc__)
