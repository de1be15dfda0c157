"""WMS cascade (issue 16): a WMS layer harvested from a national node is published on the regional
AMIS as a layer drawn by the node. AMIS's GetMap asks the node for the same box, size and CRS and
composes its image with AMIS's own layers; GetFeatureInfo is the node's answer. Nodes: MapServer 8
(CGI on loopback) and a second AMIS node. A node that answers with a ServiceException, an HTML
page, another media type, an unreadable image or too late gives a ServiceException with 502/504,
and the regional node keeps serving.

Oracles: each node's own GetMap for the same request (pixels decoded by Pillow, compared with
numpy), MapServer's own GetFeatureInfo, and Pillow's alpha compositing for a composed map."""
from __future__ import annotations

import time
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import requests
from PIL import Image

from cascade_support import cascading_config, serve_national
from federation_support import build_regional_store, harvest, node, start
from wms_cascade_support import MAPSERV, FaultyFront, map_params, pixels, serve_mapserver

TIMEOUT = 8.0  # cascade_timeout_seconds of the regional node: MapServer runs as a CGI, slow on a loaded machine
BOX_LATLON = (-10, 95, 20, 141)  # EPSG:4326 in WMS 1.3.0: latitude first
BOX_3857 = (10575162, -1118890, 15696048, 2273030)

pytestmark = pytest.mark.skipif(not MAPSERV.exists(), reason="MapServer (cgi-mapserver) is not installed")


@pytest.fixture(scope="module")
def mapserver(tmp_path_factory):
    yield from serve_mapserver(tmp_path_factory.mktemp("wms-mapserver"))


@pytest.fixture(scope="module")
def front(mapserver):
    with FaultyFront(mapserver.url, slow_seconds=TIMEOUT + 3) as f:
        yield f


@pytest.fixture(scope="module")
def national(tmp_path_factory, amis_bin):
    yield from serve_national(tmp_path_factory.mktemp("wms-national"))


@pytest.fixture(scope="module")
def regional(tmp_path_factory, amis_bin, mapserver, front, national):
    work = tmp_path_factory.mktemp("wms-regional")
    store = build_regional_store(work)
    config = cascading_config(work, timeout=TIMEOUT)
    for name, url in (("ms", mapserver.url), ("msfront", front.url), ("idnwms", national.url + "/wms")):
        done, _ = node(store, "add", name, url, "--kind", "wms", "--country", "IDN", "--schedule", "off")
        assert done.returncode == 0, done.stderr
        code, report = harvest(store, name)
        assert code == 0, report
    for name, layer, collection in (("ms", "areas", "ms_areas"), ("msfront", "areas", "ms_areas_far"),
                                    ("idnwms", "sites", "idn_sites_map")):
        done, doc = node(store, "publish", name, layer, "--collection", collection, config=config)
        assert done.returncode == 0 and doc["mode"] == "cascade", done.stdout + done.stderr
    server = start(store, work / "logs", "regional", config)
    yield server
    alive = server.alive()
    server.stop()
    assert alive, server.stderr()


def get(base: str, params: dict) -> requests.Response:
    return requests.get(f"{base}/wms", params=params, timeout=30)


def image(r: requests.Response) -> np.ndarray:
    assert r.status_code == 200, r.text[:400]
    assert r.headers["Content-Type"] == "image/png", r.headers
    return pixels(r.content)


def test_the_cascaded_layers_are_in_the_capabilities(regional):
    from owslib.wms import WebMapService
    wms = WebMapService(f"{regional.url}/wms", version="1.3.0")
    assert "ms_areas" in wms.contents and "idn_sites_map" in wms.contents
    assert wms["ms_areas"].title == "Survey areas"
    w, s, e, n = wms["ms_areas"].boundingBoxWGS84
    assert (w, s, e, n) == pytest.approx((95, -10, 143, 21))
    assert wms["ms_areas"].queryable


