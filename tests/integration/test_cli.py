"""The amis command line: import (formats, CRS, errors, atomicity), export, collections.
Each test works on its own store; results are read back with osgeo.ogr (the store is a
GeoPackage) or through `amis serve`, and compared with the source files."""
from __future__ import annotations

import contextlib
import csv
import re
import shutil
import sqlite3
import subprocess
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from osgeo import ogr, osr

from support import (COAL_MINES_GPKG, DEMO_SOURCES, AmisServer, amis_import, assert_same_geometry,
                     get_json, http_session, match_features, on_postgis, read_features, run_amis,
                     store_arg, store_datasource, store_feature_tables)

COUNTRIES = DEMO_SOURCES["countries"].path
BOUNDARIES = DEMO_SOURCES["coal_mine_boundaries"].path


def assert_one_line_error(result: subprocess.CompletedProcess, *mentions: str) -> str:
    assert result.returncode == 1, f"exit {result.returncode}; stderr: {result.stderr!r}"
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {result.stderr!r}"
    assert lines[0].startswith("amis: "), lines[0]
    for m in mentions:
        assert m in lines[0], f"{m!r} not in {lines[0]!r}"
    return lines[0]


def collections_listing(store: Path) -> dict[str, tuple[int, str, str]]:
    """`amis collections`: id -> (count, geometry type, title)."""
    result = run_amis("collections", "--store", store)
    assert result.returncode == 0, result.stderr
    out = {}
    for line in result.stdout.splitlines():
        cid, count, gtype, title = line.split("\t")
        out[cid] = (int(count), gtype, title)
    return out


