"""Helpers of the AMIS-to-AMIS sync tests (issue 16): a national AMIS node whose editors'
change sets are approved through the real editing API, and regional AMIS stores that pull
its change feed (`amis node sync`, POST /admin/nodes/{name}/sync). Both start from the same
data set of mines of three member states (fixed coordinates), as a regional data set and
its national copy would."""
from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import requests

from federation_support import ADMIN_TOKEN, LoopbackServer
from store_support import add_users, rows
from support import amis_import

COLLECTION = "mines"
PASSWORD = "sync-tests-password-not-secret-4d1"
EDITOR, REVIEWER, LINK = "idn-editor", "national-reviewer", "regional-link"
USERS = {EDITOR: ("editor", "IDN"), REVIEWER: ("reviewer", None), LINK: ("node", None)}
MINES = ([(f"idn-{i}", "IDN", 105.0 + i, -6.5 - i / 10, 1000 * (i + 1)) for i in range(6)] +
         [(f"mys-{i}", "MYS", 101.0 + i / 2, 3.0 + i / 10, 500 * (i + 1)) for i in range(4)] +
         [(f"vnm-{i}", "VNM", 106.0 + i / 2, 16.0, 700 * (i + 1)) for i in range(2)])

CONFIG = f"""[server]
log_level = "info"

[admin]
token = "{ADMIN_TOKEN}"

[editing]
country_property = "iso3"
direct_publish = ["admin"]

[federation]
harvest_concurrency = 0
timeout_seconds = 20
retries = 0
"""


def mines_file(path: Path) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]},
         "properties": {"name": name, "iso3": iso3, "tonnes": tonnes}} for name, iso3, x, y, tonnes in MINES]}))
    return path


def build_store(work: Path, name: str) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    store = work / f"{name}.gpkg"
    amis_import(store, mines_file(work / "mines.geojson"), COLLECTION, "--title", "Mines")
    return store


def config(work: Path) -> Path:
    path = work / "amis.toml"
    path.write_text(CONFIG)
    return path


def national_users(store: Path) -> dict[str, str]:
    return add_users(store, USERS, PASSWORD)


class Editing:
    """The national node's editing API as its editor and reviewer use it."""

    def __init__(self, url: str, tokens: dict[str, str]):
        self.url, self.tokens = url, tokens

    def call(self, method: str, path: str, user: str, body=None, content_type: str = "application/json",
             params: dict | None = None) -> requests.Response:
        token = ADMIN_TOKEN if user == "admin" else self.tokens[user]
        headers = {"Authorization": f"Bearer {token}"}
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body), content_type
        return requests.request(method, self.url + path, data=data, headers=headers, params=params, timeout=60)

    def draft(self, title: str) -> int:
        r = self.call("POST", "/changesets", EDITOR, {"collection": COLLECTION, "title": title})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def write(self, method: str, cs: int | None, fid: int | None = None, body=None, user: str = EDITOR):
        path = f"/collections/{COLLECTION}/items" + ("" if fid is None else f"/{fid}")
        kind = "application/merge-patch+json" if method == "PATCH" else "application/geo+json"
        r = self.call(method, path, user, body, kind, params={"changeset": cs} if cs else None)
        assert r.status_code in (200, 201, 202, 204), r.text
        return r

    def submit_and_approve(self, cs: int) -> None:
        r = self.call("POST", f"/changesets/{cs}/submit", EDITOR)
        assert r.status_code == 200, r.text
        r = self.call("POST", f"/changesets/{cs}/approve", REVIEWER, {"comment": "checked"})
        assert r.status_code == 200, r.text


def fid_of(store: Path, name: str) -> int:
    found = rows(store, f'SELECT fid FROM "{COLLECTION}" WHERE name = ?', name)
    assert len(found) == 1, (name, found)
    return found[0][0]


def items(url: str) -> dict[str, dict]:
    """name -> {iso3, tonnes, x, y} of the collection's items (OGC API, one page)."""
    r = requests.get(f"{url}/collections/{COLLECTION}/items", params={"f": "json", "limit": 1000}, timeout=60)
    assert r.status_code == 200, r.text
    return {f["properties"]["name"]: {"iso3": f["properties"]["iso3"], "tonnes": f["properties"]["tonnes"],
                                      "x": f["geometry"]["coordinates"][0], "y": f["geometry"]["coordinates"][1]}
            for f in r.json()["features"]}


def feed_filter(upstream: str, token: str, change) -> LoopbackServer:
    """A loopback "node" serving the national node's feed from sequence 0 (whatever `since` is
    asked: a replay), passed through `change(entries) -> entries`."""
    def answer(path: str):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
        request = urllib.request.Request(f"{upstream}/changes?since=0&limit={query.get('limit', ['100'])[0]}",
                                         headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=60) as r:
            doc = json.loads(r.read())
        doc["changes"] = change(doc["changes"])
        doc["links"] = [link for link in doc["links"] if link["rel"] != "next"]
        return 200, {"Content-Type": "application/json"}, json.dumps(doc).encode()
    return LoopbackServer(answer)
