"""Dataset upload as a change set (issue 6): POST /collections/{id}/upload on a store and a
server of their own, with files written here by GDAL/OGR (GeoJSON, GeoPackage also in a
projected CRS, FlatGeobuf, zipped Shapefile, KML, CSV with lon/lat, WKT or attributes only)
and zips built byte by byte with zipfile/struct for the hostile cases.

Users: an administrator, two reviewers and editors of Thailand, the Philippines, Indonesia
and Malaysia. The configuration is the editing tests' one: administrators publish to
mine_facilities at once, everything else goes through review. A small `sites` collection
(name, description, iso3, status) is imported for KML, whose GDAL driver reads only a
placemark's name and description.

Each test works on the features of its own country, so the tests do not depend on their
order. The server runs with TMPDIR pointing to a directory of this module, checked empty
after every upload (and shown to be the one the server unpacks uploads in).

Oracles, none of them AMIS's own output: sqlite3 reads (read-only) of the store - row dumps
compared byte for byte, digests of every table a refused upload must leave alone,
amis_changes and amis_change_sets; osgeo.ogr on the uploaded files and on the store
(GDAL's GPKG driver); osr for the expected reprojection; Python's zipfile to check that the
hand-made ZIP64 archives are valid.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import sqlite3
import struct
import subprocess
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pytest
import requests
from osgeo import gdal, ogr, osr

import styles_support as ss
from support import AMIS_BIN, AmisServer, http_session, store_datasource
from store_support import add_users, amis, change_set_row, ro, rows, table_digests

gdal.UseExceptions()
ogr.UseExceptions()

PASSWORD = "correct horse battery staple"
ADMIN, REVIEWER, REVIEWER2 = "secretariat", "expert", "expert-two"
THA_EDITOR, PHL_EDITOR, IDN_EDITOR, MYS_EDITOR = "tha-editor", "phl-editor", "idn-editor", "mys-editor"
USERS = {ADMIN: ("admin", None), REVIEWER: ("reviewer", None), REVIEWER2: ("reviewer", None),
         THA_EDITOR: ("editor", "THA"), PHL_EDITOR: ("editor", "PHL"), IDN_EDITOR: ("editor", "IDN"),
         MYS_EDITOR: ("editor", "MYS")}
FORGED = "forged"  # a well-formed token nobody was given

JSON = "application/json"

CONFIG = """\
[server]
log_level = "info"

[editing]
country_property = "iso3"
boundaries = "countries"

[editing.collections.mine_facilities]
direct_publish = ["admin"]

[editing.collections.coal_mine_boundaries]
country_property = "country"
"""

# Every table a refused upload must leave as it was.
WATCHED = ("coal_mines", "mine_facilities", "coal_mine_boundaries", "sites", "amis_change_sets", "amis_changes",
           "amis_feature_versions", "amis_audit", "amis_collections", "gpkg_contents", "gpkg_ogr_contents",
           "rtree_coal_mines_geom")

# The `sites` collection imported for the KML test.
SITES = [("Doi Site", "first survey", "THA", "Operating", (99.0, 18.0)),
         ("Lampang Site", "second survey", "THA", "Operating", (99.5, 18.3)),
         ("Java Site", "third survey", "IDN", "Proposed", (110.4, -7.3))]


# --------------------------------------------------------------------------- the store, read directly



def snapshot(store: Path, tables=WATCHED) -> dict[str, str]:
    """table -> SHA-256 of all its rows in rowid order."""
    return table_digests(store, tables)


def table_rows(store: Path, collection: str, where: str = "TRUE", *args) -> dict[int, dict]:
    """fid -> {column: value} (the geometry as its GeoPackage blob) of a feature table."""
    with ro(store) as db:
        cur = db.execute(f'SELECT * FROM "{collection}" WHERE {where} ORDER BY fid', args)
        names = [d[0] for d in cur.description]
        return {r[0]: dict(zip(names, r)) for r in cur.fetchall()}


def dump_except(store: Path, collection: str, iso3: str) -> list[tuple]:
    """Every row (every column, blobs byte for byte) of the features not of a country."""
    return rows(store, f'SELECT * FROM "{collection}" WHERE iso3 IS NOT ? ORDER BY fid', iso3)


def gpkg_geometry(blob: bytes | None) -> ogr.Geometry | None:
    """A GeoPackage geometry blob (GP header, optional envelope, WKB) as an OGR geometry."""
    if blob is None:
        return None
    blob = bytes(blob)
    assert blob[:2] == b"GP", blob[:8]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(blob[3] >> 1) & 7]
    return ogr.CreateGeometryFromWkb(blob[8 + envelope:])



def changes_of(store: Path, cs: int) -> list[dict]:
    with ro(store) as db:
        cur = db.execute("SELECT seq, operation, fid, geom, properties FROM amis_changes WHERE change_set = ? "
                         "ORDER BY seq", (cs,))
        names = [d[0] for d in cur.description]
        out = [dict(zip(names, r)) for r in cur.fetchall()]
    for c in out:
        c["properties"] = None if c["properties"] is None else json.loads(c["properties"])
        c["geometry"] = None if c["geom"] is None else ogr.CreateGeometryFromWkb(bytes(c["geom"]))
    return out


def change_set_count(store: Path) -> int:
    return rows(store, "SELECT count(*) FROM amis_change_sets")[0][0]


def fid_of(store: Path, key: str, collection: str = "coal_mines", column: str = "gem_mine_id") -> int:
    found = rows(store, f'SELECT fid FROM "{collection}" WHERE "{column}" = ?', key)
    assert len(found) == 1, f"{key}: {len(found)} rows in {collection}"
    return found[0][0]


def same_point(g: ogr.Geometry | None, lon: float, lat: float, tol: float = 1e-9) -> bool:
    if g is None:
        return False
    if g.GetGeometryCount() == 1:  # a MultiPoint of one point
        g = g.GetGeometryRef(0)
    return abs(g.GetX() - lon) <= tol and abs(g.GetY() - lat) <= tol


# --------------------------------------------------------------------------- files, written with GDAL/OGR


def srs(epsg: int) -> osr.SpatialReference:
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def project(lon: float, lat: float, epsg: int) -> tuple[float, float]:
    x, y, _ = osr.CoordinateTransformation(srs(4326), srs(epsg)).TransformPoint(lon, lat)
    return x, y


Fields = list[tuple[str, int]]


def write_vector(path: Path, driver: str, fields: Fields, features: list[tuple[dict, str | None]],
                 epsg: int | None = 4326, geom_type: int = ogr.wkbPoint, layers: tuple[str, ...] = ("upload",)) -> Path:
    """A vector file of one layer (or several, each with the same features); field values are
    set by position, so a Shapefile's laundered names do not matter."""
    ds = ogr.GetDriverByName(driver).CreateDataSource(str(path))
    for name in layers:
        lyr = ds.CreateLayer(name, srs(epsg) if epsg else None, geom_type)
        for fname, kind in fields:
            lyr.CreateField(ogr.FieldDefn(fname, kind))
        defn = lyr.GetLayerDefn()
        for props, wkt in features:
            f = ogr.Feature(defn)
            for i, (fname, _) in enumerate(fields):
                if props.get(fname) is not None:
                    f.SetField(i, props[fname])
            if wkt:
                f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
            lyr.CreateFeature(f)
    ds = None
    return path


def export(store: Path, target: Path, fmt: str, layer: str, where: str, **options) -> Path:
    """ogr2ogr (gdal.VectorTranslate) of some features of the store."""
    gdal.VectorTranslate(str(target), store_datasource(store), format=fmt, layers=[layer], where=where, **options)
    return target


