"""KML uploads (issue 21) were always refused ("collection has no properties Name,
Description"), even a KML AMIS had exported itself: GDAL's KML driver gives every placemark
the fields Name and Description. They now fill the collection's properties of that name,
or else (Name) the property AMIS names placemarks after, unless ExtendedData gives it; the
rest is left out. ExtendedData fields the collection lacks are still refused.

Oracles: the KML read with osgeo.ogr (what GDAL makes of it), coal_mines and amis_changes
read with sqlite3."""
from __future__ import annotations

import json
import re

import pytest
from osgeo import gdal, ogr, osr

from hostile_support import json_error, start_site, stop_site
from store_support import rows, table_digests

WATCHED = ("coal_mines", "amis_change_sets", "amis_changes", "amis_feature_versions")
EDITOR = "idn-editor"
KML = "application/vnd.google-earth.kml+xml"


@pytest.fixture(scope="module")
def site(tmp_path_factory, store_path):
    work = tmp_path_factory.mktemp("upload-kml")
    s = start_site(work, work / "store.gpkg", '[server]\nlog_level = "info"\n', {EDITOR: ("editor", "IDN")},
                   name="upload-kml", copy_from=store_path)
    yield s
    stop_site(s)


def exported(site, n: int = 5) -> tuple[bytes, list[int]]:
    """AMIS's own KML of n Indonesian mines with a gem_mine_id used once, and their fids."""
    found = rows(site.store, "SELECT min(fid), gem_mine_id FROM coal_mines WHERE iso3 = 'IDN' AND gem_mine_id IS NOT "
                             "NULL GROUP BY gem_mine_id HAVING count(*) = 1 ORDER BY 1 LIMIT ?", n)
    keys = ",".join(f"'{k}'" for _, k in found)
    r = site.s.get(f"{site.url}/collections/coal_mines/items",
                   params={"f": "kml", "limit": 100, "filter": f"gem_mine_id IN ({keys})"}, timeout=60)
    assert r.status_code == 200, r.text[:300]
    assert r.content.count(b"<Placemark") == n
    return r.content, [f for f, _ in found]


def ogr_fields(path) -> list[str]:
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR, allowed_drivers=["LIBKML"])
    d = ds.GetLayer(0).GetLayerDefn()
    return [d.GetFieldDefn(i).GetName() for i in range(d.GetFieldCount())]


def upload(site, data: bytes, **params):
    return site.call("POST", "/collections/coal_mines/upload", EDITOR, data, content_type=KML,
                     params={"key": "gem_mine_id", **params})


def test_an_unchanged_amis_export_changes_nothing(site, tmp_path):
    data, fids = exported(site)
    path = tmp_path / "export.kml"
    path.write_bytes(data)
    fields = ogr_fields(path)
    assert fields[:2] == ["Name", "description"] and "gem_mine_id" in fields, fields  # what LIBKML reads
    before = table_digests(site.store, WATCHED)
    r = upload(site, data)
    assert r.status_code == 200, r.text
    assert r.json() == {"changeSet": None, "published": False,
                        "summary": {"features": len(fids), "inserted": 0, "replaced": 0, "deleted": 0,
                                    "unchanged": len(fids)}}
    assert table_digests(site.store, WATCHED) == before


def test_an_amis_export_with_a_changed_status_replaces_that_feature(site):
    data, fids = exported(site)
    first_status = re.search(rb'<SimpleData name="status">([^<]*)</SimpleData>', data)
    assert first_status, data[:1000]
    new_status = b"Mothballed" if first_status.group(1) != b"Mothballed" else b"Retired"
    changed = data[:first_status.start(1)] + new_status + data[first_status.end(1):]
    r = upload(site, changed)
    assert r.status_code == 202, r.text
    assert r.json()["summary"] == {"features": len(fids), "inserted": 0, "replaced": 1, "deleted": 0,
                                   "unchanged": len(fids) - 1}
    cs = r.json()["changeSet"]["id"]
    (change,) = rows(site.store, "SELECT operation, fid, properties FROM amis_changes WHERE change_set = ?", cs)
    assert change[0] == "replace" and change[1] == fids[0]
    props = json.loads(change[2])
    assert props["status"] == new_status.decode()
    published = rows(site.store, "SELECT mine_name, gem_mine_id, iso3 FROM coal_mines WHERE fid = ?", fids[0])[0]
    assert (props["mine_name"], props["gem_mine_id"], props["iso3"]) == published


