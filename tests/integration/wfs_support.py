"""Helpers for the WFS 2.0.0 / 1.1.0 tests (the contract is docs/wfs.md).

- requests: KVP (GET) and XML (POST) against `/wfs`;
- XML: a parser that never loads a DTD, an entity or anything from the network;
- validation against the official OGC schemas in tests/schemas/ogc, through its
  catalog.xml (xmllint) or an lxml resolver doing the same mapping (compiled schemas
  are cached for the session);
- reading GML 3.2 / 3.1.1 features and geometries (coordinates kept in document axis
  order: the tests say which order they expect);
- the expected side: the source features keyed by the ids AMIS gives them, read with
  OGR from the source files (the store is read only to learn which fid each source row
  got, and is checked to hold the same rows).

Nothing here derives an expected value from AMIS's output.
"""
from __future__ import annotations

import atexit
import functools
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable

import requests
from lxml import etree
from osgeo import gdal, ogr, osr

from support import DEMO_SOURCES, REPO_ROOT, SourceFeature, field_types, norm_props, read_features

OGC_SCHEMAS = REPO_ROOT / "tests" / "schemas" / "ogc"
CATALOG = OGC_SCHEMAS / "catalog.xml"
WFS20_XSD = OGC_SCHEMAS / "wfs" / "2.0" / "wfs.xsd"
# ogc/wfs/1.1.0/wfs.xsd itself cannot be compiled by libxml2 (Filter 1.1's circular
# includes, see that file): this wrapper imports the same schemas in a working order.
WFS11_XSD = REPO_ROOT / "tests" / "schemas" / "wfs-1.1.0-libxml2.xsd"
OWS11_EXCEPTION_XSD = OGC_SCHEMAS / "ows" / "1.1.0" / "owsExceptionReport.xsd"
OWS10_EXCEPTION_XSD = OGC_SCHEMAS / "ows" / "1.0.0" / "owsExceptionReport.xsd"

AMIS_NS = "https://amis.asean.org/ns/amis"
NS = {
    "wfs": "http://www.opengis.net/wfs/2.0",
    "wfs11": "http://www.opengis.net/wfs",
    "fes": "http://www.opengis.net/fes/2.0",
    "ogc": "http://www.opengis.net/ogc",
    "gml": "http://www.opengis.net/gml/3.2",
    "gml311": "http://www.opengis.net/gml",
    "ows": "http://www.opengis.net/ows/1.1",
    "ows10": "http://www.opengis.net/ows",
    "xlink": "http://www.w3.org/1999/xlink",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xs": "http://www.w3.org/2001/XMLSchema",
    "amis": AMIS_NS,
}
GML_NAMESPACES = (NS["gml"], NS["gml311"])

# The namespace declarations every hand-written request body below uses.
XMLNS = (f'xmlns:wfs="{NS["wfs"]}" xmlns:fes="{NS["fes"]}" xmlns:gml="{NS["gml"]}" '
         f'xmlns:amis="{AMIS_NS}"')

CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

COLLECTIONS = ["coal_mines", "coal_mine_boundaries", "countries", "mine_facilities", "observations"]

HTTP_TIMEOUT = 120


# --------------------------------------------------------------------------- requests


def wfs_url(base_url: str) -> str:
    return base_url + "/wfs"


def kvp(base_url: str, session: requests.Session, request: str, version: str | None = "2.0.0",
        **params: Any) -> requests.Response:
    """GET /wfs?SERVICE=WFS&VERSION=...&REQUEST=...&<params> (None values left out)."""
    query = {"SERVICE": "WFS", "REQUEST": request}
    if version is not None:
        query["VERSION"] = version
    query.update({k: str(v) for k, v in params.items() if v is not None})
    return session.get(wfs_url(base_url), params=query, timeout=HTTP_TIMEOUT)


def post_xml(base_url: str, session: requests.Session, body: str | bytes,
             content_type: str = "application/xml", **kwargs: Any) -> requests.Response:
    data = body.encode() if isinstance(body, str) else body
    return session.post(wfs_url(base_url), data=data, headers={"Content-Type": content_type},
                        timeout=kwargs.pop("timeout", HTTP_TIMEOUT), **kwargs)


