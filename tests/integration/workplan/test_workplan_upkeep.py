"""Work-plan monitoring (issue 19) beyond the reports, on a store and server of their own,
on either backend (--store-backend postgis):
- activity 4.3's utilization figures (requests to each member state's datasets and the
  features they returned) in the live indicators' JSON, HTML page, CSV and PDF, against
  plain SQL over the store's usage table;
- the IATI export without a configured reporting organisation identifier: refused, and said
  so; a malformed identifier stops the configuration from loading;
- evidence documents no report cites, removed after the retention (`amis workplan
  forget-evidence`), those an approved or a pending report cites kept: checked with SQL."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess

import pytest
from lxml import html as lxml_html

import workplan_support as ws
from store_support import error, rows
from support import AmisServer, amis_import, connect_store, run_amis
from test_workplan import BASE_CONFIG, IDN, PLAN, REVIEWER, serving
from test_workplan import PDF, upload  # noqa: F401 (the evidence helpers of the API tests)

COLLECTIONS = ["coal_mines", "tha_sites"]


@pytest.fixture(scope="module")
def upkeep(tmp_path_factory):
    work = tmp_path_factory.mktemp("workplan-upkeep")
    sites = work / "tha_sites.geojson"
    sites.write_text(json.dumps(ws.THA_SITES))
    # No [workplan] iati_org_ref here: the IATI export is refused.
    yield from serving(work, mines=True, config_text=BASE_CONFIG + ws.USAGE_CONFIG,
                       before_start=lambda store: amis_import(store, sites, "tha_sites"))


@pytest.fixture(scope="module")
def used(upkeep):
    """A known use of the two datasets: pages of coal mines, a filtered page, the Thai sites."""
    for _ in range(3):
        assert upkeep.s.get(upkeep.server.url + "/collections/coal_mines/items", params={"limit": 7},
                            timeout=60).status_code == 200
    assert upkeep.s.get(upkeep.server.url + "/collections/coal_mines/items", params={"limit": 50, "iso3": "IDN"},
                        timeout=60).status_code == 200
    for _ in range(2):
        assert upkeep.s.get(upkeep.server.url + "/collections/tha_sites/items", timeout=60).status_code == 200
    ws.settle_usage(upkeep.s, upkeep.server.url)
    return upkeep


def test_utilization_per_member_state_equals_sql_on_the_usage_table(used):
    live = used.get(f"/workplans/{PLAN}/live-indicators")
    u = live["activity4.3"]["utilization"]
    assert u["available"] is True and u["recording"] is True
    expected = ws.utilization_by_sql(used.store, u["from"], u["to"], COLLECTIONS)
    got = {s["country"]: (s["requests"], s["features"], s["bytes"]) for s in u["memberStates"]}
    assert got == expected
    assert [s["country"] for s in u["memberStates"]] == live["aseanMemberStates"]
    # Thailand's datasets got the coal mines' requests and its own sites'; the sites counted
    # 3 features per page.
    assert expected["THA"][0] == expected["IDN"][0] + 2 > 2
    assert expected["THA"][1] - expected["IDN"][1] == 6
    datasets = {s["country"]: s["datasets"] for s in u["memberStates"]}
    assert datasets["THA"] >= 2 and datasets["IDN"] >= 1


def test_utilization_in_the_csv_html_and_pdf_equals_the_json(used, tmp_path):
    live = used.get(f"/workplans/{PLAN}/live-indicators")
    u = {s["country"]: s for s in live["activity4.3"]["utilization"]["memberStates"]}
    approved = {s["country"]: s["approvedChangeSets365Days"] for s in live["activity4.3"]["memberStates"]}
    r = used.call("GET", f"/workplans/{PLAN}/live-indicators", params={"f": "csv"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv"), r.text
    table = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["country"] for row in table] == live["aseanMemberStates"]
    for row in table:
        s = u[row["country"]]
        assert (int(row["requests_365_days"]), int(row["features_365_days"]), int(row["bytes_365_days"]),
                int(row["datasets"])) == (s["requests"], s["features"], s["bytes"], s["datasets"])
        assert int(row["approved_change_sets_365_days"]) == approved.get(row["country"], 0)
        assert row["updating_last_90_days"] == ("yes" if row["country"] in live["activity4.2"]["memberStates"] else "no")
    page = lxml_html.fromstring(used.call("GET", f"/workplans/{PLAN}/live-indicators", params={"f": "html"}).content)
    cells = {tr[0].text_content(): [td.text_content() for td in tr[1:]] for tr in page.xpath("//table//tr[td]")}
    assert {c: (int(v[2]), int(v[3]), int(v[4])) for c, v in cells.items()} == \
           {c: (s["datasets"], s["requests"], s["features"]) for c, s in u.items()}
    pdf = used.call("GET", f"/workplans/{PLAN}/live-indicators", params={"f": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    path = tmp_path / "live.pdf"
    path.write_bytes(pdf.content)
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert live["activity4.2"]["text"] in text
    for country, s in u.items():
        assert f"{country} " in text
        assert f"{s['requests']} requests, {s['features']} features returned from {s['datasets']} datasets" in text


def test_bad_live_indicator_formats_are_4xx(upkeep):
    error(upkeep.call("GET", f"/workplans/{PLAN}/live-indicators", params={"f": "xlsx"}), 406)
    error(upkeep.call("GET", f"/workplans/{PLAN}/live-indicators", params={"since": "2026"}), 400)


def test_the_iati_export_needs_a_configured_reporting_organisation(upkeep, tmp_path):
    r = upkeep.call("GET", f"/workplans/{PLAN}/iati-activities")
    doc = error(r, 409)
    assert "iati_org_ref" in doc["description"]
    assert upkeep.get(f"/workplans/{PLAN}")["iatiReportingOrg"] is None
    for bad in ("ASEAN SEC", "-XI-IATI", "NOHYPHEN", "XI-IATI-<x>"):
        config = tmp_path / "bad.toml"
        config.write_text(f'[workplan]\niati_org_ref = "{bad}"\n')
        r = run_amis("workplan", "list", "--store", upkeep.store, "--config", config)
        assert r.returncode != 0 and "iati_org_ref" in r.stderr, (bad, r.stderr)


def documents(store) -> set[int]:
    return {int(r[0]) for r in rows(store, "SELECT id FROM amis_workplan_documents")}


def test_uncited_evidence_goes_after_the_retention_cited_evidence_stays(upkeep):
    def uploaded(title: str) -> dict:
        r = upload(upkeep, IDN, "4.3", PDF, title=title)
        assert r.status_code == 201, r.text
        return r.json()

    def report(doc: dict) -> int:
        body = {"meeting": "ASOMM3-30", "status": "ongoing", "evidence": [{"title": doc["title"], "href": doc["href"]}]}
        return upkeep.report(IDN, "4.3", body)["changeSet"]["id"]

    approved, pending, returned, never = (uploaded(t) for t in ("approved", "pending", "returned", "never cited"))
    upkeep.act(report(approved), "approve", REVIEWER)
    report(pending)  # submitted, not reviewed yet
    upkeep.act(report(returned), "reject", REVIEWER)
    ours = {d["id"] for d in (approved, pending, returned, never)}
    # Uploaded today: within the default 30 days, nothing goes.
    r = run_amis("workplan", "forget-evidence", "--store", upkeep.store)
    assert r.returncode == 0 and " 0 removed" in r.stdout, r.stdout + r.stderr
    assert ours <= documents(upkeep.store)
    # Aged by SQL to 40 days, the two no approved or pending report cites go.
    with contextlib.closing(connect_store(upkeep.store, write=True)) as db:
        db.execute("UPDATE amis_workplan_documents SET uploaded = '2000-01-01T00:00:00.000Z' WHERE id IN (?, ?, ?, ?)",
                   tuple(sorted(ours)))
        db.commit()
    r = run_amis("workplan", "forget-evidence", "--store", upkeep.store)
    assert r.returncode == 0, r.stderr
    removed = {int(line.split()[1]) for line in r.stdout.splitlines() if line.startswith("removed ")}
    assert removed == {returned["id"], never["id"]}
    assert documents(upkeep.store) & ours == {approved["id"], pending["id"]}
    # The approved report's document is still served to anybody; the removed one to nobody.
    assert upkeep.call("GET", approved["href"][len(upkeep.server.url):]).content == PDF
    error(upkeep.call("GET", never["href"][len(upkeep.server.url):], REVIEWER), 404)
    # Run again: nothing more goes (the pending report still cites its document).
    again = run_amis("workplan", "forget-evidence", "--days", "0", "--store", upkeep.store)
    assert again.returncode == 0 and not [l for l in again.stdout.splitlines() if l.startswith("removed ")], again.stdout


def test_a_server_starting_removes_uncited_evidence_older_than_the_retention(upkeep, tmp_path):
    r = upload(upkeep, IDN, "4.3", PDF, title="left behind")
    assert r.status_code == 201, r.text
    doc = r.json()["id"]
    config = tmp_path / "amis.toml"
    config.write_text(BASE_CONFIG + "\n[workplan]\nevidence_retention_days = 10\n")
    with contextlib.closing(connect_store(upkeep.store, write=True)) as db:
        db.execute("UPDATE amis_workplan_documents SET uploaded = '2000-01-01T00:00:00.000Z' WHERE id = ?", (doc,))
        db.commit()
    second = AmisServer(upkeep.store, tmp_path, name="upkeep-second", config=config)
    second.start()
    try:
        assert doc not in documents(upkeep.store)
        assert "evidence documents no report cites removed (older than 10 days)" in second.stderr() + \
               second.stdout_path.read_text()
    finally:
        second.stop()