def write_kml(path, fields: list[tuple[str, int]], features: list[tuple[dict, str]]):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ds = ogr.GetDriverByName("KML").CreateDataSource(str(path))
    lyr = ds.CreateLayer("mines", srs, ogr.wkbPoint)
    for name, kind in fields:
        lyr.CreateField(ogr.FieldDefn(name, kind))
    for props, wkt in features:
        f = ogr.Feature(lyr.GetLayerDefn())
        for k, v in props.items():
            f.SetField(k, v)
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        lyr.CreateFeature(f)
    ds = None
    return path


def test_a_gdal_kml_fills_the_name_property_from_the_placemark_name(site, tmp_path):
    """GDAL's KML: Name and Description as placemark name and description, gem_mine_id and
    status as ExtendedData. coal_mines has no 'name': the placemark's name fills mine_name
    (the property AMIS names placemarks after); the description is left out."""
    path = write_kml(tmp_path / "gdal.kml", [("Name", ogr.OFTString), ("Description", ogr.OFTString),
                                             ("gem_mine_id", ogr.OFTString), ("status", ogr.OFTString)],
                     [({"Name": "Kali Baru pit", "Description": "<b>styled</b> balloon text",
                        "gem_mine_id": "M99950", "status": "Proposed"}, "POINT (110.45 -7.35)")])
    assert {"Name", "description", "gem_mine_id", "status"} <= set(ogr_fields(path)), ogr_fields(path)
    r = upload(site, path.read_bytes())
    assert r.status_code == 202, r.text
    cs = r.json()["changeSet"]["id"]
    (change,) = rows(site.store, "SELECT operation, properties FROM amis_changes WHERE change_set = ?", cs)
    props = json.loads(change[1])
    assert change[0] == "insert"
    assert (props["mine_name"], props["gem_mine_id"], props["status"], props["iso3"]) == (
        "Kali Baru pit", "M99950", "Proposed", "IDN")
    assert "balloon" not in change[1]


def test_extended_data_the_collection_lacks_is_still_refused(site, tmp_path):
    path = write_kml(tmp_path / "extra.kml", [("Name", ogr.OFTString), ("gem_mine_id", ogr.OFTString),
                                              ("colour", ogr.OFTString)],
                     [({"Name": "x", "gem_mine_id": "M99951", "colour": "red"}, "POINT (110.45 -7.35)")])
    before = table_digests(site.store, WATCHED)
    doc = json_error(upload(site, path.read_bytes()), 400, "InvalidValue")
    assert "colour" in doc["description"] and "Name" not in doc["description"], doc
    assert table_digests(site.store, WATCHED) == before


def test_links_and_external_styles_in_a_kml_are_never_fetched(site):
    """LIBKML reads the upload, but a NetworkLink, an external styleUrl and an icon on a
    listener of the test's own are never requested."""
    import http.server
    import threading

    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<kml xmlns="http://www.opengis.net/kml/2.2"/>')

        def log_message(self, *args):
            pass

    listener = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{listener.server_address[1]}"
    data = (f'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            f'<NetworkLink><Link><href>{base}/linked.kml</href></Link></NetworkLink>'
            f'<Style id="s"><IconStyle><Icon><href>{base}/icon.png</href></Icon></IconStyle></Style>'
            f'<Placemark><name>Linked pit</name><styleUrl>{base}/styles.kml#x</styleUrl>'
            f'<ExtendedData><Data name="gem_mine_id"><value>M99952</value></Data></ExtendedData>'
            f'<Point><coordinates>110.45,-7.35</coordinates></Point></Placemark></Document></kml>').encode()
    try:
        r = upload(site, data)
        assert r.status_code in (202, 400), r.text
    finally:
        listener.shutdown()
        listener.server_close()
    assert hits == [], hits