def assert_valid_request(body: str) -> None:
    """Self-check of the tests: a request document they send as valid is valid WFS 2.0
    (with GML 3.2.1 for the geometry literals of FES filters)."""
    doc = etree.fromstring(body.encode(), SAFE_PARSER)
    assert_valid(request_schema(), doc, "the test's own request")


def get_feature_body(type_name: str, filter_xml: str = "", *, version: str = "2.0.0",
                     attrs: str = "", query_attrs: str = "", query_children: str = "") -> str:
    """A WFS 2.0 GetFeature request document with one wfs:Query."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<wfs:GetFeature service="WFS" version="{version}" {XMLNS} {attrs}>'
            f'<wfs:Query typeNames="{type_name}" {query_attrs}>{query_children}{filter_xml}</wfs:Query>'
            f'</wfs:GetFeature>')


def fes_filter(body: str, declare: bool = False) -> str:
    """<fes:Filter> around `body`; with `declare`, the namespace declarations on the filter
    itself (needed for the FILTER KVP parameter)."""
    ns = f' {XMLNS}' if declare else ''
    return f'<fes:Filter{ns}>{body}</fes:Filter>'


# --------------------------------------------------------------------------- XML


SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                              huge_tree=True, remove_blank_text=False)


def parse_xml(content: bytes | requests.Response) -> etree._Element:
    data = content.content if isinstance(content, requests.Response) else content
    return etree.fromstring(data, SAFE_PARSER)


def xml_response(r: requests.Response, status: int = 200) -> etree._Element:
    assert r.status_code == status, (
        f"{r.request.method} {r.url}: HTTP {r.status_code}, wanted {status}: {r.text[:600]}")
    ctype = r.headers.get("Content-Type", "")
    assert "xml" in ctype, f"{r.url}: Content-Type {ctype!r} is not XML"
    return parse_xml(r)


def qname(ns: str, local: str) -> str:
    return f"{{{NS[ns]}}}{local}"


def local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def namespace(tag: Any) -> str:
    return etree.QName(tag).namespace if isinstance(tag, str) else ""


# --------------------------------------------------------------------------- schema validation


def xmllint(document: bytes, schema: Path) -> tuple[bool, str]:
    """xmllint --noout --nonet --schema schema -, with the repository's OGC catalog."""
    env = {**os.environ, "XML_CATALOG_FILES": str(CATALOG)}
    with tempfile.NamedTemporaryFile(suffix=".xml") as f:
        f.write(document)
        f.flush()
        r = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", str(schema), f.name],
                           capture_output=True, text=True, env=env, timeout=120)
    errors = "\n".join(line for line in r.stderr.replace(f.name, "<document>").splitlines()
                       if "parser warning" not in line)  # 'Skipping import ... already imported'
    return r.returncode == 0, errors


def assert_xmllint_valid(document: bytes, schema: Path) -> None:
    ok, errors = xmllint(document, schema)
    assert ok, f"not valid against {schema.relative_to(REPO_ROOT)}:\n{errors[:3000]}"


class _CatalogResolver(etree.Resolver):
    """The mapping of tests/schemas/ogc/catalog.xml, for lxml: schemas.opengis.net and
    the W3C xlink/xml schemas to the local copies; anything else remote is refused."""

    W3C = {
        "http://www.w3.org/1999/xlink.xsd": OGC_SCHEMAS / "w3c" / "1999" / "xlink.xsd",
        "http://www.w3.org/2001/xml.xsd": OGC_SCHEMAS / "w3c" / "2001" / "xml.xsd",
        "http://www.w3.org/2009/01/xml.xsd": OGC_SCHEMAS / "w3c" / "2001" / "xml.xsd",
        "http://www.w3.org/XML/1998/namespace": OGC_SCHEMAS / "w3c" / "2001" / "xml.xsd",
    }

    def resolve(self, url, pubid, context):
        for prefix in ("http://schemas.opengis.net/", "https://schemas.opengis.net/"):
            if url.startswith(prefix):
                return self.resolve_filename(str(OGC_SCHEMAS / url[len(prefix):]), context)
        if url in self.W3C:
            return self.resolve_filename(str(self.W3C[url]), context)
        if url.startswith(("http://", "https://")):
            raise AssertionError(f"schema import of {url} would need the network")
        return None


