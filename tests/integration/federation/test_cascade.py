"""Cascading (issue 16): a collection of a national AMIS node published on the regional AMIS as
a collection that reads through to the node. Its items (pages, bbox, CQL2 filters, property
equality), WFS GetFeature and WMS GetMap are the node's own; a node down, slow or broken gives
502/504 in each protocol's error format within the timeout, and the regional node keeps serving.

Oracles: the national node read directly by GDAL's OAPIF driver (features) and by its own WMS
GetMap (pixels, decoded by GDAL); the filters evaluated here in Python on those features."""
from __future__ import annotations

import math
import time
import uuid

import pytest
import requests
from osgeo import gdal

from cascade_support import SITES, SwitchableProxy, admin_headers, cascading_config, serve_national
from federation_support import build_regional_store, harvest, node, start

TIMEOUT = 5.0  # cascade_timeout_seconds of the regional node


@pytest.fixture(scope="module")
def national(tmp_path_factory, amis_bin):
    yield from serve_national(tmp_path_factory.mktemp("cascade-national"))


@pytest.fixture(scope="module")
def proxy(national):
    with SwitchableProxy(national.url, slow_seconds=TIMEOUT + 3) as p:
        yield p


@pytest.fixture(scope="module")
def regional(tmp_path_factory, amis_bin, national, proxy):
    work = tmp_path_factory.mktemp("cascade-regional")
    store = build_regional_store(work)
    config = cascading_config(work, timeout=TIMEOUT)
    for name, url in (("idn", national.url + "/"), ("idnproxy", proxy.url + "/")):
        done, _ = node(store, "add", name, url, "--kind", "oapif", "--country", "IDN", "--schedule", "off")
        assert done.returncode == 0, done.stderr
        code, report = harvest(store, name)
        assert code == 0, report
    done, doc = node(store, "publish", "idn", "sites", "--collection", "idn_sites", config=config)
    assert done.returncode == 0 and doc["mode"] == "cascade", done.stdout + done.stderr
    done, doc = node(store, "publish", "idnproxy", "sites", "--collection", "idn_sites_far", config=config)
    assert done.returncode == 0, done.stdout + done.stderr
    server = start(store, work / "logs", "regional", config)
    yield server
    alive = server.alive()
    server.stop()
    assert alive, server.stderr()


def source_features(url: str, collection: str) -> dict[int, dict]:
    """fid -> {properties, x, y} of every feature, read with GDAL's OAPIF driver."""
    ds = gdal.OpenEx(f"OAPIF:{url}/collections/{collection}", gdal.OF_VECTOR | gdal.OF_READONLY)
    assert ds is not None, gdal.GetLastErrorMsg()
    layer = ds.GetLayer(0)
    out = {}
    for f in layer:
        g = f.GetGeometryRef()
        props = {k: f.GetField(k) for k in ("name", "commodity", "tonnes", "grade")}
        out[f.GetFID()] = {"properties": props, "x": g.GetX(), "y": g.GetY()}
    return out


def cascaded_items(base: str, collection: str, params: dict | None = None, limit: int = 37) -> dict[int, dict]:
    """fid -> {properties, x, y} of the cascaded collection, page after page by `next` links."""
    out = {}
    url = f"{base}/collections/{collection}/items"
    query = {"limit": limit, "f": "json", **(params or {})}
    pages = 0
    while url:
        r = requests.get(url, params=query, timeout=30)
        assert r.status_code == 200, r.text
        doc = r.json()
        for f in doc["features"]:
            x, y = f["geometry"]["coordinates"]
            out[int(f["id"])] = {"properties": {k: f["properties"].get(k) for k in ("name", "commodity", "tonnes",
                                                                                    "grade")}, "x": x, "y": y}
        url = next((link["href"] for link in doc["links"] if link["rel"] == "next"), None)
        query = None
        pages += 1
        assert pages < 100
    return out


def same_features(a: dict[int, dict], b: dict[int, dict]) -> None:
    assert set(a) == set(b)
    for fid, f in a.items():
        assert f["properties"] == b[fid]["properties"], fid
        assert math.isclose(f["x"], b[fid]["x"], abs_tol=1e-9) and math.isclose(f["y"], b[fid]["y"], abs_tol=1e-9)


