"""Character references to characters XML 1.0 forbids (issue 21): `A&#0;B` was stored as "A".
XML 1.0 (2.2, WFC "Legal Character") makes such a reference not well-formed, so a WFS-T
Transaction (and any XML request) holding one - or the forbidden character itself - is a
400 OperationParsingFailed, and nothing is stored. Allowed references (&#x9; &#xA; &#xD;
&#x20; &#xE9; &#x1F600;) keep working. Oracle: the coal_mines table and the change set
tables read with sqlite3."""
from __future__ import annotations

import pytest

from hostile_support import start_site, stop_site
from store_support import rows, table_digests
from wfs_support import AMIS_NS, NS, exception_report

NS20 = f'xmlns:wfs="{NS["wfs"]}" xmlns:fes="{NS["fes"]}" xmlns:gml="{NS["gml"]}" xmlns:amis="{AMIS_NS}"'
WATCHED = ("coal_mines", "amis_change_sets", "amis_changes", "amis_feature_versions")


@pytest.fixture(scope="module")
def site(tmp_path_factory, store_path):
    work = tmp_path_factory.mktemp("xml-char-refs")
    s = start_site(work, work / "store.gpkg", '[editing]\ndirect_publish = ["admin"]\n',
                   {"secretariat": ("admin", None)}, name="xml-char-refs", copy_from=store_path)
    yield s
    stop_site(s)


def insert(mine_name: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<wfs:Transaction service="WFS" version="2.0.0" {NS20}>'
            f'<wfs:Insert><amis:coal_mines><amis:geometry><gml:Point srsName="urn:ogc:def:crs:EPSG::4326">'
            f'<gml:pos>15 101</gml:pos></gml:Point></amis:geometry><amis:mine_name>{mine_name}</amis:mine_name>'
            f'<amis:iso3>THA</amis:iso3></amis:coal_mines></wfs:Insert></wfs:Transaction>').encode()


def post(site, body: bytes):
    return site.call("POST", "/wfs", "secretariat", body, content_type="application/xml")


FORBIDDEN = ["A&#0;B", "A&#x0;B", "A&#x1;B", "A&#1;B", "A&#x8;B", "A&#xB;B", "A&#xC;B", "A&#x1F;B",
             "A&#xD800;B", "A&#xDFFF;B", "A&#xFFFE;B", "A&#xFFFF;B", "A&#x110000;B", "A&#99999999999;B",
             "A&#x;B", "A&#;B", "A&#12a;B", "A&#xG1;B"]


@pytest.mark.parametrize("text", FORBIDDEN)
def test_forbidden_character_references_are_refused(site, text):
    before = table_digests(site.store, WATCHED)
    r = post(site, insert(text))
    (e, *_) = exception_report(r, 400)
    assert e.code == "OperationParsingFailed", (e.code, e.texts)
    assert table_digests(site.store, WATCHED) == before


@pytest.mark.parametrize("raw", [b"\x00", b"\x01", b"\x0b", b"\x1f"])
def test_forbidden_characters_themselves_are_refused(site, raw):
    before = table_digests(site.store, WATCHED)
    r = post(site, insert("A{}B").replace(b"A{}B", b"A" + raw + b"B"))
    (e, *_) = exception_report(r, 400)
    assert e.code == "OperationParsingFailed", (e.code, e.texts)
    assert table_digests(site.store, WATCHED) == before


def test_a_forbidden_reference_in_a_get_feature_filter_is_refused(site):
    body = (f'<wfs:GetFeature service="WFS" version="2.0.0" {NS20}><wfs:Query typeNames="amis:coal_mines">'
            f'<fes:Filter><fes:PropertyIsEqualTo><fes:ValueReference>mine_name</fes:ValueReference>'
            f'<fes:Literal>A&#0;B</fes:Literal></fes:PropertyIsEqualTo></fes:Filter></wfs:Query></wfs:GetFeature>')
    (e, *_) = exception_report(site.call("POST", "/wfs", None, body, content_type="application/xml"), 400)
    assert e.code == "OperationParsingFailed", (e.code, e.texts)


@pytest.mark.parametrize("text, stored", [("tab&#x9;lf&#xA;end", "tab\tlf\nend"), ("caf&#xE9; &#233;", "caf\u00e9 \u00e9"),
                                          ("emoji &#x1F600;", "emoji \U0001F600"), ("sp&#x20;ace", "sp ace")])
def test_allowed_references_are_stored_as_their_characters(site, text, stored):
    r = post(site, insert(text))
    assert r.status_code == 200, r.text[:400]
    found = rows(site.store, "SELECT count(*) FROM coal_mines WHERE mine_name = ?", stored)[0][0]
    assert found == 1, (text, rows(site.store, "SELECT mine_name FROM coal_mines ORDER BY fid DESC LIMIT 3"))
