"""Issue 14: `amis store copy FROM TO` moves a whole store between the backends losslessly.

The demo store is built as the backend comparison builds it (backends/test_backend_comparison:
`amis import` of the demo and the synthetic observations, users and tokens, then change sets
approved, rejected, left pending, published directly and one reverted), plus a style, a raster
layer, a login session and a failed login. It is copied to the other backend and back
(GeoPackage -> PostGIS -> GeoPackage on the GeoPackage pass, PostGIS -> GeoPackage -> PostGIS on
the PostGIS pass). Then, independently of AMIS (sqlite3 and psycopg2):
- the original and the final store, of the same backend, hold the same rows in every table,
  with the same ids and sequences;
- the middle store, of the other backend, holds the same rows in every table the two backends
  share, the same features (fid, properties, geometry) and the same id sequences;
and three servers (original, middle, final) answer the same history, asOf, items, change sets,
audit and map requests with the same bytes; a login session made on the original serves on
the copies. A target that is not empty is refused (unless --replace), as are a wrong password
and a copy of a store onto itself: one line, exit 1.
"""
from __future__ import annotations

import contextlib
import re
import sqlite3
import struct
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests
from osgeo import ogr

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backends"))
from compare_requests import ADMIN, EDITOR, REVIEWER, all_requests  # noqa: E402
from test_backend_comparison import (PASSWORD, Twin, build_store, edit, first_difference,  # noqa: E402
                                     normalised, ok)

import pg_support  # noqa: E402
from styles_support import DEMO_STYLES  # noqa: E402
from support import (AMIS_BIN, AmisServer, GeoPackageFile, PostgisDatabase, http_session, on_postgis,  # noqa: E402
                     run_amis, store_arg, store_files)
from synthetic_data import make_observations, write_observations_gpkg  # noqa: E402
from test_editing import CONFIG  # noqa: E402

pytestmark = pytest.mark.skipif(not (pg_support.PG_BIN / "initdb").exists(),
                                reason="needs postgresql-15-postgis-3 (scripts/setup-debian.sh --test)")

GEOID = Path(__file__).resolve().parents[3] / "data" / "demo" / "asean3_egm96_geoid_15min.tif"
# The tables both backends keep with the same columns (store/store_tables.cpp), by key.
SHARED_TABLES = {
    "amis_styles": "collection, name", "amis_rasters": "id", "amis_users": "name", "amis_tokens": "id",
    "amis_sessions": "digest", "amis_login_salts": "day", "amis_login_pairs": "digest",
    "amis_login_names": "address, name", "amis_change_sets": "id", "amis_changes": "change_set, seq",
    "amis_feature_versions": "collection, fid, version", "amis_audit": "id",
}
COLLECTION_COLUMNS = ("id", "table_name", "title", "description", "keywords", "licence", "attribution",
                      "temporal_property", "temporal_start", "temporal_end", "feature_count", "updated")
RECORD_COLUMNS = ("id", "origin", "type", "title", "description", "country", "language", "license", "parent",
                  "keywords", "themes", "formats", "externalIds", "created", "updated", "published",
                  "featureCount", "time_start", "time_end", "min_x", "min_y", "max_x", "max_y")
SEQUENCE_TABLES = ("amis_change_sets", "amis_tokens", "amis_audit")


def is_pg(store) -> bool:
    return isinstance(store, PostgisDatabase)


def amis(*args, cwd=None):
    import subprocess
    return subprocess.run([str(AMIS_BIN), *map(str, args)], capture_output=True, text=True, timeout=600, cwd=cwd)


def copy_config(work: Path, name: str, pg_store) -> Path:
    """An amis.toml whose [store] data_dir is the PostGIS side's folder of files (rasters/)."""
    path = work / f"{name}.toml"
    path.write_text(f'[store]\ndata_dir = "{store_files(pg_store)}"\n')
    return path


def store_copy(work: Path, source, target, *extra: str):
    pg = source if is_pg(source) else target
    return amis("store", "copy", store_arg(source), store_arg(target), *extra,
                "--config", copy_config(work, f"copy-{len(list(work.glob('copy-*.toml')))}", pg))


# --------------------------------------------------------------------------- reading the stores


def connect(store):
    if is_pg(store):
        return contextlib.closing(pg_support.connect_store(store))
    return contextlib.closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True))


def plain(value):
    if isinstance(value, (bytes, memoryview)):
        return bytes(value)
    if isinstance(value, bool):
        return int(value)
    return value


