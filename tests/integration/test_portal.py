"""The web portal in a real browser: Debian's Chromium driven by playwright-core
(web/e2e/portal.mjs) against `amis serve` on a copy of the demo store. Each scenario
answers what it saw as JSON; the answers are checked here against the store itself
(sqlite3, OGR) and the downloaded files are opened with GDAL. Screenshots are kept in
tests/integration/artefacts/portal/ (CI keeps that folder). The store is the demo as
scripts/load-demo.sh loads it.

Needs the portal built (scripts/build-web.sh), Node.js and /usr/bin/chromium."""
from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from osgeo import ogr, osr

import store_support as ss
import wms_support as wm
from urllib.parse import parse_qs, urlparse

import requests

from support import (AMIS_BIN, AmisServer, REPO_ROOT, amis_cwd, get_json, store_arg, store_datasource,
                     store_feature_tables)

WEB = REPO_ROOT / "web"
ARTEFACTS = Path(__file__).parent / "artefacts" / "portal"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
PASSWORD = "portal test password 1"
EDITOR, REVIEWER, ADMIN = "editor-vnm", "reviewer-portal", "admin-portal"
COUNTRY = "VNM"



def missing_for_the_portal() -> list[str]:
    """What the browser scenarios need and this machine lacks."""
    missing = []
    if not (WEB / "dist" / "index.html").exists():
        missing.append("web/dist (scripts/build-web.sh)")
    if not (WEB / "node_modules" / "playwright-core").exists():
        missing.append("web/node_modules/playwright-core (scripts/build-web.sh)")
    if not CHROMIUM.exists():
        missing.append(str(CHROMIUM))
    if shutil.which("node") is None:
        missing.append("node")
    return missing


def portal_required() -> bool:
    """In CI (CI set, as CI services do) or under scripts/test.sh (AMIS_REQUIRE_PORTAL=1)
    a portal that cannot be tested is a failure, not a skip."""
    return bool(os.environ.get("CI")) or os.environ.get("AMIS_REQUIRE_PORTAL") == "1"


@pytest.fixture(scope="module", autouse=True)
def portal_can_run():
    missing = missing_for_the_portal()
    if missing and portal_required():
        pytest.fail("the portal's browser tests cannot run, missing: " + ", ".join(missing), pytrace=False)
    if missing:
        pytest.skip("missing: " + ", ".join(missing) + " (set CI or AMIS_REQUIRE_PORTAL=1 to make this a failure)")


