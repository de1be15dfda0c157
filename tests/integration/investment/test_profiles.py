"""Country investment profiles (issue 20) on a store and server of their own, on either
backend (--store-backend postgis): empty profiles that say so; an Indonesian editor's edit
of two fields invisible until a reviewer approves it, then shown in JSON, HTML and PDF
with its citation and as-of date; another member state's editor refused; comparisons in
the field list's order; stale flags with the clock set 13 months later ([server] clock);
live summaries equal to SQLite's group-by on the demo files; the country's downloads;
bad input answered 4xx in the API's error format, never 500.

Users: an administrator, a reviewer, editors for Indonesia and the Philippines.
"""
from __future__ import annotations

import contextlib
import html as htmlmod
import json
import re
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
from osgeo import ogr

import investment_support as inv
from support import AmisServer, amis_import, connect_store, http_session, on_postgis, store_tables
from store_support import add_users, error

PASSWORD = "correct horse battery staple"
ADMIN, REVIEWER, IDN, PHL = "secretariat", "expert", "idn-editor", "phl-editor"
USERS = {ADMIN: ("admin", None), REVIEWER: ("reviewer", None), IDN: ("editor", "IDN"), PHL: ("editor", "PHL")}
CONFIG = '[server]\nlog_level = "info"\n\n[editing]\ncountry_property = "iso3"\n'
EDIT = {"fields": {
    "mining_law_year": {"value": 2009, "source": "Test citation: Law No. 4 of 2009 (as entered by the test)",
                        "asOf": "2024-06-30"},
    "royalty_rates": {"value": "Test value: royalty text entered by the test editor",
                      "source": "Test citation: a regulation named by the test", "asOf": "2024-07-01"}}}


class Env:
    def __init__(self, server: AmisServer, store: Path, work: Path, tokens: dict[str, str]):
        self.server, self.store, self.work, self.tokens = server, store, work, tokens
        self.s = http_session()

    def call(self, method: str, path: str, user: str | None = None, body: Any = None,
             params: dict | None = None, headers: dict | None = None, server: AmisServer | None = None
             ) -> requests.Response:
        h = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        if body is not None:
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        data = None if body is None else json.dumps(body)
        return self.s.request(method, (server or self.server).url + path, data=data, headers=h, params=params,
                              timeout=120)

    def get(self, path: str, server: AmisServer | None = None, **params) -> dict:
        r = self.call("GET", path, params=params or None, server=server)
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    work = tmp_path_factory.mktemp("investment")
    store = work / "store.gpkg"
    for collection, (path, layer) in inv.SOURCES.items():
        amis_import(store, path, collection, "--layer", layer)
    tokens = add_users(store, USERS, PASSWORD)
    config = work / "amis.toml"
    config.write_text(CONFIG)
    srv = AmisServer(store, work, name="investment", config=config)
    srv.start()
    yield Env(srv, store, work, tokens)
    alive = srv.alive()
    srv.stop()
    assert alive, srv.stderr()


def fields_of(doc: dict) -> dict[str, dict]:
    return {f["key"]: f for g in doc["groups"] for f in g["fields"]}


def test_profiles_start_empty_and_say_so(env):
    doc = env.get("/countries")
    assert [c["iso3"] for c in doc["countries"]] == inv.ASEAN
    assert all(c["filled"] == 0 and c["fieldCount"] >= 30 and c["review"]["stale"] for c in doc["countries"])
    idn = env.get("/countries/IDN")
    fields = fields_of(idn)
    assert list(fields) == inv.field_keys()
    assert all(f["status"] == "empty" and f["value"] is None and f["source"] is None and "No citable public source"
               in f["note"] for f in fields.values())
    page = env.call("GET", "/countries/IDN", params={"f": "html"})
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert page.text.count("No citable public source has been entered") == len(fields)


def test_landing_page_links_the_profiles(env):
    landing = env.get("/")
    assert any(l["href"].endswith("/countries") for l in landing["links"])
    page = env.call("GET", "/", headers={"Accept": "text/html"})
    assert "/countries?f=html" in page.text
    assert env.call("GET", "/countries/IDN", headers={"Accept": "text/html"}).headers["Content-Type"].startswith("text/html")


