"""bbox: the features served must be exactly those whose geometry intersects the box,
computed here from the source files with osgeo.ogr (GEOS) or plain coordinate tests."""
from __future__ import annotations

from collections import Counter

import pytest

from support import (DEMO_SOURCES, box_polygon, fetch_all_items, get_json,
                     intersects_bbox, read_features)


def mine_key(props: dict, x: float, y: float) -> tuple:
    return (props["gem_mine_id"], props["mine_name"], round(x, 9), round(y, 9))


KEYS = {
    "countries": lambda p: p["iso3"],
    "coal_mine_boundaries": lambda p: p["feature_id"],
    "mine_facilities": lambda p: (p["facility_id"], p["sub_site_name"]),
}


@pytest.fixture(scope="module")
def sources():
    out = {c: read_features(s.path, s.layer) for c, s in DEMO_SOURCES.items()}
    assert len(out["coal_mines"]) == 3122
    return out


def served(http, base_url, collection, bbox) -> tuple[list[dict], int]:
    features, pages = fetch_all_items(http, base_url, collection, bbox=",".join(map(repr, bbox)))
    return features, pages[0]["numberMatched"]


def expected_points(sources, box) -> Counter:
    """Closed box, coordinate comparisons only."""
    minx, miny, maxx, maxy = box
    return Counter(mine_key(f.properties, f.geometry.GetX(), f.geometry.GetY())
                   for f in sources["coal_mines"]
                   if minx <= f.geometry.GetX() <= maxx and miny <= f.geometry.GetY() <= maxy)


def served_points(features) -> Counter:
    return Counter(mine_key(f["properties"], *f["geometry"]["coordinates"]) for f in features)


POINT_BOXES = [
    (100.0, 10.0, 110.0, 20.0),      # mainland South-East Asia
    (95.0, -11.0, 141.0, 6.0),       # Indonesia
    (111.5, 36.0, 113.5, 40.5),      # Shanxi, dense
    (-80.0, -50.0, -70.0, -40.0),    # nothing there
    (-180.0, -90.0, 180.0, 90.0),    # the world
]


@pytest.mark.parametrize("box", POINT_BOXES)
def test_point_bbox_matches_coordinate_test(http, base_url, sources, box):
    features, matched = served(http, base_url, "coal_mines", box)
    expected = expected_points(sources, box)
    assert matched == sum(expected.values())
    assert served_points(features) == expected


def test_point_on_the_box_edge_is_included(http, base_url, sources):
    """The box is closed: a mine exactly on the west/south edge, or a zero-area box at
    the mine, selects it."""
    f = sources["coal_mines"][100]
    x, y = f.geometry.GetX(), f.geometry.GetY()
    for box in [(x, y, x + 0.5, y + 0.5), (x - 0.5, y - 0.5, x, y), (x, y, x, y)]:
        features, matched = served(http, base_url, "coal_mines", box)
        expected = expected_points(sources, box)
        assert mine_key(f.properties, x, y) in expected
        assert served_points(features) == expected, f"box {box}"


@pytest.mark.parametrize("collection,box", [
    ("countries", (100.0, 10.0, 110.0, 20.0)),
    ("countries", (103.5, 1.0, 104.5, 1.6)),        # around Singapore, Malaysia, Indonesia
    ("countries", (125.0, 33.0, 131.0, 39.0)),      # Korea, Japan, China
    ("coal_mine_boundaries", (110.0, 35.0, 115.0, 40.0)),
    ("coal_mine_boundaries", (87.0, -1.0, 132.0, 48.0)),
    ("mine_facilities", (100.0, -5.0, 120.0, 5.0)),
    ("mine_facilities", (114.0, -4.0, 117.0, -1.0)),
])
def test_geometry_bbox_matches_exact_intersection(http, base_url, sources, collection, box):
    key = KEYS[collection]
    expected = Counter(key(f.properties) for f in sources[collection] if intersects_bbox(f.geometry, box))
    features, matched = served(http, base_url, collection, box)
    assert matched == sum(expected.values())
    assert Counter(key(f["properties"]) for f in features) == expected