@pytest.mark.parametrize("crs,bbox", [("EPSG:4326", BOX_LATLON), ("EPSG:3857", BOX_3857)])
def test_the_cascaded_map_is_the_mapserver_map(regional, mapserver, crs, bbox):
    mine = image(get(regional.url, map_params("ms_areas", crs, bbox)))
    theirs = image(requests.get(mapserver.url, params=map_params("areas", crs, bbox, TRANSPARENT="FALSE"), timeout=30))
    assert len(np.unique(theirs.reshape(-1, 4), axis=0)) > 3, "MapServer drew an empty map"
    assert mine.shape == theirs.shape
    assert np.array_equal(mine, theirs)


def test_the_cascaded_map_of_an_amis_node_is_its_map(regional, national):
    mine = image(get(regional.url, map_params("idn_sites_map", "EPSG:4326", BOX_LATLON)))
    theirs = image(get(national.url, map_params("sites", "EPSG:4326", BOX_LATLON)))
    assert len(np.unique(theirs.reshape(-1, 4), axis=0)) > 1, "the node drew an empty map"
    assert np.array_equal(mine, theirs)


def test_a_cascaded_layer_is_composed_over_a_local_layer(regional, mapserver):
    local = image(get(regional.url, map_params("asean_sites", "EPSG:4326", BOX_LATLON)))
    over = image(requests.get(mapserver.url, timeout=30,
                              params=map_params("areas", "EPSG:4326", BOX_LATLON, TRANSPARENT="TRUE")))
    assert (over[..., 3] == 0).any() and (over[..., 3] == 255).any()
    expected = np.asarray(Image.alpha_composite(Image.fromarray(local.astype(np.uint8)),
                                                Image.fromarray(over.astype(np.uint8))), dtype=np.int16)
    composed = image(get(regional.url, map_params("asean_sites,ms_areas", "EPSG:4326", BOX_LATLON)))
    assert np.abs(composed - expected).max() <= 2


def test_a_warm_map_is_not_asked_again(regional, front):
    front.mode = "pass"
    params = map_params("ms_areas_far", "EPSG:4326", BOX_LATLON, WIDTH=301)
    first = get(regional.url, params)
    asked = len(front.server.asked)
    second = get(regional.url, params)
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert len(front.server.asked) == asked


def test_a_png_map_of_one_cascaded_layer_is_the_nodes_own_image(regional, front):
    """Asked alone, a cascaded layer's PNG is the node's PNG as it sent it (the same box, size,
    CRS and background): the bytes the front passed on for the cascade's request, asked again."""
    front.mode = "pass"
    for transparent in ("FALSE", "TRUE"):
        params = map_params("ms_areas_far", "EPSG:4326", BOX_LATLON, WIDTH=303, TRANSPARENT=transparent)
        mine = get(regional.url, params)
        assert mine.status_code == 200 and mine.headers["Content-Type"] == "image/png", mine.text[:300]
        asked = front.server.asked[-1]
        assert f"TRANSPARENT={transparent}" in asked and "WIDTH=303" in asked, asked
        theirs = requests.get(f"http://127.0.0.1:{front.server.port}{asked}", timeout=30)
        assert theirs.status_code == 200 and mine.content == theirs.content
    jpeg = get(regional.url, map_params("ms_areas_far", "EPSG:4326", BOX_LATLON, WIDTH=303, FORMAT="image/jpeg"))
    assert jpeg.status_code == 200 and jpeg.headers["Content-Type"] == "image/jpeg"  # drawn here, not passed on


