"""Maps built to take the server's memory and time.

- Sixteen 4096 x 4096 GetMaps at once took 1.5 GB of memory on the demo (3.8 GB with
  heavier styles) and went on after their clients had left. Every map (WMS GetMap, map
  tiles, WMTS) is now drawn in a slot of one gate: [wms] max_concurrent_renders at once
  (default: one per core), render_queue waiting (default: four per slot) for at most
  render_wait_seconds; anything more is a 503 ServiceException ServiceUnavailable with
  Retry-After at once. Vector tiles are built in the same gate's slots (eight z5 tiles
  of 500,000 points at once took 1 GB): beyond it, 503 ServiceUnavailable in OGC API
  JSON with Retry-After.
- LAYERS=coal_mines repeated 1,000 times took 40 s at 64 x 64. WMS 1.3.0 capabilities
  now advertise a LayerLimit ([wms] layer_limit, default 32) and GetMap refuses more
  layers with 400 InvalidParameterValue (locator LAYERS); map tiles take as many
  collections.
- A map whose request ran out of time stops while features are read, between layers
  and while Mapnik draws (before each feature): under work_timeout_seconds = 1 a map of
  32 layers of 200,000 points answers 503 OperationProcessingTimeout.
"""
from __future__ import annotations

import threading

import pytest
import requests
from lxml import etree

from bounds_support import serving
from wfs_support import assert_xmllint_valid
from wms_support import WMS130_CAPABILITIES_XSD

WMS = "{http://www.opengis.net/wms}"
OGC = "{http://www.opengis.net/ogc}"
DEMO_LAYERS = ["countries", "coal_mines", "coal_mine_boundaries", "mine_facilities"]
REGION_3857 = "10000000,-1300000,16700000,7300000"


def get_map(s, srv, layers, width, height, timeout=120, **extra):
    return s.get(srv.url + "/wms", params={
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": ",".join(layers), "STYLES": "",
        "CRS": "EPSG:3857", "BBOX": REGION_3857, "WIDTH": width, "HEIGHT": height, "FORMAT": "image/png", **extra},
        timeout=timeout)


def service_exception(r) -> tuple[str, str]:
    e = etree.fromstring(r.content).find(f"{OGC}ServiceException")
    assert e is not None, r.text[:300]
    return e.get("code"), e.get("locator") or ""


def layer_limit(s, srv) -> int:
    r = s.get(srv.url + "/wms", params={"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetCapabilities"},
              timeout=30)
    assert r.status_code == 200
    assert_xmllint_valid(r.content, WMS130_CAPABILITIES_XSD)
    limit = etree.fromstring(r.content).find(f"{WMS}Service/{WMS}LayerLimit")
    assert limit is not None, "no LayerLimit in the 1.3.0 capabilities"
    return int(limit.text)


# --------------------------------------------------------------------------- the layer limit


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, hostile_store):
    with serving(hostile_store, tmp_path_factory.mktemp("render-default"), "render-default") as srv:
        yield srv


def test_capabilities_advertise_the_layer_limit(demo_server, session):
    assert layer_limit(session, demo_server) == 32


def test_a_thousand_layers_are_refused(demo_server, session):
    # 40 s of drawing before; now refused before anything is read.
    r = get_map(session, demo_server, ["coal_mines"] * 1000, 64, 64)
    assert r.status_code == 400, r.text[:300]
    assert service_exception(r) == ("InvalidParameterValue", "LAYERS")


def test_the_limit_is_exact(demo_server, session):
    assert get_map(session, demo_server, ["coal_mines"] * 32, 64, 64).status_code == 200
    r = get_map(session, demo_server, ["coal_mines"] * 33, 64, 64)
    assert r.status_code == 400
    assert service_exception(r) == ("InvalidParameterValue", "LAYERS")


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory, hostile_store):
    config = "[wms]\nlayer_limit = 3\n"
    with serving(hostile_store, tmp_path_factory.mktemp("render-limited"), "render-limited", config) as srv:
        yield srv


def test_the_layer_limit_is_configured(limited_server, session):
    assert layer_limit(session, limited_server) == 3
    assert get_map(session, limited_server, DEMO_LAYERS[:3], 64, 64).status_code == 200
    r = get_map(session, limited_server, DEMO_LAYERS, 64, 64)
    assert r.status_code == 400
    assert service_exception(r) == ("InvalidParameterValue", "LAYERS")


def test_map_tiles_take_as_many_collections(limited_server, session):
    url = limited_server.url + "/map/tiles/WebMercatorQuad/2/1/3"
    assert session.get(url, params={"collections": ",".join(DEMO_LAYERS[:3])}, timeout=60).status_code == 200
    r = session.get(url, params={"collections": ",".join(DEMO_LAYERS)}, timeout=60)
    assert r.status_code == 400, r.text[:300]
    assert r.json()["code"] == "InvalidParameterValue"


# --------------------------------------------------------------------------- renders at once


@pytest.fixture(scope="module")
def gated_server(tmp_path_factory, hostile_store):
    # One map at a time, one waiting (for long enough that it is drawn): of six large
    # maps asked at once, at most two are drawn; the others are turned away at once.
    config = "[wms]\nmax_concurrent_renders = 1\nrender_queue = 1\nrender_wait_seconds = 120\n"
    with serving(hostile_store, tmp_path_factory.mktemp("render-gated"), "render-gated", config) as srv:
        yield srv


