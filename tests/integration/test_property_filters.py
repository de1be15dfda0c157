"""property=value filters (OGC API Features Part 1, 7.15.5), compared with SQL run by
sqlite3 directly on the source GeoPackage."""
from __future__ import annotations

import sqlite3

import pytest

from support import COAL_MINES_GPKG, DEMO_SOURCES, fetch_all_items, get_json, read_features


def source_count(where: str, *args) -> int:
    with sqlite3.connect(f"file:{COAL_MINES_GPKG}?mode=ro", uri=True) as db:
        return db.execute(f"SELECT count(*) FROM coal_mines WHERE {where}", args).fetchone()[0]


@pytest.mark.parametrize("params,where,args", [
    ({"iso3": "IDN"}, "iso3 = ?", ("IDN",)),
    ({"status": "Operating"}, "status = ?", ("Operating",)),
    ({"opening_year": "2010"}, "opening_year = ?", (2010,)),
    ({"capacity_mtpa": "25"}, "capacity_mtpa = ?", (25.0,)),
    ({"capacity_mtpa": "0.9"}, "capacity_mtpa = ?", (0.9,)),
    ({"group": "Plus Three"}, '"group" = ?', ("Plus Three",)),
    ({"iso3": "IDN", "status": "Operating"}, "iso3 = ? AND status = ?", ("IDN", "Operating")),
    ({"iso3": "CHN", "opening_year": "2010", "status": "Operating"},
     "iso3 = ? AND opening_year = ? AND status = ?", ("CHN", 2010, "Operating")),
    ({"iso3": "idn"}, "iso3 = ?", ("idn",)),          # values are compared exactly
    ({"iso3": "ZZZ"}, "iso3 = ?", ("ZZZ",)),
])
def test_filter_count_matches_sqlite(http, base_url, params, where, args):
    expected = source_count(where, *args)
    page = get_json(http, f"{base_url}/collections/coal_mines/items", limit=10000, **params)
    assert page["numberMatched"] == expected
    assert page["numberReturned"] == len(page["features"]) == expected
    for f in page["features"]:
        for name, value in params.items():
            got = f["properties"][name]
            assert str(got) == value or (isinstance(got, float) and got == float(value)), (name, got)


def test_filter_on_non_ascii_value(http, base_url):
    """A Chinese mine name, percent-encoded by the client."""
    source = read_features(COAL_MINES_GPKG, "coal_mines")
    name = next(f.properties["mine_name_non_eng"] for f in source if f.properties["mine_name_non_eng"])
    expected = sum(1 for f in source if f.properties["mine_name_non_eng"] == name)
    page = get_json(http, f"{base_url}/collections/coal_mines/items", mine_name_non_eng=name)
    assert page["numberMatched"] == expected >= 1
    assert page["features"][0]["properties"]["mine_name_non_eng"] == name


def test_filter_with_spaces_and_plus_encoding(http, base_url):
    """'Viet Nam' sent as Viet%20Nam and as Viet+Nam (form encoding) are the same value."""
    src = DEMO_SOURCES["countries"]
    expected = [f.properties["iso3"] for f in read_features(src.path) if f.properties["name"] == "Viet Nam"]
    assert expected == ["VNM"]
    for query in ("name=Viet%20Nam", "name=Viet+Nam"):
        page = http.get(f"{base_url}/collections/countries/items?{query}", timeout=30).json()
        assert [f["properties"]["iso3"] for f in page["features"]] == expected, query


def test_filter_combined_with_bbox(http, base_url):
    box = (100.0, -11.0, 141.0, 6.0)
    expected = sum(1 for f in read_features(COAL_MINES_GPKG, "coal_mines")
                   if f.properties["status"] == "Proposed"
                   and box[0] <= f.geometry.GetX() <= box[2] and box[1] <= f.geometry.GetY() <= box[3])
    features, pages = fetch_all_items(http, base_url, "coal_mines", limit=50,
                                      status="Proposed", bbox=",".join(map(str, box)))
    assert pages[0]["numberMatched"] == len(features) == expected


def test_filter_on_the_datetime_collection_property(http, base_url, observations):
    expected = sorted(o.seq for o in observations if o.station == "S2")
    page = get_json(http, f"{base_url}/collections/observations/items", limit=100, station="S2")
    assert sorted(f["properties"]["seq"] for f in page["features"]) == expected


@pytest.mark.parametrize("params", [
    {"opening_year": "abc"},
    {"opening_year": "2010.5"},
    {"opening_year": ""},
    {"capacity_mtpa": "lots"},
    {"capacity_mtpa": "1,5"},
])
def test_type_mismatch_is_400(http, base_url, params):
    r = http.get(f"{base_url}/collections/coal_mines/items", params=params, timeout=30)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["code"] and body["description"]
    assert next(iter(params)) in body["description"]


def test_property_of_another_collection_is_400(http, base_url):
    # 'feature_id' exists in coal_mine_boundaries but not in coal_mines.
    r = http.get(f"{base_url}/collections/coal_mines/items", params={"feature_id": "M0208.B1"}, timeout=30)
    assert r.status_code == 400
