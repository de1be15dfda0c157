"""WFS-T (issue 6): wfs:Transaction 2.0.0 and 1.1.0 (Insert, Update, Replace, Delete) as one
change set of one feature type, published at once for the roles of [editing]
direct_publish (here: admin) and otherwise left for review; GDAL's WFS driver in update
mode; refusals (401, 403, 400) that leave the store untouched.

Oracles: sqlite3 reads (read-only) of the store file, geometries decoded from the
GeoPackage blobs by a parser written here and compared with OGR, the official WFS
schemas for the TransactionResponse documents (lxml / xmllint), and osr for the
projected srsName case. Nothing expected is derived from AMIS's answers."""
from __future__ import annotations

import contextlib
import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from osgeo import gdal, ogr, osr

import styles_support as ss
from support import AMIS_BIN, AmisServer, assert_same_geometry, connect_store, http_session, store_columns, store_datasource
from wfs_support import (AMIS_NS, NS, WFS11_XSD, WFS20_XSD, assert_valid, assert_xmllint_valid, compiled_schema,
                         describe_feature_type_schema, exception_report, kvp, parse_xml, qname)
from store_support import amis

PASSWORD = "correct horse battery staple"
USERS = (("secretariat", "admin", None), ("expert", "reviewer", None), ("expert2", "reviewer", None),
         ("tha-editor", "editor", "THA"), ("vnm-editor", "editor", "VNM"))

NS20 = (f'xmlns:wfs="{NS["wfs"]}" xmlns:fes="{NS["fes"]}" xmlns:gml="{NS["gml"]}" '
        f'xmlns:amis="{AMIS_NS}"')
NS11 = (f'xmlns:wfs="{NS["wfs11"]}" xmlns:ogc="{NS["ogc"]}" xmlns:gml="{NS["gml311"]}" '
        f'xmlns:amis="{AMIS_NS}"')
URN_4326 = "urn:ogc:def:crs:EPSG::4326"


# --------------------------------------------------------------------------- fixture



@dataclass
class Wfst:
    store: Path
    tokens: dict[str, str]
    srv: AmisServer
    s: requests.Session
    schema: object  # WFS 2.0 + the server's DescribeFeatureType, to check the tests' own 2.0 requests

    @property
    def url(self) -> str:
        return self.srv.url


