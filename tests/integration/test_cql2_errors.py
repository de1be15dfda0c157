"""CQL2 filtering: what the server declares (conformance, queryables), how it refuses bad
filters (400 with an OGC exception body that says where or what), that hostile or huge
filters do no harm, and what real clients (OWSLib, GDAL's OAPIF driver) get."""
from __future__ import annotations

import json
import sqlite3

import time

import pytest
from jsonschema import Draft202012Validator
from osgeo import gdal, ogr

from cql2_support import (COUNTRIES, EVENTS, NE_GPKG, NE_LAYERS, PLACES, RIVERS, P, make_events, op, sql_fids,
                          write_events_gpkg)

CONF = "http://www.opengis.net/spec/"
CQL2_CLASSES = ["basic-cql2", "advanced-comparison-operators", "case-insensitive-comparison",
                "accent-insensitive-comparison", "basic-spatial-functions", "basic-spatial-functions-plus",
                "spatial-functions", "temporal-functions", "array-functions", "property-property",
                "arithmetic", "cql2-text", "cql2-json"]
PART3_CLASSES = ["filter", "features-filter", "queryables", "queryables-query-parameters"]


def test_conformance_declares_part3_and_cql2(cql2):
    conforms = set(cql2.s.get(cql2.base + "/conformance", timeout=30).json()["conformsTo"])
    for c in CQL2_CLASSES:
        assert f"{CONF}cql2/1.0/conf/{c}" in conforms, c
    for c in PART3_CLASSES:
        assert f"{CONF}ogcapi-features-3/1.0/conf/{c}" in conforms, c


# --------------------------------------------------------------------------- queryables

JSON_TYPES = {"String": ("string", None), "Integer": ("integer", None), "Integer64": ("integer", None),
              "Real": ("number", None), "Date": ("string", "date"), "DateTime": ("string", "date-time")}
GEOMETRY_FORMATS = {COUNTRIES: "geometry-multipolygon", PLACES: "geometry-point",
                    RIVERS: "geometry-linestring", EVENTS: "geometry-point"}


def source_fields(layer: str, events_gpkg=None) -> dict[str, tuple]:
    """field -> (JSON type, format) from the source, read with OGR (booleans by subtype)."""
    ds = gdal.OpenEx(str(events_gpkg or NE_GPKG), gdal.OF_VECTOR)
    defn = ds.GetLayerByName(layer).GetLayerDefn()
    out = {}
    for i in range(defn.GetFieldCount()):
        fd = defn.GetFieldDefn(i)
        out[fd.GetName()] = (("boolean", None) if fd.GetSubType() == ogr.OFSTBoolean
                             else JSON_TYPES[fd.GetTypeName()])
    return out


@pytest.fixture(scope="module")
def events_gpkg(tmp_path_factory):
    import cql2_support
    path = tmp_path_factory.mktemp("events_src") / "events.gpkg"
    cql2_support.write_events_gpkg(path, cql2_support.make_events())
    return path


