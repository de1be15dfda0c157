"""Restricted collections (issue 6): amis.toml's [access.collections.<id>] read = [...]
names the roles and member states that may read a collection; administrators read
everything, and for anyone else the collection does not exist: it is missing from every
list (OGC API, OpenAPI, WFS, WMS, WMTS, tiles, styles) and every request naming it is a
404 or the protocol's "no such layer" error, exactly as for a collection that is not there.

On a store and servers of their own: the server under test with two restricted
collections, and a reference server over an unchanged copy of the store with no
restrictions and no tile cache (for the tiles that callers should get).

Callers: anonymous, an invalid bearer token, a Basic header, an administrator, the
bootstrap [admin] token, a reviewer, editors of Thailand, Viet Nam and Indonesia (bearer
tokens from `amis token create`), the Thai editor through a login session cookie, and a Thai
editor whose account is disabled (`amis user disable`) while the server runs.

Oracles, none of them the output of the server under test:
- the access rules written here into amis.toml, evaluated here (ACCESS, may_read);
- sqlite3 reads of the store: which collections exist (amis_collections), how many features
  each has, which features lie in a tile, and digests of the tables a refused write must
  leave alone;
- OWSLib (WFS 2.0, WMS 1.3.0, WMTS) and GDAL (OAPIF and WFS drivers, with and without
  GDAL_HTTP_HEADERS) listing what each caller sees;
- the MVT decoder of tiles_support, and tiles drawn by the unrestricted reference server for
  exactly the collections a caller may read.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import math
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import requests
from osgeo import gdal

import styles_support as ss
import tiles_support as ts
import wfs_support as ws
import wms_support as wm
from support import AMIS_BIN, AmisServer, http_session, store_datasource
from store_support import add_users, amis, ro, rows, table_digests

PASSWORD = "correct horse battery staple"
BOOTSTRAP = "bootstrap-token-for-the-restricted-collection-tests-91c2"  # >= 24 characters
JSON = "application/json"
GEOJSON = "application/geo+json"

# name -> (role, country) of the accounts made with `amis user add`
ACCOUNTS = {
    "secretariat": ("admin", None),
    "expert": ("reviewer", None),
    "tha-editor": ("editor", "THA"),
    "vnm-editor": ("editor", "VNM"),
    "idn-editor": ("editor", "IDN"),
    "tha-leaver": ("editor", "THA"),  # disabled during test_disabled_account_reads_as_anonymous
}

# The rules written into amis.toml (and the oracle of who reads what).
ACCESS = {
    "mine_facilities": ["reviewer", "THA"],
    "coal_mine_boundaries": ["IDN"],
}
RESTRICTED = sorted(ACCESS)
MISSING = "no_such_layer"  # a collection that does not exist, to compare answers with

# caller -> (role, country) it acts as; None: anonymous
CALLERS: dict[str, tuple[str, str | None] | None] = {
    "anonymous": None,
    "bad-token": None,       # invalid credentials on a read count as none
    "basic-auth": None,      # Basic with the login password: only an API token is a Basic password
    "admin": ACCOUNTS["secretariat"],
    "bootstrap": ("admin", None),
    "reviewer": ACCOUNTS["expert"],
    "tha-editor": ACCOUNTS["tha-editor"],
    "vnm-editor": ACCOUNTS["vnm-editor"],
    "idn-editor": ACCOUNTS["idn-editor"],
    "tha-session": ACCOUNTS["tha-editor"],  # the Thai editor, signed in with a cookie
}
TOKEN_OF = {"admin": "secretariat", "reviewer": "expert", "tha-editor": "tha-editor",
            "vnm-editor": "vnm-editor", "idn-editor": "idn-editor"}


def may_read(caller: str, collection: str) -> bool:
    rule = ACCESS.get(collection)
    if rule is None:
        return True
    who = CALLERS[caller]
    if who is None:
        return False
    role, country = who
    return role == "admin" or role in rule or (role == "editor" and country in rule)


def config_text(restricted: bool) -> str:
    text = f'[server]\nlog_level = "info"\n\n[admin]\ntoken = "{BOOTSTRAP}"\n'
    if restricted:
        for collection, readers in ACCESS.items():
            text += f"\n[access.collections.{collection}]\nread = {json.dumps(readers)}\n"
    return text


# A style for mine_facilities, so that its styles are listed somewhere to be hidden.
FACILITY_SLD = """<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor version="1.1.0" xmlns="http://www.opengis.net/sld" xmlns:se="http://www.opengis.net/se"
  xmlns:ogc="http://www.opengis.net/ogc">
  <NamedLayer>
    <se:Name>mine_facilities</se:Name>
    <UserStyle>
      <se:Name>red-squares</se:Name>
      <se:Description><se:Title>Facilities as red squares</se:Title></se:Description>
      <se:FeatureTypeStyle><se:Rule><se:PointSymbolizer><se:Graphic><se:Mark>
        <se:WellKnownName>square</se:WellKnownName>
        <se:Fill><se:SvgParameter name="fill">#ff0000</se:SvgParameter></se:Fill>
      </se:Mark><se:Size>9</se:Size></se:Graphic></se:PointSymbolizer></se:Rule></se:FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
"""
STYLE_OF = {"mine_facilities": "red-squares", "coal_mine_boundaries": "outline"}


# --------------------------------------------------------------------------- the store, read directly



def snapshot(store: Path, tables: tuple[str, ...]) -> dict[str, str]:
    """table -> SHA-256 of all its rows in rowid order."""
    return table_digests(store, tables)


WATCHED = ("mine_facilities", "coal_mine_boundaries", "amis_change_sets", "amis_changes",
           "amis_feature_versions", "amis_audit", "amis_collections", "amis_styles")


def store_collections(store: Path) -> list[str]:
    return sorted(r[0] for r in rows(store, "SELECT id FROM amis_collections"))


def feature_count(store: Path, collection: str) -> int:
    return rows(store, f'SELECT count(*) FROM "{collection}"')[0][0]


def fids_in_box(store: Path, collection: str, box: tuple[float, float, float, float]) -> list[int]:
    """Features whose envelope meets a lon/lat box, from the GeoPackage's R-tree."""
    minx, miny, maxx, maxy = box
    return [r[0] for r in rows(store, f'SELECT id FROM "rtree_{collection}_geom" WHERE maxx >= ? AND minx <= ? '
                                      "AND maxy >= ? AND miny <= ?", minx, maxx, miny, maxy)]


