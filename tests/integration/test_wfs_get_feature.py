"""WFS 2.0 GetFeature in KVP: whole collections equal their sources (ids, attributes,
lat/lon coordinates), BBOX selects what an independent intersection test selects,
resultType=hits counts like OGR, RESOURCEID, PROPERTYNAME, SORTBY (like SQLite's ORDER
BY), COUNT, NAMESPACES, POST, and WFS 1.1.0 GetFeature (GML 3.1.1)."""
from __future__ import annotations

import sqlite3

import pytest

from support import assert_same_geometry, intersects_bbox
from wfs_support import (AMIS_NS, COLLECTIONS, NS, assert_same_attributes, counts, expected_geometry,
                         get_feature_body, get_features, kvp, lonlat_to, post_features, qname,
                         schema_with_application_schema, served_ids, swap_xy, xml_norm, xml_response)

DEFAULT_CRS = "urn:ogc:def:crs:EPSG::4326"


@pytest.fixture(scope="module")
def whole(http, base_url):
    """collection -> (document, features) of an unrestricted GetFeature."""
    cache = {}

    def get(collection):
        if collection not in cache:
            cache[collection] = get_features(http, base_url, TYPENAMES=f"amis:{collection}")
        return cache[collection]
    return get


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_whole_collection_has_every_feature_once(whole, wfs_expected, collection):
    doc, features = whole(collection)
    exp = wfs_expected(collection)
    ids = served_ids(features, collection)
    assert len(ids) == len(set(ids)), "a gml:id served twice"
    assert sorted(ids) == sorted(exp.by_id)
    assert counts(doc) == (len(exp.by_id), len(exp.by_id))
    assert doc.get("timeStamp"), "no timeStamp on the FeatureCollection"


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_whole_collection_attributes_equal_the_source(whole, wfs_expected, collection):
    _, features = whole(collection)
    exp = wfs_expected(collection)
    for f in features:
        assert f.type_name == collection
        assert_same_attributes(f, exp.by_id[int(f.gml_id.split(".")[-1])], exp.types)
        assert set(f.properties) <= set(exp.types), f"{f.gml_id}: unknown properties"


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_whole_collection_geometries_are_lat_lon(whole, wfs_expected, collection):
    """Default CRS urn:ogc:def:crs:EPSG::4326: latitude first, vertex for vertex."""
    _, features = whole(collection)
    exp = wfs_expected(collection)
    for f in features:
        src = exp.by_id[int(f.gml_id.split(".")[-1])]
        assert f.srs_name is not None, f"{f.gml_id}: geometry without srsName"
        assert f.srs_name.strip() in (DEFAULT_CRS, "http://www.opengis.net/def/crs/EPSG/0/4326"), f.srs_name
        assert_same_geometry(f.geometry, swap_xy(src.geometry), 1e-9, f.gml_id)


@pytest.mark.parametrize("collection", ["coal_mines", "countries", "observations"])
def test_whole_collection_is_schema_valid(whole, dft_schema, collection):
    doc, _ = whole(collection)
    if not dft_schema.validate(doc):
        raise AssertionError(str(list(dft_schema.error_log)[:5]))


# --------------------------------------------------------------------------- BBOX

BOXES_LONLAT = [
    (100.0, 10.0, 110.0, 22.0),      # Indochina
    (95.0, -11.0, 141.0, 6.0),       # Indonesia
    (110.0, 35.0, 115.0, 40.0),      # Shanxi/Hebei
    (104.5, 20.5, 107.5, 23.5),
    (0.0, 0.0, 1.0, 1.0),            # nothing
]


def expected_in_box(exp, box) -> set[int]:
    return exp.ids_where(lambda f: intersects_bbox(f.geometry, box))


@pytest.mark.parametrize("box", BOXES_LONLAT)
@pytest.mark.parametrize("collection", ["coal_mines", "coal_mine_boundaries", "countries", "mine_facilities"])
def test_bbox_default_crs_is_lat_lon(http, base_url, wfs_expected, collection, box):
    exp = wfs_expected(collection)
    want = expected_in_box(exp, box)
    lat_lon = f"{box[1]},{box[0]},{box[3]},{box[2]}"
    doc, features = get_features(http, base_url, TYPENAMES=f"amis:{collection}", BBOX=lat_lon)
    assert sorted(served_ids(features, collection)) == sorted(want)
    assert counts(doc) == (len(want), len(want))