@pytest.mark.parametrize("collection", [*NE_LAYERS, EVENTS])
def test_queryables_is_a_json_schema_listing_every_property(cql2, collection, events_gpkg):
    r = cql2.s.get(f"{cql2.base}/collections/{collection}/queryables", timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/schema+json")
    doc = r.json()
    Draft202012Validator.check_schema(doc)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["$id"] == f"{cql2.base}/collections/{collection}/queryables"
    assert doc["type"] == "object"
    props = doc["properties"]
    fields = source_fields(collection, events_gpkg if collection == EVENTS else None)
    assert set(props) == set(fields) | {"geometry"}
    for name, (json_type, fmt) in fields.items():
        assert props[name].get("type") == json_type, (name, props[name])
        assert props[name].get("format") == fmt, (name, props[name])
    assert props["geometry"]["format"] == GEOMETRY_FORMATS[collection]
    # A feature's properties are valid against the queryables (all of them are queryable).
    feature = cql2.items(collection, limit=1, offset=0)[0]
    instance = {k: v for k, v in feature["properties"].items() if v is not None}
    nullable = dict(doc, properties={k: v for k, v in props.items() if k != "geometry"})
    Draft202012Validator(nullable).validate(instance)


def test_collection_links_to_its_queryables(cql2):
    doc = cql2.s.get(f"{cql2.base}/collections/{PLACES}", timeout=30).json()
    links = [lk for lk in doc["links"] if lk["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/queryables"]
    assert links and links[0]["href"].startswith(f"{cql2.base}/collections/{PLACES}/queryables")


def source_count(gpkg, table: str, where: str) -> int:
    """Rows of the source GeoPackage for which the SQL WHERE clause is TRUE (sqlite3)."""
    with sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True) as db:
        return db.execute(f'SELECT count(*) FROM "{table}" WHERE {where}').fetchone()[0]


def source_column(gpkg, table: str, name: str) -> str:
    """The source column of a queryable: the same name, or the geometry column for the
    queryable that stands for the geometry."""
    with sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True) as db:
        columns = {r[1] for r in db.execute(f'PRAGMA table_info("{table}")')}
        if name in columns:
            return name
        return db.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,)).fetchone()[0]


def test_every_queryable_can_be_filtered_on(cql2, tmp_path):
    """Each queryable of each collection in IS NULL and IS NOT NULL filters: numberMatched =
    the count of the same predicate by sqlite3 over the source (the standard's GeoPackage,
    and the events written again the way the server's store was made)."""
    events_gpkg = tmp_path / "events.gpkg"
    write_events_gpkg(events_gpkg, make_events())
    checked = 0
    for collection in [*NE_LAYERS, EVENTS]:
        gpkg = events_gpkg if collection == EVENTS else NE_GPKG
        props = cql2.s.get(f"{cql2.base}/collections/{collection}/queryables", timeout=30).json()["properties"]
        assert props, collection
        for name in props:
            column = source_column(gpkg, collection, name)
            for predicate in ("IS NULL", "IS NOT NULL"):
                r = cql2.get(collection, filter=f'"{name}" {predicate}', limit=1)
                assert r.status_code == 200, (collection, name, r.text[:200])
                want = source_count(gpkg, collection, f'"{column}" {predicate}')
                assert r.json()["numberMatched"] == want, (collection, name, predicate)
                checked += 1
    assert checked >= 2 * 20


# --------------------------------------------------------------------------- 400s

SYNTAX_ERRORS = [
    "name = ", "name = 'unterminated", "(name = 'Paris'", "name = 'Paris')", "name == 'Paris'",
    "AND name = 'Paris'", "name LIKE", "name = 'Paris' AND", "pop_max BETWEEN 1", "name IN ('a',",
    "S_INTERSECTS(geom, POINT(1))", "S_INTERSECTS(geom, POINT 1 2)", "S_INTERSECTS(geom, BBOX(1,2,3))",
    "1 +", 'name = "Paris', "§", "", "name = 'Paris' name = 'Berlin'", "pop_max = 1e999",
    "DATE('2024-13-45') = DATE('2024-01-01')", "TIMESTAMP('yesterday') = TIMESTAMP('2024-01-01T00:00:00Z')",
    "TIMESTAMP('2024-01-01T00:00:00') = TIMESTAMP('2024-01-01T00:00:00Z')",  # a zone is required
    "S_INTERSECTS(geom, POINT(nan 1))", "name = 'a' OR OR name = 'b'", "NOT",
]


@pytest.mark.parametrize("text", SYNTAX_ERRORS)
def test_malformed_text_says_at_which_character(cql2, text):
    body = cql2.error(PLACES, text)
    assert "character" in body["description"], body