# --------------------------------------------------------------------------- the servers



@dataclass
class Env:
    store: Path
    work: Path
    server: AmisServer
    reference: AmisServer  # unrestricted, over an unchanged copy, no tile cache
    cache_dir: Path
    s: requests.Session
    tokens: dict[str, str]
    cookie: str
    csrf: str
    public: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    def headers(self, caller: str) -> dict[str, str]:
        if caller in TOKEN_OF:
            return {"Authorization": f"Bearer {self.tokens[TOKEN_OF[caller]]}"}
        if caller == "bootstrap":
            return {"Authorization": f"Bearer {BOOTSTRAP}"}
        if caller == "bad-token":
            return {"Authorization": "Bearer amis_" + "A" * 43}
        if caller == "basic-auth":
            return {"Authorization": "Basic c2VjcmV0YXJpYXQ6Y29ycmVjdCBob3JzZQ=="}
        if caller == "tha-session":
            return {"Cookie": f"amis_session={self.cookie}"}
        assert caller == "anonymous", caller
        return {}

    def get(self, caller: str, path: str, params: dict | None = None, base: str | None = None,
            headers: dict | None = None) -> requests.Response:
        h = self.headers(caller)
        h.update(headers or {})
        return self.s.get((base or self.url) + path, params=params, headers=h, timeout=60)

    def call(self, method: str, caller: str, path: str, body: Any = None, content_type: str | None = None,
             params: dict | None = None) -> requests.Response:
        data = body if body is None or isinstance(body, (bytes, str)) else json.dumps(body)
        h = self.headers(caller)
        if data is not None:
            h["Content-Type"] = content_type or JSON
        if caller == "tha-session" and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        return self.s.request(method, self.url + path, data=data, headers=h, params=params, timeout=60)

    def visible(self, caller: str) -> list[str]:
        return [c for c in store_collections(self.store) if may_read(caller, c)]


def stop_checked(srv: AmisServer) -> None:
    alive = srv.alive()
    status = srv.stop()
    assert alive, f"amis serve ({srv.name}) died during the restricted-collection tests:\n{srv.stderr()[-3000:]}"
    assert status == 0, srv.stderr()[-3000:]


@pytest.fixture(scope="module")
def env(tmp_path_factory, store_path):
    work = tmp_path_factory.mktemp("restricted")
    store = ss.copy_store(store_path, work / "store.gpkg")
    ss.add_demo_styles(store)
    sld = work / "mine_facilities-red-squares.sld"
    sld.write_text(FACILITY_SLD)
    r = amis("style", "add", "--store", store, "--collection", "mine_facilities", "--name", "red-squares", sld)
    assert r.returncode == 0, r.stderr
    tokens = add_users(store, ACCOUNTS, PASSWORD)
    assert set(ACCESS) <= set(store_collections(store)), store_collections(store)

    ref_dir = work / "reference"
    ref_dir.mkdir()
    ref_store = ss.copy_store(store, ref_dir / "store.gpkg")
    (ref_dir / "amis.toml").write_text(config_text(False) + "\n[tiles]\ncache_max_mb = 0\n")
    reference = AmisServer(ref_store, ref_dir, name="reference", config=ref_dir / "amis.toml")

    cache_dir = work / "tile-cache"
    config = work / "amis.toml"
    config.write_text(config_text(True) + f'\n[tiles]\ncache_dir = "{cache_dir}"\n')
    srv = AmisServer(store, work, name="restricted", config=config)
    srv.start()
    try:
        reference.start()
        with http_session() as s:
            r = s.post(srv.url + "/login", json={"user": "tha-editor", "password": PASSWORD}, timeout=60)
            assert r.status_code == 200, r.text
            cookie = r.cookies.get("amis_session")
            assert cookie, r.headers
            e = Env(store, work, srv, reference, cache_dir, s, tokens, cookie, r.json()["csrfToken"])
            e.public = [c for c in store_collections(store) if c not in ACCESS]
            s.cookies.clear()  # every cookie a request sends is one a test names
            yield e
    finally:
        if reference.process is not None:
            stop_checked(reference)
        stop_checked(srv)


def same_as_missing(env: Env, caller: str, path: str, restricted: str, params: dict | None = None,
                    method: str = "GET", body: Any = None, content_type: str | None = None) -> requests.Response:
    """The answer about a restricted collection is the answer about one that does not exist
    (status, media type and body, with the names swapped): nothing tells them apart."""
    def ask(name: str) -> requests.Response:
        p = {k: v.replace("{c}", name) for k, v in (params or {}).items()}
        b = body.replace("{c}", name) if isinstance(body, str) else body
        if method == "GET":
            return env.get(caller, path.replace("{c}", name), p or None)
        return env.call(method, caller, path.replace("{c}", name), b, content_type, p or None)

    hidden, missing = ask(restricted), ask(MISSING)
    what = f"{caller}: {method} {path.replace('{c}', restricted)} {params or ''}"
    assert 400 <= hidden.status_code < 500, f"{what}: HTTP {hidden.status_code}: {hidden.text[:300]}"
    assert hidden.status_code == missing.status_code, (
        f"{what}: HTTP {hidden.status_code}, but {missing.status_code} for a collection that does not exist")
    assert hidden.headers.get("Content-Type") == missing.headers.get("Content-Type"), what
    assert hidden.text.replace(restricted, MISSING) == missing.text, (
        f"{what}: {hidden.text[:300]}\n  differs from the answer for {MISSING}: {missing.text[:300]}")
    return hidden


HIDDEN_CASES = [(c, r) for c in CALLERS for r in RESTRICTED if not may_read(c, r)]
READER_CASES = [(c, r) for c in CALLERS for r in RESTRICTED if may_read(c, r)]


def case_id(case) -> str:
    return f"{case[0]}-{case[1]}"


# --------------------------------------------------------------------------- the oracle itself


def test_the_rules_split_the_callers():
    """Self-check: each restricted collection has callers who read it and callers who do not."""
    for c in RESTRICTED:
        readers = {k for k in CALLERS if may_read(k, c)}
        assert {"admin", "bootstrap"} <= readers
        assert {"anonymous", "bad-token", "basic-auth", "vnm-editor"}.isdisjoint(readers)
    assert may_read("reviewer", "mine_facilities") and not may_read("reviewer", "coal_mine_boundaries")
    assert may_read("idn-editor", "coal_mine_boundaries") and not may_read("idn-editor", "mine_facilities")


