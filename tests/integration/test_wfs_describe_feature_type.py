"""WFS DescribeFeatureType: an XML Schema that compiles against the official GML schemas
(2.0.0: GML 3.2.1; 1.1.0: GML 3.1.1), one element `amis:<id>` of type `amis:<id>Type`
per collection, substitutable for a GML feature, whose properties are the source's
fields in the source's order with the types of docs/wfs.md, every one optional."""
from __future__ import annotations

import pytest
from lxml import etree
from osgeo import gdal, ogr

from support import DEMO_SOURCES, field_types
from wfs_support import (AMIS_NS, COLLECTIONS, NS, assert_exception, kvp, parse_xml, post_xml, qname,
                         schema_with_application_schema, xml_response, xmllint)

XS = NS["xs"]
XSD_TYPES = {"Integer": "long", "Integer64": "long", "Real": "double", "String": "string",
             "Date": "date", "DateTime": "dateTime"}
GEOMETRY_TYPES_32 = {  # OGR layer geometry type -> acceptable GML 3.2 property types
    ogr.wkbPoint: {"PointPropertyType", "GeometryPropertyType"},
    ogr.wkbMultiPoint: {"MultiPointPropertyType", "GeometryPropertyType"},
    ogr.wkbMultiPolygon: {"MultiSurfacePropertyType", "GeometryPropertyType"},
}
GEOMETRY_TYPES_311 = {
    ogr.wkbPoint: {"PointPropertyType", "GeometryPropertyType"},
    ogr.wkbMultiPoint: {"MultiPointPropertyType", "GeometryPropertyType"},
    ogr.wkbMultiPolygon: {"MultiSurfacePropertyType", "MultiPolygonPropertyType", "GeometryPropertyType"},
}


def source_of(collection: str, observations_gpkg):
    if collection == "observations":
        return observations_gpkg, None
    return DEMO_SOURCES[collection].path, DEMO_SOURCES[collection].layer


def source_geometry_type(collection: str, observations_gpkg) -> int:
    path, layer = source_of(collection, observations_gpkg)
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_READONLY)
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    return ogr.GT_Flatten(lyr.GetGeomType())


def resolve(elem, value: str) -> tuple[str | None, str]:
    prefix, _, name = value.rpartition(":")
    return elem.nsmap.get(prefix or None), name


def describe(http, base_url, version="2.0.0", **params):
    r = kvp(base_url, http, "DescribeFeatureType", version=version, **params)
    doc = xml_response(r)
    assert doc.tag == f"{{{XS}}}schema", f"root {doc.tag}"
    return r, doc


@pytest.fixture(scope="module")
def dft_all(http, base_url):
    return describe(http, base_url)


def type_definition(doc, collection: str, gml_ns: str):
    """(element declaration, the sequence of property declarations) for a collection."""
    assert doc.get("targetNamespace") == AMIS_NS
    elements = {e.get("name"): e for e in doc.findall(f"{{{XS}}}element")}
    assert collection in elements, f"no global element {collection!r} (have {sorted(elements)})"
    el = elements[collection]
    assert resolve(el, el.get("type")) == (AMIS_NS, f"{collection}Type"), el.get("type")
    head = "AbstractFeature" if gml_ns == NS["gml"] else "_Feature"
    assert resolve(el, el.get("substitutionGroup")) == (gml_ns, head), el.get("substitutionGroup")
    types = {t.get("name"): t for t in doc.findall(f"{{{XS}}}complexType")}
    ct = types[f"{collection}Type"]
    ext = ct.find(f"{{{XS}}}complexContent/{{{XS}}}extension")
    assert ext is not None, f"{collection}Type does not extend a GML type"
    assert resolve(ext, ext.get("base")) == (gml_ns, "AbstractFeatureType"), ext.get("base")
    seq = ext.find(f"{{{XS}}}sequence")
    return el, list(seq.findall(f"{{{XS}}}element"))


