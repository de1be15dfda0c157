"""Records of resources outside AMIS written by member states' editors and reviewers through
the same change sets and review as features (issue 15): OGC API - Records create/replace/
delete with a GeoJSON record or an ISO 19139 document (refused with the schema's messages),
and CSW 2.0.2 Transaction, each becoming a change set; the record appears once a reviewer
approves it, a rejection leaves it out; an editor writes only their own country's records;
AMIS's own (derived) records are not written at all. Checked with OWSLib's CSW and Records
clients and against the store's tables read directly (sqlite3 / psycopg2)."""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import requests
from lxml import etree
from owslib.catalogue.csw2 import CatalogueServiceWeb
from owslib.fes import PropertyIsLike
from owslib.ogcapi.records import Records

import store_support
from csw_support import NS, generate_records, safe_parser
from store_support import add_users, error, rows, table_digests
from support import AmisServer, copy_store, http_session

PASSWORD = "correct horse battery staple"
ADMIN, REVIEWER = "secretariat", "expert"
IDN_EDITOR, VNM_EDITOR = "idn-editor", "vnm-editor"
USERS = {ADMIN: ("admin", None), REVIEWER: ("reviewer", None),
         IDN_EDITOR: ("editor", "IDN"), VNM_EDITOR: ("editor", "VNM")}
GEOJSON = "application/geo+json"
XML = "application/xml"
# Every table a refused write must leave as it was.
WATCHED = ("amis_records", "amis_change_sets", "amis_changes", "amis_record_versions",
           "amis_audit")


class Env:
    def __init__(self, store: Path, server: AmisServer, http: requests.Session, tokens: dict[str, str]):
        self.store, self.server, self.http, self.tokens = store, server, http, tokens

    @property
    def url(self) -> str:
        return self.server.url

    def call(self, method: str, path: str, user: str | None, body=None, content_type: str | None = None,
             **headers) -> requests.Response:
        h = dict(headers)
        if user:
            h["Authorization"] = f"Bearer {self.tokens[user]}"
        if content_type:
            h["Content-Type"] = content_type
        data = body.encode() if isinstance(body, str) else body
        return self.http.request(method, self.url + path, data=data, headers=h, timeout=60)

    def post_record(self, user: str, body: str, content_type: str = GEOJSON) -> requests.Response:
        return self.call("POST", "/collections/catalog/items", user, body, content_type)

    def act(self, cs: int, action: str, user: str, comment: str | None = None) -> dict:
        import json
        body = json.dumps({"comment": comment}) if comment else None
        r = self.call("POST", f"/changesets/{cs}/{action}", user, body, "application/json" if body else None)
        assert r.status_code == 200, r.text
        return r.json()

    def record(self, rid: str) -> requests.Response:
        return self.http.get(f"{self.url}/collections/catalog/items/{rid}", params={"f": "json"}, timeout=60)


@pytest.fixture(scope="module")
def env(tmp_path_factory, store_path):
    work = tmp_path_factory.mktemp("catalog-editing")
    store = work / "store.gpkg"
    copy_store(store_path, store)
    tokens = add_users(store, USERS, PASSWORD)
    srv = AmisServer(store, work, name="catalog-editing")
    srv.start()
    with http_session() as s:
        yield Env(store, srv, s, tokens)
    alive = srv.alive()
    srv.stop()
    assert alive, srv.stderr()


def geojson_record(rid: str, title: str, **properties) -> str:
    import json
    doc = {"id": rid, "type": "Feature", "conformsTo": [],
           "geometry": {"type": "Polygon", "coordinates": [[[95.0, -6.0], [106.0, -6.0], [106.0, 6.0], [95.0, 6.0],
                                                            [95.0, -6.0]]]},
           "time": {"interval": ["1995-01-01", "1999-12-31"]},
           "properties": {"type": "map", "title": title,
                          "description": "Printed geological map sheets of Sumatra at 1:250,000, scanned.",
                          "keywords": ["geological map", "Sumatra"], "license": "CC-BY-4.0", **properties},
           "links": [{"href": "https://example.org/maps/sumatra.pdf", "rel": "enclosure", "type": "application/pdf",
                      "title": "The sheets (PDF)"}]}
    return json.dumps(doc)