# --------------------------------------------------------------------------- OGC API - Features


@pytest.mark.parametrize("caller", list(CALLERS))
def test_collections_and_api_definition_list_what_the_caller_may_read(env, caller):
    want = env.visible(caller)
    r = env.get(caller, "/collections")
    assert r.status_code == 200, r.text[:300]
    assert sorted(c["id"] for c in r.json()["collections"] if c["itemType"] == "feature") == want
    api = env.get(caller, "/api")
    assert api.status_code == 200, api.text[:300]
    in_paths = {p.split("/")[2] for p in api.json()["paths"] if p.startswith("/collections/")} - {"{collectionId}"}
    assert sorted(in_paths - {"catalog"}) == want  # the Records catalogue is public
    html = env.get(caller, "/collections", {"f": "html"}).text
    for c in store_collections(env.store):
        assert (f"/collections/{c}" in html) == (c in want), f"{c} in the HTML list for {caller}"


RESOURCE_PATHS = [
    "/collections/{c}", "/collections/{c}/", "/collections/{c}/queryables", "/collections/{c}/items",
    "/collections/{c}/items/{fid}", "/collections/{c}/items/{fid}/history",
    "/collections/{c}/tiles", "/collections/{c}/tiles/WebMercatorQuad",
    "/collections/{c}/tiles/WebMercatorQuad/0/0/0", "/collections/{c}/map/tiles",
    "/collections/{c}/map/tiles/WorldCRS84Quad/0/0/1", "/collections/{c}/styles",
    "/collections/{c}/styles/{style}", "/collections/{c}/styles/{style}/map/tiles/WebMercatorQuad/0/0/0",
]


def first_fid(env: Env, collection: str) -> int:
    return rows(env.store, f'SELECT min(fid) FROM "{collection}"')[0][0]


@pytest.mark.parametrize("case", HIDDEN_CASES, ids=case_id)
def test_every_resource_of_a_hidden_collection_is_a_404_like_a_missing_one(env, case):
    caller, restricted = case
    fid = first_fid(env, restricted)
    for path in RESOURCE_PATHS:
        p = path.replace("{fid}", str(fid)).replace("{style}", STYLE_OF[restricted])
        r = same_as_missing(env, caller, p, restricted)
        assert r.status_code == 404, f"{caller} {p}: {r.status_code}"
    # downloads, HTML, the history's asOf, and the id written with an escaped character
    for params in ({"f": "csv"}, {"f": "html"}, {"f": "json", "limit": "1"}, {"asOf": "2026-01-01T00:00:00Z"}):
        r = same_as_missing(env, caller, "/collections/{c}/items", restricted, params)
        assert r.status_code == 404
    escaped = restricted.replace("_", "%5F")
    r = env.get(caller, f"/collections/{escaped}/items")
    assert r.status_code == 404, f"{caller} /collections/{escaped}/items: {r.status_code}"


@pytest.mark.parametrize("case", READER_CASES, ids=case_id)
def test_readers_see_the_restricted_collection_whole(env, case):
    """The positive side of the same requests: every resource there, every feature in it."""
    caller, restricted = case
    fid = first_fid(env, restricted)
    for path in RESOURCE_PATHS:
        p = path.replace("{fid}", str(fid)).replace("{style}", STYLE_OF[restricted]).replace("{c}", restricted)
        r = env.get(caller, p)
        assert r.status_code == 200, f"{caller} {p}: {r.status_code} {r.text[:200]}"
    doc = env.get(caller, f"/collections/{restricted}/items", {"limit": "1"}).json()
    assert doc["numberMatched"] == feature_count(env.store, restricted)
    styles = env.get(caller, f"/collections/{restricted}/styles").json()
    assert STYLE_OF[restricted] in [s["id"] for s in styles["styles"]]


@pytest.mark.parametrize("caller", ["anonymous", "bad-token", "basic-auth", "vnm-editor"])
def test_public_collections_read_the_same_for_everyone(env, caller):
    """Invalid credentials on a read are no credentials: public collections are served."""
    for c in env.public:
        r = env.get(caller, f"/collections/{c}/items", {"limit": "1"})
        assert r.status_code == 200, f"{caller} {c}: {r.status_code} {r.text[:200]}"
        assert r.json()["numberMatched"] == feature_count(env.store, c)


# --------------------------------------------------------------------------- WFS


def wfs_type_names(doc, version: str) -> list[str]:
    ns = ws.NS["wfs"] if version == "2.0.0" else ws.NS["wfs11"]
    return sorted(ft.findtext(f"{{{ns}}}Name").strip() for ft in doc.iter(f"{{{ns}}}FeatureType"))


@pytest.mark.parametrize("caller", list(CALLERS))
def test_wfs_lists_only_readable_feature_types(env, caller):
    want = [f"amis:{c}" for c in env.visible(caller)]
    for version in ("2.0.0", "1.1.0"):
        r = env.get(caller, "/wfs", {"SERVICE": "WFS", "VERSION": version, "REQUEST": "GetCapabilities"})
        doc = ws.xml_response(r)
        assert wfs_type_names(doc, version) == want, version
    # DescribeFeatureType without TYPENAMES describes every feature type it may see
    r = env.get(caller, "/wfs", {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "DescribeFeatureType"})
    doc = ws.xml_response(r)
    elements = sorted(e.get("name") for e in doc.findall(f"{{{ws.NS['xs']}}}element"))
    assert elements == sorted(env.visible(caller))
    r = env.get(caller, "/wfs", {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "ListStoredQueries"})
    doc = ws.xml_response(r)
    returned = sorted(e.text for e in doc.iter(f"{{{ws.NS['wfs']}}}ReturnFeatureType"))
    assert returned == want


