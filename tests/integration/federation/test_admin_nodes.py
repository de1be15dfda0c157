"""National nodes over the admin API (issue 16): administrators only, tokens never echoed or
logged, and a background harvest (scheduled, or queued with POST .../harvest) whose report
is read at .../runs while the server keeps serving."""
from __future__ import annotations

import time

import pytest
import requests

from federation_support import (ADMIN_TOKEN, NODE_TOKEN, build_national_store, build_regional_store,
                                regional_config, start)

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture(scope="module")
def national(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("national-admin")
    server = start(build_national_store(work, 10), work / "logs", "national")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def regional(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("regional-admin")
    server = start(build_regional_store(work), work / "logs", "regional", regional_config(work, concurrency=2))
    yield server
    alive = server.alive()
    server.stop()
    assert alive, server.stderr()


def wait_for_run(regional, name: str, runs_before: int = 0, seconds: float = 30) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        runs = requests.get(f"{regional.url}/admin/nodes/{name}/runs", headers=AUTH, timeout=10).json()["runs"]
        if len(runs) > runs_before:
            return runs[0]
        time.sleep(0.2)
    raise AssertionError(f"no run of {name} within {seconds} s")


def test_only_administrators_manage_nodes(regional):
    assert requests.get(f"{regional.url}/admin/nodes", timeout=10).status_code == 401
    body = {"name": "x1", "url": "http://example.org/csw", "kind": "csw", "country": "IDN"}
    assert requests.post(f"{regional.url}/admin/nodes", json=body, timeout=10).status_code == 401
    assert requests.post(f"{regional.url}/admin/nodes", json=body,
                         headers={"Authorization": "Bearer not-a-token"}, timeout=10).status_code == 401


@pytest.mark.parametrize("change,field", [({"url": "file:///etc/passwd"}, "url"),
                                          ({"url": "ftp://example.org/"}, "url"),
                                          ({"url": "http://user:pw@example.org/"}, "url"),
                                          ({"kind": "gopher"}, "kind"),
                                          ({"country": "FRA"}, "country"),
                                          ({"schedule": "5s"}, "schedule"),
                                          ({"name": "Bad Name"}, "name"),
                                          ({"token": "two words"}, "token"),
                                          ({"rateLimit": 5000}, "ratelimit"),
                                          ({"rateLimit": "fast"}, "ratelimit"),
                                          ({"rateLimit": -1}, "ratelimit"),
                                          ({"rateLimit": True}, "ratelimit"),
                                          ({"extra": 1}, "extra")])
def test_bad_nodes_are_refused_with_400(regional, change, field):
    body = {"name": "bad", "url": "http://example.org/csw", "kind": "csw", "country": "IDN", **change}
    r = requests.post(f"{regional.url}/admin/nodes", json=body, headers=AUTH, timeout=10)
    assert r.status_code == 400, r.text
    assert field in r.text.lower() and "two words" not in r.text


def test_a_node_queued_over_the_api_is_harvested_in_the_background(national, regional):
    body = {"name": "api-node", "url": national.url + "/csw", "kind": "csw", "country": "IDN",
            "schedule": "off", "token": NODE_TOKEN}
    r = requests.post(f"{regional.url}/admin/nodes", json=body, headers=AUTH, timeout=10)
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == "/admin/nodes/api-node"
    assert r.json()["hasToken"] is True and NODE_TOKEN not in r.text
    assert requests.post(f"{regional.url}/admin/nodes", json=body, headers=AUTH, timeout=10).status_code == 409
    listed = requests.get(f"{regional.url}/admin/nodes", headers=AUTH, timeout=10)
    assert [n["name"] for n in listed.json()["nodes"]] == ["api-node"] and NODE_TOKEN not in listed.text
    queued = requests.post(f"{regional.url}/admin/nodes/api-node/harvest", headers=AUTH, timeout=10)
    assert queued.status_code == 202 and queued.json()["queued"] is True
    run = wait_for_run(regional, "api-node")
    assert run["status"] == "succeeded" and run["added"] == 12, run  # 10 ISO records, 2 collections
    shown = requests.get(f"{regional.url}/admin/nodes/api-node", headers=AUTH, timeout=10).json()
    assert shown["lastRun"]["id"] == run["id"] and shown["nextRun"] is None
    # The national node got the token (its access log shows no token, so ask the regional logs instead).
    assert NODE_TOKEN not in regional.stderr() + regional.access_log()
    # The run's report is stored just before the harvest lets go of the node: until then a
    # removal is refused with 409 (a harvest is running).
    deadline = time.monotonic() + 10
    while True:
        gone = requests.delete(f"{regional.url}/admin/nodes/api-node", headers=AUTH, timeout=10)
        if gone.status_code != 409 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert gone.status_code == 200 and gone.json()["withdrawn"] == 12, gone.text
    assert requests.get(f"{regional.url}/admin/nodes/api-node", headers=AUTH, timeout=10).status_code == 404


def test_a_scheduled_node_is_harvested_without_being_asked(national, regional):
    body = {"name": "scheduled", "url": national.url, "kind": "oapif", "country": "IDN", "schedule": "1h"}
    assert requests.post(f"{regional.url}/admin/nodes", json=body, headers=AUTH, timeout=10).status_code == 201
    run = wait_for_run(regional, "scheduled")
    assert run["status"] == "succeeded" and run["added"] == 2, run
    shown = requests.get(f"{regional.url}/admin/nodes/scheduled", headers=AUTH, timeout=10).json()
    assert shown["nextRun"] not in (None, "as soon as possible")
    time.sleep(3)  # the planner runs every 2 s: no second run within the hour
    runs = requests.get(f"{regional.url}/admin/nodes/scheduled/runs", headers=AUTH, timeout=10).json()["runs"]
    assert len(runs) == 1