def fetch(db, sql: str, args=()) -> list[tuple]:
    return [tuple(plain(v) for v in row) for row in db.execute(sql, args).fetchall()]


def gpkg_wkb(blob: bytes | None) -> bytes | None:
    """The ISO WKB of a GeoPackage geometry blob (either store's, see pg_support), normalised
    through OGR."""
    if blob is None:
        return None
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 7]
    geometry = ogr.CreateGeometryFromWkb(bytes(blob[8 + envelope:]))
    return bytes(geometry.ExportToIsoWkb())


def collections(store) -> list[str]:
    with connect(store) as db:
        return [r[0] for r in fetch(db, "SELECT id FROM amis_collections ORDER BY id")]


def feature_rows(store, collection: str) -> list[tuple]:
    """(fid, geometry as ISO WKB, properties...) by fid."""
    with connect(store) as db:
        if is_pg(store):
            cur = db.execute(f'SELECT * FROM amis_data."{collection}" ORDER BY fid')
        else:
            cur = db.execute(f'SELECT * FROM "{collection}" ORDER BY fid')
        names = [d[0] for d in cur.description]
        geom = names.index("geom")
        out = []
        for row in cur.fetchall():
            row = [plain(v) for v in row]
            row[geom] = gpkg_wkb(row[geom])
            out.append(tuple(row))
        return out


def last_ids(store) -> dict[str, int]:
    """Every id sequence: sqlite_sequence, or PostgreSQL's sequences of the same tables."""
    with connect(store) as db:
        if not is_pg(store):
            return {name: seq for name, seq in fetch(db, "SELECT name, seq FROM sqlite_sequence")}
        out = {}
        for table in SEQUENCE_TABLES:
            (n,) = fetch(db, f"SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('{table}', 'id')"
                             "::regclass), 0)")[0]
            if n:
                out[table] = n
        for c in [r[0] for r in fetch(db, "SELECT id FROM amis_collections")]:
            (n,) = fetch(db, "SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence(?, 'fid')::regclass), 0)",
                         (f'amis_data."{c}"',))[0]
            if n:
                out[c] = n
        return out


def shared_rows(store, table: str, key: str) -> list[tuple]:
    with connect(store) as db:
        if is_pg(store):
            columns = [r[0] for r in fetch(db, "SELECT column_name FROM information_schema.columns WHERE "
                                               "table_schema = 'public' AND table_name = ? ORDER BY ordinal_position",
                                           (table,))]
        else:
            columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
        quoted = ", ".join(f'"{c}"' for c in columns)
        return [tuple(columns)] + fetch(db, f'SELECT {quoted} FROM "{table}" ORDER BY {key}')


def records(store) -> list[tuple]:
    quoted = ", ".join(f'"{c}"' for c in RECORD_COLUMNS)
    with connect(store) as db:
        rows = fetch(db, f"SELECT {quoted}, document FROM amis_records ORDER BY id")
    # the document: jsonb on PostgreSQL (a dict through psycopg2), JSON text in SQLite
    import json
    return [r[:-1] + (r[-1] if isinstance(r[-1], dict) else json.loads(r[-1]),) for r in rows]


def catalogue_current(store) -> bool:
    with connect(store) as db:
        ((sources, derived),) = fetch(db, "SELECT sources_version, derived_version FROM amis_catalog_state")
    return sources == derived


# --------------------------------------------------------------------------- the same backend, every table

SQLITE_SHADOW = re.compile(r"_(node|rowid|parent|data|idx|content|docsize|config)$")


