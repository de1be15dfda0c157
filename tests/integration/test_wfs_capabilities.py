"""WFS GetCapabilities (2.0.0 and 1.1.0): schema-valid with xmllint against the official
schemas, every collection a feature type `amis:<id>` whose WGS84BoundingBox is the
source's extent as OGR computes it, the conformance constraints of a basic, paging,
non-transactional WFS, and version negotiation."""
from __future__ import annotations

import pytest
from osgeo import gdal

from support import DEMO_SOURCES
from wfs_support import (AMIS_NS, COLLECTIONS, NS, WFS11_XSD, WFS20_XSD, assert_exception,
                         assert_xmllint_valid, kvp, numbers, post_xml, qname, xml_response)

EXTENT_TOLERANCE = 1e-6  # degrees
OPERATIONS_20 = ["GetCapabilities", "DescribeFeatureType", "GetFeature", "GetPropertyValue",
                 "ListStoredQueries", "DescribeStoredQueries"]
OPERATIONS_11 = ["GetCapabilities", "DescribeFeatureType", "GetFeature"]
OUTPUT_FORMATS = ["application/gml+xml; version=3.2", "text/xml; subtype=gml/3.2",
                  "text/xml; subtype=gml/3.1.1", "application/json", "csv", "kml", "shape-zip",
                  "gpkg", "fgb"]


@pytest.fixture(scope="module")
def caps20(http, base_url) -> tuple[bytes, object]:
    r = kvp(base_url, http, "GetCapabilities", version=None, ACCEPTVERSIONS="2.0.0")
    return r.content, xml_response(r)


@pytest.fixture(scope="module")
def caps11(http, base_url) -> tuple[bytes, object]:
    r = kvp(base_url, http, "GetCapabilities", version="1.1.0")
    return r.content, xml_response(r)


def source_extent(collection: str, observations_gpkg) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) in lon/lat, by OGR over the source file."""
    if collection == "observations":
        path, layer = observations_gpkg, None
    else:
        path, layer = DEMO_SOURCES[collection].path, DEMO_SOURCES[collection].layer
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_READONLY)
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    minx, maxx, miny, maxy = lyr.GetExtent(force=1)
    return minx, miny, maxx, maxy


def resolve_qname(elem, text: str) -> tuple[str | None, str]:
    """(namespace URI, local name) of a QName in element content, by the element's nsmap."""
    prefix, _, name = text.strip().rpartition(":")
    return elem.nsmap.get(prefix or None), name


def constraints(parent, ows: str, container: str | None = None) -> dict[str, str]:
    """name -> DefaultValue of the <container:Constraint> children (ows:Constraint in
    OperationsMetadata, fes:Constraint in fes:Conformance)."""
    out = {}
    for c in parent.findall(f"{{{container or ows}}}Constraint"):
        value = c.find(f"{{{ows}}}DefaultValue")
        out[c.get("name")] = (value.text or "").strip() if value is not None else None
    return out


# --------------------------------------------------------------------------- 2.0.0


def test_capabilities_20_is_valid_against_wfs_20_schema(caps20):
    content, doc = caps20
    assert doc.tag == qname("wfs", "WFS_Capabilities")
    assert doc.get("version") == "2.0.0"
    assert_xmllint_valid(content, WFS20_XSD)


def test_default_version_is_20(http, base_url):
    doc = xml_response(kvp(base_url, http, "GetCapabilities", version=None))
    assert doc.tag == qname("wfs", "WFS_Capabilities") and doc.get("version") == "2.0.0"


def test_capabilities_by_post(http, base_url):
    body = (f'<wfs:GetCapabilities xmlns:wfs="{NS["wfs"]}" xmlns:ows="{NS["ows"]}" service="WFS">'
            '<ows:AcceptVersions><ows:Version>2.0.0</ows:Version></ows:AcceptVersions>'
            '</wfs:GetCapabilities>')
    r = post_xml(base_url, http, body)
    doc = xml_response(r)
    assert doc.tag == qname("wfs", "WFS_Capabilities") and doc.get("version") == "2.0.0"
    assert_xmllint_valid(r.content, WFS20_XSD)


def test_service_identification_20(caps20):
    _, doc = caps20
    ident = doc.find(qname("ows", "ServiceIdentification"))
    assert ident is not None
    assert ident.findtext(qname("ows", "ServiceType")).strip() == "WFS"
    versions = {v.text.strip() for v in ident.findall(qname("ows", "ServiceTypeVersion"))}
    assert {"2.0.0", "1.1.0"} <= versions


