"""WFS cascade of a node that speaks only GML (issue 16): MapServer's WFS offers no GeoJSON output
format, so publishing its feature type reads GML 3.2 pages. The cascaded collection (OGC API items,
WFS GetFeature) and a mirror of it hold the source's features.

Oracle: the GeoJSON file MapServer serves the layer from (generated here, never read by AMIS)."""
from __future__ import annotations

import pytest
import requests

from cascade_support import cascading_config
from federation_support import build_regional_store, harvest, node, start
from wms_cascade_support import MAPSERV, serve_mapserver

pytestmark = pytest.mark.skipif(not MAPSERV.exists(), reason="MapServer (cgi-mapserver) is not installed")


@pytest.fixture(scope="module")
def mapserver(tmp_path_factory):
    yield from serve_mapserver(tmp_path_factory.mktemp("wfs-mapserver"))


@pytest.fixture(scope="module")
def regional(tmp_path_factory, amis_bin, mapserver):
    work = tmp_path_factory.mktemp("wfs-regional")
    store = build_regional_store(work)
    config = cascading_config(work)
    done, _ = node(store, "add", "msw", mapserver.url, "--kind", "wfs", "--country", "IDN", "--schedule", "off")
    assert done.returncode == 0, done.stderr
    code, report = harvest(store, "msw")
    assert code == 0, report
    for collection, mode in (("ms_areas_gml", "cascade"), ("ms_areas_copy", "mirror")):
        done, doc = node(store, "publish", "msw", "ms:areas", "--collection", collection, "--mode", mode, config=config)
        assert done.returncode == 0 and doc["mode"] == mode, done.stdout + done.stderr
    server = start(store, work / "logs", "regional", config)
    yield server
    alive = server.alive()
    server.stop()
    assert alive, server.stderr()


def test_the_node_offers_no_geojson(mapserver):
    r = requests.get(mapserver.url, params={"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
                                            "TYPENAMES": "areas", "COUNT": 1, "OUTPUTFORMAT": "application/json"},
                     timeout=30)
    assert b"ExceptionReport" in r.content, r.content[:300]


def same_as_source(features: list[dict], source: list[dict]) -> None:
    by_id = {f["properties"]["id"]: f for f in source}
    assert len(features) == len(source)
    for f in features:
        expected = by_id[f["properties"]["id"]]
        assert f["properties"]["name"] == expected["properties"]["name"]
        assert f["properties"]["kind"] == expected["properties"]["kind"]
        ring = f["geometry"]["coordinates"][0]
        want = expected["geometry"]["coordinates"][0]
        assert len(ring) == len(want)
        for (x, y), (ex, ey) in zip(ring, want):
            assert x == pytest.approx(ex, abs=1e-6) and y == pytest.approx(ey, abs=1e-6)


@pytest.mark.parametrize("collection", ["ms_areas_gml", "ms_areas_copy"])
def test_items_are_the_sources_features(regional, mapserver, collection):
    r = requests.get(f"{regional.url}/collections/{collection}", params={"f": "json"}, timeout=30)
    assert r.status_code == 200, r.text[:300]
    r = requests.get(f"{regional.url}/collections/{collection}/items", params={"f": "json", "limit": 1000},
                     timeout=30)
    assert r.status_code == 200, r.text[:300]
    same_as_source(r.json()["features"], mapserver.features)


def test_a_bbox_is_forwarded_to_the_node(regional, mapserver):
    box = (100, -5, 120, 10)
    r = requests.get(f"{regional.url}/collections/ms_areas_gml/items",
                     params={"f": "json", "limit": 1000, "bbox": ",".join(map(str, box))}, timeout=30)
    assert r.status_code == 200, r.text[:300]

    def touches(f):
        xs = [p[0] for p in f["geometry"]["coordinates"][0]]
        ys = [p[1] for p in f["geometry"]["coordinates"][0]]
        return min(xs) <= box[2] and max(xs) >= box[0] and min(ys) <= box[3] and max(ys) >= box[1]

    expected = sorted(f["properties"]["id"] for f in mapserver.features if touches(f))
    assert expected and sorted(f["properties"]["id"] for f in r.json()["features"]) == expected


def test_wfs_get_feature_of_the_cascaded_type(regional, mapserver):
    r = requests.get(f"{regional.url}/wfs", params={"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
                                                    "TYPENAMES": "amis:ms_areas_gml", "OUTPUTFORMAT": "application/json",
                                                    "COUNT": 1000}, timeout=30)
    assert r.status_code == 200, r.text[:300]
    same_as_source(r.json()["features"], mapserver.features)
