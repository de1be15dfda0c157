"""Features returned per request (issue 18): OGC API items and single features, WFS GetFeature
(GML and GeoJSON, hits), CSV and GeoPackage downloads and a vector tile are counted in the usage
tables, the usage API (JSON and CSV) and /metrics. Each expected number is read from the
response itself by an independent reader (json, csv, lxml, GDAL/OGR), never from the server's
counters."""
from __future__ import annotations

import csv
import io
import re
import uuid
from collections import Counter

from lxml import etree
from osgeo import gdal, ogr

from store_support import rows
from usage_support import settle

GML_MEMBER = "{http://www.opengis.net/wfs/2.0}member"


def geojson_count(r) -> int:
    doc = r.json()
    return len(doc["features"]) if "features" in doc else (1 if doc.get("type") == "Feature" else 0)


def csv_count(r) -> int:
    return len(list(csv.reader(io.StringIO(r.text)))) - 1  # the header line


def gml_count(r) -> int:
    return len(etree.fromstring(r.content).findall(GML_MEMBER))


def ogr_count(r, suffix: str) -> int:
    path = f"/vsimem/usage-{uuid.uuid4().hex}{suffix}"
    gdal.FileFromMemBuffer(path, r.content)
    try:
        ds = ogr.Open(path)
        return sum(ds.GetLayer(i).GetFeatureCount() for i in range(ds.GetLayerCount()))
    finally:
        gdal.Unlink(path)


def mvt_count(r) -> int:
    """Features of a Mapbox vector tile, read by GDAL's MVT driver."""
    path = f"/vsimem/usage-{uuid.uuid4().hex}/1/1/0.pbf"
    gdal.FileFromMemBuffer(path, r.content)
    try:
        ds = gdal.OpenEx(path, gdal.OF_VECTOR, allowed_drivers=["MVT"])
        return sum(ds.GetLayer(i).GetFeatureCount() for i in range(ds.GetLayerCount()))
    finally:
        gdal.Unlink(path)


WFS = {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature"}

# (path, parameters, (collection, service, operation), how to count the features of the answer)
REQUESTS = [
    ("/collections/coal_mines/items", {"limit": "7"}, ("coal_mines", "features", "items"), geojson_count),
    ("/collections/countries/items", {"limit": "3", "f": "json"}, ("countries", "features", "items"), geojson_count),
    ("/collections/coal_mines/items", {"limit": "5", "f": "csv"}, ("coal_mines", "features", "items"), csv_count),
    ("/collections/countries/items", {"limit": "4", "f": "gpkg"}, ("countries", "features", "items"),
     lambda r: ogr_count(r, ".gpkg")),
    ("/wfs", {**WFS, "TYPENAMES": "coal_mines", "COUNT": "6"}, ("coal_mines", "wfs", "GetFeature"), gml_count),
    ("/wfs", {**WFS, "TYPENAMES": "countries", "COUNT": "2", "OUTPUTFORMAT": "application/json"},
     ("countries", "wfs", "GetFeature"), geojson_count),
    ("/wfs", {**WFS, "TYPENAMES": "coal_mines", "RESULTTYPE": "hits"}, ("coal_mines", "wfs", "GetFeature"),
     lambda r: 0),
    ("/collections/coal_mines/tiles/WebMercatorQuad/1/0/1", {}, ("coal_mines", "tiles", "tile"), mvt_count),
]


def stored_features(store) -> Counter:
    got = rows(store, "SELECT collection, service, operation, sum(features), sum(requests) FROM amis_usage_daily "
                      "WHERE service <> 'usage' GROUP BY collection, service, operation")
    return Counter({tuple(r[:3]): int(r[3]) for r in got})


def metric_features(text: str) -> Counter:
    out = Counter()
    for m in re.finditer(r'^amis_features_returned_total\{service="([a-z]+)"\} (\S+)$', text, re.M):
        out[m.group(1)] = int(float(m.group(2)))
    return out


def test_features_returned_are_counted_per_request(usage_server, usage_store, http):
    url = usage_server.url
    settle(http, url)
    before, metrics_before = stored_features(usage_store), metric_features(http.get(f"{url}/metrics").text)
    expected = Counter()
    item = http.get(f"{url}/collections/countries/items", params={"limit": "1"}).json()["features"][0]["id"]
    expected[("countries", "features", "items")] += 1
    for path, params, key, count in [*REQUESTS, (f"/collections/countries/items/{item}", {},
                                                 ("countries", "features", "item"), geojson_count)]:
        r = http.get(url + path, params=params, timeout=60)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        expected[key] += count(r)
    assert expected[("coal_mines", "tiles", "tile")] > 0, "the tile should hold some mines"
    settle(http, url)
    got = stored_features(usage_store)
    got.subtract(before)
    assert {k: v for k, v in got.items() if v} == {k: v for k, v in expected.items() if v}

    # The usage API: JSON and CSV say the same.
    doc = http.get(f"{url}/usage/daily", params={"group": "collection,service,operation"}).json()
    api = {(r["collection"], r["service"], r["operation"]): r["features"] for r in doc["rows"]}
    table = csv.DictReader(io.StringIO(http.get(f"{url}/usage/daily",
                                                params={"group": "collection,service,operation", "f": "csv"}).text))
    as_csv = {(r["collection"], r["service"], r["operation"]): int(r["features"]) for r in table}
    total_stored = stored_features(usage_store)
    for key in expected:
        assert api[key] == as_csv[key] == total_stored[key], key
    assert doc["total"]["features"] == sum(r["features"] for r in doc["rows"])

    # /metrics: by service, the same sums.
    metrics = metric_features(http.get(f"{url}/metrics").text)
    metrics.subtract(metrics_before)
    by_service = Counter()
    for (_collection, service, _operation), n in expected.items():
        by_service[service] += n
    assert {k: v for k, v in metrics.items() if v} == {k: v for k, v in by_service.items() if v}


def test_raw_events_carry_their_features(usage_server, usage_store, http):
    url = usage_server.url
    r = http.get(f"{url}/collections/coal_mines/items", params={"limit": "9"}, timeout=30)
    assert r.status_code == 200
    settle(http, url)
    n = rows(usage_store, "SELECT features FROM amis_usage_events WHERE collection = 'coal_mines' "
                          "AND operation = 'items' ORDER BY time_ms DESC LIMIT 1")[0][0]
    assert n == len(r.json()["features"]) == 9
