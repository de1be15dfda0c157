"""The cost side (issue 18): a full queue drops events and counts them, never making a
request wait; raw events are kept only when [usage] raw_event_days > 0; the reports can be
for signed-in accounts only."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from usage_servers import start_server, usage_config
from store_support import add_users, rows
from support import http_session
from usage_support import settle


def test_a_full_queue_drops_and_counts_what_it_dropped(tmp_path_factory, usage_store, country_mmdb):
    config = usage_config(tmp_path_factory.mktemp("overflow"), country_mmdb, queue_size=2, raw_event_days=0)
    srv = start_server(tmp_path_factory, usage_store, config, "overflow")
    sent = 400
    try:
        with http_session() as probe:  # settled: the start-up probe is counted before, not after
            before = settle(probe, srv.url)

        def fetch(_):
            with http_session() as s:
                for _ in range(sent // 8):
                    assert s.get(srv.url + "/conformance", timeout=30).status_code == 200

        with ThreadPoolExecutor(8) as pool:  # more than two requests between two drains (100 ms)
            list(pool.map(fetch, range(8)))
        with http_session() as http:
            status = settle(http, srv.url)
    finally:
        assert srv.stop() == 0
    assert status["queueCapacity"] == 2
    assert status["dropped"] > 0
    # Every request is either counted or dropped: the load, the status request read before
    # it, and the status requests of settle() but its last.
    seen = status["accepted"] + status["dropped"] - before["accepted"] - before["dropped"]
    assert sent + 1 <= seen <= sent + status["polls"]
    assert status["rawEvents"] == 0


def test_raw_events_are_kept_when_configured(usage_server, usage_store, http):
    settle(http, usage_server.url)
    (count,) = rows(usage_store, "SELECT count(*) FROM amis_usage_events")[0]
    (requests,) = rows(usage_store, "SELECT sum(requests) FROM amis_usage_daily")[0]
    # Two servers share this store in the module (the privacy server keeps 30 days too).
    assert count > 0 and count <= requests


def test_members_only_reports(tmp_path_factory, usage_store, country_mmdb):
    config = usage_config(tmp_path_factory.mktemp("members"), country_mmdb, public=False)
    token = add_users(usage_store, {"usage_reviewer": ("reviewer", None)}, "a long usage password")["usage_reviewer"]
    srv = start_server(tmp_path_factory, usage_store, config, "members")
    try:
        with http_session() as http:
            for path in ("/usage", "/usage/daily", "/usage/hourly", "/usage/visitors"):
                r = http.get(srv.url + path, timeout=10)
                assert r.status_code == 401, (path, r.status_code)
                r = http.get(srv.url + path, headers={"Authorization": f"Bearer {token}"}, timeout=10)
                assert r.status_code == 200, (path, r.status_code, r.text[:200])
    finally:
        assert srv.stop() == 0
