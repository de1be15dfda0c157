"""CQL2 spatial functions (basic-spatial-functions, basic-spatial-functions-plus,
spatial-functions): for every S_* function and a range of literals (points, lines,
polygons, multi-geometries, BBOX), in CQL2-Text and as GeoJSON in CQL2-JSON, the ids
served equal the fids for which osgeo.ogr (GEOS) says the relation holds between the
source geometry and the literal. Counts published by the standard's ATS are checked too.
"""
from __future__ import annotations

import pytest
from osgeo import ogr

from cql2_support import (COUNTRIES, OGR_PREDICATES, PLACES, RIVERS, P, bbox_geometry, describe_difference,
                          geojson_of, op)
from support import intersects_bbox

SPATIAL_OPS = list(OGR_PREDICATES)

# Luxembourg's outline in the data set, as the ATS gives it, and one of its border segments.
LUX_RING = [(6.043073357781111, 50.128051662794235), (6.242751092156993, 49.90222565367873),
            (6.186320428094177, 49.463802802114515), (5.897759230176348, 49.44266714130711),
            (5.674051954784829, 49.529483547557504), (5.782417433300907, 50.09032786722122),
            (6.043073357781111, 50.128051662794235)]


def ring(coords) -> str:
    return "(" + ",".join(f"{x!r} {y!r}" for x, y in coords) + ")"


LUX_POLYGON = f"POLYGON({ring(LUX_RING)})"

# name -> (WKT or ('BBOX', minx, miny, maxx, maxy))
LITERALS: dict[str, object] = {
    "point-in-germany": "POINT(7.02 49.92)",
    "point-luxembourg-city": "POINT(6.1300028 49.6116604)",
    "point-tripoint": f"POINT({LUX_RING[0][0]!r} {LUX_RING[0][1]!r})",
    "point-lux-be-border": f"POINT({LUX_RING[1][0]!r} {LUX_RING[1][1]!r})",
    "point-ocean": "POINT(-30 0)",
    "line-0-40-10-50": "LINESTRING(0 40,10 50)",
    "line-7-50-8-51": "LINESTRING(7 50,8 51)",
    "line-meridian-60w": "LINESTRING(-60 -90,-60 90)",
    "line-lux-border": f"LINESTRING({LUX_RING[0][0]!r} {LUX_RING[0][1]!r},{LUX_RING[1][0]!r} {LUX_RING[1][1]!r})",
    "line-equator": "LINESTRING(-180 0,180 0)",
    "polygon-0-40-10-50": "POLYGON((0 40,10 40,10 50,0 50,0 40))",
    "polygon-luxembourg": LUX_POLYGON,
    "polygon-world": "POLYGON((-180 -90,180 -90,180 90,-180 90,-180 -90))",
    "polygon-with-hole": "POLYGON((-20 -40,60 -40,60 40,-20 40,-20 -40),(0 -20,40 -20,40 20,0 20,0 -20))",
    "multipolygon-iberia-southern-africa": ("MULTIPOLYGON(((-10 35,5 35,5 45,-10 45,-10 35)),"
                                           "((20 -35,35 -35,35 -20,20 -20,20 -35)))"),
    "multipoint-7-50-10-51": "MULTIPOINT((7 50),(10 51))",
    "multilinestring": "MULTILINESTRING((100 0,100 60),(-100 20,-80 40))",
    "bbox-0-40-10-50": ("BBOX", 0, 40, 10, 50),
    "bbox-west": ("BBOX", -180, -90, 0, 90),
    "bbox-7-50-8-51": ("BBOX", 7, 50, 8, 51),
    "bbox-south-america": ("BBOX", -82, -56, -34, 13),
}
ANTIMERIDIAN_BBOX = ("BBOX", 150, -90, -150, 90)


def literal_geometry(lit) -> ogr.Geometry:
    if isinstance(lit, tuple):
        return bbox_geometry(*lit[1:])
    return ogr.CreateGeometryFromWkt(lit)


def literal_text(lit) -> str:
    if isinstance(lit, tuple):
        return "BBOX(" + ",".join(repr(v) for v in lit[1:]) + ")"
    return lit


def literal_json(lit) -> dict:
    if isinstance(lit, tuple):
        return {"bbox": list(lit[1:])}
    return geojson_of(ogr.CreateGeometryFromWkt(lit))


