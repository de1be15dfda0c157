"""Helpers of the cascading tests (issue 16): a national AMIS node with a collection of a few
hundred generated sites (fixed seed), a regional AMIS that publishes it (cascaded or mirrored),
and a loopback proxy in front of the national node that can be switched to down, slow or
broken, to see what the regional node answers then."""
from __future__ import annotations

import json
import random
import time
import urllib.error
import urllib.request
from pathlib import Path

from federation_support import ADMIN_TOKEN, LoopbackServer
from support import amis_import

SITES = 230  # more than two pages of 100


def generate_sites(path: Path, n: int = SITES, seed: int = 16) -> Path:
    rng = random.Random(seed)
    features = []
    for i in range(n):
        lon, lat = round(rng.uniform(95.0, 141.0), 6), round(rng.uniform(-10.0, 20.0), 6)
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                         "properties": {"name": f"site-{i:03d}", "commodity": rng.choice(["Ni", "Au", "Cu", "Sn"]),
                                        "tonnes": rng.randint(0, 100000), "grade": round(rng.uniform(0, 5), 3)}})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def build_national_sites(work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    store = work / "national.gpkg"
    amis_import(store, generate_sites(work / "sites.geojson"), "sites", "--title", "Mineral sites of Indonesia",
                "--description", "Generated sites", "--keywords", "nickel,gold")
    return store


def national_config(work: Path) -> Path:
    config = work / "national.toml"
    config.write_text(f'[server]\nlog_level = "info"\n\n[admin]\ntoken = "{ADMIN_TOKEN}"\n\n'
                      '[editing]\ndirect_publish = ["admin"]\n\n[federation]\nharvest_concurrency = 0\n')
    return config


def cascading_config(work: Path, timeout: float = 10.0, ttl: float = 300) -> Path:
    config = work / "amis.toml"
    config.write_text(f'[server]\nlog_level = "info"\n\n[admin]\ntoken = "{ADMIN_TOKEN}"\n\n'
                      f'[federation]\nharvest_concurrency = 0\ntimeout_seconds = 20\nretries = 0\n'
                      f'cascade_timeout_seconds = {timeout}\ncascade_cache_ttl_seconds = {ttl}\n'
                      f'cascade_cache_mb = 32\n')
    return config


class SwitchableProxy:
    """A loopback proxy to `upstream` answering as `mode` says: "pass", "slow" (sleeps
    `slow_seconds` first), "error" (HTTP 500 with an HTML page), "html" (HTTP 200, an HTML page)."""

    def __init__(self, upstream: str, slow_seconds: float = 6.0):
        self.upstream = upstream
        self.mode = "pass"
        self.slow_seconds = slow_seconds
        self.server = LoopbackServer(self.answer)

    def answer(self, path: str):
        if self.mode == "slow":
            time.sleep(self.slow_seconds)
        if self.mode == "error":
            return 500, {"Content-Type": "text/html"}, b"<html><body>Internal error</body></html>"
        if self.mode == "html":
            return 200, {"Content-Type": "text/html"}, b"<html><body>Maintenance</body></html>"
        try:
            with urllib.request.urlopen(self.upstream + path, timeout=60) as r:
                body = r.read().replace(self.upstream.encode(), self.url.encode())  # its links name the proxy
                return r.status, {"Content-Type": r.headers.get("Content-Type", "application/json")}, body
        except urllib.error.HTTPError as e:
            return e.code, {"Content-Type": e.headers.get("Content-Type", "application/json")}, e.read()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def __enter__(self) -> "SwitchableProxy":
        self.server.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.server.__exit__(*exc)


def serve_national(work: Path):
    """A generator for a module fixture: the national node serving its sites, stopped after."""
    from federation_support import start
    server = start(build_national_sites(work), work / "logs", "national", national_config(work))
    yield server
    alive = server.alive()
    server.stop()
    assert alive, server.stderr()


def admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}