MALFORMED_JSON = ['{', '[]', 'null', '"x"', '5', '{"op":"=","args":[1]}', '{"op":"=","args":{"a":1}}',
                  '{"args":[1,1]}', '{"op":"=","args":[{"property":5},"Paris"]}',
                  '{"op":"s_intersects","args":[{"property":"geom"},{"type":"Point"}]}',
                  '{"op":"s_intersects","args":[{"property":"geom"},{"type":"Point","coordinates":[1]}]}',
                  '{"op":"s_intersects","args":[{"property":"geom"},{"bbox":[1,2,3]}]}',
                  '{"op":"t_after","args":[{"property":"start"},{"timestamp":"nope"}]}',
                  '{"op":"=","args":[{"property":"name"},"Paris"]} trailing', "name = 'Paris'", ""]


@pytest.mark.parametrize("text", MALFORMED_JSON)
def test_malformed_json_is_400(cql2, text):
    cql2.error(PLACES, text, lang="cql2-json")


def test_json_given_as_text_and_text_given_as_json(cql2):
    cql2.error(PLACES, '{"op":"=","args":[{"property":"name"},"Paris"]}', lang="cql2-text")
    cql2.error(PLACES, "name = 'Paris'", lang="cql2-json")


@pytest.mark.parametrize("filter,lang,name", [
    ("nope = 1", None, "nope"),
    ("NAME = 'France'", None, "NAME"),                         # a countries column, not a places one
    ("name = 'Paris' AND (pop_max > 1 OR Pop_Max > 2)", None, "Pop_Max"),  # names are case-sensitive
    ("S_INTERSECTS(the_geom, POINT(1 2))", None, "the_geom"),
    ("T_AFTER(INTERVAL(start, finish), DATE('2020-01-01'))", None, "finish"),
    ("CASEI(nom) = CASEI('x')", None, "nom"),
    ("pop_max + pop_mid > 1", None, "pop_mid"),
    ('"name with space" = 1', None, "name with space"),
    (json.dumps(op("=", P("nope"), 1)), "cql2-json", "nope"),
    (json.dumps(op("and", True, op("like", {"op": "casei", "args": [P("missing")]}, "x"))), "cql2-json", "missing"),
])
def test_unknown_property_is_named(cql2, filter, lang, name):
    body = cql2.error(PLACES, filter, lang=lang)
    assert name in body["description"], body


@pytest.mark.parametrize("param,value", [("sortby", "nope"), ("sortby", "-Name"), ("properties", "name,nope")])
def test_unknown_property_in_sortby_and_properties_is_named(cql2, param, value):
    r = cql2.get(PLACES, **{param: value})
    assert r.status_code == 400
    assert value.split(",")[-1].lstrip("-") in r.json()["description"]


@pytest.mark.parametrize("filter,lang,name", [
    ("FOO(name) = 1", None, "FOO"), ("foo(name)", None, "foo"), ("S_FOO(geom, POINT(1 2))", None, "S_FOO"),
    ("T_FOO(start, start)", None, "T_FOO"), ("A_FOO(('a','b'), ('a','b'))", None, "A_FOO"),
    ("SOUNDEX(name) = 'P620'", None, "SOUNDEX"),
    ('{"op":"foo","args":[{"property":"name"}]}', "cql2-json", "foo"),
    ('{"op":"=","args":[{"op":"foo","args":[{"property":"name"}]},1]}', "cql2-json", "foo"),
    ('{"op":"a_containedby","args":[["a"],["a","b"]]}', "cql2-json", "a_containedby"),  # it is a_containedBy
])
def test_unknown_function_is_named(cql2, filter, lang, name):
    body = cql2.error(PLACES, filter, lang=lang)
    assert name in body["description"], body


@pytest.mark.parametrize("lang", ["cql-text", "cql-json", "cql2", "sql", "ecql", "", "CQL2 TEXT"])
def test_unsupported_filter_lang_is_400(cql2, lang):
    body = cql2.error(PLACES, "name = 'Paris'", lang=lang)
    assert "filter-lang" in body["description"]


