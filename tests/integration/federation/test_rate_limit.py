"""Per-node rate limits (issue 16): a national node behind Debian's nginx, whose limit_req
refuses with 429 (and Retry-After: 1) any request that comes sooner than its rate allows.
nginx's access log, not AMIS, says when each request arrived and what it was answered.

- Four nodes registered on one such origin with a rate limit below nginx's (one request in
  2 s where nginx allows one in 0.5 s), harvested at
  once by the regional server's background workers: not one request is refused, because
  every request to the origin (whatever run sends it) waits for its slot.
- A node registered without a rate limit on an origin that allows one request in 10 s: its
  second request is refused, and AMIS asks again only after the second that Retry-After
  named; the run's report says the node asked to wait."""
from __future__ import annotations

import time

import pytest
import requests

from federation_support import ADMIN_TOKEN, build_national_store, build_regional_store, start
from nginx_support import nginx_config, running_nginx
from support import free_loopback_ports, http_session

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def limited_servers(upstream: int, limits: dict[int, str]) -> str:
    """A server per port in `limits`, each with its own limit_req rate ("2r/s", "6r/m")."""
    zones = "".join(f"  limit_req_zone $server_port zone=node{port}:1m rate={rate};\n"
                    for port, rate in limits.items())
    return zones + "".join(f"""
  server {{
    listen 127.0.0.1:{port};
    location / {{
      limit_req zone=node{port};
      limit_req_status 429;
      error_page 429 @busy;
      proxy_pass http://127.0.0.1:{upstream};
      proxy_set_header Host $http_host;
    }}
    location @busy {{
      add_header Retry-After 1 always;
      return 429 "busy\\n";
    }}
  }}""" for port in limits)


