"""The catalogue's record form in the portal (issue 15), in Debian's Chromium (web/e2e/record-form.mjs),
on a store and server of its own, on either backend, by clicking in the Data tab:
1. Viet Nam's editor makes a new record in the form (an extent drawn on the small map, then typed,
   keywords with a thesaurus, a party with its role, time, a link); an out-of-range extent is refused
   with the server's own message, shown beside the extent; corrected, the record goes to review in a
   change set the page names;
2. a reviewer approves it in the workspace's review page; the record is then found by the catalogue's
   search in the page, and CSW GetRecordById (plain HTTP, read with lxml) gives the ISO 19139 record
   with the values typed;
3. Indonesia's editor opening Viet Nam's record and saving it is refused, the server's message shown;
4. the record's own editor edits it: the form keeps what it does not show; a change made meanwhile
   (through the API) is refused with 412 and explained;
5. the editor withdraws a record from its page; once approved, neither OGC API - Records nor CSW
   gives it;
6. an ISO 19139 document that breaks the schema, read from a file in the form's XML mode, is refused
   with the schema's messages and their lines; a valid one goes to review in a change set the page
   names, and once approved the record has the document's title and identifier (read with lxml).
The server's messages are compared with the same requests made with `requests`.

Needs the portal built (scripts/build-web.sh), Node.js and /usr/bin/chromium."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from lxml import etree

from csw_support import NS, generate_records, safe_parser
from portal_scenario_support import run_scenario
from store_support import add_users, error
from support import AmisServer, copy_store, http_session
from test_portal import portal_can_run  # noqa: F401 (autouse: skip or fail without a browser)

ARTEFACTS = Path(__file__).parent.parent / "artefacts" / "record-form"
PASSWORD = "record form password 1"
VNM_EDITOR, IDN_EDITOR, REVIEWER = "vnm-recorder", "idn-recorder", "record-reviewer"
USERS = {VNM_EDITOR: ("editor", "VNM"), IDN_EDITOR: ("editor", "IDN"), REVIEWER: ("reviewer", None)}
TITLE = "Bauxite occurrences of the Central Highlands"
GEOJSON = "application/geo+json"


class Site:
    def __init__(self, server: AmisServer, http: requests.Session, tokens: dict[str, str]):
        self.server, self.http, self.tokens = server, http, tokens

    def call(self, method: str, path: str, user: str | None = None, body=None, content_type: str | None = None,
             **headers) -> requests.Response:
        h = dict(headers)
        if user:
            h["Authorization"] = f"Bearer {self.tokens[user]}"
        if content_type:
            h["Content-Type"] = content_type
        data = json.dumps(body) if isinstance(body, dict) else body
        return self.http.request(method, self.server.url + path, data=data, headers=h, timeout=60)

    def approve(self, cs: int) -> None:
        r = self.call("POST", f"/changesets/{cs}/approve", REVIEWER, {}, "application/json")
        assert r.status_code == 200, r.text

    def record(self, rid: str) -> requests.Response:
        return self.call("GET", f"/collections/catalog/items/{rid}?f=json")

    def publish(self, doc: dict, user: str = VNM_EDITOR) -> str:
        """A record written through the API and approved; its id."""
        r = self.call("POST", "/collections/catalog/items", user, doc, GEOJSON)
        assert r.status_code == 202, r.text
        self.approve(r.json()["changeSet"]["id"])
        return r.json()["records"][0]


@pytest.fixture(scope="module")
def site(tmp_path_factory, store_path):
    work = tmp_path_factory.mktemp("record-form")
    store = work / "store.gpkg"
    copy_store(store_path, store)
    tokens = add_users(store, {name: role for name, role in USERS.items()}, PASSWORD)
    srv = AmisServer(store, work, name="record-form")
    srv.start()
    with http_session() as s:
        yield Site(srv, s, tokens)
    alive = srv.alive()
    srv.stop()
    assert alive, srv.stderr()


def browse(site: Site, step: str, user: str, **actions) -> dict:
    return run_scenario("record-form.mjs", site.server.url + "/portal/", ARTEFACTS, step, user, PASSWORD, **actions)


def vnm_record(title: str, north: float = 14.9) -> dict:
    """The record the form's scenario types, as GeoJSON (for the same request made without the page)."""
    return {"type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [[[107.2, 11.0], [108.9, 11.0], [108.9, north],
                                                             [107.2, north], [107.2, 11.0]]]},
            "time": {"interval": ["2019-01-01", "2021-12-31"]},
            "properties": {"type": "dataset", "title": title, "description": "Bauxite in the highlands.",
                           "keywords": ["bauxite"], "country": "VNM",
                           "themes": [{"scheme": "http://inspire.ec.europa.eu/theme",
                                       "concepts": [{"id": "Mineral resources"}]}],
                           "contacts": [{"roles": ["custodian"], "organization": "VIGMR"}],
                           "lineage": "Field survey.", "license": "CC-BY-4.0", "updateFrequency": "asNeeded",
                           "language": {"code": "vi"}},
            "links": [{"href": "https://example.vn/bauxite.gpkg", "rel": "enclosure",
                       "type": "application/geopackage+sqlite3", "title": "Bauxite occurrences (GeoPackage)"}]}


