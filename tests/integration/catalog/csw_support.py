"""Helpers and fixtures of the CSW 2.0.2 tests (test_csw_*.py; the catalogue's own tests
are the others in this folder).

- the records: N ISO 19139 documents of ../shared/bench/make_iso_records.py (deterministic),
  imported with `amis catalog import` into a store of their own, served by `amis serve`;
- the expected side: the same documents read with lxml into an SQLite table
  (`ExpectedCatalogue`), and the searches computed there in SQL/Python, never from AMIS's
  answers;
- validation: every XML answer with xmllint against CSW 2.0.2 (tests/schemas/csw-2.0.2-libxml2.xsd,
  the envelope) and each ISO record against the ISO 19139 gmd schema of its GML (2006-05-04
  with GML 3.1.1, 2007-04-17 with GML 3.2.1).

The `csw` fixture is the folder's conftest's (one per worker for every CSW module); the
helpers are imported by the test modules.
"""
from __future__ import annotations

import copy
import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

import store_support
import requests
from lxml import etree

from support import REPO_ROOT, AmisServer, http_session, run_amis
from wfs_support import xmllint  # tests/schemas/ogc/catalog.xml, which maps the 2006 gmd to static/schemas

GENERATOR = Path(os.environ.get("AMIS_ISO_GENERATOR", REPO_ROOT.parent / "shared" / "bench" / "make_iso_records.py"))
SCHEMAS = REPO_ROOT / "tests" / "schemas"
CSW_XSD = SCHEMAS / "csw-2.0.2-libxml2.xsd"
GMD_2006_XSD = REPO_ROOT / "static" / "schemas" / "iso" / "19139" / "20060504" / "gmd" / "gmd.xsd"
GMD_2007_XSD = SCHEMAS / "ogc" / "iso" / "19139" / "20070417" / "gmd" / "gmd.xsd"

NS = {
    "csw": "http://www.opengis.net/cat/csw/2.0.2",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dct": "http://purl.org/dc/terms/",
    "ows": "http://www.opengis.net/ows",
    "ogc": "http://www.opengis.net/ogc",
    "gml": "http://www.opengis.net/gml",
    "gml32": "http://www.opengis.net/gml/3.2",
    "gmd": "http://www.isotc211.org/2005/gmd",
    "gco": "http://www.isotc211.org/2005/gco",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
CSW_RECORD_COUNT = 10_050  # more than 10,000: paging has no cap there


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False, huge_tree=True)


def parse(document: bytes) -> etree._Element:
    return etree.fromstring(document, safe_parser())


# --------------------------------------------------------------------------- the records


def generate_records(n: int, out: Path) -> Path:
    if not GENERATOR.is_file():
        pytest.fail(f"no ISO record generator at {GENERATOR} (set AMIS_ISO_GENERATOR)", pytrace=False)
    subprocess.run(["/usr/bin/python3", str(GENERATOR), "--no-load", "-n", str(n), "--out", str(out)],
                   check=True, capture_output=True, timeout=600)
    return out / "records"


@dataclass
class ExpectedRecord:
    id: str
    title: str
    abstract: str
    keywords: list[str]
    topics: list[str]
    type: str
    west: float
    south: float
    east: float
    north: float


def _text(node, path: str) -> str:
    found = node.find(path, NS)
    return "" if found is None else "".join(found.itertext()).strip()


def read_expected(path: Path) -> ExpectedRecord:
    md = etree.parse(str(path), safe_parser()).getroot()
    ident = md.find("gmd:identificationInfo/*", NS)
    box = ident.find(".//gmd:EX_GeographicBoundingBox", NS)
    keywords = [_text(k, ".") for k in ident.findall("gmd:descriptiveKeywords/gmd:MD_Keywords/gmd:keyword", NS)]
    scope = md.find("gmd:hierarchyLevel/gmd:MD_ScopeCode", NS)
    return ExpectedRecord(
        id=_text(md, "gmd:fileIdentifier/gco:CharacterString"),
        title=_text(ident, "gmd:citation/gmd:CI_Citation/gmd:title/gco:CharacterString"),
        abstract=_text(ident, "gmd:abstract/gco:CharacterString"),
        keywords=keywords,
        topics=[_text(t, ".") for t in ident.findall("gmd:topicCategory/gmd:MD_TopicCategoryCode", NS)],
        type=scope.get("codeListValue") if scope is not None else "dataset",
        west=float(_text(box, "gmd:westBoundLongitude/gco:Decimal")),
        east=float(_text(box, "gmd:eastBoundLongitude/gco:Decimal")),
        south=float(_text(box, "gmd:southBoundLatitude/gco:Decimal")),
        north=float(_text(box, "gmd:northBoundLatitude/gco:Decimal")))