def ogr_features(path: Path | str, where: str | None = None,
                 layer: str | None = None) -> list[tuple[dict, ogr.Geometry]]:
    """(properties, geometry) of every feature of a file, read with osgeo.ogr."""
    ds = gdal.OpenEx(store_datasource(path), gdal.OF_VECTOR | gdal.OF_READONLY)  # a file, or a store
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    if where:
        lyr.SetAttributeFilter(where)
    d = lyr.GetLayerDefn()
    names = [d.GetFieldDefn(i).GetName() for i in range(d.GetFieldCount())]
    out = []
    for f in lyr:
        props = {n: (f.GetField(i) if f.IsFieldSetAndNotNull(i) else None) for i, n in enumerate(names)}
        g = f.GetGeometryRef()
        out.append((props, g.Clone() if g else None))
    ds = None
    return out


def field_names(path: Path) -> list[str]:
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_READONLY)
    d = ds.GetLayer(0).GetLayerDefn()
    return [d.GetFieldDefn(i).GetName() for i in range(d.GetFieldCount())]


def feature_collection(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def feature(props: dict, lon: float | None = None, lat: float | None = None, geometry: dict | None = None) -> dict:
    if geometry is None and lon is not None:
        geometry = {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "geometry": geometry, "properties": props}


def zip_of(entries: list[tuple[str, bytes]]) -> bytes:
    """A deflated zip with the entries under exactly these names."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def zip_dir(directory: Path) -> bytes:
    return zip_of([(p.name, p.read_bytes()) for p in sorted(directory.iterdir())])


def zip64_of(name: str, data: bytes, zip64_end_record: bool) -> bytes:
    """A stored one-entry ZIP64 archive, made by hand: sizes 0xFFFFFFFF with the zip64 extra
    field in the local and central headers (APPNOTE 4.5.3), and, if asked, the ZIP64 end of
    central directory record and locator with an end record of 0xFFFF/0xFFFFFFFF."""
    n, crc = name.encode(), zlib.crc32(data)
    extra = struct.pack("<HHQQ", 0x0001, 16, len(data), len(data))
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 0, 0, 0x5A21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                        len(n), len(extra)) + n + extra + data
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 0, 0, 0x5A21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                          len(n), len(extra), 0, 0, 0, 0, 0) + n + extra
    out = local + central
    if zip64_end_record:
        record = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, 1, 1, len(central), len(local))
        locator = struct.pack("<IIQI", 0x07064B50, 0, len(out), 1)
        out += record + locator + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                                              0xFFFFFFFF, 0)
    else:
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local), 0)
    with zipfile.ZipFile(io.BytesIO(out)) as z:  # a valid ZIP64 archive, as Python reads it
        info = z.getinfo(name)
        assert z.read(name) == data and info.extra[:2] == b"\x01\x00" and z.testzip() is None
    return out


# --------------------------------------------------------------------------- the server



@dataclass
class Env:
    store: Path
    work: Path
    tmpdir: Path
    server: AmisServer
    s: requests.Session
    tokens: dict[str, str]

    @property
    def url(self) -> str:
        return self.server.url

    def auth(self, user: str | None) -> dict:
        if user is None:
            return {}
        if user == FORGED:
            return {"Authorization": "Bearer amis_" + "A" * 43}
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def upload(self, user: str | None, body: bytes, collection: str = "coal_mines", content_type: str | None = None,
               **params: Any) -> requests.Response:
        headers = self.auth(user)
        if content_type:
            headers["Content-Type"] = content_type
        r = self.s.post(f"{self.url}/collections/{collection}/upload", data=body, headers=headers, params=params,
                        timeout=120)
        left = sorted(p.name for p in self.tmpdir.iterdir())
        assert left == [], f"temporary files left after the upload ({r.status_code}): {left}"
        return r

    def call(self, method: str, path: str, user: str | None = None, body: Any = None,
             content_type: str | None = None, params: dict | None = None) -> requests.Response:
        data = body if body is None or isinstance(body, (bytes, str)) else json.dumps(body)
        headers = self.auth(user)
        if data is not None:
            headers["Content-Type"] = content_type or JSON
        return self.s.request(method, self.url + path, data=data, headers=headers, params=params, timeout=60)

    def approve(self, cs: int, user: str = REVIEWER2) -> dict:
        r = self.call("POST", f"/changesets/{cs}/approve", user, {"comment": "ok"})
        assert r.status_code == 200, r.text
        assert r.json()["state"] == "approved"
        return r.json()

    def review(self, cs: int, user: str = REVIEWER) -> dict:
        r = self.call("GET", f"/changesets/{cs}/review", user, params={"limit": 1000})
        assert r.status_code == 200, r.text
        return r.json()


def write_sites(path: Path) -> Path:
    return write_vector(path, "GeoJSON", [("name", ogr.OFTString), ("description", ogr.OFTString),
                                          ("iso3", ogr.OFTString), ("status", ogr.OFTString)],
                        [({"name": n, "description": d, "iso3": c, "status": st}, f"POINT ({x} {y})")
                         for n, d, c, st, (x, y) in SITES], layers=("sites",))


@pytest.fixture(scope="module")
def env(tmp_path_factory, store_path):
    work = tmp_path_factory.mktemp("upload")
    store = ss.copy_store(store_path, work / "store.gpkg")
    r = amis("import", write_sites(work / "sites.geojson"), "--collection", "sites", "--store", store)
    assert r.returncode == 0, r.stderr
    tokens = add_users(store, USERS, PASSWORD)
    config = work / "amis.toml"
    config.write_text(CONFIG)
    tmpdir = work / "tmp"
    tmpdir.mkdir()
    srv = AmisServer(store, work, name="upload", config=config)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TMPDIR", str(tmpdir))  # inherited by the server process only
        srv.start()
    with http_session() as s:
        yield Env(store, work, tmpdir, srv, s, tokens)
    alive = srv.alive()
    status = srv.stop()
    assert alive, f"amis serve died during the upload tests:\n{srv.stderr()}"
    assert status == 0, srv.stderr()


def error(r: requests.Response, status: int, code: str | None = None, mentions: str | None = None) -> dict:
    assert r.status_code == status, f"{r.request.method} {r.url}: {r.status_code} {r.text[:400]}"
    assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
    doc = r.json()
    assert set(doc) >= {"code", "description"} and doc["description"], doc
    if code:
        assert doc["code"] == code, doc
    if mentions:
        assert mentions.lower() in doc["description"].lower(), doc
    return doc


def accepted(env: Env, r: requests.Response, status: int, author: str, summary: dict) -> int:
    """Checks an upload's answer and its change set row; returns the change set's id."""
    assert r.status_code == status, r.text
    doc = r.json()
    assert set(doc) == {"changeSet", "published", "summary"}, doc
    assert doc["summary"] == summary, doc["summary"]
    assert doc["published"] is (status == 200)
    cs = doc["changeSet"]["id"]
    assert r.headers["Location"] == f"{env.url}/changesets/{cs}"
    row = change_set_row(env.store, cs)
    assert row["author"] == author and row["collection"] == r.url.split("/collections/")[1].split("/")[0]
    assert doc["changeSet"]["state"] == row["state"] == ("approved" if status == 200 else "submitted"), row
    assert row["country"] == (USERS[author][1] or "")
    changes = [c["operation"] for c in changes_of(env.store, cs)]
    assert (changes.count("insert"), changes.count("replace"), changes.count("delete")) == (
        summary["inserted"], summary["replaced"], summary["deleted"])
    return cs


def summary(features: int, inserted: int = 0, replaced: int = 0, deleted: int = 0, unchanged: int = 0) -> dict:
    return {"features": features, "inserted": inserted, "replaced": replaced, "deleted": deleted,
            "unchanged": unchanged}


def nothing_to_do(env: Env, r: requests.Response, features: int) -> None:
    assert r.status_code == 200, r.text
    assert r.json() == {"changeSet": None, "published": False, "summary": summary(features, unchanged=features)}
    assert "Location" not in r.headers


# --------------------------------------------------------------------------- the whole round trip


def test_exported_country_modified_and_uploaded_replaces_it_after_approval(env):
    """The THA coal mines exported with ogr2ogr, modified here (attributes changed and one
    moved, one deleted, one added), uploaded by the Thai editor (mode=replace, key): after
    the approval the store's THA rows are the file's, and no other row changed a byte."""
    source = export(env.store, env.work / "tha.geojson", "GeoJSON", "coal_mines", "iso3 = 'THA'")
    doc = json.loads(source.read_text())
    by_key = {f["properties"]["gem_mine_id"]: f for f in doc["features"]}
    assert sorted(by_key) == ["M0953", "M3344"], sorted(by_key)
    fids = {k: fid_of(env.store, k) for k in by_key}

    # The untouched export changes nothing and records nothing.
    before = snapshot(env.store)
    nothing_to_do(env, env.upload(THA_EDITOR, source.read_bytes(), key="gem_mine_id", mode="replace"), 2)
    assert snapshot(env.store) == before

    kept = by_key["M0953"]
    assert kept["properties"]["owners"] is not None and kept["properties"]["status"] != "Mothballed"
    kept["properties"].update(status="Mothballed", capacity_mtpa=17.25, owners=None)
    kept["geometry"]["coordinates"] = [99.7215, 18.3102]
    new = feature({**{k: None for k in kept["properties"]}, "gem_mine_id": "M9990", "mine_name": "Upload test pit",
                   "status": "Proposed", "capacity_mtpa": 2.5, "opening_year": 2031}, 99.05, 18.8)
    doc["features"] = [kept, new]  # M3344 is left out
    modified = env.work / "tha-modified.geojson"
    modified.write_text(json.dumps(doc))

    others = dump_except(env.store, "coal_mines", "THA")
    tha_before = table_rows(env.store, "coal_mines", "iso3 = 'THA'")
    r = env.upload(THA_EDITOR, modified.read_bytes(), content_type="application/octet-stream",
                   key="gem_mine_id", mode="replace")
    cs = accepted(env, r, 202, THA_EDITOR, summary(2, inserted=1, replaced=1, deleted=1))
    assert table_rows(env.store, "coal_mines", "iso3 = 'THA'") == tha_before  # nothing published yet

    review = env.review(cs)
    assert review["numberOfChanges"] == 3
    ops = {(c["operation"], c["featureId"]) for c in review["changes"]}
    assert ops == {("replace", fids["M0953"]), ("delete", fids["M3344"]), ("insert", None)}, ops
    replace = next(c for c in review["changes"] if c["operation"] == "replace")
    assert {p["name"] for p in replace["properties"]} == {"status", "capacity_mtpa", "owners"}
    assert replace["geometryChanged"] is True
    insert = next(c for c in review["changes"] if c["operation"] == "insert")
    assert insert["after"]["properties"]["iso3"] == "THA"  # the editor's country

    env.approve(cs, REVIEWER)
    # The store, read with GDAL's GPKG driver, against the modified file read with OGR.
    got = {p["gem_mine_id"]: (p, g) for p, g in ogr_features(env.store, "iso3 = 'THA'", layer="coal_mines")}
    want = {p["gem_mine_id"]: (p, g) for p, g in ogr_features(modified)}
    assert sorted(got) == sorted(want) == ["M0953", "M9990"]
    for key, (props, geom) in want.items():
        expected = {**props, "iso3": props["iso3"] or "THA"}
        assert got[key][0] == expected, key
        assert got[key][1].Equals(geom), (key, got[key][1].ExportToWkt(), geom.ExportToWkt())
    assert fid_of(env.store, "M0953") == fids["M0953"]  # replaced in place
    assert rows(env.store, "SELECT count(*) FROM coal_mines WHERE fid = ?", fids["M3344"]) == [(0,)]
    assert dump_except(env.store, "coal_mines", "THA") == others
    assert rows(env.store, "SELECT operation, change_set, author FROM amis_feature_versions WHERE collection = "
                           "'coal_mines' AND fid = ? ORDER BY version DESC LIMIT 1", fids["M3344"]) == [
        ("delete", cs, THA_EDITOR)]

    # Uploading the same file again: nothing left to change.
    n = change_set_count(env.store)
    nothing_to_do(env, env.upload(THA_EDITOR, modified.read_bytes(), key="gem_mine_id", mode="replace"), 2)
    assert change_set_count(env.store) == n


# --------------------------------------------------------------------------- formats


def _shapefile_zip(env: Env, where: str, fields: list[str]) -> bytes:
    d = env.work / "idn-shp"
    d.mkdir(exist_ok=True)
    export(env.store, d / "facilities.shp", "ESRI Shapefile", "mine_facilities", where, selectFields=fields)
    return zip_dir(d)


def _api_geojson(env: Env, where: str) -> bytes:
    r = env.s.get(f"{env.url}/collections/mine_facilities/items", params={"iso3": "IDN", "limit": 10000}, timeout=60)
    assert r.status_code == 200 and r.json()["numberReturned"] == r.json()["numberMatched"]
    return r.content


ROUND_TRIPS: dict[str, tuple[Callable[[Env, str], bytes], str | None]] = {
    "GeoPackage": (lambda env, w: export(env.store, env.work / "rt.gpkg", "GPKG", "mine_facilities", w).read_bytes(),
                   JSON),
    "FlatGeobuf": (lambda env, w: export(env.store, env.work / "rt.fgb", "FlatGeobuf", "mine_facilities",
                                         w).read_bytes(), None),
    "GeoJSON": (lambda env, w: export(env.store, env.work / "rt.geojson", "GeoJSON", "mine_facilities",
                                      w).read_bytes(), "text/csv"),
    "CSV-WKT": (lambda env, w: export(env.store, env.work / "rt.csv", "CSV", "mine_facilities", w,
                                      layerCreationOptions=["GEOMETRY=AS_WKT"]).read_bytes(), "text/csv"),
    "zipped-Shapefile": (lambda env, w: _shapefile_zip(env, w, ["facility_id", "facility_name", "facility_type",
                                                                "iso3", "surface_area_sq_km", "concession_area_sq_km"]),
                         "application/zip"),
    "API-GeoJSON": (_api_geojson, "application/geo+json"),
}


@pytest.mark.parametrize("fmt", list(ROUND_TRIPS))
def test_an_unchanged_export_in_any_format_changes_nothing(env, fmt):
    """Indonesia's mine facilities exported with ogr2ogr (or read from the API) and uploaded
    as they are (the Content-Type says nothing: the bytes tell the format): every feature
    is unchanged, no change set is recorded."""
    where = "iso3 = 'IDN'"
    n = rows(env.store, "SELECT count(*) FROM mine_facilities WHERE iso3 = 'IDN'")[0][0]
    assert n > 100
    make, ctype = ROUND_TRIPS[fmt]
    body = make(env, where)
    before = snapshot(env.store)
    nothing_to_do(env, env.upload(REVIEWER, body, "mine_facilities", ctype, key="facility_id", country="IDN"), n)
    assert snapshot(env.store) == before


def test_an_unchanged_csv_export_of_coal_mines_changes_nothing(env):
    source = export(env.store, env.work / "jpn.csv", "CSV", "coal_mines", "iso3 = 'JPN'",
                    layerCreationOptions=["GEOMETRY=AS_XY"])
    assert rows(env.store, "SELECT workforce_size FROM coal_mines WHERE iso3 = 'JPN'") == [("627",)]
    before = snapshot(env.store)
    r = env.upload(REVIEWER, source.read_bytes(), "coal_mines", "text/csv", key="gem_mine_id", country="JPN")
    assert snapshot(env.store) == before
    nothing_to_do(env, r, 1)


def test_geopackage_in_a_projected_crs_is_reprojected(env):
    """Two Myanmar mines moved in a GeoPackage in UTM 47N (EPSG:32647), by an administrator:
    stored in CRS84 at the positions osr projected from; only `status` and the geometry
    change."""
    keys = {"M1467": (96.7, 13.85), "M1468": (96.05, 20.45)}
    fids = {k: fid_of(env.store, k) for k in keys}
    before = table_rows(env.store, "coal_mines", "iso3 = 'MMR'")
    assert all(before[fids[k]]["status"] == "Operating" for k in keys)
    features = []
    for k, (lon, lat) in keys.items():
        x, y = project(lon, lat, 32647)
        assert 100_000 < x < 900_000 and 1_000_000 < y < 3_000_000  # metres, not degrees
        features.append(({"gem_mine_id": k, "status": "Shelved"}, f"POINT ({x!r} {y!r})"))
    path = write_vector(env.work / "mmr-32647.gpkg", "GPKG", [("gem_mine_id", ogr.OFTString),
                                                              ("status", ogr.OFTString)], features, epsg=32647)
    ds = gdal.OpenEx(str(path))
    assert ds.GetLayer(0).GetSpatialRef().GetAuthorityCode(None) == "32647"
    ds = None
    r = env.upload(ADMIN, path.read_bytes(), content_type="application/geopackage+sqlite3", key="gem_mine_id")
    cs = accepted(env, r, 202, ADMIN, summary(2, replaced=2))
    for c in changes_of(env.store, cs):
        key = c["properties"]["gem_mine_id"]
        assert same_point(c["geometry"], *keys[key], tol=1e-7), (key, c["geometry"].ExportToWkt())
    env.approve(cs)
    after = table_rows(env.store, "coal_mines", "iso3 = 'MMR'")
    assert sorted(after) == sorted(before)
    for fid, row in after.items():
        key = row["gem_mine_id"]
        if key not in keys:
            assert row == before[fid]
            continue
        assert same_point(gpkg_geometry(row["geom"]), *keys[key], tol=1e-7)
        assert {**row, "geom": None} == {**before[fid], "geom": None, "status": "Shelved"}


def test_flatgeobuf_in_web_mercator_merges_by_key(env):
    """A reviewer's FlatGeobuf (EPSG:3857) without a country: one Vietnamese mine moved and
    closed, one new mine inserted."""
    fid = fid_of(env.store, "M1087")
    before = table_rows(env.store, "coal_mines", "fid = ?", fid)[fid]
    x, y = project(106.3125, 21.0625, 3857)
    nx, ny = project(106.5, 21.25, 3857)
    path = write_vector(env.work / "vnm.fgb", "FlatGeobuf",
                        [("gem_mine_id", ogr.OFTString), ("status", ogr.OFTString), ("mine_name", ogr.OFTString),
                         ("iso3", ogr.OFTString), ("capacity_mtpa", ogr.OFTReal)],
                        [({"gem_mine_id": "M1087", "status": "Closed", "mine_name": before["mine_name"],
                           "iso3": "VNM", "capacity_mtpa": before["capacity_mtpa"]}, f"POINT ({x!r} {y!r})"),
                         ({"gem_mine_id": "M9991", "status": "Proposed", "mine_name": "FlatGeobuf pit", "iso3": "VNM",
                           "capacity_mtpa": 0.75}, f"POINT ({nx!r} {ny!r})")], epsg=3857)
    assert path.read_bytes()[:4] == b"fgb\x03"
    n = rows(env.store, "SELECT count(*) FROM coal_mines")[0][0]
    cs = accepted(env, env.upload(REVIEWER, path.read_bytes(), key="gem_mine_id"), 202, REVIEWER,
                  summary(2, inserted=1, replaced=1))
    env.approve(cs)
    row = table_rows(env.store, "coal_mines", "fid = ?", fid)[fid]
    assert same_point(gpkg_geometry(row["geom"]), 106.3125, 21.0625, tol=1e-7)
    assert {**row, "geom": None} == {**before, "geom": None, "status": "Closed"}
    new = table_rows(env.store, "coal_mines", "gem_mine_id = 'M9991'")
    assert len(new) == 1 and rows(env.store, "SELECT count(*) FROM coal_mines")[0][0] == n + 1
    (new,) = new.values()
    assert same_point(gpkg_geometry(new["geom"]), 106.5, 21.25, tol=1e-7)
    assert {k: v for k, v in new.items() if v is not None and k not in ("fid", "geom")} == {
        "gem_mine_id": "M9991", "status": "Proposed", "mine_name": "FlatGeobuf pit", "iso3": "VNM",
        "capacity_mtpa": 0.75}


def test_zipped_shapefile_with_truncated_field_names(env):
    """x.shp/.shx/.dbf/.prj in a zip; the DBF's 10-character names (gem_mine_i, capacity_m,
    opening_ye) stand for the properties they begin."""
    keys = {"M0134": (104.3185, 14.1855, 1.25, 2019), "M7194": (104.3425, 14.1865, 0.5, 2024)}
    fids = {k: fid_of(env.store, k) for k in keys}
    before = table_rows(env.store, "coal_mines", "iso3 = 'KHM'")
    d = env.work / "khm-shp"
    d.mkdir()
    write_vector(d / "x.shp", "ESRI Shapefile",
                 [("gem_mine_id", ogr.OFTString), ("status", ogr.OFTString), ("capacity_mtpa", ogr.OFTReal),
                  ("opening_year", ogr.OFTInteger)],
                 [({"gem_mine_id": k, "status": "Mothballed", "capacity_mtpa": cap, "opening_year": year},
                   f"POINT ({lon} {lat})") for k, (lon, lat, cap, year) in keys.items()], layers=("x",))
    assert field_names(d / "x.shp") == ["gem_mine_i", "status", "capacity_m", "opening_ye"]
    assert {p.suffix for p in d.iterdir()} >= {".shp", ".shx", ".dbf", ".prj"}
    cs = accepted(env, env.upload(REVIEWER2, zip_dir(d), content_type="application/zip", key="gem_mine_id",
                                  country="KHM"), 202, REVIEWER2, summary(2, replaced=2))
    env.approve(cs, REVIEWER)
    after = table_rows(env.store, "coal_mines", "iso3 = 'KHM'")
    assert sorted(after) == sorted(before) == sorted(fids.values())
    for k, (lon, lat, cap, year) in keys.items():
        row = after[fids[k]]
        assert same_point(gpkg_geometry(row["geom"]), lon, lat)
        assert {**row, "geom": None} == {**before[fids[k]], "geom": None, "status": "Mothballed",
                                         "capacity_mtpa": cap, "opening_year": year}
    assert rows(env.store, "SELECT typeof(opening_year), typeof(capacity_mtpa) FROM coal_mines WHERE fid = ?",
                fids["M0134"]) == [("integer", "real")]


def test_csv_of_key_and_status_keeps_geometry_and_other_columns(env):
    """A Malaysian editor's CSV of gem_mine_id and status only: the geometry and every other
    column keep their published values, byte for byte."""
    before = table_rows(env.store, "coal_mines", "iso3 = 'MYS'")
    by_key = {r["gem_mine_id"]: fid for fid, r in before.items()}
    assert sorted(by_key) == ["M1286", "M1375"]
    assert (before[by_key["M1286"]]["status"], before[by_key["M1375"]]["status"]) == ("Shelved", "Operating")
    body = b"gem_mine_id,status\r\nM1286,Operating\r\nM1375,Closed\r\n"
    cs = accepted(env, env.upload(MYS_EDITOR, body, content_type="text/csv", key="gem_mine_id"), 202, MYS_EDITOR,
                  summary(2, replaced=2))
    review = env.review(cs)
    assert all(c["geometryChanged"] is False and [p["name"] for p in c["properties"]] == ["status"]
               for c in review["changes"]), review["changes"]
    env.approve(cs)
    after = table_rows(env.store, "coal_mines", "iso3 = 'MYS'")
    assert after == {by_key["M1286"]: {**before[by_key["M1286"]], "status": "Operating"},
                     by_key["M1375"]: {**before[by_key["M1375"]], "status": "Closed"}}


def test_csv_with_lon_lat_columns(env):
    """A CSV with lon/lat columns (and a column named in capitals): a Korean mine moved and
    closed, a new one inserted."""
    fid = fid_of(env.store, "M1574")
    before = table_rows(env.store, "coal_mines", "fid = ?", fid)[fid]
    body = (b"gem_mine_id,STATUS,iso3,lon,lat\n"
            b"M1574,Closed,KOR,128.25,35.75\n"
            b"M9992,Proposed,KOR,127.5,36.125\n")
    cs = accepted(env, env.upload(REVIEWER, body, key="gem_mine_id", country="KOR"), 202, REVIEWER,
                  summary(2, inserted=1, replaced=1))
    env.approve(cs)
    row = table_rows(env.store, "coal_mines", "fid = ?", fid)[fid]
    assert same_point(gpkg_geometry(row["geom"]), 128.25, 35.75)
    assert {**row, "geom": None} == {**before, "geom": None, "status": "Closed"}
    (new,) = table_rows(env.store, "coal_mines", "gem_mine_id = 'M9992'").values()
    assert same_point(gpkg_geometry(new["geom"]), 127.5, 36.125)
    assert (new["status"], new["iso3"], new["mine_name"]) == ("Proposed", "KOR", None)


def test_kml_placemarks_by_name(env):
    """KML (GDAL's KML driver: a placemark's name and description) into `sites`, keyed by
    name, by the Thai editor: one site moved and described anew (its status and country
    kept), one new site, which gets the editor's country."""
    before = table_rows(env.store, "sites")
    doi = next(fid for fid, r in before.items() if r["name"] == "Doi Site")
    path = write_vector(env.work / "sites.kml", "KML", [("Name", ogr.OFTString), ("Description", ogr.OFTString)],
                        [({"Name": "Doi Site", "Description": "resurveyed 2025"}, "POINT (99.0125 18.0250)"),
                         ({"Name": "New Site", "Description": "found 2025"}, "POINT (99.25 18.125)")],
                        layers=("sites",))
    assert b"<kml" in path.read_bytes()[:500]
    assert [p["Name"] for p, _ in ogr_features(path)] == ["Doi Site", "New Site"]  # what GDAL reads of it
    cs = accepted(env, env.upload(THA_EDITOR, path.read_bytes(), "sites", "application/vnd.google-earth.kml+xml",
                                  key="name"), 202, THA_EDITOR, summary(2, inserted=1, replaced=1))
    env.approve(cs)
    after = table_rows(env.store, "sites")
    assert same_point(gpkg_geometry(after[doi]["geom"]), 99.0125, 18.025)
    assert {**after[doi], "geom": None} == {**before[doi], "geom": None, "description": "resurveyed 2025"}
    assert all(after[f] == before[f] for f in before if f != doi)
    (new,) = [r for f, r in after.items() if f not in before]
    assert same_point(gpkg_geometry(new["geom"]), 99.25, 18.125)
    assert (new["name"], new["description"], new["iso3"], new["status"]) == ("New Site", "found 2025", "THA", None)