def test_describe_all_is_a_schema_compiling_with_gml_321(dft_all):
    r, doc = dft_all
    imports = {i.get("namespace"): i.get("schemaLocation") for i in doc.findall(f"{{{XS}}}import")}
    assert imports.get(NS["gml"]) == "http://schemas.opengis.net/gml/3.2.1/gml.xsd", imports
    schema_with_application_schema(r.content, "2.0.0")  # compiles (raises if not)


def test_describe_all_lists_every_collection(dft_all):
    _, doc = dft_all
    assert sorted(e.get("name") for e in doc.findall(f"{{{XS}}}element")) == sorted(COLLECTIONS)


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_properties_are_the_source_fields(dft_all, collection, observations_gpkg):
    _, doc = dft_all
    path, layer = source_of(collection, observations_gpkg)
    types = field_types(path, layer)
    _, props = type_definition(doc, collection, NS["gml"])
    geometry, *fields = props
    assert geometry.get("name") == "geometry", "the first property is not amis:geometry"
    gns, gtype = resolve(geometry, geometry.get("type"))
    assert gns == NS["gml"] and gtype in GEOMETRY_TYPES_32[source_geometry_type(collection, observations_gpkg)], (
        f"geometry type {geometry.get('type')}")
    assert [f.get("name") for f in fields] == list(types), "properties are not the source fields in order"
    for f in fields:
        assert resolve(f, f.get("type")) == (XS, XSD_TYPES[types[f.get("name")]]), (
            f"{f.get('name')}: {f.get('type')} for OGR {types[f.get('name')]}")
        assert f.get("minOccurs") == "0", f"{f.get('name')} is not minOccurs=0"
        assert f.get("maxOccurs") in (None, "1")


@pytest.mark.parametrize("type_name", ["amis:coal_mines", "coal_mines"])
def test_describe_one_type(http, base_url, type_name):
    r, doc = describe(http, base_url, TYPENAMES=type_name)
    assert [e.get("name") for e in doc.findall(f"{{{XS}}}element")] == ["coal_mines"]
    schema_with_application_schema(r.content, "2.0.0")


def test_describe_two_types(http, base_url):
    _, doc = describe(http, base_url, TYPENAMES="amis:countries,amis:observations")
    assert sorted(e.get("name") for e in doc.findall(f"{{{XS}}}element")) == ["countries", "observations"]


def test_describe_with_namespaces_parameter(http, base_url):
    _, doc = describe(http, base_url, TYPENAMES="m:mine_facilities", NAMESPACES=f"xmlns(m,{AMIS_NS})")
    assert [e.get("name") for e in doc.findall(f"{{{XS}}}element")] == ["mine_facilities"]


def test_describe_by_post(http, base_url):
    body = (f'<wfs:DescribeFeatureType xmlns:wfs="{NS["wfs"]}" xmlns:amis="{AMIS_NS}" service="WFS" '
            'version="2.0.0"><wfs:TypeName>amis:coal_mine_boundaries</wfs:TypeName></wfs:DescribeFeatureType>')
    r = post_xml(base_url, http, body)
    doc = xml_response(r)
    assert [e.get("name") for e in doc.findall(f"{{{XS}}}element")] == ["coal_mine_boundaries"]


def test_an_empty_feature_validates_with_xmllint(http, base_url, tmp_path):
    """xmllint (not only lxml) accepts the schema: a feature with no property at all is
    valid (everything optional), one with an unknown property is not."""
    r, _ = describe(http, base_url, TYPENAMES="amis:coal_mines")
    schema = tmp_path / "amis.xsd"
    schema.write_bytes(r.content)
    empty = f'<amis:coal_mines xmlns:amis="{AMIS_NS}" xmlns:gml="{NS["gml"]}" gml:id="coal_mines.1"/>'
    ok, errors = xmllint(empty.encode(), schema)
    assert ok, errors[-2000:]
    unknown = (f'<amis:coal_mines xmlns:amis="{AMIS_NS}" xmlns:gml="{NS["gml"]}" gml:id="coal_mines.1">'
               '<amis:no_such_field>1</amis:no_such_field></amis:coal_mines>')
    ok, _ = xmllint(unknown.encode(), schema)
    assert not ok, "a feature with an undeclared property validated"


