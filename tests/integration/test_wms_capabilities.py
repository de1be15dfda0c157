"""WMS GetCapabilities, 1.3.0 (the default) and 1.1.1: 1.3.0 valid (xmllint) against the
official wms/1.3.0/capabilities_1_3_0.xsd; every collection a named layer with a title,
the source's extent (as OGR computes it) as EX_GeographicBoundingBox / BoundingBox CRS:84
/ BoundingBox EPSG:4326 in latitude, longitude order (LatLonBoundingBox in 1.1.1), the
style "default", and the CRSs AMIS offers (CRS:84, EPSG:4326, Web Mercator, the UTM zones
of the region); the GetMap formats; version negotiation."""
from __future__ import annotations

import pytest

from wms_support import (COLLECTIONS, FORMATS, MAX_SIZE, REQUIRED_CRS_130, REQUIRED_SRS_111,
                         WMS130_CAPABILITIES_XSD, XLINK_NS, inherited, named_layers, source_extent,
                         wms, wms_get)
from wfs_support import assert_xmllint_valid, parse_xml

EXTENT_TOLERANCE = 1e-6  # degrees


@pytest.fixture(scope="module")
def caps130(http, base_url):
    r = wms_get(http, base_url, "GetCapabilities", version="1.3.0")
    assert r.status_code == 200, f"{r.url}: HTTP {r.status_code} {r.text[:500]}"
    return r, parse_xml(r)


@pytest.fixture(scope="module")
def caps111(http, base_url):
    r = wms_get(http, base_url, "GetCapabilities", version="1.1.1")
    assert r.status_code == 200, f"{r.url}: HTTP {r.status_code} {r.text[:500]}"
    return r, parse_xml(r)


@pytest.fixture(scope="module")
def extents(observations_gpkg) -> dict[str, tuple[float, float, float, float]]:
    return {c: source_extent(c, observations_gpkg) for c in COLLECTIONS}


def union(boxes) -> tuple[float, float, float, float]:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


# --------------------------------------------------------------------------- 1.3.0


def test_capabilities_130_is_schema_valid(caps130):
    r, doc = caps130
    assert r.headers["Content-Type"].split(";")[0].strip() == "text/xml"
    assert doc.tag == wms("WMS_Capabilities") and doc.get("version") == "1.3.0"
    assert_xmllint_valid(r.content, WMS130_CAPABILITIES_XSD)


@pytest.mark.parametrize("params", [{}, {"VERSION": None}, {"VERSION": None, "SERVICE": None}])
def test_default_version_is_130(http, base_url, params):
    query = {"SERVICE": "WMS", "REQUEST": "GetCapabilities"}
    query.update(params)
    r = http.get(base_url + "/wms", params={k: v for k, v in query.items() if v is not None}, timeout=30)
    assert r.status_code == 200, r.text[:300]
    doc = parse_xml(r)
    assert doc.tag == wms("WMS_Capabilities") and doc.get("version") == "1.3.0"


def test_parameter_names_are_case_insensitive(http, base_url):
    r = http.get(base_url + "/wms", params={"service": "WMS", "request": "GetCapabilities", "version": "1.3.0"},
                 timeout=30)
    assert r.status_code == 200 and parse_xml(r).tag == wms("WMS_Capabilities")


def test_service_130(caps130):
    _, doc = caps130
    service = doc.find(wms("Service"))
    assert service.findtext(wms("Name")) == "WMS"
    assert (service.findtext(wms("Title")) or "").strip()
    assert int(service.findtext(wms("MaxWidth"))) == MAX_SIZE
    assert int(service.findtext(wms("MaxHeight"))) == MAX_SIZE


def test_operations_130(caps130, base_url):
    _, doc = caps130
    request = doc.find(f"{wms('Capability')}/{wms('Request')}")
    for op in ("GetCapabilities", "GetMap"):
        elem = request.find(wms(op))
        assert elem is not None, f"{op} not declared"
        href = elem.find(f".//{wms('Get')}/{wms('OnlineResource')}").get(f"{{{XLINK_NS}}}href")
        assert href.split("?")[0] == base_url + "/wms", f"{op}: Get href {href!r}"
    assert request.find(wms("GetCapabilities")).findtext(wms("Format")) == "text/xml"
    formats = [f.text for f in request.find(wms("GetMap")).findall(wms("Format"))]
    assert sorted(formats) == sorted(FORMATS)
    exceptions = [f.text for f in doc.find(f"{wms('Capability')}/{wms('Exception')}").findall(wms("Format"))]
    assert "XML" in exceptions


def test_every_collection_is_a_layer_130(caps130):
    _, doc = caps130
    layers = named_layers(doc)
    assert sorted(layers) == sorted(COLLECTIONS)
    for name, layer in layers.items():
        assert (layer.findtext(wms("Title")) or "").strip(), f"{name}: no Title"
        styles = [s.findtext(wms("Name")) for s in layer.findall(wms("Style"))]
        assert "default" in styles, f"{name}: styles {styles}"