def test_another_member_states_editor_is_refused(env):
    error(env.call("PATCH", "/countries/IDN", PHL, EDIT), 403)
    # The refused first edit created nothing: no collection in the API, no table in the store.
    assert env.call("GET", "/collections/country_profiles").status_code == 404
    assert "country_profiles" not in store_tables(env.store)
    error(env.call("PATCH", "/countries/PHL", PHL, {"fields": {"nope": {"value": "x", "source": "s",
                                                                        "asOf": "2024-01-01"}}}), 400)
    assert "country_profiles" not in store_tables(env.store)
    # Nor through OGC API - Features Part 4 on the collection (the same one check).
    assert env.call("PATCH", "/countries/PHL", PHL, {"fields": {"mining_law": {
        "value": "x", "source": "s", "asOf": "2024-01-01"}}}).status_code == 202  # creates the collection
    fid = next(i for i in env.get("/collections/country_profiles/items", limit=20)["features"]
               if i["properties"]["iso3"] == "IDN")["id"]
    body = {"type": "Feature", "geometry": None, "properties": {"iso3": "IDN", "fields": "{}"}}
    error(env.call("PUT", f"/collections/country_profiles/items/{fid}", PHL, body,
                   headers={"Content-Type": "application/geo+json"}), 403)


def test_an_edit_is_public_only_once_approved(env):
    r = env.call("PATCH", "/countries/IDN", IDN, EDIT)
    assert r.status_code == 202, r.text
    cs = r.json()["changeSet"]["id"]
    # Nothing changed for the public, in JSON or HTML.
    fields = fields_of(env.get("/countries/IDN"))
    assert fields["mining_law_year"]["value"] is None and fields["royalty_rates"]["value"] is None
    assert "Test value: royalty text" not in env.call("GET", "/countries/IDN", params={"f": "html"}).text
    # The editor may not approve their own.
    error(env.call("POST", f"/changesets/{cs}/approve", IDN, {"comment": "mine"}), 403)
    r = env.call("POST", f"/changesets/{cs}/approve", REVIEWER, {"comment": "checked against the gazette"})
    assert r.status_code == 200, r.text
    doc = env.get("/countries/IDN")
    fields = fields_of(doc)
    for key, entry in EDIT["fields"].items():
        assert fields[key]["value"] == entry["value"]
        assert fields[key]["source"] == entry["source"]
        assert fields[key]["asOf"] == entry["asOf"]
        assert fields[key]["status"] == "filled"
    assert doc["filled"] == 2 and doc["review"]["stale"] is False and doc["review"]["lastReviewed"]
    page = env.call("GET", "/countries/IDN", params={"f": "html"}).text
    for entry in EDIT["fields"].values():
        assert htmlmod.escape(str(entry["value"])) in page and htmlmod.escape(entry["source"]) in page
        assert entry["asOf"] in page
    assert 'data-stale="false"' in page
    # History: the empty version and the approved one.
    history = next(l["href"] for l in doc["links"] if l["rel"] == "version-history")
    versions = env.s.get(history, timeout=30).json()["features"]
    assert [v["version"]["operation"] for v in versions][-1] == "replace"
    assert versions[-1]["version"]["changeSet"] == cs and versions[-1]["version"]["author"] == IDN
    assert versions[-1]["version"]["time"] == doc["review"]["lastReviewed"]


def test_a_comparison_has_the_same_fields_in_the_same_order(env):
    doc = env.get("/countries/compare", countries="IDN,PHL,VNM")
    assert [c["iso3"] for c in doc["countries"]] == ["IDN", "PHL", "VNM"]
    assert [f["key"] for f in doc["fields"]] == inv.field_keys()
    for f in doc["fields"]:
        assert [v["iso3"] for v in f["values"]] == ["IDN", "PHL", "VNM"]
    row = next(f for f in doc["fields"] if f["key"] == "mining_law_year")
    assert row["values"][0]["value"] == 2009 and row["values"][2]["value"] is None
    page = env.call("GET", "/countries/compare", params={"countries": "VNM,IDN", "f": "html"}).text
    assert re.findall(r'<th data-country="([A-Z]{3})"', page) == ["VNM", "IDN"]
    assert re.findall(r'<tr data-field="([a-z0-9_]+)"', page) == inv.field_keys()