def test_the_cascaded_collection_is_listed_with_the_sources_metadata(regional, national):
    source = requests.get(f"{national.url}/collections/sites?f=json", timeout=30).json()
    mine = requests.get(f"{regional.url}/collections/idn_sites?f=json", timeout=30)
    assert mine.status_code == 200, mine.text
    doc = mine.json()
    assert doc["title"] == source["title"] and doc["description"] == source["description"]
    assert doc["extent"]["spatial"]["bbox"][0] == pytest.approx(source["extent"]["spatial"]["bbox"][0])
    ids = [c["id"] for c in requests.get(f"{regional.url}/collections?f=json", timeout=30).json()["collections"]]
    assert "idn_sites" in ids and "asean_sites" in ids


def test_cascaded_items_equal_the_sources_read_by_gdal(regional, national):
    source = source_features(national.url, "sites")
    assert len(source) == SITES
    same_features(cascaded_items(regional.url, "idn_sites"), source)
    doc = requests.get(f"{regional.url}/collections/idn_sites/items?limit=5&f=json", timeout=30).json()
    assert doc["numberMatched"] == SITES and doc["numberReturned"] == 5


def test_gdal_reads_the_cascaded_collection_as_the_source(regional, national):
    same_features(source_features(regional.url, "idn_sites"), source_features(national.url, "sites"))


def test_bbox_filters_and_equality_are_forwarded(regional, national):
    source = source_features(national.url, "sites")
    bbox = (100.0, -5.0, 120.0, 10.0)
    inside = {k: v for k, v in source.items() if bbox[0] <= v["x"] <= bbox[2] and bbox[1] <= v["y"] <= bbox[3]}
    same_features(cascaded_items(regional.url, "idn_sites", {"bbox": ",".join(map(str, bbox))}), inside)
    cql = {k: v for k, v in source.items() if v["properties"]["tonnes"] > 50000 and v["properties"]["commodity"] == "Ni"}
    same_features(cascaded_items(regional.url, "idn_sites",
                                 {"filter": "tonnes > 50000 AND commodity = 'Ni'", "filter-lang": "cql2-text"}), cql)
    au = {k: v for k, v in source.items() if v["properties"]["commodity"] == "Au"}
    same_features(cascaded_items(regional.url, "idn_sites", {"commodity": "Au"}), au)
    one = next(iter(source))
    r = requests.get(f"{regional.url}/collections/idn_sites/items/{one}?f=json", timeout=30)
    assert r.status_code == 200 and r.json()["properties"]["name"] == source[one]["properties"]["name"]
    assert requests.get(f"{regional.url}/collections/idn_sites/items/999999?f=json", timeout=30).status_code == 404


def test_wfs_get_feature_of_a_cascaded_type(regional, national):
    source = source_features(national.url, "sites")
    r = requests.get(f"{regional.url}/wfs", params={
        "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature", "TYPENAMES": "idn_sites",
        "OUTPUTFORMAT": "application/json", "COUNT": 1000}, timeout=30)
    assert r.status_code == 200, r.text
    names = sorted(f["properties"]["name"] for f in r.json()["features"])
    assert names == sorted(v["properties"]["name"] for v in source.values())
    hits = requests.get(f"{regional.url}/wfs", params={
        "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature", "TYPENAMES": "idn_sites",
        "RESULTTYPE": "hits"}, timeout=30)
    assert hits.status_code == 200 and f'numberMatched="{SITES}"' in hits.text, hits.text[:400]


def decoded(png: bytes) -> bytes:
    name = f"/vsimem/{uuid.uuid4().hex}.png"
    gdal.FileFromMemBuffer(name, png)
    try:
        ds = gdal.Open(name)
        return b"".join(ds.GetRasterBand(b + 1).ReadRaster() for b in range(ds.RasterCount))
    finally:
        gdal.Unlink(name)


