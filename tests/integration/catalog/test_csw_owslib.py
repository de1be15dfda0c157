"""CSW 2.0.2 through OWSLib's CatalogueServiceWeb (the library QGIS MetaSearch and most
Python tools use), on 10,050 generated ISO records; every expectation computed from the ISO
documents themselves in SQLite (csw_support.ExpectedCatalogue)."""
from __future__ import annotations

import pytest
from owslib.csw import CatalogueServiceWeb
from owslib.fes import BBox, PropertyIsEqualTo, PropertyIsLike

from csw_support import CSW_RECORD_COUNT, NS, parse

GMD = "http://www.isotc211.org/2005/gmd"


@pytest.fixture(scope="module")
def client(csw):
    return CatalogueServiceWeb(csw.url, timeout=120)


def test_capabilities_name_the_operations_and_the_iso_profile(client):
    assert client.identification.type == "CSW"
    assert client.identification.version == "2.0.2"
    operations = {op.name for op in client.operations}
    assert {"GetCapabilities", "DescribeRecord", "GetRecords", "GetRecordById", "GetDomain"} <= operations
    get_records = client.get_operation_by_name("GetRecords")
    assert GMD in get_records.parameters["outputSchema"]["values"]
    assert "apiso:Title" in get_records.constraints[0].values + get_records.constraints[1].values
    assert client.constraints["IsoProfiles"].values == [GMD]


@pytest.mark.parametrize("box,word", [((100.0, 0.0, 120.0, 20.0), "gold"),
                                      ((92.0, -11.0, 146.0, 46.0), "nickel"),
                                      ((125.0, 33.0, 130.0, 38.6), "copper")])
def test_bbox_and_anytext_find_what_sqlite_finds(csw, client, box, word):
    west, south, east, north = box
    # EPSG:4326 in the order that CRS defines: latitude first (what MetaSearch sends).
    constraints = [[BBox([south, west, north, east], crs="urn:ogc:def:crs:EPSG::4326"),
                    PropertyIsLike("csw:AnyText", f"%{word}%")]]
    expected = csw.expected.intersecting(*box) & csw.expected.with_words(word)
    assert expected, "the generated records should hold some"
    client.getrecords2(constraints=constraints, maxrecords=100, esn="brief")
    assert client.results["matches"] == len(expected)
    assert set(client.records) <= expected
    assert len(client.records) == min(100, len(expected))


def test_paging_to_the_end_without_loss_or_duplicates(csw, client):
    """Every record once, in pages of 1,000 (streamed pages) past the 10,000th."""
    seen: list[str] = []
    start = 1
    while start:
        client.getrecords2(startposition=start, maxrecords=1000, esn="brief")
        assert client.results["matches"] == CSW_RECORD_COUNT
        seen += list(client.records)
        start = client.results["nextrecord"]
        assert start == 0 or start == len(seen) + 1
    assert len(seen) == len(set(seen)) == CSW_RECORD_COUNT
    assert set(seen) == set(csw.expected.by_id)


def test_a_filtered_search_pages_to_the_end(csw, client):
    expected = csw.expected.ids("type = 'series'")
    assert 0 < len(expected) < CSW_RECORD_COUNT
    seen: list[str] = []
    start = 1
    while start:
        client.getrecords2(constraints=[PropertyIsEqualTo("apiso:Type", "series")], startposition=start,
                           maxrecords=150, esn="summary")
        assert client.results["matches"] == len(expected)
        seen += list(client.records)
        start = client.results["nextrecord"]
    assert len(seen) == len(set(seen))
    assert set(seen) == expected


def test_get_record_by_id_as_dublin_core(csw, client):
    record_id = sorted(csw.expected.by_id)[17]
    expected = csw.expected.by_id[record_id]
    client.getrecordbyid([record_id], esn="full")
    record = client.records[record_id]
    assert record.title == expected.title
    assert record.abstract == expected.abstract
    assert set(expected.keywords) <= set(record.subjects)
    # owslib reads the EPSG:4326 box (latitude first) back into longitude/latitude
    assert float(record.bbox.minx) == pytest.approx(expected.west)
    assert float(record.bbox.miny) == pytest.approx(expected.south)
    assert float(record.bbox.maxx) == pytest.approx(expected.east)
    assert float(record.bbox.maxy) == pytest.approx(expected.north)


def test_get_record_by_id_as_iso_19139(csw, client):
    record_id = sorted(csw.expected.by_id)[42]
    expected = csw.expected.by_id[record_id]
    client.getrecordbyid([record_id], outputschema=GMD)
    record = client.records[record_id]
    assert record.identifier == record_id
    assert record.identification.title == expected.title
    assert record.identification.abstract == expected.abstract
    box = record.identification.bbox
    assert float(box.minx) == pytest.approx(expected.west)
    assert float(box.maxy) == pytest.approx(expected.north)
