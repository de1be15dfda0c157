"""What the server does for the web portal: WMS CQL_FILTER on GetMap and GetFeatureInfo,
the values of category properties as the queryables' `enum`, and the portal's files at
/portal/.

On stores and servers of their own (nothing here touches the session store):
- "main": coal_mines and countries from the demo, `sites` (130 synthetic points on a 1-degree
  grid, written here with OGR) and the EGM96 geoid as a raster layer; its amis.toml points
  `[server] portal_dir` at a folder written here (index.html, hashed assets, a dotfile, a
  folder named like a script);
- "reference": the subsets a filter should select (IDN coal mines, the Thai country polygon)
  imported as collections of their own, for GetMaps that must equal filtered ones;
- "unbuilt": a portal_dir without index.html;
- "editing": `sites` alone, with two reviewers, for the enum after an approved change set.

Oracles, none of them the output of the server under test:
- CQL_FILTER GetMap: the positions of the synthetic sites (plain arithmetic on the grid) and
  a Python predicate over the source rows; connected clusters of drawn pixels found with
  gdal.Polygonize; the same GetMap without the filter; the unfiltered GetMap of the
  reference store holding only the matching features;
- CQL_FILTER GetFeatureInfo: the ids sqlite3 selects on the store with the same predicate
  written in SQL;
- queryables: SELECT DISTINCT through sqlite3 on the store, the source's OGR field types,
  jsonschema (the features must validate against the document);
- portal: the bytes of the files written here.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import lxml.html
import numpy as np
import pytest
import requests
from jsonschema import Draft202012Validator
from osgeo import gdal, ogr, osr

from support import DEMO_DIR, DEMO_SOURCES, AmisServer, amis_import, fetch_all_items, http_session, run_amis
from store_support import amis, error, ro, rows
from wms_support import (PALETTE, Frame, Image, decode, frame_around, get_map, image_response, project, rgb,
                         service_exceptions, wms_get)

gdal.UseExceptions()
ogr.UseExceptions()

PASSWORD = "correct horse battery staple"
REVIEWER, REVIEWER2 = "expert", "expert-two"
GEOID = DEMO_DIR / "asean3_egm96_geoid_15min.tif"
MAX_ENUM = 64  # QueryableValues::kMaxValues, the documented limit


# --------------------------------------------------------------------------- synthetic sites


@dataclass(frozen=True)
class Site:
    seq: int
    lon: float
    lat: float
    kind: str | None
    rank: int
    grade: int
    cat64: str | None
    cat65: str
    label: str


GRID_COLUMNS, GRID_ROWS = 13, 10
SITE_COUNT = GRID_COLUMNS * GRID_ROWS
OBRIEN = "O'Brien; Sons"  # a quote and a ';' in one value: CQL_FILTER must not split it
UNIQUE_KIND = "\u00dcnited"  # only site 7 has it


def site_kind(i: int) -> str | None:
    if i == 7:
        return UNIQUE_KIND
    if i % 17 == 3:
        return OBRIEN
    if i % 11 == 5:
        return None
    return ["mine", "plant", "Port", "caf\u00e9", "Zeta", "alpha"][i % 6]


def make_sites() -> list[Site]:
    """130 points at whole degrees, lon 100..112, lat 0..9, 1 degree apart. cat64 has 64
    distinct values (and two nulls), cat65 65, label 130; kind 8 and some nulls; rank and
    grade are integers with few values (never an enum: not text)."""
    out = []
    for i in range(SITE_COUNT):
        out.append(Site(seq=i, lon=100.0 + i % GRID_COLUMNS, lat=float(i // GRID_COLUMNS), kind=site_kind(i),
                        rank=(i * 7) % 10, grade=i % 3, cat64=f"c{i % 64:02d}" if i < 128 else None,
                        cat65=f"d{i % 65:02d}", label=f"site {i:03d}"))
    return out


SITES = make_sites()


def write_sites_gpkg(path: Path) -> None:
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    layer = ds.CreateLayer("sites", srs, ogr.wkbPoint)
    for name, kind in (("seq", ogr.OFTInteger), ("kind", ogr.OFTString), ("rank", ogr.OFTInteger),
                       ("grade", ogr.OFTInteger), ("cat64", ogr.OFTString), ("cat65", ogr.OFTString),
                       ("label", ogr.OFTString), ("allnull", ogr.OFTString)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    layer.StartTransaction()
    for s in SITES:
        f = ogr.Feature(layer.GetLayerDefn())
        for name in ("seq", "kind", "rank", "grade", "cat64", "cat65", "label"):
            value = getattr(s, name)
            if value is None:
                f.SetFieldNull(name)
            else:
                f[name] = value
        f.SetFieldNull("allnull")
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({s.lon} {s.lat})"))
        layer.CreateFeature(f)
    layer.CommitTransaction()
    ds = None


# A map of every site: site (lon 100 + c, lat r) at the centre of pixel (10 + 20 c, 10 + 20 (9 - r)).
SITES_FRAME = frame_around(100.0, 9.0, 10, 10, 260, 200, 0.05)
MARKER_REACH = 6.0  # the default 7-px marker with its outline never reaches farther (test_wms_getmap)


# --------------------------------------------------------------------------- the portal files


INDEX_HTML = b"<!DOCTYPE html><html><head><title>AMIS portal (test)</title>" \
             b"<script type=\"module\" src=\"./assets/index-5f3a9c1e.js\"></script></head>" \
             b"<body><div id=\"map\"></div></body></html>\n"
PORTAL_FILES = {
    "index.html": INDEX_HTML,
    "assets/index-5f3a9c1e.js": b"console.log('portal \xe2\x9c\x93');\n",
    "assets/index-0b1d2e3f.css": b"body { margin: 0 }\n",
    "assets/inter-latin.woff2": bytes(range(256)) * 4,  # binary: every byte value
    "favicon.ico": b"\x00\x00\x01\x00" + bytes(60),
    "manifest.webmanifest": b'{"name": "AMIS"}\n',
    "logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>\n',
}
SECRET = b"AMIS_SECRET=must-never-be-served\n"
# (path under /portal/, Content-Type, Cache-Control)
SERVED = [
    ("", "text/html; charset=utf-8", "no-cache"),
    ("index.html", "text/html; charset=utf-8", "no-cache"),
    ("assets/index-5f3a9c1e.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"),
    ("assets/index-0b1d2e3f.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable"),
    ("assets/inter-latin.woff2", "font/woff2", "public, max-age=31536000, immutable"),
    ("favicon.ico", "image/x-icon", "no-cache"),
    ("manifest.webmanifest", "application/manifest+json", "no-cache"),
    ("logo.svg", "image/svg+xml", "no-cache"),
]


def write_portal(folder: Path) -> Path:
    for name, content in PORTAL_FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    (folder / ".env").write_bytes(SECRET)
    (folder / "assets" / ".secret.js").write_bytes(SECRET)
    (folder.parent / "outside.js").write_bytes(SECRET)  # next to the portal, never under it
    (folder / "chunks.js").mkdir()  # a folder named like a script
    return folder


def write_config(path: Path, portal_dir: Path) -> Path:
    path.write_text(f'[server]\nlog_level = "info"\nportal_dir = "{portal_dir}"\n')
    return path


# --------------------------------------------------------------------------- servers


def stop_checked(srv: AmisServer) -> None:
    alive = srv.alive()
    status = srv.stop()
    assert alive, f"amis serve ({srv.name}) died during the tests:\n{srv.stderr()[-3000:]}"
    assert status == 0, f"amis serve ({srv.name}) exited with {status}:\n{srv.stderr()[-3000:]}"


@dataclass
class Served:
    server: AmisServer
    s: requests.Session
    store: Path
    work: Path

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="module")
def sites_gpkg(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sites_source") / "sites.gpkg"
    write_sites_gpkg(path)
    return path


@pytest.fixture(scope="module")
def main(tmp_path_factory, amis_bin, sites_gpkg):
    work = tmp_path_factory.mktemp("portal_main")
    store = work / "store.gpkg"
    amis_import(store, DEMO_SOURCES["coal_mines"].path, "coal_mines")
    amis_import(store, DEMO_SOURCES["countries"].path, "countries")
    amis_import(store, sites_gpkg, "sites")
    added = run_amis("raster", "add", GEOID, "--id", "geoid", "--title", "EGM96 geoid", "--store", store)
    assert added.returncode == 0, added.stderr
    portal = work / "portal"
    portal.mkdir()
    write_portal(portal)
    srv = AmisServer(store, work, name="portal-main", config=write_config(work / "amis.toml", portal))
    srv.start()
    with http_session() as s:
        yield Served(srv, s, store, work)
    stop_checked(srv)


@pytest.fixture(scope="module")
def reference(tmp_path_factory, amis_bin):
    """The features the filters of the comparison tests select, as whole collections."""
    work = tmp_path_factory.mktemp("portal_reference")
    store = work / "store.gpkg"
    subsets = {"idn_mines": (DEMO_SOURCES["coal_mines"].path, "iso3 = 'IDN'"),
               "tha_country": (DEMO_SOURCES["countries"].path, "iso3 = 'THA'")}
    for collection, (source, where) in subsets.items():
        path = work / f"{collection}.gpkg"
        gdal.VectorTranslate(str(path), str(source), format="GPKG", where=where, layerName=collection)
        amis_import(store, path, collection)
    amis_import(store, DEMO_SOURCES["countries"].path, "countries")
    srv = AmisServer(store, work, name="portal-reference")
    srv.start()
    with http_session() as s:
        yield Served(srv, s, store, work)
    stop_checked(srv)


@pytest.fixture(scope="module")
def unbuilt(tmp_path_factory, amis_bin, sites_gpkg):
    work = tmp_path_factory.mktemp("portal_unbuilt")
    store = work / "store.gpkg"
    amis_import(store, sites_gpkg, "sites")
    portal = work / "dist"
    (portal / "assets").mkdir(parents=True)
    (portal / "assets" / "index-5f3a9c1e.js").write_bytes(b"// left over from an old build\n")
    srv = AmisServer(store, work, name="portal-unbuilt", config=write_config(work / "amis.toml", portal))
    srv.start()
    with http_session() as s:
        yield Served(srv, s, store, work)
    stop_checked(srv)


# --------------------------------------------------------------------------- helpers


def wms_ok_image(r: requests.Response) -> Image:
    return decode(image_response(r))


def sites_map(main: Served, cql: str | None, *, layers: str = "sites", version: str = "1.3.0",
              **extra) -> Image:
    params = {"CQL_FILTER": cql} if cql is not None else {}
    extra.setdefault("TRANSPARENT", "TRUE")
    r = get_map(main.s, main.url, layers=layers, bbox=SITES_FRAME.bbox, version=version,
                crs="CRS:84" if version == "1.3.0" else "EPSG:4326", width=SITES_FRAME.width,
                height=SITES_FRAME.height, **params, **extra)
    img = wms_ok_image(r)
    assert (img.width, img.height) == (SITES_FRAME.width, SITES_FRAME.height)
    return img


def clusters(mask: np.ndarray) -> list[tuple[float, float, float]]:
    """(column, row, area) of the centroid of each 8-connected group of True pixels, in
    pixel coordinates (a pixel's centre at +0.5), found with gdal.Polygonize."""
    h, w = mask.shape
    ds = gdal.GetDriverByName("MEM").Create("", w, h, 1, gdal.GDT_Byte)
    ds.SetGeoTransform((0.0, 1.0, 0.0, 0.0, 0.0, 1.0))
    band = ds.GetRasterBand(1)
    band.WriteArray(mask.astype(np.uint8))
    vds = ogr.GetDriverByName("Memory").CreateDataSource("clusters")
    layer = vds.CreateLayer("clusters", None, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("v", ogr.OFTInteger))
    gdal.Polygonize(band, band, layer, 0, ["8CONNECTED=8"])
    out = []
    for f in layer:
        g = f.GetGeometryRef()
        c = g.Centroid()
        out.append((c.GetX(), c.GetY(), g.GetArea()))
    return out


def near_any(shape: tuple[int, int], centres: list[tuple[float, float]], reach: float) -> np.ndarray:
    ys, xs = np.mgrid[0:shape[0], 0:shape[1]]
    out = np.zeros(shape, dtype=bool)
    for col, row in centres:
        out |= np.hypot(xs + 0.5 - col, ys + 0.5 - row) <= reach
    return out


def assert_markers_at(img: Image, expected: list[Site], what: str, frame: Frame = SITES_FRAME,
                      want: list[tuple[float, float]] | None = None) -> None:
    """One cluster of drawn pixels per expected site, centred on it (its pixel position in
    `want`, default: in the CRS:84 frame) within 1 px, and no other."""
    found = clusters(img.rgba[..., 3] > 0)
    want = want if want is not None else [frame.pixel(s.lon, s.lat) for s in expected]
    assert len(found) == len(want), (
        f"{what}: {len(found)} drawn clusters, wanted {len(want)} (sites {[s.seq for s in expected][:20]})")
    unmatched = list(found)
    for s, (col, row) in zip(expected, want):
        best = min(unmatched, key=lambda c: math.dist(c[:2], (col, row)))
        assert math.dist(best[:2], (col, row)) <= 1.0, (
            f"{what}: site {s.seq} at ({col:.1f}, {row:.1f}) has no marker; nearest cluster at "
            f"({best[0]:.1f}, {best[1]:.1f})")
        assert best[2] >= 25, f"{what}: the marker of site {s.seq} has only {best[2]} pixels"
        unmatched.remove(best)


def plain_ids(r: requests.Response) -> dict[str, list[int]]:
    """layer -> feature ids of a text/plain GetFeatureInfo answer, in order."""
    assert r.status_code == 200, f"GET {r.url}: {r.status_code} {r.text[:500]}"
    assert r.headers["Content-Type"].startswith("text/plain"), r.headers
    out: dict[str, list[int]] = {}
    layer = None
    for line in r.text.split("\n"):
        if m := re.match(r"^Layer '(.*)'$", line):
            layer = m.group(1)
            out.setdefault(layer, [])
        elif m := re.match(r"^  Feature (\d+):$", line):
            out[layer].append(int(m.group(1)))
    return out


def feature_info(main: Served, layers: str, bbox: tuple[float, float, float, float], cql: str | None,
                 info_format: str = "application/json", query_layers: str | None = None,
                 version: str = "1.3.0", **extra) -> requests.Response:
    """GetFeatureInfo on a one-pixel map of `bbox` (lon/lat): the pixel is the whole box, so
    the answer is every feature in it (BUFFER=0), up to FEATURE_COUNT=1000 per layer."""
    params = {"LAYERS": layers, "QUERY_LAYERS": query_layers or layers, "STYLES": "",
              "BBOX": ",".join(repr(v) for v in bbox), "WIDTH": 1, "HEIGHT": 1, "FORMAT": "image/png",
              "INFO_FORMAT": info_format, "FEATURE_COUNT": 1000, "BUFFER": 0, **extra}
    if version == "1.3.0":
        params.update(CRS="CRS:84", I=0, J=0)
    else:
        params.update(SRS="EPSG:4326", X=0, Y=0)
    if cql is not None:
        params["CQL_FILTER"] = cql
    return wms_get(main.s, main.url, "GetFeatureInfo", version, **params)


def json_ids(r: requests.Response) -> list[int]:
    assert r.status_code == 200, f"GET {r.url}: {r.status_code} {r.text[:500]}"
    assert r.headers["Content-Type"].startswith("application/json"), r.headers
    doc = r.json()
    assert doc["type"] == "FeatureCollection"
    return [f["id"] for f in doc["features"]]


def sql_fids(store: Path, collection: str, where: str, box: tuple[float, float, float, float]) -> list[int]:
    """fids of the rows of `collection` matching `where` whose point lies in the box (R-tree
    bounds of a point are the point), read with sqlite3 (LIKE case-sensitive, as CQL2's)."""
    minx, miny, maxx, maxy = box
    with ro(store) as db:
        db.execute("PRAGMA case_sensitive_like = ON")
        return [r[0] for r in db.execute(
            f'SELECT fid FROM "{collection}" WHERE ({where}) AND fid IN (SELECT id FROM "rtree_{collection}_geom" '
            "WHERE minx >= ? AND maxx <= ? AND miny >= ? AND maxy <= ?) ORDER BY fid", (minx, maxx, miny, maxy))]


SITES_BOX = (99.5, -0.5, 112.5, 9.5)
MINES_BOX = (76.0, -7.0, 145.0, 53.0)  # every coal mine (the source extent is 76.6..144.5, -6.6..52.9)


# --------------------------------------------------------------------------- fixtures' own checks


def test_sites_are_stored_in_source_order(main):
    """The oracles below take fid = seq + 1 and the source's values; check that on the store."""
    got = rows(main.store, "SELECT fid, seq, kind, rank, cat64, cat65, label FROM sites ORDER BY fid")
    assert got == [(s.seq + 1, s.seq, s.kind, s.rank, s.cat64, s.cat65, s.label) for s in SITES]


# --------------------------------------------------------------------------- CQL_FILTER: GetMap


SITE_FILTERS: list[tuple[str, Callable[[Site], bool]]] = [
    ("rank < 3", lambda s: s.rank < 3),
    ("kind = 'O''Brien; Sons'", lambda s: s.kind == OBRIEN),
    ("kind IN ('mine', 'caf\u00e9') AND rank >= 5", lambda s: s.kind in ("mine", "caf\u00e9") and s.rank >= 5),
    ("kind IS NULL", lambda s: s.kind is None),
    ("label = 'site 064'", lambda s: s.seq == 64),
    ("S_INTERSECTS(geom, BBOX(102.5, 2.5, 105.5, 5.5))", lambda s: 102.5 <= s.lon <= 105.5 and 2.5 <= s.lat <= 5.5),
    ("NOT (grade = 1) AND cat64 LIKE 'c1%'", lambda s: s.grade != 1 and s.cat64 is not None and s.cat64.startswith("c1")),
]


@pytest.mark.parametrize("cql,predicate", SITE_FILTERS, ids=[c for c, _ in SITE_FILTERS])
def test_getmap_draws_only_the_sites_the_filter_selects(main, cql, predicate):
    """One marker per selected site, at its pixel, and nothing else; each marker exactly
    as the unfiltered map draws it there."""
    expected = [s for s in SITES if predicate(s)]
    assert 0 < len(expected) < SITE_COUNT, "a filter that tells nothing"
    filtered = sites_map(main, cql)
    assert_markers_at(filtered, expected, cql)
    everything = sites_map(main, None)
    assert_markers_at(everything, SITES, "no filter")
    keep = near_any(filtered.rgba.shape[:2], [SITES_FRAME.pixel(s.lon, s.lat) for s in expected], MARKER_REACH)
    want = np.where(keep[..., None], everything.rgba, 0)
    diff = np.argwhere(np.abs(filtered.rgba.astype(int) - want.astype(int)).max(axis=2) > 0)
    assert len(diff) == 0, (f"{cql}: {len(diff)} pixels differ from the unfiltered map cut to the selected "
                            f"sites, e.g. (row, col) {diff[:4].tolist()}")


@pytest.mark.parametrize("cql", ["rank = 99", "kind = 'nothing like it'", "S_INTERSECTS(geom, BBOX(0, 0, 1, 1))",
                                 "label LIKE 'Site%'"])
def test_getmap_filter_selecting_nothing_is_transparent(main, cql):
    assert not rows(main.store, "SELECT 1 FROM sites WHERE rank = 99 OR kind = 'nothing like it' "
                                "OR label GLOB 'Site*'"), "the oracle expects no match"
    img = sites_map(main, cql)
    assert int(img.rgba[..., 3].max()) == 0, f"{cql}: {int((img.rgba[..., 3] > 0).sum())} pixels drawn"


@pytest.mark.parametrize("cql", ["INCLUDE", "include", "", "  ", " INCLUDE "])
def test_getmap_include_or_empty_draws_everything(main, cql):
    img = sites_map(main, cql)
    assert_markers_at(img, SITES, repr(cql))
    assert np.array_equal(img.rgba, sites_map(main, None).rgba)


def test_getmap_cql_filter_name_is_case_insensitive(main):
    r = get_map(main.s, main.url, layers="sites", bbox=SITES_FRAME.bbox, width=SITES_FRAME.width,
                height=SITES_FRAME.height, cql_filter="label = 'site 064'", TRANSPARENT="TRUE")
    assert_markers_at(wms_ok_image(r), [SITES[64]], "cql_filter")


def test_getmap_wms_111_applies_the_filter(main):
    img = sites_map(main, "rank = 0", version="1.1.1")
    assert_markers_at(img, [s for s in SITES if s.rank == 0], "1.1.1")


def test_getmap_filter_literals_are_crs84_whatever_the_map_crs(main):
    """A Web Mercator map: the BBOX literal of the filter is lon/lat (CQL2), so the nine
    sites inside it are drawn, at the pixels osr projects them to."""
    (minx, miny), (maxx, maxy) = project("EPSG:3857", 99.5, -0.5), project("EPSG:3857", 112.5, 9.5)
    frame = Frame((minx, miny, maxx, maxy), 260, round(260 * (maxy - miny) / (maxx - minx)))
    r = get_map(main.s, main.url, layers="sites", bbox=frame.bbox, crs="EPSG:3857", width=frame.width,
                height=frame.height, TRANSPARENT="TRUE",
                CQL_FILTER="S_INTERSECTS(geom, BBOX(102.5, 2.5, 105.5, 5.5))")
    expected = [s for s in SITES if 102.5 <= s.lon <= 105.5 and 2.5 <= s.lat <= 5.5]
    assert len(expected) == 9
    assert_markers_at(wms_ok_image(r), expected, "EPSG:3857", frame,
                      [frame.pixel(*project("EPSG:3857", s.lon, s.lat)) for s in expected])


def test_getmap_each_filter_goes_to_its_position_in_layers(main):
    """LAYERS=sites,sites with rank = 0 and rank = 1: the rank-0 sites in the first layer's
    colour, the rank-1 sites in the second's, nothing else."""
    img = sites_map(main, "rank = 0;rank = 1", layers="sites,sites")
    assert_markers_at(img, [s for s in SITES if s.rank in (0, 1)], "sites,sites")
    for s in SITES:
        if s.rank in (0, 1):
            col, row = (int(v) for v in SITES_FRAME.pixel(s.lon, s.lat))
            pixel = img.at(col, row)
            want = rgb(PALETTE[s.rank])
            assert max(abs(a - b) for a, b in zip(pixel[:3], want)) <= 10 and pixel[3] >= 250, (
                f"site {s.seq} (rank {s.rank}): {pixel}, wanted {PALETTE[s.rank]}")


def test_getmap_with_one_filter_per_layer_equals_the_map_of_the_matching_features_alone(main, reference):
    """LAYERS=countries,coal_mines with iso3 = 'THA' and iso3 = 'IDN' draws what the
    reference store's Thai polygon and IDN mines draw without any filter (the default style
    depends on the position in LAYERS only), and differs from the unfiltered map."""
    bbox, width, height = (95.0, -11.0, 125.0, 21.0), 450, 480
    box_mines = sql_fids(main.store, "coal_mines", "iso3 <> 'IDN'", bbox)
    assert box_mines, "the oracle needs mines of other countries in the box"
    filtered = wms_ok_image(get_map(main.s, main.url, layers="countries,coal_mines", bbox=bbox, width=width,
                                    height=height, CQL_FILTER="iso3 = 'THA';iso3 = 'IDN'"))
    alone = wms_ok_image(get_map(reference.s, reference.url, layers="tha_country,idn_mines", bbox=bbox,
                                 width=width, height=height))
    unfiltered = wms_ok_image(get_map(main.s, main.url, layers="countries,coal_mines", bbox=bbox, width=width,
                                      height=height))
    differ = np.abs(filtered.rgba.astype(int) - alone.rgba.astype(int)).max(axis=2)
    assert int((differ > 2).sum()) == 0, (
        f"{int((differ > 2).sum())} pixels differ from the map of the matching features alone, e.g. "
        f"(row, col) {np.argwhere(differ > 2)[:4].tolist()}")
    assert int((np.abs(unfiltered.rgba.astype(int) - filtered.rgba.astype(int)).max(axis=2) > 2).sum()) > 500


def test_getmap_include_for_one_layer_filters_only_the_other(main, reference):
    bbox, width, height = (95.0, -11.0, 125.0, 21.0), 450, 480
    filtered = wms_ok_image(get_map(main.s, main.url, layers="countries,coal_mines", bbox=bbox, width=width,
                                    height=height, CQL_FILTER="INCLUDE;iso3='IDN'"))
    alone = wms_ok_image(get_map(reference.s, reference.url, layers="countries,idn_mines", bbox=bbox,
                                 width=width, height=height))
    differ = np.abs(filtered.rgba.astype(int) - alone.rgba.astype(int)).max(axis=2)
    assert int((differ > 2).sum()) == 0, f"{int((differ > 2).sum())} pixels differ"


SLD_NS = ('xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc" '
          'xmlns:xlink="http://www.w3.org/1999/xlink"')
RED, BLUE = (255, 0, 0), (0, 0, 255)


def square(fill: str) -> str:
    return (f"<PointSymbolizer><Graphic><Mark><WellKnownName>square</WellKnownName><Fill>"
            f'<CssParameter name="fill">{fill}</CssParameter></Fill></Mark><Size>10</Size></Graphic>'
            "</PointSymbolizer>")


SITES_SLD = (f'<StyledLayerDescriptor version="1.0.0" {SLD_NS}><NamedLayer><Name>sites</Name><UserStyle>'
             "<Name>by-kind</Name><FeatureTypeStyle>"
             "<Rule><ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>kind</ogc:PropertyName>"
             f"<ogc:Literal>mine</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>{square('#ff0000')}</Rule>"
             f"<Rule><ElseFilter/>{square('#0000ff')}</Rule>"
             "</FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>")


def test_getmap_filter_combines_with_the_style_rules_own_filters(main):
    """SLD: kind = 'mine' red, every other site (ElseFilter, nulls included) blue; with
    CQL_FILTER rank < 4 only those sites are drawn, each in its rule's colour."""
    img = sites_map(main, "rank < 4", SLD_BODY=SITES_SLD)
    selected = [s for s in SITES if s.rank < 4]
    for s in SITES:
        col, row = (int(v) for v in SITES_FRAME.pixel(s.lon, s.lat))
        pixel = img.at(col, row)
        if s.rank >= 4:
            assert pixel[3] == 0, f"site {s.seq} (rank {s.rank}) drawn: {pixel}"
            continue
        want = RED if s.kind == "mine" else BLUE
        assert pixel[3] == 255 and max(abs(a - b) for a, b in zip(pixel[:3], want)) <= 8, (
            f"site {s.seq} (kind {s.kind!r}): {pixel}, wanted {want}")
    found = clusters(img.rgba[..., 3] > 0)
    assert len(found) == len(selected)


# --------------------------------------------------------------------------- CQL_FILTER: GetFeatureInfo


SITE_SQL = [
    ("kind = 'O''Brien; Sons'", "kind = 'O''Brien; Sons'"),
    ("rank < 5 AND kind <> 'mine'", "rank < 5 AND kind <> 'mine'"),
    ("kind IS NULL OR cat64 IS NULL", "kind IS NULL OR cat64 IS NULL"),
    ("cat65 IN ('d01', 'd64') OR label LIKE 'site 12%'", "cat65 IN ('d01', 'd64') OR label GLOB 'site 12*'"),
    ("CASEI(kind) = CASEI('PORT')", "lower(kind) = 'port'"),
    ("S_INTERSECTS(geom, BBOX(102.5, 2.5, 105.5, 5.5)) AND grade = 2",
     "grade = 2 AND fid IN (SELECT id FROM rtree_sites_geom WHERE minx >= 102.5 AND maxx <= 105.5 "
     "AND miny >= 2.5 AND maxy <= 5.5)"),
]


@pytest.mark.parametrize("cql,sql", SITE_SQL, ids=[c for c, _ in SITE_SQL])
def test_feature_info_returns_the_sites_sqlite_selects(main, cql, sql):
    want = sql_fids(main.store, "sites", sql, SITES_BOX)
    assert 0 < len(want) < SITE_COUNT
    assert json_ids(feature_info(main, "sites", SITES_BOX, cql)) == want
    assert len(json_ids(feature_info(main, "sites", SITES_BOX, None))) == SITE_COUNT


MINE_SQL = [
    ("iso3 = 'IDN' AND capacity_mtpa >= 2", "iso3 = 'IDN' AND capacity_mtpa >= 2"),
    ("status IN ('Proposed', 'Shelved') AND iso3 <> 'CHN'", "status IN ('Proposed', 'Shelved') AND iso3 <> 'CHN'"),
    ("NOT (iso3 = 'CHN')", "NOT (iso3 = 'CHN')"),
    ("mine_name LIKE '%Batu%'", "mine_name GLOB '*Batu*'"),
    ("capacity_mtpa IS NULL AND iso3 = 'VNM'", "capacity_mtpa IS NULL AND iso3 = 'VNM'"),
    ("capacity_mtpa BETWEEN 10 AND 20 AND status = 'Operating'",
     "capacity_mtpa BETWEEN 10 AND 20 AND status = 'Operating'"),
]


@pytest.mark.parametrize("cql,sql", MINE_SQL, ids=[c for c, _ in MINE_SQL])
def test_feature_info_returns_the_coal_mines_sqlite_selects(main, cql, sql):
    want = sql_fids(main.store, "coal_mines", sql, MINES_BOX)
    assert 0 < len(want) < 1000, f"the oracle selects {len(want)} mines: more than FEATURE_COUNT can show"
    assert json_ids(feature_info(main, "coal_mines", MINES_BOX, cql)) == want


@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_feature_info_filters_each_query_layer_with_its_own_filter(main, version):
    """LAYERS=countries,sites,coal_mines, queried in another order: each layer's entry of
    CQL_FILTER applies to that layer, wherever QUERY_LAYERS puts it (text/plain)."""
    box = (95.0, -11.0, 125.0, 21.0)
    r = feature_info(main, "countries,sites,coal_mines", box, "iso3 IN ('THA', 'LAO');INCLUDE;iso3 = 'KHM'",
                     info_format="text/plain", query_layers="coal_mines,countries", version=version)
    got = plain_ids(r)
    assert got == {"coal_mines": sql_fids(main.store, "coal_mines", "iso3 = 'KHM'", box),
                   "countries": [r[0] for r in rows(main.store, "SELECT fid FROM countries WHERE iso3 IN "
                                                                "('THA', 'LAO') ORDER BY fid")]}, r.text[:500]
    assert len(got["coal_mines"]) == 2 and len(got["countries"]) == 2


def test_feature_info_filter_selecting_nothing_says_so(main):
    r = feature_info(main, "sites", SITES_BOX, "rank > 100", info_format="text/plain")
    assert r.status_code == 200 and r.text == "No feature here.\n", r.text[:300]
    assert json_ids(feature_info(main, "sites", SITES_BOX, "rank > 100")) == []


def test_feature_info_with_a_raster_in_layers_filters_the_vector_layer(main):
    r = feature_info(main, "geoid,sites", SITES_BOX, "INCLUDE;label = 'site 012'", query_layers="sites")
    assert json_ids(r) == [13]


# --------------------------------------------------------------------------- CQL_FILTER: errors


def cql_error(r: requests.Response, version: str = "1.3.0", locator: str | None = "CQL_FILTER"):
    exc = service_exceptions(r, version)[0]
    assert exc.code == "InvalidParameterValue", (exc, r.text[:400])
    if version == "1.3.0" and locator is not None:
        assert exc.locator == locator, (exc, r.text[:400])
    return exc


BAD_FILTERS = [
    ("sites", "rank ="),
    ("sites", "rank = 'unterminated"),
    ("sites", "kind = 'O'Brien; Sons'"),  # the unescaped quote leaves '; Sons' open
    ("sites", "S_INTERSECTS(geom, POINT(200 100))"),  # outside CRS84
    ("sites", "rank = 1;rank = 2"),  # two filters, one layer
    ("sites", ";"),
    ("sites", "rank = 1;"),
    ("sites,coal_mines", "rank = 1"),  # one filter, two layers
    ("sites,coal_mines", ""),
    ("sites,coal_mines", "INCLUDE;INCLUDE;INCLUDE"),
    ("geoid", "value > 1"),  # a raster has no features
    ("sites,geoid", "INCLUDE;value > 1"),
]


@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
@pytest.mark.parametrize("layers,cql", BAD_FILTERS, ids=[f"{l}:{c}" for l, c in BAD_FILTERS])
def test_bad_cql_filter_is_invalid_parameter_value(main, layers, cql, version):
    r = get_map(main.s, main.url, layers=layers, bbox=SITES_BOX,
                crs="CRS:84" if version == "1.3.0" else "EPSG:4326", version=version, width=100, height=100,
                CQL_FILTER=cql)
    cql_error(r, version)
    r = feature_info(main, layers, SITES_BOX, cql, query_layers=layers.split(",")[0], version=version)
    cql_error(r, version)


def test_count_mismatch_names_both_counts(main):
    exc = cql_error(get_map(main.s, main.url, layers="sites,coal_mines,countries", bbox=SITES_FRAME.bbox,
                            CQL_FILTER="rank = 1;INCLUDE"))
    assert "2" in exc.text and "3" in exc.text, exc.text


def test_unknown_property_is_an_invalid_parameter_value_naming_it(main):
    for r in (get_map(main.s, main.url, layers="sites", bbox=SITES_FRAME.bbox, CQL_FILTER="no_such_field = 1"),
              feature_info(main, "coal_mines,sites", SITES_BOX, "INCLUDE;no_such_field = 1")):
        exc = cql_error(r, locator=None)
        assert "no_such_field" in exc.text, exc.text


def test_unknown_property_error_is_located_at_cql_filter(main):
    for r in (get_map(main.s, main.url, layers="sites", bbox=SITES_FRAME.bbox, CQL_FILTER="no_such_field = 1"),
              feature_info(main, "coal_mines,sites", SITES_BOX, "INCLUDE;no_such_field = 1")):
        cql_error(r, locator="CQL_FILTER")


# Each within the server's limit on the request line (longer ones never reach WMS).
# (CQL_FILTER, the same predicate in SQL, or None: not a filter, so it must be refused)
HOSTILE = [("(" * 500 + "rank = 1" + ")" * 500, "rank = 1"),
           ("rank IN (" + ",".join(str(i) for i in range(1200)) + ")",
            "rank IN (" + ",".join(str(i) for i in range(1200)) + ")"),
           (";" * 5000, None),
           ("kind = '" + "x" * 5000 + "'", "kind = '" + "x" * 5000 + "'"),
           ("rank = 1\x00", "rank = 1"),
           ("'" * 999, None),
           ("kind = '\u202e' OR 1=1 --", None)]  # "--" is no CQL2


@pytest.mark.parametrize("cql,sql", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_filters_never_a_server_error(main, cql, sql):
    """A 400 (414 for a URL too long), or a map with one marker at each site sqlite3 selects
    with the same predicate, and nothing else."""
    r = get_map(main.s, main.url, layers="sites", bbox=SITES_FRAME.bbox, width=SITES_FRAME.width,
                height=SITES_FRAME.height, TRANSPARENT="TRUE", CQL_FILTER=cql)
    assert r.status_code in (200, 400, 414), (r.status_code, r.text[:300])
    if r.status_code == 400:
        service_exceptions(r)
    if r.status_code == 200:
        assert sql is not None, f"{cql[:60]!r} is not a filter, yet a map was drawn"
        fids = set(sql_fids(main.store, "sites", sql, SITES_BOX))
        assert_markers_at(wms_ok_image(r), [site for site in SITES if site.seq + 1 in fids], repr(cql[:60]))
    assert main.s.get(main.url + "/", timeout=10).status_code == 200


# --------------------------------------------------------------------------- queryables: enum


def text_fields(path: Path, layer: str | None = None) -> set[str]:
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_READONLY)
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    d = lyr.GetLayerDefn()
    return {d.GetFieldDefn(i).GetName() for i in range(d.GetFieldCount())
            if d.GetFieldDefn(i).GetType() == ogr.OFTString}


def distinct_values(store: Path, collection: str, column: str) -> list[str]:
    return [r[0] for r in rows(store, f'SELECT DISTINCT "{column}" FROM "{collection}" WHERE "{column}" IS NOT NULL')]


def expected_enums(store: Path, collection: str, source_text_fields: set[str]) -> dict[str, list[str]]:
    """property -> its values (sorted by code point, which is SQLite's BINARY order of
    UTF-8) for text properties with 1..64 distinct non-null values."""
    out = {}
    for name in source_text_fields:
        values = distinct_values(store, collection, name)
        assert all(isinstance(v, str) for v in values), (name, values[:5])
        if 0 < len(values) <= MAX_ENUM:
            out[name] = sorted(values)
    return out


def queryables(srv: Served, collection: str) -> dict:
    r = srv.s.get(f"{srv.url}/collections/{collection}/queryables", timeout=60)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Type"].startswith("application/schema+json"), r.headers
    doc = r.json()
    Draft202012Validator.check_schema(doc)
    return doc


def enums(doc: dict) -> dict[str, list]:
    return {name: p["enum"] for name, p in doc["properties"].items() if "enum" in p}


def assert_features_valid(srv: Served, collection: str, doc: dict) -> int:
    """Every served feature's non-null properties validate against the queryables (with
    their enums); returns how many features were checked."""
    features, _ = fetch_all_items(srv.s, srv.url, collection)
    schema = dict(doc, properties={k: v for k, v in doc["properties"].items() if k != "geometry"})
    validator = Draft202012Validator(schema)
    for f in features:
        instance = {k: v for k, v in f["properties"].items() if v is not None}
        errors = list(validator.iter_errors(instance))
        assert not errors, f"{collection} feature {f['id']}: {errors[0].message}"
    return len(features)


QUERYABLE_SOURCES = {"coal_mines": (DEMO_SOURCES["coal_mines"].path, None),
                     "countries": (DEMO_SOURCES["countries"].path, None)}


@pytest.mark.parametrize("collection", ["coal_mines", "countries", "sites"])
def test_queryables_enum_is_the_sorted_distinct_values_of_category_properties(main, sites_gpkg, collection):
    path, layer = QUERYABLE_SOURCES.get(collection, (sites_gpkg, None))
    texts = text_fields(path, layer)
    assert texts, "the source has no text field"
    doc = queryables(main, collection)
    want = expected_enums(main.store, collection, texts)
    assert want, f"{collection}: the oracle found no category property"
    assert enums(doc) == want
    for name, values in want.items():
        assert doc["properties"][name]["type"] == "string", (name, doc["properties"][name])
    assert assert_features_valid(main, collection, doc) == rows(main.store, f'SELECT count(*) FROM "{collection}"')[0][0]


def test_queryables_enum_stops_above_64_values(main):
    """cat64 (64 values and nulls) has its enum, cat65 and label (65, 130) none, and
    neither does allnull (no value) nor the integers rank and grade (10 and 3 values)."""
    assert len(distinct_values(main.store, "sites", "cat64")) == 64
    assert len(distinct_values(main.store, "sites", "cat65")) == 65
    props = queryables(main, "sites")["properties"]
    assert props["cat64"]["enum"] == [f"c{i:02d}" for i in range(64)]
    for name in ("cat65", "label", "allnull", "rank", "grade", "seq"):
        assert name in props and "enum" not in props[name], (name, props.get(name))
    assert props["kind"]["enum"] == sorted({s.kind for s in SITES if s.kind is not None})
    # Code point order: capitals, then small letters, then accented letters.
    assert props["kind"]["enum"] == ["O'Brien; Sons", "Port", "Zeta", "alpha", "caf\u00e9", "mine", "plant",
                                     "\u00dcnited"]


# --------------------------------------------------------------------------- queryables after an approved edit


@pytest.fixture(scope="module")
def editing(tmp_path_factory, amis_bin, sites_gpkg):
    work = tmp_path_factory.mktemp("portal_editing")
    store = work / "store.gpkg"
    amis_import(store, sites_gpkg, "sites")
    tokens = {}
    for name in (REVIEWER, REVIEWER2):
        r = amis("user", "add", name, "--role", "reviewer", "--store", store, stdin=PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
        r = amis("token", "create", name, "--store", store)
        assert r.returncode == 0, r.stderr
        tokens[name] = r.stdout.strip()
    srv = AmisServer(store, work, name="portal-editing")
    srv.start()
    with http_session() as s:
        yield Served(srv, s, store, work), tokens
    stop_checked(srv)


def call(srv: Served, token: str, method: str, path: str, body=None, content_type="application/json",
         params=None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = content_type
    return srv.s.request(method, srv.url + path, data=None if body is None else json.dumps(body),
                         headers=headers, params=params, timeout=60)


def test_queryables_enum_follows_an_approved_change_set(editing, sites_gpkg):
    """A change set that adds a kind ('quarry'), removes the only 'Ünited', gives cat64 a
    65th value and takes cat65 down to 64: nothing changes while it waits for review (the
    enum of the cached document stays right), everything after approval."""
    srv, tokens = editing
    texts = text_fields(sites_gpkg)
    before = queryables(srv, "sites")  # read (and cached) before anything changes
    assert enums(before) == expected_enums(srv.store, "sites", texts)
    assert "quarry" not in before["properties"]["kind"]["enum"] and UNIQUE_KIND in before["properties"]["kind"]["enum"]
    assert "cat65" not in enums(before) and "cat64" in enums(before)

    r = call(srv, tokens[REVIEWER], "POST", "/changesets", {"collection": "sites", "title": "enum"})
    assert r.status_code == 201, r.text
    cs = r.json()["id"]
    patches = {1: {"kind": "quarry", "cat64": "c64"},  # site 0: c00 stays at site 64
               8: {"kind": "mine"},                     # site 7: the only Ünited
               65: {"cat65": "d00"}, 130: {"cat65": "d00"}}  # sites 64 and 129: every d64
    for fid, props in patches.items():
        r = call(srv, tokens[REVIEWER], "PATCH", f"/collections/sites/items/{fid}", {"properties": props},
                 "application/merge-patch+json", params={"changeset": cs})
        assert r.status_code == 202, r.text
    assert call(srv, tokens[REVIEWER], "POST", f"/changesets/{cs}/submit").status_code == 200

    pending = queryables(srv, "sites")
    assert enums(pending) == enums(before), "a change set under review changed the enums"

    r = call(srv, tokens[REVIEWER2], "POST", f"/changesets/{cs}/approve")
    assert r.status_code == 200, r.text
    assert rows(srv.store, "SELECT kind, cat64 FROM sites WHERE fid = 1") == [("quarry", "c64")]

    after = queryables(srv, "sites")
    want = expected_enums(srv.store, "sites", texts)
    assert enums(after) == want
    assert "quarry" in after["properties"]["kind"]["enum"] and UNIQUE_KIND not in after["properties"]["kind"]["enum"]
    assert "enum" not in after["properties"]["cat64"], "cat64 has 65 values now"
    assert after["properties"]["cat65"]["enum"] == [f"d{i:02d}" for i in range(64)]
    assert assert_features_valid(srv, "sites", after) == SITE_COUNT


# --------------------------------------------------------------------------- the portal


@pytest.mark.parametrize("path,media_type,cache", SERVED, ids=[p or "/" for p, _, _ in SERVED])
def test_portal_files_are_served_with_their_type_and_caching(main, path, media_type, cache):
    r = main.s.get(f"{main.url}/portal/{path}", timeout=30, allow_redirects=False)
    assert r.status_code == 200, (path, r.status_code, r.text[:200])
    assert r.content == PORTAL_FILES[path or "index.html"]
    assert r.headers["Content-Type"] == media_type
    assert r.headers["Cache-Control"] == cache


def test_portal_without_slash_redirects_relatively(main):
    r = main.s.get(f"{main.url}/portal", timeout=30, allow_redirects=False)
    assert r.status_code == 301, r.text
    assert r.headers["Location"] == "portal/"
    followed = main.s.get(f"{main.url}/portal", timeout=30)
    assert followed.url == f"{main.url}/portal/" and followed.content == INDEX_HTML
    assert [h.status_code for h in followed.history] == [301]


def test_portal_head_answers_like_get_without_a_body(main):
    r = main.s.head(f"{main.url}/portal/assets/index-5f3a9c1e.js", timeout=30)
    assert r.status_code == 200 and r.content == b""
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_portal_page_is_read_again_after_a_rebuild(main):
    """no-cache means nothing if the server kept the first copy: a rebuilt index.html is
    what the next request gets."""
    index = main.work / "portal" / "index.html"
    rebuilt = INDEX_HTML.replace(b"5f3a9c1e", b"77aa00ff")
    try:
        index.write_bytes(rebuilt)
        assert main.s.get(f"{main.url}/portal/", timeout=30).content == rebuilt
    finally:
        index.write_bytes(INDEX_HTML)
    assert main.s.get(f"{main.url}/portal/", timeout=30).content == INDEX_HTML


UNSAFE = [".env", "assets/.secret.js", "%2eenv", "assets/%2esecret.js", "..%2foutside.js", "%2e%2e%2foutside.js",
          "assets/..%2f..%2foutside.js", "assets/%2e%2e", "%2e%2e", "assets/..%2f.env", "..%5coutside.js",
          "assets/index-5f3a9c1e.js%00.html", "missing.js", "assets/missing.js", "a/b/c.js",
          "assets/sub/index-5f3a9c1e.js", "assets", "assets/"]


@pytest.mark.parametrize("path", UNSAFE)
def test_portal_never_serves_hidden_or_outside_files(main, path):
    r = main.s.get(f"{main.url}/portal/{path}", timeout=30, allow_redirects=False)
    assert r.status_code == 404, (path, r.status_code, r.text[:200])
    assert SECRET not in r.content
    error(r, 404, "NotFound")


def test_portal_folder_named_like_a_file_is_not_found(main):
    assert (main.work / "portal" / "chunks.js").is_dir()
    r = main.s.get(f"{main.url}/portal/chunks.js", timeout=30)
    assert r.status_code == 404, (r.status_code, r.headers.get("Content-Type"), r.content[:100])


def test_unbuilt_portal_is_a_404_saying_how_to_build_it(unbuilt):
    r = unbuilt.s.get(f"{unbuilt.url}/portal/", timeout=30)
    doc = error(r, 404, "NotFound")
    assert "scripts/build-web.sh" in doc["description"], doc
    r = unbuilt.s.get(f"{unbuilt.url}/portal", timeout=30, allow_redirects=False)
    assert r.status_code == 301 and r.headers["Location"] == "portal/"
    error(unbuilt.s.get(f"{unbuilt.url}/portal/index.html", timeout=30), 404, "NotFound")
    # The rest of the server is unaffected.
    assert unbuilt.s.get(f"{unbuilt.url}/collections/sites", timeout=30).status_code == 200


def test_portal_dir_that_does_not_exist_is_a_404_too(tmp_path, amis_bin, sites_gpkg):
    store = tmp_path / "store.gpkg"
    amis_import(store, sites_gpkg, "sites")
    srv = AmisServer(store, tmp_path, name="portal-nowhere",
                     config=write_config(tmp_path / "amis.toml", tmp_path / "no" / "such" / "dir"))
    srv.start()
    try:
        with http_session() as s:
            doc = error(s.get(f"{srv.url}/portal/", timeout=30), 404, "NotFound")
            assert "scripts/build-web.sh" in doc["description"], doc
            error(s.get(f"{srv.url}/portal/assets/index-5f3a9c1e.js", timeout=30), 404, "NotFound")
    finally:
        stop_checked(srv)


def test_html_pages_link_to_the_portal(main):
    r = main.s.get(f"{main.url}/", params={"f": "html"}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    page = lxml.html.document_fromstring(r.content)
    hrefs = [a.get("href") for a in page.iter("a")]
    assert f"{main.url}/portal/" in hrefs, hrefs
    target = main.s.get(f"{main.url}/portal/", timeout=30)
    assert target.status_code == 200 and target.content == INDEX_HTML
    r = main.s.get(f"{main.url}/collections", params={"f": "html"}, timeout=30)
    nav = lxml.html.document_fromstring(r.content).find(".//nav")
    assert nav is not None and f"{main.url}/portal/" in [a.get("href") for a in nav.iter("a")]