class Portal:
    def __init__(self, store: Path, server: AmisServer):
        self.store = store
        self.server = server

    @property
    def url(self) -> str:
        return self.server.url + "/portal/"

    def run(self, scenario: str, **env: str) -> dict:
        """Runs a scenario of portal.mjs; its JSON answer, failing on a browser error."""
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        full = {**os.environ, "AMIS_PASSWORD": PASSWORD, "AMIS_EDITOR": EDITOR, "AMIS_REVIEWER": REVIEWER,
                "AMIS_ADMIN": ADMIN, "AMIS_COUNTRY": COUNTRY, "CHROMIUM": str(CHROMIUM), **env}
        p = subprocess.run(["node", "e2e/portal.mjs", scenario, self.url, str(ARTEFACTS)], cwd=WEB, env=full,
                           capture_output=True, text=True, timeout=180)
        assert p.returncode == 0, p.stderr[-3000:]
        answer = json.loads(p.stdout.strip().splitlines()[-1])
        assert "failure" not in answer, answer["failure"] + f"\n(screenshot {ARTEFACTS}/{scenario}-failure.png)"
        assert answer["errors"] == [], answer["errors"]
        return answer


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """The demo exactly as scripts/run.sh loads it (titles, styles, the geoid raster)."""
    work = tmp_path_factory.mktemp("portal")
    store = work / "store.gpkg"
    load = subprocess.run([str(REPO_ROOT / "scripts" / "load-demo.sh"), store_arg(store)], capture_output=True,
                          text=True, env={**os.environ, "AMIS_BIN": str(AMIS_BIN)}, timeout=600,
                          cwd=amis_cwd("--store", store) or REPO_ROOT)
    assert load.returncode == 0, load.stderr[-3000:]
    for name, role, country in [(EDITOR, "editor", COUNTRY), (REVIEWER, "reviewer", None), (ADMIN, "admin", None)]:
        extra = ["--country", country] if country else []
        r = ss.amis("user", "add", name, "--role", role, *extra, "--store", store, stdin=PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
    config = work / "amis.toml"
    config.write_text('[server]\nlog_level = "info"\n')
    srv = AmisServer(store, work, name="portal", config=config)
    srv.start()
    yield Portal(store, srv)
    alive = srv.alive()
    assert srv.stop() == 0 and alive, srv.stderr()[-3000:]


def national_mines(store: Path, count: int) -> list[tuple[int, str, str]]:
    """Operating coal mines of COUNTRY whose names are unique in the collection."""
    return ss.rows(store, "SELECT fid, mine_name, status FROM coal_mines WHERE iso3 = ? AND status = 'Operating' "
                          "AND mine_name IN (SELECT mine_name FROM coal_mines GROUP BY mine_name HAVING count(*) = 1) "
                          "ORDER BY fid LIMIT ?", COUNTRY, count)


def ogr_count(store: Path, bbox: str, where: str | None) -> int:
    ds = ogr.Open(store_datasource(store))
    layer = ds.GetLayerByName("coal_mines")
    minx, miny, maxx, maxy = map(float, bbox.split(","))
    layer.SetSpatialFilterRect(minx, miny, maxx, maxy)
    layer.SetAttributeFilter(where)
    return layer.GetFeatureCount()


def point_of(store: Path, fid: int) -> tuple[float, float]:
    ds = ogr.Open(store_datasource(store))  # the dataset and the feature own what they give: both kept
    feature = ds.GetLayerByName("coal_mines").GetFeature(fid)
    g = feature.GetGeometryRef()
    return g.GetX(), g.GetY()


def holds_geometry(store: Path, table: str) -> bool:
    ds = ogr.Open(store_datasource(store))
    layer = ds.GetLayerByName(table)
    return layer.GetGeomType() != ogr.wkbNone and any(f.GetGeometryRef() is not None for f in layer)


def test_first_view_lists_the_collections_and_fills_the_table(portal):
    a = portal.run("load", AMIS_CATALOGUE_SEARCH="boundaries", AMIS_CATALOGUE_RECORD="amis:collection:coal_mine_boundaries")
    collections = store_feature_tables(portal.store)
    rasters = {r[0] for r in ss.rows(portal.store, "SELECT id FROM amis_rasters")}
    assert rasters == {"geoid", "igrf_main_field", "country_codes"}
    # Tables without geometry (the production statistics, the work plan's progress reports)
    # are not map layers: OGR finds which tables hold a geometry.
    assert {"mineral_production", "workplan_progress"} <= collections
    drawn = {t for t in collections if t != "countries" and holds_geometry(portal.store, t)}
    assert {"mineral_production", "workplan_progress"}.isdisjoint(drawn)
    assert set(a["layers"]) == drawn | rasters
    assert a["active"] == "coal_mines"
    assert int(a["table"]["matched"]) == ogr_count(portal.store, a["table"]["bbox"], None) > 0
    assert a["rows"] == min(20, int(a["table"]["matched"]))
    assert a["legend"]["width"] > 0 and "GetLegendGraphic" in a["legend"]["src"]
    assert a["unlabelled"] == []
    assert a["keyboardTab"] == "tab-data"
    assert "amis:collection:coal_mine_boundaries" in a["datasets"]
    assert a["activeAfterShow"] == "coal_mine_boundaries"
    print(f"first view ready in {a['readyMs']} ms")


def records_api(portal, **params) -> dict:
    return get_json(requests.Session(), portal.server.url + "/collections/catalog/items", f="json", **params)


def test_catalogue_search_with_facets_record_page_and_map_extent(portal):
    """The Data tab searches the metadata catalogue: the whole catalogue's type facet
    counted here with SQL over the store's records, a free-text search shows what the
    Records API answers for q, a facet narrows it, a record opens as a page with its
    links, and "only in the map view" gives the records whose extent meets the view."""
    a = portal.run("catalogue", AMIS_CATALOGUE_SEARCH="coal", AMIS_CATALOGUE_TYPE="dataset")
    types = dict(ss.rows(portal.store, "SELECT type, count(*) FROM amis_records GROUP BY type"))
    total = sum(types.values())
    assert a["whole"]["count"].endswith(f"of {total:,}")
    assert {b["value"]: b["count"] for b in a["whole"]["facets"]["type"]} == types
    assert a["whole"]["records"] == [r[0] for r in ss.rows(portal.store, "SELECT id FROM amis_records ORDER BY id LIMIT 10")]

    expected = records_api(portal, q="coal", limit=10)
    assert a["searched"]["records"] == [f["id"] for f in expected["features"]]
    assert a["searched"]["count"].endswith(f"of {expected['numberMatched']:,}")
    coal = {r[0] for r in ss.rows(portal.store, "SELECT id FROM amis_records WHERE lower(title) LIKE '%coal%'")}
    assert coal and coal <= {f["id"] for f in records_api(portal, q="coal", limit=1000)["features"]}

    datasets = records_api(portal, q="coal", type="dataset", limit=10)
    assert a["faceted"]["records"] == [f["id"] for f in datasets["features"]]
    assert all(b["value"] == "dataset" for b in a["faceted"]["facets"]["type"] if b["checked"])
    assert a["faceted"]["facets"]["type"] == [{"value": "dataset", "count": datasets["numberMatched"], "checked": True}]

    first = records_api(portal, q="coal", type="dataset", limit=1)["features"][0]
    assert a["page"]["title"] == first["properties"]["title"]
    assert a["page"]["links"] and a["page"]["focused"] == "H3"

    for answer, url in ((a["inView"], a["inViewUrl"]), (a["moved"], a["movedUrl"])):
        box = parse_qs(urlparse(url).query)["bbox"][0]
        minlon, minlat, maxlon, maxlat = map(float, box.split(","))
        inside = ss.rows(portal.store, "SELECT count(*) FROM amis_records WHERE min_x <= ? AND max_x >= ? AND "
                                       "min_y <= ? AND max_y >= ?", maxlon, minlon, maxlat, minlat)[0][0]
        assert answer["count"] == (f"Showing 1–{min(inside, 10)} of {inside:,}" if inside else "No record matches."), box
    assert a["inView"]["count"] != "No record matches."
    assert a["unlabelled"] == []


def mine_pixels_in_view(store: Path, view: str, size: tuple[float, float]) -> list[tuple[float, float]]:
    """(column, row) in the map element of every coal mine of the store (OGR) inside the
    view: the lon/lat view box and the mines projected to Web Mercator with osr, where the
    map is linear."""
    minlon, minlat, maxlon, maxlat = map(float, view.split(","))
    x0, y0 = wm.project("EPSG:3857", minlon, minlat)
    x1, y1 = wm.project("EPSG:3857", maxlon, maxlat)
    ds = ogr.Open(store_datasource(store))
    out = []
    for f in ds.GetLayerByName("coal_mines"):
        g = f.GetGeometryRef()
        x, y = wm.project("EPSG:3857", g.GetX(), g.GetY())
        col, row = (x - x0) / (x1 - x0) * size[0], (y1 - y) / (y1 - y0) * size[1]
        if 0 <= col < size[0] and 0 <= row < size[1]:
            out.append((col, row))
    return out


def test_toggling_a_layer_hides_it_and_brings_it_back(portal):
    """Screenshots of the map before, with coal_mines unticked and ticked again: at the
    pixel of each isolated mine (positions from the store by OGR and osr) the marker is
    there before and after and gone while hidden; 20 px or more from every mine nothing
    changes."""
    a = portal.run("toggle")
    assert a["viewAfter"] == a["view"], "the view moved: the screenshots cannot be compared"
    shots = {k: wm.decode(Path(v).read_bytes()).rgba[..., :3].astype(int) for k, v in a["mapShots"].items()}
    height, width = shots["before"].shape[:2]
    assert (width, height) == tuple(round(v) for v in a["mapSize"])
    mines = mine_pixels_in_view(portal.store, a["view"], (width, height))
    assert len(mines) > 50, len(mines)
    isolated = [(c, r) for c, r in mines if 20 <= c < width - 20 and 20 <= r < height - 20
                and sum(math.hypot(c - c2, r - r2) < 20 for c2, r2 in mines) == 1]
    assert len(isolated) >= 3, f"only {len(isolated)} isolated mines in the view"

    def change(x, y, col, row):  # the largest colour change in the 3 x 3 pixels around a position
        sl = (slice(int(row) - 1, int(row) + 2), slice(int(col) - 1, int(col) + 2))
        return int(np.abs(shots[x][sl] - shots[y][sl]).sum(axis=-1).max())

    for col, row in isolated:
        assert change("before", "hidden", col, row) > 60, f"no marker hidden at ({col:.0f}, {row:.0f})"
        assert change("shown", "hidden", col, row) > 60, f"no marker back at ({col:.0f}, {row:.0f})"
    ys, xs = np.mgrid[0:height, 0:width]
    far = np.ones((height, width), dtype=bool)
    for col, row in mines:  # only the pixels around a mine can be within 20 px of it
        r0, r1 = max(0, int(row) - 21), min(height, int(row) + 22)
        c0, c1 = max(0, int(col) - 21), min(width, int(col) + 22)
        if r0 < r1 and c0 < c1:
            far[r0:r1, c0:c1] &= np.hypot(xs[r0:r1, c0:c1] + 0.5 - col, ys[r0:r1, c0:c1] + 0.5 - row) >= 20
    assert far.sum() > 0.1 * width * height
    for x, y in (("before", "hidden"), ("shown", "hidden")):
        changed = (np.abs(shots[x] - shots[y]).sum(axis=-1) > 0) & far
        assert changed.sum() <= 0.001 * far.sum(), f"{x}/{y}: {int(changed.sum())} pixels changed away from every mine"
    assert re.search(r"/collections/coal_mines/tiles/WebMercatorQuad/\d+/\d+/\d+(\?|$)", a["tileRequest"])


def test_search_and_click_identify_a_mine(portal):
    fid, name, status = national_mines(portal.store, 1)[0]
    gem_id = ss.rows(portal.store, "SELECT gem_mine_id FROM coal_mines WHERE fid = ?", fid)[0][0]
    a = portal.run("identify", AMIS_MINE_NAME=name, AMIS_MINE_FID=str(fid))
    for panel in (a["searchPanel"], a["clickPanel"]):
        assert name in panel and gem_id in panel and status in panel


def web_mercator_points(store: Path, table: str = "coal_mines") -> dict[int, tuple[float, float]]:
    """Every point of `table` in EPSG:3857 metres, by fid (OGR and osr)."""
    to_3857 = osr.CoordinateTransformation(lonlat_srs(), mercator_srs())
    ds = ogr.Open(store_datasource(store))
    points = {}
    for f in ds.GetLayerByName(table):
        g = f.GetGeometryRef()
        if g is not None:
            x, y, _ = to_3857.TransformPoint(g.GetX(), g.GetY())
            points[f.GetFID()] = (x, y)
    return points


def lonlat_srs() -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def mercator_srs() -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(3857)
    return srs


def mines_near(points: dict[int, tuple[float, float]], lonlat: str, resolution: float, pixels: float) -> dict[int, float]:
    """The mines within `pixels` of the crosshair at "lon,lat", with their distances in pixels."""
    to_3857 = osr.CoordinateTransformation(lonlat_srs(), mercator_srs())
    lon, lat = map(float, lonlat.split(","))
    cx, cy, _ = to_3857.TransformPoint(lon, lat)
    near = {fid: math.hypot(x - cx, y - cy) / resolution for fid, (x, y) in points.items()}
    return {fid: d for fid, d in near.items() if d <= pixels}


KEY_STEP = 128  # pixels one arrow key moves the map (OpenLayers' KeyboardPan)


def test_keyboard_identify_with_the_crosshair(portal):
    """Without a mouse: the search (keys) brings the map to an isolated mine, the skip link
    focuses the map, Enter identifies under the crosshair at the map's centre, two arrow
    keys move the map 256 px under it and back. Each time the coal mines identified are
    the store's mines within the 4 px tolerance of the crosshair (OGR, osr), and the live
    region says what was found."""
    points = web_mercator_points(portal.store)
    unique = national_mines(portal.store, 40)
    # A mine with no other within 400 px at zoom 10 (153 m a pixel): nothing else to hit.
    fid, name, status = next(m for m in unique
                             if min(math.hypot(points[m[0]][0] - x, points[m[0]][1] - y)
                                    for other, (x, y) in points.items() if other != m[0]) > 400 * 153)
    gem_id = ss.rows(portal.store, "SELECT gem_mine_id FROM coal_mines WHERE fid = ?", fid)[0][0]
    a = portal.run("keyboard-identify", AMIS_MINE_NAME=name, AMIS_MINE_FID=str(fid),
                   AMIS_KEYS_AWAY="ArrowLeft,ArrowLeft", AMIS_KEYS_BACK="ArrowRight,ArrowRight")
    assert a["mapFocused"] is True
    for step in ("atMine", "away", "back"):
        r = a[step]
        assert r["focus"] == "map", (step, r["focus"])
        near = mines_near(points, r["crosshair"], r["resolution"], 12)
        # Nothing between the tolerance and 12 px, where a marker's size could decide.
        assert all(d <= 4 for d in near.values()), (step, near)
        identified = {int(f["fid"]) for f in r["found"] if f["layer"] == "coal_mines"}
        assert identified == set(near), (step, identified, near)
    assert {int(f["fid"]) for f in a["atMine"]["found"] if f["layer"] == "coal_mines"} == {fid}
    for r in (a["atMine"], a["back"]):
        assert name in r["panel"] and gem_id in r["panel"] and status in r["panel"]
        assert "identified" in r["status"] and name in r["status"], r["status"]
    moved = mines_near({fid: points[fid]}, a["away"]["crosshair"], a["away"]["resolution"], 1e9)[fid]
    assert abs(moved - 2 * KEY_STEP) < 1, moved  # the arrow keys moved the crosshair
    assert a["away"]["status"] == "Nothing identified here" or not [
        f for f in a["away"]["found"] if f["layer"] == "coal_mines"], a["away"]


def test_search_list_is_a_combobox_with_an_active_descendant(portal):
    """The search box is a combobox whose listbox's active option is named by
    aria-activedescendant while the focus stays in the box: the arrow keys, Home and Enter
    as a user presses them, and the picked option identifies its mine (sqlite3)."""
    text = "coal"
    matches = {r[0] for r in ss.rows(portal.store, "SELECT fid FROM coal_mines WHERE lower(mine_name) LIKE ?",
                                      f"%{text}%")}
    assert len(matches) >= 3
    a = portal.run("search-keys", AMIS_SEARCH_TEXT=text)
    states = a["states"]
    options = states[0]["options"]
    assert len(options) == min(8, len(matches)) and {int(o["fid"]) for o in options} <= matches
    assert all(o["role"] == "option" and o["id"] for o in options)
    # The option each key makes active: down, down, up, up (wraps to the last), Home, down.
    expected_active = [None, 0, 1, 0, len(options) - 1, 0, 1]
    assert [s["key"] for s in states] == ["typed", "ArrowDown", "ArrowDown", "ArrowUp", "ArrowUp", "Home", "ArrowDown"]
    for s, active in zip(states, expected_active):
        assert s["focus"] == "search" and s["role"] == "combobox" and s["controls"] == "search-results", s
        assert s["listRole"] == "listbox" and s["expanded"] == "true" and s["listHidden"] is False, s
        assert [o["fid"] for o in s["options"]] == [o["fid"] for o in options], s
        assert [o["selected"] for o in s["options"]] == ["true" if i == active else "false" for i in range(len(options))], s
        assert s["activedescendant"] == (None if active is None else options[active]["id"]), s
    assert a["picked"] == options[1]["fid"]
    name, gem_id = ss.rows(portal.store, "SELECT mine_name, gem_mine_id FROM coal_mines WHERE fid = ?",
                           int(a["picked"]))[0]
    assert name in a["panel"] and gem_id in a["panel"]
    after = a["afterEnter"]
    assert after["expanded"] == "false" and after["activedescendant"] is None and after["focus"] == "search", after


def test_filters_change_the_table_and_the_map(portal):
    status = "Operating"
    a = portal.run("filter", AMIS_STATUS=status)
    country, both = a["country"], a["countryAndStatus"]
    assert country["filter"] == f"iso3 = '{COUNTRY}'"
    assert int(country["matched"]) == ogr_count(portal.store, country["bbox"], f"iso3 = '{COUNTRY}'") > 0
    assert int(both["matched"]) == ogr_count(portal.store, both["bbox"], f"iso3 = '{COUNTRY}' AND status = '{status}'")
    assert int(both["matched"]) < int(country["matched"]) < int(a["before"]["matched"])
    from urllib.parse import parse_qs, urlparse
    assert a["wmsWithFilter"], "no GetMap with a CQL_FILTER"
    wms = {k.upper(): v for k, v in parse_qs(urlparse(a["wmsWithFilter"]).query).items()}
    assert wms["CQL_FILTER"] == [both["filter"]], wms["CQL_FILTER"]
    assert wms["LAYERS"] == ["coal_mines"], wms["LAYERS"]
    assert both["filter"] == f"iso3 = '{COUNTRY}' AND status = '{status}'"
    assert parse_qs(urlparse(a["tileWithFilter"]).query)["filter"] == [both["filter"]]


def test_downloads_of_the_filtered_layer_open_in_gdal(portal):
    a = portal.run("download")
    expected = {r[0] for r in ss.rows(portal.store, "SELECT gem_mine_id FROM coal_mines WHERE iso3 = ?", COUNTRY)}
    count = ss.rows(portal.store, "SELECT count(*) FROM coal_mines WHERE iso3 = ?", COUNTRY)[0][0]
    assert expected
    for format, path in a["files"].items():
        source = f"/vsizip/{path}" if format == "shapezip" else path
        ds = ogr.Open(source)
        assert ds is not None, f"GDAL cannot open the {format} download {path}"
        layer = ds.GetLayer(0)
        if format == "kml":  # KML keeps the name and description only
            assert layer.GetFeatureCount() == count, format
            continue
        defn = layer.GetLayerDefn()
        names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
        # A Shapefile cuts field names to 10 characters.
        key = next(n for n in names if "gem_mine_id".startswith(n) and len(n) >= 10)
        ids = [f.GetField(key) for f in layer]
        assert len(ids) == count and set(ids) == expected, format
        iso3 = {f.GetField("iso3") for f in layer}
        assert iso3 == {COUNTRY}, format
    assert a["limitWarningShown"] is False  # the files hold them all
    base = portal.server.url
    assert a["serviceUrls"] == [f"{base}/", f"{base}/wms", f"{base}/wfs", f"{base}/wmts"]


COPIES = 4  # of the demo's coal mines in the big store: 4 x 3,122 > 10,000


@pytest.fixture(scope="module")
def big_portal(tmp_path_factory, portal_can_run):
    """A store whose coal_mines hold every demo mine COPIES times (ids suffixed), more
    than a page of items holds, with the countries for the filter's names."""
    work = tmp_path_factory.mktemp("big-portal")
    source = ogr.Open(str(REPO_ROOT / "data" / "demo" / "asean3_coal_mines_gem_gcmt.gpkg"))
    layer = source.GetLayerByName("coal_mines")
    copies = work / "coal_mines.gpkg"
    out = ogr.GetDriverByName("GPKG").CreateDataSource(str(copies))
    target = out.CreateLayer("coal_mines", layer.GetSpatialRef(), layer.GetGeomType())
    defn = layer.GetLayerDefn()
    for i in range(defn.GetFieldCount()):
        target.CreateField(defn.GetFieldDefn(i))
    target.StartTransaction()
    for k in range(COPIES):
        layer.ResetReading()
        for f in layer:
            g = ogr.Feature(target.GetLayerDefn())
            g.SetFrom(f)
            g.SetField("gem_mine_id", f"{f.GetField('gem_mine_id')}-{k}")
            target.CreateFeature(g)
    target.CommitTransaction()
    out = None
    store = work / "store.gpkg"
    for args in (["--collection", "countries", str(REPO_ROOT / "data" / "demo" / "asean3_countries.geojson")],
                 ["--collection", "coal_mines", "--layer", "coal_mines", str(copies)]):
        r = ss.amis("import", *args, "--store", store)
        assert r.returncode == 0, r.stderr
    srv = AmisServer(store, work, name="big-portal")
    srv.start()
    yield Portal(store, srv)
    alive = srv.alive()
    assert srv.stop() == 0 and alive, srv.stderr()[-3000:]


def read_ids(path: str, key: str = "gem_mine_id") -> list[str]:
    ds = ogr.Open(path)
    assert ds is not None, f"GDAL cannot open {path}"
    return [f.GetField(key) for f in ds.GetLayer(0)]


def test_download_tab_gives_every_feature_of_a_layer_larger_than_a_page(big_portal):
    """With more features than a page (10,000) the Download tab's files hold all of them
    (GeoJSON, CSV, GeoPackage read back with OGR: the store's ids, each once); the tab says
    how many match and no longer warns (that is only above the download cap, 1,000,000)."""
    a = big_portal.run("download-whole")
    expected = [r[0] for r in ss.rows(big_portal.store, "SELECT gem_mine_id FROM coal_mines")]
    assert len(expected) == COPIES * 3122 > 10_000
    assert a["matched"] == len(expected), a["matched"]
    assert a["countText"] == f"{len(expected):,} features, all in each file.", a["countText"]
    assert a["limitWarningShown"] is False
    for format, path in a["files"].items():
        ids = read_ids(path)
        assert len(ids) == len(expected) and sorted(ids) == sorted(expected), (format, len(ids))


def test_editor_edits_and_submits_reviewer_approves_and_the_map_shows_it(portal):
    fid, name, status = national_mines(portal.store, 2)[1]
    before = point_of(portal.store, fid)
    a = portal.run("edit-review", AMIS_MINE_NAME=name, AMIS_MINE_FID=str(fid), AMIS_NEW_STATUS="Mothballed")
    assert a["countryLocked"] is True
    assert a["unlabelledInForm"] == a["unlabelledInUpload"] == a["unlabelledInReview"] == []
    assert a["saveStatus"] == 202 and a["approveStatus"] == 200
    assert a["editorState"] == "Waiting for review"
    assert any(r[1] == "status" and r[2] == status and r[3] == "Mothballed" for r in a["diff"]), a["diff"]
    row = ss.change_set_row(portal.store, int(a["changeSet"]))
    assert row["state"] == "approved" and row["author"] == EDITOR and row["reviewer"] == REVIEWER
    assert ss.rows(portal.store, "SELECT status FROM coal_mines WHERE fid = ?", fid)[0][0] == "Mothballed"
    after = point_of(portal.store, fid)
    assert 0.01 < after[0] - before[0] < 0.5 and abs(after[1] - before[1]) < 0.01, (before, after)
    assert name in a["afterPanel"] and "Mothballed" in a["afterPanel"]


def test_reviewer_rejects_with_a_comment_the_editor_reads(portal):
    fid, name, _ = national_mines(portal.store, 3)[2]
    owners = ss.rows(portal.store, "SELECT owners FROM coal_mines WHERE fid = ?", fid)[0][0]
    comment = "The owner needs a source: please cite the concession record."
    a = portal.run("reject", AMIS_MINE_NAME=name, AMIS_MINE_FID=str(fid), AMIS_NEW_OWNER="Portal Test Co",
                   AMIS_COMMENT=comment)
    assert "required" in a["emptyCommentError"].lower() or "why" in a["emptyCommentError"].lower()
    assert a["saveStatus"] == 202 and a["rejectStatus"] == 200
    assert "Rejected" in a["editorSees"] and comment in a["editorSees"]
    row = ss.change_set_row(portal.store, int(a["changeSet"]))
    assert row["state"] == "rejected" and row["comment"] == comment
    assert ss.rows(portal.store, "SELECT owners FROM coal_mines WHERE fid = ?", fid)[0][0] == owners


def test_admin_adds_and_disables_an_account(portal):
    a = portal.run("admin", AMIS_NEW_USER="somchai.portal")
    assert "somchai.portal" in a["row"] and "editor" in a["row"] and COUNTRY in a["row"]
    listed = ss.amis("user", "list", "--store", portal.store).stdout
    line = next(l for l in listed.splitlines() if l.startswith("somchai.portal"))
    assert "editor" in line and COUNTRY in line
    assert ss.rows(portal.store, "SELECT disabled FROM amis_users WHERE name = ?", "somchai.portal")[0][0] == 1
    assert a["unlabelled"] == []


def test_a_wrong_password_is_refused_in_the_dialog(portal):
    a = portal.run("wrong-password")
    assert "wrong" in a["error"].lower()
    assert a["workspaceHidden"] is True


def test_tablet_layout_puts_the_panel_over_the_map(portal):
    a = portal.run("tablet")
    assert a["sidebarAtStart"] is False and a["sidebarAfterToggle"] is True
    assert a["overflowX"] is False