def test_operations_20_have_get_and_post_endpoints(caps20, base_url):
    _, doc = caps20
    ops = {op.get("name"): op for op in doc.iter(qname("ows", "Operation"))}
    for name in OPERATIONS_20:
        assert name in ops, f"operation {name} not declared"
        get = ops[name].find(f".//{qname('ows', 'Get')}")
        assert get is not None, f"{name}: no HTTP Get DCP"
        href = get.get(qname("xlink", "href"))
        assert href and href.split("?")[0].endswith("/wfs"), f"{name}: Get href {href!r}"
    for name in ("GetFeature", "GetCapabilities", "DescribeFeatureType"):
        assert ops[name].find(f".//{qname('ows', 'Post')}") is not None, f"{name}: no HTTP Post DCP"
    # WFS-T (issue 6): Transaction is an XML document sent by POST only.
    assert ops["Transaction"].find(f".//{qname('ows', 'Post')}") is not None
    assert ops["Transaction"].find(f".//{qname('ows', 'Get')}") is None


@pytest.mark.parametrize("name, value", [
    ("ImplementsBasicWFS", "TRUE"),
    ("ImplementsResultPaging", "TRUE"),
    ("KVPEncoding", "TRUE"),
    ("XMLEncoding", "TRUE"),
    ("ImplementsTransactionalWFS", "TRUE"),
    ("ImplementsLockingWFS", "FALSE"),
])
def test_conformance_constraints_20(caps20, name, value):
    _, doc = caps20
    found = constraints(doc.find(qname("ows", "OperationsMetadata")), NS["ows"])
    assert found.get(name) == value, f"constraint {name} is {found.get(name)!r}, wanted {value}"


@pytest.mark.parametrize("name", [
    "ImplementsQuery", "ImplementsAdHocQuery", "ImplementsResourceId", "ImplementsMinStandardFilter",
    "ImplementsStandardFilter", "ImplementsMinSpatialFilter", "ImplementsSpatialFilter",
    "ImplementsMinTemporalFilter", "ImplementsTemporalFilter", "ImplementsSorting"])
def test_filter_conformance_20(caps20, name):
    _, doc = caps20
    conf = doc.find(f"{qname('fes', 'Filter_Capabilities')}/{qname('fes', 'Conformance')}")
    assert conf is not None, "no fes:Filter_Capabilities/fes:Conformance"
    found = constraints(conf, NS["ows"], NS["fes"])
    assert found.get(name) == "TRUE", f"FES constraint {name} is {found.get(name)!r}"


def test_filter_capabilities_list_the_operators_served(caps20):
    _, doc = caps20
    fc = doc.find(qname("fes", "Filter_Capabilities"))
    spatial = {op.get("name") for op in fc.iter(qname("fes", "SpatialOperator"))}
    assert {"BBOX", "Intersects", "Within", "Contains", "Disjoint"} <= spatial
    temporal = {op.get("name") for op in fc.iter(qname("fes", "TemporalOperator"))}
    assert {"During", "After", "Before"} <= temporal
    comparison = {op.get("name") for op in fc.iter(qname("fes", "ComparisonOperator"))}
    assert {"PropertyIsEqualTo", "PropertyIsNotEqualTo", "PropertyIsLessThan", "PropertyIsGreaterThan",
            "PropertyIsLessThanOrEqualTo", "PropertyIsGreaterThanOrEqualTo", "PropertyIsLike",
            "PropertyIsNull", "PropertyIsBetween"} <= comparison
    operands = set()
    for o in fc.iter(qname("fes", "GeometryOperand")):
        operands.add(resolve_qname(o, o.get("name")))
    assert {(NS["gml"], "Envelope"), (NS["gml"], "Polygon")} <= operands


def declared_output_formats(doc) -> set[str]:
    """The outputFormat values declared for GetFeature (or for every operation)."""
    declared = set()
    for p in doc.iter(qname("ows", "Parameter")):
        if p.get("name", "").lower() == "outputformat" and p.getparent().get("name") in ("GetFeature", None):
            declared |= {v.text.strip() for v in p.iter(qname("ows", "Value"))}
    return declared


# docs/wfs.md names and the media types that mean the same format
FORMAT_ALIASES = {
    "csv": {"csv", "text/csv"},
    "kml": {"kml", "application/vnd.google-earth.kml+xml"},
    "shape-zip": {"shape-zip", "SHAPE-ZIP", "application/zip", "application/x-zipped-shp"},
    "gpkg": {"gpkg", "application/geopackage+sqlite3"},
    "fgb": {"fgb", "application/flatgeobuf"},
}


def test_getfeature_output_formats_are_declared(caps20):
    declared = declared_output_formats(caps20[1])
    missing = [f for f in OUTPUT_FORMATS if not (FORMAT_ALIASES.get(f, {f}) & declared)]
    assert not missing, f"GetFeature outputFormat values not declared: {missing} (declared: {sorted(declared)})"


def feature_types(doc, wfs_ns: str) -> dict[str, object]:
    """local name -> wfs:FeatureType, checking that each Name is in the AMIS namespace."""
    out = {}
    for ft in doc.iter(f"{{{wfs_ns}}}FeatureType"):
        name_el = ft.find(f"{{{wfs_ns}}}Name")
        ns, name = resolve_qname(name_el, name_el.text)
        assert ns == AMIS_NS, f"feature type {name_el.text!r} is in namespace {ns!r}"
        assert name_el.text.strip() == f"amis:{name}", name_el.text
        out[name] = ft
    return out


