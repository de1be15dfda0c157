#!/usr/bin/python3
"""Approval latency of one store at the size of its collection (bench/approvals.sh runs it).

  approvals.py AMIS_BIN STORE COLLECTION N_APPROVALS

Serves STORE, adds two reviewers (one writes, the other approves), then N change sets
of the collection in turn: each moves one feature, deletes one and inserts one, a third
of them on the collection's western edge (the case that makes a side of the extent move
inwards). Times only the POST .../approve (wall ms) and prints p50/p90/max with the
collection's extent afterwards (bench/approvals.sh checks it against PostGIS or SQLite)."""
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

AMIS, STORE, COLLECTION, N = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
PASSWORD = "bench-password-approvals"


def amis(*args, stdin=None):
    r = subprocess.run([AMIS, *args, "--store", STORE], input=stdin, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        sys.exit(f"amis {' '.join(args)}: {r.stderr.strip()}")
    return r.stdout.strip()


tokens = {}
WRITER, APPROVER = f"bench-writer-{os.getpid()}", f"bench-approver-{os.getpid()}"
for name in (WRITER, APPROVER):
    amis("user", "add", name, "--role", "reviewer", stdin=PASSWORD + "\n")
    tokens[name] = amis("token", "create", name)

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
server = subprocess.Popen([AMIS, "serve", "--store", STORE, "--port", str(port)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = f"http://127.0.0.1:{port}"


def call(method, path, user=None, body=None, ctype="application/json"):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if user:
        req.add_header("Authorization", "Bearer " + tokens[user])
    if data is not None:
        req.add_header("Content-Type", ctype)
    with urllib.request.urlopen(req, timeout=600) as r:
        return r.status, json.loads(r.read() or b"null")


try:
    for _ in range(600):
        try:
            call("GET", "/conformance")
            break
        except OSError:
            time.sleep(0.1)
    meta = call("GET", f"/collections/{COLLECTION}")[1]
    west = meta["extent"]["spatial"]["bbox"][0][0]
    rng = random.Random(20261206)
    size = call("GET", f"/collections/{COLLECTION}/items?limit=1")[1]["numberMatched"]
    times = []
    for i in range(N):
        # The feature on the western edge (a third of the rounds), else a random one.
        if i % 3 == 0:
            west = call("GET", f"/collections/{COLLECTION}")[1]["extent"]["spatial"]["bbox"][0][0]
            q = f"/collections/{COLLECTION}/items?limit=1&bbox={west},-90,{west + 1e-9},90"
        else:
            q = f"/collections/{COLLECTION}/items?limit=1&offset={rng.randrange(0, size // 2)}"
        victim = call("GET", q)[1]["features"][0]["id"]
        mover = call("GET", f"/collections/{COLLECTION}/items?limit=1&offset={rng.randrange(size // 2, size - 2 * N)}")[1]
        mover = mover["features"][0]
        s, cs = call("POST", "/changesets", WRITER, {"collection": COLLECTION, "title": f"bench {i}"})
        cs = cs["id"]
        point = {"type": "Point", "coordinates": [100 + rng.random() * 20, rng.random() * 20]}
        items = f"/collections/{COLLECTION}/items"
        call("DELETE", f"{items}/{victim}?changeset={cs}", WRITER)
        call("PATCH", f"{items}/{mover['id']}?changeset={cs}", WRITER, {"geometry": point},
             "application/merge-patch+json")
        call("POST", f"{items}?changeset={cs}", WRITER,
             {"type": "Feature", "geometry": point, "properties": {}}, "application/geo+json")
        call("POST", f"/changesets/{cs}/submit", WRITER)
        t0 = time.perf_counter()
        call("POST", f"/changesets/{cs}/approve", APPROVER)
        times.append((time.perf_counter() - t0) * 1000)
    meta = call("GET", f"/collections/{COLLECTION}")[1]
    times.sort()
    print(json.dumps({"approvals": N, "p50_ms": round(statistics.median(times), 1),
                      "p90_ms": round(times[int(0.9 * (N - 1))], 1), "max_ms": round(times[-1], 1),
                      "bbox": meta["extent"]["spatial"]["bbox"][0]}))
finally:
    server.terminate()
    server.wait(timeout=30)