def test_a_property_a_geojson_feature_omits_keeps_its_published_value(env):
    """Columns are per feature in GeoJSON: the existing mine gives only its status, the new
    one also a name; the existing mine keeps its published name, owners and country."""
    key, fid = rows(env.store, "SELECT gem_mine_id, min(fid) FROM coal_mines WHERE iso3 = 'CHN' AND mine_name IS NOT "
                               "NULL AND owners IS NOT NULL GROUP BY gem_mine_id HAVING count(*) = 1 "
                               "ORDER BY gem_mine_id LIMIT 1")[0]
    published = table_rows(env.store, "coal_mines", "fid = ?", fid)[fid]
    geometry = json.loads(gpkg_geometry(published["geom"]).ExportToJson())
    body = feature_collection(feature({"gem_mine_id": key, "status": "Closed"}, geometry=geometry),
                              feature({"gem_mine_id": "M9997", "status": "Proposed", "mine_name": "Omitting pit",
                                       "owners": "Someone", "iso3": "CHN"}, 113.5, 34.5))
    r = env.upload(REVIEWER, body, key="gem_mine_id", country="CHN")
    cs = accepted(env, r, 202, REVIEWER, summary(2, inserted=1, replaced=1))
    (replace,) = [c for c in changes_of(env.store, cs) if c["operation"] == "replace"]
    got = {k: replace["properties"][k] for k in ("status", "mine_name", "owners", "iso3")}
    assert got == {"status": "Closed", "mine_name": published["mine_name"], "owners": published["owners"],
                   "iso3": "CHN"}