def expected(source, layer, fn, lit, literal_first=False) -> set[int]:
    g = literal_geometry(lit)
    pred = OGR_PREDICATES[fn]
    return {f.fid for f in source[layer]
            if (pred(g, f.geometry) if literal_first else pred(f.geometry, g))}


def run(cql2, cql2_source, layer, fn, lit, literal_first=False, prop="geom"):
    want = expected(cql2_source, layer, fn, lit, literal_first)
    names = {f.fid: f.props.get("name") or f.props.get("NAME") for f in cql2_source[layer]}
    args_text = (literal_text(lit), prop) if literal_first else (prop, literal_text(lit))
    text = f"{fn}({args_text[0]},{args_text[1]})"
    got = cql2.ids(layer, text)
    assert got == want, f"{text}: {describe_difference(got, want, names)}"
    args_json = (literal_json(lit), P(prop)) if literal_first else (P(prop), literal_json(lit))
    got = cql2.ids(layer, op(fn.lower(), *args_json))
    assert got == want, f"CQL2-JSON {fn}: {describe_difference(got, want, names)}"
    return want


@pytest.mark.parametrize("lit", list(LITERALS), ids=str)
@pytest.mark.parametrize("fn", SPATIAL_OPS)
def test_countries(cql2, cql2_source, fn, lit):
    run(cql2, cql2_source, COUNTRIES, fn, LITERALS[lit])


PLACE_LITERALS = ["point-luxembourg-city", "point-in-germany", "polygon-0-40-10-50", "polygon-with-hole",
                  "multipolygon-iberia-southern-africa", "bbox-west", "bbox-south-america",
                  "multipoint-7-50-10-51", "line-equator"]


@pytest.mark.parametrize("lit", PLACE_LITERALS, ids=str)
@pytest.mark.parametrize("fn", SPATIAL_OPS)
def test_places(cql2, cql2_source, fn, lit):
    run(cql2, cql2_source, PLACES, fn, LITERALS[lit])


RIVER_LITERALS = ["line-meridian-60w", "bbox-0-40-10-50", "bbox-west", "polygon-with-hole",
                  "multipolygon-iberia-southern-africa", "line-equator", "multilinestring", "bbox-south-america"]


@pytest.mark.parametrize("lit", RIVER_LITERALS, ids=str)
@pytest.mark.parametrize("fn", SPATIAL_OPS)
def test_rivers(cql2, cql2_source, fn, lit):
    run(cql2, cql2_source, RIVERS, fn, LITERALS[lit])


@pytest.mark.parametrize("lit", ["point-tripoint", "line-lux-border", "polygon-luxembourg", "bbox-west",
                                 "multipolygon-iberia-southern-africa"], ids=str)
@pytest.mark.parametrize("fn", SPATIAL_OPS)
def test_literal_first(cql2, cql2_source, fn, lit):
    """property-property: the literal on the left, S_f(literal, geom) = f(literal, geometry)."""
    run(cql2, cql2_source, COUNTRIES, fn, LITERALS[lit], literal_first=True)


def test_geometry_is_an_alias_of_the_geometry_column(cql2, cql2_source):
    want = run(cql2, cql2_source, COUNTRIES, "S_INTERSECTS", LITERALS["bbox-0-40-10-50"], prop="geometry")
    assert cql2.ids(COUNTRIES, "S_INTERSECTS(geom,BBOX(0,40,10,50))") == want


def test_a_country_equals_its_own_geometry_and_touches_its_neighbours(cql2, cql2_source):
    """Luxembourg's exact geometry as the literal (coordinates written with repr, so they
    round-trip): S_EQUALS finds Luxembourg alone, S_TOUCHES its three neighbours."""
    lux = next(f for f in cql2_source[COUNTRIES] if f.props["NAME"] == "Luxembourg")
    g = lux.geometry
    polys = [g.GetGeometryRef(i) for i in range(g.GetGeometryCount())]
    wkt = "MULTIPOLYGON(" + ",".join(
        "(" + ",".join(ring(p.GetGeometryRef(r).GetPoints()) for r in range(p.GetGeometryCount())) + ")"
        for p in polys) + ")"
    assert ogr.CreateGeometryFromWkt(wkt).Equals(g)
    assert run(cql2, cql2_source, COUNTRIES, "S_EQUALS", wkt) == {lux.fid}
    neighbours = run(cql2, cql2_source, COUNTRIES, "S_TOUCHES", wkt)
    names = {f.props["NAME"] for f in cql2_source[COUNTRIES] if f.fid in neighbours}
    assert names == {"Belgium", "France", "Germany"}
    assert run(cql2, cql2_source, COUNTRIES, "S_WITHIN", wkt) == {lux.fid}
    assert run(cql2, cql2_source, COUNTRIES, "S_CONTAINS", wkt) == {lux.fid}


