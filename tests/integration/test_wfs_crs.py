"""WFS SRSNAME and axis order (docs/wfs.md): the urn and /def/crs/EPSG/0/ forms use the
EPSG axis order (latitude first for EPSG:4326), `EPSG:N`, epsg.xml#N and CRS84 are
east/north; projected CRSs hold the coordinates osr (PROJ) computes from the source."""
from __future__ import annotations

import pytest

from support import assert_same_geometry
from wfs_support import (NS, assert_exception, expected_geometry, get_feature_body, get_features, kvp,
                         numbers, parse_srs_name, post_features, served_ids, swap_xy)

# coal mines spread over the region (ids are store fids, see wfs_support.expected_collection)
SAMPLE_IDS = [1, 2, 3, 50, 400, 1000, 1500, 2222, 3000, 3122]
DEG = 1e-9
METRE = 1e-3


def sample(http, base_url, collection="coal_mines", ids=SAMPLE_IDS, **params):
    _, features = get_features(http, base_url, TYPENAMES=f"amis:{collection}",
                               RESOURCEID=",".join(f"{collection}.{i}" for i in ids), **params)
    assert sorted(served_ids(features, collection)) == sorted(ids)
    return features


def assert_same_crs(served: str | None, requested: str) -> None:
    """The srsName written on a geometry names the requested CRS with the same axis order
    (not necessarily the same spelling)."""
    assert served, "geometry without srsName"
    code, order = parse_srs_name(served)
    want_code, want_order = parse_srs_name(requested)
    assert code == want_code, f"srsName {served!r} for a request in {requested!r}"
    if code == 4326:
        assert order == want_order, f"srsName {served!r} has another axis order than {requested!r}"


@pytest.mark.parametrize("srs_name, lat_first", [
    ("urn:ogc:def:crs:EPSG::4326", True),
    ("urn:x-ogc:def:crs:EPSG:4326", True),
    ("http://www.opengis.net/def/crs/EPSG/0/4326", True),
    ("EPSG:4326", False),
    ("http://www.opengis.net/gml/srs/epsg.xml#4326", False),
    ("urn:ogc:def:crs:OGC:1.3:CRS84", False),
    ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", False),
])
def test_geographic_srs_names_and_axis_order(http, base_url, wfs_expected, srs_name, lat_first):
    exp = wfs_expected("coal_mines")
    for f in sample(http, base_url, SRSNAME=srs_name):
        src = exp.by_id[int(f.gml_id.split(".")[1])].geometry
        assert_same_geometry(f.geometry, swap_xy(src) if lat_first else src, DEG, f"{f.gml_id} in {srs_name}")
        assert_same_crs(f.srs_name, srs_name)