def _schema_parser() -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_CatalogResolver())
    return parser


@functools.lru_cache(maxsize=None)
def compiled_schema(path: str) -> etree.XMLSchema:
    """An XML Schema file compiled once per session (imports resolved locally)."""
    doc = etree.parse(path, _schema_parser())
    return etree.XMLSchema(doc)


_WRAPPERS = Path(tempfile.mkdtemp(prefix="amis-wfs-schemas-"))
atexit.register(shutil.rmtree, _WRAPPERS, True)


def wrapper_schema(name: str, imports: list[tuple[str, str]]) -> etree.XMLSchema:
    """A schema that only imports (namespace, location) pairs, in that order, compiled."""
    wrapper = _WRAPPERS / f"{name}.xsd"
    if not wrapper.exists():
        wrapper.write_text(
            '<?xml version="1.0"?>\n'
            f'<xs:schema xmlns:xs="{NS["xs"]}" targetNamespace="urn:amis-tests:{name}" '
            'elementFormDefault="qualified">'
            + "".join(f'<xs:import namespace="{ns}" schemaLocation="{loc}"/>' for ns, loc in imports)
            + '</xs:schema>')
    return compiled_schema(str(wrapper))


def request_schema() -> etree.XMLSchema:
    """WFS 2.0 (with FES 2.0) and GML 3.2.1: for request documents and filters."""
    return wrapper_schema("requests-2.0", [(NS["gml"], "http://schemas.opengis.net/gml/3.2.1/gml.xsd"),
                                           (NS["wfs"], WFS20_XSD.as_uri())])


def schema_with_application_schema(dft: bytes, wfs_version: str = "2.0.0") -> etree.XMLSchema:
    """The WFS schema of `wfs_version` plus a DescribeFeatureType answer (written to a temp
    file), compiled together: validates FeatureCollections and features of that server."""
    digest = hashlib.sha256(dft + wfs_version.encode()).hexdigest()[:16]
    folder = _WRAPPERS / digest
    wrapper = folder / "wrapper.xsd"
    if not wrapper.exists():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "amis.xsd").write_bytes(dft)
        if wfs_version == "2.0.0":
            imports = [(NS["wfs"], WFS20_XSD.as_uri())]
        else:  # the order of tests/schemas/wfs-1.1.0-libxml2.xsd, for the same reason
            imports = [(NS["gml311"], "http://schemas.opengis.net/gml/3.1.1/base/gml.xsd"),
                       (NS["ogc"], (OGC_SCHEMAS / "filter" / "1.1.0" / "filter.xsd").as_uri()),
                       (NS["ows10"], "http://schemas.opengis.net/ows/1.0.0/owsAll.xsd"),
                       (NS["wfs11"], (OGC_SCHEMAS / "wfs" / "1.1.0" / "wfs.xsd").as_uri())]
        imports.append((AMIS_NS, "amis.xsd"))
        wrapper.write_text(
            '<?xml version="1.0"?>\n'
            f'<xs:schema xmlns:xs="{NS["xs"]}" targetNamespace="urn:amis-tests:wrapper" '
            'elementFormDefault="qualified">'
            + "".join(f'<xs:import namespace="{ns}" schemaLocation="{loc}"/>' for ns, loc in imports)
            + '</xs:schema>')
    return compiled_schema(str(wrapper))


def assert_valid(schema: etree.XMLSchema, doc: etree._Element, what: str = "") -> None:
    if not schema.validate(doc):
        errors = "\n".join(str(e) for e in list(schema.error_log)[:15])
        raise AssertionError(f"{what or doc.tag} is not schema-valid:\n{errors}")


# --------------------------------------------------------------------------- exceptions


@dataclass
class OwsException:
    code: str
    locator: str | None
    texts: list[str]