# --------------------------------------------------------------------------- modes


def test_replace_without_key_swaps_the_countrys_features(env):
    """mode=replace without a key, by a reviewer naming the country: every Lao mine is
    deleted and the upload inserted; no other row changes."""
    lao = table_rows(env.store, "coal_mines", "iso3 = 'LAO'")
    assert len(lao) == 5
    others = dump_except(env.store, "coal_mines", "LAO")
    body = feature_collection(
        feature({"gem_mine_id": "L-1", "mine_name": "Lao one", "status": "Operating", "iso3": "LAO",
                 "capacity_mtpa": 3.0}, 102.25, 19.75),
        feature({"gem_mine_id": "L-2", "mine_name": "Lao two", "status": "Proposed", "iso3": "LAO"}, 101.5, 20.5))
    cs = accepted(env, env.upload(REVIEWER, body, content_type="application/geo+json", mode="replace", country="LAO"),
                  202, REVIEWER, summary(2, inserted=2, deleted=5))
    assert sorted(c["fid"] for c in changes_of(env.store, cs) if c["operation"] == "delete") == sorted(lao)
    env.approve(cs, ADMIN)
    after = table_rows(env.store, "coal_mines", "iso3 = 'LAO'")
    assert not set(after) & set(lao)
    got = sorted(((r["gem_mine_id"], {k: v for k, v in r.items() if v is not None and k not in ("fid", "geom")},
                   gpkg_geometry(r["geom"]).ExportToWkt()) for r in after.values()))
    got = [g[1:] for g in got]
    assert got == [({"gem_mine_id": "L-1", "mine_name": "Lao one", "status": "Operating", "iso3": "LAO",
                     "capacity_mtpa": 3.0}, "POINT (102.25 19.75)"),
                   ({"gem_mine_id": "L-2", "mine_name": "Lao two", "status": "Proposed", "iso3": "LAO"},
                    "POINT (101.5 20.5)")]
    assert dump_except(env.store, "coal_mines", "LAO") == others