def awaiting_review(site: Site, cs: int) -> str:
    """Checks that change set `cs` is Viet Nam's editor's, submitted to the catalogue, and that its
    new record is not published before review; the record's id."""
    change_set = site.call("GET", f"/changesets/{cs}", REVIEWER).json()
    assert (change_set["state"], change_set["collection"], change_set["country"], change_set["author"]) == \
           ("submitted", "catalog", "VNM", VNM_EDITOR)
    review = site.call("GET", f"/changesets/{cs}/review", REVIEWER).json()
    rid = review["changes"][0]["after"]["properties"]["id"]
    assert site.record(rid).status_code == 404  # not published before review
    return rid


def iso_text(root: etree._Element, path: str) -> list[str]:
    return [e.text for e in root.iterfind(path, NS)]


def test_editor_makes_a_record_in_the_form_a_reviewer_approves_it_and_csw_gives_it(site):
    # The same out-of-range extent sent without the page: the message the page must show.
    expected = error(site.call("POST", "/collections/catalog/items", VNM_EDITOR, vnm_record("probe", north=95), GEOJSON),
                     400)
    assert expected.get("locator") == "extent"

    made = browse(site, "create", VNM_EDITOR, title=TITLE, bad_north="95", north="14.9")
    west, south, east, north = made["drawn"]
    assert -180 <= west < east <= 180 and -90 <= south < north <= 90, made["drawn"]  # drawn on the small map
    assert 400 in made["refused"]
    assert expected["description"] in made["bad"]["lines"]
    assert {"field": "bbox", "text": expected["description"]} in made["bad"]["beside"]
    cs = made["submitted"]["changeSet"]
    assert made["submitted"]["link"].endswith(f"/changesets/{cs}") and f"#{cs}" in made["submitted"]["text"]
    assert f"#{cs}" in made["reviewHeading"]  # the page opened it in the workspace's review

    rid = awaiting_review(site, cs)

    approved = browse(site, "approve", REVIEWER, changeset=cs, title=TITLE)
    assert any(TITLE in " ".join(row) for row in approved["diff"]), approved["diff"]
    assert str(cs) in approved["announced"]
    assert approved["opened"] == rid and {"id": rid, "title": TITLE} in approved["found"]
    assert "Mineral resources" in approved["recordPage"] and "1:200,000" in approved["recordPage"]
    assert site.call("GET", f"/changesets/{cs}", REVIEWER).json()["state"] == "approved"

    # CSW 2.0.2 GetRecordById in ISO 19139, read with lxml: the values typed in the form.
    r = site.http.get(site.server.url + "/csw", timeout=60, params={
        "service": "CSW", "version": "2.0.2", "request": "GetRecordById", "id": rid,
        "outputSchema": "http://www.isotc211.org/2005/gmd", "elementSetName": "full"})
    assert r.status_code == 200, r.text[:500]
    [md] = etree.fromstring(r.content, safe_parser()).iterfind(".//gmd:MD_Metadata", NS)
    assert iso_text(md, "gmd:fileIdentifier/gco:CharacterString") == [rid]
    ident = ".//gmd:identificationInfo/*"
    assert iso_text(md, f"{ident}/gmd:citation/gmd:CI_Citation/gmd:title/gco:CharacterString") == [TITLE]
    assert "1:200,000" in iso_text(md, f"{ident}/gmd:abstract/gco:CharacterString")[0]
    keywords = iso_text(md, f"{ident}/gmd:descriptiveKeywords//gmd:keyword/gco:CharacterString")
    assert {"bauxite", "aluminium", "Mineral resources"} <= set(keywords), keywords
    assert md.find(f"{ident}//gmd:CI_RoleCode[@codeListValue='custodian']", NS) is not None
    assert "Viet Nam Institute of Geosciences and Mineral Resources" in iso_text(
        md, f"{ident}/gmd:pointOfContact//gmd:organisationName/gco:CharacterString")
    box = md.find(f"{ident}//gmd:EX_GeographicBoundingBox", NS)
    sides = [float(box.findtext(f"gmd:{s}/gco:Decimal", namespaces=NS))
             for s in ("westBoundLongitude", "southBoundLatitude", "eastBoundLongitude", "northBoundLatitude")]
    assert sides == pytest.approx([107.2, 11.0, 108.9, 14.9])
    assert "Field survey 2019-2021" in " ".join(iso_text(md, ".//gmd:LineageStatement/gco:CharacterString")
                                                 + iso_text(md, ".//gmd:statement/gco:CharacterString"))
    urls = iso_text(md, ".//gmd:CI_OnlineResource/gmd:linkage/gmd:URL")
    assert "https://example.vn/bauxite.gpkg" in urls
    positions = " ".join(e.text or "" for e in md.iter() if etree.QName(e).localname in ("beginPosition", "endPosition"))
    assert "2019-01-01" in positions and "2021-12-31" in positions

    # And OGC API - Records, as JSON: the frequency, the language and the links.
    doc = site.record(rid).json()
    assert doc["properties"]["updateFrequency"] == "asNeeded" and doc["properties"]["language"] == {"code": "vi"}
    assert doc["time"] == {"interval": ["2019-01-01", "2021-12-31"]}