def iso_record(work: Path, rid: str) -> tuple[str, str]:
    """A generated ISO 19139 document made Indonesia's (its contact's country) with id `rid`;
    returns the document and its title as lxml reads it."""
    source = sorted(generate_records(1, work / "iso").glob("*.xml"))
    text = source[0].read_text()
    tree = etree.fromstring(text.encode(), safe_parser())
    country = tree.findtext(".//gmd:contact//gmd:CI_Address/gmd:country/gco:CharacterString", namespaces=NS)
    old_id = tree.findtext("gmd:fileIdentifier/gco:CharacterString", namespaces=NS)
    text = text.replace(old_id, rid).replace(country, "Indonesia")
    title = etree.fromstring(text.encode(), safe_parser()).findtext(
        ".//gmd:identificationInfo//gmd:citation/gmd:CI_Citation/gmd:title/gco:CharacterString", namespaces=NS)
    return text, title


def change_set_of(r: requests.Response, status: int = 202) -> int:
    assert r.status_code == status, r.text
    doc = r.json()
    assert doc["published"] is (status != 202)
    return doc["changeSet"]["id"]


def owslib_csw(env: Env, user: str | None = None) -> CatalogueServiceWeb:
    # HTTP Basic with an API token as the password (auth/authenticator), as OWSLib sends it.
    if user:
        return CatalogueServiceWeb(f"{env.url}/csw", username=user, password=env.tokens[user], timeout=60)
    return CatalogueServiceWeb(f"{env.url}/csw", timeout=60)


def transaction_summary(csw: CatalogueServiceWeb) -> etree._Element:
    # OWSLib 0.27 looks for the summary below the response's root and misses it: read it here.
    root = etree.fromstring(csw.response, safe_parser())
    assert root.tag == f"{{{NS['csw']}}}TransactionResponse", csw.response[:500]
    return root.find("csw:TransactionSummary", NS)


def summary(csw: CatalogueServiceWeb) -> tuple[int, int, int]:
    s = transaction_summary(csw)
    return tuple(int(s.findtext(f"csw:total{what}", namespaces=NS)) for what in ("Inserted", "Updated", "Deleted"))


def submitted_change_set(csw: CatalogueServiceWeb) -> int:
    """The change set a transaction submitted: its URL is the summary's requestId."""
    return int(transaction_summary(csw).get("requestId").rsplit("/", 1)[1])


# ------------------------------------------------------------------------------------------ tests

def test_editor_submits_reviewer_approves_and_the_record_is_found_with_its_history(env):
    rid = f"idn-map-{uuid.uuid4().hex[:8]}"
    cs = change_set_of(env.post_record(IDN_EDITOR, geojson_record(rid, "Geological map of Sumatra")))
    row = store_support.change_set_row(env.store, cs)
    assert (row["collection"], row["author"], row["country"], row["state"]) == ("catalog", IDN_EDITOR, "IDN",
                                                                               "submitted")
    assert env.record(rid).status_code == 404  # not published before the review
    assert rows(env.store, "SELECT count(*) FROM amis_records WHERE id = ?", rid)[0][0] == 0

    review = env.call("GET", f"/changesets/{cs}/review", REVIEWER)
    assert review.status_code == 200, review.text
    assert env.act(cs, "approve", REVIEWER)["state"] == "approved"

    published = env.record(rid)
    assert published.status_code == 200, published.text
    p = published.json()["properties"]
    assert (p["title"], p["country"], p["type"], p["origin"]) == ("Geological map of Sumatra", "IDN", "map",
                                                                  "authored")
    # The store holds it as a record of IDN (read directly, not through AMIS).
    assert rows(env.store, "SELECT country, origin FROM amis_records WHERE id = ?", rid) == [("IDN", "authored")]

    # Found by OWSLib's Records client (full text) and its CSW client (AnyText, GetRecordById).
    found = Records(env.url).collection_items("catalog", q="Sumatra", limit=100)
    assert rid in [f["id"] for f in found["features"]]
    csw = owslib_csw(env)
    csw.getrecords2(constraints=[PropertyIsLike("csw:AnyText", "%Sumatra%")], maxrecords=100, esn="full")
    assert rid in csw.records
    csw.getrecordbyid(id=[rid], outputschema=NS["gmd"])
    assert csw.records[rid].identification.title == "Geological map of Sumatra"

    # A second version through review; the history shows both, with their change sets.
    r = env.call("PUT", f"/collections/catalog/items/{rid}", IDN_EDITOR,
                 geojson_record(rid, "Geological map of Sumatra, second edition"), GEOJSON)
    cs2 = change_set_of(r)
    assert env.record(rid).json()["properties"]["title"] == "Geological map of Sumatra"  # until approved
    env.act(cs2, "approve", REVIEWER)
    history = env.call("GET", f"/collections/catalog/items/{rid}/history", None)
    assert history.status_code == 200, history.text
    versions = history.json()["versions"]
    assert [(v["version"], v["operation"], v["author"]) for v in versions] == [(1, "insert", IDN_EDITOR),
                                                                             (2, "replace", IDN_EDITOR)]
    assert [v["record"]["properties"]["title"] for v in versions] == [
        "Geological map of Sumatra", "Geological map of Sumatra, second edition"]
    assert [v["changeSet"].rsplit("/", 1)[1] for v in versions] == [str(cs), str(cs2)]
    stored = rows(env.store, "SELECT version, operation, change_set FROM amis_record_versions WHERE record = ? "
                             "ORDER BY version", rid)
    assert stored == [(1, "insert", cs), (2, "replace", cs2)]
    # Audit: each submission by the editor, each approval by the reviewer.
    audit = rows(env.store, "SELECT actor, action FROM amis_audit WHERE subject IN (?, ?) ORDER BY id",
                 f"change set {cs}", f"change set {cs2}")
    assert audit == [(IDN_EDITOR, "submit"), (REVIEWER, "approve"), (IDN_EDITOR, "submit"), (REVIEWER, "approve")]