def test_layer_metadata_from_import(caps130):
    """The observations collection was imported with --title/--description/--keywords."""
    _, doc = caps130
    layer = named_layers(doc)["observations"]
    assert layer.findtext(wms("Title")) == "Synthetic observations"
    assert layer.findtext(wms("Abstract")) == "50 timestamped points"
    keywords = {k.text for k in layer.iter(wms("Keyword"))}
    assert keywords == {"test", "synthetic"}


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_geographic_bounding_box_is_source_extent(caps130, extents, collection):
    _, doc = caps130
    layer = named_layers(doc)[collection]
    minx, miny, maxx, maxy = extents[collection]
    geo = layer.find(wms("EX_GeographicBoundingBox"))
    assert geo is not None, f"{collection}: no EX_GeographicBoundingBox"
    got = [float(geo.findtext(wms(n))) for n in
           ("westBoundLongitude", "southBoundLatitude", "eastBoundLongitude", "northBoundLatitude")]
    assert got == pytest.approx([minx, miny, maxx, maxy], abs=EXTENT_TOLERANCE)
    boxes = {b.get("CRS"): b for b in layer.findall(wms("BoundingBox"))}
    assert "CRS:84" in boxes and "EPSG:4326" in boxes, f"{collection}: BoundingBox CRSs {sorted(boxes)}"
    crs84 = [float(boxes["CRS:84"].get(a)) for a in ("minx", "miny", "maxx", "maxy")]
    assert crs84 == pytest.approx([minx, miny, maxx, maxy], abs=EXTENT_TOLERANCE)
    # WMS 1.3.0: EPSG:4326 axes are latitude, longitude.
    epsg4326 = [float(boxes["EPSG:4326"].get(a)) for a in ("minx", "miny", "maxx", "maxy")]
    assert epsg4326 == pytest.approx([miny, minx, maxy, maxx], abs=EXTENT_TOLERANCE)


def test_root_layer_covers_every_collection(caps130, extents):
    _, doc = caps130
    root = doc.find(f"{wms('Capability')}/{wms('Layer')}")
    assert root is not None and (root.findtext(wms("Title")) or "").strip()
    geo = root.find(wms("EX_GeographicBoundingBox"))
    got = [float(geo.findtext(wms(n))) for n in
           ("westBoundLongitude", "southBoundLatitude", "eastBoundLongitude", "northBoundLatitude")]
    assert got == pytest.approx(list(union(extents.values())), abs=EXTENT_TOLERANCE)


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_crs_list_130(caps130, collection):
    _, doc = caps130
    crs = inherited(named_layers(doc)[collection], wms("CRS"))
    missing = [c for c in REQUIRED_CRS_130 if c not in crs]
    assert not missing, f"{collection}: CRSs missing: {missing} (has {crs})"
    assert len(crs) == len(set(crs)), f"{collection}: a CRS listed twice: {crs}"


# --------------------------------------------------------------------------- 1.1.1


def test_capabilities_111(caps111):
    r, doc = caps111
    assert r.headers["Content-Type"].split(";")[0].strip() == "application/vnd.ogc.wms_xml"
    assert doc.tag == "WMT_MS_Capabilities" and doc.get("version") == "1.1.1"
    assert doc.findtext("Service/Name") == "OGC:WMS"
    request = doc.find("Capability/Request")
    assert request.findtext("GetCapabilities/Format") == "application/vnd.ogc.wms_xml"
    assert sorted(f.text for f in request.findall("GetMap/Format")) == sorted(FORMATS)
    assert "application/vnd.ogc.se_xml" in [f.text for f in doc.findall("Capability/Exception/Format")]


def test_every_collection_is_a_layer_111(caps111, extents):
    _, doc = caps111
    layers = named_layers(doc, ns=None)
    assert sorted(layers) == sorted(COLLECTIONS)
    for name, layer in layers.items():
        assert (layer.findtext("Title") or "").strip(), f"{name}: no Title"
        assert "default" in [s.findtext("Name") for s in layer.findall("Style")]
        box = layer.find("LatLonBoundingBox")
        assert box is not None, f"{name}: no LatLonBoundingBox"
        got = [float(box.get(a)) for a in ("minx", "miny", "maxx", "maxy")]
        assert got == pytest.approx(list(extents[name]), abs=EXTENT_TOLERANCE), name
        srs = inherited(layer, "SRS")
        missing = [c for c in REQUIRED_SRS_111 if c not in srs]
        assert not missing, f"{name}: SRSs missing: {missing}"


# --------------------------------------------------------------------------- other versions


@pytest.mark.parametrize("requested, served", [
    ("2.0.0", "1.3.0"),  # above every version known: the highest
    ("1.2.0", "1.1.1"),  # between two: the highest below the one requested
    ("1.0.0", "1.1.1"),  # below every version known: the lowest
])
def test_version_negotiation(http, base_url, requested, served):
    """WMS 1.3.0, 6.2.4: GetCapabilities with a VERSION the server does not implement."""
    r = wms_get(http, base_url, "GetCapabilities", version=requested)
    assert r.status_code == 200, r.text[:300]
    doc = parse_xml(r)
    root = wms("WMS_Capabilities") if served == "1.3.0" else "WMT_MS_Capabilities"
    assert (doc.tag, doc.get("version")) == (root, served), f"VERSION={requested} answered with {doc.get('version')}"