@pytest.mark.parametrize("crs", ["nonsense", "", "http://www.opengis.net/def/crs/EPSG/0/999999",
                                 "http://www.opengis.net/def/crs/OGC/1.3/CRS85"])
def test_unknown_filter_crs_is_400(cql2, crs):
    body = cql2.error(COUNTRIES, "S_INTERSECTS(geom, POINT(7.02 49.92))", **{"filter-crs": crs})
    assert "filter-crs" in body["description"]


def literal_in(crs_epsg: int, lon: float, lat: float) -> tuple[float, float]:
    """(lon, lat) in CRS84 transformed to crs_epsg, in that CRS's axis order, with osr."""
    from osgeo import osr
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.SetFromUserInput("OGC:CRS84")
    dst.ImportFromEPSG(crs_epsg)  # authority axis order (EPSG:4326 is latitude first)
    x, y, _ = osr.CoordinateTransformation(src, dst).TransformPoint(lon, lat)
    return x, y


@pytest.mark.parametrize("crs,epsg", [
    ("http://www.opengis.net/def/crs/EPSG/0/4326", 4326),
    ("http://www.opengis.net/def/crs/EPSG/0/3857", 3857),
    ("http://www.opengis.net/def/crs/EPSG/0/3035", 3035),
])
def test_filter_crs_other_than_crs84_is_honoured(cql2, cql2_source, crs, epsg):
    """AMIS supports Part 2 and any EPSG CRS PROJ knows, so it must honour filter-crs: the
    literal is read in that CRS, axis order included. A point in Germany, written in the
    CRS with osr, selects what GEOS (OGR) says contains the point: Germany, and only it."""
    x, y = literal_in(epsg, 7.02, 49.92)
    r = cql2.get(COUNTRIES, filter=f"S_INTERSECTS(geom, POINT({x!r} {y!r}))", **{"filter-crs": crs})
    assert r.status_code == 200, r.text[:200]
    point = ogr.CreateGeometryFromWkt("POINT (7.02 49.92)")
    germany = {f.fid for f in cql2_source[COUNTRIES] if f.geometry.Intersects(point)}
    assert germany == {f.fid for f in cql2_source[COUNTRIES] if f.props["NAME"] == "Germany"}
    assert {f["id"] for f in r.json()["features"]} == germany
    box = op("s_intersects", P("geom"), {"type": "Point", "coordinates": [x, y]})
    assert cql2.ids(COUNTRIES, box, **{"filter-crs": crs}) == germany


@pytest.mark.parametrize("crs,epsg", [
    ("http://www.opengis.net/def/crs/EPSG/0/4326", 4326),
    ("http://www.opengis.net/def/crs/EPSG/0/3857", 3857),
])
def test_bbox_literal_in_another_filter_crs(cql2, cql2_source, crs, epsg):
    """BBOX corners are given in the filter CRS's axis order (EPSG:4326: latitude first);
    AMIS advertises both CRSs, so 200. Both keep meridians and parallels straight, so the
    box is the CRS84 box: the countries GEOS (OGR) finds intersecting it."""
    from support import box_polygon
    box84 = (0.0, 40.0, 10.0, 50.0)
    a, b = literal_in(epsg, box84[0], box84[1])
    c, d = literal_in(epsg, box84[2], box84[3])
    r = cql2.get(COUNTRIES, filter=f"S_INTERSECTS(geom, BBOX({a!r},{b!r},{c!r},{d!r}))", **{"filter-crs": crs},
                 limit=1000)
    assert r.status_code == 200, r.text[:200]
    g = box_polygon(*box84)
    want = {f.fid for f in cql2_source[COUNTRIES] if f.geometry.Intersects(g)}
    assert {f["id"] for f in r.json()["features"]} == want


@pytest.mark.parametrize("text", [
    "S_INTERSECTS(name, POINT(1 2))", "T_AFTER(name, DATE('2020-01-01'))", "pop_max + name > 1",
    "geom = 5", "T_AFTER(start)",
])
def test_type_errors_are_400(cql2, text):
    cql2.error(PLACES, text)


