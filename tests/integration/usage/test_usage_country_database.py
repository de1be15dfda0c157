"""The real country database that scripts/setup-debian.sh fetches (the CC0
geo-whois-asn-country MaxMind DB): AMIS's country for an address equals what Debian's
python3-maxminddb reads from the same file. Skipped where setup has not fetched it."""
from __future__ import annotations

from pathlib import Path

import pytest

from usage_servers import start_server, usage_config
from support import http_session
from usage_support import settle, stored_counts

REAL_DB = Path("/usr/local/share/amis/geo-whois-asn-country.mmdb")
ISO_CODES = Path("/usr/share/iso-codes/json/iso_3166-1.json")


@pytest.mark.skipif(not REAL_DB.is_file(), reason="scripts/setup-debian.sh has not fetched the country database")
def test_countries_from_the_real_database(tmp_path_factory, usage_store):
    import json

    import maxminddb
    alpha3 = {c["alpha_2"]: c["alpha_3"] for c in json.loads(ISO_CODES.read_text())["3166-1"]}
    addresses = ["8.8.8.8", "1.1.1.1", "203.116.1.1", "202.134.0.1", "2001:4860:4860::8888"]
    with maxminddb.open_database(str(REAL_DB)) as reader:
        expected = {a: alpha3.get((reader.get(a) or {}).get("country_code"), "unknown") for a in addresses}
    config = usage_config(tmp_path_factory.mktemp("realdb"), REAL_DB)
    srv = start_server(tmp_path_factory, usage_store, config, "realdb")
    try:
        with http_session() as http:
            settle(http, srv.url)
            before = stored_counts(usage_store)
            for a in addresses:
                http.get(srv.url + "/functions", headers={"X-Forwarded-For": a}, timeout=30)
            settle(http, srv.url)
            after = stored_counts(usage_store)
    finally:
        assert srv.stop() == 0
    got = {k[3]: after[k] - before[k] for k in after if k[:3] == ("", "features", "functions") and after[k] != before[k]}
    want: dict[str, int] = {}
    for country in expected.values():
        want[country] = want.get(country, 0) + 1
    assert got == want
