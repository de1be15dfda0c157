"""Retention and crash loss of the usage counts (issue 18). Raw events are kept [usage]
raw_event_days by the server's clock, injected here with [server] clock, while the hourly and
daily counts stay for ever; 0 keeps none. A server killed with SIGKILL loses at most the counts
of its last flush interval (flush_seconds, which may not exceed 50, plus the aggregator's last
tenth of a second and the write under way): at most the last minute."""
from __future__ import annotations

import threading
import time

import pytest

from usage_servers import start_server, usage_config
from store_support import rows
from support import AmisServer, http_session
from usage_support import settle

PROBE = "/collections/countries/items"


def clocked_config(folder, mmdb, clock: str, **usage):
    path = usage_config(folder, mmdb, **usage)
    path.write_text(path.read_text().replace("[server]\n", f'[server]\nclock = "{clock}"\n', 1))
    return path


def serve_at(tmp_path_factory, store, mmdb, clock: str, requests: int, **usage) -> None:
    """A server whose clock says `clock` answers `requests` probes, writes its counts and stops."""
    config = clocked_config(tmp_path_factory.mktemp("clock-config"), mmdb, clock, **usage)
    srv = start_server(tmp_path_factory, store, config, "clocked")
    try:
        with http_session() as http:
            for _ in range(requests):
                assert http.get(srv.url + PROBE, params={"limit": "1"}, timeout=30).status_code == 200
            settle(http, srv.url)
    finally:
        assert srv.stop() == 0, srv.stderr()


def events_by_day(store) -> dict[str, int]:
    return {r[0]: int(r[1]) for r in rows(store, "SELECT day, count(*) FROM amis_usage_events "
                                                 "WHERE day LIKE '2026-01-%' GROUP BY day")}


def probes_counted(store, day: str) -> int:
    got = rows(store, "SELECT sum(requests) FROM amis_usage_daily WHERE period = ? AND collection = 'countries' "
                      "AND operation = 'items'", day)
    return int(got[0][0] or 0)


def test_raw_events_are_forgotten_after_their_days_and_counts_stay(tmp_path_factory, usage_store, country_mmdb):
    store, mmdb = usage_store, country_mmdb
    serve_at(tmp_path_factory, store, mmdb, "2026-01-01T12:00:00Z", 5, raw_event_days=3)
    first = events_by_day(store)
    assert first.get("2026-01-01", 0) >= 5 and probes_counted(store, "2026-01-01") == 5
    # Two days on: within the three days, nothing is forgotten.
    serve_at(tmp_path_factory, store, mmdb, "2026-01-03T12:00:00Z", 2, raw_event_days=3)
    second = events_by_day(store)
    assert second["2026-01-01"] == first["2026-01-01"] and second["2026-01-03"] >= 2
    # Three days and a second after the first events: they go, the later ones stay.
    serve_at(tmp_path_factory, store, mmdb, "2026-01-04T12:00:01Z", 1, raw_event_days=3)
    third = events_by_day(store)
    assert "2026-01-01" not in third and third["2026-01-03"] == second["2026-01-03"] and third["2026-01-04"] >= 1
    # The counts are kept for ever.
    assert [probes_counted(store, d) for d in ("2026-01-01", "2026-01-03", "2026-01-04")] == [5, 2, 1]
    # raw_event_days = 0: no raw event is kept at all, and counts still grow.
    serve_at(tmp_path_factory, store, mmdb, "2026-01-05T12:00:00Z", 3, raw_event_days=0)
    assert events_by_day(store) == {} and probes_counted(store, "2026-01-05") == 3
    assert rows(store, "SELECT count(*) FROM amis_usage_hourly WHERE period LIKE '2026-01-05T12'")[0][0] > 0


def test_a_flush_interval_past_fifty_seconds_is_refused(tmp_path_factory, usage_store, country_mmdb):
    config = usage_config(tmp_path_factory.mktemp("slow-flush"), country_mmdb, flush_seconds=51)
    srv = AmisServer(usage_store, tmp_path_factory.mktemp("slow-flush-logs"), name="slow", config=config)
    with pytest.raises(RuntimeError) as refused:
        srv.start(attempts=1, wait_seconds=10)
    assert "flush_seconds is 1 to 50" in str(refused.value)


def test_a_killed_server_loses_at_most_its_last_flush_interval(tmp_path_factory, usage_store, country_mmdb):
    flush = 2
    config = usage_config(tmp_path_factory.mktemp("crash-config"), country_mmdb, flush_seconds=flush,
                          raw_event_days=0)
    srv = start_server(tmp_path_factory, usage_store, config, "crash")
    day = time.strftime("%Y-%m-%d", time.gmtime())
    with http_session() as http:
        settle(http, srv.url)
    before = probes_counted(usage_store, day)
    answered: list[float] = []  # when each probe's answer had arrived (time.monotonic)
    stop = threading.Event()

    def probe():
        with http_session() as http:
            while not stop.is_set():
                try:
                    r = http.get(srv.url + PROBE, params={"limit": "1"}, timeout=5)
                except Exception:
                    return  # the server is gone
                if r.status_code == 200:
                    answered.append(time.monotonic())

    workers = [threading.Thread(target=probe) for _ in range(2)]
    for w in workers:
        w.start()
    time.sleep(3 * flush + 0.7)
    killed_at = time.monotonic()
    srv.process.kill()  # SIGKILL: no last write
    srv.process.wait(10)
    stop.set()
    for w in workers:
        w.join(10)
    srv.stop()
    stored = probes_counted(usage_store, day) - before
    sent = len(answered)
    # What may be lost: the probes answered in the last flush interval, its last drain and the write.
    window = flush + 0.1 + 1.0
    recent = sum(1 for t in answered if t >= killed_at - window)
    assert sent > 50, "too few probes to measure"
    assert sent - recent <= stored <= sent, (sent, recent, stored)
    assert sent - stored <= recent