# (filter, what it selects when AMIS accepts it: an SQL WHERE clause over the source for
# sqlite3 with SQLite's own comparison of mixed types, or a WKT whose GEOS intersection
# with each source point decides)
QUESTIONABLE = [
    ("name LIKE 5", "name LIKE '5'"),
    ("name > 5", "name > 5"),  # SQLite: any text sorts after any number
    ("pop_max = 'abc'", "pop_max = 'abc'"),
    ("CASEI(pop_max) = 'a'", "lower(pop_max) = 'a'"),
    ("boolean = 'yes'", "boolean = 'yes'"),
    ("pop_max = 99999999999999999999999999", "pop_max = 99999999999999999999999999"),
    ("S_INTERSECTS(geom, POLYGON((0 0, 1 1, 0 0)))", "WKT POLYGON((0 0, 1 1, 0 0))"),
    ("S_INTERSECTS(geom, POLYGON((0 0, 10 10, 10 0, 0 10, 0 0)))", "WKT POLYGON((0 0, 10 10, 10 0, 0 10, 0 0))"),
    ("\"date\" = TIMESTAMP('2022-04-16T00:00:00Z')", "\"date\" = '2022-04-16T00:00:00Z'"),
    ("start BETWEEN TIMESTAMP('2021-01-01T00:00:00Z') AND TIMESTAMP('2023-01-01T00:00:00Z')",
     "start BETWEEN '2021-01-01T00:00:00Z' AND '2023-01-01T00:00:00Z'"),
    ("name BETWEEN 'A' AND 'C'", "name BETWEEN 'A' AND 'C'"),
    ("A_CONTAINS(name, ('a'))", "name = 'a'"),  # a single value is an array of one
]


def served_ids(r) -> set[int]:
    doc = r.json()
    assert doc["numberMatched"] == doc["numberReturned"] == len(doc["features"]), "more than one page"
    return {f["id"] for f in doc["features"]}


@pytest.mark.parametrize("text,oracle", QUESTIONABLE, ids=[q[0][:40] for q in QUESTIONABLE])
def test_questionable_filters_are_never_a_server_error(cql2, cql2_source, text, oracle):
    """Type casts are implementation-defined in CQL2; whatever AMIS decides, no 5xx, and
    what it selects when it accepts the filter is what the oracle selects over the source."""
    r = cql2.get(PLACES, filter=text, limit=1000)
    assert r.status_code in (200, 400), f"{text}: {r.status_code} {r.text[:200]}"
    if r.status_code == 400:
        assert r.json()["description"]
        return
    if oracle.startswith("WKT "):
        g = ogr.CreateGeometryFromWkt(oracle[4:])
        want = {f.fid for f in cql2_source[PLACES] if f.geometry.Intersects(g)}
    else:
        want = sql_fids(PLACES, oracle)
    assert served_ids(r) == want, text


# --------------------------------------------------------------------------- huge and deep

def json_not_chain(n: int) -> str:
    return '{"op":"not","args":[' * n + '{"op":"=","args":[{"property":"name"},"Paris"]}' + "]}" * n