@pytest.mark.parametrize("box", BOXES_LONLAT[:3])
def test_bbox_count_equals_ogr_spatial_filter(http, base_url, wfs_expected, box):
    """For points, OGR's SetSpatialFilterRect on the source is the reference count."""
    exp = wfs_expected("coal_mines")
    doc, _ = get_features(http, base_url, TYPENAMES="amis:coal_mines", RESULTTYPE="hits",
                          BBOX=f"{box[1]},{box[0]},{box[3]},{box[2]}")
    assert int(doc.get("numberMatched")) == exp.layer_count(rect=box)


@pytest.mark.parametrize("suffix, lon_first", [
    ("urn:ogc:def:crs:EPSG::4326", False),
    ("http://www.opengis.net/def/crs/EPSG/0/4326", False),
    ("urn:x-ogc:def:crs:EPSG:4326", False),
    ("EPSG:4326", True),
    ("http://www.opengis.net/gml/srs/epsg.xml#4326", True),
    ("urn:ogc:def:crs:OGC:1.3:CRS84", True),
    ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", True),
])
def test_bbox_crs_forms_and_their_axis_order(http, base_url, wfs_expected, suffix, lon_first):
    box = BOXES_LONLAT[0]
    want = expected_in_box(wfs_expected("coal_mines"), box)
    coords = box if lon_first else (box[1], box[0], box[3], box[2])
    _, features = get_features(http, base_url, TYPENAMES="amis:coal_mines",
                               BBOX=",".join(map(str, coords)) + "," + suffix)
    assert sorted(served_ids(features, "coal_mines")) == sorted(want)


def test_bbox_in_web_mercator(http, base_url, wfs_expected):
    """A Web Mercator rectangle is a lon/lat rectangle: the same features."""
    box = BOXES_LONLAT[0]
    x0, y0 = lonlat_to(3857, box[0], box[1])
    x1, y1 = lonlat_to(3857, box[2], box[3])
    want = expected_in_box(wfs_expected("coal_mines"), box)
    _, features = get_features(http, base_url, TYPENAMES="amis:coal_mines",
                               BBOX=f"{x0!r},{y0!r},{x1!r},{y1!r},urn:ogc:def:crs:EPSG::3857")
    assert sorted(served_ids(features, "coal_mines")) == sorted(want)


# --------------------------------------------------------------------------- hits


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_hits_counts_like_ogr(http, base_url, wfs_expected, collection):
    doc, features = get_features(http, base_url, TYPENAMES=f"amis:{collection}", RESULTTYPE="hits")
    assert features == []
    matched, returned = counts(doc)
    assert matched == wfs_expected(collection).layer_count()
    assert returned == 0


def test_hits_with_bbox_and_count(http, base_url, wfs_expected):
    box = BOXES_LONLAT[1]
    doc, features = get_features(http, base_url, TYPENAMES="amis:coal_mines", RESULTTYPE="hits", COUNT=5,
                                 BBOX=f"{box[1]},{box[0]},{box[3]},{box[2]}")
    assert features == []
    assert counts(doc) == (wfs_expected("coal_mines").layer_count(rect=box), 0)


# --------------------------------------------------------------------------- RESOURCEID


def test_resource_ids(http, base_url, wfs_expected):
    exp = wfs_expected("coal_mines")
    ids = [12, 40, 3122, 1]
    doc, features = get_features(http, base_url, TYPENAMES="amis:coal_mines",
                                 RESOURCEID=",".join(f"coal_mines.{i}" for i in ids))
    assert sorted(served_ids(features, "coal_mines")) == sorted(ids)
    for f in features:
        assert_same_attributes(f, exp.by_id[int(f.gml_id.split(".")[1])], exp.types)


def test_resource_ids_without_typenames(http, base_url):
    """RESOURCEID alone is a complete query (WFS 2.0, 7.9.2.4.1: TYPENAMES is optional then)."""
    _, features = get_features(http, base_url, RESOURCEID="countries.3,coal_mines.7")
    assert sorted(f.gml_id for f in features) == ["coal_mines.7", "countries.3"]


