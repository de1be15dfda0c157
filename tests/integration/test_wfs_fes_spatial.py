"""FES 2.0 spatial operators (BBOX, Intersects, Within, Contains, Disjoint) with
gml:Envelope, gml:Polygon (with and without a hole), gml:Point and gml:LineString
literals in EPSG:4326 as urn (latitude first), EPSG:4326 short form and CRS84 (longitude
first) and Web Mercator; in POST documents and the FILTER parameter. The expected ids
are OGR's spatial filter (GEOS) or GEOS predicates on the source geometries."""
from __future__ import annotations

import pytest
from osgeo import ogr

from wfs_support import TRANSPORTS, cmp, lonlat_to, select

URN = "urn:ogc:def:crs:EPSG::4326"
LAT_LON = [URN, "http://www.opengis.net/def/crs/EPSG/0/4326", None]  # None: no srsName = the default CRS
LON_LAT = ["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326", "http://www.opengis.net/def/crs/OGC/1.3/CRS84"]

# lon/lat; corners off any data coordinate so that no feature lies on an edge
TRIANGLE = [(100.5013, 10.5017), (108.2519, 12.7523), (104.7531, 23.5029), (100.5013, 10.5017)]
BIG = [(95.1011, -10.9013), (141.2017, -10.9013), (141.2017, 6.2019), (95.1011, 6.2019), (95.1011, -10.9013)]
HOLE = [(105.0023, -8.0029), (112.0031, -8.0029), (112.0031, -5.0037), (105.0023, -5.0037), (105.0023, -8.0029)]
BOX = (110.1003, 34.9007, 115.3009, 40.1011)
HANOI = (105.8342, 21.0278)
LINE = [(97.5011, 5.0013), (106.5017, 22.5019), (125.5023, 43.0029)]


def ring_to_wkt(ring):
    return "(" + ",".join(f"{x!r} {y!r}" for x, y in ring) + ")"


def polygon_wkt(*rings) -> str:
    return "POLYGON (" + ",".join(ring_to_wkt(r) for r in rings) + ")"


def pos_list(points, srs: str | None) -> str:
    """Coordinates in the axis order of srs (lat/lon for the urn/http forms and no srsName)."""
    lat_first = srs in LAT_LON
    return " ".join(f"{y!r} {x!r}" if lat_first else f"{x!r} {y!r}" for x, y in points)


def srs_attr(srs: str | None) -> str:
    return f' srsName="{srs}"' if srs else ""


def gml_polygon(srs: str | None, exterior, *interiors) -> str:
    inner = "".join(f"<gml:interior><gml:LinearRing><gml:posList>{pos_list(r, srs)}</gml:posList>"
                    "</gml:LinearRing></gml:interior>" for r in interiors)
    return (f'<gml:Polygon gml:id="p1"{srs_attr(srs)}><gml:exterior><gml:LinearRing><gml:posList>'
            f'{pos_list(exterior, srs)}</gml:posList></gml:LinearRing></gml:exterior>{inner}</gml:Polygon>')


def gml_envelope(srs: str | None, box) -> str:
    lower, upper = pos_list([box[:2]], srs), pos_list([box[2:]], srs)
    return (f"<gml:Envelope{srs_attr(srs)}><gml:lowerCorner>{lower}</gml:lowerCorner>"
            f"<gml:upperCorner>{upper}</gml:upperCorner></gml:Envelope>")


def gml_point(srs: str | None, point) -> str:
    return f'<gml:Point gml:id="pt1"{srs_attr(srs)}><gml:pos>{pos_list([point], srs)}</gml:pos></gml:Point>'


def gml_line(srs: str | None, points) -> str:
    return f'<gml:LineString gml:id="l1"{srs_attr(srs)}><gml:posList>{pos_list(points, srs)}</gml:posList></gml:LineString>'


def spatial(op: str, literal: str, value_reference: bool = True) -> str:
    ref = "<fes:ValueReference>amis:geometry</fes:ValueReference>" if value_reference else ""
    return f"<fes:{op}>{ref}{literal}</fes:{op}>"