def exception_report(r: requests.Response, status: int = 400, version: str = "2.0.0") -> list[OwsException]:
    """Checks an OWS exception answer (status, XML, schema-valid: OWS 1.1 for 2.0.0, OWS 1.0
    for 1.1.0) and returns its exceptions."""
    assert r.status_code == status, (
        f"{r.request.method} {r.url}: HTTP {r.status_code}, wanted {status}: {r.text[:600]}")
    ctype = r.headers.get("Content-Type", "")
    assert "xml" in ctype, f"Content-Type {ctype!r} for an exception report"
    doc = parse_xml(r)
    ows = NS["ows"] if version == "2.0.0" else NS["ows10"]
    assert doc.tag == f"{{{ows}}}ExceptionReport", f"root is {doc.tag}: {r.text[:300]}"
    xsd = OWS11_EXCEPTION_XSD if version == "2.0.0" else OWS10_EXCEPTION_XSD
    assert_valid(compiled_schema(str(xsd)), doc, "the exception report")
    out = []
    for e in doc.findall(f"{{{ows}}}Exception"):
        out.append(OwsException(e.get("exceptionCode"), e.get("locator"),
                                [t.text or "" for t in e.findall(f"{{{ows}}}ExceptionText")]))
    assert out, "an ExceptionReport without an Exception"
    return out


def assert_exception(r: requests.Response, code: str, locator: str | None = None, status: int = 400,
                     version: str = "2.0.0") -> OwsException:
    """The (first) exception has this code and, if given, this locator (compared without
    case: KVP parameter names are case-insensitive)."""
    exceptions = exception_report(r, status, version)
    first = exceptions[0]
    assert first.code == code, f"exceptionCode {first.code!r}, wanted {code!r}: {r.text[:400]}"
    if locator is not None:
        assert (first.locator or "").lower() == locator.lower(), (
            f"locator {first.locator!r}, wanted {locator!r}: {r.text[:400]}")
    return first


# --------------------------------------------------------------------------- GML


def numbers(text: str | None) -> list[float]:
    return [float(t) for t in (text or "").split()]


def _positions(elem: etree._Element) -> list[tuple[float, float]]:
    """The positions of a Point / LineString / LinearRing, from gml:pos, gml:posList or
    gml:coordinates (GML 3.1.1), in document axis order."""
    pts: list[tuple[float, float]] = []
    for child in elem:
        name = local(child.tag)
        if name == "pos":
            v = numbers(child.text)
            pts.append((v[0], v[1]))
        elif name == "posList":
            dim = int(child.get("srsDimension") or elem.get("srsDimension") or 2)
            v = numbers(child.text)
            assert len(v) % dim == 0, f"posList of {len(v)} numbers in dimension {dim}"
            pts.extend((v[i], v[i + 1]) for i in range(0, len(v), dim))
        elif name == "coordinates":
            cs, ts = child.get("cs", ","), child.get("ts", " ")
            for tup in (child.text or "").strip().split(ts):
                if tup.strip():
                    v = [float(x) for x in tup.split(cs)]
                    pts.append((v[0], v[1]))
        elif name == "pointProperty":
            pts.extend(_positions(child[0]))
    return pts


def _ring(elem: etree._Element) -> ogr.Geometry:
    ring = ogr.Geometry(ogr.wkbLinearRing)
    linear = elem if local(elem.tag) == "LinearRing" else elem.find(f".//{{{namespace(elem.tag)}}}LinearRing")
    assert linear is not None, f"no LinearRing in {elem.tag}"
    for x, y in _positions(linear):
        ring.AddPoint_2D(x, y)
    return ring


def _members(elem: etree._Element, single: tuple[str, ...], plural: tuple[str, ...]) -> list[etree._Element]:
    out = []
    for child in elem:
        name = local(child.tag)
        if name in single:
            out.extend(c for c in child if isinstance(c.tag, str))
        elif name in plural:
            out.extend(c for c in child if isinstance(c.tag, str))
    return out


