"""Usage counts (issue 18) equal the requests a known mix made: per collection × service ×
operation × country, tallied by this test independently of the server, and read back both
from the store's tables (plain SQL) and from the usage API's JSON and CSV."""
from __future__ import annotations

import csv
import io
from collections import Counter

import pytest

from usage_servers import ALPHA3
from store_support import add_users
from usage_support import api_counts, difference, settle, stored_counts

WMS_MAP = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "STYLES": "", "CRS": "CRS:84",
           "BBOX": "90,-15,150,30", "WIDTH": "64", "HEIGHT": "64", "FORMAT": "image/png"}

# (path, parameters, the (collection, service, operation) this test expects to be counted)
MIX = [
    ("/", {}, ("", "features", "landing")),
    ("/collections", {}, ("", "features", "collections")),
    ("/collections/coal_mines", {}, ("coal_mines", "features", "collection")),
    ("/collections/coal_mines/items", {"limit": "3"}, ("coal_mines", "features", "items")),
    ("/collections/countries/items", {"limit": "1", "f": "json"}, ("countries", "features", "items")),
    ("/collections/no_such_layer/items", {}, ("unknown", "features", "items")),
    ("/collections/coal_mines/tiles/WebMercatorQuad/0/0/0", {}, ("coal_mines", "tiles", "tile")),
    ("/wfs", {"SERVICE": "WFS", "REQUEST": "GetCapabilities"}, ("", "wfs", "GetCapabilities")),
    ("/wfs", {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature", "TYPENAMES": "coal_mines",
              "COUNT": "2"}, ("coal_mines", "wfs", "GetFeature")),
    ("/wfs", {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature", "TYPENAMES": "nope_layer"},
     ("unknown", "wfs", "GetFeature")),
    ("/wfs", {"SERVICE": "WFS", "REQUEST": "MakeCoffee"}, ("", "wfs", "unknown")),
    ("/wms", {**WMS_MAP, "LAYERS": "countries"}, ("countries", "wms", "GetMap")),
    ("/wms", {**WMS_MAP, "LAYERS": "imaginary"}, ("unknown", "wms", "GetMap")),
    ("/no/such/resource", {}, ("", "unknown", "unknown")),
]

# Requesters behind the proxy (X-Forwarded-For) and how often each sends the whole mix.
SENDERS = [("192.0.2.10", ALPHA3["SG"], 1), ("198.51.100.20", ALPHA3["TH"], 2),
           ("203.0.113.30", ALPHA3["JP"], 3), ("100.64.1.1", "unknown", 1)]


def send_mix(http, url, xff, times, headers=None) -> None:
    for _ in range(times):
        for path, params, _expected in MIX:
            r = http.get(url + path, params=params, timeout=30,
                         headers={"X-Forwarded-For": xff, "User-Agent": "usage-test/1.0", **(headers or {})})
            assert r.status_code < 500, (path, r.status_code, r.text[:200])


def tally(country: str, times: int) -> Counter:
    return Counter({(*expected[:1], *expected[1:], country): times for _p, _q, expected in MIX})


def test_counts_equal_the_mix_per_dataset_service_operation_country(usage_server, usage_store, http):
    url = usage_server.url
    settle(http, url)
    before_store, before_api = stored_counts(usage_store), api_counts(http, url)
    expected = Counter()
    for address, country, times in SENDERS:
        send_mix(http, url, address, times)
        expected.update(tally(country, times))
    status = settle(http, url)
    assert status["dropped"] == 0
    assert difference(stored_counts(usage_store), before_store) == expected
    assert difference(api_counts(http, url), before_api) == expected


def test_a_signed_in_member_state_counts_for_its_country_not_its_address(usage_server, usage_store, http):
    url = usage_server.url
    token = add_users(usage_store, {"usage_editor": ("editor", "MMR")}, "a long usage password")["usage_editor"]
    settle(http, url)
    before = stored_counts(usage_store)
    send_mix(http, url, "192.0.2.10", 1, headers={"Authorization": f"Bearer {token}"})
    settle(http, url)
    expected = tally("MMR", 1)
    # A path no route serves is answered before anyone is authenticated: counted by address.
    del expected[("", "unknown", "unknown", "MMR")]
    expected[("", "unknown", "unknown", ALPHA3["SG"])] = 1
    assert difference(stored_counts(usage_store), before) == expected


def test_csv_holds_the_numbers_of_the_json(usage_server, http):
    url = usage_server.url
    settle(http, url)
    params = {"group": "day,collection,service,operation,country,client,status,format"}
    doc = http.get(f"{url}/usage/daily", params=params, timeout=10).json()
    text = http.get(f"{url}/usage/daily", params={**params, "f": "csv"}, timeout=10)
    assert text.headers["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(text.text)))
    names = doc["groupBy"]
    as_json = sorted((tuple(r[n] for n in names), r["requests"], r["bytes"]) for r in doc["rows"])
    as_csv = sorted((tuple(r[n] for n in names), int(r["requests"]), int(r["bytes"])) for r in table)
    # The CSV request came later: its own rows (service usage) may differ; the rest is equal.
    assert [r for r in as_json if r[0][2] != "usage"] == [r for r in as_csv if r[0][2] != "usage"]
    assert sum(r["requests"] for r in doc["rows"]) == doc["total"]["requests"]
    hourly = http.get(f"{url}/usage/hourly", params={"group": "collection,service"}, timeout=10).json()
    daily = http.get(f"{url}/usage/daily", params={"group": "collection,service"}, timeout=10).json()
    strip = lambda d: {(r["collection"], r["service"]): r["requests"] for r in d["rows"] if r["service"] != "usage"}
    assert strip(hourly) == strip(daily)


def test_unknown_names_are_never_stored(usage_server, usage_store, http):
    from store_support import rows
    settle(http, usage_server.url)
    for table in ("amis_usage_daily", "amis_usage_hourly", "amis_usage_events"):
        names = {r[0] for r in rows(usage_store, f"SELECT DISTINCT collection FROM {table}")}
        assert names <= {"", "unknown", "coal_mines", "countries"}, (table, names)
        assert {r[0] for r in rows(usage_store, f"SELECT DISTINCT client_class FROM {table}")} <= \
            {"browser", "gis", "script", "crawler", "other"}


def test_visitors_are_counted_once_per_day(usage_server, http):
    url = usage_server.url
    settle(http, url)
    doc = http.get(f"{url}/usage/visitors", timeout=10).json()
    whole = sum(r["visitors"] for r in doc["rows"] if r["collection"] == "")
    # The four senders, the signed-in editor's address (the same as a sender's, another
    # digest only if its User-Agent differs: it does not), and the server's own probes.
    assert whole >= 4
    per_layer = {r["collection"]: r["visitors"] for r in doc["rows"] if r["collection"]}
    assert set(per_layer) <= {"coal_mines", "countries"}
    assert all(n <= whole for n in per_layer.values())


@pytest.mark.parametrize("params", [{"from": "yesterday"}, {"group": "colour"}, {"f": "xml"},
                                    {"group": "day,day"}, {"from": "2026-02-02", "to": "2026-01-01"}])
def test_bad_report_parameters_are_400(usage_server, http, params):
    r = http.get(f"{usage_server.url}/usage/daily", params=params, timeout=10)
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "InvalidParameterValue"