def test_unknown_resource_id_is_an_empty_result(http, base_url):
    doc, features = get_features(http, base_url, TYPENAMES="amis:coal_mines", RESOURCEID="coal_mines.99999999")
    assert features == [] and counts(doc)[1] == 0


# --------------------------------------------------------------------------- PROPERTYNAME


@pytest.mark.parametrize("names", [["mine_name"], ["mine_name", "status", "capacity_mtpa"], ["amis:iso3"]])
def test_property_name_returns_only_those(http, base_url, wfs_expected, dft_schema, names):
    exp = wfs_expected("coal_mines")
    doc, features = get_features(http, base_url, TYPENAMES="amis:coal_mines", COUNT=200,
                                 PROPERTYNAME=",".join(names))
    assert len(features) == 200
    wanted = [n.split(":")[-1] for n in names]
    for f in features:
        assert set(f.property_names) <= set(wanted) | {"geometry"}, f"{f.gml_id}: {f.property_names}"
        assert_same_attributes(f, exp.by_id[int(f.gml_id.split(".")[1])], exp.types, wanted)
    if not dft_schema.validate(doc):
        raise AssertionError(str(list(dft_schema.error_log)[:5]))


def test_property_name_star_is_every_property(http, base_url, wfs_expected):
    """PROPERTYNAME=* (the XPath wildcard: every child property) is every property. OWSLib's
    WFS 1.1.0 client sends it with every GetFeature; GeoServer, MapServer and deegree accept it."""
    exp = wfs_expected("countries")
    _, features = get_features(http, base_url, TYPENAMES="amis:countries", PROPERTYNAME="*")
    assert len(features) == len(exp.by_id)
    for f in features:
        assert_same_attributes(f, exp.by_id[int(f.gml_id.split(".")[1])], exp.types)


# --------------------------------------------------------------------------- SORTBY


def source_order(exp, column: str, descending: bool) -> list:
    """The column's non-null values in SQLite's ORDER BY order, over the source."""
    if exp.path.suffix == ".gpkg":
        with sqlite3.connect(f"file:{exp.path}?mode=ro", uri=True) as db:
            table = exp.layer or exp.collection
            rows = db.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL '
                              f'ORDER BY "{column}" {"DESC" if descending else "ASC"}').fetchall()
        return [r[0] for r in rows]
    values = [f.properties[column] for f in exp.by_id.values() if f.properties[column] is not None]
    with sqlite3.connect(":memory:") as db:
        db.execute("CREATE TABLE t (v)")
        db.executemany("INSERT INTO t VALUES (?)", [(v,) for v in values])
        return [r[0] for r in db.execute(f"SELECT v FROM t ORDER BY v {'DESC' if descending else 'ASC'}")]


def typed(value: str | None, ogr_type: str):
    if value is None:
        return None
    return float(value) if ogr_type == "Real" else int(value) if ogr_type.startswith("Integer") else xml_norm(value)


@pytest.mark.parametrize("collection, column, direction", [
    ("coal_mines", "mine_name", "ASC"),
    ("coal_mines", "capacity_mtpa", "DESC"),
    ("coal_mines", "opening_year", "ASC"),
    ("countries", "name", "DESC"),
    ("mine_facilities", "facility_name", "ASC"),
])
def test_sort_by_orders_like_sqlite(http, base_url, wfs_expected, collection, column, direction):
    exp = wfs_expected(collection)
    _, features = get_features(http, base_url, TYPENAMES=f"amis:{collection}", SORTBY=f"{column} {direction}",
                               PROPERTYNAME=column)
    served = [typed(f.properties.get(column), exp.types[column]) for f in features]
    assert len(served) == len(exp.by_id)
    non_null = [v for v in served if v is not None]
    assert non_null == [xml_norm(v) if isinstance(v, str) else v for v in source_order(exp, column, direction == "DESC")]
    # the features without a value are together, before or after all the others
    nulls = [i for i, v in enumerate(served) if v is None]
    assert nulls == list(range(len(nulls))) or nulls == list(range(len(served) - len(nulls), len(served)))