def get_map(base: str, layer: str, bbox=(95, -10, 141, 20)) -> requests.Response:
    return requests.get(f"{base}/wms", params={
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": layer, "STYLES": "",
        "CRS": "CRS:84", "BBOX": ",".join(map(str, bbox)), "WIDTH": 460, "HEIGHT": 300, "FORMAT": "image/png"},
        timeout=30)


def test_wms_get_map_draws_the_sources_pixels(regional, national):
    mine, theirs = get_map(regional.url, "idn_sites"), get_map(national.url, "sites")
    assert mine.status_code == 200 and theirs.status_code == 200, mine.text[:300]
    assert mine.headers["Content-Type"] == "image/png"
    a, b = decoded(mine.content), decoded(theirs.content)
    assert len(set(b)) > 1, "the source's map is empty"
    assert a == b


SLD_NS = ('xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc" '
          'xmlns:xlink="http://www.w3.org/1999/xlink"')


def sld(layer: str, else_rule: bool) -> str:
    def square(fill: str) -> str:
        return (f"<PointSymbolizer><Graphic><Mark><WellKnownName>square</WellKnownName><Fill>"
                f'<CssParameter name="fill">{fill}</CssParameter></Fill></Mark><Size>8</Size></Graphic>'
                "</PointSymbolizer>")
    rules = ("<Rule><ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>commodity</ogc:PropertyName>"
             f"<ogc:Literal>Ni</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>{square('#ff0000')}</Rule>"
             "<Rule><ogc:Filter><ogc:PropertyIsGreaterThan><ogc:PropertyName>tonnes</ogc:PropertyName>"
             f"<ogc:Literal>60000</ogc:Literal></ogc:PropertyIsGreaterThan></ogc:Filter>{square('#0000ff')}</Rule>")
    if else_rule:
        rules += f"<Rule><ElseFilter/>{square('#00ff00')}</Rule>"
    return (f'<StyledLayerDescriptor version="1.0.0" {SLD_NS}><NamedLayer><Name>{layer}</Name><UserStyle>'
            f"<Name>by-commodity</Name><FeatureTypeStyle>{rules}</FeatureTypeStyle></UserStyle></NamedLayer>"
            "</StyledLayerDescriptor>")


def test_style_rule_filters_are_forwarded_and_an_else_filter_is_refused(regional, national):
    def styled(base, layer, else_rule):
        return requests.get(f"{base}/wms", params={
            "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": layer, "STYLES": "",
            "CRS": "CRS:84", "BBOX": "95,-10,141,20", "WIDTH": 460, "HEIGHT": 300, "FORMAT": "image/png",
            "SLD_BODY": sld(layer, else_rule)}, timeout=30)
    mine, theirs = styled(regional.url, "idn_sites", False), styled(national.url, "sites", False)
    assert mine.status_code == 200 and theirs.status_code == 200, mine.text[:300] + theirs.text[:300]
    assert decoded(mine.content) == decoded(theirs.content)
    # An ElseFilter (features no other rule takes) has no CQL2 form the node could evaluate:
    # refused with a clear 400 rather than drawn from what AMIS could guess.
    refused = styled(regional.url, "idn_sites", True)
    assert refused.status_code == 400 and "ServiceException" in refused.text, refused.text[:300]
    assert "cannot be forwarded" in refused.text


def test_the_cascaded_collection_has_a_catalogue_record_with_links_here(regional, national):
    r = requests.get(f"{regional.url}/collections/catalog/items/amis:collection:idn_sites", params={"f": "json"},
                     timeout=30)
    assert r.status_code == 200, r.text[:300]
    record = r.json()
    p = record["properties"]
    assert p["title"] == "Mineral sites of Indonesia" and p["country"] == "IDN"
    assert p["provenance"]["sourceNode"] == "idn" and p["provenance"]["sourceId"] == "sites"
    assert "national node idn" in p["lineage"]
    items = [link["href"] for link in record["links"] if link.get("rel") == "items"]
    assert items and items[0].startswith(regional.url), record["links"]
    got = requests.get(items[0], params={"f": "json", "limit": 5}, timeout=30)
    assert got.status_code == 200 and len(got.json()["features"]) == 5
    assert not any(link["href"].startswith(national.url + "/") for link in record["links"])


