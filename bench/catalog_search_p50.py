#!/usr/bin/env python3
"""p50/p90 of a catalogue search with q + bbox + datetime (first page of 10 plus
numberMatched) on the GeoPackage catalogue and on the PostGIS catalogue, with
the SQL each store's compiler writes for it (store/gpkg/catalog_sql.cpp,
store/postgis/pg_catalog_sql.cpp), values bound.

    catalog_search_p50.py STORE.gpkg POSTGRESQL_URL [runs]
"""
import random
import sqlite3
import statistics
import sys
import time

import psycopg2

TERMS = ['gold', 'copper', 'nickel', 'coal', 'tin', 'bauxite', 'geochemical', 'deposits', 'mine', 'survey']


def queries(n):
    rnd = random.Random(7)
    for _ in range(n):
        x, y = rnd.uniform(92, 135), rnd.uniform(-10, 35)
        w = rnd.uniform(2, 15)
        start = rnd.randint(1970, 2015)
        yield rnd.choice(TERMS), (x, y, x + w, y + w), f'{start}-01-01T00:00:00Z', f'{start + rnd.randint(1, 10)}-12-31T23:59:59Z'


def gpkg_search(db, q, box, t0, t1):
    where = ("FROM amis_records JOIN (SELECT rowid AS fts_rowid, bm25(amis_records_fts, 10.0, 5.0, 2.0, 1.0) AS score "
             "FROM amis_records_fts WHERE amis_records_fts MATCH ?) ON fts_rowid = fid WHERE 1 AND ((fid IN (SELECT id "
             "FROM rtree_amis_records_geom WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?) AND min_x <= ? "
             "AND max_x >= ? AND min_y <= ? AND max_y >= ?)) AND (time_start IS NOT NULL OR time_end IS NOT NULL) "
             "AND (time_start IS NULL OR time_start <= ?) AND (time_end IS NULL OR time_end >= ?)")
    b = [f'("{q}")'] + [box[2], box[0], box[3], box[1]] * 2 + [t1, t0]
    rows = db.execute("SELECT document " + where + " ORDER BY score, id LIMIT 10", b).fetchall()
    if len(rows) == 10:
        db.execute("SELECT count(*) " + where, b).fetchone()
    return len(rows)


def pg_search(cur, q, box, t0, t1):
    where = ('FROM amis_records CROSS JOIN (SELECT (phraseto_tsquery(\'simple\', amis_search_text((%s COLLATE "C")))) AS tsq) AS amis_q '
             'WHERE TRUE AND tsv @@ amis_q.tsq AND ((geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) AND min_x <= %s AND '
             'max_x >= %s AND min_y <= %s AND max_y >= %s)) AND (time_start IS NOT NULL OR time_end IS NOT NULL) AND '
             '(time_start IS NULL OR time_start <= (%s COLLATE "C")) AND (time_end IS NULL OR time_end >= (%s COLLATE "C"))')
    b = [q] + list(box) + [box[2], box[0], box[3], box[1]] + [t1, t0]
    cur.execute("SELECT amis_records.document::text " + where +
                " ORDER BY ts_rank('{0.1, 0.2, 0.5, 1.0}', tsv, amis_q.tsq) DESC, amis_records.id LIMIT 10", b)
    rows = cur.fetchall()
    if len(rows) == 10:
        cur.execute("SELECT count(*) " + where, b)
        cur.fetchone()
    return len(rows)


def measure(name, search, runs):
    qs = list(queries(runs))
    for q in qs[:5]:
        search(*q)  # warm
    times = []
    for q in qs:
        t = time.perf_counter()
        search(*q)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f'{name}: p50 {statistics.median(times):.1f} ms, p90 {times[int(len(times) * 0.9)]:.1f} ms over {runs} searches')


def main():
    gpkg, url = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    db = sqlite3.connect(gpkg)
    measure('GeoPackage', lambda *a: gpkg_search(db, *a), runs)
    conn = psycopg2.connect(url)
    conn.autocommit = True
    measure('PostGIS', lambda *a: pg_search(conn.cursor(), *a), runs)


if __name__ == '__main__':
    main()