def geos_ids(exp, predicate) -> list[int]:
    return sorted(exp.ids_where(lambda f: f.geometry is not None and predicate(f.geometry)))


def box_geometry(box) -> ogr.Geometry:
    x0, y0, x1, y1 = box
    return ogr.CreateGeometryFromWkt(polygon_wkt([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]))


# --------------------------------------------------------------------------- BBOX


@pytest.mark.parametrize("srs", LAT_LON + LON_LAT)
@pytest.mark.parametrize("collection", ["coal_mines", "countries", "coal_mine_boundaries"])
def test_bbox_envelope_in_every_crs_form(http, base_url, wfs_expected, collection, srs):
    exp = wfs_expected(collection)
    want = exp.layer_ids(spatial=box_geometry(BOX))
    assert select(http, base_url, collection, spatial("BBOX", gml_envelope(srs, BOX)), "post") == sorted(want)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_bbox_without_value_reference(http, base_url, wfs_expected, transport):
    want = wfs_expected("coal_mines").layer_ids(spatial=box_geometry(BOX))
    assert select(http, base_url, "coal_mines", spatial("BBOX", gml_envelope(URN, BOX), False), transport) == sorted(want)


def test_bbox_in_web_mercator(http, base_url, wfs_expected):
    lo, hi = lonlat_to(3857, *BOX[:2]), lonlat_to(3857, *BOX[2:])
    env = (f'<gml:Envelope srsName="urn:ogc:def:crs:EPSG::3857"><gml:lowerCorner>{lo[0]!r} {lo[1]!r}</gml:lowerCorner>'
           f'<gml:upperCorner>{hi[0]!r} {hi[1]!r}</gml:upperCorner></gml:Envelope>')
    want = wfs_expected("coal_mines").layer_ids(spatial=box_geometry(BOX))
    assert select(http, base_url, "coal_mines", spatial("BBOX", env), "post") == sorted(want)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_bbox_and_attribute(http, base_url, wfs_expected, transport):
    want = wfs_expected("coal_mines").layer_ids("status = 'Operating'", box_geometry(BOX))
    body = f"<fes:And>{spatial('BBOX', gml_envelope(URN, BOX))}{cmp('PropertyIsEqualTo', 'status', 'Operating')}</fes:And>"
    assert select(http, base_url, "coal_mines", body, transport) == sorted(want)


# --------------------------------------------------------------------------- Intersects


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("srs", LAT_LON + LON_LAT)
def test_intersects_polygon(http, base_url, wfs_expected, srs, transport):
    exp = wfs_expected("coal_mines")
    want = exp.layer_ids(spatial=ogr.CreateGeometryFromWkt(polygon_wkt(TRIANGLE)))
    assert want
    assert select(http, base_url, "coal_mines", spatial("Intersects", gml_polygon(srs, TRIANGLE)), transport) == sorted(want)


@pytest.mark.parametrize("collection", ["coal_mines", "mine_facilities", "countries", "coal_mine_boundaries"])
def test_intersects_polygon_with_a_hole(http, base_url, wfs_expected, collection):
    exp = wfs_expected(collection)
    geom = ogr.CreateGeometryFromWkt(polygon_wkt(BIG, HOLE))
    want = exp.layer_ids(spatial=geom)
    assert want == set(geos_ids(exp, geom.Intersects))
    got = select(http, base_url, collection, spatial("Intersects", gml_polygon(URN, BIG, HOLE)), "post")
    assert got == sorted(want)


def test_intersects_envelope_operand(http, base_url, wfs_expected):
    exp = wfs_expected("countries")
    want = exp.layer_ids(spatial=box_geometry(BOX))
    assert select(http, base_url, "countries", spatial("Intersects", gml_envelope(LON_LAT[0], BOX)), "kvp") == sorted(want)


