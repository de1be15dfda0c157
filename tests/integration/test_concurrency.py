"""Many clients at once (a web map firing tile-like requests): every answer is complete
and right, computed independently from the source files."""
from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

from support import COAL_MINES_GPKG, http_session, read_features

BOXES = [(100.0, 10.0, 110.0, 20.0), (95.0, -11.0, 141.0, 6.0), (111.5, 36.0, 113.5, 40.5),
         (105.0, 20.0, 125.0, 45.0), (76.0, -7.0, 145.0, 53.0)]
COUNTRIES = ["IDN", "CHN", "VNM", "LAO", "MMR", "PHL"]


def test_parallel_requests_all_answer_correctly(base_url):
    mines = read_features(COAL_MINES_GPKG, "coal_mines")
    expected_box = {b: sum(1 for f in mines if b[0] <= f.geometry.GetX() <= b[2] and b[1] <= f.geometry.GetY() <= b[3])
                    for b in BOXES}
    with sqlite3.connect(f"file:{COAL_MINES_GPKG}?mode=ro", uri=True) as db:
        expected_iso = {c: db.execute("SELECT count(*) FROM coal_mines WHERE iso3 = ?", (c,)).fetchone()[0]
                        for c in COUNTRIES}

    jobs = []
    for i in range(144):
        if i % 3 == 0:
            b = BOXES[i % len(BOXES)]
            jobs.append(({"bbox": ",".join(map(str, b)), "limit": 10000}, expected_box[b]))
        elif i % 3 == 1:
            c = COUNTRIES[i % len(COUNTRIES)]
            jobs.append(({"iso3": c, "limit": 10000}, expected_iso[c]))
        else:
            jobs.append(({"limit": 1000, "offset": (i * 37) % 3000}, min(1000, 3122 - (i * 37) % 3000)))

    def run(chunk):
        results = []
        with http_session() as s:
            for params, expected in chunk:
                r = s.get(f"{base_url}/collections/coal_mines/items", params=params, timeout=120)
                doc = r.json() if r.status_code == 200 else {}
                results.append((params, expected, r.status_code, len(doc.get("features", []))))
        return results

    chunks = [jobs[i::16] for i in range(16)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = [r for chunk in pool.map(run, chunks) for r in chunk]
    wrong = [(p, e, st, n) for p, e, st, n in results if st != 200 or n != e]
    assert not wrong, f"{len(wrong)} of {len(results)} wrong, e.g. {wrong[:3]}"