def test_feature_collection_of_every_type_validates(http, base_url, dft_schema):
    """One feature of each type, in a 2.0 FeatureCollection, against DescribeFeatureType +
    wfs/2.0/wfs.xsd (strictly: each feature is also validated as a document of its own)."""
    for collection in COLLECTIONS:
        r = kvp(base_url, http, "GetFeature", TYPENAMES=f"amis:{collection}", COUNT=3)
        doc = xml_response(r)
        if not dft_schema.validate(doc):
            raise AssertionError(f"{collection}: {list(dft_schema.error_log)[:5]}")
        members = doc.findall(f"{qname('wfs', 'member')}/*")
        assert len(members) == 3
        for m in members:
            assert m.tag == f"{{{AMIS_NS}}}{collection}"
            standalone = parse_xml(etree.tostring(m))
            assert dft_schema.validate(standalone), f"{collection}: {list(dft_schema.error_log)[:5]}"


# --------------------------------------------------------------------------- 1.1.0


@pytest.fixture(scope="module")
def dft_11(http, base_url):
    return describe(http, base_url, version="1.1.0", TYPENAME="amis:coal_mines,amis:countries")


def test_describe_11_is_gml_311(dft_11):
    r, doc = dft_11
    imports = {i.get("namespace"): i.get("schemaLocation") for i in doc.findall(f"{{{XS}}}import")}
    assert imports.get(NS["gml311"]) == "http://schemas.opengis.net/gml/3.1.1/base/gml.xsd", imports
    schema_with_application_schema(r.content, "1.1.0")


@pytest.mark.parametrize("collection", ["coal_mines", "countries"])
def test_describe_11_properties(dft_11, collection, observations_gpkg):
    _, doc = dft_11
    path, layer = source_of(collection, observations_gpkg)
    types = field_types(path, layer)
    _, props = type_definition(doc, collection, NS["gml311"])
    geometry, *fields = props
    gns, gtype = resolve(geometry, geometry.get("type"))
    assert gns == NS["gml311"] and gtype in GEOMETRY_TYPES_311[source_geometry_type(collection, observations_gpkg)]
    assert [f.get("name") for f in fields] == list(types)
    for f in fields:
        assert resolve(f, f.get("type")) == (XS, XSD_TYPES[types[f.get("name")]])


def test_feature_collection_11_validates(http, base_url, dft_11):
    r, _ = dft_11
    schema = schema_with_application_schema(r.content, "1.1.0")
    g = kvp(base_url, http, "GetFeature", version="1.1.0", TYPENAME="amis:coal_mines", MAXFEATURES=20)
    doc = xml_response(g)
    assert doc.tag == qname("wfs11", "FeatureCollection")
    if not schema.validate(doc):
        raise AssertionError(str(list(schema.error_log)[:5]))
    assert len(doc.findall(f".//{{{AMIS_NS}}}coal_mines")) == 20


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("type_name", ["amis:no_such_type", "nope", "amis:coal_mines,amis:nope"])
def test_unknown_type_is_invalid_parameter_value(http, base_url, type_name):
    assert_exception(kvp(base_url, http, "DescribeFeatureType", TYPENAMES=type_name),
                     "InvalidParameterValue", "typeNames")


def test_type_in_another_namespace_is_unknown(http, base_url):
    r = kvp(base_url, http, "DescribeFeatureType", TYPENAMES="x:coal_mines",
            NAMESPACES="xmlns(x,http://example.com/not-amis)")
    assert_exception(r, "InvalidParameterValue", "typeNames")