def gpkg_tables(store) -> dict[str, list[tuple]]:
    """Every table of a GeoPackage, row by row. What depends on the order rows were written
    in rather than on the data is read through what it means: an R-tree through its virtual
    table (not its node pages), the catalogue's tables by record id (not by the rowid its
    insert got)."""
    out = {}
    with connect(store) as db:
        names = [r[0] for r in fetch(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        fid_to_id = dict(fetch(db, "SELECT fid, id FROM amis_records"))
        fid_tables = {r[0] for r in fetch(db, "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")}
        for name in names:
            if SQLITE_SHADOW.search(name) and name.rsplit("_", 1)[0] in names:
                continue  # an R-tree's or FTS5 table's storage, read through the table itself
            if name == "amis_records":
                continue  # records(): by id
            if name == "gpkg_contents":
                # last_change: the time AMIS's writer last touched the registry row (import or
                # approval), not part of the data; a copy sets it to the collection's `updated`.
                rows = fetch(db, "SELECT table_name, data_type, identifier, description, min_x, min_y, max_x, "
                                 "max_y, srs_id FROM gpkg_contents ORDER BY table_name")
            elif name == "amis_catalog_state":
                continue  # catalogue_current(): the counts themselves count writes, not data
            elif name == "amis_record_terms":
                rows = sorted((f, v, fid_to_id[i]) for f, v, i in fetch(db, "SELECT field, value, fid FROM amis_record_terms"))
            elif name == "amis_records_fts":
                rows = sorted((fid_to_id[r[0]],) + r[1:] for r in fetch(db, "SELECT rowid, * FROM amis_records_fts"))
            elif name == "rtree_amis_records_geom":
                rows = sorted((fid_to_id[r[0]],) + r[1:] for r in fetch(db, f'SELECT * FROM "{name}"'))
            elif name.startswith("rtree_"):
                rows = fetch(db, f'SELECT * FROM "{name}" ORDER BY id')
            elif name == "sqlite_sequence":
                rows = fetch(db, "SELECT * FROM sqlite_sequence ORDER BY name")
            elif name in fid_tables:
                rows = fetch(db, f'SELECT * FROM "{name}" ORDER BY fid')
            else:  # the rows, whatever order they were inserted in (rowid)
                rows = sorted(fetch(db, f'SELECT * FROM "{name}"'), key=repr)
            out[name] = rows
        out["(schema)"] = fetch(db, "SELECT type, name, tbl_name, sql FROM sqlite_master "
                                    "WHERE type IN ('index', 'trigger', 'table') ORDER BY type, name")
    return out


def pg_tables(store) -> dict[str, list[tuple]]:
    """Every AMIS table of a PostGIS store (public.amis_*, amis_data.*), row by row."""
    out = {}
    with connect(store) as db:
        tables = fetch(db, "SELECT table_schema, table_name FROM information_schema.tables WHERE "
                           "(table_schema = 'public' AND table_name LIKE 'amis\\_%') OR table_schema = 'amis_data' "
                           "ORDER BY 1, 2")
        for schema, name in tables:
            if name == "amis_catalog_state":
                continue  # catalogue_current()
            order = "fid" if schema == "amis_data" else "t::text"
            out[f"{schema}.{name}"] = fetch(db, f'SELECT * FROM {schema}."{name}" t ORDER BY {order}')
        out["(indexes)"] = sorted(fetch(db, "SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes "
                                        "WHERE schemaname IN ('public', 'amis_data') AND "
                                        "(tablename LIKE 'amis\\_%' OR schemaname = 'amis_data')"))
    return out


# --------------------------------------------------------------------------- the stores


def stores(work: Path):
    """original, middle (the other backend), final (the original's backend)."""
    if on_postgis():
        return (PostgisDatabase(work / "original" / "amis.gpkg"), GeoPackageFile(work / "middle" / "amis.gpkg"),
                PostgisDatabase(work / "final" / "amis.gpkg"))
    return (GeoPackageFile(work / "original" / "amis.gpkg"), PostgisDatabase(work / "middle" / "amis.gpkg"),
            GeoPackageFile(work / "final" / "amis.gpkg"))


def serve(store, work: Path, name: str, config: Path) -> AmisServer:
    srv = AmisServer(store, store.parent, name=name, config=config)
    srv.start()
    return srv


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    work = tmp_path_factory.mktemp("store-copy")
    for name in ("original", "middle", "final"):
        (work / name).mkdir()
    original, middle, final = stores(work)
    observations = work / "observations.gpkg"
    write_observations_gpkg(observations, make_observations())
    config = work / "amis.toml"
    config.write_text(CONFIG)

    tokens = build_store(original, observations)
    style = DEMO_STYLES[0]
    for args in (("style", "add", "--collection", style.collection, "--name", style.name, style.path),
                 ("raster", "add", GEOID, "--id", "geoid", "--title", "EGM96 geoid")):
        r = run_amis(*args, "--store", original)
        assert r.returncode == 0, r.stderr
    srv = serve(original, work, "original-edits", config)
    try:
        with http_session() as s:
            twin = Twin("original", srv, tokens, s)
            idn = ok(twin.call("GET", "/collections/coal_mines/items",
                               params={"iso3": "IDN", "limit": 20, "sortby": "gem_mine_id"}))
            idn_fids = [f["id"] for f in idn["features"] if f["geometry"]][:5]
            facility = ok(twin.call("GET", "/collections/mine_facilities/items", params={"limit": 1}))["features"][0]["id"]
            edit(twin, idn_fids, facility)
            values = dict(twin.values)
            login = s.post(srv.url + "/login", json={"user": REVIEWER, "password": PASSWORD}, timeout=30)
            assert login.status_code == 200, login.text
            cookie = s.cookies.get_dict()
            failed = s.post(srv.url + "/login", json={"user": EDITOR, "password": "wrong"}, timeout=30)
            assert failed.status_code in (401, 403), failed.text
    finally:
        srv.stop()

    copy_started = datetime.now(timezone.utc) - timedelta(seconds=1)
    first = store_copy(work, original, middle)
    assert first.returncode == 0, first.stderr
    second = store_copy(work, middle, final)
    assert second.returncode == 0, second.stderr
    yield {"work": work, "stores": (original, middle, final), "tokens": tokens, "values": values,
           "cookie": cookie, "config": config, "copy_started": copy_started, "outputs": (first, second)}


# --------------------------------------------------------------------------- the tests


def test_the_copy_reports_what_it_moved(copies):
    for r in copies["outputs"]:
        assert re.search(r"copied .* 5 collections, \d+ features", r.stdout), r.stdout
        assert "amis_feature_versions:" in r.stderr and "catalogue:" in r.stderr, r.stderr
        assert "password" not in r.stdout + r.stderr


def test_the_final_store_holds_every_row_of_the_original(copies):
    original, _, final = copies["stores"]
    read = pg_tables if is_pg(original) else gpkg_tables
    a, b = read(original), read(final)
    assert set(a) == set(b), set(a) ^ set(b)
    for table in a:
        assert a[table] == b[table], f"{table}: {len(a[table])} rows in the original, {len(b[table])} in the copy; " \
                                     f"first difference: {next((x, y) for x, y in zip(a[table] + [None], b[table] + [None]) if x != y)}"
    assert records(original) == records(final)
    assert catalogue_current(original) == catalogue_current(final)
    assert last_ids(original) == last_ids(final)


def test_the_other_backend_holds_the_same_data(copies):
    original, middle, _ = copies["stores"]
    assert collections(original) == collections(middle) == sorted(
        ["countries", "coal_mines", "coal_mine_boundaries", "mine_facilities", "observations"])
    for table, key in SHARED_TABLES.items():
        a, b = shared_rows(original, table, key), shared_rows(middle, table, key)
        assert a[0] == b[0], f"{table}: columns {a[0]} vs {b[0]}"
        assert a == b, f"{table}: {len(a) - 1} rows vs {len(b) - 1}; first difference: " \
                       f"{next((x, y) for x, y in zip(a + [None], b + [None]) if x != y)}"
    assert len(shared_rows(original, "amis_feature_versions", "fid")) > 5
    assert len(shared_rows(original, "amis_sessions", "digest")) >= 2  # the edit script's and the test's
    assert len(shared_rows(original, "amis_login_pairs", "digest")) >= 2  # the failed login
    quoted = ", ".join(COLLECTION_COLUMNS)
    for store_a, store_b in ((original, middle),):
        with connect(store_a) as a, connect(store_b) as b:
            assert fetch(a, f"SELECT {quoted} FROM amis_collections ORDER BY id") == \
                fetch(b, f"SELECT {quoted} FROM amis_collections ORDER BY id")
    for c in collections(original):
        a, b = feature_rows(original, c), feature_rows(middle, c)
        assert len(a) == len(b) and a == b, f"{c}: the features differ"
    assert records(original) == records(middle)
    assert catalogue_current(original) == catalogue_current(middle)
    assert last_ids(original) == last_ids(middle)


def test_the_raster_file_goes_with_the_store(copies):
    files = [store_files(store) / "rasters" / "geoid.tif" for store in copies["stores"]]
    assert len(set(files)) == 3, files
    assert all(f.is_file() for f in files), files
    assert files[0].read_bytes() == files[1].read_bytes() == files[2].read_bytes()


REQUESTS = [r for i, r in enumerate(all_requests())
            if r.area in ("history", "changesets", "items", "feature", "datetime") or i % 6 == 0]
RASTER_MAP = ("/wms", {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "geoid",
                       "STYLES": "", "CRS": "CRS:84", "BBOX": "95,-10,140,25", "WIDTH": "256", "HEIGHT": "128",
                       "FORMAT": "image/png"})


@pytest.fixture(scope="module")
def nodes(copies):
    with contextlib.ExitStack() as stack:
        out = []
        for name, store in zip(("original", "middle", "final"), copies["stores"]):
            srv = serve(store, copies["work"], name, copies["config"])
            stack.callback(srv.stop)
            s = stack.enter_context(http_session())
            twin = Twin(name, srv, copies["tokens"], s)
            twin.values.update(copies["values"])
            out.append(twin)
        yield out


def test_servers_on_the_copies_answer_alike(copies, nodes):
    since = copies["copy_started"]
    differences = []
    for req in REQUESTS:
        answers = [twin.send(req) for twin in nodes]
        first = answers[0]
        assert first.status_code < 500, f"{req.describe()}: {first.status_code} {first.text[:300]}"
        for twin, r in zip(nodes[1:], answers[1:]):
            if (r.status_code, r.headers.get("Content-Type")) != (first.status_code, first.headers.get("Content-Type")):
                differences.append(f"{req.describe()} on {twin.name}: {r.status_code} vs {first.status_code}")
                continue
            a, b = normalised(first, nodes[0], since), normalised(r, twin, since)
            if a != b:
                differences.append(f"{req.describe()} on {twin.name}:\n{first_difference(a, b)}")
    assert not differences, f"{len(differences)} of {len(REQUESTS)} requests differ:\n" + "\n".join(differences[:5])
    ok_count = sum(nodes[0].send(r).status_code == 200 for r in REQUESTS[::5])
    assert ok_count >= 0.8 * len(REQUESTS[::5])
    for twin in nodes:
        assert twin.server.alive(), f"the {twin.name} node died:\n{twin.server.stderr()[-3000:]}"


def test_the_raster_layer_draws_alike(nodes):
    path, params = RASTER_MAP
    images = [twin.s.get(twin.server.url + path, params=params, timeout=60) for twin in nodes]
    assert all(r.status_code == 200 and r.headers["Content-Type"] == "image/png" for r in images), \
        [r.text[:200] for r in images]
    assert images[0].content == images[1].content == images[2].content


def test_a_login_session_serves_on_the_copies(copies, nodes):
    name, value = next(iter(copies["cookie"].items()))
    for twin in nodes:
        r = requests.get(twin.server.url + "/changesets", cookies={name: value}, timeout=30)
        assert r.status_code == 200, f"{twin.name}: {r.status_code} {r.text[:200]}"


def test_a_store_that_is_not_empty_is_refused(copies):
    work = copies["work"]
    original, middle, final = copies["stores"]
    before = last_ids(final)
    r = store_copy(work, middle, final)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "not empty" in lines[0] and "--replace" in lines[0], r.stderr
    assert last_ids(final) == before


def test_replace_makes_the_target_a_copy_again(copies, nodes):
    """After the servers ran on them (a server may derive the catalogue's records again), the
    final store replaced by a new copy of the middle one holds what the middle one holds."""
    work = copies["work"]
    _, middle, final = copies["stores"]
    for twin in nodes:
        twin.server.stop()
    r = store_copy(work, middle, final, "--replace")
    assert r.returncode == 0, r.stderr
    assert last_ids(final) == last_ids(middle)
    for table, key in SHARED_TABLES.items():
        assert shared_rows(final, table, key) == shared_rows(middle, table, key), table
    for c in collections(middle):
        assert feature_rows(final, c) == feature_rows(middle, c), c
    assert records(final) == records(middle)


def test_bad_locations_give_one_line(copies, tmp_path):
    original, middle, _ = copies["stores"]
    port = pg_support.free_port()
    wrong = [
        (store_arg(original), f"postgresql://amis:wrong@127.0.0.1:{port}/nowhere"),
        (store_arg(original), store_arg(original)),
        (str(tmp_path / "missing.gpkg"), str(tmp_path / "target.gpkg")),
    ]
    real = pg_support.store_url(original if is_pg(original) else middle, create=False)
    wrong.append((store_arg(original), re.sub(r"postgresql://(\w+)@", r"postgresql://\1:wrong@", real)
                  .replace("/amis_", "/amis_nosuch_")))
    for source, target in wrong:
        r = amis("store", "copy", source, target)
        assert r.returncode == 1, (source, target, r.stdout, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("amis: "), r.stderr
        assert "wrong" not in r.stderr, "the password is never shown"
    assert not (tmp_path / "target.gpkg").exists()