def test_sort_by_two_keys(http, base_url, wfs_expected):
    exp = wfs_expected("coal_mines")
    with sqlite3.connect(f"file:{exp.path}?mode=ro", uri=True) as db:
        want = [r for r in db.execute(
            'SELECT iso3, capacity_mtpa FROM coal_mines WHERE capacity_mtpa IS NOT NULL '
            'ORDER BY iso3 ASC, capacity_mtpa DESC')]
    _, features = get_features(http, base_url, TYPENAMES="amis:coal_mines",
                               SORTBY="iso3 ASC,capacity_mtpa DESC", PROPERTYNAME="iso3,capacity_mtpa")
    got = [(f.properties["iso3"], float(f.properties["capacity_mtpa"])) for f in features
           if f.properties.get("capacity_mtpa") is not None]
    assert got == want


def test_sort_by_default_direction_is_ascending(http, base_url, wfs_expected):
    exp = wfs_expected("countries")
    _, features = get_features(http, base_url, TYPENAMES="amis:countries", SORTBY="iso3", PROPERTYNAME="iso3")
    assert [f.properties["iso3"] for f in features] == source_order(exp, "iso3", False)


# --------------------------------------------------------------------------- COUNT, names, POST


def test_count_limits_and_number_matched_counts_all(http, base_url, wfs_expected):
    doc, features = get_features(http, base_url, TYPENAMES="amis:coal_mines", COUNT=7)
    assert len(features) == 7
    assert counts(doc) == (len(wfs_expected("coal_mines").by_id), 7)


@pytest.mark.parametrize("type_name, params", [
    ("coal_mines", {}),
    ("amis:coal_mines", {}),
    ("m:coal_mines", {"NAMESPACES": f"xmlns(m,{AMIS_NS})"}),
    ("amis:coal_mines", {"NAMESPACES": f"xmlns(amis,{AMIS_NS})"}),
])
def test_type_name_forms(http, base_url, type_name, params):
    doc, features = get_features(http, base_url, TYPENAMES=type_name, COUNT=3, **params)
    assert len(features) == 3
    assert all(f.element.tag == f"{{{AMIS_NS}}}coal_mines" for f in features)


def test_lowercase_parameter_names(http, base_url):
    """KVP parameter names are case-insensitive (OWS Common 1.1, 11.5.2)."""
    r = http.get(base_url + "/wfs", params={"service": "WFS", "version": "2.0.0", "request": "GetFeature",
                                            "typeNames": "amis:countries", "count": "2"}, timeout=60)
    doc = xml_response(r)
    assert len(doc.findall(f"{qname('wfs', 'member')}")) == 2


def test_post_get_feature_equals_kvp(http, base_url, wfs_expected):
    box = BOXES_LONLAT[3]
    body = get_feature_body(
        "amis:coal_mines",
        f'<fes:Filter><fes:BBOX><fes:ValueReference>amis:geometry</fes:ValueReference>'
        f'<gml:Envelope srsName="{DEFAULT_CRS}"><gml:lowerCorner>{box[1]} {box[0]}</gml:lowerCorner>'
        f'<gml:upperCorner>{box[3]} {box[2]}</gml:upperCorner></gml:Envelope></fes:BBOX></fes:Filter>')
    doc, features = post_features(http, base_url, body)
    want = expected_in_box(wfs_expected("coal_mines"), box)
    assert sorted(served_ids(features, "coal_mines")) == sorted(want)


def test_post_hits_count_and_start_index(http, base_url, wfs_expected):
    n = len(wfs_expected("countries").by_id)
    doc, _ = post_features(http, base_url, get_feature_body("amis:countries", attrs='resultType="hits"'))
    assert counts(doc) == (n, 0)
    doc, features = post_features(http, base_url, get_feature_body("amis:countries", attrs='count="4" startIndex="10"'))
    assert counts(doc) == (n, min(4, n - 10)) and len(features) == min(4, n - 10)


def test_post_property_name_and_sort_by(http, base_url, wfs_expected):
    exp = wfs_expected("countries")
    children = ('<wfs:PropertyName>amis:name</wfs:PropertyName>'
                '<fes:SortBy><fes:SortProperty><fes:ValueReference>amis:name</fes:ValueReference>'
                '<fes:SortOrder>DESC</fes:SortOrder></fes:SortProperty></fes:SortBy>')
    _, features = post_features(http, base_url, get_feature_body("amis:countries", query_children=children))
    assert [f.properties["name"] for f in features] == source_order(exp, "name", True)
    assert all(set(f.property_names) <= {"name", "geometry"} for f in features)