def test_direct_publish_for_administrators(env):
    """mine_facilities publishes an administrator's writes at once: 200, published, the rows
    changed before anyone reviews. A reviewer's upload there still waits for review."""
    phl = table_rows(env.store, "mine_facilities", "iso3 = 'PHL'")
    fid, same = sorted(phl)[:2]
    key = phl[fid]["facility_id"]
    n = rows(env.store, "SELECT count(*) FROM mine_facilities")[0][0]
    body = feature_collection(
        feature({"facility_id": key, "comment": "checked by upload", "iso3": "PHL"},
                geometry=json.loads(gpkg_geometry(phl[fid]["geom"]).ExportToJson())),
        feature({"facility_id": phl[same]["facility_id"], "comment": phl[same]["comment"], "iso3": "PHL"},
                geometry=json.loads(gpkg_geometry(phl[same]["geom"]).ExportToJson())),  # as published
        feature({"facility_id": "UPLOAD-PHL-1", "comment": "Uploaded depot", "iso3": "PHL"},
                geometry={"type": "MultiPoint", "coordinates": [[121.125, 7.5]]}))
    r = env.upload(ADMIN, body, "mine_facilities", key="facility_id")
    cs = accepted(env, r, 200, ADMIN, summary(3, inserted=1, replaced=1, unchanged=1))
    assert r.json()["changeSet"]["reviewer"] == ADMIN
    assert rows(env.store, "SELECT count(*) FROM mine_facilities")[0][0] == n + 1
    row = table_rows(env.store, "mine_facilities", "fid = ?", fid)[fid]
    assert row == {**phl[fid], "comment": "checked by upload"}
    assert table_rows(env.store, "mine_facilities", "fid = ?", same)[same] == phl[same]
    (new,) = table_rows(env.store, "mine_facilities", "facility_id = 'UPLOAD-PHL-1'").values()
    assert (new["comment"], new["iso3"], new["facility_name"]) == ("Uploaded depot", "PHL", None)
    assert same_point(gpkg_geometry(new["geom"]), 121.125, 7.5)
    assert rows(env.store, "SELECT operation FROM amis_feature_versions WHERE change_set = ? ORDER BY fid", cs) == [
        ("replace",), ("insert",)]

    geometry = json.loads(gpkg_geometry(row["geom"]).ExportToJson())
    r = env.upload(REVIEWER, feature_collection(feature({"facility_id": key, "comment": "by a reviewer"},
                                                        geometry=geometry)), "mine_facilities", key="facility_id")
    accepted(env, r, 202, REVIEWER, summary(1, replaced=1))
    assert table_rows(env.store, "mine_facilities", "fid = ?", fid)[fid]["comment"] == "checked by upload"