# The standard's ATS tables (basic-spatial-functions and spatial-functions, test-data).
ATS = [
    (COUNTRIES, "S_INTERSECTS(geom,BBOX(0,40,10,50))", 8),
    (COUNTRIES, "S_INTERSECTS(geom,POINT(7.02 49.92))", 1),
    (COUNTRIES, "S_INTERSECTS(geom,BBOX(0,40,10,50)) and S_INTERSECTS(geom,BBOX(5,50,10,60))", 3),
    (COUNTRIES, "S_INTERSECTS(geom,BBOX(0,40,10,50)) and not S_INTERSECTS(geom,BBOX(5,50,10,60))", 5),
    # The ATS says 11 here; exactly evaluated it is 10 (8 + Canada and the USA): the 11th
    # must be Russia, whose envelope (it crosses the antimeridian) overlaps the second box.
    (COUNTRIES, "S_INTERSECTS(geom,BBOX(0,40,10,50)) or S_INTERSECTS(geom,BBOX(-90,40,-60,50))", 10),
    (PLACES, "S_INTERSECTS(geom,BBOX(0,40,10,50))", 7),
    (RIVERS, "S_INTERSECTS(geom,BBOX(-180,-90,0,90))", 4),
    (COUNTRIES, "S_INTERSECTS(geom,POLYGON((0 40,10 40,10 50,0 50,0 40)))", 8),
    (COUNTRIES, "S_INTERSECTS(geom,LINESTRING(0 40,10 50))", 4),
    (PLACES, "S_INTERSECTS(geom,POLYGON((0 40,10 40,10 50,0 50,0 40)))", 7),
    (RIVERS, "S_INTERSECTS(geom,LINESTRING(-60 -90,-60 90))", 2),
    (COUNTRIES, "S_DISJOINT(geom,BBOX(0,40,10,50))", 169),
    (COUNTRIES, "S_DISJOINT(geom,POLYGON((0 40,10 40,10 50,0 50,0 40)))", 169),
    (COUNTRIES, "S_DISJOINT(geom,LINESTRING(0 40,10 50))", 173),
    (COUNTRIES, "S_DISJOINT(geom,POINT(7.02 49.92))", 176),
    (PLACES, "S_DISJOINT(geom,BBOX(0,40,10,50))", 236),
    (RIVERS, "S_DISJOINT(geom,BBOX(-180,-90,0,90))", 9),
    (RIVERS, "S_DISJOINT(geom,LINESTRING(-60 -90,-60 90))", 11),
    (PLACES, "S_EQUALS(geom,POINT(6.1300028 49.6116604))", 1),
    (COUNTRIES, f"S_TOUCHES(geom,{LUX_POLYGON})", 3),
    (COUNTRIES, f"S_TOUCHES(geom,POINT({LUX_RING[0][0]!r} {LUX_RING[0][1]!r}))", 3),
    (COUNTRIES, f"S_TOUCHES(geom,POINT({LUX_RING[1][0]!r} {LUX_RING[1][1]!r}))", 2),
    (COUNTRIES, f"S_TOUCHES(geom,LINESTRING({LUX_RING[0][0]!r} {LUX_RING[0][1]!r},"
                f"{LUX_RING[1][0]!r} {LUX_RING[1][1]!r}))", 3),
    (RIVERS, "S_CROSSES(geom,BBOX(0,40,10,50))", 1),
    (RIVERS, "S_CROSSES(geom,LINESTRING(-60 -90,-60 90))", 2),
    (COUNTRIES, "S_WITHIN(geom,BBOX(-180,-90,0,90))", 44),
    (PLACES, "S_WITHIN(geom,BBOX(-180,-90,0,90))", 74),
    (RIVERS, "S_WITHIN(geom,BBOX(-180,-90,0,90))", 4),
    (COUNTRIES, "S_CONTAINS(geom,BBOX(7,50,8,51))", 1),
    (COUNTRIES, "S_CONTAINS(geom,LINESTRING(7 50,8 51))", 1),
    (COUNTRIES, "S_CONTAINS(geom,POINT(7.02 49.92))", 1),
    (COUNTRIES, "S_OVERLAPS(geom,BBOX(-180,-90,0,90))", 11),
    (COUNTRIES, "S_INTERSECTS(BBOX(0,40,10,50),geom)", 8),
    (COUNTRIES, "S_WITHIN(POINT(7.02 49.92),geom)", 1),
    (COUNTRIES, "S_CONTAINS(BBOX(-180,-90,0,90),geom)", 44),
    (PLACES, "S_CONTAINS(BBOX(-180,-90,0,90),geom)", 74),
]