@pytest.fixture(scope="module")
def wfst(tmp_path_factory, store_path):
    work = tmp_path_factory.mktemp("wfst")
    store = ss.copy_store(store_path, work / "store.gpkg")
    tokens = {}
    for name, role, country in USERS:
        extra = ["--country", country] if country else []
        r = amis("user", "add", name, "--role", role, *extra, "--store", store, stdin=PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
        r = amis("token", "create", name, "--store", store)
        assert r.returncode == 0, r.stderr
        tokens[name] = r.stdout.strip()
    config = work / "amis.toml"
    config.write_text('[editing]\ndirect_publish = ["admin"]\n')
    srv = AmisServer(store, work, name="wfst", config=config)
    srv.start()
    with http_session() as s:
        yield Wfst(store, tokens, srv, s, describe_feature_type_schema(s, srv.url))
    alive = srv.alive()
    status = srv.stop()
    assert alive, srv.stderr()[-3000:]
    assert status == 0, srv.stderr()[-3000:]


# --------------------------------------------------------------------------- the store, read independently


def query(store: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with contextlib.closing(connect_store(store)) as db:
        return db.execute(sql, params).fetchall()


def columns(store: Path) -> list[str]:
    return store_columns(store, "coal_mines")


def mine(store: Path, fid: int) -> dict | None:
    """The row of coal_mines `fid` as {column: value}, geometry decoded to OGR (None if no row)."""
    names = columns(store)
    rows = query(store, "SELECT * FROM coal_mines WHERE fid = ?", (fid,))
    if not rows:
        return None
    out = dict(zip(names, rows[0]))
    out["geom"] = gpkg_geometry(out["geom"])
    return out


def gpkg_geometry(blob: bytes | None) -> ogr.Geometry | None:
    """A GeoPackage geometry blob (GeoPackage 1.3, 2.1.3) decoded: header, envelope, WKB."""
    if blob is None:
        return None
    assert blob[:2] == b"GP", f"not a GeoPackage geometry: {blob[:8]!r}"
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 7]
    assert int.from_bytes(blob[4:8], "little" if flags & 1 else "big") == 4326, "srs_id of a coal mine"
    return ogr.CreateGeometryFromWkb(bytes(blob[8 + envelope:]))


def point(x: float, y: float) -> ogr.Geometry:
    return ogr.CreateGeometryFromWkt(f"POINT ({x!r} {y!r})")


def fids_of(store: Path, iso3: str) -> list[int]:
    return [r[0] for r in query(store, "SELECT fid FROM coal_mines WHERE iso3 = ? ORDER BY fid", (iso3,))]


def fingerprint(store: Path) -> str:
    """A digest of everything a write may touch: every coal_mines row and its R-tree entry,
    the change sets, changes and feature versions, the collection registry."""
    h = hashlib.sha256()
    for sql in ("SELECT * FROM coal_mines ORDER BY fid", "SELECT * FROM rtree_coal_mines_geom ORDER BY id",
                "SELECT * FROM amis_change_sets ORDER BY id", "SELECT * FROM amis_changes ORDER BY change_set, seq",
                "SELECT * FROM amis_feature_versions ORDER BY collection, fid, version",
                "SELECT * FROM amis_collections ORDER BY id"):
        for row in query(store, sql):
            h.update(repr(row).encode())
    return h.hexdigest()


def rtree_box(store: Path, fid: int) -> tuple | None:
    rows = query(store, "SELECT minx, maxx, miny, maxy FROM rtree_coal_mines_geom WHERE id = ?", (fid,))
    return rows[0] if rows else None


def assert_registry_consistent(store: Path) -> None:
    count = query(store, "SELECT count(*) FROM coal_mines")[0][0]
    assert query(store, "SELECT feature_count FROM amis_collections WHERE id = 'coal_mines'")[0][0] == count
    with_geometry = query(store, "SELECT count(*) FROM coal_mines WHERE geom IS NOT NULL")[0][0]
    assert query(store, "SELECT count(*) FROM rtree_coal_mines_geom")[0][0] == with_geometry


def latest_change_set(store: Path) -> dict:
    names = store_columns(store, "amis_change_sets")
    return dict(zip(names, query(store, "SELECT * FROM amis_change_sets ORDER BY id DESC LIMIT 1")[0]))


# --------------------------------------------------------------------------- requests


def tx20(actions: str, attrs: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<wfs:Transaction service="WFS" version="2.0.0" {NS20} {attrs}>{actions}</wfs:Transaction>'


def tx11(actions: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<wfs:Transaction service="WFS" version="1.1.0" {NS11}>{actions}</wfs:Transaction>'


def gml_point(pos: str, srs: str | None = URN_4326) -> str:
    attr = f' srsName="{srs}"' if srs else ""
    return f"<gml:Point{attr}><gml:pos>{pos}</gml:pos></gml:Point>"


def feature(geometry: str | None = None, **props) -> str:
    body = f"<amis:geometry>{geometry}</amis:geometry>" if geometry else ""
    body += "".join(f"<amis:{k}>{v}</amis:{k}>" for k, v in props.items())
    return f"<amis:coal_mines>{body}</amis:coal_mines>"


def rid20(*fids: int) -> str:
    return "<fes:Filter>" + "".join(f'<fes:ResourceId rid="coal_mines.{f}"/>' for f in fids) + "</fes:Filter>"


def prop20(name: str, value: str | None) -> str:
    v = "" if value is None else f"<wfs:Value>{value}</wfs:Value>"
    return f"<wfs:Property><wfs:ValueReference>{name}</wfs:ValueReference>{v}</wfs:Property>"


def prop11(name: str, value: str | None) -> str:
    v = "" if value is None else f"<wfs:Value>{value}</wfs:Value>"
    return f"<wfs:Property><wfs:Name>{name}</wfs:Name>{v}</wfs:Property>"


def assert_valid_request(w: Wfst, body: str) -> None:
    """Self-check: a 2.0 request the tests send as valid is valid WFS 2.0 with the server's
    application schema (so the features of Insert and Replace are checked too)."""
    assert_valid(w.schema, parse_xml(body.encode()), "the test's own request")


def post(w: Wfst, body: str | bytes, who: str | None, content_type: str = "application/xml") -> requests.Response:
    headers = {"Content-Type": content_type}
    if who is not None:
        headers["Authorization"] = f"Bearer {w.tokens.get(who, who)}"
    data = body.encode() if isinstance(body, str) else body
    return w.s.post(w.url + "/wfs", data=data, headers=headers, timeout=60)


@dataclass
class TxResult:
    totals: dict[str, int]
    inserted: list[int]  # fids of InsertResults, in document order
    location: str | None


def transaction_response(r: requests.Response, version: str = "2.0.0") -> TxResult:
    """Checks a TransactionResponse (HTTP 200, XML, schema-valid) and reads it."""
    assert r.status_code == 200, f"HTTP {r.status_code}: {r.text[:800]}"
    assert "xml" in r.headers.get("Content-Type", ""), r.headers.get("Content-Type")
    doc = parse_xml(r)
    if version == "2.0.0":
        assert doc.tag == qname("wfs", "TransactionResponse") and doc.get("version") == "2.0.0", r.text[:300]
        assert_valid(compiled_schema(str(WFS20_XSD)), doc, "the TransactionResponse")
        wfs = NS["wfs"]
        ids = [e.get("rid") for e in doc.iterfind(f"{{{wfs}}}InsertResults/{{{wfs}}}Feature/{{{NS['fes']}}}ResourceId")]
        names = ("totalInserted", "totalUpdated", "totalReplaced", "totalDeleted")
    else:
        assert doc.tag == qname("wfs11", "TransactionResponse") and doc.get("version") == "1.1.0", r.text[:300]
        assert_xmllint_valid(r.content, WFS11_XSD)
        wfs = NS["wfs11"]
        ids = [e.get("fid") for e in doc.iterfind(f"{{{wfs}}}InsertResults/{{{wfs}}}Feature/{{{NS['ogc']}}}FeatureId")]
        names = ("totalInserted", "totalUpdated", "totalDeleted")
    summary = doc.find(f"{{{wfs}}}TransactionSummary")
    assert summary is not None
    totals = {}
    for n in names:
        e = summary.find(f"{{{wfs}}}{n}")
        assert e is not None, f"TransactionSummary without {n}: {r.text[:500]}"
        totals[n] = int(e.text)
    fids = []
    for rid in ids:
        assert rid and rid.startswith("coal_mines."), rid
        fids.append(int(rid.split(".", 1)[1]))
    return TxResult(totals, fids, r.headers.get("Location"))


def approve(w: Wfst, cs_id: int, who: str) -> requests.Response:
    return w.s.post(f"{w.url}/changesets/{cs_id}/approve", json={"comment": "ok"},
                    headers={"Authorization": f"Bearer {w.tokens[who]}"}, timeout=60)


def change_set_id(location: str, w: Wfst) -> int:
    prefix = w.url + "/changesets/"
    assert location and location.startswith(prefix), location
    return int(location[len(prefix):])


# --------------------------------------------------------------------------- capabilities


def test_capabilities_declare_transactions(wfst):
    r = kvp(wfst.url, wfst.s, "GetCapabilities", version="2.0.0")
    assert r.status_code == 200
    doc = parse_xml(r)
    ows = NS["ows"]
    op = doc.find(f".//{{{ows}}}Operation[@name='Transaction']")
    assert op is not None, "no Transaction operation in the 2.0 capabilities"
    assert op.find(f".//{{{ows}}}Post") is not None and op.find(f".//{{{ows}}}Get") is None
    constraint = doc.find(f".//{{{ows}}}Constraint[@name='ImplementsTransactionalWFS']/{{{ows}}}DefaultValue")
    assert constraint is not None and constraint.text == "TRUE"

    r = kvp(wfst.url, wfst.s, "GetCapabilities", version="1.1.0")
    doc = parse_xml(r)
    ows10 = NS["ows10"]
    op = doc.find(f".//{{{ows10}}}Operation[@name='Transaction']")
    assert op is not None, "no Transaction operation in the 1.1 capabilities"
    assert op.find(f".//{{{ows10}}}Post") is not None and op.find(f".//{{{ows10}}}Get") is None
    ops = {e.text for e in doc.iterfind(f"{{{NS['wfs11']}}}FeatureTypeList/{{{NS['wfs11']}}}Operations/{{{NS['wfs11']}}}Operation")}
    assert {"Insert", "Update", "Delete"} <= ops


# --------------------------------------------------------------------------- Insert


def test_insert_20_published_directly_in_lon_lat(wfst):
    store = wfst.store
    before = query(store, "SELECT count(*) FROM coal_mines")[0][0]
    body = tx20("<wfs:Insert>" + feature(gml_point("15 101"), mine_name="Ban Na &amp; &lt;Nong&gt; \u0e1a\u0e49\u0e32\u0e19",
                                          iso3="THA", status="Proposed", capacity_mtpa="2.5",
                                          opening_year="2001") + "</wfs:Insert>")
    assert_valid_request(wfst, body)
    result = transaction_response(post(wfst, body, "secretariat"))
    assert result.totals == {"totalInserted": 1, "totalUpdated": 0, "totalReplaced": 0, "totalDeleted": 0}
    assert result.location is None, "published directly: no change set to review"
    (fid,) = result.inserted
    row = mine(store, fid)
    assert row is not None
    assert row["mine_name"] == "Ban Na & <Nong> \u0e1a\u0e49\u0e32\u0e19"
    assert (row["iso3"], row["status"], row["capacity_mtpa"], row["opening_year"]) == ("THA", "Proposed", 2.5, 2001)
    assert query(store, "SELECT typeof(capacity_mtpa), typeof(opening_year), typeof(closing_year) FROM coal_mines "
                        "WHERE fid = ?", (fid,))[0] == ("real", "integer", "null")
    # urn:ogc:def:crs:EPSG::4326 is latitude first: stored as x = lon 101, y = lat 15
    assert_same_geometry(row["geom"], point(101, 15), what=f"coal_mines.{fid}")
    minx, maxx, miny, maxy = rtree_box(store, fid)
    assert abs(minx - 101) < 1e-4 and abs(maxx - 101) < 1e-4 and abs(miny - 15) < 1e-4 and abs(maxy - 15) < 1e-4
    assert query(store, "SELECT count(*) FROM coal_mines")[0][0] == before + 1
    assert_registry_consistent(store)
    cs = latest_change_set(store)
    assert (cs["state"], cs["author"], cs["reviewer"], cs["collection"]) == ("approved", "secretariat", "secretariat",
                                                                              "coal_mines")
    assert query(store, "SELECT operation, fid FROM amis_changes WHERE change_set = ?", (cs["id"],)) == [("insert", fid)]
    assert query(store, "SELECT operation, change_set FROM amis_feature_versions WHERE collection = 'coal_mines' "
                        "AND fid = ?", (fid,)) == [("insert", cs["id"])]
    # ... and OGR reads the same point from the store file
    ds = gdal.OpenEx(store_datasource(store), gdal.OF_VECTOR | gdal.OF_READONLY)
    f = ds.GetLayerByName("coal_mines").GetFeature(fid)
    assert_same_geometry(f.GetGeometryRef(), point(101, 15), what="OGR's reading")


def utm47n(lon: float, lat: float) -> tuple[float, float]:
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.SetFromUserInput("OGC:CRS84")
    dst.ImportFromEPSG(32647)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_AUTHORITY_COMPLIANT)
    x, y, _ = osr.CoordinateTransformation(src, dst).TransformPoint(lon, lat)
    return x, y


def test_insert_20_srs_names_and_axis_orders(wfst):
    """Six features in one Insert, each in another CRS form; all are the point lon 101.25,
    lat 15.5. InsertResults lists them in document order."""
    e, n = utm47n(101.25, 15.5)
    forms = [(URN_4326, "15.5 101.25"), ("http://www.opengis.net/def/crs/EPSG/0/4326", "15.5 101.25"),
             ("EPSG:4326", "101.25 15.5"), ("urn:ogc:def:crs:OGC:1.3:CRS84", "101.25 15.5"),
             ("urn:ogc:def:crs:EPSG::32647", f"{e!r} {n!r}"), (None, "15.5 101.25")]  # no srsName: the default
    features = "".join(feature(gml_point(pos, srs), mine_name=f"srs form {i}") for i, (srs, pos) in enumerate(forms))
    body = tx20(f"<wfs:Insert>{features}</wfs:Insert>")
    assert_valid_request(wfst, body)
    result = transaction_response(post(wfst, body, "secretariat"))
    assert result.totals["totalInserted"] == len(forms) and len(result.inserted) == len(forms)
    assert result.inserted == sorted(result.inserted)
    for i, fid in enumerate(result.inserted):
        row = mine(wfst.store, fid)
        assert row["mine_name"] == f"srs form {i}", "InsertResults out of document order"
        assert_same_geometry(row["geom"], point(101.25, 15.5), tolerance=1e-7, what=f"form {forms[i][0]}")


def test_insert_srs_name_on_the_action(wfst):
    """wfs:Insert srsName (2.0) applies to geometries without their own srsName."""
    body = tx20('<wfs:Insert srsName="EPSG:4326">' + feature(gml_point("102.5 16.25", None), mine_name="action srs")
                + "</wfs:Insert>")
    assert_valid_request(wfst, body)
    (fid,) = transaction_response(post(wfst, body, "secretariat")).inserted
    assert_same_geometry(mine(wfst.store, fid)["geom"], point(102.5, 16.25))


def test_insert_11_published_directly(wfst):
    """1.1.0: no srsName means urn:x-ogc:def:crs:EPSG:4326, latitude first; InsertResults as
    ogc:FeatureId; the response valid against WFS 1.1.0."""
    body = tx11("<wfs:Insert>" + feature(gml_point("15 101", None), mine_name="one-one", iso3="THA")
                + feature(gml_point("101.5 15.5", "EPSG:4326"), mine_name="one-one-b", iso3="THA") + "</wfs:Insert>")
    result = transaction_response(post(wfst, body, "secretariat"), "1.1.0")
    assert result.totals == {"totalInserted": 2, "totalUpdated": 0, "totalDeleted": 0}
    a, b = result.inserted
    assert mine(wfst.store, a)["mine_name"] == "one-one" and mine(wfst.store, b)["mine_name"] == "one-one-b"
    assert_same_geometry(mine(wfst.store, a)["geom"], point(101, 15))
    assert_same_geometry(mine(wfst.store, b)["geom"], point(101.5, 15.5))
    assert_registry_consistent(wfst.store)


# --------------------------------------------------------------------------- Update, Replace, Delete


def test_update_20_changes_only_the_named_properties(wfst):
    store = wfst.store
    a, b = fids_of(store, "CHN")[0:2]
    untouched = fids_of(store, "CHN")[2]
    old = {f: mine(store, f) for f in (a, b, untouched)}
    assert old[a]["status"] is not None
    body = tx20('<wfs:Update typeName="amis:coal_mines">' + prop20("amis:mine_name", "Renamed by WFS 2.0")
                + prop20("status", None) + prop20("capacity_mtpa", "7.25") + rid20(a, b) + "</wfs:Update>")
    assert_valid_request(wfst, body)
    result = transaction_response(post(wfst, body, "secretariat"))
    assert result.totals == {"totalInserted": 0, "totalUpdated": 2, "totalReplaced": 0, "totalDeleted": 0}
    assert result.inserted == []
    for f in (a, b):
        new = mine(store, f)
        assert (new["mine_name"], new["status"], new["capacity_mtpa"]) == ("Renamed by WFS 2.0", None, 7.25)
        for k in old[f]:
            if k not in ("mine_name", "status", "capacity_mtpa", "geom"):
                assert new[k] == old[f][k], f"{k} of {f} changed"
        assert_same_geometry(new["geom"], old[f]["geom"])
    assert mine(store, untouched)["mine_name"] == old[untouched]["mine_name"]
    history = query(store, "SELECT version, operation FROM amis_feature_versions WHERE collection = 'coal_mines' "
                           "AND fid = ? ORDER BY version", (a,))
    assert history == [(0, "import"), (1, "replace")]


def test_update_20_geometry(wfst):
    store = wfst.store
    fid = fids_of(store, "CHN")[3]
    body = tx20('<wfs:Update typeName="amis:coal_mines">'
                + prop20("amis:geometry", gml_point("30.5 105.25")) + rid20(fid) + "</wfs:Update>")
    assert_valid_request(wfst, body)
    assert transaction_response(post(wfst, body, "secretariat")).totals["totalUpdated"] == 1
    assert_same_geometry(mine(store, fid)["geom"], point(105.25, 30.5))
    minx, maxx, miny, maxy = rtree_box(store, fid)
    assert abs(minx - 105.25) < 1e-4 and abs(miny - 30.5) < 1e-4
    # no Value: the geometry becomes null, and the R-tree forgets the feature
    body = tx20('<wfs:Update typeName="amis:coal_mines">' + prop20("geometry", None) + rid20(fid) + "</wfs:Update>")
    assert transaction_response(post(wfst, body, "secretariat")).totals["totalUpdated"] == 1
    assert mine(store, fid)["geom"] is None and rtree_box(store, fid) is None
    assert_registry_consistent(store)


def test_update_11_with_names_and_ogc_filters(wfst):
    store = wfst.store
    a, b, c = fids_of(store, "CHN")[4:7]
    c_name = mine(store, c)["mine_name"]
    body = tx11('<wfs:Update typeName="amis:coal_mines">' + prop11("mine_name", "Renamed by WFS 1.1")
                + prop11("amis:opening_year", "1987") + prop11("status", None)
                + f'<ogc:Filter><ogc:FeatureId fid="coal_mines.{a}"/><ogc:GmlObjectId gml:id="coal_mines.{b}"/></ogc:Filter>'
                + "</wfs:Update>"
                + '<wfs:Update typeName="amis:coal_mines">' + prop11("status", "Shelved")
                + "<ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>mine_name</ogc:PropertyName>"
                f"<ogc:Literal>{c_name}</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter></wfs:Update>")
    same_name = query(store, "SELECT fid FROM coal_mines WHERE mine_name = ?", (c_name,))
    result = transaction_response(post(wfst, body, "secretariat"), "1.1.0")
    assert result.totals == {"totalInserted": 0, "totalUpdated": 2 + len(same_name), "totalDeleted": 0}
    for f in (a, b):
        row = mine(store, f)
        assert (row["mine_name"], row["opening_year"], row["status"]) == ("Renamed by WFS 1.1", 1987, None)
    assert {r[0] for r in query(store, "SELECT fid FROM coal_mines WHERE mine_name = ? AND status = 'Shelved'",
                                (c_name,))} == {r[0] for r in same_name}


def test_updates_of_one_feature_apply_in_order(wfst):
    """Two Updates of one feature in one transaction: the second sees the first."""
    store = wfst.store
    fid = fids_of(store, "CHN")[7]
    body = tx20('<wfs:Update typeName="amis:coal_mines">' + prop20("mine_name", "first") + prop20("status", "Operating")
                + rid20(fid) + "</wfs:Update>"
                + '<wfs:Update typeName="amis:coal_mines">' + prop20("status", "Mothballed") + rid20(fid)
                + "</wfs:Update>")
    transaction_response(post(wfst, body, "secretariat"))
    row = mine(store, fid)
    assert (row["mine_name"], row["status"]) == ("first", "Mothballed")


def test_replace_20_replaces_the_whole_feature(wfst):
    store = wfst.store
    fid = fids_of(store, "CHN")[8]
    old = mine(store, fid)
    assert old["gem_mine_id"] is not None
    body = tx20("<wfs:Replace>" + feature(gml_point("31 106"), mine_name="Replaced", iso3="CHN", opening_year="2020")
                + rid20(fid) + "</wfs:Replace>")
    assert_valid_request(wfst, body)
    result = transaction_response(post(wfst, body, "secretariat"))
    assert result.totals == {"totalInserted": 0, "totalUpdated": 0, "totalReplaced": 1, "totalDeleted": 0}
    row = mine(store, fid)
    assert (row["mine_name"], row["iso3"], row["opening_year"]) == ("Replaced", "CHN", 2020)
    assert all(row[k] is None for k in row if k not in ("fid", "geom", "mine_name", "iso3", "opening_year"))
    assert_same_geometry(row["geom"], point(106, 31))


def test_delete_20_and_11(wfst):
    store = wfst.store
    a, b, c, d = fids_of(store, "CHN")[9:13]
    count = query(store, "SELECT count(*) FROM coal_mines")[0][0]
    body = tx20('<wfs:Delete typeName="amis:coal_mines">' + rid20(a, b) + "</wfs:Delete>")
    assert_valid_request(wfst, body)
    result = transaction_response(post(wfst, body, "secretariat"))
    assert result.totals == {"totalInserted": 0, "totalUpdated": 0, "totalReplaced": 0, "totalDeleted": 2}
    body = tx11('<wfs:Delete typeName="amis:coal_mines"><ogc:Filter><ogc:Or>'
                f'<ogc:PropertyIsEqualTo><ogc:PropertyName>amis:gem_mine_id</ogc:PropertyName><ogc:Literal>{mine(store, c)["gem_mine_id"]}</ogc:Literal></ogc:PropertyIsEqualTo>'
                f'<ogc:PropertyIsEqualTo><ogc:PropertyName>amis:gem_mine_id</ogc:PropertyName><ogc:Literal>{mine(store, d)["gem_mine_id"]}</ogc:Literal></ogc:PropertyIsEqualTo>'
                "</ogc:Or></ogc:Filter></wfs:Delete>")
    result = transaction_response(post(wfst, body, "secretariat"), "1.1.0")
    assert result.totals == {"totalInserted": 0, "totalUpdated": 0, "totalDeleted": 2}
    for f in (a, b, c, d):
        assert mine(store, f) is None and rtree_box(store, f) is None
        ops = query(store, "SELECT operation FROM amis_feature_versions WHERE collection = 'coal_mines' AND fid = ? "
                           "ORDER BY version", (f,))
        assert ops == [("import",), ("delete",)]
    assert query(store, "SELECT count(*) FROM coal_mines")[0][0] == count - 4
    assert_registry_consistent(store)


# --------------------------------------------------------------------------- review


def test_editor_insert_waits_for_review(wfst):
    store = wfst.store
    before = fingerprint(store)
    count = query(store, "SELECT count(*) FROM coal_mines")[0][0]
    # no iso3: an editor's new feature is in the editor's country
    body = tx20("<wfs:Insert>" + feature(gml_point("15 101"), mine_name="Pending Thai mine", capacity_mtpa="0.5")
                + "</wfs:Insert>", attrs='handle="survey 2024"')
    result = transaction_response(post(wfst, body, "tha-editor"))
    assert result.totals["totalInserted"] == 1
    assert result.inserted == [], "nothing was inserted yet"
    cs_id = change_set_id(result.location, wfst)
    assert query(store, "SELECT count(*) FROM coal_mines")[0][0] == count
    assert query(store, "SELECT count(*) FROM coal_mines WHERE mine_name = 'Pending Thai mine'")[0][0] == 0
    assert fingerprint(store) != before  # the change set is recorded ...
    cs = latest_change_set(store)
    assert (cs["id"], cs["state"], cs["author"], cs["country"]) == (cs_id, "submitted", "tha-editor", "THA")
    assert "survey 2024" in cs["title"]
    doc = wfst.s.get(result.location, headers={"Authorization": f"Bearer {wfst.tokens['expert']}"}, timeout=30).json()
    assert doc["state"] == "submitted" and doc["changes"] == 1
    # the editor may not approve; a reviewer does
    assert approve(wfst, cs_id, "tha-editor").status_code == 403
    r = approve(wfst, cs_id, "expert")
    assert r.status_code == 200, r.text
    (fid,) = query(store, "SELECT fid FROM coal_mines WHERE mine_name = 'Pending Thai mine'")[0]
    row = mine(store, fid)
    assert (row["iso3"], row["capacity_mtpa"]) == ("THA", 0.5)
    assert_same_geometry(row["geom"], point(101, 15))
    assert query(store, "SELECT state, reviewer FROM amis_change_sets WHERE id = ?", (cs_id,)) == [("approved", "expert")]
    assert_registry_consistent(store)


def test_reviewer_update_11_waits_for_another_reviewer(wfst):
    store = wfst.store
    fid = fids_of(store, "IDN")[0]
    old = mine(store, fid)
    body = tx11('<wfs:Update typeName="amis:coal_mines">' + prop11("mine_name", "Reviewed rename")
                + f'<ogc:Filter><ogc:FeatureId fid="coal_mines.{fid}"/></ogc:Filter></wfs:Update>')
    result = transaction_response(post(wfst, body, "expert"), "1.1.0")
    assert result.totals["totalUpdated"] == 1
    cs_id = change_set_id(result.location, wfst)
    assert mine(store, fid)["mine_name"] == old["mine_name"]
    assert approve(wfst, cs_id, "expert").status_code == 403  # not their own
    assert approve(wfst, cs_id, "expert2").status_code == 200
    assert mine(store, fid)["mine_name"] == "Reviewed rename"


# --------------------------------------------------------------------------- refusals


def test_anonymous_and_forged_tokens_are_401(wfst):
    before = fingerprint(wfst.store)
    for version, body in (("2.0.0", tx20("<wfs:Insert>" + feature(gml_point("15 101"), mine_name="anon") + "</wfs:Insert>")),
                          ("1.1.0", tx11("<wfs:Insert>" + feature(gml_point("15 101"), mine_name="anon") + "</wfs:Insert>"))):
        for who in (None, "amis_" + "A" * 43):
            r = post(wfst, body, who)
            exception_report(r, 401, version)
            assert r.headers.get("WWW-Authenticate", "").lower().startswith("bearer"), r.headers
    assert fingerprint(wfst.store) == before


def editor_refusals(store: Path) -> list[tuple[str, str, str]]:
    tha, chn = fids_of(store, "THA"), fids_of(store, "CHN")
    return [
        ("vnm-editor", "insert in another country",
         tx20("<wfs:Insert>" + feature(gml_point("15 101"), mine_name="x", iso3="THA") + "</wfs:Insert>")),
        ("tha-editor", "one of two inserts in another country",
         tx20("<wfs:Insert>" + feature(gml_point("15 101"), mine_name="x", iso3="THA")
              + feature(gml_point("21 106"), mine_name="y", iso3="VNM") + "</wfs:Insert>")),
        ("tha-editor", "update of a Chinese mine",
         tx20('<wfs:Update typeName="amis:coal_mines">' + prop20("mine_name", "x") + rid20(chn[20]) + "</wfs:Update>")),
        ("tha-editor", "moving a Thai mine to Viet Nam",
         tx20('<wfs:Update typeName="amis:coal_mines">' + prop20("iso3", "VNM") + rid20(tha[0]) + "</wfs:Update>")),
        ("tha-editor", "a delete whose filter also selects a Chinese mine",
         tx20('<wfs:Delete typeName="amis:coal_mines">' + rid20(tha[0], chn[21]) + "</wfs:Delete>")),
        ("tha-editor", "a 1.1 delete by a filter selecting every mine",
         tx11('<wfs:Delete typeName="amis:coal_mines"><ogc:Filter><ogc:Not><ogc:PropertyIsNull>'
              "<ogc:PropertyName>mine_name</ogc:PropertyName></ogc:PropertyIsNull></ogc:Not></ogc:Filter>"
              "</wfs:Delete>")),
        ("vnm-editor", "replace of a Thai mine",
         tx20("<wfs:Replace>" + feature(gml_point("21 106"), mine_name="x", iso3="VNM") + rid20(tha[1])
              + "</wfs:Replace>")),
    ]


@pytest.mark.parametrize("index", range(7))
def test_editors_outside_their_country_are_403(wfst, index):
    who, what, body = editor_refusals(wfst.store)[index]
    before = fingerprint(wfst.store)
    r = post(wfst, body, who)
    version = "1.1.0" if 'version="1.1.0"' in body else "2.0.0"
    (e, *_) = exception_report(r, 403, version)
    assert e.code == "Forbidden", f"{what}: {e}"
    assert fingerprint(wfst.store) == before, f"{what}: the store changed"


def bad_requests(store: Path) -> list[tuple[str, str | bytes, str | None]]:
    """(what, body, exceptionCode or None) of transactions that must be refused with 400."""
    chn = fids_of(store, "CHN")
    ins = lambda f: tx20(f"<wfs:Insert>{f}</wfs:Insert>")  # noqa: E731
    ok_feature = feature(gml_point("15 101"), mine_name="never stored")
    return [
        ("unknown property", ins(feature(gml_point("15 101"), mine_name="a", colour="red")), "InvalidValue"),
        ("integer property with text", ins(feature(gml_point("15 101"), opening_year="soon")), "InvalidValue"),
        ("real property with text", ins(feature(gml_point("15 101"), capacity_mtpa="lots")), "InvalidValue"),
        ("line in a point type", ins(feature('<gml:LineString srsName="EPSG:4326"><gml:posList>101 15 102 16'
                                             "</gml:posList></gml:LineString>")), "InvalidValue"),
        ("latitude out of range", ins(feature(gml_point("95 101"))), "InvalidValue"),
        ("unknown srsName", ins(feature(gml_point("15 101", "urn:ogc:def:crs:EPSG::999999"))), None),
        ("unknown feature type", ins("<amis:unicorns><amis:name>x</amis:name></amis:unicorns>"), "InvalidValue"),
        ("two feature types", ins(ok_feature + "<amis:countries><amis:name>x</amis:name></amis:countries>"),
         "InvalidValue"),
        ("two feature types in two actions",
         tx20("<wfs:Insert>" + ok_feature + '</wfs:Insert><wfs:Delete typeName="amis:countries"><fes:Filter>'
              '<fes:ResourceId rid="countries.1"/></fes:Filter></wfs:Delete>'), "InvalidValue"),
        ("a valid insert then a bad update",
         tx20("<wfs:Insert>" + ok_feature + '</wfs:Insert><wfs:Update typeName="amis:coal_mines">'
              + prop20("colour", "red") + rid20(chn[30]) + "</wfs:Update>"), "InvalidValue"),
        ("update without a filter",
         tx20('<wfs:Update typeName="amis:coal_mines">' + prop20("mine_name", "x") + "</wfs:Update>"), None),
        ("delete without a filter", tx20('<wfs:Delete typeName="amis:coal_mines"></wfs:Delete>'), None),
        ("delete with an empty filter", tx20('<wfs:Delete typeName="amis:coal_mines"><fes:Filter/></wfs:Delete>'), None),
        ("native", tx20('<wfs:Native vendorId="sqlite" safeToIgnore="false">DELETE FROM coal_mines</wfs:Native>'),
         "OperationNotSupported"),
        ("replace in 1.1", tx11("<wfs:Replace>" + ok_feature + f'<ogc:Filter><ogc:FeatureId fid="coal_mines.{chn[30]}"/>'
                                "</ogc:Filter></wfs:Replace>"), None),
        ("malformed XML", tx20("<wfs:Insert>" + ok_feature + "</wfs:Insert")[:-1], "OperationParsingFailed"),
        ("not XML at all", "INSERT INTO coal_mines VALUES (1)", None),
        ("an empty transaction", tx20(""), None),
        ("an external entity (XXE)",
         '<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
         + tx20("<wfs:Insert>" + feature(gml_point("15 101"), mine_name="&xxe;") + "</wfs:Insert>").split("\n", 1)[1],
         "OperationParsingFailed"),
        ("entity expansion (billion laughs)",
         '<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
         '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
         + tx20("<wfs:Insert>" + feature(gml_point("15 101"), mine_name="&c;") + "</wfs:Insert>").split("\n", 1)[1],
         "OperationParsingFailed"),
    ]


BAD_COUNT = 20


def test_bad_request_list_is_complete(wfst):
    assert len(bad_requests(wfst.store)) == BAD_COUNT


@pytest.mark.parametrize("index", range(BAD_COUNT))
def test_bad_transactions_are_400_and_store_nothing(wfst, index):
    what, body, code = bad_requests(wfst.store)[index]
    before = fingerprint(wfst.store)
    r = post(wfst, body, "secretariat")
    version = "1.1.0" if 'version="1.1.0"' in (body if isinstance(body, str) else "") else "2.0.0"
    (e, *_) = exception_report(r, 400, version)
    if code:
        assert e.code == code, f"{what}: {e}"
    assert "root:" not in r.text, f"{what}: a local file in the answer"
    assert fingerprint(wfst.store) == before, f"{what}: the store changed"


def test_text_that_is_not_utf8_is_400(wfst):
    """A document declared UTF-8 with bytes that are not: refused as a bad request (an OWS
    exception, not a server error), nothing stored, the server still up."""
    before = fingerprint(wfst.store)
    body = tx20("<wfs:Insert>" + feature(gml_point("15 101"), mine_name="bad \udcff\udcfe name") + "</wfs:Insert>")
    r = post(wfst, body.encode("utf-8", "surrogateescape"), "secretariat")
    exception_report(r, 400)
    assert fingerprint(wfst.store) == before
    assert wfst.srv.alive()


def test_transaction_by_get_is_refused(wfst):
    before = fingerprint(wfst.store)
    r = wfst.s.get(wfst.url + "/wfs", params={"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "Transaction"},
                   headers={"Authorization": f"Bearer {wfst.tokens['secretariat']}"}, timeout=30)
    (e, *_) = exception_report(r, 400)
    assert e.code == "OperationNotSupported"
    assert fingerprint(wfst.store) == before


# --------------------------------------------------------------------------- GDAL


def test_gdal_wfs_driver_in_update_mode(wfst):
    store = wfst.store
    gdal.SetConfigOption("GDAL_HTTP_HEADERS", f"Authorization: Bearer {wfst.tokens['secretariat']}")
    try:
        ds = gdal.OpenEx(f"WFS:{wfst.url}/wfs?VERSION=2.0.0", gdal.OF_VECTOR | gdal.OF_UPDATE)
        lyr = ds.GetLayerByName("amis:coal_mines")
        assert lyr.TestCapability(ogr.OLCSequentialWrite) and lyr.TestCapability(ogr.OLCRandomWrite)
        f = ogr.Feature(lyr.GetLayerDefn())
        f["mine_name"], f["iso3"], f["capacity_mtpa"], f["opening_year"] = "GDAL mine", "VNM", 1.25, 1999
        f.SetGeometry(point(106.5, 21.25))
        assert lyr.CreateFeature(f) == 0
        fid = f.GetFID()
        row = mine(store, fid)
        assert row is not None and (row["mine_name"], row["iso3"], row["capacity_mtpa"], row["opening_year"]) == (
            "GDAL mine", "VNM", 1.25, 1999)
        assert_same_geometry(row["geom"], point(106.5, 21.25), what="GDAL's insert")

        g = lyr.GetFeature(fid)
        assert g is not None and g["mine_name"] == "GDAL mine"
        g["mine_name"] = "GDAL mine, renamed"
        g.SetFieldNull("capacity_mtpa")
        g.SetGeometry(point(106.75, 21.5))
        assert lyr.SetFeature(g) == 0
        row = mine(store, fid)
        assert (row["mine_name"], row["capacity_mtpa"], row["opening_year"]) == ("GDAL mine, renamed", None, 1999)
        assert_same_geometry(row["geom"], point(106.75, 21.5), what="GDAL's update")

        assert lyr.DeleteFeature(fid) == 0
        assert mine(store, fid) is None and rtree_box(store, fid) is None
        ds = None
    finally:
        gdal.SetConfigOption("GDAL_HTTP_HEADERS", None)
    assert_registry_consistent(store)
    authors = query(store, "SELECT DISTINCT author, state FROM amis_change_sets WHERE id IN "
                           "(SELECT change_set FROM amis_feature_versions WHERE collection = 'coal_mines' AND fid = ?)",
                    (fid,))
    assert authors == [("secretariat", "approved")]


# --------------------------------------------------------------------------- bugs


def test_text_value_for_the_geometry_is_refused(wfst):
    fid = fids_of(wfst.store, "CHN")[40]
    before = fingerprint(wfst.store)
    body = tx20('<wfs:Update typeName="amis:coal_mines">' + prop20("geometry", "POINT(106 31)") + rid20(fid)
                + "</wfs:Update>")
    r = post(wfst, body, "secretariat")
    assert r.status_code == 400, f"HTTP {r.status_code}; geometry now {mine(wfst.store, fid)['geom']}"
    assert fingerprint(wfst.store) == before


def test_text_geometry_in_an_insert_is_refused(wfst):
    before = fingerprint(wfst.store)
    r = post(wfst, tx20("<wfs:Insert>" + feature("15 101", mine_name="text geometry") + "</wfs:Insert>"), "secretariat")
    assert r.status_code == 400, f"HTTP {r.status_code}: {r.text[:300]}"
    assert fingerprint(wfst.store) == before


def test_undeclared_entity_is_malformed(wfst):
    before = fingerprint(wfst.store)
    r = post(wfst, tx20("<wfs:Insert>" + feature(gml_point("15 101"), mine_name="&xxe;") + "</wfs:Insert>"),
             "secretariat")
    assert r.status_code == 400, f"HTTP {r.status_code}: {r.text[:300]}"
    assert fingerprint(wfst.store) == before


def test_xsi_nil_with_any_prefix_is_null(wfst):
    body = tx20('<wfs:Insert><amis:coal_mines xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
                f'<amis:geometry>{gml_point("15 101")}</amis:geometry><amis:mine_name i:nil="true"/>'
                "<amis:status>nil probe</amis:status></amis:coal_mines></wfs:Insert>")
    (fid,) = transaction_response(post(wfst, body, "secretariat")).inserted
    assert mine(wfst.store, fid)["mine_name"] is None


def test_xsi_nil_is_null(wfst):
    """The control of the test above: with the usual prefix, nil is NULL."""
    body = tx20(f'<wfs:Insert><amis:coal_mines xmlns:xsi="{NS["xsi"]}">'
                f'<amis:geometry>{gml_point("15 101")}</amis:geometry><amis:mine_name xsi:nil="true"/>'
                "<amis:status>nil control</amis:status></amis:coal_mines></wfs:Insert>")
    (fid,) = transaction_response(post(wfst, body, "secretariat")).inserted
    assert mine(wfst.store, fid)["mine_name"] is None and mine(wfst.store, fid)["status"] == "nil control"


def test_delete_then_update_leaves_the_feature_deleted(wfst):
    fid = fids_of(wfst.store, "CHN")[41]
    body = tx20('<wfs:Delete typeName="amis:coal_mines">' + rid20(fid) + "</wfs:Delete>"
                '<wfs:Update typeName="amis:coal_mines">' + prop20("mine_name", "resurrected") + rid20(fid)
                + "</wfs:Update>")
    before = fingerprint(wfst.store)
    r = post(wfst, body, "secretariat")
    if r.status_code == 400:  # refusing the whole transaction would be acceptable too
        assert fingerprint(wfst.store) == before, "a refused transaction changed the store"
        assert mine(wfst.store, fid) is not None
        return
    assert r.status_code == 200, r.text
    result = transaction_response(r)
    assert result.totals["totalDeleted"] == 1
    assert mine(wfst.store, fid) is None, f"deleted feature {fid} is {mine(wfst.store, fid)['mine_name']!r}"


def test_transaction_that_changes_nothing_records_no_change_set(wfst):
    before = fingerprint(wfst.store)
    body = tx20('<wfs:Delete typeName="amis:coal_mines"><fes:Filter><fes:ResourceId rid="coal_mines.999999"/>'
                "</fes:Filter></wfs:Delete>")
    r = post(wfst, body, "expert")
    assert r.status_code in (200, 400), r.text
    if r.status_code == 200:
        result = transaction_response(r)
        assert result.totals["totalDeleted"] == 0
        assert result.location is None, f"an empty change set to review at {result.location}"
    assert fingerprint(wfst.store) == before