def gml_geometry(elem: etree._Element) -> ogr.Geometry:
    """An OGR geometry from a GML geometry element, X = the first axis in the document."""
    name = local(elem.tag)
    if name == "Point":
        (x, y), = _positions(elem)
        g = ogr.Geometry(ogr.wkbPoint)
        g.AddPoint_2D(x, y)
        return g
    if name == "LineString":
        g = ogr.Geometry(ogr.wkbLineString)
        for x, y in _positions(elem):
            g.AddPoint_2D(x, y)
        return g
    if name == "Polygon":
        g = ogr.Geometry(ogr.wkbPolygon)
        for child in elem:
            if local(child.tag) in ("exterior", "outerBoundaryIs", "interior", "innerBoundaryIs"):
                g.AddGeometry(_ring(child))
        return g
    if name == "MultiPoint":
        g = ogr.Geometry(ogr.wkbMultiPoint)
        for m in _members(elem, ("pointMember",), ("pointMembers",)):
            g.AddGeometry(gml_geometry(m))
        return g
    if name in ("MultiCurve", "MultiLineString"):
        g = ogr.Geometry(ogr.wkbMultiLineString)
        for m in _members(elem, ("curveMember", "lineStringMember"), ("curveMembers",)):
            g.AddGeometry(gml_geometry(m))
        return g
    if name in ("MultiSurface", "MultiPolygon"):
        g = ogr.Geometry(ogr.wkbMultiPolygon)
        for m in _members(elem, ("surfaceMember", "polygonMember"), ("surfaceMembers",)):
            g.AddGeometry(gml_geometry(m))
        return g
    raise AssertionError(f"unexpected GML geometry {elem.tag}")


def swap_xy(g: ogr.Geometry) -> ogr.Geometry:
    out = g.Clone()
    out.SwapXY()
    return out


@dataclass
class GmlFeature:
    element: etree._Element
    gml_id: str | None
    type_name: str                       # local name of the feature element
    properties: dict[str, str | None]    # local name -> text of every non-geometry property
    geometry: ogr.Geometry | None        # document axis order
    srs_name: str | None                 # srsName on the geometry (or inherited)
    property_names: list[str] = field(default_factory=list)  # every child, in document order


def _srs_name(elem: etree._Element) -> str | None:
    e = elem
    while e is not None:
        if e.get("srsName"):
            return e.get("srsName")
        e = e.getparent()
    return None


def read_gml_feature(elem: etree._Element) -> GmlFeature:
    props: dict[str, str | None] = {}
    names = []
    geometry = srs = None
    for child in elem:
        if not isinstance(child.tag, str):
            continue
        if namespace(child.tag) in GML_NAMESPACES:  # gml:boundedBy, gml:name, ...
            continue
        name = local(child.tag)
        names.append(name)
        geom_children = [c for c in child if isinstance(c.tag, str) and namespace(c.tag) in GML_NAMESPACES]
        if geom_children:
            assert geometry is None, f"two geometry properties in {elem.tag}"
            geometry = gml_geometry(geom_children[0])
            srs = _srs_name(geom_children[0])
            continue
        nil = child.get(qname("xsi", "nil")) in ("true", "1")
        props[name] = None if nil else (child.text or "")
    gml_id = elem.get(qname("gml", "id")) or elem.get(qname("gml311", "id")) or elem.get("fid")
    return GmlFeature(elem, gml_id, local(elem.tag), props, geometry, srs, names)


def feature_elements(doc: etree._Element) -> list[etree._Element]:
    """The feature elements of a WFS 2.0 or GML 3.1.1 (WFS 1.1.0) FeatureCollection."""
    out = []
    for m in doc.iter(qname("wfs", "member"), qname("gml311", "featureMember"),
                      qname("gml311", "featureMembers"), qname("gml", "featureMember")):
        out.extend(c for c in m if isinstance(c.tag, str) and namespace(c.tag) == AMIS_NS)
    return out


def gml_features(doc: etree._Element) -> list[GmlFeature]:
    return [read_gml_feature(e) for e in feature_elements(doc)]


def fid_of(gml_id: str, collection: str) -> int:
    prefix = collection + "."
    assert gml_id and gml_id.startswith(prefix), f"gml:id {gml_id!r} is not {prefix}<id>"
    return int(gml_id[len(prefix):])


# --------------------------------------------------------------------------- the expected side