def test_an_editor_of_another_country_cannot_change_it(env):
    rid = f"idn-report-{uuid.uuid4().hex[:8]}"
    env.act(change_set_of(env.post_record(IDN_EDITOR, geojson_record(rid, "Tin survey of Bangka"))), "approve",
            REVIEWER)
    before = table_digests(env.store, WATCHED)
    error(env.call("PUT", f"/collections/catalog/items/{rid}", VNM_EDITOR, geojson_record(rid, "Taken over"),
                   GEOJSON), 403, "Forbidden")
    error(env.call("DELETE", f"/collections/catalog/items/{rid}", VNM_EDITOR), 403, "Forbidden")
    # Nor may an editor create a record for another country.
    error(env.post_record(VNM_EDITOR, geojson_record(f"x-{uuid.uuid4().hex[:8]}", "Elsewhere", country="IDN")), 403,
          "Forbidden")
    # Nor write anonymously.
    assert env.post_record(None, geojson_record("anon-1", "Anonymous")).status_code == 401
    assert table_digests(env.store, WATCHED) == before
    # The record's own country may delete it, through review.
    cs = change_set_of(env.call("DELETE", f"/collections/catalog/items/{rid}", IDN_EDITOR))
    env.act(cs, "approve", REVIEWER)
    assert env.record(rid).status_code == 404
    ops = [r[0] for r in rows(env.store, "SELECT operation FROM amis_record_versions WHERE record = ? ORDER BY "
                                         "version", rid)]
    assert ops == ["insert", "delete"]


def test_a_rejected_record_stays_out(env):
    rid = f"idn-rejected-{uuid.uuid4().hex[:8]}"
    cs = change_set_of(env.post_record(IDN_EDITOR, geojson_record(rid, "Draft map of Java")))
    assert env.act(cs, "reject", REVIEWER, "the licence is missing")["state"] == "rejected"
    assert env.record(rid).status_code == 404
    assert rows(env.store, "SELECT count(*) FROM amis_records WHERE id = ?", rid)[0][0] == 0
    assert rows(env.store, "SELECT count(*) FROM amis_record_versions WHERE record = ?", rid)[0][0] == 0