class ExpectedCatalogue:
    """The records in an in-memory SQLite table; searches written in SQL here."""

    def __init__(self, records: list[ExpectedRecord]):
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE TABLE r (id TEXT PRIMARY KEY, title TEXT, anytext TEXT, type TEXT, "
                        "west REAL, south REAL, east REAL, north REAL)")
        self.db.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            (r.id, r.title, "\n".join([r.title, r.abstract, *r.keywords, *r.topics]).lower(), r.type,
             r.west, r.south, r.east, r.north) for r in records])
        self.by_id = {r.id: r for r in records}

    def ids(self, where: str = "1", params: tuple = ()) -> set[str]:
        return {row[0] for row in self.db.execute(f"SELECT id FROM r WHERE {where}", params)}

    def intersecting(self, west: float, south: float, east: float, north: float) -> set[str]:
        return self.ids("west <= ? AND east >= ? AND south <= ? AND north >= ?", (east, west, north, south))

    def with_words(self, *words: str) -> set[str]:
        """Records whose title, abstract, keywords or topic categories hold every word
        (case-insensitive substrings: what pycsw and AMIS give csw:AnyText)."""
        return self.ids(" AND ".join("instr(anytext, ?) > 0" for _ in words) or "1",
                        tuple(w.lower() for w in words))


@dataclass
class CswEnvironment:
    url: str  # the /csw endpoint
    records_dir: Path
    editor_token: str  # a member state editor's API token
    expected: ExpectedCatalogue
    server: AmisServer


@pytest.fixture(scope="session")
def csw(tmp_path_factory, amis_bin) -> CswEnvironment:
    work = tmp_path_factory.mktemp("csw")
    records_dir = generate_records(CSW_RECORD_COUNT, work / "iso")
    store = work / "catalogue.gpkg"
    imported = run_amis("catalog", "import", records_dir, "--store", store, timeout=900)
    assert imported.returncode == 0, imported.stderr
    assert f"{CSW_RECORD_COUNT} records imported" in imported.stdout, imported.stdout
    expected = ExpectedCatalogue([read_expected(p) for p in sorted(records_dir.glob("*.xml"))])
    assert len(expected.by_id) == CSW_RECORD_COUNT
    added = store_support.amis("user", "add", "csw-editor", "--role", "editor", "--country", "THA",
                               "--store", store, stdin="a long enough password 0123\n")
    assert added.returncode == 0, added.stderr
    token = run_amis("token", "create", "csw-editor", "--store", store)
    assert token.returncode == 0, token.stderr
    server = AmisServer(store, work, name="csw")
    server.start()
    yield CswEnvironment(server.url + "/csw", records_dir, token.stdout.strip(), expected, server)
    alive = server.alive()
    status = server.stop()
    assert alive, f"amis serve died during the CSW tests:\n{server.stderr()}"
    assert status == 0, server.stderr()


# --------------------------------------------------------------------------- requests and checks


def kvp(env: CswEnvironment, **params) -> requests.Response:
    query = {"service": "CSW", "version": "2.0.2", **params}
    return http_session().get(env.url, params=query, timeout=120)


def post(env: CswEnvironment, body: str | bytes, content_type: str = "application/xml") -> requests.Response:
    return http_session().post(env.url, data=body, headers={"Content-Type": content_type}, timeout=120)


def assert_schema_valid(document: bytes) -> None:
    """A CSW answer valid against CSW 2.0.2 (OWS 1.0 for exception reports), and each ISO
    record in it against the gmd schema of its GML version."""
    root = parse(document)
    iso = [e for e in root.iter(f"{{{NS['gmd']}}}MD_Metadata")]
    envelope = copy.deepcopy(root)
    for md in envelope.iter(f"{{{NS['gmd']}}}MD_Metadata"):
        md.getparent().remove(md)
    ok, errors = xmllint(etree.tostring(envelope), CSW_XSD)
    assert ok, f"not valid CSW 2.0.2:\n{errors[:3000]}"
    for md in iso:
        gml32 = any(e.tag.startswith(f"{{{NS['gml32']}}}") for e in md.iter() if isinstance(e.tag, str))
        text = etree.tostring(md)
        ok, errors = xmllint(text, GMD_2007_XSD if gml32 else GMD_2006_XSD)
        assert ok, f"ISO record not valid against gmd ({'2007' if gml32 else '2006'}):\n{errors[:3000]}"


def assert_exception(response: requests.Response, status: int, code: str, locator: str | None = None) -> str:
    """An OWS 1.0 ExceptionReport (valid) with this status and exceptionCode; its text."""
    assert response.status_code == status, (response.status_code, response.text[:1000])
    assert response.headers["Content-Type"].startswith("application/xml"), response.headers
    assert_schema_valid(response.content)
    root = parse(response.content)
    assert root.tag == f"{{{NS['ows']}}}ExceptionReport", response.text[:500]
    exception = root.find("ows:Exception", NS)
    assert exception.get("exceptionCode") == code, response.text[:1000]
    if locator is not None:
        assert exception.get("locator") == locator, response.text[:1000]
    return _text(exception, "ows:ExceptionText")


def search_results(document: bytes) -> tuple[etree._Element, list[str]]:
    """The csw:SearchResults element and the ids of its records (Dublin Core or ISO)."""
    root = parse(document)
    assert root.tag == f"{{{NS['csw']}}}GetRecordsResponse", document[:500]
    results = root.find("csw:SearchResults", NS)
    ids = [e.text for e in results.findall("*/dc:identifier", NS)]
    ids += [e.text for e in results.findall("gmd:MD_Metadata/gmd:fileIdentifier/gco:CharacterString", NS)]
    return results, ids