def test_upload_into_a_draft(env):
    """changeset=<draft>: the upload's changes join the editor's draft (which stays a draft)
    and are published with it. Nobody else adds to it, and not once it is submitted."""
    fids = {k: fid_of(env.store, k) for k in ("M3301", "M3302", "M3303")}
    before = table_rows(env.store, "coal_mines", "iso3 = 'PHL'")
    r = env.call("POST", "/changesets", PHL_EDITOR, {"collection": "coal_mines", "title": "PHL survey"})
    assert r.status_code == 201, r.text
    d = r.json()["id"]
    r = env.call("PATCH", f"/collections/coal_mines/items/{fids['M3303']}", PHL_EDITOR,
                 {"properties": {"status": "Closed"}}, "application/merge-patch+json", params={"changeset": d})
    assert r.status_code == 202, r.text
    body = feature_collection(*(feature({"gem_mine_id": k, "status": "Mothballed"}, 121.0 + i / 8, 7.0)
                                for i, k in enumerate(("M3301", "M3302"))))
    r = env.upload(PHL_EDITOR, body, key="gem_mine_id", changeset=d)
    assert r.status_code == 202, r.text
    assert r.json()["changeSet"]["id"] == d and r.json()["changeSet"]["state"] == "draft"
    assert r.json()["summary"] == summary(2, replaced=2)
    assert r.headers["Location"] == f"{env.url}/changesets/{d}"
    assert [(c["operation"], c["fid"]) for c in changes_of(env.store, d)] == [
        ("replace", fids["M3303"]), ("replace", fids["M3301"]), ("replace", fids["M3302"])]
    assert change_set_row(env.store, d)["state"] == "draft"

    snap = snapshot(env.store)
    error(env.upload(THA_EDITOR, body, key="gem_mine_id", changeset=d), 404)
    error(env.upload(REVIEWER, body, key="gem_mine_id", changeset=d), 403)
    error(env.upload(PHL_EDITOR, body, key="gem_mine_id", changeset=99999999), 404)
    error(env.upload(PHL_EDITOR, body, key="gem_mine_id", changeset="x"), 400)
    assert snapshot(env.store) == snap

    assert env.call("POST", f"/changesets/{d}/submit", PHL_EDITOR).status_code == 200
    snap = snapshot(env.store)
    error(env.upload(PHL_EDITOR, body, key="gem_mine_id", changeset=d), 409)
    assert snapshot(env.store) == snap
    env.approve(d)
    after = table_rows(env.store, "coal_mines", "iso3 = 'PHL'")
    for k, status in (("M3301", "Mothballed"), ("M3302", "Mothballed"), ("M3303", "Closed")):
        assert after[fids[k]]["status"] == status
    assert same_point(gpkg_geometry(after[fids["M3302"]]["geom"]), 121.125, 7.0)
    assert after[fids["M3303"]]["geom"] == before[fids["M3303"]]["geom"]


def test_approval_is_atomic(env):
    """An upload of which one feature is changed by another change set approved first:
    approving it is a conflict, and none of its changes (nor its new feature) is applied."""
    fids = {k: fid_of(env.store, k) for k in ("M3304", "M3305")}
    body = feature_collection(feature({"gem_mine_id": "M3304", "status": "Shelved"}, 121.25, 6.5),
                              feature({"gem_mine_id": "M3305", "status": "Shelved"}, 121.375, 6.5),
                              feature({"gem_mine_id": "M9993", "status": "Proposed", "iso3": "PHL"}, 121.5, 6.5))
    cs = accepted(env, env.upload(REVIEWER, body, key="gem_mine_id", country="PHL"), 202, REVIEWER,
                  summary(3, inserted=1, replaced=2))
    r = env.call("PATCH", f"/collections/coal_mines/items/{fids['M3305']}", REVIEWER2,
                 {"properties": {"capacity_mtpa": 1.5}}, "application/merge-patch+json")
    assert r.status_code == 202, r.text
    env.approve(r.json()["changeSet"]["id"], ADMIN)
    before = snapshot(env.store, ("coal_mines", "amis_feature_versions", "rtree_coal_mines_geom"))
    review = env.review(cs)
    flagged = [c["featureId"] for c in review["changes"] if any(p.startswith("conflict") for p in c["problems"])]
    assert flagged == [fids["M3305"]], review["changes"]
    r = env.call("POST", f"/changesets/{cs}/approve", ADMIN, {"comment": "ok"})
    d = error(r, 409, "Conflict")
    assert str(fids["M3305"]) in d["description"]
    assert snapshot(env.store, ("coal_mines", "amis_feature_versions", "rtree_coal_mines_geom")) == before
    assert change_set_row(env.store, cs)["state"] == "submitted"
    assert rows(env.store, "SELECT count(*) FROM coal_mines WHERE gem_mine_id = 'M9993'") == [(0,)]


# --------------------------------------------------------------------------- who may upload what


def _idn_key(env: Env) -> tuple[str, int]:
    key, fid = rows(env.store, "SELECT gem_mine_id, min(fid) FROM coal_mines WHERE iso3 = 'IDN' GROUP BY gem_mine_id "
                               "HAVING count(*) = 1 ORDER BY gem_mine_id LIMIT 1")[0]
    return key, fid


MATRIX = [
    # user, query parameters, status (None: 401 without a token)
    (None, {}, 401), (FORGED, {}, 401),
    (IDN_EDITOR, {}, 202), (IDN_EDITOR, {"country": "IDN"}, 202), (IDN_EDITOR, {"country": "VNM"}, 403),
    (THA_EDITOR, {}, 403), (THA_EDITOR, {"country": "IDN"}, 403),
    (REVIEWER, {}, 202), (REVIEWER, {"country": "IDN"}, 202),
    (ADMIN, {}, 202), (ADMIN, {"country": "IDN"}, 202),
]


@pytest.mark.parametrize("user, params, status", MATRIX,
                         ids=[f"{u or 'anonymous'}-{p.get('country', 'none')}-{s}" for u, p, s in MATRIX])
def test_upload_permission_matrix(env, user, params, status):
    """An Indonesian mine's status, uploaded by each role: editors for their own country only
    (a country= of another is 403), reviewers and administrators with or without country=,
    all through review on coal_mines. Refusals record nothing; nothing is published."""
    key, fid = _idn_key(env)
    body = feature_collection(feature({"gem_mine_id": key, "iso3": "IDN", "status": "Closed"}, 110.4, -7.3))
    before = snapshot(env.store)
    r = env.upload(user, body, key="gem_mine_id", **params)
    if status != 202:
        error(r, status, {401: "Unauthorized", 403: "Forbidden"}[status])
        if status == 401:
            assert r.headers.get("WWW-Authenticate", "").lower().startswith("bearer")
        assert snapshot(env.store) == before
        return
    cs = accepted(env, r, 202, user, summary(1, replaced=1))
    assert [(c["operation"], c["fid"], c["properties"]["status"]) for c in changes_of(env.store, cs)] == [
        ("replace", fid, "Closed")]
    after = snapshot(env.store)
    for table in ("coal_mines", "amis_feature_versions", "rtree_coal_mines_geom"):
        assert after[table] == before[table], f"{table} changed before any review"