# --------------------------------------------------------------------------- WFS 1.1.0


def test_get_feature_11(http, base_url, wfs_expected):
    exp = wfs_expected("mine_facilities")
    doc, features = get_features(http, base_url, version="1.1.0", TYPENAME="amis:mine_facilities")
    assert doc.get("numberOfFeatures") in (None, str(len(exp.by_id)))
    assert sorted(served_ids(features, "mine_facilities")) == sorted(exp.by_id)
    for f in features:
        src = exp.by_id[int(f.gml_id.split(".")[1])]
        assert_same_attributes(f, src, exp.types)
        assert f.srs_name, f"{f.gml_id}: no srsName"
        # whatever srsName the server chose, the coordinates follow its axis order
        assert_same_geometry(f.geometry, expected_geometry(src.geometry, f.srs_name), 1e-9, f.gml_id)
    gml32 = [e.tag for f in features for e in f.element.iter() if isinstance(e.tag, str)
             and e.tag.startswith("{" + NS["gml"] + "}")]
    assert not gml32, f"GML 3.2 elements in a WFS 1.1.0 answer: {sorted(set(gml32))[:5]}"


def test_get_feature_11_bbox_and_maxfeatures(http, base_url, wfs_expected):
    box = BOXES_LONLAT[0]
    want = expected_in_box(wfs_expected("coal_mines"), box)
    _, features = get_features(http, base_url, version="1.1.0", TYPENAME="amis:coal_mines",
                               BBOX=f"{box[1]},{box[0]},{box[3]},{box[2]},urn:x-ogc:def:crs:EPSG:4326")
    assert sorted(served_ids(features, "coal_mines")) == sorted(want)
    _, features = get_features(http, base_url, version="1.1.0", TYPENAME="amis:coal_mines", MAXFEATURES=9)
    assert len(features) == 9


def test_get_feature_11_hits(http, base_url, wfs_expected):
    doc, features = get_features(http, base_url, version="1.1.0", TYPENAME="amis:coal_mines", RESULTTYPE="hits")
    assert features == [] and int(doc.get("numberOfFeatures")) == len(wfs_expected("coal_mines").by_id)


def test_get_feature_11_srsname_epsg_is_lon_lat(http, base_url, wfs_expected):
    exp = wfs_expected("coal_mines")
    _, features = get_features(http, base_url, version="1.1.0", TYPENAME="amis:coal_mines", MAXFEATURES=20,
                               SRSNAME="EPSG:4326")
    for f in features:
        assert_same_geometry(f.geometry, exp.by_id[int(f.gml_id.split(".")[1])].geometry, 1e-9, f.gml_id)


def test_get_feature_11_ogc_filter(http, base_url, wfs_expected):
    """WFS 1.1.0 filters are Filter Encoding 1.1 (ogc: namespace, ogc:PropertyName)."""
    exp = wfs_expected("coal_mines")
    flt = (f'<ogc:Filter xmlns:ogc="{NS["ogc"]}" xmlns:amis="{AMIS_NS}"><ogc:PropertyIsEqualTo>'
           '<ogc:PropertyName>amis:iso3</ogc:PropertyName><ogc:Literal>VNM</ogc:Literal>'
           '</ogc:PropertyIsEqualTo></ogc:Filter>')
    _, features = get_features(http, base_url, version="1.1.0", TYPENAME="amis:coal_mines", FILTER=flt)
    assert sorted(served_ids(features, "coal_mines")) == sorted(exp.layer_ids("iso3 = 'VNM'"))


def test_get_feature_11_is_schema_valid(http, base_url, wfs_expected):
    dft = kvp(base_url, http, "DescribeFeatureType", version="1.1.0", TYPENAME="amis:countries")
    xml_response(dft)
    schema = schema_with_application_schema(dft.content, "1.1.0")
    doc, features = get_features(http, base_url, version="1.1.0", TYPENAME="amis:countries")
    assert len(features) == len(wfs_expected("countries").by_id)
    if not schema.validate(doc):
        raise AssertionError(str(list(schema.error_log)[:5]))