@pytest.mark.parametrize("case", HIDDEN_CASES, ids=case_id)
def test_wfs_requests_naming_a_hidden_type_fail_like_a_missing_one(env, case):
    caller, restricted = case
    fid = first_fid(env, restricted)
    base = {"SERVICE": "WFS", "VERSION": "2.0.0"}
    requests_ = [
        {**base, "REQUEST": "DescribeFeatureType", "TYPENAMES": "amis:{c}"},
        {**base, "REQUEST": "GetFeature", "TYPENAMES": "amis:{c}", "COUNT": "1"},
        {**base, "REQUEST": "GetFeature", "TYPENAMES": "{c}", "COUNT": "1"},
        {**base, "REQUEST": "GetFeature", "TYPENAMES": "amis:countries,amis:{c}", "COUNT": "1"},
        {**base, "REQUEST": "GetFeature", "RESOURCEID": f"{{c}}.{fid}"},
        {**base, "REQUEST": "GetFeature", "STOREDQUERY_ID": "urn:ogc:def:query:OGC-WFS::GetFeatureById",
         "ID": f"{{c}}.{fid}"},
        {**base, "REQUEST": "GetPropertyValue", "TYPENAMES": "amis:{c}", "VALUEREFERENCE": "iso3"},
        {"SERVICE": "WFS", "VERSION": "1.1.0", "REQUEST": "GetFeature", "TYPENAME": "amis:{c}", "MAXFEATURES": "1"},
        {"SERVICE": "WFS", "VERSION": "1.1.0", "REQUEST": "DescribeFeatureType", "TYPENAME": "amis:{c}"},
    ]
    for params in requests_:
        r = same_as_missing(env, caller, "/wfs", restricted, params)
        ws.exception_report(r, r.status_code, "1.1.0" if params["VERSION"] == "1.1.0" else "2.0.0")
    body = ws.get_feature_body("amis:{c}")
    r = same_as_missing(env, caller, "/wfs", restricted, method="POST", body=body, content_type="application/xml")
    ws.exception_report(r, r.status_code)


@pytest.mark.parametrize("caller", ["admin", "tha-editor", "reviewer"])
def test_wfs_serves_the_restricted_type_to_its_readers(env, caller):
    r = env.get(caller, "/wfs", {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
                                 "TYPENAMES": "amis:mine_facilities", "RESULTTYPE": "hits"})
    doc = ws.xml_response(r)
    assert int(doc.get("numberMatched")) == feature_count(env.store, "mine_facilities")


# --------------------------------------------------------------------------- WMS


@pytest.mark.parametrize("caller", list(CALLERS))
def test_wms_capabilities_list_only_readable_layers(env, caller):
    want = env.visible(caller)
    for version, ns in (("1.3.0", wm.WMS_NS), ("1.1.1", None)):
        r = env.get(caller, "/wms", {"SERVICE": "WMS", "VERSION": version, "REQUEST": "GetCapabilities"})
        doc = ws.xml_response(r)
        assert sorted(wm.named_layers(doc, ns)) == want, version
    doc = ws.xml_response(env.get(caller, "/wms", {"SERVICE": "WMS", "VERSION": "1.3.0",
                                                   "REQUEST": "GetCapabilities"}))
    styles = {name.text for style in doc.iter(wm.wms("Style")) for name in style.findall(wm.wms("Name"))}
    for c in RESTRICTED:
        assert (STYLE_OF[c] in styles) == may_read(caller, c), f"style {STYLE_OF[c]} of {c} for {caller}"


WMS_MAP = {"SERVICE": "WMS", "VERSION": "1.3.0", "CRS": "CRS:84", "BBOX": "95,0,110,20", "WIDTH": "64",
           "HEIGHT": "64", "FORMAT": "image/png", "STYLES": ""}


