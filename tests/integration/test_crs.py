"""OGC API - Features - Part 2 (Coordinate Reference Systems by Reference): `crs`,
`bbox-crs`, `filter-crs`, `Content-Crs` and the collections' `crs`/`storageCrs` lists.

Every expected coordinate is the *source* coordinate transformed with osgeo.osr (PROJ via
GDAL) into the target CRS in its authority axis order (OAMS_AUTHORITY_COMPLIANT: EPSG:4326
is latitude, longitude; EPSG:5179/5186/3414 are northing, easting); every expected set of
features is computed from the source file with osr/ogr. Nothing is derived from AMIS's output
except the feature ids (checked against the source once, in `coal_ids`).

bbox-crs semantics (as implemented, see encode/coordinate_transform.cpp): the box, given in
the CRS's axis order, is transformed to CRS84 with densified edges (proj_trans_bounds) and
the features intersecting that CRS84 *envelope* are selected. For EPSG:4326 and EPSG:3857
the envelope is the box itself; for a UTM box it is larger than the box (the box's
meridian-crossing edges curve in longitude/latitude), so features outside the UTM
rectangle but inside its envelope are returned too (see the xfail below).

filter-crs semantics: the literal's vertices are transformed to CRS84 (edges not densified)
and the filter is evaluated in CRS84.
"""
from __future__ import annotations

import json
import math
import re
import subprocess
from functools import lru_cache

import pytest
from osgeo import gdal, ogr, osr

from support import COAL_MINES_GPKG, CRS84, DEMO_SOURCES, get_json, read_features

EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/{}"
ADVERTISED_EPSG = [4326, 3857, *range(32646, 32653), *range(32747, 32752),
                   4490, 6668, 5179, 5186, 4755, 3375, 3414, 3405, 4683, 24047, 5247]
ADVERTISED = [CRS84] + [EPSG_URI.format(c) for c in ADVERTISED_EPSG]
CRS_CONFORMANCE = "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs"
COLLECTIONS = ["countries", "coal_mines", "coal_mine_boundaries", "mine_facilities", "observations"]
DEG_TOL = 1e-9   # geographic CRSs, degrees
METRE_TOL = 1e-3  # projected CRSs, metres


def uri(code: int | str) -> str:
    return CRS84 if code == "CRS84" else EPSG_URI.format(code)


def header(code: int | str) -> str:
    return f"<{uri(code)}>"


# --------------------------------------------------------------------------- osr (the reference)


@lru_cache(maxsize=None)
def srs(code: int | str) -> osr.SpatialReference:
    s = osr.SpatialReference()
    if code == "CRS84":
        s.SetFromUserInput("OGC:CRS84")  # longitude, latitude
    else:
        assert s.ImportFromEPSG(code) == 0
    s.SetAxisMappingStrategy(osr.OAMS_AUTHORITY_COMPLIANT)
    return s


@lru_cache(maxsize=None)
def to_crs(code: int | str) -> osr.CoordinateTransformation:
    return osr.CoordinateTransformation(srs("CRS84"), srs(code))


@lru_cache(maxsize=None)
def from_crs(code: int | str) -> osr.CoordinateTransformation:
    return osr.CoordinateTransformation(srs(code), srs("CRS84"))