def test_a_node_image_that_is_not_the_asked_map_is_drawn_here(regional, front):
    """Passed on only as the node sent it when that is the map: a node that leaves pixels
    transparent in an opaque map gets them drawn on the map's background, and a JPEG labelled
    image/png is encoded as a PNG here."""
    front.mode = "clear"
    try:
        opaque = image(get(regional.url, map_params("ms_areas_far", "EPSG:4326", BOX_LATLON, WIDTH=307)))
        assert (opaque[..., 3] == 255).all()
        assert (opaque[:, :150, :3] == 255).all() and (opaque[:, -100:, :3] == (200, 30, 30)).all()
        clear = image(get(regional.url, map_params("ms_areas_far", "EPSG:4326", BOX_LATLON, WIDTH=309,
                                                   TRANSPARENT="TRUE")))
        assert (clear[:, :150, 3] == 0).all() and (clear[:, -100:, 3] == 255).all()
        front.mode = "jpeg"
        r = get(regional.url, map_params("ms_areas_far", "EPSG:4326", BOX_LATLON, WIDTH=311))
        assert r.status_code == 200 and r.content.startswith(b"\x89PNG\r\n\x1a\n"), r.content[:16]
    finally:
        front.mode = "pass"


def test_without_a_cache_a_map_drawn_here_asks_the_node_once(tmp_path, front, amis_bin):
    """A cascade without a cache (TTL 0): a map the node's image cannot be passed on for (its
    transparent pixels in an opaque map) is composed from the one answer, not asked again."""
    store = build_regional_store(tmp_path / "regional")
    config = cascading_config(tmp_path, timeout=TIMEOUT, ttl=0)
    node(store, "add", "msfront", front.url, "--kind", "wms", "--country", "IDN", "--schedule", "off")
    code, report = harvest(store, "msfront")
    assert code == 0, report
    done, _ = node(store, "publish", "msfront", "areas", "--collection", "ms_areas_far", config=config)
    assert done.returncode == 0, done.stdout + done.stderr
    server = start(store, tmp_path / "logs", "uncached", config)
    front.mode = "clear"
    try:
        asked = len(front.server.asked)
        opaque = image(get(server.url, map_params("ms_areas_far", "EPSG:4326", BOX_LATLON, WIDTH=313)))
        assert (opaque[..., 3] == 255).all()
        maps = [p for p in front.server.asked[asked:] if "REQUEST=GetMap" in p]
        assert len(maps) == 1, maps
    finally:
        front.mode = "pass"
        server.stop()


def centre_pixel(feature: dict, bbox_lonlat: tuple, width: int, height: int) -> tuple[int, int]:
    ring = feature["geometry"]["coordinates"][0]
    lon = (ring[0][0] + ring[1][0]) / 2
    lat = (ring[0][1] + ring[2][1]) / 2
    w, s, e, n = bbox_lonlat
    return int((lon - w) / (e - w) * width), int((n - lat) / (n - s) * height)


def test_get_feature_info_is_the_nodes_answer(regional, mapserver):
    feature = mapserver.features[5]
    i, j = centre_pixel(feature, (95, -10, 141, 20), 300, 200)
    query = {**map_params("ms_areas", "EPSG:4326", BOX_LATLON), "REQUEST": "GetFeatureInfo",
             "QUERY_LAYERS": "ms_areas", "INFO_FORMAT": "text/plain", "I": i, "J": j, "FEATURE_COUNT": 3}
    mine = get(regional.url, query)
    direct = {**query, "LAYERS": "areas", "QUERY_LAYERS": "areas"}
    theirs = requests.get(mapserver.url, params=direct, timeout=30)
    assert mine.status_code == 200 and theirs.status_code == 200, mine.text[:300]
    assert mine.headers["Content-Type"].startswith("text/plain")
    assert mine.text == theirs.text
    assert feature["properties"]["name"] in mine.text


def service_exception(r: requests.Response, status: int) -> str:
    assert r.status_code == status, f"{r.status_code} {r.text[:300]}"
    assert "xml" in r.headers["Content-Type"]
    root = ET.fromstring(r.content)
    assert root.tag.endswith("ServiceExceptionReport")
    text = "".join(root.itertext())
    assert "msfront" in text and "127.0.0.1" not in text
    return text