def ids_near(exp, central_meridian: float, half_width: float = 4.0, n: int = 10) -> list[int]:
    """Up to n ids of features within half_width degrees of a UTM zone's central meridian."""
    ids = [i for i, f in sorted(exp.by_id.items())
           if abs(f.geometry.GetEnvelope()[0] - central_meridian) < half_width]
    return ids[:: max(1, len(ids) // n)][:n]


@pytest.mark.parametrize("srs_name, central_meridian", [
    ("urn:ogc:def:crs:EPSG::3857", None), ("EPSG:3857", None), ("http://www.opengis.net/def/crs/EPSG/0/3857", None),
    ("urn:ogc:def:crs:EPSG::32648", 105.0), ("urn:ogc:def:crs:EPSG::32750", 117.0),
    ("urn:ogc:def:crs:EPSG::4490", None),
])
def test_projected_and_other_crs_equal_osr(http, base_url, wfs_expected, srs_name, central_meridian):
    exp = wfs_expected("coal_mines")
    code, _ = parse_srs_name(srs_name)
    tolerance = DEG if code == 4490 else METRE
    ids = SAMPLE_IDS if central_meridian is None else ids_near(exp, central_meridian)
    assert ids
    for f in sample(http, base_url, ids=ids, SRSNAME=srs_name):
        want = expected_geometry(exp.by_id[int(f.gml_id.split(".")[1])].geometry, srs_name)
        got = (f.geometry.GetX(), f.geometry.GetY())
        assert got == pytest.approx((want.GetX(), want.GetY()), abs=tolerance, rel=1e-12), f"{f.gml_id} in {srs_name}"
        assert_same_crs(f.srs_name, srs_name)


def test_polygons_in_web_mercator_vertex_for_vertex(http, base_url, wfs_expected):
    exp = wfs_expected("countries")
    ids = sorted(exp.by_id)[:4]
    for f in sample(http, base_url, "countries", ids, SRSNAME="urn:ogc:def:crs:EPSG::3857"):
        want = expected_geometry(exp.by_id[int(f.gml_id.split(".")[1])].geometry, "urn:ogc:def:crs:EPSG::3857")
        assert_same_geometry(f.geometry, want, METRE, f.gml_id)


def test_multipoints_in_utm_vertex_for_vertex(http, base_url, wfs_expected):
    exp = wfs_expected("mine_facilities")
    ids = ids_near(exp, 105.0)
    for f in sample(http, base_url, "mine_facilities", ids, SRSNAME="urn:ogc:def:crs:EPSG::32648"):
        want = expected_geometry(exp.by_id[int(f.gml_id.split(".")[1])].geometry, "urn:ogc:def:crs:EPSG::32648")
        assert_same_geometry(f.geometry, want, METRE, f.gml_id)


def test_post_query_srs_name(http, base_url, wfs_expected):
    exp = wfs_expected("coal_mines")
    rid = "".join(f'<fes:ResourceId rid="coal_mines.{i}"/>' for i in SAMPLE_IDS)
    body = get_feature_body("amis:coal_mines", f"<fes:Filter>{rid}</fes:Filter>",
                            query_attrs='srsName="urn:ogc:def:crs:EPSG::3857"')
    _, features = post_features(http, base_url, body)
    assert sorted(served_ids(features, "coal_mines")) == sorted(SAMPLE_IDS)
    for f in features:
        want = expected_geometry(exp.by_id[int(f.gml_id.split(".")[1])].geometry, "urn:ogc:def:crs:EPSG::3857")
        assert (f.geometry.GetX(), f.geometry.GetY()) == pytest.approx((want.GetX(), want.GetY()), abs=METRE)


@pytest.mark.parametrize("srs_name, tolerance", [
    ("urn:ogc:def:crs:EPSG::4326", DEG), ("EPSG:4326", DEG), ("urn:ogc:def:crs:OGC:1.3:CRS84", DEG),
    ("urn:ogc:def:crs:EPSG::3857", METRE), ("urn:ogc:def:crs:EPSG::32648", METRE),
])
def test_bounded_by_envelope_follows_the_srs_name(http, base_url, wfs_expected, dft_schema, srs_name, tolerance):
    """Each feature's gml:boundedBy is a gml:Envelope in the requested CRS (its srsName) and
    axis order whose corners are the box of the source geometry as osr puts it in that CRS
    (OGR's envelope of the expected geometry); the collection stays schema-valid."""
    exp = wfs_expected("countries")
    ids = sorted(exp.by_id)[:6]
    doc, features = get_features(http, base_url, TYPENAMES="amis:countries",
                                 RESOURCEID=",".join(f"countries.{i}" for i in ids), SRSNAME=srs_name)
    assert sorted(served_ids(features, "countries")) == ids
    assert dft_schema.validate(doc), list(dft_schema.error_log)[:5]
    for f in features:
        envelopes = f.element.findall(f"{{{NS['gml']}}}boundedBy/{{{NS['gml']}}}Envelope")
        assert len(envelopes) == 1, f"{f.gml_id}: {len(envelopes)} gml:boundedBy/gml:Envelope"
        env = envelopes[0]
        assert_same_crs(env.get("srsName"), srs_name)
        lower = numbers(env.findtext(f"{{{NS['gml']}}}lowerCorner"))
        upper = numbers(env.findtext(f"{{{NS['gml']}}}upperCorner"))
        minx, maxx, miny, maxy = expected_geometry(exp.by_id[int(f.gml_id.split(".")[1])].geometry,
                                                   srs_name).GetEnvelope()
        assert lower == pytest.approx([minx, miny], abs=tolerance, rel=1e-12), f"{f.gml_id} in {srs_name}"
        assert upper == pytest.approx([maxx, maxy], abs=tolerance, rel=1e-12), f"{f.gml_id} in {srs_name}"


@pytest.mark.parametrize("srs_name", ["EPSG:999999", "urn:ogc:def:crs:EPSG::0", "banana", "urn:ogc:def:crs:EPSG::"])
def test_unknown_srs_name_is_invalid_parameter_value(http, base_url, srs_name):
    assert_exception(kvp(base_url, http, "GetFeature", TYPENAMES="amis:coal_mines", COUNT=1, SRSNAME=srs_name),
                     "InvalidParameterValue", "srsName")