@pytest.mark.parametrize("srs", [URN, LON_LAT[0]])
def test_intersects_line(http, base_url, wfs_expected, srs):
    exp = wfs_expected("countries")
    line = ogr.CreateGeometryFromWkt("LINESTRING (" + ",".join(f"{x!r} {y!r}" for x, y in LINE) + ")")
    want = geos_ids(exp, line.Intersects)
    assert len(want) >= 3
    assert select(http, base_url, "countries", spatial("Intersects", gml_line(srs, LINE)), "post") == want


# --------------------------------------------------------------------------- Within, Contains, Disjoint


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("collection", ["coal_mines", "coal_mine_boundaries", "countries"])
def test_within_polygon(http, base_url, wfs_expected, collection, transport):
    exp = wfs_expected(collection)
    geom = ogr.CreateGeometryFromWkt(polygon_wkt(BIG, HOLE))
    want = geos_ids(exp, lambda g: g.Within(geom))
    got = select(http, base_url, collection, spatial("Within", gml_polygon(LON_LAT[0], BIG, HOLE)), transport)
    assert got == want


def test_within_selects_some_countries(http, base_url, wfs_expected):
    """Small countries entirely inside a large box (Brunei, Singapore, ...)."""
    exp = wfs_expected("countries")
    box = (100.3011, -1.2013, 119.5017, 7.6019)
    want = geos_ids(exp, lambda g: g.Within(box_geometry(box)))
    assert 1 <= len(want) < len(exp.by_id)
    assert select(http, base_url, "countries", spatial("Within", gml_envelope(URN, box)), "post") == want


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_contains_point_country(http, base_url, wfs_expected, transport):
    exp = wfs_expected("countries")
    point = ogr.CreateGeometryFromWkt(f"POINT ({HANOI[0]!r} {HANOI[1]!r})")
    want = geos_ids(exp, lambda g: g.Contains(point))
    assert [exp.by_id[i].properties["iso3"] for i in want] == ["VNM"]
    assert select(http, base_url, "countries", spatial("Contains", gml_point(URN, HANOI)), transport) == want


def test_contains_point_mine_boundary(http, base_url, wfs_expected):
    exp = wfs_expected("coal_mine_boundaries")
    some = exp.by_id[sorted(exp.by_id)[len(exp.by_id) // 2]].geometry.PointOnSurface()
    point = (some.GetX(), some.GetY())
    want = geos_ids(exp, lambda g: g.Contains(some))
    assert want
    assert select(http, base_url, "coal_mine_boundaries", spatial("Contains", gml_point(LON_LAT[1], point)), "post") == want


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("collection", ["coal_mines", "countries"])
def test_disjoint_is_the_complement_of_intersects(http, base_url, wfs_expected, collection, transport):
    exp = wfs_expected(collection)
    geom = ogr.CreateGeometryFromWkt(polygon_wkt(TRIANGLE))
    want = geos_ids(exp, lambda g: g.Disjoint(geom))
    assert sorted(set(exp.by_id) - exp.layer_ids(spatial=geom)) == want
    assert select(http, base_url, collection, spatial("Disjoint", gml_polygon(URN, TRIANGLE)), transport) == want


def test_not_intersects_equals_disjoint(http, base_url, wfs_expected):
    exp = wfs_expected("coal_mines")
    geom = ogr.CreateGeometryFromWkt(polygon_wkt(TRIANGLE))
    body = f"<fes:Not>{spatial('Intersects', gml_polygon(URN, TRIANGLE))}</fes:Not>"
    assert select(http, base_url, "coal_mines", body, "post") == geos_ids(exp, lambda g: g.Disjoint(geom))


def test_spatial_or(http, base_url, wfs_expected):
    exp = wfs_expected("coal_mines")
    a, b = ogr.CreateGeometryFromWkt(polygon_wkt(TRIANGLE)), box_geometry(BOX)
    body = (f"<fes:Or>{spatial('Intersects', gml_polygon(URN, TRIANGLE))}"
            f"{spatial('BBOX', gml_envelope(LON_LAT[0], BOX))}</fes:Or>")
    assert select(http, base_url, "coal_mines", body, "post") == geos_ids(exp, lambda g: g.Intersects(a) or g.Intersects(b))
