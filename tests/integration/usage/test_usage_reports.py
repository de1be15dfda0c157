"""The expert team's usage reports (issue 18): the per-member-state view (a state's datasets,
month by month and by requester country) and the monthly utilization report (JSON, CSV, a
printable page and a PDF). Their numbers are checked against plain SQL on the store's daily
table, the datasets against GDAL reading the demo's source files, the page against the CSV
(lxml) and the PDF against the CSV (Debian's pdftotext)."""
from __future__ import annotations

import csv
import datetime
import io
import re
import subprocess
from collections import Counter

import pytest
from lxml import html as lxml_html
from osgeo import ogr

from usage_servers import ALPHA3
from store_support import rows
from support import DEMO_SOURCES
from test_usage_counts import SENDERS, send_mix
from usage_support import settle


def this_month() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m")


def features_of(collection: str, iso3: str) -> int:
    """Features of the demo source with that country, read by GDAL (not AMIS)."""
    source = DEMO_SOURCES[collection]
    ds = ogr.Open(str(source.path))
    layer = ds.GetLayerByName(source.layer) if source.layer else ds.GetLayer(0)
    layer.SetAttributeFilter(f"iso3 = '{iso3}'")
    return layer.GetFeatureCount()


@pytest.fixture(scope="module")
def mixed(usage_server, http):
    """The known mix from the four senders, once per module."""
    for address, _country, times in SENDERS:
        send_mix(http, usage_server.url, address, times)
    settle(http, usage_server.url)
    return usage_server.url


def test_member_state_view_lists_its_datasets_and_their_use_by_month_and_country(mixed, usage_store, http):
    url = mixed
    doc = http.get(f"{url}/usage/member-states/THA").json()
    expected_datasets = {c: features_of(c, "THA") for c in ("countries", "coal_mines")}
    assert {d["collection"]: d["features"] for d in doc["datasets"]} == {c: n for c, n in expected_datasets.items() if n}
    assert all(d["relation"] == "features" for d in doc["datasets"])
    month = this_month()
    assert doc["to"] == month and doc["memberState"] == "THA" and doc["name"] == "Thailand"
    names = tuple(expected_datasets)
    sql = rows(usage_store,
               "SELECT substr(period, 1, 7), collection, country, sum(requests), sum(bytes), sum(features) "
               "FROM amis_usage_daily WHERE collection IN (?, ?) AND period >= ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
               *names, doc["from"] + "-01")
    as_sql = [(r[0], r[1], r[2], int(r[3]), int(r[4]), int(r[5])) for r in sql]
    as_api = [(r["month"], r["collection"], r["country"], r["requests"], r["bytes"], r["features"]) for r in doc["rows"]]
    assert as_api == as_sql
    # From where: the mix's senders (by their addresses' countries) asked for THA's datasets.
    countries = {r["country"] for r in doc["rows"] if r["month"] == month}
    assert {ALPHA3["SG"], ALPHA3["TH"], ALPHA3["JP"], "unknown"} <= countries
    text = http.get(f"{url}/usage/member-states/THA", params={"f": "csv"}).text
    as_csv = [(r["month"], r["collection"], r["country"], int(r["requests"]), int(r["bytes"]), int(r["features"]))
              for r in csv.DictReader(io.StringIO(text))]
    assert as_csv == as_api
    assert doc["total"]["requests"] == sum(r["requests"] for r in doc["rows"])


@pytest.mark.parametrize("path, params, status", [
    ("/usage/member-states/XYZ", {}, 404), ("/usage/member-states/CHN", {}, 404),
    ("/usage/member-states/THA", {"from": "2026-13"}, 400), ("/usage/member-states/THA", {"to": "last"}, 400),
    ("/usage/member-states/THA", {"from": "2026-12", "to": "2026-01"}, 400),
    ("/usage/member-states/THA", {"f": "pdf"}, 400), ("/usage/monthly/2026-1", {}, 400),
    ("/usage/monthly/december", {}, 400), ("/usage/monthly/2026-12", {"f": "docx"}, 400)])
def test_bad_report_requests_are_4xx_in_ogc_form(usage_server, http, path, params, status):
    r = http.get(usage_server.url + path, params=params, timeout=10)
    assert r.status_code == status, r.text
    assert "code" in r.json()


def monthly_csv(http, url, month) -> list[dict]:
    r = http.get(f"{url}/usage/monthly/{month}", params={"f": "csv"}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.text)))