@pytest.fixture(scope="module")
def national(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("national-paced")
    server = start(build_national_store(work, 10), work / "logs", "national")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def limiter(national, tmp_path_factory):
    """nginx in front of the national node: a port at 2 requests a second, one at 6 a minute."""
    folder = tmp_path_factory.mktemp("nginx-limiter")
    fast, slow = free_loopback_ports(2)
    config = nginx_config(folder, '$server_port $msec $request_time $status "$request_uri"',
                          limited_servers(national.port, {fast: "2r/s", slow: "6r/m"}))
    with running_nginx(folder, config, [fast, slow]):
        yield folder, fast, slow


@pytest.fixture(scope="module")
def regional(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("regional-paced")
    config = work / "amis.toml"
    config.write_text(f'[admin]\ntoken = "{ADMIN_TOKEN}"\n\n[federation]\nharvest_concurrency = 4\n'
                      'timeout_seconds = 10\nretries = 1\nbackoff_seconds = 0.1\n')
    server = start(build_regional_store(work), work / "logs", "regional", config)
    yield server
    alive = server.alive()
    server.stop()
    assert alive, server.stderr()


def arrivals(folder, port: int) -> list[tuple[float, int, str]]:
    """(arrival time, status, request target) of each request nginx answered on `port`, in order."""
    out = []
    for line in (folder / "access.log").read_text().splitlines():
        server_port, msec, request_time, status, target = line.split(" ", 4)
        if int(server_port) == port:
            out.append((float(msec) - float(request_time), int(status), target.strip('"')))
    return sorted(out)


def add_node(regional, body: dict) -> dict:
    r = requests.post(f"{regional.url}/admin/nodes", json={"country": "IDN", "schedule": "off", **body},
                      headers=AUTH, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def wait_for_runs(regional, names: list[str], seconds: float = 60) -> dict[str, dict]:
    deadline = time.monotonic() + seconds
    done: dict[str, dict] = {}
    with http_session() as s:
        while len(done) < len(names):
            assert time.monotonic() < deadline, f"runs not finished: {set(names) - set(done)}"
            for name in names:
                if name not in done:
                    runs = s.get(f"{regional.url}/admin/nodes/{name}/runs", headers=AUTH, timeout=10).json()["runs"]
                    if runs:
                        done[name] = runs[0]
            time.sleep(0.2)
    return done


def test_harvests_of_nodes_on_one_origin_keep_to_its_rate_limit(national, limiter, regional):
    folder, fast, _ = limiter
    base = f"http://127.0.0.1:{fast}"
    nodes = {"paced-amis": ("amis", base + "/"), "paced-oapif": ("oapif", base + "/"),
             "paced-wms": ("wms", base + "/wms"), "paced-wfs": ("wfs", base + "/wfs")}
    for name, (kind, url) in nodes.items():
        shown = add_node(regional, {"name": name, "url": url, "kind": kind, "rateLimit": 0.5})
        assert shown["rateLimit"] == 0.5
    with http_session() as s:
        for name in nodes:  # queued together: the four runs go side by side (harvest_concurrency = 4)
            assert s.post(f"{regional.url}/admin/nodes/{name}/harvest", headers=AUTH, timeout=10).status_code == 202
    runs = wait_for_runs(regional, list(nodes))
    assert {name: run["status"] for name, run in runs.items()} == {name: "succeeded" for name in nodes}, runs
    assert all(run["added"] > 0 for run in runs.values()), runs
    asked = arrivals(folder, fast)
    assert len(asked) >= 5, asked
    # nginx refuses what comes sooner than 0.5 s after the previous request; AMIS spaces them
    # 2 s (the margin is for a loaded machine, where a paced request may leave late).
    assert [a for a in asked if a[1] == 429] == [], asked
    gaps = [b[0] - a[0] for a, b in zip(asked, asked[1:])]
    assert min(gaps) >= 1.0, (gaps, asked)


def test_a_node_without_a_rate_limit_is_asked_again_after_retry_after(national, limiter, regional):
    folder, _, slow = limiter
    add_node(regional, {"name": "unpaced", "url": f"http://127.0.0.1:{slow}/", "kind": "oapif"})
    r = requests.post(f"{regional.url}/admin/nodes/unpaced/harvest", headers=AUTH, timeout=10)
    assert r.status_code == 202
    run = wait_for_runs(regional, ["unpaced"])["unpaced"]
    asked = arrivals(folder, slow)
    # The landing page passes; the collections, asked at once, are refused (one request in 10 s),
    # asked again a second later as Retry-After says, refused again, and the run gives up.
    assert [status for _, status, _ in asked] == [200, 429, 429], asked
    assert asked[2][0] - asked[1][0] >= 0.9, asked
    assert run["status"] == "failed", run
    assert "429" in run["error"] and "asking to wait 1 s" in run["error"], run


def test_the_rate_limit_is_shown_and_taken_as_text(regional):
    shown = add_node(regional, {"name": "per-minute", "url": "http://192.0.2.1/csw", "kind": "csw",
                                "rateLimit": "30/min"})
    assert shown["rateLimit"] == 0.5
    listed = requests.get(f"{regional.url}/admin/nodes/per-minute", headers=AUTH, timeout=10).json()
    assert listed["rateLimit"] == 0.5
    unlimited = add_node(regional, {"name": "no-limit", "url": "http://192.0.2.1/csw", "kind": "csw"})
    assert unlimited["rateLimit"] is None


def test_an_administrator_changes_a_nodes_settings_and_its_records_stay(regional):
    runs_before = requests.get(f"{regional.url}/admin/nodes/paced-amis/runs", headers=AUTH, timeout=10).json()["runs"]
    assert runs_before, "the harvest test above ran first"
    url = f"{regional.url}/admin/nodes/paced-amis"
    r = requests.patch(url, json={"rateLimit": "120/min", "schedule": "1h"}, headers=AUTH, timeout=10)
    assert r.status_code == 200, r.text
    assert (r.json()["rateLimit"], r.json()["schedule"]) == (2, "1h")
    assert r.json()["nextRun"] not in (None, "as soon as possible")
    # A merge patch: null clears, what is absent stays.
    r = requests.patch(url, data='{"rateLimit": null}', timeout=10,
                       headers={**AUTH, "Content-Type": "application/merge-patch+json"})
    assert r.status_code == 200, r.text
    assert (r.json()["rateLimit"], r.json()["schedule"]) == (None, "1h")
    assert requests.get(url + "/runs", headers=AUTH, timeout=10).json()["runs"] == runs_before
    items = requests.get(f"{regional.url}/collections/catalog/items", params={"q": "nickel", "limit": 100},
                         timeout=10).json()
    assert any(f["id"].startswith("paced-amis:") for f in items["features"]), items


@pytest.mark.parametrize("body,status,word", [({"rateLimit": 0.001}, 400, "ratelimit"),
                                              ({"schedule": "5s"}, 400, "schedule"),
                                              ({"url": "http://192.0.2.9/"}, 400, "url"),
                                              ({"token": "two words"}, 400, "token")])
def test_bad_changes_are_refused_and_change_nothing(regional, body, status, word):
    url = f"{regional.url}/admin/nodes/per-minute"
    before = requests.get(url, headers=AUTH, timeout=10).json()
    r = requests.patch(url, json=body, headers=AUTH, timeout=10)
    assert r.status_code == status and word in r.text.lower(), r.text
    assert "two words" not in r.text
    assert requests.get(url, headers=AUTH, timeout=10).json() == before


def test_changes_need_an_administrator_a_json_body_and_a_node(regional):
    url = f"{regional.url}/admin/nodes/per-minute"
    assert requests.patch(url, json={"rateLimit": 1}, timeout=10).status_code == 401
    assert requests.patch(url, data="rateLimit=1", timeout=10,
                          headers={**AUTH, "Content-Type": "text/plain"}).status_code == 415
    assert requests.patch(f"{regional.url}/admin/nodes/nobody", json={"rateLimit": 1}, headers=AUTH,
                          timeout=10).status_code == 404


def test_node_set_on_the_command_line(tmp_path):
    from federation_support import node
    store = build_regional_store(tmp_path / "cli")
    done, _ = node(store, "add", "cli-node", "http://192.0.2.1/csw", "--kind", "csw", "--country", "LAO",
                   "--schedule", "off", "--token", "secret-token-1")
    assert done.returncode == 0, done.stderr
    done, shown = node(store, "set", "cli-node", "--rate", "30/min")
    assert done.returncode == 0, done.stderr
    assert (shown["rateLimit"], shown["schedule"], shown["hasToken"]) == (0.5, "off", True)
    done, shown = node(store, "set", "cli-node", "--token", "", "--schedule", "6h")
    assert (shown["rateLimit"], shown["schedule"], shown["hasToken"]) == (0.5, "6h", False)
    done, _ = node(store, "set", "cli-node", "--rate", "fast")
    assert done.returncode != 0 and "rate limit" in done.stderr
    _, shown = node(store, "show", "cli-node")
    assert shown["rateLimit"] == 0.5