@pytest.mark.parametrize("label,filter,lang", [
    ("parentheses x 10000", "(" * 10000 + "name = 'Paris'" + ")" * 10000, None),
    ("parentheses x 100", "(" * 100 + "name = 'Paris'" + ")" * 100, None),
    ("NOT x 1000", "NOT " * 1000 + "name = 'Paris'", None),
    ("CASEI x 500", "CASEI(" * 500 + "name" + ")" * 500 + " = 'paris'", None),
    ("json NOT x 10000", json_not_chain(10000), "cql2-json"),
    ("json NOT x 100", json_not_chain(100), "cql2-json"),
    ("json arrays x 10000", "[" * 10000 + "]" * 10000, "cql2-json"),
    ("json objects x 10000", '{"a":' * 10000 + "1" + "}" * 10000, "cql2-json"),
    ("url of 200 kB", "name = '" + "x" * 200_000 + "'", None),
], ids=lambda v: (v if len(v) < 40 else "...") if isinstance(v, str) else str(v))
def test_deep_or_huge_filter_is_refused_not_a_crash(cql2, cql2_server, label, filter, lang):
    params = {"filter": filter}
    if lang:
        params["filter-lang"] = lang
    r = cql2.s.get(f"{cql2.base}/collections/{PLACES}/items", params=params, timeout=60)
    assert r.status_code in (400, 413, 414, 431), f"{label}: {r.status_code} {r.text[:200]}"
    assert r.json()["description"]
    assert cql2_server.alive()
    assert len(cql2.ids(PLACES, "name = 'Paris'")) == 1


def test_moderately_deep_and_wide_filters_work(cql2, cql2_source):
    paris = sql_fids(PLACES, "name = 'Paris'")
    assert cql2.ids(PLACES, "(" * 10 + "name = 'Paris'" + ")" * 10) == paris
    assert cql2.ids(PLACES, "NOT " * 40 + "name = 'Paris'") == paris                 # an even number
    assert cql2.ids(PLACES, json_not_chain(40), lang="cql2-json") == paris
    wide = " OR ".join(f"pop_max = {i}" for i in range(500)) + " OR name = 'Paris'"
    assert cql2.ids(PLACES, wide) == paris | sql_fids(PLACES, "pop_max < 500")
    big_in = "pop_max IN (" + ",".join(str(i) for i in range(2000)) + ")"
    assert cql2.ids(PLACES, big_in) == sql_fids(PLACES, "pop_max < 2000")



def chain_names() -> list[str]:
    """1000 names for the long OR/AND chains: the source's first 100 place names (sqlite3)
    and 900 that no place has, so that each chain selects some places and not others."""
    with sqlite3.connect(f"file:{NE_GPKG}?mode=ro", uri=True) as db:
        real = [r[0] for r in db.execute(f'SELECT DISTINCT name FROM "{PLACES}" WHERE name NOT LIKE \'%\'\'%\' '
                                         "ORDER BY name LIMIT 100")]
    return real + [f"nowhere {i}" for i in range(1000 - len(real))]


CHAIN = chain_names()
CHAIN_IN = "(" + ",".join(f"'{n}'" for n in CHAIN) + ")"


# (label, filter, the same predicate for SQLite: the long chains as IN lists, since
# SQLite's own expression depth stops at 1000); the source's pop_max runs from 500 up.
# (AMIS refuses the 100-term arithmetic today: it nests 100 levels, over its 30.)
DEEP = [
    ("NOT x 50", "NOT " * 50 + "name = 'Paris'", "name = 'Paris'"),
    ("json NOT x 50", json_not_chain(50), "name = 'Paris'"),
    ("50000+...+50000 (20 terms)", "pop_max > " + "+".join(["50000"] * 20), "pop_max > 1000000"),
    ("10000+...+10000 (100 terms)", "pop_max > " + "+".join(["10000"] * 100), "pop_max > 1000000"),
    ("1000000*1*...*1 (100 terms)", "pop_max < 1000000" + "*1" * 99, "pop_max < 1000000"),
    ("OR chain of 1000", " OR ".join(f"name = '{n}'" for n in CHAIN), f"name IN {CHAIN_IN}"),
    ("AND chain of 1000", " AND ".join(f"name <> '{n}'" for n in CHAIN), f"name NOT IN {CHAIN_IN}"),
]