def transform(code: int | str, points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """CRS84 (lon, lat) points to `code`, in its authority axis order."""
    if not points:
        return []
    return [(p[0], p[1]) for p in to_crs(code).TransformPoints([tuple(p) for p in points])]


def tolerance(code: int | str) -> float:
    return DEG_TOL if srs(code).IsGeographic() else METRE_TOL


def area_of_use(code: int | str) -> tuple[float, float, float, float]:
    if code == "CRS84":
        return (-180.0, -90.0, 180.0, 90.0)
    a = srs(code).GetAreaOfUse()
    return (a.west_lon_degree, a.south_lat_degree, a.east_lon_degree, a.north_lat_degree)


def inside(lon: float, lat: float, box: tuple[float, float, float, float], margin: float = 0.0) -> bool:
    return box[0] - margin <= lon <= box[2] + margin and box[1] - margin <= lat <= box[3] + margin


def crs84_envelope(code: int, a0: float, b0: float, a1: float, b1: float, n: int = 400):
    """Independent densification: the CRS84 envelope of a box given in `code` (its axis
    order), from n+1 points on every edge transformed with osr."""
    edge = []
    for i in range(n + 1):
        t = i / n
        a, b = a0 + (a1 - a0) * t, b0 + (b1 - b0) * t
        edge += [(a, b0), (a, b1), (a0, b), (a1, b)]
    out = from_crs(code).TransformPoints(edge)
    xs, ys = [p[0] for p in out], [p[1] for p in out]
    return (min(xs), min(ys), max(xs), max(ys))


def coordinate_list(coords) -> list[tuple[float, float]]:
    """Flattens GeoJSON coordinates (any nesting) to a list of (x, y)."""
    if coords and isinstance(coords[0], (int, float)):
        return [(coords[0], coords[1])]
    return [p for c in coords for p in coordinate_list(c)]


def assert_points_close(got, want, tol: float, what: str) -> None:
    assert len(got) == len(want), f"{what}: {len(got)} coordinates, expected {len(want)}"
    worst = max(((max(abs(g[0] - w[0]), abs(g[1] - w[1])), i) for i, (g, w) in enumerate(zip(got, want))),
                default=(0.0, -1))
    assert worst[0] <= tol, (
        f"{what}: off by {worst[0]:.3g} (> {tol}) at vertex {worst[1]}: got {got[worst[1]]}, "
        f"expected {want[worst[1]]}")


# --------------------------------------------------------------------------- sources and ids


@pytest.fixture(scope="module")
def coal_source() -> dict[int, tuple[float, float]]:
    """Source fid -> (lon, lat) of every coal mine."""
    return {f.fid: (f.geometry.GetX(), f.geometry.GetY())
            for f in read_features(COAL_MINES_GPKG, "coal_mines")}


@pytest.fixture(scope="module")
def coal_ids(http, base_url, coal_source) -> None:
    """Checks that coal_mines' ids are the source fids (same gem_mine_id and point), so
    that the tests below can compare served ids with source fids."""
    src = {f.fid: f.properties["gem_mine_id"] for f in read_features(COAL_MINES_GPKG, "coal_mines")}
    doc = get_json(http, f"{base_url}/collections/coal_mines/items", limit=10000, properties="gem_mine_id")
    assert len(doc["features"]) == len(src) == doc["numberMatched"]
    for f in doc["features"]:
        assert src.get(f["id"]) == f["properties"]["gem_mine_id"], f"id {f['id']} is not source fid {f['id']}"
        assert tuple(f["geometry"]["coordinates"]) == coal_source[f["id"]]


@pytest.fixture(scope="module")
def countries_source() -> dict[str, list[tuple[float, float]]]:
    """iso3 -> every vertex of the country's source multipolygon, in GeoJSON order."""
    src = DEMO_SOURCES["countries"]
    return {f.properties["iso3"]: vertices(f.geometry) for f in read_features(src.path, src.layer)}


@pytest.fixture(scope="module")
def country_ids(http, base_url) -> dict[str, int]:
    """iso3 -> served feature id (the only thing taken from AMIS)."""
    doc = get_json(http, f"{base_url}/collections/countries/items", limit=100, properties="iso3")
    return {f["properties"]["iso3"]: f["id"] for f in doc["features"]}


def vertices(g: ogr.Geometry) -> list[tuple[float, float]]:
    return coordinate_list(json.loads(g.ExportToJson())["coordinates"])


def served_items(http, base_url, collection, **params):
    r = http.get(f"{base_url}/collections/{collection}/items", params={"limit": 10000, **params}, timeout=60)
    assert r.status_code == 200, f"GET {r.url}: {r.status_code} {r.text[:300]}"
    return r, r.json()


def ids(doc: dict) -> set[int]:
    return {f["id"] for f in doc["features"]}


# --------------------------------------------------------------------------- crs lists


def test_conformance_declares_crs(http, base_url):
    assert CRS_CONFORMANCE in get_json(http, f"{base_url}/conformance")["conformsTo"]


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_collection_lists_crs_and_storage_crs(http, base_url, collection):
    doc = get_json(http, f"{base_url}/collections/{collection}")
    assert doc["crs"] == ADVERTISED
    assert doc["storageCrs"] == CRS84
    assert doc["storageCrs"] in doc["crs"]


def test_collections_list_crs(http, base_url):
    doc = get_json(http, f"{base_url}/collections")
    assert sorted(c["id"] for c in doc["collections"] if c["itemType"] == "feature") == sorted(COLLECTIONS)
    for c in (c for c in doc["collections"] if c["itemType"] == "feature"):
        # per collection, or by reference to a global list ("#/crs") as Part 2 allows
        listed = doc.get("crs", []) if c.get("crs") == ["#/crs"] else c.get("crs")
        assert listed == ADVERTISED, c["id"]
        assert c["storageCrs"] == CRS84, c["id"]


def test_every_advertised_crs_is_one_proj_knows():
    for code in ADVERTISED_EPSG:
        assert srs(code).GetAuthorityCode(None) == str(code)


def test_collections_json_still_validates_with_crs_lists(http, base_url):
    from test_json_schemas import validate
    doc = get_json(http, f"{base_url}/collections")
    assert all("crs" in c and "storageCrs" in c for c in doc["collections"] if c["itemType"] == "feature")
    for c in doc["collections"]:
        validate(c, "collection.yaml")
    validate(doc, "collections.yaml")
    validate(get_json(http, f"{base_url}/collections/coal_mines"), "collection.yaml")


def test_schema_rejects_a_bad_crs_list(http, base_url):
    """The schema does check `crs` (so the validation above means something)."""
    from test_json_schemas import validate
    doc = get_json(http, f"{base_url}/collections/coal_mines")
    doc["crs"] = [4326]
    with pytest.raises(AssertionError):
        validate(doc, "collection.yaml")


# --------------------------------------------------------------------------- crs on items


@pytest.mark.parametrize("code", ["CRS84", *ADVERTISED_EPSG])
def test_items_points_in_every_advertised_crs(http, base_url, coal_source, coal_ids, code):
    """All coal mines inside the CRS's area of use (bbox = area of use, in CRS84), in the
    CRS: ids as the source's, coordinates equal to osr's transform of the source."""
    area = area_of_use(code)
    want_fids = sorted(fid for fid, (x, y) in coal_source.items() if inside(x, y, area))
    r, doc = served_items(http, base_url, "coal_mines", crs=uri(code), properties="gem_mine_id",
                          bbox=",".join(map(repr, area)))
    assert r.headers.get("Content-Crs") == header(code)
    assert doc["numberMatched"] == len(want_fids)
    served = {f["id"]: tuple(f["geometry"]["coordinates"]) for f in doc["features"]}
    assert sorted(served) == want_fids
    want = transform(code, [coal_source[fid] for fid in want_fids])
    assert_points_close([served[fid] for fid in want_fids], want, tolerance(code), f"coal_mines in {uri(code)}")


def countries_for(code, countries_source, n=3) -> list[str]:
    """Up to n of the smallest countries with vertices inside the CRS's area of use."""
    area = area_of_use(code)
    cands = [(len(v), iso) for iso, v in countries_source.items() if any(inside(x, y, area) for x, y in v)]
    return [iso for _, iso in sorted(cands)[:n]]


@pytest.mark.parametrize("code", ["CRS84", *ADVERTISED_EPSG])
def test_single_item_polygons_in_every_advertised_crs(http, base_url, countries_source, country_ids, code):
    """Country multipolygons (the national CRSs with few or no coal mines in their area of
    use - Korea, Singapore, Peninsular Malaysia, Brunei - are covered here) through
    /items/{id}?crs=: the vertices inside the area of use equal osr's transform."""
    area = area_of_use(code)
    chosen = countries_for(code, countries_source)
    assert chosen, f"no country inside the area of use of {code}"
    compared = 0
    for iso in chosen:
        r = http.get(f"{base_url}/collections/countries/items/{country_ids[iso]}",
                     params={"crs": uri(code)}, timeout=60)
        assert r.status_code == 200, r.text[:300]
        assert r.headers.get("Content-Crs") == header(code)
        src = countries_source[iso]
        got = coordinate_list(r.json()["geometry"]["coordinates"])
        assert len(got) == len(src), f"{iso}: vertex count changed"
        keep = [i for i, (x, y) in enumerate(src) if inside(x, y, area)]
        want = transform(code, [src[i] for i in keep])
        assert_points_close([got[i] for i in keep], want, tolerance(code), f"{iso} in {uri(code)}")
        compared += len(keep)
    assert compared > 0


@pytest.mark.parametrize("code", [4326, 3857, 32648, 5179])
def test_single_point_item(http, base_url, coal_source, coal_ids, code):
    area = area_of_use(code)
    fids = [fid for fid, (x, y) in sorted(coal_source.items()) if inside(x, y, area)][:3]
    assert fids
    for fid in fids:
        r = http.get(f"{base_url}/collections/coal_mines/items/{fid}", params={"crs": uri(code)}, timeout=30)
        assert r.status_code == 200
        assert r.headers.get("Content-Crs") == header(code)
        assert_points_close([tuple(r.json()["geometry"]["coordinates"])], transform(code, [coal_source[fid]]),
                            tolerance(code), f"item {fid}")


def test_axis_order_epsg_4326_is_lat_lon_crs84_is_lon_lat(http, base_url, coal_source, coal_ids):
    fid = 1
    lon, lat = coal_source[fid]
    assert lon > 90 and 0 < lat < 60  # unambiguous: longitude and latitude cannot be confused
    url = f"{base_url}/collections/coal_mines/items/{fid}"
    r = http.get(url, params={"crs": uri(4326)}, timeout=30)
    assert r.headers["Content-Crs"] == header(4326)
    assert r.json()["geometry"]["coordinates"] == [lat, lon]
    for params in ({"crs": CRS84}, {}):
        r = http.get(url, params=params, timeout=30)
        assert r.headers["Content-Crs"] == header("CRS84")
        assert r.json()["geometry"]["coordinates"] == [lon, lat]
    # the reference agrees: osr puts latitude first for EPSG:4326, northing first for 5179
    assert srs(4326).EPSGTreatsAsLatLong() and srs(5179).EPSGTreatsAsNorthingEasting()
    assert transform(4326, [(lon, lat)]) == [(lat, lon)]
    # and all features in EPSG:4326 are the source swapped
    _, doc = served_items(http, base_url, "coal_mines", crs=uri(4326), properties="gem_mine_id")
    assert {f["id"]: tuple(f["geometry"]["coordinates"]) for f in doc["features"]} == {
        k: (y, x) for k, (x, y) in coal_source.items()}


def test_axis_order_of_northing_first_projected_crs(http, base_url, countries_source, country_ids):
    """EPSG:5179 (Korea 2000 / Unified CS) is northing, easting: Seoul's first coordinate is
    the northing (about 1.95e6 m), the second the easting (about 9.5e5 m)."""
    n, e = transform(5179, [(126.978, 37.5665)])[0]
    assert 1.9e6 < n < 2.0e6 and 9.0e5 < e < 1.0e6  # the reference: northing first
    r = http.get(f"{base_url}/collections/countries/items/{country_ids['KOR']}",
                 params={"crs": uri(5179)}, timeout=30)
    got = coordinate_list(r.json()["geometry"]["coordinates"])
    src = countries_source["KOR"]
    want = transform(5179, src)
    assert_points_close(got, want, METRE_TOL, "KOR in EPSG:5179")
    lats = [lat for _, lat in src]
    north = max(range(len(src)), key=lambda i: lats[i])
    south = min(range(len(src)), key=lambda i: lats[i])
    assert got[north][0] > got[south][0], "the first coordinate is not the northing"


@pytest.mark.parametrize("given,code", [
    ("[EPSG:3857]", 3857), ("[EPSG:4326]", 4326), ("[OGC:CRS84]", "CRS84"),
    ("https://www.opengis.net/def/crs/EPSG/0/32649", 32649),
])
def test_crs_as_curie_or_https_uri(http, base_url, coal_source, coal_ids, given, code):
    r = http.get(f"{base_url}/collections/coal_mines/items/1", params={"crs": given}, timeout=30)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Crs"] == header(code)
    assert_points_close([tuple(r.json()["geometry"]["coordinates"])], transform(code, [coal_source[1]]),
                        tolerance(code), given)


@pytest.mark.parametrize("code", [3395, 2154, 4979])
def test_crs_not_advertised_but_known_to_proj(http, base_url, coal_source, coal_ids, code):
    """Any EPSG code PROJ knows may be requested (World Mercator, Lambert-93, WGS 84 3D)."""
    _, doc = served_items(http, base_url, "coal_mines", crs=uri(code), properties="gem_mine_id", limit=200)
    got = {f["id"]: tuple(f["geometry"]["coordinates"][:2]) for f in doc["features"]}
    fids = sorted(got)
    assert len(fids) == 200
    assert_points_close([got[f] for f in fids], transform(code, [coal_source[f] for f in fids]),
                        tolerance(code), uri(code))


def test_crs_survives_paging_links(http, base_url, coal_ids, coal_source):
    r, doc = served_items(http, base_url, "coal_mines", crs="[EPSG:3857]", limit=5, properties="gem_mine_id")
    nxt = next(lk["href"] for lk in doc["links"] if lk["rel"] == "next")
    r2 = http.get(nxt, timeout=30)
    assert r2.headers["Content-Crs"] == header(3857)
    page = {f["id"]: tuple(f["geometry"]["coordinates"]) for f in r2.json()["features"]}
    fids = sorted(page)
    assert_points_close([page[f] for f in fids], transform(3857, [coal_source[f] for f in fids]),
                        METRE_TOL, "next page")


# --------------------------------------------------------------------------- bbox-crs

BBOX_CASES = {
    # code: box in the CRS's own axis order
    4326: (20.0, 105.0, 30.0, 115.0),            # lat_min, lon_min, lat_max, lon_max
    3857: (11600000.0, 2500000.0, 12600000.0, 4300000.0),
    32649: (300000.0, 4000000.0, 700000.0, 4400000.0),
    32748: (200000.0, 9000000.0, 800000.0, 9900000.0),
}
MARGIN = 1e-4  # degrees; no source point may lie this close to an envelope edge


def bbox_expectation(code, box, coal_source):
    """The source points inside the box's CRS84 envelope (edges densified by osr) and
    those inside the box itself, in its CRS: both computed here, not by the server."""
    env = crs84_envelope(code, *box)
    near = [fid for fid, (x, y) in coal_source.items() if inside(x, y, env, MARGIN) != inside(x, y, env, -MARGIN)]
    assert not near, f"box badly chosen: points {near[:5]} lie on the envelope's edges"
    in_env = {fid for fid, (x, y) in coal_source.items() if inside(x, y, env)}
    fids = sorted(coal_source)
    projected = transform(code, [coal_source[f] for f in fids])
    if code not in (4326,):  # no point within a metre of the box's edges in its own CRS
        edge = [f for f, (a, b) in zip(fids, projected)
                if (box[0] - 1 <= a <= box[2] + 1 and box[1] - 1 <= b <= box[3] + 1)
                and not (box[0] + 1 <= a <= box[2] - 1 and box[1] + 1 <= b <= box[3] - 1)]
        assert not edge, f"box badly chosen: points {edge[:5]} lie on its edges"
    in_box = {f for f, (a, b) in zip(fids, projected) if box[0] <= a <= box[2] and box[1] <= b <= box[3]}
    return in_env, in_box


@pytest.mark.parametrize("code", list(BBOX_CASES))
def test_bbox_crs_selects_the_features_inside_the_box(http, base_url, coal_source, coal_ids, code):
    """Part 1 /req/core/fc-bbox-response with Part 2 bbox-crs: numberMatched and ids are the
    source points inside the box in its own CRS. For a UTM box that is fewer than the
    points inside the box's CRS84 envelope; for EPSG:4326 and 3857 the two are the same."""
    box = BBOX_CASES[code]
    in_env, in_box = bbox_expectation(code, box, coal_source)
    assert in_box
    if code in (4326, 3857):
        assert in_env == in_box  # the envelope is the box itself
    elif code == 32649:
        assert in_box < in_env  # this case tells the box from its envelope
    _, doc = served_items(http, base_url, "coal_mines", **{"bbox-crs": uri(code)},
                          bbox=",".join(map(repr, box)), properties="gem_mine_id")
    assert doc["numberMatched"] == len(in_box)
    assert ids(doc) == in_box


def test_a_projected_bbox_filter_selects_inside_the_box(http, base_url, coal_source, coal_ids):
    """The same with a CQL2 BBOX literal under filter-crs (Part 3 with Part 2)."""
    code = 32649
    box = BBOX_CASES[code]
    _, in_box = bbox_expectation(code, box, coal_source)
    cql = "S_INTERSECTS(geometry, BBOX(%s))" % ",".join(map(repr, box))
    _, doc = served_items(http, base_url, "coal_mines", **{"filter-crs": uri(code)}, filter=cql,
                          properties="gem_mine_id")
    assert ids(doc) == in_box


def test_bbox_crs_4326_is_latitude_first(http, base_url, coal_source, coal_ids):
    """The same numbers read as lon,lat would select another set (here: none)."""
    lat0, lon0, lat1, lon1 = BBOX_CASES[4326]
    want = {f for f, (x, y) in coal_source.items() if lon0 <= x <= lon1 and lat0 <= y <= lat1}
    _, doc = served_items(http, base_url, "coal_mines", **{"bbox-crs": uri(4326)},
                          bbox=f"{lat0},{lon0},{lat1},{lon1}", properties="gem_mine_id")
    assert ids(doc) == want
    plain = http.get(f"{base_url}{ITEMS}", params={"bbox": f"{lat0},{lon0},{lat1},{lon1}", "limit": 10000},
                     timeout=30)  # as CRS84: latitudes 105..115, refused or another set
    assert plain.status_code == 400 or ids(plain.json()) != want


def test_bbox_crs_crs84_equals_no_bbox_crs(http, base_url):
    box = "100,10,110,22"
    _, a = served_items(http, base_url, "coal_mines", bbox=box, properties="gem_mine_id")
    _, b = served_items(http, base_url, "coal_mines", bbox=box, properties="gem_mine_id", **{"bbox-crs": CRS84})
    assert a["numberMatched"] == b["numberMatched"] > 0 and ids(a) == ids(b)


ANTIMERIDIAN = (30.0, 129.5, 50.0, -170.0)  # lat_min, lon_min, lat_max, lon_max: 129.5E east to 170W


def test_bbox_crs84_across_the_antimeridian(http, base_url, coal_source, coal_ids):
    """The reference for the next test: the same box in CRS84 (lon, lat) works."""
    lat0, lon0, lat1, lon1 = ANTIMERIDIAN
    want = {f for f, (x, y) in coal_source.items() if lat0 <= y <= lat1 and (x >= lon0 or x <= lon1)}
    assert 0 < len(want) < 100
    _, doc = served_items(http, base_url, "coal_mines", bbox=f"{lon0},{lat0},{lon1},{lat1}", properties="gem_mine_id")
    assert ids(doc) == want


def test_bbox_crs_4326_across_the_antimeridian(http, base_url, coal_source, coal_ids):
    lat0, lon0, lat1, lon1 = ANTIMERIDIAN
    want = {f for f, (x, y) in coal_source.items() if lat0 <= y <= lat1 and (x >= lon0 or x <= lon1)}
    _, doc = served_items(http, base_url, "coal_mines", **{"bbox-crs": uri(4326)},
                          bbox=f"{lat0},{lon0},{lat1},{lon1}", properties="gem_mine_id")
    assert ids(doc) == want



@pytest.mark.parametrize("bbox,crs84_equivalent", [
    ("30,105,20,115", "105,30,115,20"),
    ("100,20,110,30", "20,100,30,110"),
])
def test_bbox_crs_4326_box_is_validated_like_a_crs84_box(http, base_url, bbox, crs84_equivalent):
    """A latitude-first box whose latitudes are inverted or outside -90..90 is a 400, as it
    is in CRS84."""
    assert http.get(base_url + ITEMS, params={"bbox": crs84_equivalent}, timeout=30).status_code == 400
    r = http.get(base_url + ITEMS, params={"bbox": bbox, "bbox-crs": uri(4326)}, timeout=30)
    assert r.status_code == 400, f"{r.status_code}: {r.text[:150]}"
    assert "bbox" in r.json()["description"]


# --------------------------------------------------------------------------- filter-crs

UTM48_RING = [(600000, 2250000), (800000, 2250000), (850000, 2400000), (700000, 2500000),
              (580000, 2380000), (600000, 2250000)]


def wkt_polygon(ring) -> str:
    return "POLYGON((" + ",".join(f"{a!r} {b!r}" for a, b in ring) + "))"


@pytest.fixture(scope="module")
def utm48_polygon(coal_source):
    """The UTM 48N polygon, its CRS84 equivalent (vertices transformed with osr), and the
    source fids inside it - the same whether tested in UTM or in CRS84, since no point lies
    within 0.01 degrees (about 1 km) of the boundary."""
    ring84 = [(p[0], p[1]) for p in from_crs(32648).TransformPoints([(float(a), float(b)) for a, b in UTM48_RING])]
    poly84 = ogr.CreateGeometryFromWkt(wkt_polygon(ring84))
    poly_utm = ogr.CreateGeometryFromWkt(wkt_polygon(UTM48_RING))
    boundary = poly84.GetBoundary()
    fids = sorted(coal_source)
    utm = transform(32648, [coal_source[f] for f in fids])
    in84, in_utm = set(), set()
    for fid, (a, b) in zip(fids, utm):
        x, y = coal_source[fid]
        pt = ogr.CreateGeometryFromWkt(f"POINT ({x!r} {y!r})")
        assert boundary.Distance(pt) > 0.01, f"polygon badly chosen: mine {fid} is on its boundary"
        if poly84.Intersects(pt):
            in84.add(fid)
        if poly_utm.Intersects(ogr.CreateGeometryFromWkt(f"POINT ({a!r} {b!r})")):
            in_utm.add(fid)
    assert in84 == in_utm and len(in84) > 10
    return ring84, in84


def test_filter_crs_utm_polygon_equals_crs84_polygon(http, base_url, coal_ids, utm48_polygon):
    ring84, want = utm48_polygon
    _, utm = served_items(http, base_url, "coal_mines", properties="gem_mine_id",
                          filter=f"S_INTERSECTS(geom, {wkt_polygon(UTM48_RING)})",
                          **{"filter-crs": uri(32648)})
    _, crs84 = served_items(http, base_url, "coal_mines", properties="gem_mine_id",
                            filter=f"S_INTERSECTS(geom, {wkt_polygon(ring84)})")
    assert ids(utm) == ids(crs84) == want
    assert utm["numberMatched"] == len(want)


@pytest.mark.parametrize("code", [4326, 3857, 4490])
def test_filter_crs_polygon_in_other_crss(http, base_url, coal_ids, utm48_polygon, code):
    """The same CRS84 polygon written in EPSG:4326 (lat lon), 3857 and CGCS2000 (lat lon)."""
    ring84, want = utm48_polygon
    ring = transform(code, ring84)
    _, doc = served_items(http, base_url, "coal_mines", properties="gem_mine_id",
                          filter=f"S_INTERSECTS(geom, {wkt_polygon(ring)})", **{"filter-crs": uri(code)})
    assert ids(doc) == want


def test_filter_crs_applies_to_cql2_json_too(http, base_url, coal_ids, utm48_polygon):
    _, want = utm48_polygon
    flt = {"op": "s_intersects", "args": [{"property": "geom"}, {
        "type": "Polygon", "coordinates": [[list(p) for p in UTM48_RING]]}]}
    _, doc = served_items(http, base_url, "coal_mines", properties="gem_mine_id", filter=json.dumps(flt),
                          **{"filter-lang": "cql2-json", "filter-crs": uri(32648)})
    assert ids(doc) == want


def test_crs_bbox_crs_and_filter_crs_together(http, base_url, coal_source, coal_ids, utm48_polygon):
    """Output in 3857, bbox in 4326 (lat first), filter in UTM 48N: the intersection of both
    selections, with coordinates in 3857."""
    _, in_poly = utm48_polygon
    lat0, lon0, lat1, lon1 = 20.5, 106.7, 21.2, 107.5
    in_box = {f for f, (x, y) in coal_source.items() if lon0 <= x <= lon1 and lat0 <= y <= lat1}
    want = in_poly & in_box
    assert want and want != in_poly
    r, doc = served_items(http, base_url, "coal_mines", properties="gem_mine_id",
                          crs=uri(3857), bbox=f"{lat0},{lon0},{lat1},{lon1}",
                          filter=f"S_INTERSECTS(geom, {wkt_polygon(UTM48_RING)})",
                          **{"bbox-crs": uri(4326), "filter-crs": uri(32648)})
    assert r.headers["Content-Crs"] == header(3857)
    got = {f["id"]: tuple(f["geometry"]["coordinates"]) for f in doc["features"]}
    assert set(got) == want
    fids = sorted(want)
    assert_points_close([got[f] for f in fids], transform(3857, [coal_source[f] for f in fids]),
                        METRE_TOL, "combined")


# --------------------------------------------------------------------------- clients


def ogr2ogr(*args: str) -> None:
    r = subprocess.run(["ogr2ogr", *args], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def read_points(path, layer) -> tuple[dict, osr.SpatialReference]:
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR)
    lyr = ds.GetLayerByName(layer)
    out = {f.GetField("gem_mine_id") + f"#{f.GetFID()}": (f.GetGeometryRef().GetX(), f.GetGeometryRef().GetY())
           for f in lyr}
    return out, lyr.GetSpatialRef().Clone()


def by_mine(points: dict) -> dict[str, list]:
    out: dict[str, list] = {}
    for k, p in points.items():
        out.setdefault(k.split("#")[0], []).append(p)
    return {k: sorted(v) for k, v in out.items()}


@pytest.fixture(scope="module")
def oapif_copy(base_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("oapif_crs")
    out = folder / "coal_mines.gpkg"
    ogr2ogr("-f", "GPKG", str(out), f"OAPIF:{base_url}", "coal_mines", "-select", "gem_mine_id")
    return folder, out


def test_gdal_oapif_download_has_the_source_geometries(oapif_copy, coal_source):
    """GDAL reads the CRS84 GeoJSON as longitude, latitude: the copy equals the source."""
    _, out = oapif_copy
    copy, copy_srs = read_points(out, "coal_mines")
    assert copy_srs.GetAuthorityCode(None) in ("4326", "CRS84")
    src = {f.properties["gem_mine_id"] + f"#{f.fid}": (f.geometry.GetX(), f.geometry.GetY())
           for f in read_features(COAL_MINES_GPKG, "coal_mines")}
    a, b = by_mine(copy), by_mine(src)
    assert a.keys() == b.keys()
    for k in a:
        assert_points_close(a[k], b[k], DEG_TOL, k)


@pytest.mark.parametrize("code", [4326, 3857, 32648])
def test_gdal_reprojection_of_the_download_equals_reprojection_of_the_source(oapif_copy, code):
    """ogr2ogr -t_srs on the OAPIF layer and on the source give the same points: GDAL
    understood the served CRS (and its axis order)."""
    folder, _ = oapif_copy
    a_path, b_path = folder / f"oapif_{code}.gpkg", folder / f"src_{code}.gpkg"
    ogr2ogr("-f", "GPKG", "-t_srs", f"EPSG:{code}", str(a_path), str(folder / "coal_mines.gpkg"))
    ogr2ogr("-f", "GPKG", "-t_srs", f"EPSG:{code}", "-select", "gem_mine_id", "-nln", "coal_mines",
            str(b_path), str(COAL_MINES_GPKG), "coal_mines")
    a, _ = read_points(a_path, "coal_mines")
    b, _ = read_points(b_path, "coal_mines")
    a, b = by_mine(a), by_mine(b)
    assert a.keys() == b.keys()
    tol = DEG_TOL if code == 4326 else METRE_TOL
    for k in a:
        assert_points_close(a[k], b[k], tol, k)


@pytest.mark.parametrize("code", [4326, 3857])
def test_crs_request_equals_ogr2ogr_t_srs(http, base_url, tmp_path_factory, code):
    """What GDAL's OAPIF driver asks for with its CRS open option (GDAL >= 3.7, not
    Debian 12's 3.6): every coal mine with crs=<EPSG URI>. The served points, by
    gem_mine_id, equal `ogr2ogr -t_srs` of the source, read in the CRS's own axis order
    (osr: EPSG:4326 is latitude first, while the GeoPackage stores longitude first)."""
    r, doc = served_items(http, base_url, "coal_mines", crs=uri(code), properties="gem_mine_id", limit=10000)
    assert r.headers.get("Content-Crs") == header(code)
    assert doc["numberMatched"] == doc["numberReturned"] == len(doc["features"])
    served: dict[str, list] = {}
    for f in doc["features"]:
        served.setdefault(f["properties"]["gem_mine_id"], []).append(tuple(f["geometry"]["coordinates"]))
    folder = tmp_path_factory.mktemp(f"t_srs_{code}")
    path = folder / "b.gpkg"
    ogr2ogr("-f", "GPKG", "-t_srs", f"EPSG:{code}", "-select", "gem_mine_id", "-nln", "coal_mines",
            str(path), str(COAL_MINES_GPKG), "coal_mines")
    want = by_mine(read_points(path, "coal_mines")[0])
    if srs(code).EPSGTreatsAsLatLong():  # the GeoPackage holds (lon, lat); the served CRS (lat, lon)
        want = {k: sorted((y, x) for x, y in v) for k, v in want.items()}
    assert served.keys() == want.keys()
    for k in want:
        assert_points_close(sorted(served[k]), want[k], DEG_TOL if code == 4326 else METRE_TOL, k)


@pytest.mark.parametrize("code", [4326, 32649])
def test_owslib_collection_items_with_crs(base_url, coal_source, coal_ids, code):
    from owslib.ogcapi.features import Features
    client = Features(base_url)
    assert uri(code) in client.collection("coal_mines")["crs"]
    doc = client.collection_items("coal_mines", crs=uri(code), bbox=[108.0, 30.0, 114.0, 40.0], limit=50)
    assert doc["numberReturned"] == 50
    got = {f["id"]: tuple(f["geometry"]["coordinates"]) for f in doc["features"]}
    fids = sorted(got)
    assert all(inside(*coal_source[f], (108.0, 30.0, 114.0, 40.0)) for f in fids)
    assert_points_close([got[f] for f in fids], transform(code, [coal_source[f] for f in fids]),
                        tolerance(code), "owslib")


# --------------------------------------------------------------------------- errors


ITEMS = "/collections/coal_mines/items"


@pytest.mark.parametrize("path,params,parameter", [
    (ITEMS, {"crs": "EPSG:999999"}, "crs"),
    (ITEMS, {"crs": "[EPSG:999999]"}, "crs"),
    (ITEMS, {"crs": "http://www.opengis.net/def/crs/EPSG/0/999999"}, "crs"),
    (ITEMS, {"crs": "nonsense"}, "crs"),
    (ITEMS, {"crs": ""}, "crs"),
    (ITEMS, {"crs": "http://www.opengis.net/def/crs/EPSG/0/abc"}, "crs"),
    (ITEMS, {"crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS85"}, "crs"),
    (ITEMS + "/1", {"crs": "nonsense"}, "crs"),
    (ITEMS + "/1", {"crs": "[EPSG:999999]"}, "crs"),
    (ITEMS, {"bbox-crs": "foo", "bbox": "1,2,3,4"}, "bbox-crs"),
    (ITEMS, {"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/999999", "bbox": "1,2,3,4"}, "bbox-crs"),
    (ITEMS, {"filter-crs": "bar", "filter": "S_INTERSECTS(geom, POINT(1 2))"}, "filter-crs"),
    (ITEMS, {"filter-crs": "[EPSG:999999]", "filter": "S_INTERSECTS(geom, POINT(1 2))"}, "filter-crs"),
])
def test_bad_crs_is_400_with_an_exception(http, base_url, path, params, parameter):
    from test_json_schemas import validate
    r = http.get(base_url + path, params=params, timeout=30)
    assert r.status_code == 400, f"{r.url}: {r.status_code} {r.text[:200]}"
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    validate(body, "exception.yaml")
    assert body["code"] and parameter in body["description"]


def test_server_still_serves_after_the_errors(http, base_url, coal_source, coal_ids):
    for _ in range(3):
        for code in ("EPSG:999999", "nonsense"):
            assert http.get(f"{base_url}{ITEMS}", params={"crs": code}, timeout=30).status_code == 400
    r = http.get(f"{base_url}{ITEMS}/1", params={"crs": uri(3857)}, timeout=30)
    assert r.status_code == 200
    assert_points_close([tuple(r.json()["geometry"]["coordinates"])], transform(3857, [coal_source[1]]),
                        METRE_TOL, "after errors")
    assert get_json(http, f"{base_url}/")["links"]


def test_points_outside_the_projection_domain_give_valid_geojson(http, base_url, coal_source, coal_ids):
    from test_json_schemas import validate
    code = 32633  # UTM 33N, central meridian 15E: most of Asia is far outside it
    fids = sorted(coal_source)
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        ref = dict(zip(fids, transform(code, [coal_source[f] for f in fids])))
    finally:
        gdal.PopErrorHandler()
    assert any(not math.isfinite(a) for a, _ in ref.values()), "the case no longer discriminates"
    r = http.get(base_url + ITEMS, params={"crs": uri(code), "limit": 10000, "properties": "gem_mine_id"},
                 timeout=60)
    if r.status_code == 400:
        return
    assert r.status_code == 200
    doc = r.json()
    bad = [f["id"] for f in doc["features"] if f["geometry"] is not None
           and not all(isinstance(c, (int, float)) and math.isfinite(c) for c in f["geometry"]["coordinates"])]
    assert not bad, f"{len(bad)} features with non-numeric coordinates, e.g. ids {bad[:3]}"
    # RFC 7946 3.2 allows a null geometry; the OGC 1.0.1 schema (not nullable) is applied to
    # the features that have one. The null ones are exactly those PROJ cannot place.
    validate({**doc, "features": [f for f in doc["features"] if f["geometry"] is not None]},
             "featureCollectionGeoJSON.yaml")
    nulls = {f["id"] for f in doc["features"] if f["geometry"] is None}
    assert nulls == {fid for fid, (a, _) in ref.items() if not math.isfinite(a)}
    for f in doc["features"]:
        if f["geometry"] is not None:
            assert_points_close([tuple(f["geometry"]["coordinates"])], [ref[f["id"]]], METRE_TOL, f"id {f['id']}")


# --------------------------------------------------------------------------- HTML


DATA_GEOJSON = re.compile(r'data-geojson="([^"]*)"')


@pytest.mark.parametrize("path", [ITEMS, ITEMS + "/1"])
def test_html_map_link_draws_in_crs84(http, base_url, coal_source, coal_ids, path):
    params = {"crs": uri(3857), "f": "html", **({} if path.endswith("/1") else {"limit": 5})}
    r = http.get(base_url + path, params=params, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    m = DATA_GEOJSON.search(r.text)
    assert m, "no map (data-geojson) on the page"
    href = m.group(1).replace("&amp;", "&")
    assert "crs=" not in href.split("?", 1)[-1].replace("bbox-crs=", "").replace("filter-crs=", "")
    data = http.get(href, timeout=30)
    assert data.headers["Content-Crs"] == header("CRS84")
    doc = data.json()
    feats = doc["features"] if "features" in doc else [doc]
    assert feats
    for f in feats:
        assert tuple(f["geometry"]["coordinates"]) == coal_source[f["id"]]


def test_html_map_link_keeps_bbox_crs_with_its_bbox(http, base_url, coal_source, coal_ids):
    """Dropping crs from the map link must not drop bbox-crs: the bbox means nothing without it."""
    lat0, lon0, lat1, lon1 = BBOX_CASES[4326]
    r = http.get(base_url + ITEMS, params={"crs": uri(3857), "f": "html", "bbox-crs": uri(4326),
                                           "bbox": f"{lat0},{lon0},{lat1},{lon1}", "limit": 10000}, timeout=30)
    href = DATA_GEOJSON.search(r.text).group(1).replace("&amp;", "&")
    doc = http.get(href, timeout=30).json()
    want = {f for f, (x, y) in coal_source.items() if lon0 <= x <= lon1 and lat0 <= y <= lat1}
    assert ids(doc) == want


def test_a_projected_wfs_bbox_selects_inside_the_box(http, base_url, coal_source, coal_ids):
    """WFS 2.0 GetFeature BBOX=...,<a UTM CRS>: the features inside that box, as for bbox-crs."""
    code = 32649
    box = BBOX_CASES[code]
    _, in_box = bbox_expectation(code, box, coal_source)
    r = http.get(f"{base_url}/wfs", timeout=60, params={
        "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature", "TYPENAMES": "amis:coal_mines",
        "OUTPUTFORMAT": "application/json", "COUNT": 10000,
        "BBOX": ",".join(map(repr, box)) + f",urn:ogc:def:crs:EPSG::{code}"})
    assert r.status_code == 200, r.text[:300]
    got = {int(str(f["id"]).rsplit(".", 1)[-1]) for f in r.json()["features"]}
    assert got == in_box