def test_an_editor_of_another_country_is_refused_with_the_servers_message(site):
    title = "Tin placer deposits of Lam Dong"
    rid = site.publish(vnm_record(title))
    doc = site.record(rid).json()
    etag = site.record(rid).headers["ETag"]
    doc["properties"]["title"] = "Changed by Indonesia"
    expected = error(site.call("PUT", f"/collections/catalog/items/{rid}", IDN_EDITOR, doc, GEOJSON,
                               **{"If-Match": etag}), 403)

    seen = browse(site, "edit", IDN_EDITOR, title=title, new_title="Changed by Indonesia")
    assert 403 in seen["refused"]
    assert expected["description"] in seen["bad"]["lines"], (expected, seen["bad"])
    assert site.record(rid).json()["properties"]["title"] == title


def test_the_owner_edits_keeping_what_the_form_does_not_show_and_a_change_meanwhile_is_explained(site):
    title = "Rare earth prospects of Lai Chau"
    record = vnm_record(title)
    record["properties"]["externalIds"] = [{"scheme": "https://doi.org", "value": "10.5555/ree-lai-chau"}]
    rid = site.publish(record)
    before = site.record(rid).json()

    edited = browse(site, "edit", VNM_EDITOR, title=title, new_title=title + " revised")
    assert edited["formRead"]["rf-north"] == "14.9" and edited["formRead"]["rf-contact-0-role"] == "custodian"
    site.approve(edited["submitted"]["changeSet"])
    after = site.record(rid).json()
    assert after["properties"]["title"] == title + " revised"
    for key in ("description", "keywords", "themes", "contacts", "lineage", "license", "externalIds", "country",
                "updateFrequency", "language"):
        assert after["properties"].get(key) == before["properties"].get(key), key
    assert (after["geometry"], after["time"]) == (before["geometry"], before["time"])

    stale = browse(site, "edit", VNM_EDITOR, title=title + " revised", new_title="Too late", change_meanwhile=1,
                   editor_token=site.tokens[VNM_EDITOR], reviewer_token=site.tokens[REVIEWER])
    assert 412 in stale["refused"]
    assert "412" in stale["bad"]["lines"][0] and stale["bad"]["lines"][1].startswith(f"record '{rid}' has changed")
    assert site.record(rid).json()["properties"]["title"] == title + " revised"