def test_editing_a_cascaded_collection_is_refused(regional):
    r = requests.post(f"{regional.url}/collections/idn_sites/items", headers=admin_headers(), json={
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [110, 0]},
        "properties": {"name": "x", "commodity": "Ni", "tonnes": 1, "grade": 1.0}}, timeout=30)
    assert r.status_code in (403, 409), r.text
    assert r.headers["Content-Type"].startswith("application/json")


def ogc_error(r: requests.Response, status: int) -> dict:
    assert r.status_code == status, f"{r.status_code} {r.text[:300]}"
    assert r.headers["Content-Type"].startswith("application/json"), r.headers
    doc = r.json()
    assert doc["code"] and "idnproxy" in doc["description"], doc
    assert "127.0.0.1" not in doc["description"]
    return doc


def still_serving(regional) -> None:
    r = requests.get(f"{regional.url}/collections/asean_sites/items?f=json", timeout=10)
    assert r.status_code == 200 and r.json()["numberReturned"] == 1


def fresh(limit: int) -> str:
    """Items of the proxied collection at a page size no earlier request asked (never cached)."""
    return f"/collections/idn_sites_far/items?f=json&limit={limit}"


def test_through_the_proxy_the_node_answers(regional, proxy):
    proxy.mode = "pass"
    r = requests.get(regional.url + fresh(11), timeout=30)
    assert r.status_code == 200 and r.json()["numberReturned"] == 11


def test_a_slow_node_gives_504_within_the_timeout(regional, proxy):
    proxy.mode = "slow"
    try:
        started = time.monotonic()
        r = requests.get(regional.url + fresh(12), timeout=30)
        took = time.monotonic() - started
        ogc_error(r, 504)
        assert took < TIMEOUT + 2, took
        started = time.monotonic()
        w = get_map(regional.url, "idn_sites_far", bbox=(96, -9, 140, 19))
        assert time.monotonic() - started < TIMEOUT + 2
        assert w.status_code == 504 and "ServiceException" in w.text, w.text[:300]
        still_serving(regional)
    finally:
        proxy.mode = "pass"


def test_a_node_in_error_gives_502_in_each_protocols_format(regional, proxy):
    for mode in ("error", "html"):
        proxy.mode = mode
        try:
            ogc_error(requests.get(regional.url + fresh(13 if mode == "error" else 14), timeout=30), 502)
            wfs = requests.get(f"{regional.url}/wfs", params={
                "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature", "TYPENAMES": "idn_sites_far",
                "COUNT": 15 if mode == "error" else 16}, timeout=30)
            assert wfs.status_code == 502 and "ExceptionReport" in wfs.text, wfs.text[:300]
            wms = get_map(regional.url, "idn_sites_far", bbox=(97, -8, 139, 18) if mode == "error" else (98, -7, 138, 17))
            assert wms.status_code == 502 and "ServiceException" in wms.text, wms.text[:300]
            still_serving(regional)
        finally:
            proxy.mode = "pass"


def test_a_node_down_gives_502(tmp_path, regional, national):
    # A node registered and published, then gone: its port closed.
    with SwitchableProxy(national.url) as gone:
        store = regional.store
        done, _ = node(store, "add", "idngone", gone.url + "/", "--kind", "oapif", "--country", "IDN",
                       "--schedule", "off")
        assert done.returncode == 0, done.stderr
        assert harvest(store, "idngone")[0] == 0
        done, _ = node(store, "publish", "idngone", "sites", "--collection", "idn_sites_gone")
        assert done.returncode == 0, done.stdout + done.stderr
    time.sleep(2.5)  # the regional node reloads its publications (every 2 s)
    started = time.monotonic()
    r = requests.get(f"{regional.url}/collections/idn_sites_gone/items?f=json", timeout=30)
    assert time.monotonic() - started < TIMEOUT + 2
    assert r.status_code == 502, r.text
    assert "idngone" in r.json()["description"]
    still_serving(regional)
    done, _ = node(regional.store, "unpublish", "idn_sites_gone")
    assert done.returncode == 0, done.stderr