def still_serving(regional) -> None:
    r = get(regional.url, map_params("asean_sites", "EPSG:4326", BOX_LATLON))
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png"


@pytest.mark.parametrize("mode,words", [("html", "HTML page"), ("error", "HTTP 500"), ("text", "text/plain"),
                                        ("garbage", "cannot be read"), ("small", "7 x 5")])
def test_a_broken_node_gives_502(regional, front, mode, words):
    front.mode = mode
    try:
        r = get(regional.url, map_params("ms_areas_far", "EPSG:4326", BOX_LATLON, WIDTH=250 + len(mode)))
    finally:
        front.mode = "pass"
    assert words in service_exception(r, 502)
    still_serving(regional)


def test_a_service_exception_of_the_node_gives_502(regional, front):
    # EPSG:32648 is one AMIS draws, but not one the node offers: MapServer answers a ServiceException.
    r = get(regional.url, map_params("ms_areas_far", "EPSG:32648", (166021, 0, 833978, 2000000)))
    assert "ServiceException" in service_exception(r, 502)
    still_serving(regional)


def test_a_slow_node_gives_504_within_the_timeout(regional, front):
    front.mode = "slow"
    try:
        start_time = time.monotonic()
        r = get(regional.url, map_params("ms_areas_far", "EPSG:4326", BOX_LATLON, WIDTH=290))
        took = time.monotonic() - start_time
    finally:
        front.mode = "pass"
    service_exception(r, 504)
    assert took < TIMEOUT + 2
    still_serving(regional)


def test_a_cascaded_layer_takes_only_the_default_style_and_no_filter(regional):
    r = get(regional.url, map_params("ms_areas", "EPSG:4326", BOX_LATLON, STYLES="fancy"))
    assert r.status_code == 400 and b"StyleNotDefined" in r.content
    r = get(regional.url, map_params("ms_areas", "EPSG:4326", BOX_LATLON, CQL_FILTER="kind='a'"))
    assert r.status_code == 400 and b"CQL_FILTER" in r.content


def test_publishing_a_wms_layer_as_a_mirror_is_refused(regional, tmp_path):
    store = build_regional_store(tmp_path)
    done, _ = node(store, "add", "ms2", "http://127.0.0.1:9/mapserv", "--kind", "wms", "--country", "IDN",
                   "--schedule", "off")
    assert done.returncode == 0, done.stderr
    done, _ = node(store, "publish", "ms2", "areas", "--collection", "m_areas", "--mode", "mirror")
    assert done.returncode != 0 and "not mirrored" in done.stdout + done.stderr


def catalogue_record(base: str, rid: str) -> dict:
    r = requests.get(f"{base}/collections/catalog/items/{rid}", params={"f": "json"}, timeout=30)
    assert r.status_code == 200, r.text[:300]
    return r.json()


def test_a_cascaded_layer_has_a_catalogue_record_naming_its_node(regional):
    record = catalogue_record(regional.url, "amis:collection:ms_areas")
    p = record["properties"]
    assert p["title"] == "Survey areas" and p["country"] == "IDN"
    assert p["provenance"]["sourceNode"] == "ms" and p["provenance"]["sourceId"] == "areas"
    assert "national node ms" in p["lineage"]
    wms = [link for link in record["links"] if "/wms" in link["href"]]
    assert wms and all(link["href"].startswith(regional.url + "/wms") for link in wms), record["links"]
    capabilities = [link["href"] for link in wms if "GetCapabilities" in link["href"]]
    r = requests.get(capabilities[0], timeout=30)
    assert r.status_code == 200 and b"<Name>ms_areas</Name>" in r.content
    thumbnails = [link["href"] for link in wms if "GetMap" in link["href"]]  # drawn by the node through AMIS
    assert thumbnails and "LAYERS=ms_areas" in thumbnails[0]
    r = requests.get(thumbnails[0], timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png"
