"""A coverage's kept grids (issue 17, after test_grid_uploads): every approved grid stays a
version, served read-only by /collections/{id}/coverage?version=N or ?asOf=<instant> (as the
features' items?asOf); two approvals racing on one coverage cannot both replace its grid (the
later, based on a grid no longer there, is a 409 and its change set stays submitted); the
coverage's member state is kept by the store (`amis raster add --country`, or moved there from
the configuration's [editing.collections.<id>] country when the server opens the store); and
`amis store copy` carries the kept grids and their files to the other backend and back.

Oracles: gdal_translate of the kept files themselves, the store's rows read with sqlite3 /
psycopg2, and the files' bytes."""
from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

import pg_support
from coverage_support import GEOID, UTM_SIZE, create_utm_grid, read_all, translate, write_utm_grid
from grid_support import act, as_user, serve_grids, upload
from store_support import error
from support import (AMIS_BIN, AmisServer, GeoPackageFile, PostgisDatabase, http_session, on_postgis, run_amis,
                     store_arg, store_files)

USERS = {"expert": ("reviewer", None), "expert-two": ("reviewer", None),
         "vnm-editor": ("editor", "VNM"), "tha-editor": ("editor", "THA")}
# The configured member state of "gravity" moves into the store when the server opens it.
CONFIG = """\
[coverages]
max_response_mb = 64

[editing.collections.gravity]
country = "THA"
"""


@pytest.fixture(scope="module")
def versions_env(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("grid_versions")
    utm = work / "utm_grid.tif"
    write_utm_grid(utm)
    rasters = [(utm, "--id", "magnetics", "--country", "VNM"), (utm, "--id", "gravity"), (GEOID, "--id", "geoid")]
    yield from serve_grids(work, "grid_versions", rasters, USERS, CONFIG)


def approve(env, user, cs, session=None):
    return act(env, user, cs, "approve", "checked", session)


def change_set(env, cs) -> dict:
    r = env["session"].get(f"{env['url']}/changesets/{cs}", headers=as_user(env, "expert"), timeout=30)
    assert r.status_code == 200, r.text[:400]
    return r.json()


def history(url, session, coverage) -> list[dict]:
    r = session.get(f"{url}/collections/{coverage}/coverage/history", timeout=30)
    assert r.status_code == 200, r.text[:400]
    return r.json()["versions"]


def served(url, session, coverage, **params) -> np.ndarray:
    r = session.get(f"{url}/collections/{coverage}/coverage", params={"f": "geotiff", **params}, timeout=120)
    assert r.status_code == 200, (params, r.status_code, r.text[:400])
    assert r.headers["Content-Type"].startswith("image/tiff")
    return read_all(r.content)[0]


def kept(store, name: str) -> Path:
    return store_files(store) / "rasters" / name


def grid_bytes(tmp_path: Path, offset: float) -> bytes:
    """The synthetic grid's shape (UTM 48N) with values of its own."""
    path = tmp_path / f"grid{offset:g}.tif"
    w, h = UTM_SIZE
    ds = create_utm_grid(path)
    rows, cols = np.mgrid[0:h, 0:w].astype(np.float32)
    for i in range(3):
        ds.GetRasterBand(i + 1).WriteArray((offset + i * 3 + rows * 0.25 + cols * 2.5).astype(np.float32))
    ds = None
    return path.read_bytes()


def open_store(store):
    """sqlite3 or psycopg2 on the store, by what the path maps to (a copy may be of the other backend)."""
    if maps_to_pg(store):
        store_arg(store)  # the store's database, known to pg_support
        return pg_support.connect_store(store)
    return sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=30)


def stored_countries(store) -> dict[str, str]:
    with contextlib.closing(open_store(store)) as db:
        return dict(db.execute("SELECT id, country FROM amis_rasters").fetchall())


def test_the_member_state_of_a_coverage_is_kept_by_the_store(versions_env, tmp_path):
    # --country at `amis raster add`; the configuration's value moved in when the server opened.
    assert stored_countries(versions_env["store"]) == {"magnetics": "VNM", "gravity": "THA", "geoid": ""}
    data = grid_bytes(tmp_path, 1)
    r = upload(versions_env, "tha-editor", "magnetics", data)
    assert r.status_code == 403 and "VNM" in r.text, r.text[:400]
    r = upload(versions_env, "vnm-editor", "gravity", data)
    assert r.status_code == 403 and "THA" in r.text, r.text[:400]
    r = upload(versions_env, "tha-editor", "gravity", data)
    assert r.status_code == 202, r.text[:400]
    assert upload(versions_env, "vnm-editor", "geoid", GEOID.read_bytes()).status_code == 403


def test_raster_add_refuses_an_unknown_country(versions_env, tmp_path):
    r = run_amis("raster", "add", GEOID, "--id", "other", "--country", "XXX", "--store", versions_env["store"])
    assert r.returncode != 0 and "XXX" in r.stderr


