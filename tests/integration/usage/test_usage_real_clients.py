"""The issue's check of the usage counts through real clients (issue 18): GDAL's ogr2ogr over
OGC API - Features (OAPIF) and WFS, OWSLib's WMS and WFS, and curl for vector and map tiles
reach AMIS through Debian's nginx, started here in a temporary folder, which sets
X-Forwarded-For; AMIS trusts it as a proxy. The usage tables must equal, per dataset × service ×
operation × country × day, the tally this test makes of nginx's own access log (classified by
the test's rules, not AMIS's code).

The clients all run on loopback and cannot choose their source address, so each test address
is a port of nginx: a request arriving on that port is, to nginx, from that address, and nginx
sets X-Forwarded-For to it (overwriting whatever the client sent, as a front proxy does)."""
from __future__ import annotations

import datetime
import os
import subprocess
import time
from collections import Counter
from urllib.parse import parse_qsl, unquote

import pytest

from usage_servers import ALPHA3
from store_support import rows
from nginx_support import nginx_config, running_nginx
from support import free_loopback_ports
from usage_support import settle

# The test addresses behind nginx (documentation networks, RFC 5737, in the test country
# database; 100.64.1.1 is in none of them) and the countries they stand for.
ADDRESSES = {"192.0.2.44": ALPHA3["SG"], "198.51.100.45": ALPHA3["TH"], "203.0.113.46": ALPHA3["JP"],
             "100.64.1.1": "unknown"}
KNOWN = {"coal_mines", "countries"}
WMS_OPS = ["GetCapabilities", "GetMap", "GetFeatureInfo", "GetLegendGraphic", "DescribeLayer", "GetStyles"]
WFS_OPS = ["GetCapabilities", "DescribeFeatureType", "GetFeature", "GetPropertyValue", "ListStoredQueries",
           "DescribeStoredQueries", "Transaction", "LockFeature", "GetFeatureWithLock"]


def nginx_http(amis_port: int, ports: dict[int, str]) -> str:
    return "".join(f"""
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://127.0.0.1:{amis_port};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For {address};
    }}
  }}""" for port, address in ports.items())


@pytest.fixture(scope="module")
def nginx(usage_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx")
    ports = dict(zip(free_loopback_ports(len(ADDRESSES)), ADDRESSES))
    config = nginx_config(folder, '$server_port $msec $request_method "$request_uri" $status',
                          nginx_http(usage_server.port, ports))
    with running_nginx(folder, config, list(ports)):
        yield folder, ports


def classify(method: str, target: str) -> tuple[str, str, str]:
    """(collection, service, operation) of a request nginx passed on, by the route shapes the
    clients of this test use; any other request fails the test (so nothing is guessed)."""
    path, _, query = target.partition("?")
    segs = [s for s in unquote(path).split("/") if s]
    params = {}
    for k, v in parse_qsl(query, keep_blank_values=True):
        params.setdefault(k.lower(), v)

    def name(value: str) -> str:
        value = value.split(",")[0].split(":")[-1]
        return value if value in KNOWN else ("unknown" if value else "")

    assert method == "GET", (method, target)
    if not segs:
        return "", "features", "landing"
    if segs in (["conformance"], ["api"], ["collections"]):
        return "", "features", segs[0]
    if segs[0] == "collections":
        if len(segs) == 2:
            return name(segs[1]), "features", "collection"
        if segs[2] == "items":
            return name(segs[1]), "features", "items" if len(segs) == 3 else "item"
        if segs[2] == "queryables" and len(segs) == 3:
            return name(segs[1]), "features", "queryables"
        if segs[2] == "tiles" and len(segs) == 7:
            return name(segs[1]), "tiles", "tile"
        if segs[2:4] == ["map", "tiles"] and len(segs) == 8:
            return name(segs[1]), "maps", "tile"
    if segs in (["wms"], ["wfs"]):
        ops = WMS_OPS if segs[0] == "wms" else WFS_OPS
        asked = params.get("request", "")
        op = next((o for o in ops if o.lower() == asked.lower()), "unknown")
        layers = (params.get("layers") or params.get("query_layers") or params.get("layer", "")) if segs[0] == "wms" \
            else (params.get("typenames") or params.get("typename", ""))
        return name(layers), segs[0], op
    if segs == ["health"]:
        return "", "health", "health"
    raise AssertionError(f"a request this test does not classify: {method} {target}")


def tally(log_text: str, ports: dict[int, str], since: float) -> Counter:
    out = Counter()
    for line in log_text.splitlines():
        port, msec, method, target, _status = line.split(" ", 4)
        if float(msec) < since:
            continue
        day = datetime.datetime.fromtimestamp(float(msec), datetime.timezone.utc).strftime("%Y-%m-%d")
        out[(*classify(method, target.strip('"')), ADDRESSES[ports[int(port)]], day)] += 1
    return out


def stored(store) -> Counter:
    got = rows(store, "SELECT collection, service, operation, country, period, sum(requests) FROM amis_usage_daily "
                      "WHERE service <> 'usage' GROUP BY collection, service, operation, country, period")
    return Counter({tuple(r[:5]): int(r[5]) for r in got})


def client_env() -> dict:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env["GDAL_HTTP_TIMEOUT"] = "60"
    env["CPL_VSIL_CURL_USE_CACHE"] = "NO"
    return env


def run(*argv) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=180, env=client_env())
    assert done.returncode == 0, (argv, done.stdout[-2000:], done.stderr[-2000:])


