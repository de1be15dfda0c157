"""Bad input to the catalogue gets an OGC API JSON exception with a 4xx status, never
a 500; awkward but valid text is searched as text."""
from __future__ import annotations

import pytest

ITEMS = "/collections/catalog/items"


@pytest.mark.parametrize("params,status", [
    ({"limit": "99999999999999999999"}, 400), ({"limit": "100000000"}, 400), ({"limit": "0"}, 400),
    ({"limit": "ten"}, 400), ({"offset": "-1"}, 400), ({"bbox": "1,2,3"}, 400), ({"bbox": "0,80,10,-80"}, 400),
    ({"bbox": "a,b,c,d"}, 400), ({"bbox": "0,0,10,100"}, 400), ({"datetime": "yesterday"}, 400),
    ({"filter": "colour = 'red'"}, 400), ({"filter": "title ="}, 400), ({"sortby": "description"}, 400),
    ({"sortby": "nothing"}, 400), ({"facets": "colour"}, 400), ({"unknown": "1"}, 400),
    ({"filter-lang": "cql2-json", "filter": "{"}, 400), ({"f": "pdf"}, 406),
    ({"ids": ",".join(str(i) for i in range(2000))}, 400),
])
def test_bad_parameters_are_4xx_json(http, url, params, status):
    r = http.get(url + ITEMS, params=params, timeout=30)
    assert r.status_code == status, r.text[:300]
    body = r.json()
    assert body["code"] and body["description"]


@pytest.mark.parametrize("q", ["O'Brien", "'; DROP TABLE amis_records; --", "\"", "a OR b NOT", "NEAR(", "(((",
                               "title:gold", "\u00e9\u00e8\u4e2d\u6587", "%", "-", ","])
def test_awkward_text_is_searched_not_parsed(http, url, q):
    r = http.get(url + ITEMS, params={"q": q}, timeout=30)
    assert r.status_code == 200, r.text[:300]
    assert r.json()["type"] == "FeatureCollection"


def test_unknown_record_is_404_json(http, url):
    for rid in ["no-such-record", "bad id with spaces", "x" * 300]:
        r = http.get(f"{url}{ITEMS}/{rid}", timeout=30)
        assert r.status_code == 404 and r.json()["code"] == "NotFound"
    r = http.get(f"{url}{ITEMS}/amis:collection:syn_00", params={"f": "xml", "x": "1"}, timeout=30)
    assert r.status_code == 400