def test_every_collection_is_a_feature_type_20(caps20):
    _, doc = caps20
    assert sorted(feature_types(doc, NS["wfs"])) == sorted(COLLECTIONS)


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_feature_type_20_crs_and_extent(caps20, collection, observations_gpkg):
    _, doc = caps20
    ft = feature_types(doc, NS["wfs"])[collection]
    assert ft.findtext(qname("wfs", "Title")).strip()
    assert ft.findtext(qname("wfs", "DefaultCRS")).strip() == "urn:ogc:def:crs:EPSG::4326"
    others = {o.text.strip() for o in ft.findall(qname("wfs", "OtherCRS"))}
    assert "urn:ogc:def:crs:EPSG::3857" in others, sorted(others)
    box = ft.find(qname("ows", "WGS84BoundingBox"))
    assert box is not None, f"{collection}: no ows:WGS84BoundingBox"
    lower = numbers(box.findtext(qname("ows", "LowerCorner")))
    upper = numbers(box.findtext(qname("ows", "UpperCorner")))
    minx, miny, maxx, maxy = source_extent(collection, observations_gpkg)
    assert lower == pytest.approx([minx, miny], abs=EXTENT_TOLERANCE), f"{collection} lower corner (lon lat)"
    assert upper == pytest.approx([maxx, maxy], abs=EXTENT_TOLERANCE), f"{collection} upper corner (lon lat)"
    # never smaller than the data, whatever the rounding
    assert lower[0] <= minx + 1e-12 and lower[1] <= miny + 1e-12
    assert upper[0] >= maxx - 1e-12 and upper[1] >= maxy - 1e-12


# --------------------------------------------------------------------------- 1.1.0


def test_capabilities_11_is_valid_against_wfs_110_schema(caps11):
    content, doc = caps11
    assert doc.tag == qname("wfs11", "WFS_Capabilities")
    assert doc.get("version") == "1.1.0"
    assert_xmllint_valid(content, WFS11_XSD)


def test_accept_versions_picks_11(http, base_url):
    doc = xml_response(kvp(base_url, http, "GetCapabilities", version=None, ACCEPTVERSIONS="1.1.0"))
    assert doc.tag == qname("wfs11", "WFS_Capabilities") and doc.get("version") == "1.1.0"


def test_accept_versions_prefers_the_first_supported(http, base_url):
    doc = xml_response(kvp(base_url, http, "GetCapabilities", version=None, ACCEPTVERSIONS="3.0.0,2.0.0,1.1.0"))
    assert doc.get("version") == "2.0.0"


def test_no_common_version_is_version_negotiation_failed(http, base_url):
    r = kvp(base_url, http, "GetCapabilities", version=None, ACCEPTVERSIONS="3.0.0")
    assert_exception(r, "VersionNegotiationFailed")


def test_operations_11(caps11):
    _, doc = caps11
    ops = {op.get("name") for op in doc.iter(qname("ows10", "Operation"))}
    assert set(OPERATIONS_11) <= ops
    assert "Transaction" in ops


def test_every_collection_is_a_feature_type_11(caps11):
    _, doc = caps11
    assert sorted(feature_types(doc, NS["wfs11"])) == sorted(COLLECTIONS)


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_feature_type_11_srs_and_extent(caps11, collection, observations_gpkg):
    _, doc = caps11
    ft = feature_types(doc, NS["wfs11"])[collection]
    default_srs = ft.findtext(qname("wfs11", "DefaultSRS")).strip()
    assert default_srs in ("urn:ogc:def:crs:EPSG::4326", "urn:x-ogc:def:crs:EPSG:4326",
                           "urn:ogc:def:crs:EPSG:4326"), default_srs
    box = ft.find(qname("ows10", "WGS84BoundingBox"))
    assert box is not None
    lower = numbers(box.findtext(qname("ows10", "LowerCorner")))
    upper = numbers(box.findtext(qname("ows10", "UpperCorner")))
    minx, miny, maxx, maxy = source_extent(collection, observations_gpkg)
    assert lower == pytest.approx([minx, miny], abs=EXTENT_TOLERANCE)
    assert upper == pytest.approx([maxx, maxy], abs=EXTENT_TOLERANCE)


def test_filter_capabilities_11(caps11):
    _, doc = caps11
    fc = doc.find(qname("ogc", "Filter_Capabilities"))
    assert fc is not None, "no ogc:Filter_Capabilities in the 1.1.0 capabilities"
    spatial = {op.get("name") for op in fc.iter(qname("ogc", "SpatialOperator"))}
    assert {"BBOX", "Intersects", "Within"} <= spatial