def test_editor_features_get_their_country_and_other_countries_are_forbidden(env):
    """An Indonesian editor's new feature without iso3 is filed under IDN; an upload holding
    one feature of another country is refused whole (merge or replace) and records nothing."""
    key, _ = _idn_key(env)
    body = feature_collection(feature({"gem_mine_id": "M9994", "status": "Proposed"}, 110.5, -7.25))
    r = env.upload(IDN_EDITOR, body, key="gem_mine_id")
    cs = accepted(env, r, 202, IDN_EDITOR, summary(1, inserted=1))
    assert changes_of(env.store, cs)[0]["properties"]["iso3"] == "IDN"

    before = snapshot(env.store)
    mixed = feature_collection(feature({"gem_mine_id": key, "status": "Shelved"}, 110.4, -7.3),
                               feature({"gem_mine_id": "M9995", "iso3": "VNM", "status": "Proposed"}, 105.85, 21.03))
    for params in ({}, {"mode": "replace"}):
        d = error(env.upload(IDN_EDITOR, mixed, key="gem_mine_id", **params), 403, "Forbidden")
        assert "VNM" in d["description"], d
    assert snapshot(env.store) == before


def test_a_refused_upload_into_a_draft_leaves_the_draft_alone(env):
    r = env.call("POST", "/changesets", IDN_EDITOR, {"collection": "coal_mines"})
    d = r.json()["id"]
    key, fid = _idn_key(env)
    body = feature_collection(feature({"gem_mine_id": key, "status": "Shelved"}, 110.4, -7.3))
    assert env.upload(IDN_EDITOR, body, key="gem_mine_id", changeset=d).status_code == 202
    before = snapshot(env.store)
    for bad, status in ((feature_collection(feature({"gem_mine_id": key, "status": "Closed"}, 110.4, -7.3),
                                            feature({"gem_mine_id": "M9996", "iso3": "MYS"}, 110.5, 1.5)), 403),
                        (feature_collection(feature({"gem_mine_id": key, "status": "Closed"}, 110.4, -7.3),
                                            feature({"gem_mine_id": "M9996", "capacity_mtpa": "x"}, 110.5, 1.5)),
                         400)):
        error(env.upload(IDN_EDITOR, bad, key="gem_mine_id", changeset=d), status)
    assert snapshot(env.store) == before
    assert [(c["fid"], c["properties"]["status"]) for c in changes_of(env.store, d)] == [(fid, "Shelved")]


def test_collections_without_a_country_property(env):
    """observations has no iso3: editors may not upload to it at all, a replacing upload
    (which replaces one country's features) is refused even for a reviewer, and a reviewer's
    merge works, with date-times given in any offset stored as the instant they name."""
    seq, fid = rows(env.store, "SELECT seq, fid FROM observations ORDER BY fid LIMIT 1")[0]
    before = snapshot(env.store)
    path = env.work / "observations.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    lyr = ds.CreateLayer("obs", srs(4326), ogr.wkbPoint)
    lyr.CreateField(ogr.FieldDefn("seq", ogr.OFTInteger))
    lyr.CreateField(ogr.FieldDefn("observed", ogr.OFTDateTime))
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetField("seq", seq)
    f.SetField("observed", 2030, 1, 1, 7, 30, 0, 100 + 7 * 4)  # 07:30 at +07:00
    f.SetGeometry(ogr.CreateGeometryFromWkt("POINT (100.25 10.5)"))
    lyr.CreateFeature(f)
    ds = None
    body = path.read_bytes()
    d = error(env.upload(IDN_EDITOR, body, "observations", key="seq"), 403, "Forbidden")
    assert "country" in d["description"], d
    error(env.upload(REVIEWER, body, "observations", key="seq", mode="replace", country="IDN"), 400, mentions="country")
    error(env.upload(REVIEWER, feature_collection(feature({"seq": seq, "observed": "2030-01-01"}, 100.25, 10.5)),
                     "observations", key="seq"), 400, "InvalidValue", "observed")
    assert snapshot(env.store) == before
    cs = accepted(env, env.upload(REVIEWER, body, "observations", key="seq"), 202, REVIEWER, summary(1, replaced=1))
    (change,) = changes_of(env.store, cs)
    assert change["fid"] == fid and same_point(change["geometry"], 100.25, 10.5)
    observed = datetime.fromisoformat(change["properties"]["observed"].replace("Z", "+00:00"))
    assert observed == datetime(2030, 1, 1, 0, 30, tzinfo=timezone.utc)


# --------------------------------------------------------------------------- bad input


def _gj(*props: dict) -> bytes:
    return feature_collection(*(feature(p, 110.4, -7.3) for p in props))


def _gpkg(env: Env, name: str, features, layers=("upload",)) -> bytes:
    return write_vector(env.work / name, "GPKG", [("gem_mine_id", ogr.OFTString), ("status", ogr.OFTString)],
                        features, layers=layers).read_bytes()


def _plain_sqlite(env: Env) -> bytes:
    path = env.work / "plain.sqlite"
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE mines (gem_mine_id TEXT, status TEXT)")
        db.execute("INSERT INTO mines VALUES ('M0953', 'Closed')")
        db.commit()
    return path.read_bytes()


def _bomb() -> bytes:
    z = zip_of([("a.geojson", _gj({"gem_mine_id": "M0953"})), ("padding.txt", b" " * (20 << 20))])
    assert len(z) < 1 << 20  # 20 MB of spaces in a few kilobytes
    return z