def test_a_bad_iso_document_gets_400_with_the_schema_message(env, tmp_path):
    text, _ = iso_record(tmp_path, f"idn-iso-{uuid.uuid4().hex[:8]}")
    before = table_digests(env.store, WATCHED)
    bad = text.replace("<gmd:dateStamp>", "<gmd:dateStump>").replace("</gmd:dateStamp>", "</gmd:dateStump>")
    doc = error(env.post_record(IDN_EDITOR, bad, XML), 400, "InvalidValue")
    assert "dateStump" in doc["description"] and "This element is not expected" in doc["description"], doc
    entity = text.replace('<?xml version="1.0" encoding="UTF-8"?>',
                          '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>')
    doc = error(env.post_record(IDN_EDITOR, entity, XML), 400)
    assert "root:" not in doc["description"]
    error(env.post_record(IDN_EDITOR, '{"type": "Feature", "properties": {"title": 5}}'), 400, "InvalidValue")
    error(env.post_record(IDN_EDITOR, "not json"), 400)
    error(env.post_record(IDN_EDITOR, "x", "text/plain"), 415)
    assert table_digests(env.store, WATCHED) == before


def test_an_iso_document_goes_through_review(env, tmp_path):
    rid = f"idn-iso-{uuid.uuid4().hex[:8]}"
    text, title = iso_record(tmp_path, rid)
    r = env.post_record(IDN_EDITOR, text, "application/vnd.iso.19139+xml")
    cs = change_set_of(r)
    assert r.json()["records"] == [rid]
    env.act(cs, "approve", REVIEWER)
    got = env.http.get(f"{env.url}/collections/catalog/items/{rid}", params={"f": "xml"}, timeout=60)
    assert got.status_code == 200
    tree = etree.fromstring(got.content, safe_parser())
    assert tree.findtext("gmd:fileIdentifier/gco:CharacterString", namespaces=NS) == rid
    assert env.record(rid).json()["properties"]["title"] == title
    assert env.record(rid).json()["properties"]["country"] == "IDN"


def test_csw_transaction_submits_a_change_set_and_the_record_appears_on_approval(env, tmp_path):
    rid = f"idn-csw-{uuid.uuid4().hex[:8]}"
    text, title = iso_record(tmp_path, rid)
    csw = owslib_csw(env, IDN_EDITOR)
    assert "Transaction" in [op.name for op in csw.operations]
    csw.transaction(ttype="insert", typename="gmd:MD_Metadata", record=text.split("?>", 1)[1].encode())
    assert csw.exceptionreport is None, csw.response
    assert summary(csw) == (1, 0, 0)
    assert csw.results["insertresults"] == [rid]
    cs = submitted_change_set(csw)
    assert store_support.change_set_row(env.store, cs)["state"] == "submitted"
    reader = owslib_csw(env)
    reader.getrecordbyid(id=[rid])
    assert rid not in reader.records  # not before the review
    env.act(cs, "approve", REVIEWER)
    reader.getrecordbyid(id=[rid], outputschema=NS["gmd"])
    assert reader.records[rid].identification.title == title

    # A Dublin Core update and a delete by constraint, each a change set of its own.
    dc = (f'<csw:Record xmlns:csw="{NS["csw"]}" xmlns:dc="{NS["dc"]}" xmlns:dct="{NS["dct"]}" '
          f'xmlns:ows="{NS["ows"]}"><dc:identifier>{rid}</dc:identifier><dc:title>Renamed by CSW</dc:title>'
          f'<dc:type>dataset</dc:type><dct:abstract>Updated through CSW-T.</dct:abstract>'
          f'<ows:BoundingBox crs="urn:ogc:def:crs:EPSG::4326"><ows:LowerCorner>-6 95</ows:LowerCorner>'
          f'<ows:UpperCorner>6 106</ows:UpperCorner></ows:BoundingBox></csw:Record>')
    csw.transaction(ttype="update", typename="csw:Record", record=dc.encode())
    assert csw.exceptionreport is None, csw.response
    assert summary(csw) == (0, 1, 0)
    env.act(submitted_change_set(csw), "approve", REVIEWER)
    published = env.record(rid).json()
    assert published["properties"]["title"] == "Renamed by CSW"
    xs = [c[0] for c in published["geometry"]["coordinates"][0]]
    ys = [c[1] for c in published["geometry"]["coordinates"][0]]
    assert (min(xs), min(ys), max(xs), max(ys)) == (95, -6, 106, 6)  # EPSG:4326 read latitude first

    csw.transaction(ttype="delete", identifier=rid)
    assert csw.exceptionreport is None, csw.response
    assert summary(csw) == (0, 0, 1)
    assert env.record(rid).status_code == 200  # until approved
    env.act(submitted_change_set(csw), "approve", REVIEWER)
    assert env.record(rid).status_code == 404