@dataclass
class Expected:
    """A collection as the tests expect it: the source features by the id AMIS serves
    them under, the OGR field types and the source path."""

    collection: str
    path: Path
    layer: str | None
    by_id: dict[int, SourceFeature]
    types: dict[str, str]

    @property
    def fields(self) -> list[str]:
        return list(self.types)

    def ids_where(self, predicate) -> set[int]:
        return {i for i, f in self.by_id.items() if predicate(f)}

    def layer_count(self, attribute_filter: str | None = None,
                    rect: tuple[float, float, float, float] | None = None) -> int:
        """Count by OGR's own SetAttributeFilter / SetSpatialFilterRect on the source."""
        ds = gdal.OpenEx(str(self.path), gdal.OF_VECTOR | gdal.OF_READONLY)
        lyr = ds.GetLayerByName(self.layer) if self.layer else ds.GetLayer(0)
        if attribute_filter:
            lyr.SetAttributeFilter(attribute_filter)
        if rect:
            lyr.SetSpatialFilterRect(*rect)
        return sum(1 for _ in lyr)

    def layer_ids(self, attribute_filter: str | None = None, spatial: ogr.Geometry | None = None) -> set[int]:
        """ids (as served) of the source features OGR selects with SetAttributeFilter
        (OGR SQL; on a GeoPackage, SQLite's) and/or SetSpatialFilter (GEOS intersects)."""
        ds = gdal.OpenEx(str(self.path), gdal.OF_VECTOR | gdal.OF_READONLY)
        lyr = ds.GetLayerByName(self.layer) if self.layer else ds.GetLayer(0)
        if attribute_filter:
            lyr.SetAttributeFilter(attribute_filter)
        if spatial is not None:
            lyr.SetSpatialFilter(spatial)
        src_fids = {f.GetFID() for f in lyr}
        return {i for i, f in self.by_id.items() if f.fid in src_fids}


def _alignment_fields(types: dict[str, str]) -> list[str]:
    return [n for n, t in types.items() if t in ("String", "Integer", "Integer64", "Real")]


def expected_collection(collection: str, store_path: Path, source_path: Path | None = None,
                        layer: str | None = None) -> Expected:
    """The source features of a collection keyed by the fid the store gave each of them.
    The store is read (with OGR) only to pair its fids with source rows; every pair is
    checked to carry the same attributes and the same geometry."""
    if source_path is None:
        src = DEMO_SOURCES[collection]
        source_path, layer = src.path, src.layer
    source = read_features(source_path, layer)
    # In fid order: a table's rows need not come back in it (PostGIS loads in two streams).
    stored = sorted(read_features(store_path, collection), key=lambda f: f.fid)
    types = field_types(source_path, layer)
    names = _alignment_fields(types)
    assert len(stored) == len(source), (
        f"{collection}: the store holds {len(stored)} features, the source {len(source)}")
    by_id: dict[int, SourceFeature] = {}
    for st, sf in zip(stored, source):  # amis import keeps the source order
        assert norm_props(st.properties, names) == norm_props(sf.properties, names), (
            f"{collection}: store fid {st.fid} is not source row {sf.fid}")
        by_id[st.fid] = sf
    return Expected(collection, Path(source_path), layer, by_id, types)


class ExpectedCollections:
    """collection -> Expected, each built on first use (the `wfs_expected` fixture)."""

    def __init__(self, store_path: Path, observations_gpkg: Path):
        self.store_path = store_path
        self.observations_gpkg = observations_gpkg
        self.cache: dict[str, Expected] = {}

    def __call__(self, collection: str) -> Expected:
        if collection not in self.cache:
            if collection == "observations":
                self.cache[collection] = expected_collection(collection, self.store_path, self.observations_gpkg)
            else:
                self.cache[collection] = expected_collection(collection, self.store_path)
        return self.cache[collection]


def describe_feature_type_schema(http: requests.Session, base_url: str) -> etree.XMLSchema:
    """The server's DescribeFeatureType (2.0.0, every type) compiled with wfs/2.0/wfs.xsd
    (the `dft_schema` fixture)."""
    r = kvp(base_url, http, "DescribeFeatureType")
    assert r.status_code == 200, f"DescribeFeatureType: {r.status_code} {r.text[:500]}"
    return schema_with_application_schema(r.content, "2.0.0")


# --------------------------------------------------------------------------- comparing values


OGR_DATETIME = re.compile(
    r"^(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)(Z|[+-]\d{2}(?::?\d{2})?)?$")


