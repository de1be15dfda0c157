"""Harvesting a national AMIS node into the regional catalogue (issue 16): over CSW 2.0.2
(ISO 19139), OGC API - Records, OGC API - Features collections and WMS/WFS capabilities;
incremental re-harvests; records changed and deleted at the source; and the harvested
records read back through OWSLib's CSW client on the regional node.

Oracles: the national node read directly (OWSLib's CatalogueServiceWeb, WebMapService,
WebFeatureService; its /collections), the store's own tables read with sqlite3/psycopg2."""
from __future__ import annotations

import contextlib

import pytest
import requests
from owslib.csw import CatalogueServiceWeb
from owslib.fes import PropertyIsLike
from owslib.wfs import WebFeatureService
from owslib.wms import WebMapService
from owslib.wmts import WebMapTileService

import store_support
import support
from federation_support import (build_national_store, build_regional_store, harvest, node, regional_config,
                                start)

ISO_RECORDS = 40


@pytest.fixture(scope="module")
def national(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("national")
    server = start(build_national_store(work, ISO_RECORDS), work / "logs", "national")
    yield server
    alive = server.alive()
    server.stop()
    assert alive, server.stderr()


@pytest.fixture(scope="module")
def regional(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("regional")
    store = build_regional_store(work)
    server = start(store, work / "logs", "regional", regional_config(work))
    yield server
    alive = server.alive()
    server.stop()
    assert alive, server.stderr()


def all_source_records(url: str) -> dict[str, str]:
    """id -> title of every record of a CSW, read with OWSLib (Dublin Core), page after page."""
    csw = CatalogueServiceWeb(url + "/csw", timeout=60)
    out: dict[str, str] = {}
    start_position = 1
    while True:
        csw.getrecords2(esn="full", startposition=start_position, maxrecords=100)
        out.update({k: r.title for k, r in csw.records.items()})
        if not csw.results["nextrecord"] or csw.results["nextrecord"] > csw.results["matches"]:
            return out
        start_position = csw.results["nextrecord"]


def harvested_through_owslib(url: str, node_name: str) -> dict[str, str]:
    """source id -> title of the regional catalogue's records of one node, searched with OWSLib."""
    csw = CatalogueServiceWeb(url + "/csw", timeout=60)
    out: dict[str, str] = {}
    start_position = 1
    while True:
        csw.getrecords2(constraints=[PropertyIsLike("apiso:Identifier", f"{node_name}:%")], esn="full",
                        startposition=start_position, maxrecords=100)
        out.update({k.split(":", 1)[1]: r.title for k, r in csw.records.items()})
        if not csw.results["nextrecord"] or csw.results["nextrecord"] > csw.results["matches"]:
            return out
        start_position = csw.results["nextrecord"]


def stored_ids(store, node_name: str) -> set[str]:
    return {r[0] for r in store_support.rows(store, "SELECT id FROM amis_records WHERE id LIKE ?", f"{node_name}:%")}


def updated_of(store, node_name: str) -> dict[str, str]:
    return dict(store_support.rows(store, "SELECT id, updated FROM amis_records WHERE id LIKE ?", f"{node_name}:%"))


def test_csw_harvest_matches_the_source_read_with_owslib(national, regional):
    expected = all_source_records(national.url)
    assert len(expected) >= ISO_RECORDS + 2  # the ISO records and the national collections' records
    done, _ = node(regional.store, "add", "natcsw", national.url + "/csw", "--kind", "csw", "--country", "IDN",
                   "--schedule", "off")
    assert done.returncode == 0, done.stderr
    code, report = harvest(regional.store, "natcsw")
    assert code == 0 and report["status"] == "succeeded", report
    assert report["added"] == len(expected) and report["failed"] == 0 and report["withdrawn"] == 0
    assert harvested_through_owslib(regional.url, "natcsw") == expected
    # Provenance: the node, the id there, when.
    one = next(iter(expected))
    record = requests.get(f"{regional.url}/collections/catalog/items/natcsw:{one}", params={"f": "json"},
                          timeout=30).json()
    provenance = record["properties"]["provenance"]
    assert provenance["sourceNode"] == "natcsw" and provenance["sourceId"] == one and provenance["harvestedAt"]
    assert record["properties"]["origin"] == "harvested"


def test_an_unchanged_reharvest_writes_nothing(national, regional):
    before = updated_of(regional.store, "natcsw")
    assert before, "the CSW harvest must have run first"
    code, report = harvest(regional.store, "natcsw")
    assert code == 0, report
    assert (report["added"], report["updated"], report["withdrawn"], report["failed"]) == (0, 0, 0, 0), report
    assert report["unchanged"] == len(before)
    assert updated_of(regional.store, "natcsw") == before


def test_records_harvest_of_an_amis_node(national, regional):
    source = requests.get(f"{national.url}/collections/catalog/items", params={"f": "json", "limit": 10000},
                          timeout=60).json()
    expected = {f["id"]: f["properties"]["title"] for f in source["features"]}
    done, _ = node(regional.store, "add", "natrec", national.url, "--kind", "amis", "--country", "IDN",
                   "--schedule", "off")
    assert done.returncode == 0, done.stderr
    code, report = harvest(regional.store, "natrec")
    assert code == 0 and report["added"] == len(expected) and report["failed"] == 0, report
    assert harvested_through_owslib(regional.url, "natrec") == expected
    code, again = harvest(regional.store, "natrec")
    assert code == 0 and again["unchanged"] == len(expected) and again["added"] == again["updated"] == 0, again


def test_features_collections_become_records(national, regional):
    collections = requests.get(f"{national.url}/collections", params={"f": "json"}, timeout=30).json()
    expected = {c["id"]: c["title"] for c in collections["collections"] if c.get("itemType", "feature") != "record"}
    assert {"idn_mines", "idn_deposits"} <= set(expected)
    node(regional.store, "add", "natoapif", national.url, "--kind", "oapif", "--country", "IDN", "--schedule", "off")
    code, report = harvest(regional.store, "natoapif")
    assert code == 0 and report["added"] == len(expected), report
    got = harvested_through_owslib(regional.url, "natoapif")
    assert got == expected
    mines = requests.get(f"{regional.url}/collections/catalog/items/natoapif:idn_mines", params={"f": "json"},
                         timeout=30).json()
    assert mines["properties"]["country"] == "IDN"
    items = [link for link in mines["links"] if link.get("protocol") == "OGC API - Features"]
    assert items and items[0]["href"].startswith(national.url + "/collections/idn_mines/items")
    box = mines["geometry"]["coordinates"][0]
    assert min(p[0] for p in box) == pytest.approx(110.0) and max(p[0] for p in box) == pytest.approx(112.5)


def test_wms_and_wfs_capabilities_become_records(national, regional):
    layers = {name: layer.title for name, layer in WebMapService(national.url + "/wms", version="1.3.0").contents.items()}
    types = {name: t.title for name, t in WebFeatureService(national.url + "/wfs", version="2.0.0").contents.items()}
    node(regional.store, "add", "natwms", national.url + "/wms", "--kind", "wms", "--country", "IDN", "--schedule", "off")
    node(regional.store, "add", "natwfs", national.url + "/wfs", "--kind", "wfs", "--country", "IDN", "--schedule", "off")
    code, report = harvest(regional.store, "natwms")
    assert code == 0 and report["added"] == len(layers), report
    code, report = harvest(regional.store, "natwfs")
    assert code == 0 and report["added"] == len(types), report
    assert harvested_through_owslib(regional.url, "natwms") == layers
    assert harvested_through_owslib(regional.url, "natwfs") == types
    name = next(iter(types))
    record = requests.get(f"{regional.url}/collections/catalog/items/natwfs:{name}", params={"f": "json"},
                          timeout=30).json()
    link = [l for l in record["links"] if l.get("protocol") == "OGC:WFS"][0]
    assert link["href"] == national.url + "/wfs" and link["name"] == name


@pytest.mark.parametrize("name,path", [("natwmts", "/wmts"), ("natwmtsrest", "/wmts/1.0.0/WMTSCapabilities.xml")])
def test_wmts_capabilities_become_records(national, regional, name, path):
    """KVP and RESTful: a record per layer, as OWSLib reads the node's own capabilities."""
    source = WebMapTileService(national.url + path)
    layers = {lid: layer.title for lid, layer in source.contents.items()}
    assert {"idn_mines", "idn_deposits"} <= set(layers), layers
    done, _ = node(regional.store, "add", name, national.url + path, "--kind", "wmts", "--country", "IDN",
                   "--schedule", "off")
    assert done.returncode == 0, done.stderr
    code, report = harvest(regional.store, name)
    assert code == 0 and report["added"] == len(layers) and report["failed"] == 0, report
    assert harvested_through_owslib(regional.url, name) == layers
    record = requests.get(f"{regional.url}/collections/catalog/items/{name}:idn_mines", params={"f": "json"},
                          timeout=30).json()
    link = [link for link in record["links"] if link.get("protocol") == "OGC:WMTS"][0]
    assert link["href"] == national.url + path and link["name"] == "idn_mines"
    assert link["type"] in source.contents["idn_mines"].formats
    w, s, e, n = source.contents["idn_mines"].boundingBoxWGS84
    box = record["geometry"]["coordinates"][0]
    assert (min(p[0] for p in box), min(p[1] for p in box)) == (pytest.approx(w), pytest.approx(s))
    assert (max(p[0] for p in box), max(p[1] for p in box)) == (pytest.approx(e), pytest.approx(n))


def test_removing_a_node_withdraws_its_records(national, regional):
    node(regional.store, "add", "natgone", national.url + "/wfs", "--kind", "wfs", "--country", "IDN",
         "--schedule", "off")
    code, report = harvest(regional.store, "natgone")
    assert code == 0 and report["added"] > 0
    assert stored_ids(regional.store, "natgone")
    done, _ = node(regional.store, "remove", "natgone")
    assert done.returncode == 0 and f"{report['added']} records withdrawn" in done.stdout, done.stdout
    assert not stored_ids(regional.store, "natgone")
    done, _ = node(regional.store, "show", "natgone")
    assert done.returncode != 0 and "no node 'natgone'" in done.stderr


def test_changes_and_deletions_at_the_source(tmp_path, regional, amis_bin):
    """A national node of its own, changed between harvests: one ISO record edited (imported
    again with a new title), one deleted; the re-harvest updates one and withdraws one."""
    from csw_support import generate_records
    from support import run_amis
    work = tmp_path / "changing"
    store = build_national_store(work, 6)
    source = start(store, work / "logs", "changing")
    try:
        node(regional.store, "add", "natchg", source.url + "/csw", "--kind", "csw", "--country", "IDN",
             "--schedule", "off")
        code, first = harvest(regional.store, "natchg")
        assert code == 0 and first["added"] == 8, first  # 6 ISO records and 2 collections
        files = sorted((work / "iso" / "records").glob("*.xml"))
        edited, deleted = files[0], files[1]
        text = edited.read_text()
        title_start = text.index("<gco:CharacterString>", text.index("<gmd:title>")) + len("<gco:CharacterString>")
        title_end = text.index("</gco:CharacterString>", title_start)
        edited.write_text(text[:title_start] + "Edited at the source" + text[title_end:])
        done = run_amis("catalog", "import", edited, "--store", store)
        assert done.returncode == 0, done.stderr
        with contextlib.closing(support.connect_store(store, write=True)) as db:  # the source loses one
            db.execute("DELETE FROM amis_records WHERE id = ?", (deleted.stem,))
            db.commit()
        code, second = harvest(regional.store, "natchg")
        assert code == 0, second
        assert (second["added"], second["updated"], second["withdrawn"], second["unchanged"]) == (0, 1, 1, 6), second
        got = harvested_through_owslib(regional.url, "natchg")
        assert got[edited.stem] == "Edited at the source" and deleted.stem not in got
        assert stored_ids(regional.store, "natchg") == {f"natchg:{k}" for k in got}
    finally:
        source.stop()
