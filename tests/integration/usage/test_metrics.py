"""Prometheus's /metrics (issue 18, "Operators"): Debian's promtool accepts the text,
Debian's Prometheus scrapes it, the counts equal the requests these tests sent, and
10,000 requests for made-up collection names leave the series count unchanged."""
from __future__ import annotations

import json
import re
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from usage_servers import start_server, usage_config
from support import free_loopback_port, http_session

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$')


def scrape(url: str) -> str:
    r = requests.get(url, timeout=30)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return r.text


def samples(text: str) -> dict[str, float]:
    """Every sample line as {'name{labels}': value}."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        assert m, line
        out[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return out


def requests_total(values: dict[str, float], service, operation, collection, status_class) -> float:
    key = (f'amis_http_requests_total{{service="{service}",operation="{operation}",'
           f'collection="{collection}",status_class="{status_class}"}}')
    return values.get(key, 0.0)


def counted(values: dict[str, float], service: str) -> float:
    """Requests of a service in the latency histogram (every status class)."""
    return values.get(f'amis_http_request_duration_seconds_count{{service="{service}"}}', 0.0)


def scrape_when(base: str, done, seconds: float = 10) -> str:
    """The metrics text once done(samples) holds, or the last one read after the deadline."""
    deadline = time.monotonic() + seconds
    while True:
        text = scrape(base + "/metrics")
        if done(samples(text)) or time.monotonic() > deadline:
            return text
        time.sleep(0.05)


@pytest.fixture(scope="module")
def metrics_server(tmp_path_factory, usage_store, country_mmdb):
    config = usage_config(tmp_path_factory.mktemp("metrics-config"), country_mmdb)
    srv = start_server(tmp_path_factory, usage_store, config, "metrics")
    yield srv
    alive = srv.alive()
    srv.stop()
    assert alive, srv.stderr()


def test_promtool_accepts_the_metrics_and_they_count_what_was_sent(metrics_server):
    base = metrics_server.url
    before = samples(scrape(base + "/metrics"))
    with http_session() as s:
        for _ in range(7):
            assert s.get(base + "/collections/coal_mines/items", params={"limit": 2}).status_code == 200
        for _ in range(3):
            assert s.get(base + "/wms", params={"SERVICE": "WMS", "REQUEST": "GetCapabilities"}).status_code == 200
        assert s.get(base + "/collections/coal_mines/items", params={"limit": "x"}).status_code == 400
    # A request is counted just after its answer is sent: wait until all eleven are in.
    text = scrape_when(base, lambda now: counted(now, "features") >= counted(before, "features") + 8
                       and counted(now, "wms") >= counted(before, "wms") + 3)
    check = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    after = samples(text)
    assert (requests_total(after, "features", "items", "coal_mines", "2xx")
            - requests_total(before, "features", "items", "coal_mines", "2xx")) == 7
    assert (requests_total(after, "features", "items", "coal_mines", "4xx")
            - requests_total(before, "features", "items", "coal_mines", "4xx")) == 1
    assert (requests_total(after, "wms", "GetCapabilities", "", "2xx")
            - requests_total(before, "wms", "GetCapabilities", "", "2xx")) == 3
    # The histogram's count is every request of the service; its buckets grow to it.
    features_count = after['amis_http_request_duration_seconds_count{service="features"}']
    assert features_count == after['amis_http_request_duration_seconds_bucket{service="features",le="+Inf"}']
    assert features_count >= 8
    buckets = [v for k, v in after.items() if k.startswith('amis_http_request_duration_seconds_bucket{service="features"')]
    assert buckets == sorted(buckets)
    build = [k for k in after if k.startswith("amis_build_info{")]
    assert len(build) == 1 and re.search(r'backend="(geopackage|postgis)"', build[0]) and after[build[0]] == 1
    assert after["process_resident_memory_bytes"] > 1 << 20
    assert after["amis_usage_queue_capacity"] > 0
    assert any(k.startswith("amis_store_up{") and v == 1 for k, v in after.items())


def test_made_up_collection_names_add_no_series(metrics_server):
    base = metrics_server.url

    def ask(names):
        with http_session() as s:
            for name in names:
                assert s.get(f"{base}/collections/{name}/items").status_code == 404

    zero = requests_total(samples(scrape(base + "/metrics")), "features", "items", "unknown", "4xx")
    ask([f"warm_{uuid.uuid4().hex}" for _ in range(5)])  # the "unknown" series exist now
    # A request is counted just after its answer is sent: wait until the five are in.
    deadline = time.monotonic() + 10
    while True:
        first = samples(scrape(base + "/metrics"))
        if requests_total(first, "features", "items", "unknown", "4xx") >= zero + 5 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    names = [f"x{uuid.uuid4().hex}" for _ in range(10_000)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(ask, [names[i::8] for i in range(8)]))
    before = requests_total(first, "features", "items", "unknown", "4xx")
    deadline = time.monotonic() + 10
    while True:
        text = scrape(base + "/metrics")
        second = samples(text)
        if requests_total(second, "features", "items", "unknown", "4xx") - before >= 10_000 or \
                time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert set(second) == set(first), sorted(set(second) ^ set(first))
    assert names[0] not in text and names[-1] not in text
    assert (requests_total(second, "features", "items", "unknown", "4xx")
            - requests_total(first, "features", "items", "unknown", "4xx")) == 10_000


def test_prometheus_scrapes_the_node(metrics_server, tmp_path):
    """Debian's Prometheus server scrapes /metrics and answers a query on what it read."""
    port = free_loopback_port()
    config = tmp_path / "prometheus.yml"
    target = metrics_server.url.removeprefix("http://")
    config.write_text(
        "global:\n  scrape_interval: 1s\n"
        "scrape_configs:\n  - job_name: amis\n    static_configs:\n"
        f"      - targets: ['{target}']\n")
    log = open(tmp_path / "prometheus.log", "wb")
    prom = subprocess.Popen(["prometheus", f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                             f"--web.listen-address=127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
    try:
        with http_session() as s:
            for _ in range(4):
                s.get(metrics_server.url + "/collections/countries/items", params={"limit": 1})
        query = 'sum(amis_http_requests_total{job="amis",collection="countries",status_class="2xx"})'
        deadline = time.monotonic() + 60
        answer = None
        while time.monotonic() < deadline:
            try:
                r = requests.get(f"http://127.0.0.1:{port}/api/v1/query", params={"query": query}, timeout=5)
                result = r.json()["data"]["result"] if r.status_code == 200 else []
                if result and float(result[0]["value"][1]) >= 4:
                    answer = result
                    break
            except (requests.RequestException, json.JSONDecodeError, KeyError):
                pass
            time.sleep(0.5)
        assert answer, (tmp_path / "prometheus.log").read_text()[-2000:]
        up = requests.get(f"http://127.0.0.1:{port}/api/v1/query", params={"query": 'up{job="amis"}'}, timeout=5).json()
        assert up["data"]["result"][0]["value"][1] == "1"
        direct = samples(scrape(metrics_server.url + "/metrics"))
        assert float(answer[0]["value"][1]) <= requests_total(direct, "features", "items", "countries", "2xx")
    finally:
        prom.terminate()
        prom.wait(timeout=30)
        log.close()


def test_metrics_on_their_own_port_and_only_for_allowed_addresses(tmp_path_factory, usage_store, country_mmdb):
    folder = tmp_path_factory.mktemp("metrics-port")
    own = free_loopback_port()
    config = usage_config(folder, country_mmdb)
    config.write_text(config.read_text() + f"\n[metrics]\nport = {own}\n")
    srv = start_server(tmp_path_factory, usage_store, config, "metrics-port")
    try:
        assert requests.get(srv.url + "/metrics", timeout=10).status_code == 404
        assert "amis_build_info" in scrape(f"http://127.0.0.1:{own}/metrics")
    finally:
        srv.stop()
    folder = tmp_path_factory.mktemp("metrics-allow")
    config = usage_config(folder, country_mmdb)
    config.write_text(config.read_text() + '\n[metrics]\nallow = ["192.0.2.7"]\n')
    srv = start_server(tmp_path_factory, usage_store, config, "metrics-allow")
    try:
        r = requests.get(srv.url + "/metrics", timeout=10)
        assert r.status_code == 403
        assert r.headers["Content-Type"].startswith("application/")
        assert "amis_" not in r.text
    finally:
        srv.stop()