def parse_datetime(text: str) -> datetime:
    """An OGR ('2024/01/01 07:00:00+07') or ISO 8601 date-time, timezone-aware (no zone = UTC)."""
    m = OGR_DATETIME.match(text.strip())
    assert m, f"not a date-time: {text!r}"
    y, mo, d, h, mi, s, tz = m.groups()
    sec = float(s)
    dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec), round((sec % 1) * 1e6), tzinfo=timezone.utc)
    if tz and tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        digits = tz[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
        dt = dt.replace(tzinfo=None)
        dt = (dt - sign * timedelta(minutes=minutes)).replace(tzinfo=timezone.utc)
    return dt


# Characters XML 1.0 cannot carry, not even as character references. One source name has a
# U+0008: a GML/XML answer must drop it or replace it (AMIS writes U+FFFD); the comparisons
# below accept either.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_norm(text: str) -> str:
    """A string without the characters XML cannot carry and without U+FFFD."""
    return XML_ILLEGAL.sub("", text).replace("\ufffd", "")


def same_value(served: str | None, source: Any, ogr_type: str) -> bool:
    """Whether a served text value (None = element absent) equals the source value."""
    if source is None or source == "" and ogr_type != "String":
        return served is None
    if served is None:
        return False
    if ogr_type in ("Integer", "Integer64"):
        return int(served) == int(source)
    if ogr_type == "Real":
        return float(served) == float(source) or abs(float(served) - float(source)) <= 1e-12 * max(1.0, abs(float(source)))
    if ogr_type == "DateTime":
        return parse_datetime(served) == parse_datetime(source)
    if ogr_type == "Date":
        return served[:10] == source.replace("/", "-")[:10]
    return served == source or (XML_ILLEGAL.search(source) is not None and xml_norm(served) == xml_norm(source))


def assert_same_attributes(feature: GmlFeature, source: SourceFeature, types: dict[str, str],
                           names: Iterable[str] | None = None) -> None:
    for name in names or types:
        got = feature.properties.get(name)
        want = source.properties.get(name)
        assert same_value(got, want, types[name]), (
            f"{feature.gml_id}: {name} is {got!r}, the source has {want!r}")


# --------------------------------------------------------------------------- CRS


@functools.lru_cache(maxsize=None)
def srs(code: int | str) -> osr.SpatialReference:
    s = osr.SpatialReference()
    if code == "CRS84":
        s.SetFromUserInput("OGC:CRS84")
    else:
        assert s.ImportFromEPSG(int(code)) == 0
    s.SetAxisMappingStrategy(osr.OAMS_AUTHORITY_COMPLIANT)
    return s


@functools.lru_cache(maxsize=None)
def transformation(code: int | str) -> osr.CoordinateTransformation:
    """CRS84 (lon, lat) -> `code` in its authority axis order."""
    return osr.CoordinateTransformation(srs("CRS84"), srs(code))


def lonlat_to(code: int | str, lon: float, lat: float) -> tuple[float, float]:
    x, y, *_ = transformation(code).TransformPoint(lon, lat)
    return x, y


def transformed(g: ogr.Geometry, code: int | str) -> ogr.Geometry:
    """A lon/lat geometry in `code` (authority axis order), vertex by vertex."""
    out = g.Clone()
    out.AssignSpatialReference(srs("CRS84"))
    assert out.TransformTo(srs(code)) == 0
    out.AssignSpatialReference(None)
    return out


EPSG_CODE = re.compile(
    r"^(?:urn:ogc:def:crs:EPSG:(?:[\d.]*:)?(?P<urn>\d+)|urn:x-ogc:def:crs:EPSG:(?:[\d.]*:)?(?P<xurn>\d+)"
    r"|https?://www\.opengis\.net/def/crs/EPSG/0/(?P<uri>\d+)|EPSG:(?P<short>\d+)"
    r"|https?://www\.opengis\.net/gml/srs/epsg\.xml#(?P<xml>\d+))$")
CRS84_NAMES = ("urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", CRS84_URI,
               "https://www.opengis.net/def/crs/OGC/1.3/CRS84")


def parse_srs_name(name: str) -> tuple[int | str, str]:
    """(EPSG code or 'CRS84', axis order) of an srsName, by the rules of docs/wfs.md:
    'authority' (the EPSG axis order: lat/lon for 4326) for the urn and
    /def/crs/EPSG/0/ forms, 'xy' (east/north) for EPSG:N, epsg.xml#N and CRS84."""
    name = name.strip()
    if name in CRS84_NAMES:
        return "CRS84", "xy"
    m = EPSG_CODE.match(name)
    assert m, f"srsName {name!r} is not a CRS name of docs/wfs.md"
    for group, order in (("urn", "authority"), ("xurn", "authority"), ("uri", "authority"),
                         ("short", "xy"), ("xml", "xy")):
        if m.group(group):
            return int(m.group(group)), order
    raise AssertionError(name)


def expected_geometry(g_lonlat: ogr.Geometry, srs_name: str) -> ogr.Geometry:
    """A source (lon/lat) geometry as it must appear in a document in `srs_name`."""
    code, order = parse_srs_name(srs_name)
    if code == "CRS84":
        return g_lonlat.Clone()
    out = transformed(g_lonlat, code)
    s = srs(code)
    if order == "xy" and (s.EPSGTreatsAsLatLong() or s.EPSGTreatsAsNorthingEasting()):
        out.SwapXY()
    return out


def get_features(http: requests.Session, base_url: str, version: str = "2.0.0", status: int = 200,
                 **params: Any) -> tuple[etree._Element, list[GmlFeature]]:
    """KVP GetFeature; the FeatureCollection and its features."""
    doc = xml_response(kvp(base_url, http, "GetFeature", version=version, **params), status)
    root = qname("wfs", "FeatureCollection") if version == "2.0.0" else qname("wfs11", "FeatureCollection")
    assert doc.tag == root, f"root {doc.tag}"
    return doc, gml_features(doc)


def post_features(http: requests.Session, base_url: str, body: str,
                  status: int = 200) -> tuple[etree._Element, list[GmlFeature]]:
    """POST GetFeature (the body first checked to be valid WFS 2.0); the FeatureCollection
    and its features."""
    assert_valid_request(body)
    doc = xml_response(post_xml(base_url, http, body), status)
    assert doc.tag == qname("wfs", "FeatureCollection"), f"root {doc.tag}"
    return doc, gml_features(doc)


def served_ids(features: Iterable[GmlFeature], collection: str) -> list[int]:
    return [fid_of(f.gml_id, collection) for f in features]


def counts(doc: etree._Element) -> tuple[int | str, int]:
    """(numberMatched, numberReturned) of a WFS 2.0 FeatureCollection."""
    matched = doc.get("numberMatched")
    returned = doc.get("numberReturned")
    assert returned is not None and matched is not None, "numberMatched/numberReturned missing"
    return (int(matched) if matched != "unknown" else matched), int(returned)


# --------------------------------------------------------------------------- FES requests

TRANSPORTS = ["post", "kvp"]  # a filter in a POST GetFeature document, or the FILTER parameter


def select(http: requests.Session, base_url: str, collection: str, body: str, transport: str) -> list[int]:
    """Sorted ids of the features the server selects with <fes:Filter>body</fes:Filter>,
    checking that none comes twice and that numberMatched/numberReturned agree. The test's
    own request is first validated against the WFS 2.0 / FES 2.0 schemas."""
    if transport == "post":
        request = get_feature_body(f"amis:{collection}", fes_filter(body))
        assert_valid_request(request)
        doc, features = post_features(http, base_url, request)
    else:
        flt = fes_filter(body, declare=True)
        assert_valid(request_schema(), parse_xml(flt.encode()), "the test's own filter")
        doc, features = get_features(http, base_url, TYPENAMES=f"amis:{collection}", FILTER=flt)
    ids = served_ids(features, collection)
    assert len(ids) == len(set(ids)), "a feature served twice"
    assert counts(doc) == (len(ids), len(ids))
    return sorted(ids)


def vr(name: str) -> str:
    return f"<fes:ValueReference>amis:{name}</fes:ValueReference>"


def lit(value: Any) -> str:
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return f"<fes:Literal>{text}</fes:Literal>"


def cmp(op: str, name: str, value: Any, attrs: str = "") -> str:
    return f"<fes:{op}{(' ' + attrs) if attrs else ''}>{vr(name)}{lit(value)}</fes:{op}>"