@pytest.mark.parametrize("layer,text,count", ATS,
                         ids=lambda v: (v[:100] if len(v) > 100 else v) if isinstance(v, str) else str(v))
def test_counts_from_the_standard(cql2, layer, text, count):
    assert len(cql2.ids(layer, text)) == count



@pytest.mark.parametrize("fn", ["S_INTERSECTS", "S_DISJOINT", "S_WITHIN"])
def test_antimeridian_bbox(cql2, cql2_source, fn):
    run(cql2, cql2_source, COUNTRIES, fn, ANTIMERIDIAN_BBOX)


def test_antimeridian_bbox_count_from_the_standard(cql2):
    assert len(cql2.ids(COUNTRIES, "S_INTERSECTS(geom,BBOX(150,-90,-150,90))")) == 10


@pytest.mark.parametrize("text", ["S_INTERSECTS(geom,POINT(90 180))", "S_DISJOINT(geom,POINT(90 180))"])
def test_invalid_coordinate_is_400(cql2, text):
    cql2.error(COUNTRIES, text)


def test_spatial_filter_with_bbox_parameter(cql2, cql2_source):
    """The filter (places within a polygon with a hole) and bbox (its southern half) are ANDed."""
    g = literal_geometry(LITERALS["polygon-with-hole"])
    want = {f.fid for f in cql2_source[PLACES] if f.geometry.Within(g) and intersects_bbox(f.geometry, (0, -40, 60, 0))}
    assert want
    got = cql2.ids(PLACES, f"S_WITHIN(geom,{LITERALS['polygon-with-hole']})", bbox="0,-40,60,0")
    assert got == want


def test_spatial_and_attribute_predicates_combined(cql2, cql2_source):
    g = literal_geometry(LITERALS["bbox-south-america"])
    want = {f.fid for f in cql2_source[PLACES]
            if f.geometry.Intersects(g) and (f.props["pop_max"] > 5000000 or f.props["featurecla"] == "Admin-0 capital")}
    text = ("S_INTERSECTS(geometry, BBOX(-82,-56,-34,13)) AND "
            "(pop_max > 5000000 OR featurecla = 'Admin-0 capital')")
    assert cql2.ids(PLACES, text) == want
    js = op("and", op("s_intersects", P("geometry"), {"bbox": [-82, -56, -34, 13]}),
            op("or", op(">", P("pop_max"), 5000000), op("=", P("featurecla"), "Admin-0 capital")))
    assert cql2.ids(PLACES, js) == want
    not_want = {f.fid for f in cql2_source[PLACES]} - {f.fid for f in cql2_source[PLACES] if f.geometry.Intersects(g)}
    assert cql2.ids(PLACES, "NOT S_INTERSECTS(geom, BBOX(-82,-56,-34,13))") == not_want


def test_geometry_collection_literal(cql2, cql2_source):
    wkt = "GEOMETRYCOLLECTION(POINT(7.02 49.92),LINESTRING(-60 -90,-60 90))"
    want = expected(cql2_source, COUNTRIES, "S_INTERSECTS", wkt)
    assert cql2.ids(COUNTRIES, f"S_INTERSECTS(geom,{wkt})") == want
    assert cql2.ids(COUNTRIES, op("s_intersects", P("geom"), literal_json(wkt))) == want


def test_filter_crs_crs84_is_accepted(cql2, cql2_source):
    want = expected(cql2_source, COUNTRIES, "S_INTERSECTS", LITERALS["point-in-germany"])
    got = cql2.ids(COUNTRIES, "S_INTERSECTS(geom,POINT(7.02 49.92))",
                   **{"filter-crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"})
    assert got == want