@pytest.mark.parametrize("label,filter,sql", DEEP, ids=[d[0] for d in DEEP])
def test_deep_sql_is_not_a_server_error(cql2, label, filter, sql):
    """Refused (400) or answered with what the same predicate selects in SQLite."""
    lang = "cql2-json" if filter.startswith("{") else None
    params = {"filter": filter, "limit": 1000, **({"filter-lang": lang} if lang else {})}
    r = cql2.s.get(f"{cql2.base}/collections/{PLACES}/items", params=params, timeout=60)
    assert r.status_code in (200, 400), f"{label}: {r.status_code} {r.text[:200]}"
    if r.status_code == 400:
        assert r.json()["description"]
        return
    want = sql_fids(PLACES, sql)
    assert 0 < len(want) < 243, f"{label}: the oracle should select some places, not all"
    assert served_ids(r) == want, label


# --------------------------------------------------------------------------- hostile input

PLACES_COUNT = 243

INJECTIONS_TEXT = [
    "name = 'x''; DROP TABLE ne_110m_populated_places_simple; --'",
    "name = 'x'' OR ''1''=''1'",
    "name = 'Paris'' OR 1=1 --'",
    "name LIKE '%'' OR name LIKE ''%'",
    "name = 'x\\'' OR 1=1 --'",
    "name IN ('a'');DELETE FROM ne_110m_populated_places_simple;--')",
    "CASEI(name) = CASEI('x''); DROP TABLE gpkg_contents; --')",
    "name = 'x' || ' OR 1=1'",
    "name = 'x\x00'' OR 1=1'",
    "name = 'Paris'; DROP TABLE ne_110m_populated_places_simple",
    "\"name\"\" = 1; DROP TABLE x; --\" = 'a'",
    "\"name\" = 'Paris' OR \"1\"=\"1\"",
    "\"fid\" > 0",
    "\"rowid\" > 0",
    "\"sqlite_master\" IS NULL",
    "S_INTERSECTS(geom, POINT(1 2)); DROP TABLE x; --",
    "name = 'Paris' /* comment */",
    "name = 'Paris' -- trailing",
]
INJECTIONS_JSON = [
    op("=", P("name\" OR 1=1 --"), "x"),
    op("=", P("name"), "x' OR '1'='1"),
    op("=", P("name"), "x\"; DROP TABLE ne_110m_populated_places_simple; --"),
    op("like", P("name"), "%' OR name LIKE '%"),
    op("in", P("name"), ["a'); DELETE FROM ne_110m_populated_places_simple; --"]),
    op("=", P("fid"), 1),
]


@pytest.mark.parametrize("filter", INJECTIONS_TEXT + INJECTIONS_JSON, ids=lambda v: repr(v)[:60])
def test_sql_injection_does_no_harm(cql2, cql2_server, filter):
    """Either a 400 or a literal comparison that selects what the literal says (nothing or
    Paris); never everything, never a 5xx; the data stays intact."""
    params = {"filter": json.dumps(filter) if isinstance(filter, dict) else filter}
    if isinstance(filter, dict):
        params["filter-lang"] = "cql2-json"
    r = cql2.s.get(f"{cql2.base}/collections/{PLACES}/items", params={**params, "limit": 1000}, timeout=60)
    assert r.status_code in (200, 400), f"{filter}: {r.status_code} {r.text[:200]}"
    if r.status_code == 200:
        names = {f["properties"]["name"] for f in r.json()["features"]}
        assert names <= {"Paris"}, f"{filter} selected {len(names)} places"
    assert cql2_server.alive()
    assert len(cql2.ids(PLACES)) == PLACES_COUNT


def test_like_wildcards_in_a_literal_are_only_cql2_wildcards(cql2):
    """Characters special to GLOB, regexes or SQL inside a LIKE pattern match themselves."""
    for pattern in ("[P]aris", "P*", "Par?s", "^Paris$", "Paris|Berlin", ".*", "Paris\\%", "P[a-z]ris"):
        assert cql2.ids(PLACES, f"name LIKE '{pattern}'") == set(), pattern