def drive_mix(base: str, out, index: int) -> None:
    """One address's share of the mix: real clients, each doing what its users do."""
    # GDAL over OGC API - Features, and over WFS 2.0.
    run("ogr2ogr", "-f", "GeoJSON", str(out / f"oapif-{index}.geojson"), f"OAPIF:{base}/", "countries")
    run("ogr2ogr", "-f", "GeoJSON", str(out / f"wfs-{index}.geojson"), f"WFS:{base}/wfs?VERSION=2.0.0",
        "coal_mines", "-limit", "20")
    # OWSLib: a WMS map and a WFS page.
    from owslib.wfs import WebFeatureService
    from owslib.wms import WebMapService
    wms = WebMapService(f"{base}/wms", version="1.3.0", timeout=60)
    image = wms.getmap(layers=["countries"], styles=[""], srs="CRS:84", bbox=(90, -15, 150, 30), size=(64, 48),
                       format="image/png")
    assert image.read()[:4] == b"\x89PNG"
    wfs = WebFeatureService(f"{base}/wfs", version="2.0.0", timeout=60)
    assert wfs.getfeature(typename=["countries"], maxfeatures=2).read()
    # curl for tiles: vector, map, and a layer that does not exist.
    for tile in ("/collections/coal_mines/tiles/WebMercatorQuad/0/0/0",
                 f"/collections/countries/map/tiles/WebMercatorQuad/1/0/{index % 2}",
                 "/collections/no_such_layer/tiles/WebMercatorQuad/0/0/0"):
        subprocess.run(["curl", "-s", "-o", os.devnull, "-H", "X-Forwarded-For: 8.8.8.8", base + tile],
                       check=True, timeout=60, env=client_env())


def test_usage_tables_equal_the_mix_real_clients_sent_through_nginx(usage_server, usage_store, nginx, http, tmp_path):
    folder, ports = nginx
    settle(http, usage_server.url)
    before = stored(usage_store)
    since = time.time()
    for index, (port, address) in enumerate(ports.items()):
        for _ in range(1 + index % 2):  # the addresses send the mix once or twice
            drive_mix(f"http://127.0.0.1:{port}", tmp_path, index)
    time.sleep(0.5)  # nginx writes its log line once the response has gone
    settle(http, usage_server.url)
    expected = tally((folder / "access.log").read_text(), ports, since)
    got = stored(usage_store)
    got.subtract(before)
    got = Counter({k: v for k, v in got.items() if v})
    assert got == expected
    # What the mix covers: every client reached its service, from every country.
    services = {(k[1], k[2]) for k in expected}
    assert {("features", "items"), ("wfs", "GetFeature"), ("wfs", "DescribeFeatureType"), ("wms", "GetMap"),
            ("wfs", "GetCapabilities"), ("tiles", "tile"), ("maps", "tile")} <= services
    assert {k[3] for k in expected} == set(ADDRESSES.values())
    assert ("unknown", "tiles", "tile") in {k[:3] for k in expected}
    # The client's own X-Forwarded-For (8.8.8.8) never counted: nginx overwrote it.
    assert all(k[3] in ADDRESSES.values() for k in got)
