"""Helpers of the federation tests (issue 16): a "national node" (a second real `amis serve`
on its own store of collections and generated ISO 19139 records) harvested by a "regional
node" (`amis node ...` on the regional store, and the regional server for the admin API and
for reading the harvested records with OWSLib).

Hostile or broken nodes are small Python HTTP servers on loopback (http.server): one that
redirects to another host, one that passes the national node's answers through but breaks a
page or a record. Expectations come from the national node read directly (OWSLib, requests,
the ISO documents), never from the regional node's answers.

Imported by the test modules (the folder has no conftest of its own)."""
from __future__ import annotations

import contextlib
import http.server
import json
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Callable

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "catalog"))

from csw_support import generate_records  # noqa: E402
from support import AmisServer, amis_import, run_amis  # noqa: E402

ADMIN_TOKEN = "federation-tests-bootstrap-admin-token-7f3a"  # no real secret
NODE_TOKEN = "national-node-token-never-shown-9c41e"         # no real secret


def point_collection(path: Path, name: str, points: list[tuple[float, float]]) -> Path:
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": list(p)},
                 "properties": {"name": f"{name}-{i}"}} for i, p in enumerate(points)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def build_national_store(work: Path, iso_records: int) -> Path:
    """Two collections (Indonesian mines and deposits) and `iso_records` generated ISO records."""
    work.mkdir(parents=True, exist_ok=True)
    store = work / "national.gpkg"
    amis_import(store, point_collection(work / "mines.geojson", "mine", [(110.0, -7.0), (112.5, -7.5)]),
                "idn_mines", "--title", "Mines of Java", "--description", "Active mines on Java",
                "--keywords", "mines,gold")
    amis_import(store, point_collection(work / "deposits.geojson", "deposit", [(101.0, 0.5), (116.0, 1.0)]),
                "idn_deposits", "--title", "Nickel deposits", "--description", "Known nickel deposits",
                "--keywords", "nickel")
    if iso_records:
        records = generate_records(iso_records, work / "iso")
        done = run_amis("catalog", "import", records, "--store", store)
        assert done.returncode == 0, done.stdout + done.stderr
    return store


def build_regional_store(work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    store = work / "regional.gpkg"
    amis_import(store, point_collection(work / "region.geojson", "site", [(100.0, 10.0)]), "asean_sites",
                "--title", "ASEAN sites")
    return store


def regional_config(work: Path, concurrency: int = 1) -> Path:
    config = work / "amis.toml"
    config.write_text(f'[server]\nlog_level = "info"\n\n[admin]\ntoken = "{ADMIN_TOKEN}"\n\n'
                      f'[federation]\nharvest_concurrency = {concurrency}\ntimeout_seconds = 20\n'
                      f'retries = 1\nbackoff_seconds = 0.1\n')
    return config


def start(store: Path, logs: Path, name: str, config: Path | None = None) -> AmisServer:
    logs.mkdir(parents=True, exist_ok=True)
    server = AmisServer(store, logs, name=name, config=config)
    server.start()
    return server


def node(store: Path, *args: str, config: Path | None = None):
    """`amis node ARGS --store STORE`; JSON output parsed when there is some."""
    extra = ["--config", config] if config else []
    done = run_amis("node", *args, "--store", store, *extra)
    try:
        doc = json.loads(done.stdout) if done.stdout.strip().startswith(("{", "[")) else None
    except json.JSONDecodeError:
        doc = None
    return done, doc


def served(store: Path, work: Path, name: str, config: Path | None = None):
    """A generator for a module fixture: an amis server on `store`, stopped after; it must not
    have died meanwhile."""
    server = start(store, work / "logs", name, config)
    yield server
    alive = server.alive()
    server.stop()
    assert alive, server.stderr()


def harvested(regional, name: str) -> dict[str, str]:
    """source id -> title of the regional catalogue's records harvested from node `name`."""
    r = requests.get(regional.url + "/collections/catalog/items", params={"f": "json", "limit": 10000}, timeout=30)
    assert r.status_code == 200, r.text
    prefix = name + ":"
    return {f["id"][len(prefix):]: f["properties"]["title"] for f in r.json()["features"] if f["id"].startswith(prefix)}


def harvest(store: Path, name: str, config: Path | None = None) -> tuple[int, dict]:
    done, report = node(store, "harvest", name, config=config)
    assert report is not None, done.stdout + done.stderr
    return done.returncode, report


# --------------------------------------------------------------------------- hostile nodes


class LoopbackServer:
    """A threaded http.server on 127.0.0.1 answering GET with `answer(path) -> (status, headers, body)`;
    the paths asked are kept in `asked`."""

    def __init__(self, answer: Callable[[str], tuple[int, dict, bytes]]):
        self.asked: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                outer.asked.append(self.path)
                status, headers, body = answer(self.path)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def __enter__(self) -> "LoopbackServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def pass_through(upstream: str, change: Callable[[str, bytes], bytes | None]) -> Callable:
    """An answer that fetches the same path from `upstream` and hands it to `change(path, body)`
    (None: unchanged)."""
    def answer(path: str):
        with contextlib.closing(urllib.request.urlopen(upstream + path, timeout=60)) as r:
            body = r.read()
            kind = r.headers.get("Content-Type", "application/xml")
        changed = change(path, body)
        return 200, {"Content-Type": kind}, body if changed is None else changed
    return answer