def test_monthly_report_sums_equal_the_daily_table(mixed, usage_store, http):
    url, month = mixed, this_month()
    table = monthly_csv(http, url, month)
    by = lambda name: {r["key"]: (int(r["requests"]), int(r["bytes"]), int(r["features"]))
                       for r in table if r["table"] == name}
    where = "period >= ? AND period <= ? AND service <> 'usage'"
    bounds = (month + "-01", month + "-31")

    def sql(group: str, extra: str = "") -> dict:
        got = rows(usage_store, f"SELECT {group}, sum(requests), sum(bytes), sum(features) FROM amis_usage_daily "
                                f"WHERE {where} {extra} GROUP BY {group}", *bounds)
        return {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in got}

    assert by("datasets") == sql("collection", "AND collection <> ''")
    assert by("countries") == sql("country")
    assert by("services") == sql("service")
    assert by("mapViews") == sql("collection", "AND collection <> '' AND ((service = 'wms' AND operation = 'GetMap') "
                                               "OR (service = 'wmts' AND operation = 'GetTile') "
                                               "OR (service IN ('maps', 'tiles') AND operation = 'tile'))")
    assert by("downloads") == sql("collection", "AND collection <> '' AND format IN "
                                                "('csv', 'kml', 'gpkg', 'shapezip', 'flatgeobuf', 'geotiff')")
    total = rows(usage_store, f"SELECT sum(requests), sum(bytes), sum(features) FROM amis_usage_daily WHERE {where}",
                 *bounds)[0]
    assert by("totals") == {"all": tuple(int(v) for v in total)}
    states = by("memberStates")
    assert len(states) == 10 and states["THA"] == sql("country", "AND country = 'THA'")["THA"]
    assert states["MMR"] == sql("country", "AND country = 'MMR'").get("MMR", (0, 0, 0))
    # THA's datasets (countries, coal_mines: both hold Thai features) were used as much as those two together.
    both = rows(usage_store, f"SELECT sum(requests), sum(bytes), sum(features) FROM amis_usage_daily WHERE {where} "
                             "AND collection IN ('countries', 'coal_mines')", *bounds)[0]
    both = tuple(int(v) for v in both)
    assert by("memberStateDatasets")["THA"] == both
    # JSON holds the CSV's numbers.
    doc = http.get(f"{url}/usage/monthly/{month}").json()
    as_json = [(t, line["key"], line["requests"], line["bytes"], line["features"])
               for t, v in doc["tables"].items() for line in v["lines"]]
    as_csv = [(r["table"], r["key"], int(r["requests"]), int(r["bytes"]), int(r["features"])) for r in table]
    assert sorted(as_json) == sorted(as_csv)


def test_printable_page_and_pdf_show_the_csv_numbers(mixed, http, tmp_path):
    url, month = mixed, this_month()
    table = monthly_csv(http, url, month)
    lines = [(r["table"], r["key"], int(r["requests"]), int(r["bytes"]), int(r["features"])) for r in table]
    page = http.get(f"{url}/usage/monthly/{month}", params={"f": "html"}, timeout=30)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    tree = lxml_html.fromstring(page.content)
    shown = []
    for section in tree.xpath("//section[@data-table]"):
        for row in section.xpath(".//tr[@data-key]"):
            numbers = [int(td.text_content()) for td in row.xpath("./td")]
            shown.append((section.get("data-table"), row.get("data-key"), *numbers))
    assert shown == lines
    assert tree.xpath("//a[@href='?f=pdf']")
    pdf = http.get(f"{url}/usage/monthly/{month}", params={"f": "pdf"}, timeout=60)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    printed = [tuple(int(n) for n in m) for m in re.findall(r"(\d+) requests, (\d+) bytes, (\d+) features", text)]
    assert printed == [line[2:] for line in lines]
    assert "utilization report" in text and "Thailand (THA)" in text


def test_a_collection_the_caller_may_not_read_is_restricted_in_the_reports(tmp_path_factory, usage_store,
                                                                            country_mmdb):
    from usage_servers import start_server, usage_config
    config = usage_config(tmp_path_factory.mktemp("restricted-config"), country_mmdb)
    config.write_text(config.read_text() + '\n[access.collections.coal_mines]\nread = ["reviewer"]\n')
    srv = start_server(tmp_path_factory, usage_store, config, "restricted")
    try:
        from support import http_session
        with http_session() as http:
            for _ in range(2):
                http.get(f"{srv.url}/collections/countries/items", params={"limit": "1"}, timeout=30)
                http.get(f"{srv.url}/collections/coal_mines/items", params={"limit": "1"}, timeout=30)
            settle(http, srv.url)
            month = this_month()
            doc = http.get(f"{srv.url}/usage/monthly/{month}").json()
            datasets = {line["key"] for line in doc["tables"]["datasets"]["lines"]}
            assert "coal_mines" not in datasets and {"countries", "restricted"} <= datasets
            state = http.get(f"{srv.url}/usage/member-states/THA").json()
            assert [d["collection"] for d in state["datasets"]] == ["countries"]
            assert {r["collection"] for r in state["rows"]} == {"countries"}
            pdf = http.get(f"{srv.url}/usage/monthly/{month}", params={"f": "csv"}).text
            assert "coal_mines" not in pdf
    finally:
        assert srv.stop() == 0, srv.stderr()