def ogr2ogr(*args: str) -> None:
    result = subprocess.run(["ogr2ogr", *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


@contextlib.contextmanager
def serving(store: Path, log_dir: Path):
    srv = AmisServer(store, log_dir, name="cli")
    srv.start()
    try:
        with http_session() as s:
            yield srv.url, s
    finally:
        assert srv.stop() == 0


@pytest.fixture
def store(tmp_path) -> Path:
    return tmp_path / "store.gpkg"


# --------------------------------------------------------------------------- import errors


def test_import_nonexistent_file(store, tmp_path):
    missing = tmp_path / "no_such_file.geojson"
    assert_one_line_error(run_amis("import", missing, "--collection", "x", "--store", store), str(missing))


def test_import_unknown_layer(store):
    assert_one_line_error(run_amis("import", BOUNDARIES, "--collection", "x", "--layer", "no_such_layer",
                                   "--store", store), "no_such_layer")


def test_import_multi_layer_file_needs_a_layer(store):
    line = assert_one_line_error(run_amis("import", BOUNDARIES, "--collection", "x", "--store", store))
    assert "coal_mine_boundaries" in line and "coal_mine_methane_sources" in line


def test_import_not_a_vector_file(store, tmp_path):
    junk = tmp_path / "junk.geojson"
    junk.write_text("this is not JSON {")
    assert_one_line_error(run_amis("import", junk, "--collection", "x", "--store", store))


@pytest.mark.parametrize("cid", ["1abc", "bad id", "a;drop", "x" * 65, "gpkg_contents", "rtree_countries_geom",
                                 "sqlite_master", "amis_collections", "caf\u00e9", "a/b", "-x", ""])
def test_import_invalid_collection_id(tmp_path, cid):
    store = tmp_path / "store.gpkg"
    amis_import(store, COUNTRIES, "countries")
    assert_one_line_error(run_amis("import", COUNTRIES, "--collection", cid, "--store", store))
    assert collections_listing(store) == {"countries": (13, "MULTIPOLYGON", "countries")}


def test_import_unknown_datetime_field(store):
    assert_one_line_error(run_amis("import", COUNTRIES, "--collection", "c", "--datetime", "no_field",
                                   "--store", store), "no_field")


def test_collections_without_a_store(tmp_path):
    assert_one_line_error(run_amis("collections", "--store", tmp_path / "nothing.gpkg"))


# --------------------------------------------------------------------------- atomicity


@pytest.fixture
def populated_store(tmp_path) -> Path:
    store = tmp_path / "store.gpkg"
    amis_import(store, COUNTRIES, "target")
    amis_import(store, COAL_MINES_GPKG, "other")
    return store


def truncated_shapefile(folder: Path) -> Path:
    """A copy of coal_mines as a Shapefile whose .shp stops half way: GDAL opens it and
    reads the first records, then fails."""
    folder.mkdir()
    ogr2ogr("-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", str(folder / "mines.shp"),
            str(COAL_MINES_GPKG), "coal_mines", "-select", "gem_mine_id,mine_name,iso3")
    shp = folder / "mines.shp"
    with open(shp, "r+b") as f:
        f.truncate(shp.stat().st_size // 2)
    return shp


def bad_utm_gpkg(path: Path) -> Path:
    """100 UTM 48N points; the 61st has coordinates no projection can invert."""
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    layer = ds.CreateLayer("pts", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("n", ogr.OFTInteger))
    for i in range(100):
        f = ogr.Feature(layer.GetLayerDefn())
        f["n"] = i
        x, y = (1e30, 1e30) if i == 60 else (500000 + i * 10, 1500000)
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({x} {y})"))
        layer.CreateFeature(f)
    ds = None
    return path


@pytest.mark.parametrize("failure", ["truncated_shapefile", "untransformable_geometry"])
def test_failed_import_leaves_the_existing_collection_unchanged(populated_store, tmp_path, failure):
    before_listing = collections_listing(populated_store)
    before = read_features(populated_store, "target")
    source = (truncated_shapefile(tmp_path / "shp") if failure == "truncated_shapefile"
              else bad_utm_gpkg(tmp_path / "bad.gpkg"))
    assert_one_line_error(run_amis("import", source, "--collection", "target", "--store", populated_store))
    assert collections_listing(populated_store) == before_listing
    after = read_features(populated_store, "target")
    assert len(after) == len(before) == 13
    for a, b in zip(after, before):
        assert a.properties == b.properties
        assert a.geometry.Equals(b.geometry)
    assert len(read_features(populated_store, "other")) == 3122
    if not on_postgis():  # PostgreSQL has no such check; its transaction is the whole import
        with sqlite3.connect(populated_store) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_failed_import_of_a_new_collection_leaves_no_trace(populated_store, tmp_path):
    before = collections_listing(populated_store)
    assert_one_line_error(run_amis("import", truncated_shapefile(tmp_path / "shp"), "--collection", "newcomer",
                                   "--store", populated_store))
    assert collections_listing(populated_store) == before
    tables = store_feature_tables(populated_store)
    assert "newcomer" not in tables and {"target", "other"} <= tables


def test_reimport_replaces_the_collection(populated_store):
    amis_import(populated_store, DEMO_SOURCES["mine_facilities"].path, "target")
    listing = collections_listing(populated_store)
    assert listing["target"][:2] == (255, "MULTIPOINT")
    assert listing["other"][0] == 3122


# --------------------------------------------------------------------------- import formats


def test_store_is_a_geopackage_gdal_reads(populated_store):
    """A GeoPackage (or, on the PostGIS backend, a database) that GDAL reads as it is."""
    ds = ogr.Open(store_datasource(populated_store))
    assert ds.GetDriver().GetName() == ("PostgreSQL" if on_postgis() else "GPKG")
    layers = {ds.GetLayer(i).GetName(): ds.GetLayer(i).GetFeatureCount() for i in range(ds.GetLayerCount())
              if ds.GetLayer(i).GetGeomType() != ogr.wkbNone  # AMIS keeps its metadata in tables; the
              and not ds.GetLayer(i).GetName().endswith("amis_records")}  # catalogue's has an extent (PostGIS)
    assert layers == {"target": 13, "other": 3122}
    source = read_features(COAL_MINES_GPKG, "coal_mines")
    stored = read_features(populated_store, "other")
    for a, b in match_features(stored, source, list(source[0].properties)):
        assert_same_geometry(a.geometry, b.geometry, 1e-12)


def test_import_csv_with_lon_lat_columns(store, tmp_path):
    rows = [
        {"site": "Mae Moh", "lon": "99.7412", "lat": "18.3020", "tonnes": "16.5"},
        {"site": "Sangatta, East Kalimantan", "lon": "117.5410", "lat": "0.5040", "tonnes": "60"},
        {"site": "Hòn Gai \u201cquoted\u201d", "lon": "107.0800", "lat": "20.9500", "tonnes": ""},
    ]
    path = tmp_path / "sites.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["site", "lon", "lat", "tonnes"])
        w.writeheader()
        w.writerows(rows)
    amis_import(store, path, "sites")
    assert collections_listing(store)["sites"][:2] == (3, "POINT")
    stored = {f.properties["site"]: f for f in read_features(store, "sites")}
    assert set(stored) == {r["site"] for r in rows}
    for r in rows:
        g = stored[r["site"]].geometry
        assert (g.GetX(), g.GetY()) == (float(r["lon"]), float(r["lat"]))
        tonnes = stored[r["site"]].properties["tonnes"]
        assert tonnes == (float(r["tonnes"]) if r["tonnes"] else None)


def test_import_csv_with_wkt_column(store, tmp_path):
    wkts = {
        "a": "POLYGON ((100 10,101 10,101 11,100 11,100 10))",
        "b": "POLYGON ((102 12,104 12,103 14,102 12),(102.5 12.2,103.5 12.2,103 13,102.5 12.2))",
        "c": "POLYGON ((-1 -1,1 -1,1 1,-1 1,-1 -1))",
    }
    path = tmp_path / "areas.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "wkt"])
        for name, wkt in wkts.items():
            w.writerow([name, wkt])
    amis_import(store, path, "areas")
    stored = {f.properties["name"]: f.geometry for f in read_features(store, "areas")}
    assert set(stored) == set(wkts)
    for name, wkt in wkts.items():
        assert stored[name].Equals(ogr.CreateGeometryFromWkt(wkt)), name


def test_import_zipped_shapefile(store, tmp_path):
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    ogr2ogr("-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", str(shp_dir / "countries.shp"), str(COUNTRIES))
    archive = tmp_path / "countries.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(shp_dir.iterdir()):
            z.write(p, p.name)
    amis_import(store, archive, "countries_shp")
    count, gtype, _ = collections_listing(store)["countries_shp"]
    assert (count, gtype) == (13, "MULTIPOLYGON")
    source = {f.properties["iso3"]: f for f in read_features(COUNTRIES)}
    for f in read_features(store, "countries_shp"):
        s = source[f.properties["iso3"]]
        assert f.properties["name"] == s.properties["name"]
        assert f.geometry.Equals(s.geometry), s.properties["iso3"]


def test_import_projected_source_comes_out_in_crs84(store, tmp_path):
    """coal mines of mainland South-East Asia reprojected to UTM 48N (EPSG:32648) with
    ogr2ogr; after import, AMIS must serve the CRS84 coordinates that PROJ (osgeo.osr)
    computes from the UTM ones."""
    utm = tmp_path / "mines_utm.gpkg"
    ogr2ogr("-f", "GPKG", "-t_srs", "EPSG:32648", "-where", "iso3 IN ('VNM','LAO','KHM','THA')",
            str(utm), str(COAL_MINES_GPKG), "coal_mines")
    amis_import(store, utm, "mines_utm")

    src_srs = osr.SpatialReference()
    src_srs.ImportFromEPSG(32648)
    wgs84 = osr.SpatialReference()
    wgs84.ImportFromEPSG(4326)
    wgs84.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_lonlat = osr.CoordinateTransformation(src_srs, wgs84)
    projected = read_features(utm, "coal_mines")
    assert len(projected) == 39
    # (gem_mine_id, mine_name) is not unique: keep lists, ordered by position.
    expected: dict[tuple, list] = {}
    for f in projected:
        x, y = f.geometry.GetX(), f.geometry.GetY()
        assert abs(x) > 1000, "the source is not projected"
        lon, lat, _ = to_lonlat.TransformPoint(x, y)
        expected.setdefault((f.properties["gem_mine_id"], f.properties["mine_name"]), []).append((lon, lat))
    original: dict[tuple, list] = {}
    for f in read_features(COAL_MINES_GPKG, "coal_mines"):
        original.setdefault((f.properties["gem_mine_id"], f.properties["mine_name"]), []).append(
            (f.geometry.GetX(), f.geometry.GetY()))

    with serving(store, tmp_path) as (url, http):
        doc = get_json(http, f"{url}/collections/mines_utm/items", limit=1000)
        ext = get_json(http, f"{url}/collections/mines_utm")["extent"]["spatial"]["bbox"][0]
    assert doc["numberMatched"] == len(projected)
    served: dict[tuple, list] = {}
    for feat in doc["features"]:
        served.setdefault((feat["properties"]["gem_mine_id"], feat["properties"]["mine_name"]), []).append(
            tuple(feat["geometry"]["coordinates"]))
    assert served.keys() == expected.keys()
    for key, points in served.items():
        for (lon, lat), (elon, elat) in zip(sorted(points), sorted(expected[key])):
            assert abs(lon - elon) < 1e-9 and abs(lat - elat) < 1e-9, key
            assert any(abs(lon - x) < 1e-6 and abs(lat - y) < 1e-6 for x, y in original[key]), key
            assert ext[0] <= lon <= ext[2] and ext[1] <= lat <= ext[3]


def test_gdaltransform_agrees_on_one_point(tmp_path):
    """Cross-check of the PROJ path above with the gdaltransform tool."""
    if not shutil.which("gdaltransform"):
        pytest.skip("gdaltransform is not installed")
    result = subprocess.run(["gdaltransform", "-s_srs", "EPSG:32648", "-t_srs", "OGC:CRS84", "-output_xy"],
                            input="500000 1500000\n", capture_output=True, text=True, timeout=60)
    lon, lat = map(float, result.stdout.split()[:2])
    src = osr.SpatialReference()
    src.ImportFromEPSG(32648)
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(4326)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    x, y, _ = osr.CoordinateTransformation(src, dst).TransformPoint(500000, 1500000)
    assert abs(lon - x) < 1e-9 and abs(lat - y) < 1e-9 and abs(lon - 105.0) < 1e-9


def test_import_metadata_is_published(store, tmp_path):
    amis_import(store, COUNTRIES, "asean", "--title", "ASEAN+3 countries",
                "--description", "Boundaries of the 13 member states", "--keywords", "boundaries,ASEAN",
                "--licence", "CC-BY-4.0", "--attribution", "Natural Earth")
    assert collections_listing(store)["asean"] == (13, "MULTIPOLYGON", "ASEAN+3 countries")
    with serving(store, tmp_path) as (url, http):
        doc = get_json(http, f"{url}/collections/asean")
    assert doc["title"] == "ASEAN+3 countries"
    assert doc["description"] == "Boundaries of the 13 member states"
    assert doc["keywords"] == ["boundaries", "ASEAN"]
    text = repr(doc)
    assert "CC-BY-4.0" in text and "Natural Earth" in text


# --------------------------------------------------------------------------- export


EXPORTS = [("gpkg", "out.gpkg"), ("geojson", "out.geojson"), ("fgb", "out.fgb"), ("csv", "out.csv"),
           ("shp", "out.shp"), ("kml", "out.kml"), ("gml", "out.gml")]
CHECKED_FIELDS = ["gem_mine_id", "mine_name", "iso3", "status", "coal_type"]


def exported_name(name: str, available: set[str]) -> str:
    """A field's name in formats that shorten names (Shapefile: 10 characters)."""
    return name if name in available else name[:10]


@pytest.mark.parametrize("fmt,name", EXPORTS)
def test_export_coal_mines(store_path, tmp_path, fmt, name):
    out = tmp_path / name
    result = run_amis("export", "--collection", "coal_mines", "--format", fmt, out, "--store", store_path)
    assert result.returncode == 0, result.stderr
    ds = ogr.Open(str(out))
    assert ds is not None, f"GDAL cannot open the {fmt} export"
    assert sum(1 for _ in ds.GetLayer(0)) == 3122
    source = read_features(COAL_MINES_GPKG, "coal_mines")
    exported = read_features(out)
    assert len(exported) == 3122
    if fmt in ("gpkg", "geojson", "fgb"):  # formats that keep every name and type
        for a, b in match_features(exported, source, list(source[0].properties)):
            assert_same_geometry(a.geometry, b.geometry, 1e-9, f"{fmt} export")
        return
    # Other formats: the main text fields, under their (possibly shortened) names, and
    # the position to 1e-6 degrees.
    names = [exported_name(n, set(exported[0].properties)) for n in CHECKED_FIELDS]

    def key(values, g):
        # XML cannot hold control characters (one mine name has a backspace): drop them.
        text = [re.sub(r"[\x00-\x1f]", "", v) if isinstance(v, str) else v for v in values]
        return (*[v or None for v in text], round(g.GetX(), 6), round(g.GetY(), 6))
    got = Counter(key([f.properties.get(n) for n in names], f.geometry) for f in exported)
    want = Counter(key([f.properties[n] for n in CHECKED_FIELDS], f.geometry) for f in source)
    diff = list((got - want).items())[:2]
    assert got == want, f"{fmt}: e.g. exported {diff}"


@pytest.mark.parametrize("fmt,name", [("shp", "countries.shp"), ("gpkg", "countries.gpkg"), ("fgb", "c.fgb")])
def test_export_countries_polygons(store_path, tmp_path, fmt, name):
    out = tmp_path / name
    result = run_amis("export", "--collection", "countries", "--format", fmt, out, "--store", store_path)
    assert result.returncode == 0, result.stderr
    source = {f.properties["iso3"]: f for f in read_features(COUNTRIES)}
    exported = read_features(out)
    assert len(exported) == 13
    for f in exported:
        # A Shapefile does not tell polygons from one-part multipolygons: compare as multi.
        got = ogr.ForceToMultiPolygon(f.geometry.Clone())
        assert got.Equals(source[f.properties["iso3"]].geometry), f.properties["iso3"]


def test_export_csv_has_wkt_geometry(store_path, tmp_path):
    out = tmp_path / "mines.csv"
    assert run_amis("export", "--collection", "coal_mines", "--format", "csv", out, "--store", store_path).returncode == 0
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 3122
    assert rows[0]["WKT"].startswith("POINT")
    def key(mine_id, x, y):
        return (mine_id, round(x, 9), round(y, 9))
    exported = Counter(key(r["gem_mine_id"], *(lambda g: (g.GetX(), g.GetY()))(ogr.CreateGeometryFromWkt(r["WKT"])))
                       for r in rows)
    source = Counter(key(f.properties["gem_mine_id"], f.geometry.GetX(), f.geometry.GetY())
                     for f in read_features(COAL_MINES_GPKG, "coal_mines"))
    assert exported == source


def test_export_unknown_collection_or_format(store_path, tmp_path):
    assert_one_line_error(run_amis("export", "--collection", "nope", "--format", "gpkg", tmp_path / "x.gpkg",
                                   "--store", store_path), "nope")
    assert_one_line_error(run_amis("export", "--collection", "coal_mines", "--format", "xlsx", tmp_path / "x.xlsx",
                                   "--store", store_path), "xlsx")


def test_export_to_unwritable_place(store_path, tmp_path):
    assert_one_line_error(run_amis("export", "--collection", "coal_mines", "--format", "geojson",
                                   tmp_path / "no" / "such" / "dir" / "x.geojson", "--store", store_path))


def test_collections_listing_matches_sources(store_path, observations):
    listing = collections_listing(store_path)
    for cid, src in DEMO_SOURCES.items():
        assert listing[cid][0] == len(read_features(src.path, src.layer)), cid
    assert listing["observations"][0] == len(observations)
    assert listing["coal_mines"][1] == "POINT"
    assert listing["countries"][1] == "MULTIPOLYGON"
    assert listing["observations"][2] == "Synthetic observations"


# --------------------------------------------------------------------------- serve


def test_serve_on_a_busy_port_fails_clearly(server, store_path):
    result = run_amis("serve", "--store", store_path, "--port", server.port, timeout=30)
    assert_one_line_error(result, str(server.port))


def test_serve_with_an_unopenable_store_fails_clearly(tmp_path):
    store = tmp_path / "no" / "dir" / "x.gpkg"  # on PostGIS: a database that does not exist
    result = run_amis("serve", "--store", store, "--port", "0", timeout=30)
    assert_one_line_error(result, store_arg(store).rsplit("/", 1)[-1] if on_postgis() else "x.gpkg")


def test_serve_logs_one_access_line_per_request(server, http, base_url):
    marks = ["/collections/coal_mines?f=json", "/collections/no_such_for_log_test", "/collections?f=xml"]
    # The server is shared with the worker's earlier tests, which may have asked for the same
    # addresses: only the lines written after this point count.
    before = len(server.access_log())
    statuses = [http.get(base_url + m, timeout=30).status_code for m in marks]
    assert statuses == [200, 404, 406]
    # The line is written once the response has gone out: give the server a moment.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(f" {m} " in server.access_log()[before:] for m in marks):
        time.sleep(0.05)
    log = server.access_log()[before:].splitlines()
    for mark, status in zip(marks, statuses):
        lines = [line for line in log if f" {mark} " in f" {line} "]
        assert len(lines) == 1, f"{mark}: {lines}"
        assert lines[0].startswith("GET ") and f" {status} " in lines[0], lines[0]


def test_awkward_column_names_are_served_and_filterable(store, tmp_path):
    """Column names with spaces, apostrophes and non-ASCII letters (as spreadsheets make
    them) keep their names and work as property=value filters."""
    path = tmp_path / "awkward.csv"
    path.write_text("Mine Name,owner's share,gr\u00f6\u00dfe,lon,lat\n"
                    "Alpha,0.5,1,100,10\nBeta,0.25,2,101,11\nGamma,0.25,3,102,12\n", encoding="utf-8")
    amis_import(store, path, "awkward")
    with serving(store, tmp_path) as (url, http):
        first = get_json(http, f"{url}/collections/awkward/items", limit=1)["features"][0]["properties"]
        assert set(first) >= {"Mine Name", "owner's share", "gr\u00f6\u00dfe"}
        for name, value, expected in [("Mine Name", "Beta", 1), ("owner's share", "0.25", 2),
                                      ("gr\u00f6\u00dfe", "3", 1)]:
            doc = get_json(http, f"{url}/collections/awkward/items", **{name: value})
            assert doc["numberMatched"] == expected, name
        html = http.get(f"{url}/collections/awkward/items", params={"f": "html"}, timeout=30)
        assert html.status_code == 200 and "owner&#39;s share" in html.text