def test_the_editor_withdraws_a_record_through_review(site):
    title = "Chromite showings of Thanh Hoa"
    rid = site.publish(vnm_record(title))
    seen = browse(site, "withdraw", VNM_EDITOR, title=title)
    assert seen["confirmShownBefore"] is False  # asked only after "Withdraw"
    cs = seen["submitted"]["changeSet"]
    assert site.record(rid).status_code == 200  # still published while it waits
    review = site.call("GET", f"/changesets/{cs}/review", REVIEWER).json()
    assert [c["operation"] for c in review["changes"]] == ["delete"]
    site.approve(cs)
    assert site.record(rid).status_code == 404
    r = site.http.get(site.server.url + "/csw", timeout=60, params={
        "service": "CSW", "version": "2.0.2", "request": "GetRecordById", "id": rid, "elementSetName": "brief"})
    assert r.status_code == 200 and not list(etree.fromstring(r.content, safe_parser()).iterfind(
        "csw:BriefRecord", NS))


def test_an_iso_document_that_breaks_the_schema_is_refused_with_the_schemas_lines(site, tmp_path):
    source = sorted(generate_records(1, tmp_path / "iso").glob("*.xml"))[0].read_text()
    broken = source.replace("<gmd:fileIdentifier>", "<gmd:bogusElement>x</gmd:bogusElement><gmd:fileIdentifier>", 1)
    assert broken != source
    path = tmp_path / "broken.xml"
    path.write_text(broken)
    expected = error(site.call("POST", "/collections/catalog/items", VNM_EDITOR, broken.encode(), "application/xml"), 400)

    seen = browse(site, "xml", VNM_EDITOR, xml_file=path)
    lines = seen["bad"]["lines"]
    assert lines[0].startswith("the document is not valid ISO 19139")
    assert any(line.startswith("line ") and "bogusElement" in line for line in lines), lines
    assert "; ".join(lines[1:]) in expected["description"]


def test_a_valid_iso_document_from_the_xml_mode_goes_through_review(site, tmp_path):
    documents = sorted(generate_records(40, tmp_path / "iso").glob("*.xml"))
    # One of Viet Nam's (the editor's country), told by its content, read with lxml.
    chosen = None
    for path in documents:
        root = etree.fromstring(path.read_bytes(), safe_parser())
        if any("Viet Nam" in (t or "") for t in root.itertext()):
            chosen, doc = path, root
            break
    assert chosen is not None, "no generated record of Viet Nam"
    identifier = iso_text(doc, "gmd:fileIdentifier/gco:CharacterString")[0]
    title = iso_text(doc, "gmd:identificationInfo/*/gmd:citation/gmd:CI_Citation/gmd:title/gco:CharacterString")[0]
    seen = browse(site, "xml", VNM_EDITOR, xml_file=chosen)
    assert "bad" not in seen, seen.get("bad")
    cs = seen["submitted"]["changeSet"]
    assert seen["submitted"]["link"].endswith(f"/changesets/{cs}") and f"#{cs}" in seen["submitted"]["text"]
    rid = awaiting_review(site, cs)
    site.approve(cs)
    record = site.record(rid)
    assert record.status_code == 200, record.text
    assert record.json()["properties"]["title"] == title
    r = site.http.get(site.server.url + "/csw", params={
        "service": "CSW", "version": "2.0.2", "request": "GetRecordById", "id": rid,
        "outputSchema": "http://www.isotc211.org/2005/gmd", "elementSetName": "full"}, timeout=60)
    iso = etree.fromstring(r.content, safe_parser())
    assert iso_text(iso, ".//gmd:MD_Metadata/gmd:identificationInfo/*/gmd:citation/gmd:CI_Citation/gmd:title/"
                         "gco:CharacterString") == [title]
    assert identifier in (rid, *iso_text(iso, ".//gmd:MD_Metadata/gmd:fileIdentifier/gco:CharacterString"))