def envelope_only_boxes(features, key, count=3):
    """Small boxes that overlap a feature's envelope but not the feature itself, found by
    scanning a grid inside each envelope with GEOS."""
    found = []
    for f in features:
        minx, maxx, miny, maxy = f.geometry.GetEnvelope()
        step_x, step_y = (maxx - minx) / 8, (maxy - miny) / 8
        for i in range(8):
            for j in range(8):
                box = (minx + i * step_x, miny + j * step_y,
                       minx + (i + 0.5) * step_x, miny + (j + 0.5) * step_y)
                if not f.geometry.Intersects(box_polygon(*box)):
                    found.append((key(f.properties), box))
                    break
            else:
                continue
            break
        if len(found) >= count:
            break
    return found


def test_bbox_inside_a_countrys_envelope_but_off_its_land_does_not_return_it(http, base_url, sources):
    cases = envelope_only_boxes(sources["countries"], KEYS["countries"])
    assert cases, "no test case found: every scanned box hit its country"
    for iso3, box in cases:
        features, matched = served(http, base_url, "countries", box)
        got = {f["properties"]["iso3"] for f in features}
        assert iso3 not in got, f"bbox={box} returned {iso3}, whose envelope it overlaps but not its land"
        expected = {f.properties["iso3"] for f in sources["countries"] if intersects_bbox(f.geometry, box)}
        assert got == expected and matched == len(expected)


def test_bbox_inside_a_mine_boundary_envelope_but_outside_it(http, base_url, sources):
    cases = envelope_only_boxes(sources["coal_mine_boundaries"], KEYS["coal_mine_boundaries"], count=5)
    assert cases
    for fid, box in cases:
        features, _ = served(http, base_url, "coal_mine_boundaries", box)
        got = {f["properties"]["feature_id"] for f in features}
        expected = {f.properties["feature_id"] for f in sources["coal_mine_boundaries"]
                    if intersects_bbox(f.geometry, box)}
        assert fid not in got
        assert got == expected


def test_six_number_bbox_ignores_heights(http, base_url, sources):
    box4 = (100.0, 10.0, 110.0, 20.0)
    page = get_json(http, f"{base_url}/collections/coal_mines/items", limit=10000,
                    bbox="100,10,-500,110,20,9000")
    assert page["numberMatched"] == sum(expected_points(sources, box4).values())


def test_bbox_crossing_the_antimeridian(http, base_url, sources):
    # West edge 150 E, east edge 100 E, going the long way round through 180:
    # it covers longitudes >= 150 and <= 100.
    box = (150.0, -90.0, 100.0, 90.0)
    expected = Counter(mine_key(f.properties, f.geometry.GetX(), f.geometry.GetY())
                       for f in sources["coal_mines"]
                       if f.geometry.GetX() >= 150.0 or f.geometry.GetX() <= 100.0)
    assert sum(expected.values()) > 0
    features, matched = served(http, base_url, "coal_mines", box)
    assert matched == sum(expected.values())
    assert served_points(features) == expected


@pytest.mark.parametrize("collection", ["countries", "coal_mine_boundaries"])
def test_tiny_bbox_inside_a_polygon_returns_it(http, base_url, sources, collection):
    """A box with no vertex of the polygon inside it, lying in the polygon's interior,
    still intersects it."""
    key = KEYS[collection]
    for f in sources[collection][::7]:
        p = f.geometry.PointOnSurface()
        box = (p.GetX() - 1e-5, p.GetY() - 1e-5, p.GetX() + 1e-5, p.GetY() + 1e-5)
        assert f.geometry.Contains(box_polygon(*box)) or f.geometry.Intersects(box_polygon(*box))
        features, _ = served(http, base_url, collection, box)
        got = Counter(key(x["properties"]) for x in features)
        expected = Counter(key(s.properties) for s in sources[collection] if intersects_bbox(s.geometry, box))
        assert key(f.properties) in got, f"{key(f.properties)} missing for bbox={box}"
        assert got == expected
