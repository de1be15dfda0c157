"""Upload merge by key and other countries' keys (issue 21): an Indonesian editor's upload,
merged by gem_mine_id, holding the key of a Chinese mine - in a file without iso3, or with
iso3 = IDN - became a new feature with that key (after approval M1087 existed twice). Keys
stay unique: such an upload is refused whole with a 409 naming the keys (the first five and
how many more), for editors and for reviewers uploading for one country, merge or replace,
and nothing is recorded. Oracles: coal_mines, amis_change_sets and amis_changes read with
sqlite3 (keys counted there, digests of every table a refusal must leave alone)."""
from __future__ import annotations

import json

import pytest

from hostile_support import json_error, start_site, stop_site
from store_support import rows, table_digests

WATCHED = ("coal_mines", "amis_change_sets", "amis_changes", "amis_feature_versions", "amis_audit")
EDITOR, REVIEWER, REVIEWER2 = "idn-editor", "expert", "expert-two"


@pytest.fixture(scope="module")
def site(tmp_path_factory, store_path):
    work = tmp_path_factory.mktemp("upload-keys")
    s = start_site(work, work / "store.gpkg", '[server]\nlog_level = "info"\n',
                   {EDITOR: ("editor", "IDN"), REVIEWER: ("reviewer", None), REVIEWER2: ("reviewer", None)},
                   name="upload-keys", copy_from=store_path)
    yield s
    stop_site(s)


def keys_of(store, country: str, n: int) -> list[str]:
    found = rows(store, "SELECT gem_mine_id FROM coal_mines WHERE iso3 = ? AND gem_mine_id IS NOT NULL "
                        "GROUP BY gem_mine_id HAVING count(*) = 1 ORDER BY gem_mine_id LIMIT ?", country, n)
    assert len(found) == n
    return [k for (k,) in found]


def key_count(store, key: str) -> int:
    return rows(store, "SELECT count(*) FROM coal_mines WHERE gem_mine_id = ?", key)[0][0]


def body(*features: tuple[dict, float, float]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": p, "geometry": {"type": "Point", "coordinates": [x, y]}}
        for p, x, y in features]}).encode()


def upload(site, user: str, data: bytes, **params):
    return site.call("POST", "/collections/coal_mines/upload", user, data, content_type="application/geo+json",
                     params={"key": "gem_mine_id", **params})


@pytest.mark.parametrize("with_country", [False, True], ids=["without-iso3", "with-own-iso3"])
def test_an_editor_may_not_reuse_another_countrys_key(site, with_country):
    (chinese,) = keys_of(site.store, "CHN", 1)
    extra = {"iso3": "IDN"} if with_country else {}
    before = table_digests(site.store, WATCHED)
    data = body(({"gem_mine_id": chinese, "status": "Proposed", **extra}, 110.5, -7.25),
                ({"gem_mine_id": "M99901", "status": "Proposed", **extra}, 110.6, -7.3))
    doc = json_error(upload(site, EDITOR, data), 409, "Conflict")
    assert chinese in doc["description"] and "gem_mine_id" in doc["description"], doc
    assert "M99901" not in doc["description"]
    assert table_digests(site.store, WATCHED) == before
    assert key_count(site.store, chinese) == 1


def test_the_first_keys_are_named_and_the_rest_counted(site):
    others = keys_of(site.store, "VNM", 3) + keys_of(site.store, "CHN", 5)
    before = table_digests(site.store, WATCHED)
    data = body(*[({"gem_mine_id": k, "status": "Operating"}, 110 + i * 0.01, -7.2) for i, k in enumerate(others)])
    for params in ({}, {"mode": "replace"}):
        doc = json_error(upload(site, EDITOR, data, **params), 409, "Conflict")
        named = [k for k in others if k in doc["description"]]
        assert named == others[:5], (named, doc)
        assert "3 more" in doc["description"], doc
    assert table_digests(site.store, WATCHED) == before


def test_a_reviewer_uploading_for_one_country_is_refused_too(site):
    (thai,) = keys_of(site.store, "THA", 1)
    before = table_digests(site.store, WATCHED)
    data = body(({"gem_mine_id": thai, "status": "Closed", "iso3": "IDN"}, 110.5, -7.25))
    doc = json_error(upload(site, REVIEWER, data, country="IDN"), 409, "Conflict")
    assert thai in doc["description"], doc
    assert table_digests(site.store, WATCHED) == before


def test_own_and_new_keys_still_merge_and_stay_unique_after_approval(site):
    (own,) = keys_of(site.store, "IDN", 1)
    data = body(({"gem_mine_id": own, "status": "Shelved"}, 110.4, -7.3),
                ({"gem_mine_id": "M99902", "status": "Proposed"}, 110.7, -7.35))
    r = upload(site, EDITOR, data)
    assert r.status_code == 202, r.text
    assert r.json()["summary"] == {"features": 2, "inserted": 1, "replaced": 1, "deleted": 0, "unchanged": 0}
    cs = r.json()["changeSet"]["id"]
    approved = site.call("POST", f"/changesets/{cs}/approve", REVIEWER2, {"comment": "ok"})
    assert approved.status_code == 200, approved.text
    assert key_count(site.store, own) == 1 and key_count(site.store, "M99902") == 1
    duplicates = rows(site.store, "SELECT gem_mine_id, count(*) FROM coal_mines WHERE gem_mine_id IS NOT NULL "
                                  "GROUP BY gem_mine_id HAVING count(*) > 1")
    before = {k: n for k, n in duplicates}
    assert own not in before and "M99902" not in before