def _over_512_mb() -> bytes:
    """More than 512 MB unpacked, but less than 200 times the zip's size."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("a.geojson", _gj({"gem_mine_id": "M0953"}))
        with z.open("zeros.bin", "w") as w:
            chunk = bytes(8 << 20)
            for _ in range(65):
                w.write(chunk)
        z.writestr(zipfile.ZipInfo("noise.bin"), hashlib.shake_256(b"amis").digest(3 << 20))
    data = buf.getvalue()
    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert unpacked > 512 << 20 and unpacked < 200 * len(data) and len(data) < 15 << 20, (unpacked, len(data))
    return data


def _ambiguous_shapefile(env: Env) -> bytes:
    d = env.work / "ambiguous-shp"
    d.mkdir(exist_ok=True)
    write_vector(d / "x.shp", "ESRI Shapefile", [("gem_mine_id", ogr.OFTString), ("mine_name_", ogr.OFTString)],
                 [({"gem_mine_id": "M0953", "mine_name_": "x"}, "POINT (99.7 18.3)")], layers=("x",))
    return zip_dir(d)


GOOD = {"gem_mine_id": "M0953", "status": "Closed"}
BOW_TIE = {"type": "MultiPolygon", "coordinates": [[[[110, -7], [111, -6], [111, -7], [110, -6], [110, -7]]]]}

BAD = [
    # id, collection, body (bytes or a function of env), query parameters, status, a word of the description
    ("empty", "coal_mines", b"", {}, 400, "empty"),
    ("blank", "coal_mines", b" \r\n\t ", {}, 400, "empty"),
    ("garbage", "coal_mines", bytes(range(256)) * 8, {}, 400, "not a dataset"),
    ("truncated-geojson", "coal_mines", _gj(GOOD)[:60], {}, 400, None),
    ("gml", "coal_mines", b'<?xml version="1.0"?><wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0">'
                          b'</wfs:FeatureCollection>', {}, 400, "XML"),
    ("truncated-zip", "coal_mines", lambda env: zip_of([("a.geojson", _gj(GOOD))])[:150], {}, 400, "zip"),
    ("zip-dotdot", "coal_mines", lambda env: zip_of([("../a.geojson", _gj(GOOD))]), {}, 400, "../a.geojson"),
    ("zip-dotdot-inner", "coal_mines", lambda env: zip_of([("data/../../a.geojson", _gj(GOOD))]), {}, 400, "entry"),
    ("zip-dotdot-extra", "coal_mines",
     lambda env: zip_of([("a.geojson", _gj(GOOD)), ("../../etc/cron.d/x", b"* * * * * root true\n")]), {}, 400,
     "entry"),
    ("zip-absolute", "coal_mines", lambda env: zip_of([("/tmp/a.geojson", _gj(GOOD))]), {}, 400, "entry"),
    ("zip-backslash", "coal_mines", lambda env: zip_of([("data\\a.geojson", _gj(GOOD))]), {}, 400, "entry"),
    ("zip-colon", "coal_mines", lambda env: zip_of([("C:a.geojson", _gj(GOOD))]), {}, 400, "entry"),
    ("zip-1001-entries", "coal_mines",
     lambda env: zip_of([("a.geojson", _gj(GOOD))] + [(f"f{i:04d}.txt", b"") for i in range(1000)]), {}, 400, "1000"),
    ("zip-bomb", "coal_mines", lambda env: _bomb(), {}, 400, "200 times"),
    ("zip-over-512-mb", "coal_mines", lambda env: _over_512_mb(), {}, 400, "512 MB"),
    ("zip64-sizes", "coal_mines", lambda env: zip64_of("a.geojson", _gj(GOOD), False), {}, 400, "ZIP64"),
    ("zip64-end-record", "coal_mines", lambda env: zip64_of("a.geojson", _gj(GOOD), True), {}, 400, "ZIP64"),
    ("zip-no-dataset", "coal_mines", lambda env: zip_of([("readme.txt", b"mines")]), {}, 400, "no dataset"),
    ("zip-two-datasets", "coal_mines",
     lambda env: zip_of([("a.geojson", _gj(GOOD)), ("b/c.csv", b"gem_mine_id\nM1\n")]), {}, 400, "2 datasets"),
    ("shapefile-ambiguous-name", "coal_mines", _ambiguous_shapefile, {}, 400, "mine_name_"),
    ("multi-layer-gpkg", "coal_mines",
     lambda env: _gpkg(env, "two-layers.gpkg", [(GOOD, "POINT (99.7 18.3)")], layers=("a", "b")), {}, 400, "2 layers"),
    ("plain-sqlite", "coal_mines", _plain_sqlite, {}, 400, "not a dataset"),
    ("unknown-columns", "coal_mines", _gj({**GOOD, "colour": "red", "Size": 3}), {}, 400, "colour, Size"),
    ("wrong-type", "coal_mines", _gj({**GOOD, "capacity_mtpa": "big"}), {}, 400, "capacity_mtpa"),
    ("wrong-geometry-type", "coal_mines",
     feature_collection(feature(GOOD, geometry={"type": "LineString", "coordinates": [[99, 18], [100, 18]]})),
     {}, 400, "POINT"),
    ("longitude-out-of-range", "coal_mines", feature_collection(feature(GOOD, 200.0, 18.0)), {}, 400, "longitude"),
    ("latitude-out-of-range-gpkg", "coal_mines", lambda env: _gpkg(env, "lat95.gpkg", [(GOOD, "POINT (99.7 95)")]),
     {}, 400, "latitude"),
    ("invalid-polygon", "coal_mine_boundaries",
     feature_collection(feature({"mine_name": "bow tie", "iso3": "IDN"}, geometry=BOW_TIE)), {"key": "mine_name"},
     400, "valid"),
    ("key-missing", "coal_mines", _gj(GOOD, {"status": "Closed"}), {}, 400, "gem_mine_id"),
    ("key-twice", "coal_mines", _gj(GOOD, {**GOOD, "status": "Shelved"}), {}, 400, "twice"),
    ("key-names-two-published", "coal_mines", _gj({"gem_mine_id": "M0751", "status": "Closed"}), {"country": "PHL"},
     400, "2 published features"),
    ("key-not-a-property", "coal_mines", _gj(GOOD), {"key": "colour"}, 400, "colour"),
    ("merge-without-key", "coal_mines", _gj(GOOD), {"key": None}, 400, "key"),
    ("replace-without-country", "coal_mines", _gj(GOOD), {"mode": "replace"}, 400, "country"),
    ("mode-unknown", "coal_mines", _gj(GOOD), {"mode": "append"}, 400, "mode"),
    ("country-unknown", "coal_mines", _gj(GOOD), {"country": "XYZ"}, 400, "country"),
    ("changeset-not-an-id", "coal_mines", _gj(GOOD), {"changeset": "abc"}, 400, "changeset"),
    ("unknown-parameter", "coal_mines", _gj(GOOD), {"format": "geojson"}, 400, "format"),
    ("no-collection", "nowhere", _gj(GOOD), {}, 404, None),
]


@pytest.mark.parametrize("collection, body, params, status, mentions", [c[1:] for c in BAD],
                         ids=[c[0] for c in BAD])
def test_bad_uploads_are_refused_and_change_nothing(env, collection, body, params, status, mentions):
    data = body(env) if callable(body) else body
    params = {k: v for k, v in {"key": "gem_mine_id", **params}.items() if v is not None}
    before = snapshot(env.store)
    error(env.upload(REVIEWER, data, collection, **params), status, mentions=mentions)
    assert snapshot(env.store) == before
    assert env.server.alive()


def _unchanged_idn(env: Env) -> bytes:
    """One Indonesian mine as published (its key, status and geometry)."""
    key, fid = _idn_key(env)
    status, geom = rows(env.store, "SELECT status, geom FROM coal_mines WHERE fid = ?", fid)[0]
    return feature_collection(feature({"gem_mine_id": key, "status": status},
                                      geometry=json.loads(gpkg_geometry(geom).ExportToJson())))


def test_zips_that_are_fine(env):
    """What the zip checks must not refuse: a dataset in a folder, a name with '..' inside a
    component, macOS resource forks, exactly 1000 entries."""
    unchanged = _unchanged_idn(env)
    for entries in ([("data/mines.geojson", unchanged)],
                    [("a..b.geojson", unchanged)],
                    [("mines.geojson", unchanged), ("__MACOSX/._mines.geojson", b"\x00\x05\x16\x07")],
                    [("mines.geojson", unchanged)] + [(f"f{i:03d}.txt", b"") for i in range(999)]):
        nothing_to_do(env, env.upload(REVIEWER, zip_of(entries), key="gem_mine_id"), 1)


def test_uploads_are_unpacked_in_the_servers_temporary_directory(env):
    """The emptiness checks after each upload mean something only if the server writes its
    files there: with TMPDIR made a plain file the upload fails (and the server lives on)."""
    before = snapshot(env.store)
    body = _gj(GOOD)
    env.tmpdir.rmdir()
    env.tmpdir.write_bytes(b"")
    try:
        r = env.s.post(f"{env.url}/collections/coal_mines/upload", data=body, params={"key": "gem_mine_id"},
                       headers=env.auth(REVIEWER), timeout=60)
    finally:
        env.tmpdir.unlink()
        env.tmpdir.mkdir()
    assert r.status_code == 500, r.text
    assert snapshot(env.store) == before
    nothing_to_do(env, env.upload(REVIEWER, _unchanged_idn(env), key="gem_mine_id"), 1)


def test_upload_route_methods(env):
    r = env.call("GET", "/collections/coal_mines/upload", REVIEWER)
    error(r, 405)
    assert "POST" in {m.strip() for m in r.headers["Allow"].split(",")}
    error(env.call("PUT", "/collections/coal_mines/upload", REVIEWER, b"{}"), 405)
