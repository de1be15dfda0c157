"""No raw address and no User-Agent reaches disk (issue 18): after requests from test
addresses with a recognisable User-Agent, every file the server wrote (the store and its
WAL, the logs, the tile cache) and, on PostGIS, every row of every table is searched for
the addresses in text and binary form and for the User-Agent: none is found. X-Forwarded-For
counts only from a trusted proxy."""
from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from usage_servers import ALPHA3, start_server, usage_config
from support import http_session, on_postgis
from usage_support import settle, stored_counts

ADDRESSES = ["192.0.2.77", "198.51.100.177", "203.0.113.207", "2001:db8::7:77"]
USER_AGENT = "AmisPrivacyProbe/9.9 (secret-ua-5c1d7e)"


def needles() -> list[bytes]:
    out = [USER_AGENT.encode(), b"secret-ua-5c1d7e"]
    for a in ADDRESSES:
        ip = ipaddress.ip_address(a)
        out += [a.encode(), a.encode("utf-16-le"), ip.packed, ip.exploded.encode()]
    return out


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def postgis_rows_text(store) -> str:
    """Every row of every table of the store's database as text (psycopg2, not AMIS)."""
    import contextlib
    import pg_support
    with contextlib.closing(pg_support.connect_store(store, False)) as db:
        tables = db.execute("SELECT schemaname, tablename FROM pg_tables "
                            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')").fetchall()
        chunks = []
        for schema, table in tables:
            for (row,) in db.execute(f'SELECT t::text FROM "{schema}"."{table}" t').fetchall():
                chunks.append(row)
        return "\n".join(chunks)


def leaks(folders: list[Path]) -> list[tuple[str, bytes]]:
    found = []
    for folder in folders:
        for path in files_under(folder):
            data = path.read_bytes()
            found += [(str(path), n) for n in needles() if n in data]
    return found


def test_no_address_or_user_agent_reaches_a_file_or_table(tmp_path_factory, usage_store, country_mmdb):
    folder = tmp_path_factory.mktemp("privacy")
    config = usage_config(folder, country_mmdb, raw_event_days=30)
    srv = start_server(tmp_path_factory, usage_store, config, "privacy")
    folders = [srv.log_dir, Path(usage_store).parent]
    try:
        with http_session() as http:
            for a in ADDRESSES:
                for path in ("/collections/coal_mines/items?limit=2", "/collections/coal_mines/tiles/WebMercatorQuad/1/1/0",
                             "/wms?SERVICE=WMS&REQUEST=GetCapabilities", "/no/such/thing"):
                    http.get(srv.url + path, headers={"X-Forwarded-For": a, "User-Agent": USER_AGENT}, timeout=30)
            status = settle(http, srv.url)
            assert status["written"] >= 4 * len(ADDRESSES)
            assert leaks(folders) == []  # while it runs: the WAL, the log being written
            if on_postgis():
                text = postgis_rows_text(usage_store)
                assert USER_AGENT not in text and all(a not in text for a in ADDRESSES)
    finally:
        assert srv.stop() == 0
    assert leaks(folders) == []
    assert (srv.log_dir / "privacy.stdout.log").stat().st_size > 0  # the access log was searched


def test_forwarded_for_is_ignored_from_an_untrusted_peer(tmp_path_factory, usage_store, country_mmdb):
    config = usage_config(tmp_path_factory.mktemp("untrusted"), country_mmdb, trusted=("10.255.0.1",))
    srv = start_server(tmp_path_factory, usage_store, config, "untrusted")
    try:
        with http_session() as http:
            settle(http, srv.url)
            before = stored_counts(usage_store)
            for _ in range(3):
                r = http.get(srv.url + "/collections/countries", headers={"X-Forwarded-For": "192.0.2.10"}, timeout=30)
                assert r.status_code == 200
            settle(http, srv.url)
            after = stored_counts(usage_store)
    finally:
        assert srv.stop() == 0
    key_trusted = ("countries", "features", "collection", ALPHA3["SG"])
    key_direct = ("countries", "features", "collection", "unknown")  # 127.0.0.1 is in no database
    assert after[key_trusted] == before[key_trusted]
    assert after[key_direct] - before[key_direct] == 3


def test_a_chain_of_proxies_is_read_from_the_right(usage_server, usage_store):
    with http_session() as http:
        settle(http, usage_server.url)
        before = stored_counts(usage_store)
        # The client says it is 203.0.113.5; the trusted proxy (127.0.0.1) saw 198.51.100.9.
        http.get(usage_server.url + "/collections/countries",
                 headers={"X-Forwarded-For": "203.0.113.5, 198.51.100.9, 127.0.0.1"}, timeout=30)
        http.get(usage_server.url + "/collections/countries", headers={"X-Forwarded-For": "not an address"},
                 timeout=30)
        settle(http, usage_server.url)
    after = stored_counts(usage_store)
    assert after[("countries", "features", "collection", ALPHA3["TH"])] - \
        before[("countries", "features", "collection", ALPHA3["TH"])] == 1
    assert after[("countries", "features", "collection", "unknown")] - \
        before[("countries", "features", "collection", "unknown")] == 1