def test_the_pdf_holds_every_filled_field_and_the_date(env):
    doc = env.get("/countries/IDN")
    r = env.call("GET", "/countries/IDN", params={"f": "pdf"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-")
    pdf = env.work / "idn.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    for f in fields_of(doc).values():
        if f["status"] == "filled":
            assert f["display"] in flat, f["key"]
            assert f["source"] in flat, f["key"]
            assert f["asOf"] in flat, f["key"]
    assert doc["asOf"][:10] in flat
    printable = env.call("GET", "/countries/IDN/print")
    assert printable.status_code == 200, printable.text[:300]
    # Stamped when it was made: the JSON's time or a moment later (the clock may pass a second).
    stamp = re.search(r"Generated (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)", printable.text)
    assert stamp, printable.text[-500:]
    made = datetime.fromisoformat(stamp.group(1).replace("Z", "+00:00"))
    asked = datetime.fromisoformat(doc["asOf"].replace("Z", "+00:00"))
    assert timedelta(0) <= made - asked <= timedelta(seconds=60), (stamp.group(1), doc["asOf"])


def test_summaries_equal_sqlite_on_the_demo_files(env):
    for iso3 in ("IDN", "PHL", "VNM"):
        doc = env.get(f"/countries/{iso3}")
        assert {s["collection"] for s in doc["summaries"]} == set(inv.SOURCES) | {"mining_licences"}
        for s in doc["summaries"]:
            if s["collection"] == "mining_licences":
                # No licence data exists in the demo, and the summary says so rather than showing zeros.
                assert s["available"] is False and s["reason"].startswith("No licence data published"), s
                continue
            assert s["available"], s
            where = {"measure": "production"} if s["collection"] == "mineral_production" else None
            expected = inv.independent_groups(s["collection"], s["groupBy"], s["sums"], iso3, where)
            served = [tuple(g["keys"]) + (g["count"],) + tuple(g["sums"]) for g in s["groups"]]
            assert len(served) == len(expected), (iso3, s["id"])
            for a, b in zip(served, expected):
                assert a[:len(s["groupBy"]) + 1] == b[:len(s["groupBy"]) + 1], (iso3, s["id"], a, b)
                for x, y in zip(a[len(s["groupBy"]) + 1:], b[len(s["groupBy"]) + 1:]):
                    assert (x is None and y is None) or x == pytest.approx(y), (iso3, s["id"], a, b)
            if s["kind"] == "series":
                for series in s["series"]:
                    for x, y in series["points"]:
                        match = [g for g in s["groups"] if g["keys"][:-1] == series["keys"]
                                 and g["keys"][-1] is not None and float(g["keys"][-1]) == x]
                        assert len(match) == 1 and match[0]["sums"][0] == y
        datasets = {d["id"]: d["features"] for d in doc["datasets"]}
        for collection in inv.SOURCES:
            n = inv.count_features(collection, iso3)
            assert datasets.get(collection, 0) == n, (iso3, collection)


def test_the_countrys_data_downloads_as_geopackage_and_csv(env):
    doc = env.get("/countries/IDN")
    d = next(d for d in doc["datasets"] if d["id"] == "iron_ore_mines")
    gpkg = next(l["href"] for l in d["links"] if l["type"] == "application/geopackage+sqlite3")
    csv = next(l["href"] for l in d["links"] if l["type"] == "text/csv")
    r = env.s.get(gpkg, timeout=120)
    assert r.status_code == 200, r.text[:300]
    path = env.work / "idn_iron.gpkg"
    path.write_bytes(r.content)
    ds = ogr.Open(str(path))
    layer = ds.GetLayer(0)
    assert layer.GetFeatureCount() == inv.count_features("iron_ore_mines", "IDN")
    assert {f.GetField("iso3") for f in layer} == {"IDN"}
    r = env.s.get(csv, timeout=120)
    assert r.status_code == 200
    assert len(r.text.strip().splitlines()) - 1 == inv.count_features("iron_ore_mines", "IDN")


@pytest.mark.parametrize("method,path,user,body,params,status", [
    ("GET", "/countries/XYZ", None, None, None, 404),
    ("GET", "/countries/CHN", None, None, None, 404),
    ("GET", "/countries/idn", None, None, None, 400),
    ("GET", "/countries/IDNX", None, None, None, 400),
    ("GET", "/countries/IDN", None, None, {"f": "xml"}, 406),
    ("GET", "/countries/IDN", None, None, {"bogus": "1"}, 400),
    ("GET", "/countries/compare", None, None, None, 400),
    ("GET", "/countries/compare", None, None, {"countries": "IDN"}, 400),
    ("GET", "/countries/compare", None, None, {"countries": "IDN,IDN"}, 400),
    ("GET", "/countries/compare", None, None, {"countries": "IDN,PHL,"}, 400),
    ("GET", "/countries/compare", None, None, {"countries": "IDN,XYZ"}, 404),
    ("GET", "/countries/compare", None, None, {"countries": ",".join(inv.ASEAN + ["IDN"])}, 400),
    ("GET", "/countries/compare", None, None, {"countries": "A" * 5000}, 400),
    ("PATCH", "/countries/IDN", None, EDIT, None, 401),
    ("PATCH", "/countries/IDN", IDN, {"fields": {"nope": {"value": "x", "source": "s", "asOf": "2024-01-01"}}}, None, 400),
    ("PATCH", "/countries/IDN", IDN, {"fields": {"mining_law_year": {"value": "2009", "source": "s", "asOf": "2024-01-01"}}}, None, 400),
    ("PATCH", "/countries/IDN", IDN, {"fields": {"mining_law": {"value": "x", "asOf": "2024-01-01"}}}, None, 400),
    ("PATCH", "/countries/IDN", IDN, {"fields": {"mining_law": {"value": "x", "source": "s", "asOf": "2024-13-01"}}}, None, 400),
    ("PATCH", "/countries/IDN", IDN, {"fields": {"authority_website": {"value": "ftp://x", "source": "s", "asOf": "2024-01-01"}}}, None, 400),
    ("PATCH", "/countries/IDN", IDN, {"fields": {}}, None, 400),
    ("PATCH", "/countries/IDN", IDN, [1, 2], None, 400),
    ("PATCH", "/countries/XYZ", IDN, EDIT, None, 404),
])
def test_bad_input_is_a_4xx_in_the_apis_error_format(env, method, path, user, body, params, status):
    error(env.call(method, path, user, body, params=params), status)


def test_a_body_that_is_not_json_is_415(env):
    r = env.call("PATCH", "/countries/IDN", IDN, headers={"Content-Type": "text/plain"})
    error(r, 415)


def _clock_server(env, name: str, when: datetime) -> AmisServer:
    config = env.work / f"{name}.toml"
    config.write_text(CONFIG.replace('[server]\n', f'[server]\nclock = "{when.strftime("%Y-%m-%dT%H:%M:%SZ")}"\n'))
    srv = AmisServer(env.store, env.work, name=name, config=config)
    srv.start()
    return srv


def test_stale_flags_with_the_clock_13_months_later(env):
    reviewed = env.get("/countries/IDN")["review"]["lastReviewed"]
    assert reviewed
    at = datetime.strptime(reviewed[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    for months, stale in ((11, False), (13, True)):
        srv = _clock_server(env, f"clock{months}", at + timedelta(days=round(months * 30.44)))
        try:
            doc = env.get("/countries/IDN", server=srv)
            assert doc["review"]["stale"] is stale, (months, doc["review"])
            assert doc["asOf"].startswith((at + timedelta(days=round(months * 30.44))).strftime("%Y-%m-%d"))
            page = env.call("GET", "/countries/IDN", params={"f": "html"}, server=srv).text
            assert f'data-stale="{"true" if stale else "false"}"' in page
            listing = env.get("/countries", server=srv)
            idn = next(c for c in listing["countries"] if c["iso3"] == "IDN")
            assert idn["review"]["stale"] is stale
            compare = env.get("/countries/compare", server=srv, countries="IDN,PHL")
            assert compare["countries"][0]["review"]["stale"] is stale
            # The PDF says it too (its subtitle), and bears the clock's date.
            r = env.call("GET", "/countries/IDN", params={"f": "pdf"}, server=srv)
            pdf = env.work / f"idn-clock{months}.pdf"
            pdf.write_bytes(r.content)
            text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                                      check=True).stdout)
            assert ("Stale: not reviewed in the last 12 months" in text) is stale, text[:400]
            assert doc["asOf"][:10] in text
        finally:
            srv.stop()


def test_the_portals_charts_hold_the_apis_numbers(env):
    from support import REPO_ROOT
    from test_portal import CHROMIUM
    web = REPO_ROOT / "web"
    inv.require_country_page("the country page")
    artefacts = Path(__file__).parent.parent / "artefacts" / "investment"
    artefacts.mkdir(parents=True, exist_ok=True)
    doc = env.get("/countries/IDN")
    p = subprocess.run(["node", "e2e/country.mjs", env.server.url + "/portal/", "IDN", str(artefacts)], cwd=web,
                       capture_output=True, text=True, timeout=120, env={**__import__("os").environ,
                                                                          "CHROMIUM": str(CHROMIUM)})
    assert p.returncode == 0, p.stderr[-2000:]
    shown = json.loads(p.stdout.strip().splitlines()[-1])
    assert "failure" not in shown and shown["errors"] == [], shown
    assert shown["stale"] == str(doc["review"]["stale"]).lower()
    for s in doc["summaries"]:
        chart = shown["charts"][s["id"]]
        if not s["available"] or not s["groups"]:
            assert chart["values"] is None
            continue
        assert chart["canvas"] >= 1, s["id"]
        if s["kind"] == "series":
            assert chart["values"] == {r["name"]: r["points"] for r in s["series"]}, s["id"]
        else:
            counts: dict[str, int] = {}
            for g in s["groups"]:
                k = g["keys"][0] if g["keys"][0] is not None else "(none)"
                counts[k] = counts.get(k, 0) + g["count"]
            assert chart["values"] == counts, s["id"]


def test_the_catalogues_records_of_the_country_are_listed(env):
    rid = "idn-geological-map-sumatra-profiles-test"
    record = {"id": rid, "type": "Feature", "conformsTo": [],
              "geometry": {"type": "Polygon", "coordinates": [[[95.0, -6.0], [106.0, -6.0], [106.0, 6.0],
                                                               [95.0, 6.0], [95.0, -6.0]]]},
              "properties": {"type": "map", "title": "Geological map of Sumatra (profiles test)",
                             "description": "Printed sheets, scanned.", "license": "CC-BY-4.0"},
              "links": [{"href": "https://example.org/maps/sumatra.pdf", "rel": "enclosure",
                         "type": "application/pdf", "title": "The sheets"}]}
    r = env.call("POST", "/collections/catalog/items", IDN, record, headers={"Content-Type": "application/geo+json"})
    assert r.status_code == 202, r.text
    cs = r.json()["changeSet"]["id"] if "changeSet" in r.json() else int(r.headers["Location"].rsplit("/", 1)[-1])
    assert rid not in [x["id"] for x in env.get("/countries/IDN")["catalogueRecords"]]
    assert env.call("POST", f"/changesets/{cs}/approve", REVIEWER, {"comment": "ok"}).status_code == 200
    listed = env.get("/countries/IDN")["catalogueRecords"]
    # The same as the catalogue's own search by country.
    search = env.get("/collections/catalog/items", filter="country = 'IDN'", limit=100)
    assert sorted(x["id"] for x in listed) == sorted(f["id"] for f in search["features"])
    assert rid in [x["id"] for x in listed]
    assert rid not in [x["id"] for x in env.get("/countries/PHL")["catalogueRecords"]]
    assert "Geological map of Sumatra (profiles test)" in env.call("GET", "/countries/IDN", params={"f": "html"}).text


def _profile_indexes(store: Path) -> list[str]:
    with contextlib.closing(connect_store(store)) as db:
        return [r[0] for r in db.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'amis_data' AND "
                                          "tablename = 'country_profiles' AND indexname LIKE ?",
                                          ("%fields%",))]


def test_a_postgis_store_with_the_old_document_index_loses_it_when_opened(env):
    """Earlier versions indexed the profile document ('fields') as a category on PostGIS, where
    a btree refuses a row over 2704 bytes: opening the store drops that index, every time."""
    if not on_postgis():
        pytest.skip("the index was only made on PostGIS")
    assert env.call("PATCH", "/countries/MYS", ADMIN, {"fields": {"mining_law": {
        "value": "Test value", "source": "Test citation", "asOf": "2024-01-01"}}}).status_code in (200, 202)
    for attempt in range(2):
        with contextlib.closing(connect_store(env.store, write=True)) as db:
            db.execute("CREATE INDEX IF NOT EXISTS amis_country_profiles_fields_idx "
                       "ON amis_data.country_profiles (fields)")
            db.commit()
        assert _profile_indexes(env.store) == ["amis_country_profiles_fields_idx"]
        srv = _clock_server(env, f"migrated{attempt}", datetime.now(timezone.utc))
        try:
            assert _profile_indexes(env.store) == []
            # A profile longer than a btree row is approved on the opened store.
            long = {"fields": {"application_procedure": {"value": "Test value " + "x" * 3900,
                                                         "source": "Test citation", "asOf": "2024-01-01"}}}
            r = env.call("PATCH", "/countries/MYS", ADMIN, long, server=srv)
            assert r.status_code in (200, 202), r.text
            if r.status_code == 202:
                r = env.call("POST", f"/changesets/{r.json()['changeSet']['id']}/approve", REVIEWER,
                             {"comment": "long"}, server=srv)
                assert r.status_code == 200, r.text
        finally:
            srv.stop()


def _words_in_order(words: list[str], text: str) -> list[str]:
    """The words of `words` not found in `text` in their order (other text may come between)."""
    tokens, at, missing = text.split(), 0, []
    for w in words:
        try:
            at = tokens.index(w, at) + 1
        except ValueError:
            missing.append(w)
    return missing


def test_a_field_longer_than_a_page_is_whole_in_the_pdf(env):
    """A text field at its 4000-byte limit with a 1000-byte citation is taller than an A4
    page: the PDF splits it across pages, and pdftotext finds every word of both, in order."""
    value_words = [f"v{i:04d}" for i in range(800)]
    value = ("Test value: " + " ".join(value_words))[:4000]
    value_words = value.split()[2:]
    source_words = [f"s{i:04d}" for i in range(200)]
    source = ("Test citation: " + " ".join(source_words))[:1000]
    source_words = source.split()[2:]
    assert len(value.encode()) <= 4000 and len(source.encode()) <= 1000
    fees = {"fields": {"application_fees": {"value": "Test value: the row after the long one",
                                            "source": "Test citation: fees", "asOf": "2024-05-31"}}}
    long = {"fields": {"application_procedure": {"value": value, "source": source, "asOf": "2024-05-31"}}}
    for step, body in enumerate((fees, long)):
        r = env.call("PATCH", "/countries/THA", ADMIN, body)
        assert r.status_code in (200, 202), r.text
        if r.status_code == 202:
            cs = r.json()["changeSet"]["id"]
            r = env.call("POST", f"/changesets/{cs}/approve", REVIEWER, {"comment": "long text"})
            assert r.status_code == 200, r.text
        if step == 0:
            # A server started on the store (the profiles there) makes its attribute indexes, none on
            # the profile document: on PostGIS a btree index refuses a text of more than 2704 bytes,
            # and the long profile's approval was a 500.
            _clock_server(env, "restarted", datetime.now(timezone.utc)).stop()
    assert fields_of(env.get("/countries/THA"))["application_procedure"]["value"] == value
    r = env.call("GET", "/countries/THA", params={"f": "pdf"})
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    pdf = env.work / "tha-long.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert _words_in_order(value_words + source_words + ["after", "the", "long", "one"], text) == []
    # Split: the value's first and last words are on different pages.
    pages = text.split("\f")
    first = next(i for i, p in enumerate(pages) if value_words[0] in p.split())
    last = next(i for i, p in enumerate(pages) if source_words[-1] in p.split())
    assert last > first, (first, last)


# --------------------------------------------------------------------------- languages

I18N = inv.ROOT / "web" / "i18n"
HTML_LANG = {"en": "en", "zh": "zh-Hans", "ja": "ja", "ko": "ko"}


def _flat(messages: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in messages.items():
        name = f"{prefix}.{k}" if prefix else k
        out.update(_flat(v, name) if isinstance(v, dict) else {name: v})
    return out


def texts(lang: str) -> dict[str, str]:
    """The portal's translation file itself, read here (not through AMIS)."""
    return _flat(json.loads((I18N / f"{lang}.json").read_text()))


def code_text(lang: str, list_name: str, value: str) -> str:
    codes = json.loads((I18N / "codes" / f"{lang}.json").read_text())[list_name]
    return {k.lower(): v for k, v in codes.items()}[value.lower()]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang", ["zh", "ja", "ko"])
def test_the_profile_page_is_in_the_asked_language(env, lang):
    t, en = texts(lang), texts("en")
    doc = env.get("/countries/VNM")
    r = env.call("GET", "/countries/VNM", params={"f": "html", "lang": lang})
    assert r.status_code == 200 and r.headers["Content-Language"] == HTML_LANG[lang]
    assert f'<html lang="{HTML_LANG[lang]}">' in r.text
    page = htmlmod.unescape(r.text)
    assert t["country.VNM"] in page
    for g in doc["groups"]:
        assert t[f"profileGroup.{g['key']}"] in page, g["key"]
        assert en[f"profileGroup.{g['key']}"] not in page, g["key"]
        for f in g["fields"]:
            assert t[f"profileField.{f['key']}"] in page, f["key"]
    assert page.count(t["profileForm.noSource"]) == sum(len(g["fields"]) for g in doc["groups"])
    for s in doc["summaries"]:
        assert t[f"countryPage.summary.{s['id']}"] in page, s["id"]
    # The code lists: the coal mines' statuses, as the portal's code-list file names them.
    coal = next(s for s in doc["summaries"] if s["id"] == "coal_mines")
    assert coal["groups"]
    for g in coal["groups"]:
        assert code_text(lang, "status", g["keys"][0]) in page, g["keys"][0]
    # Tonnage with its basis; licences honestly absent.
    assert t["countryPage.summaryNote.coal_mines"] in page
    assert t["countryPage.summaryAbsent.mining_licences"] in page
    # The JSON is the same whatever the language.
    assert env.get("/countries/VNM", lang=lang)["groups"] == doc["groups"]


def test_accept_language_chooses_the_language_and_english_is_the_default(env):
    ja = texts("ja")
    r = env.call("GET", "/countries/IDN", headers={"Accept": "text/html", "Accept-Language": "fr-FR, ja-JP;q=0.9, en;q=0.5"})
    assert r.status_code == 200 and r.headers["Content-Language"] == "ja"
    assert "Accept-Language" in r.headers["Vary"]
    assert ja["profileGroup.legal"] in htmlmod.unescape(r.text)
    # An explicit lang wins over the header.
    r = env.call("GET", "/countries/IDN", params={"lang": "ko"}, headers={"Accept": "text/html", "Accept-Language": "ja"})
    assert r.headers["Content-Language"] == "ko"
    r = env.call("GET", "/countries/IDN", headers={"Accept": "text/html"})
    assert r.headers["Content-Language"] == "en" and '<html lang="en">' in r.text
    assert texts("en")["profileGroup.legal"] in htmlmod.unescape(r.text)
    for path, params in (("/countries/IDN", {"f": "html"}), ("/countries/IDN", {"f": "pdf"}), ("/countries", {}),
                         ("/countries/compare", {"countries": "IDN,PHL"}), ("/countries/IDN/print", {})):
        error(env.call("GET", path, params={**params, "lang": "fr"}), 400)


def test_the_list_and_the_comparison_follow_the_language(env):
    zh, ko = texts("zh"), texts("ko")
    page = htmlmod.unescape(env.call("GET", "/countries", params={"f": "html", "lang": "zh"}).text)
    assert zh["countryHtml.listTitle"] in page
    for iso3 in inv.ASEAN:
        assert zh[f"country.{iso3}"] in page
        assert f"/countries/{iso3}?f=html&lang=zh" in page
    r = env.call("GET", "/countries/compare", params={"countries": "IDN,PHL,VNM", "f": "html", "lang": "ko"})
    page = htmlmod.unescape(r.text)
    assert re.findall(r'<tr data-field="([a-z0-9_]+)"', r.text) == inv.field_keys()
    labels = [ko[f"profileField.{k}"] for k in inv.field_keys()]
    at = [page.index(f"<td>{label}</td>") for label in labels]
    assert at == sorted(at)
    assert [ko[f"country.{c}"] in page for c in ("IDN", "PHL", "VNM")] == [True] * 3


@pytest.mark.parametrize("lang", ["zh", "ja", "ko"])
def test_the_pdf_in_another_language_holds_every_filled_field_and_the_date(env, lang):
    t = texts(lang)
    doc = env.get("/countries/IDN")
    assert doc["filled"] >= 2
    r = env.call("GET", "/countries/IDN", params={"f": "pdf", "lang": lang})
    assert r.status_code == 200 and r.headers["Content-Language"] == HTML_LANG[lang]
    pdf = env.work / f"idn-{lang}.pdf"
    pdf.write_bytes(r.content)
    text = _squeeze(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    for g in doc["groups"]:
        assert _squeeze(t[f"profileGroup.{g['key']}"]) in text, g["key"]
        for f in g["fields"]:
            if f["status"] == "filled":
                assert _squeeze(t[f"profileField.{f['key']}"]) in text, f["key"]
                for part in (f["display"], f["source"], f["asOf"]):
                    assert _squeeze(part) in text, (f["key"], part)
    assert doc["asOf"][:10] in text
    for s in doc["summaries"]:
        assert _squeeze(t[f"countryPage.summary.{s['id']}"]) in text, s["id"]
    assert _squeeze(t["countryPage.summaryAbsent.mining_licences"]) in text
    assert _squeeze(t["countryHtml.page"].replace("{number}", "1")) in text


# --------------------------------------------------------------------------- tonnage in the search


def test_a_tonnage_question_on_the_demo_coal_mines_answers_sqlites_ids(env):
    """'reserves ≥ 10 Mt in IDN or PHL' as the portal's form writes it (web/test/investor-query.test.ts),
    through OGC API Features (CQL2) and WFS 2.0 (FES), equal to SQLite on the demo file."""
    import sqlite3
    import wfs_support as ws
    path, layer = inv.SOURCES["coal_mines"]
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        expected = {r[0] for r in db.execute(
            f'SELECT gem_mine_id FROM "{layer}" WHERE reserves_mt >= 10 AND iso3 IN (?, ?)', ("IDN", "PHL"))}
    assert len(expected) > 100
    cql = "reserves_mt >= 10 AND iso3 IN ('IDN', 'PHL')"
    r = env.call("GET", "/collections/coal_mines/items", params={"filter": cql, "limit": 10000, "f": "json"})
    assert r.status_code == 200, r.text[:300]
    assert {f["properties"]["gem_mine_id"] for f in r.json()["features"]} == expected
    fes = ws.fes_filter(
        "<fes:And><fes:PropertyIsGreaterThanOrEqualTo><fes:ValueReference>reserves_mt</fes:ValueReference>"
        "<fes:Literal>10</fes:Literal></fes:PropertyIsGreaterThanOrEqualTo><fes:Or>"
        + "".join(f"<fes:PropertyIsEqualTo><fes:ValueReference>iso3</fes:ValueReference><fes:Literal>{c}</fes:Literal>"
                  "</fes:PropertyIsEqualTo>" for c in ("IDN", "PHL"))
        + "</fes:Or></fes:And>", declare=True)
    r = ws.kvp(env.server.url, env.s, "GetFeature", TYPENAMES="amis:coal_mines", OUTPUTFORMAT="application/json",
               COUNT=10000, FILTER=fes)
    assert r.status_code == 200, r.text[:600]
    assert {f["properties"]["gem_mine_id"] for f in r.json()["features"]} == expected