@pytest.mark.parametrize("case", HIDDEN_CASES, ids=case_id)
def test_wms_requests_naming_a_hidden_layer_are_layer_not_defined(env, case):
    caller, restricted = case
    for params in (
        {**WMS_MAP, "REQUEST": "GetMap", "LAYERS": "{c}"},
        {**WMS_MAP, "REQUEST": "GetMap", "LAYERS": "countries,{c}", "STYLES": ","},
        {**WMS_MAP, "REQUEST": "GetFeatureInfo", "LAYERS": "{c}", "QUERY_LAYERS": "{c}", "I": "32", "J": "32",
         "INFO_FORMAT": "application/json"},
        {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetLegendGraphic", "LAYER": "{c}", "FORMAT": "image/png"},
        {**WMS_MAP, "VERSION": "1.1.1", "SRS": "EPSG:4326", "REQUEST": "GetMap", "LAYERS": "{c}"},
    ):
        r = same_as_missing(env, caller, "/wms", restricted, params)
        version = params["VERSION"]
        first = wm.service_exceptions(r, version, r.status_code)[0]
        assert first.code == "LayerNotDefined", f"{params}: {first}"
    # A layer named only in an SLD_BODY is no way in either.
    sld = ('<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld"><NamedLayer><Name>{c}</Name>'
           '<UserStyle><FeatureTypeStyle><Rule><PointSymbolizer/></Rule></FeatureTypeStyle></UserStyle></NamedLayer>'
           '</StyledLayerDescriptor>')
    same_as_missing(env, caller, "/wms", restricted, {**WMS_MAP, "REQUEST": "GetMap", "SLD_BODY": sld})


def rasterised(store: Path, collection: str, frame: wm.Frame, all_touched: bool) -> np.ndarray:
    """GDAL's rasterisation of the collection's polygons as OGR reads them from the store:
    pixels whose centre is covered (or, all_touched, that any polygon touches)."""
    mem = gdal.GetDriverByName("MEM").Create("", frame.width, frame.height, 1, gdal.GDT_Byte)
    mem.SetGeoTransform(frame.geotransform())
    ds = gdal.OpenEx(store_datasource(store), gdal.OF_VECTOR | gdal.OF_READONLY)
    gdal.PushErrorHandler("CPLQuietErrorHandler")  # the MEM raster has no CRS: both are lon/lat by construction
    try:
        gdal.RasterizeLayer(mem, [1], ds.GetLayerByName(collection), burn_values=[1],
                            options=["ALL_TOUCHED=TRUE"] if all_touched else [])
    finally:
        gdal.PopErrorHandler()
    return mem.GetRasterBand(1).ReadAsArray() > 0


@pytest.mark.parametrize("caller", ["admin", "idn-editor"])
def test_wms_draws_the_restricted_layer_for_its_readers(env, caller):
    """The largest mine boundary filling most of a 128 x 128 map: the pixels inside the
    store's polygons (GDAL rasterisation, eroded by 2 px) are drawn, the pixels 3 px or
    more from every polygon are the white background."""
    with ro(env.store) as db:  # the largest box of the R-tree
        minx, maxx, miny, maxy = db.execute(
            "SELECT minx, maxx, miny, maxy FROM rtree_coal_mine_boundaries_geom "
            "ORDER BY (maxx - minx) * (maxy - miny) DESC LIMIT 1").fetchone()
    side = max(maxx - minx, maxy - miny) * 1.25
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    frame = wm.Frame((cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2), 128, 128)
    r = env.get(caller, "/wms", {**WMS_MAP, "REQUEST": "GetMap", "LAYERS": "coal_mine_boundaries",
                                 "BBOX": wm.bbox_text(frame.bbox), "WIDTH": "128", "HEIGHT": "128"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png", r.text[:300]
    rgb = wm.decode(r.content).rgba[..., :3].astype(int)
    inside = wm.erode(rasterised(env.store, "coal_mine_boundaries", frame, False), 2)
    near = rasterised(env.store, "coal_mine_boundaries", frame, True)
    outside = wm.erode(~near, 3)
    assert inside.sum() >= 200 and outside.sum() >= 200, (inside.sum(), outside.sum())
    white = (rgb == 255).all(axis=2)
    assert not white[inside].any(), f"{int(white[inside].sum())} of {int(inside.sum())} pixels inside the polygons are blank"
    assert white[outside].all(), f"{int((~white[outside]).sum())} pixels away from every polygon are drawn"


# --------------------------------------------------------------------------- WMTS


def wmts_layers(doc) -> list[str]:
    from wmts_support import OWS_NS, WMTS_NS
    return sorted(layer.findtext(f"{{{OWS_NS}}}Identifier")
                  for layer in doc.iter(f"{{{WMTS_NS}}}Layer"))


@pytest.mark.parametrize("caller", list(CALLERS))
def test_wmts_capabilities_list_only_readable_layers(env, caller):
    want = env.visible(caller)
    kvp = env.get(caller, "/wmts", {"SERVICE": "WMTS", "REQUEST": "GetCapabilities"})
    rest = env.get(caller, "/wmts/1.0.0/WMTSCapabilities.xml")
    assert wmts_layers(ws.xml_response(kvp)) == want
    assert wmts_layers(ws.xml_response(rest)) == want


@pytest.mark.parametrize("case", HIDDEN_CASES, ids=case_id)
def test_wmts_tiles_of_a_hidden_layer_fail_like_a_missing_one(env, case):
    caller, restricted = case
    style = STYLE_OF[restricted]
    for fmt in ("image/png", "application/vnd.mapbox-vector-tile"):
        params = {"SERVICE": "WMTS", "VERSION": "1.0.0", "REQUEST": "GetTile", "LAYER": "{c}", "STYLE": style,
                  "FORMAT": fmt, "TILEMATRIXSET": "WebMercatorQuad", "TILEMATRIX": "0", "TILEROW": "0",
                  "TILECOL": "0"}
        same_as_missing(env, caller, "/wmts", restricted, params)
    for ext in ("png", "mvt"):
        same_as_missing(env, caller, f"/wmts/1.0.0/{{c}}/{style}/WebMercatorQuad/0/0/0.{ext}", restricted)


# --------------------------------------------------------------------------- tiles


@pytest.mark.parametrize("caller", list(CALLERS))
def test_dataset_tilesets_list_only_readable_layers(env, caller):
    want = env.visible(caller)
    for tms in ("WebMercatorQuad", "WorldCRS84Quad"):
        doc = env.get(caller, f"/tiles/{tms}").json()
        assert sorted(layer["id"] for layer in doc["layers"]) == want, tms
        text = env.get(caller, f"/map/tiles/{tms}").text
        for c in RESTRICTED:
            if not may_read(caller, c):
                assert c not in text, f"{c} in /map/tiles/{tms} for {caller}"
    for c in RESTRICTED:
        for prefix in ("/tiles", "/map/tiles", "/tiles/WebMercatorQuad", "/tiles/WebMercatorQuad/0/0/0",
                       "/map/tiles/WebMercatorQuad/0/0/0"):
            if may_read(caller, c):
                r = env.get(caller, prefix, {"collections": f"countries,{c}"})
                assert r.status_code == 200, f"{caller} {prefix}?collections=countries,{c}: {r.status_code}"
            else:
                same_as_missing(env, caller, prefix, c, {"collections": "countries,{c}"})


def cache_files(env: Env) -> set[str]:
    return {str(p.relative_to(env.cache_dir)) for p in env.cache_dir.rglob("*") if p.is_file()}


def busiest_tile(env: Env, z: int) -> tuple[int, int]:
    """The WebMercatorQuad tile at level z holding the most mine_facilities, from the store."""
    counts: dict[tuple[int, int], int] = {}
    for minx, miny in rows(env.store, 'SELECT minx, miny FROM "rtree_mine_facilities_geom"'):
        key = ts.WEB_MERCATOR_QUAD.tile_of(minx, miny, z)
        counts[key] = counts.get(key, 0) + 1
    return max(counts, key=lambda k: (counts[k], k))


def tile_box_lonlat(z: int, row: int, col: int) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = ts.WEB_MERCATOR_QUAD.buffered(z, row, col)
    r = 6378137.0
    lon = lambda x: math.degrees(x / r)
    lat = lambda y: math.degrees(2 * math.atan(math.exp(y / r)) - math.pi / 2)
    return lon(minx), lat(miny), lon(maxx), lat(maxy)


def test_dataset_vector_tile_made_for_an_administrator_is_never_served_to_others(env):
    """The administrator's tile (every layer) goes into the tile cache first; every caller
    who may not read a restricted collection then gets a tile without it, byte for byte the
    tile the unrestricted reference server makes of just their collections."""
    z = 5
    row, col = busiest_tile(env, z)
    box = tile_box_lonlat(z, row, col)
    in_tile = {c: fids_in_box(env.store, c, box) for c in store_collections(env.store)}
    assert in_tile["mine_facilities"] and in_tile["coal_mine_boundaries"], (z, row, col, box)
    path = f"/tiles/WebMercatorQuad/{z}/{row}/{col}"
    before = cache_files(env)
    admin = ts.decode_mvt(ts.mvt_body(env.get("admin", path)))
    assert cache_files(env) - before, "the administrator's tile did not go into the tile cache"
    assert {c for c, f in in_tile.items() if f} <= set(admin), sorted(admin)
    facility_ids = {f.id for f in admin["mine_facilities"].features}
    assert facility_ids and facility_ids <= set(in_tile["mine_facilities"])
    order = [c["id"] for c in env.get("admin", "/collections", base=env.reference.url).json()["collections"] if c["itemType"] == "feature"]
    for caller in CALLERS:
        body = ts.mvt_body(env.get(caller, path))
        layers = ts.decode_mvt(body)
        readable = [c for c in order if may_read(caller, c)]
        assert set(layers) <= set(readable), f"{caller} got layers {sorted(layers)}"
        for c in set(layers):
            assert layers[c].features == admin[c].features, f"{caller}: layer {c}"
        want = ts.mvt_body(env.get("anonymous", path, {"collections": ",".join(readable)}, base=env.reference.url))
        assert body == want, f"{caller}: the tile differs from the reference tile of {readable}"


def test_dataset_map_tile_drawn_for_an_administrator_is_never_served_to_others(env):
    """As above for map tiles: the anonymous PNG is the reference server's picture of the
    public collections, the administrator's that of all, and the two differ where the
    restricted features are drawn."""
    z = 5
    row, col = busiest_tile(env, z)
    path = f"/map/tiles/WebMercatorQuad/{z}/{row}/{col}"
    order = [c["id"] for c in env.get("admin", "/collections", base=env.reference.url).json()["collections"] if c["itemType"] == "feature"]

    def picture(r: requests.Response) -> np.ndarray:
        assert r.status_code == 200 and r.headers["Content-Type"] == "image/png", r.text[:300]
        return wm.decode(r.content).rgba

    before = cache_files(env)
    admin = picture(env.get("admin", path))
    assert cache_files(env) - before, "the administrator's map tile did not go into the tile cache"
    everything = picture(env.get("anonymous", path, base=env.reference.url))
    assert np.array_equal(admin, everything), "the administrator's tile is not the picture of every collection"
    for caller in ("anonymous", "bad-token", "vnm-editor", "reviewer", "idn-editor", "tha-session"):
        readable = [c for c in order if may_read(caller, c)]
        got = picture(env.get(caller, path))
        want = picture(env.get("anonymous", path, {"collections": ",".join(readable)}, base=env.reference.url))
        assert np.array_equal(got, want), (
            f"{caller}: {int((got != want).any(axis=2).sum())} pixels differ from the picture of {readable}")
        if readable != order:
            assert not np.array_equal(got, admin), f"{caller} got the administrator's picture"


def test_tiles_cached_before_the_collection_was_restricted_are_not_served(env, tmp_path):
    """A tile cache filled by a server that published everything (before mine_facilities
    and coal_mine_boundaries were restricted), then used by a server with the restrictions:
    anonymous callers get the reference tiles of the public collections only."""
    z = 5
    row, col = busiest_tile(env, z)
    paths = [f"/tiles/WebMercatorQuad/{z}/{row}/{col}", f"/map/tiles/WebMercatorQuad/{z}/{row}/{col}"]
    store = ss.copy_store(env.reference.store, tmp_path / "store.gpkg")
    cache = tmp_path / "cache"
    before = tmp_path / "before.toml"
    before.write_text(config_text(False) + f'\n[tiles]\ncache_dir = "{cache}"\n')
    after = tmp_path / "after.toml"
    after.write_text(config_text(True) + f'\n[tiles]\ncache_dir = "{cache}"\n')
    open_server = AmisServer(store, tmp_path, name="open", config=before)
    open_server.start()
    try:
        with http_session() as s:  # closed before the server stops (it waits for open connections)
            for p in paths:
                r = s.get(open_server.url + p, timeout=60)
                assert r.status_code == 200, r.text[:200]
                if p.startswith("/tiles"):
                    assert "mine_facilities" in ts.decode_mvt(r.content)
    finally:
        stop_checked(open_server)
    assert any(p.is_file() for p in cache.rglob("*")), "the open server cached nothing"
    restricted = AmisServer(store, tmp_path, name="restricted-again", config=after)
    restricted.start()
    try:
        public = ",".join(env.public)
        with http_session() as s:
            for p in paths:
                got = s.get(restricted.url + p, timeout=60)
                want = env.get("anonymous", p, {"collections": public}, base=env.reference.url)
                assert got.status_code == want.status_code == 200, got.text[:200]
                if p.startswith("/tiles"):
                    assert set(ts.decode_mvt(got.content)) <= set(env.public)
                    assert got.content == want.content
                else:
                    assert np.array_equal(wm.decode(got.content).rgba, wm.decode(want.content).rgba), p
    finally:
        stop_checked(restricted)


def test_collection_tiles_cached_for_a_reader_stay_hidden(env):
    """A restricted collection's own tiles (OGC API and WMTS), cached for a reader, are 404
    / an exception for everyone who may not read it."""
    z = 5
    row, col = busiest_tile(env, z)
    paths = [f"/collections/{{c}}/tiles/WebMercatorQuad/{z}/{row}/{col}",
             f"/collections/{{c}}/map/tiles/WebMercatorQuad/{z}/{row}/{col}",
             f"/collections/{{c}}/styles/red-squares/map/tiles/WebMercatorQuad/{z}/{row}/{col}",
             f"/wmts/1.0.0/{{c}}/red-squares/WebMercatorQuad/{z}/{row}/{col}.png",
             f"/wmts/1.0.0/{{c}}/red-squares/WebMercatorQuad/{z}/{row}/{col}.mvt"]
    for p in paths:
        r = env.get("tha-editor", p.replace("{c}", "mine_facilities"))
        assert r.status_code == 200, f"{p}: {r.status_code} {r.text[:200]}"
        assert r.content
    for caller in ("anonymous", "bad-token", "vnm-editor", "idn-editor"):
        for p in paths:
            same_as_missing(env, caller, p, "mine_facilities")


# --------------------------------------------------------------------------- styles


@pytest.mark.parametrize("case", HIDDEN_CASES, ids=case_id)
def test_styles_of_a_hidden_collection_are_not_found(env, case):
    caller, restricted = case
    style = STYLE_OF[restricted]
    for p in ("/collections/{c}/styles", f"/collections/{{c}}/styles/{style}",
              f"/collections/{{c}}/styles/{style}/legend"):
        same_as_missing(env, caller, p, restricted)
    for f in ("sld10", "sld11", "mapbox"):
        same_as_missing(env, caller, f"/collections/{{c}}/styles/{style}", restricted, {"f": f})


# --------------------------------------------------------------------------- clients


@contextlib.contextmanager
def gdal_headers(headers: dict[str, str]):
    value = "\r\n".join(f"{k}: {v}" for k, v in headers.items())
    gdal.SetConfigOption("GDAL_HTTP_HEADERS", value or None)
    try:
        yield
    finally:
        gdal.SetConfigOption("GDAL_HTTP_HEADERS", None)


def gdal_layer_names(connection: str) -> list[str]:
    ds = gdal.OpenEx(connection, gdal.OF_VECTOR | gdal.OF_READONLY)
    try:
        return sorted(ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount()))
    finally:
        ds = None


@pytest.mark.parametrize("caller", ["anonymous", "bad-token", "tha-editor", "idn-editor", "admin"])
def test_gdal_and_owslib_see_what_the_caller_may_read(env, caller):
    from owslib.wfs import WebFeatureService
    from owslib.wms import WebMapService
    from owslib.wmts import WebMapTileService

    want = env.visible(caller)
    headers = env.headers(caller)
    with gdal_headers(headers):
        # GDAL's OAPIF driver lists the Records catalogue (public) as a layer too.
        assert [n for n in gdal_layer_names(f"OAPIF:{env.url}") if n != "catalog"] == want
        assert sorted(n.split(":")[-1] for n in gdal_layer_names(f"WFS:{env.url}/wfs")) == want
    assert gdal.GetConfigOption("GDAL_HTTP_HEADERS") is None
    wfs = WebFeatureService(env.url + "/wfs", version="2.0.0", headers=headers or None, timeout=60)
    assert sorted(wfs.contents) == [f"amis:{c}" for c in want]
    wms_ = WebMapService(env.url + "/wms", version="1.3.0", headers=headers or None, timeout=60)
    assert sorted(wms_.contents) == want
    wmts = WebMapTileService(env.url + "/wmts", headers=headers or None, timeout=60)
    assert sorted(wmts.contents) == want


# --------------------------------------------------------------------------- writes


def new_facility(lon: float = 100.5, lat: float = 13.75, iso3: str = "THA") -> dict:
    return {"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": [[lon, lat]]},
            "properties": {"facility_name": "restricted-collection test", "iso3": iso3, "country": "Thailand"}}


@pytest.mark.parametrize("caller", ["anonymous", "bad-token", "vnm-editor", "idn-editor", "tha-editor"])
def test_writes_into_a_collection_the_caller_may_not_read_are_404(env, caller):
    """Part 4 writes, uploads, new change sets and WFS-T into mine_facilities / coal_mine_
    boundaries by someone who may not read it: the answer for a missing collection, and the
    store untouched."""
    cases = [c for c in RESTRICTED if not may_read(caller, c)]
    assert cases
    before = snapshot(env.store, WATCHED)
    for restricted in cases:
        fid = first_fid(env, restricted)
        for method, path, body, ctype in (
            ("POST", "/collections/{c}/items", new_facility(), GEOJSON),
            ("PUT", f"/collections/{{c}}/items/{fid}", new_facility(), GEOJSON),
            ("PATCH", f"/collections/{{c}}/items/{fid}", {"properties": {"iso3": "THA"}}, "application/merge-patch+json"),
            ("DELETE", f"/collections/{{c}}/items/{fid}", None, None),
            ("POST", "/collections/{c}/upload", json.dumps({"type": "FeatureCollection", "features": [new_facility()]}),
             GEOJSON),
        ):
            r = same_as_missing(env, caller, path, restricted, method=method,
                                body=json.dumps(body) if isinstance(body, dict) else body, content_type=ctype)
            assert r.status_code == 404, f"{caller} {method} {path}: {r.status_code}"
        same_as_missing(env, caller, "/changesets", restricted, method="POST", body='{"collection": "{c}"}')
        insert = (f'<wfs:Transaction service="WFS" version="2.0.0" {ws.XMLNS}><wfs:Insert><amis:{{c}}>'
                  '<amis:iso3>THA</amis:iso3><amis:geom><gml:Point srsName="urn:ogc:def:crs:EPSG::4326" gml:id="p1">'
                  '<gml:pos>13.75 100.5</gml:pos></gml:Point></amis:geom></amis:{c}></wfs:Insert></wfs:Transaction>')
        delete = (f'<wfs:Transaction service="WFS" version="2.0.0" {ws.XMLNS}><wfs:Delete typeName="amis:{{c}}">'
                  f'<fes:Filter><fes:ResourceId rid="{{c}}.{fid}"/></fes:Filter></wfs:Delete></wfs:Transaction>')
        for body in (insert, delete):
            r = same_as_missing(env, caller, "/wfs", restricted, method="POST", body=body,
                                content_type="application/xml")
            text = " ".join(e for x in ws.exception_report(r, r.status_code) for e in x.texts)
            if CALLERS[caller] is not None:  # anonymous WFS-T is refused before the type is looked up
                assert f"no feature type '{restricted}'" in text, text
    assert snapshot(env.store, WATCHED) == before, "a refused write changed the store"


def test_a_reader_writes_into_the_restricted_collection(env):
    """The Thai editor may read mine_facilities: the same POST is a change set (202), which the
    reviewer (a reader too) can see and review."""
    r = env.call("POST", "tha-editor", "/collections/mine_facilities/items", new_facility(), GEOJSON)
    assert r.status_code == 202, r.text[:300]
    cs = r.json()["changeSet"]["id"]
    assert rows(env.store, "SELECT collection, author FROM amis_change_sets WHERE id = ?", cs) == [
        ("mine_facilities", "tha-editor")]
    assert env.get("reviewer", f"/changesets/{cs}/review").status_code == 200
    # the same through the session cookie (with its CSRF token)
    r = env.call("POST", "tha-session", "/collections/mine_facilities/items", new_facility(100.6, 13.8), GEOJSON)
    assert r.status_code == 202, r.text[:300]


class Leak(AssertionError):
    """What an xfail test below expects to find: a restricted collection showing through.
    Any other failure of those tests (a broken precondition) is a real failure."""


def leak_if(condition: bool, message: str) -> None:
    if condition:
        raise Leak(message)


def test_change_sets_of_a_hidden_collection_are_hidden_from_reviewers(env):
    """An administrator proposes a change to coal_mine_boundaries (readable by IDN editors
    only); for the reviewer, who may not read it, the change set does not exist either (as
    for the IDN editor, who reads the collection but not others' change sets: a 404)."""
    fid = first_fid(env, "coal_mine_boundaries")
    r = env.call("PATCH", "admin", f"/collections/coal_mine_boundaries/items/{fid}",
                 {"properties": {"mine_name": "renamed by the restricted-collection tests"}},
                 "application/merge-patch+json")
    assert r.status_code == 202, r.text[:300]
    cs = r.json()["changeSet"]["id"]
    assert rows(env.store, "SELECT collection, state FROM amis_change_sets WHERE id = ?", cs) == [
        ("coal_mine_boundaries", "submitted")]
    assert cs in [c["id"] for c in env.get("admin", "/changesets").json()["changeSets"]]
    assert env.get("idn-editor", f"/changesets/{cs}").status_code == 404  # what "not there" looks like
    problems = []
    listed = env.get("reviewer", "/changesets").json()["changeSets"]
    if [c["id"] for c in listed if c["collection"] == "coal_mine_boundaries"]:
        problems.append("GET /changesets lists it")
    if env.get("reviewer", "/changesets", {"collection": "coal_mine_boundaries"}).json()["changeSets"]:
        problems.append("GET /changesets?collection=coal_mine_boundaries lists it")
    for p in (f"/changesets/{cs}", f"/changesets/{cs}/review"):
        r = env.get("reviewer", p)
        if r.status_code != 404:
            problems.append(f"GET {p}: {r.status_code} {r.text[:160]}")
    before = snapshot(env.store, WATCHED)
    r = env.call("POST", "reviewer", f"/changesets/{cs}/reject", {"comment": "not mine to judge"})
    if r.status_code != 404:
        problems.append(f"POST /changesets/{cs}/reject: {r.status_code}")
    if snapshot(env.store, WATCHED) != before:
        problems.append("the rejection changed the store: state now " +
                        str(rows(env.store, "SELECT state FROM amis_change_sets WHERE id = ?", cs)))
    leak_if(bool(problems), "the reviewer sees a change set of a collection they may not read:\n" +
            "\n".join(problems))


# --------------------------------------------------------------------------- credentials


def test_logged_out_session_reads_as_anonymous(env):
    with http_session() as s:
        r = s.post(env.url + "/login", json={"user": "tha-editor", "password": PASSWORD}, timeout=60)
        assert r.status_code == 200, r.text
        cookie, csrf = r.cookies["amis_session"], r.json()["csrfToken"]
        s.cookies.clear()
        h = {"Cookie": f"amis_session={cookie}"}
        assert s.get(env.url + "/collections/mine_facilities", headers=h, timeout=60).status_code == 200
        r = s.post(env.url + "/logout", headers={**h, "X-CSRF-Token": csrf}, timeout=60)
        assert r.status_code in (200, 204), r.text
        assert s.get(env.url + "/collections/mine_facilities", headers=h, timeout=60).status_code == 404
        assert s.get(env.url + "/collections/countries", headers=h, timeout=60).status_code == 200


def test_disabled_account_reads_as_anonymous(env):
    h = {"Authorization": f"Bearer {env.tokens['tha-leaver']}"}
    url = env.url + "/collections"
    ids = lambda: sorted(c["id"] for c in env.s.get(url, headers=h, timeout=60).json()["collections"] if c["itemType"] == "feature")
    assert "mine_facilities" in ids()
    r = amis("user", "disable", "tha-leaver", "--store", env.store)
    assert r.returncode == 0, r.stderr
    assert rows(env.store, "SELECT disabled FROM amis_users WHERE name = 'tha-leaver'") == [(1,)]
    assert ids() == env.visible("anonymous")
    assert env.s.get(env.url + "/collections/mine_facilities/items", headers=h, timeout=60).status_code == 404


# --------------------------------------------------------------------------- HTTP caches


def cache_directives(r: requests.Response) -> dict[str, str | bool]:
    out: dict[str, str | bool] = {}
    for part in r.headers.get("Cache-Control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name:
            out[name.lower()] = value or True
    return out


def shared_cache_reuses_for_others(r: requests.Response, credential: str) -> bool:
    """Whether a shared HTTP cache (RFC 9111) may store this answer to a request carrying
    `credential` ("authorization" or "cookie") and give it to a request without it."""
    cc = cache_directives(r)
    vary = {v.strip().lower() for v in r.headers.get("Vary", "").split(",") if v.strip()}
    if {"no-store", "private", "no-cache"} & cc.keys() or "*" in vary or credential in vary:
        return False
    if credential == "authorization":  # 3.5: only with public, s-maxage or must-revalidate
        return bool({"public", "s-maxage", "must-revalidate"} & cc.keys())
    return bool({"public", "s-maxage", "max-age"} & cc.keys()) or "Expires" in r.headers


def test_the_cache_check_itself():
    def response(headers: dict) -> requests.Response:
        r = requests.Response()
        r.headers.update(headers)
        return r
    assert shared_cache_reuses_for_others(response({"Cache-Control": "public, max-age=60"}), "authorization")
    assert not shared_cache_reuses_for_others(response({"Cache-Control": "max-age=60"}), "authorization")
    assert shared_cache_reuses_for_others(response({"Cache-Control": "max-age=60"}), "cookie")
    assert not shared_cache_reuses_for_others(response({"Cache-Control": "private, max-age=60"}), "cookie")
    assert not shared_cache_reuses_for_others(
        response({"Cache-Control": "public, max-age=60", "Vary": "Accept, Authorization"}), "authorization")


def test_tiles_with_restricted_data_are_not_shared_cacheable(env):
    """A tile holding restricted features, made for a reader, must not be reusable by a
    shared cache for other callers: the same URL is a 404 (or a tile without those features)
    for them."""
    z = 5
    row, col = busiest_tile(env, z)
    paths = [f"/tiles/WebMercatorQuad/{z}/{row}/{col}",
             f"/map/tiles/WebMercatorQuad/{z}/{row}/{col}",
             f"/collections/mine_facilities/tiles/WebMercatorQuad/{z}/{row}/{col}",
             f"/collections/mine_facilities/map/tiles/WebMercatorQuad/{z}/{row}/{col}",
             f"/wmts/1.0.0/mine_facilities/red-squares/WebMercatorQuad/{z}/{row}/{col}.png"]
    leaks = []
    for p in paths:
        for caller, credential in (("tha-editor", "authorization"), ("tha-session", "cookie")):
            r = env.get(caller, p)
            assert r.status_code == 200, f"{caller} {p}: {r.status_code}"
            anonymous = env.get("anonymous", p)
            assert anonymous.status_code != 200 or anonymous.content != r.content, p  # it would be a leak
            if shared_cache_reuses_for_others(r, credential):
                leaks.append(f"{p} ({credential}): Cache-Control {r.headers.get('Cache-Control')!r}, "
                             f"Vary {r.headers.get('Vary')!r}")
    leak_if(bool(leaks), "shared caches may give these to anyone:\n" + "\n".join(leaks))