def test_past_versions_are_served_read_only(versions_env, tmp_path):
    env, url, s = versions_env, versions_env["url"], versions_env["session"]
    ids = []
    for offset in (1000, 2000):
        r = upload(env, "vnm-editor", "magnetics", grid_bytes(tmp_path, offset))
        assert r.status_code == 202, r.text[:400]
        ids.append(r.json()["changeSet"]["id"])
        assert approve(env, "expert", ids[-1]).status_code == 200
        time.sleep(1.2)  # the approvals a second apart, so that an instant lies between them
    pending = upload(env, "vnm-editor", "magnetics", grid_bytes(tmp_path, 3000))
    assert pending.status_code == 202
    versions = history(url, s, "magnetics")
    assert [(v["version"], v["changeSet"], v["current"]) for v in versions] == [
        (0, None, False), (1, ids[0], False), (2, ids[1], True)]
    store = env["store"]
    for v in versions:
        expected, _ = translate(kept(store, v["grid"]))
        assert np.array_equal(served(url, s, "magnetics", version=v["version"]), expected), v
        # The history links each version's grid.
        link = next(x for x in v["links"] if x["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/coverage")
        r = s.get(link["href"], timeout=120)
        assert r.status_code == 200 and np.array_equal(read_all(r.content)[0], expected), link
    # A window of a past version: gdal_translate -projwin on its kept file.
    values = served(url, s, "magnetics", version=1, subset="E(620000:650000),N(1450000:1500000)")
    expected, _ = translate(kept(store, versions[1]["grid"]), "-projwin", "620000", "1500000", "650000", "1450000")
    assert values.shape == (3, 50, 30) and np.array_equal(values, expected)
    # asOf: before every approval the grid as added; between the two the first; after, the current one.
    first = datetime.fromisoformat(versions[1]["time"].replace("Z", "+00:00"))
    between = (first.replace(microsecond=0) + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for instant, v in (("2000-01-01T00:00:00Z", 0), (between, 1), ("2100-01-01T00:00:00Z", 2)):
        expected, _ = translate(kept(store, versions[v]["grid"]))
        assert np.array_equal(served(url, s, "magnetics", asOf=instant), expected), instant
    # The pending upload is no version; the current grid is served without parameters as before.
    assert np.array_equal(served(url, s, "magnetics"), translate(kept(store, versions[2]["grid"]))[0])
    coverage = f"{url}/collections/magnetics/coverage"
    doc = error(s.get(coverage, params={"version": 3}, timeout=30), 404)
    assert "version 3" in doc["description"]
    error(s.get(f"{url}/collections/geoid/coverage", params={"version": 1}, timeout=30), 404)
    for params in ({"version": "x"}, {"version": "-1"}, {"version": "1", "asOf": "2020-01-01T00:00:00Z"},
                   {"asOf": "yesterday"}, {"version": ["1", "2"]}):
        error(s.get(coverage, params=params, timeout=30), 400)
    # The grid as added is version 0 of a coverage never replaced.
    assert np.array_equal(served(url, s, "geoid", version=0), translate(kept(store, "geoid.tif"))[0])
    assert change_set(env, pending.json()["changeSet"]["id"])["state"] == "submitted"


@pytest.mark.parametrize("round_", range(3))
def test_two_approvals_racing_on_one_coverage_one_wins(versions_env, tmp_path, round_):
    env, url = versions_env, versions_env["url"]
    before = history(url, env["session"], "magnetics")
    ids = []
    for offset in (10000 + round_ * 100, 20000 + round_ * 100):
        r = upload(env, "vnm-editor", "magnetics", grid_bytes(tmp_path, offset))
        assert r.status_code == 202, r.text[:400]
        ids.append(r.json()["changeSet"]["id"])
    uploaded = {cs: change_set_grid(env, cs) for cs in ids}
    barrier = threading.Barrier(2)
    answers = {}

    def approve_in_thread(cs, reviewer):
        with http_session() as session:
            barrier.wait()
            answers[cs] = approve(env, reviewer, cs, session)

    threads = [threading.Thread(target=approve_in_thread, args=(cs, reviewer))
               for cs, reviewer in zip(ids, ("expert", "expert-two"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    statuses = sorted(a.status_code for a in answers.values())
    assert statuses == [200, 409], {cs: (a.status_code, a.text[:300]) for cs, a in answers.items()}
    winner = next(cs for cs, a in answers.items() if a.status_code == 200)
    loser = next(cs for cs, a in answers.items() if a.status_code == 409)
    doc = error(answers[loser], 409)
    assert "replaced" in doc["description"], doc
    assert change_set(env, winner)["state"] == "approved"
    assert change_set(env, loser)["state"] == "submitted"  # nothing decided, nothing lost
    after = history(url, env["session"], "magnetics")
    assert len(after) == len(before) + 1 and after[-1]["changeSet"] == winner and after[-1]["current"]
    assert after[-1]["grid"] == uploaded[winner]
    store = env["store"]
    assert kept(store, uploaded[loser]).is_file()  # the refused upload's grid stays for a later decision
    assert np.array_equal(served(url, env["session"], "magnetics"), translate(kept(store, uploaded[winner]))[0])
    with contextlib.closing(open_store(store)) as db:
        (path,) = db.execute("SELECT path FROM amis_rasters WHERE id = ?", ("magnetics",)).fetchone()
    assert Path(path).name == uploaded[winner]


def change_set_grid(env, cs) -> str:
    r = env["session"].get(f"{env['url']}/changesets/{cs}/review", headers=as_user(env, "expert"), timeout=30)
    assert r.status_code == 200, r.text[:400]
    return r.json()["changes"][0]["after"]["grid"]


# --------------------------------------------------------------------------- amis store copy


def copy_with_files(work: Path, source, target):
    """`amis store copy` with the PostGIS side's [store] data_dir (its rasters/ folder)."""
    import subprocess
    pg = source if maps_to_pg(source) else target
    config = work / f"copy-{len(list(work.glob('copy-*.toml')))}.toml"
    config.write_text(f'[store]\ndata_dir = "{store_files(pg)}"\n')
    return subprocess.run([str(AMIS_BIN), "store", "copy", store_arg(source), store_arg(target), "--config",
                           str(config)], capture_output=True, text=True, timeout=600)


def maps_to_pg(store) -> bool:
    return isinstance(store, PostgisDatabase) or (on_postgis() and not isinstance(store, GeoPackageFile))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.skipif(not (pg_support.PG_BIN / "initdb").exists(), reason="needs postgresql-15-postgis-3")
def test_store_copy_carries_the_kept_grids_to_the_other_backend_and_back(versions_env):
    env = versions_env
    original = env["store"]
    versions = history(env["url"], env["session"], "magnetics")
    assert len(versions) >= 4
    pending = pending_grid_change_sets(env, "magnetics") + pending_grid_change_sets(env, "gravity")
    # The earlier tests leave uploads waiting for review, gravity's based on its current grid.
    (gravity_cs, gravity_grid), = pending_grid_change_sets(env, "gravity")
    work = env["work"]
    (work / "middle").mkdir()
    (work / "final").mkdir()
    if on_postgis():
        middle, final = GeoPackageFile(work / "middle" / "store.gpkg"), PostgisDatabase(work / "final" / "store")
    else:
        middle, final = PostgisDatabase(work / "middle" / "store"), GeoPackageFile(work / "final" / "store.gpkg")
    for source, target in ((original, middle), (middle, final)):
        r = copy_with_files(work, source, target)
        assert r.returncode == 0, r.stderr
    files = {v["grid"] for v in versions} | {grid for _, grid in pending}
    for copy in (middle, final):
        for name in files:
            assert sha256(kept(copy, name)) == sha256(kept(original, name)), (copy, name)
        assert stored_countries(copy) == stored_countries(original)
    for copy, name in ((middle, "middle"), (final, "final")):
        srv = AmisServer(copy, work, name=f"grid_versions_{name}", config=env["config"])
        srv.start()
        try:
            with http_session() as s:
                fields = ("version", "grid", "current", "changeSet", "author", "time")
                assert [tuple(v[f] for f in fields) for v in history(srv.url, s, "magnetics")] == \
                    [tuple(v[f] for f in fields) for v in versions]
                for v in versions:
                    expected, _ = translate(kept(original, v["grid"]))
                    assert np.array_equal(served(srv.url, s, "magnetics", version=v["version"]), expected), (name, v)
                # A pending upload copied with its grid is approved on the copy; one based on a
                # grid replaced since is still refused there.
                headers = {"Authorization": f"Bearer {env['tokens']['expert']}"}
                r = s.post(f"{srv.url}/changesets/{gravity_cs}/approve", json={"comment": "on the copy"},
                           headers=headers, timeout=120)
                assert r.status_code == 200, r.text[:400]
                assert np.array_equal(served(srv.url, s, "gravity"), translate(kept(original, gravity_grid))[0])
                stale = next(cs for cs, _ in pending if cs != gravity_cs)
                r = s.post(f"{srv.url}/changesets/{stale}/approve", json={"comment": "on the copy"},
                           headers=headers, timeout=120)
                assert r.status_code == 409, r.text[:400]
        finally:
            alive = srv.alive()
            srv.stop()
            assert alive, srv.stderr()


def pending_grid_change_sets(env, coverage) -> list[tuple[int, str]]:
    r = env["session"].get(f"{env['url']}/changesets", params={"collection": f"coverage:{coverage}",
                                                                "state": "submitted"},
                           headers=as_user(env, "expert"), timeout=30)
    assert r.status_code == 200, r.text[:400]
    return [(cs["id"], change_set_grid(env, cs["id"])) for cs in r.json()["changeSets"]]