def at_once(n, ask, meanwhile=None):
    """Sends `ask(session)` from n threads released together; `meanwhile(session)` runs
    while they are under way. Returns the n answers (in the order they came) and what
    `meanwhile` returned."""
    answers: list[requests.Response] = []
    lock = threading.Lock()
    start = threading.Barrier(n)

    def one():
        with requests.Session() as s:
            s.trust_env = False
            start.wait()
            r = ask(s)
            with lock:
                answers.append(r)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    other = None
    if meanwhile:
        with requests.Session() as s:
            s.trust_env = False
            other = meanwhile(s)
    for t in threads:
        t.join(300)
    return answers, other


def test_large_maps_beyond_the_gate_are_turned_away(gated_server):
    answers, other = at_once(6, lambda s: get_map(s, gated_server, DEMO_LAYERS * 8, 4096, 4096),
                             meanwhile=lambda s: s.get(gated_server.url + "/collections", timeout=30))
    assert other.status_code == 200, "the server answers other requests meanwhile"
    statuses = sorted(r.status_code for r in answers)
    assert len(statuses) == 6 and set(statuses) <= {200, 503}, statuses
    assert 1 <= statuses.count(200) <= 2, statuses
    for r in answers:
        if r.status_code == 503:
            assert service_exception(r)[0] == "ServiceUnavailable"
            assert int(r.headers["Retry-After"]) >= 1


@pytest.fixture(scope="module")
def gated_tile_server(tmp_path_factory, grid_store):
    # One tile built at a time, one waiting, no tile cache: every request builds its tile.
    config = ("[wms]\nmax_concurrent_renders = 1\nrender_queue = 1\nrender_wait_seconds = 120\n"
              "[tiles]\ncache_max_mb = 0\n")
    with serving(grid_store, tmp_path_factory.mktemp("tile-gated"), "tile-gated", config) as srv:
        yield srv


def test_vector_tiles_beyond_the_gate_are_turned_away(gated_tile_server):
    # The whole world's tile holds all 200,000 points of 'grid': a fraction of a second
    # to build, while the six requests arrive together.
    url = gated_tile_server.url + "/collections/grid/tiles/WebMercatorQuad/0/0/0"
    answers, _ = at_once(6, lambda s: s.get(url, timeout=300))
    statuses = sorted(r.status_code for r in answers)
    assert len(statuses) == 6 and set(statuses) <= {200, 503}, statuses
    assert 1 <= statuses.count(200) <= 2, statuses
    for r in answers:
        if r.status_code == 200:
            assert r.headers["Content-Type"].startswith("application/vnd.mapbox-vector-tile")
            assert len(r.content) > 100_000, len(r.content)  # the points are in it
        else:
            assert r.headers["Content-Type"].startswith("application/"), r.headers["Content-Type"]
            assert r.json()["code"] == "ServiceUnavailable", r.text[:300]
            assert int(r.headers["Retry-After"]) >= 1
    # A tile asked alone afterwards is built.
    with requests.Session() as s:
        s.trust_env = False
        assert s.get(url, timeout=300).status_code == 200


# --------------------------------------------------------------------------- deadlines while drawing


@pytest.fixture(scope="module")
def grid_map_server(tmp_path_factory, grid_store):
    with serving(grid_store, tmp_path_factory.mktemp("render-deadline"), "render-deadline",
                 "[server]\nwork_timeout_seconds = 1\n") as srv:
        yield srv


def test_a_map_stops_at_the_deadline(grid_map_server, session):
    # 32 layers of 200,000 points each: seconds of reading and drawing.
    r = session.get(grid_map_server.url + "/wms", params={
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": ",".join(["grid"] * 32), "STYLES": "",
        "CRS": "CRS:84", "BBOX": "85,-15,145,45", "WIDTH": 4096, "HEIGHT": 4096, "FORMAT": "image/png"}, timeout=120)
    assert r.status_code == 503, r.text[:300]
    assert service_exception(r)[0] == "OperationProcessingTimeout"
    # and the server draws the next map
    small = session.get(grid_map_server.url + "/wms", params={
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "grid", "STYLES": "",
        "CRS": "CRS:84", "BBOX": "90,-10,91,-9", "WIDTH": 64, "HEIGHT": 64, "FORMAT": "image/png"}, timeout=60)
    assert small.status_code == 200


def test_a_busy_answer_is_never_drawn(gated_server):
    # EXCEPTIONS=INIMAGE asks for errors as an image of the map's size; a 503 that
    # drew a 4096 x 4096 message would draw while turning drawing away.
    answers, _ = at_once(6, lambda s: get_map(s, gated_server, DEMO_LAYERS * 8, 4096, 4096, EXCEPTIONS="INIMAGE"))
    busy = [r for r in answers if r.status_code == 503]
    assert busy, sorted(r.status_code for r in answers)
    for r in busy:
        assert r.headers["Content-Type"].startswith("text/xml")
        assert service_exception(r)[0] == "ServiceUnavailable"