def test_nothing_was_harmed(cql2, cql2_server):
    for layer, count in ((COUNTRIES, 177), (PLACES, 243), (RIVERS, 13), (EVENTS, 32)):
        assert len(cql2.ids(layer)) == count
    assert cql2_server.alive()


# --------------------------------------------------------------------------- real clients

def test_owslib_passes_filters(cql2, cql2_server):
    from owslib.ogcapi.features import Features

    client = Features(cql2_server.url)
    doc = client.collection_items(PLACES, filter="adm0name = 'China' AND pop_max > 5000000", limit=1000)
    assert {f["id"] for f in doc["features"]} == sql_fids(PLACES, "adm0name = 'China' AND pop_max > 5000000")
    js = json.dumps(op("s_intersects", P("geometry"), {"bbox": [0, 40, 10, 50]}))
    doc = client.collection_items(COUNTRIES, filter=js, limit=1000, **{"filter-lang": "cql2-json"})
    assert doc["numberMatched"] == 8
    doc = client.collection_items(PLACES, filter="CASEI(name) = CASEI('KIEV')", sortby="-pop_max",
                                  properties="name")
    assert [f["properties"] for f in doc["features"]] == [{"name": "Kiev"}]
    queryables = client.collection_queryables(PLACES)
    assert {"name", "pop_max", "start", "geometry"} <= set(queryables["properties"])


def oapif_layer(url: str, collection: str):
    ds = gdal.OpenEx(f"OAPIF:{url}/collections/{collection}", gdal.OF_VECTOR)
    return ds, ds.GetLayer(0)


def settled_access_log(server) -> str:
    """The access log once the lines of the requests already answered are in it: a line is
    written just after its answer is sent, so the previous test's last one may still come."""
    last = server.access_log()
    while True:
        time.sleep(0.2)
        now = server.access_log()
        if now == last:
            return now
        last = now


@pytest.mark.parametrize("where", [
    "pop_other > 5000000 AND adm0name = 'China'",
    "pop_max BETWEEN 1000000 AND 2000000 OR name IN ('Paris', 'Berlin')",
    "NOT (featurecla = 'Admin-0 capital') AND pop_min < 100000",
])
def test_gdal_oapif_where_agrees_with_the_server_filter(cql2, cql2_server, where):
    """GDAL 3.6's OAPIF driver only knows the pre-standard Part 3 drafts (filter-lang=cql-text,
    queryables as a list), so it evaluates -where itself over the downloaded features (no
    request it sends carries a filter): OGR SQL's answer must equal AMIS's CQL2 answer for
    the same expression, and SQLite's on the source."""
    log_before = len(settled_access_log(cql2_server))
    ds, layer = oapif_layer(cql2_server.url, PLACES)
    layer.SetAttributeFilter(where)
    names_gdal = sorted(f.GetField("name") for f in layer)
    del layer, ds  # closes the connection
    gdal_requests = cql2_server.access_log()[log_before:]
    assert "/items" in gdal_requests and "filter=" not in gdal_requests
    expected = sql_fids(PLACES, where)
    served = cql2.items(PLACES, where)
    assert {f["id"] for f in served} == expected
    assert names_gdal == sorted(f["properties"]["name"] for f in served)


def test_gdal_oapif_with_its_draft_cql_text_is_told_what_is_supported(cql2_server):
    """With OGR_OAPIF_ALLOW_CQL_TEXT=YES GDAL 3.6 sends its -where as filter-lang=cql-text, the
    pre-standard name; AMIS answers 400 naming cql2-text and cql2-json."""
    gdal.SetConfigOption("OGR_OAPIF_ALLOW_CQL_TEXT", "YES")
    try:
        ds, layer = oapif_layer(cql2_server.url, PLACES)
        layer.SetAttributeFilter("pop_other > 5000000")
        with pytest.raises(RuntimeError, match="cql2-text"):
            for _ in layer:
                pass
        del layer, ds
    finally:
        gdal.SetConfigOption("OGR_OAPIF_ALLOW_CQL_TEXT", None)