def test_csw_transaction_needs_an_account_and_a_valid_document(env, tmp_path):
    text, _ = iso_record(tmp_path, f"idn-csw-{uuid.uuid4().hex[:8]}")
    body = (f'<csw:Transaction xmlns:csw="{NS["csw"]}" service="CSW" version="2.0.2"><csw:Insert>'
            + text.split("?>", 1)[1] + "</csw:Insert></csw:Transaction>")
    before = table_digests(env.store, WATCHED)
    anonymous = env.http.post(f"{env.url}/csw", data=body.encode(), headers={"Content-Type": XML}, timeout=60)
    assert anonymous.status_code == 401
    bad = body.replace("<gmd:dateStamp>", "<gmd:dateStump>").replace("</gmd:dateStamp>", "</gmd:dateStump>")
    r = env.call("POST", "/csw", IDN_EDITOR, bad, XML)
    assert r.status_code == 400, r.text
    report = etree.fromstring(r.content, safe_parser())
    assert report.tag == f"{{{NS['ows']}}}ExceptionReport"
    assert "dateStump" in "".join(report.itertext())
    assert table_digests(env.store, WATCHED) == before


def test_amis_own_records_are_not_written(env):
    derived = rows(env.store, "SELECT id FROM amis_records WHERE origin = 'derived' ORDER BY id LIMIT 1")[0][0]
    before = table_digests(env.store, WATCHED)
    for user in (IDN_EDITOR, REVIEWER, ADMIN):
        doc = error(env.call("PUT", f"/collections/catalog/items/{derived}", user,
                             geojson_record(derived, "Rewritten"), GEOJSON), 409, "Conflict")
        assert "kept by AMIS" in doc["description"]
        error(env.call("DELETE", f"/collections/catalog/items/{derived}", user), 409, "Conflict")
    error(env.post_record(REVIEWER, geojson_record("amis:collection:forged", "Forged")), 409, "Conflict")
    assert table_digests(env.store, WATCHED) == before


def test_a_reviewer_writes_a_regional_record(env):
    rid = f"asean-{uuid.uuid4().hex[:8]}"
    cs = change_set_of(env.post_record(REVIEWER, geojson_record(rid, "ASEAN mineral map")))
    # The author may not approve their own change set; another reviewer or an administrator does.
    assert env.call("POST", f"/changesets/{cs}/approve", REVIEWER).status_code == 403
    env.act(cs, "approve", ADMIN)
    assert "country" not in env.record(rid).json()["properties"]


def head_links(env: Env, path: str) -> list[dict]:
    from lxml import html
    r = env.http.get(env.url + path, params={"f": "html"}, timeout=60)
    assert r.status_code == 200, r.text[:300]
    return [dict(link.attrib) for link in html.fromstring(r.content).xpath("/html/head/link[@rel != 'stylesheet']")]


def test_html_pages_link_their_other_encodings_and_metadata(env):
    collection = rows(env.store, "SELECT id FROM amis_records WHERE origin = 'derived' AND id LIKE "
                                 "'amis:collection:%' ORDER BY id LIMIT 1")[0][0].split(":", 2)[2]
    links = head_links(env, f"/collections/{collection}")
    described = {link["type"]: link["href"] for link in links if link["rel"] == "describedby"}
    assert set(described) == {"application/geo+json", "application/xml"}
    for media, href in described.items():  # each resolves to the collection's record in that encoding
        r = env.http.get(href, timeout=60)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(media), (href, r.status_code)
    record = f"amis:collection:{collection}"
    alternates = {link["type"]: link["href"] for link in head_links(env, f"/collections/catalog/items/{record}")
                  if link["rel"] == "alternate"}
    assert set(alternates) == {"application/geo+json", "application/xml"}
    assert env.http.get(alternates["application/geo+json"], timeout=60).json()["id"] == record
    landing = head_links(env, "/")
    assert f"{env.url}/collections/catalog" in [link["href"] for link in landing if link["rel"] == "related"]
    assert "/collections/catalog?f=html" in env.http.get(env.url + "/", params={"f": "html"}, timeout=60).text
