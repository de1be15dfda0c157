"""What the hostile-load tests (issue 21) share: a server of their own over a copy of the
session store (or a store of their own), with accounts and bearer tokens made by the `amis`
command line, and calls made with a token. The oracles stay in the tests: sqlite3 reads of
the store (store_support), osgeo.ogr, Python's own parsers."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

import styles_support as ss
from store_support import amis
from store_support import error as json_error  # noqa: F401  (an OGC API error with this status)
from support import AmisServer, http_session

PASSWORD = "correct horse battery staple"
JSON = "application/json"


@dataclass
class Site:
    store: Path
    work: Path
    server: AmisServer
    s: requests.Session
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url

    def auth(self, user: str | None) -> dict:
        return {} if user is None else {"Authorization": f"Bearer {self.tokens.get(user, user)}"}

    def call(self, method: str, path: str, user: str | None = None, body: Any = None,
             content_type: str | None = None, params: dict | None = None, headers: dict | None = None,
             timeout: float = 120) -> requests.Response:
        data = body if body is None or isinstance(body, (bytes, str)) else json.dumps(body)
        h = {**self.auth(user), **(headers or {})}
        if data is not None:
            h["Content-Type"] = content_type or JSON
        return self.s.request(method, self.url + path, data=data, headers=h, params=params, timeout=timeout)

    def add_user(self, name: str, role: str, country: str | None = None, token: bool = True) -> None:
        extra = ["--country", country] if country else []
        r = amis("user", "add", name, "--role", role, *extra, "--store", self.store, stdin=PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
        if token:
            r = amis("token", "create", name, "--store", self.store)
            assert r.returncode == 0, r.stderr
            self.tokens[name] = r.stdout.strip()


def start_site(work: Path, store: Path, config: str, users: dict[str, tuple[str, str | None]] | None = None,
               name: str = "hostile", copy_from: Path | None = None, env: dict[str, str] | None = None) -> Site:
    """`amis serve` over `store` (a copy of `copy_from` if given) with these accounts, each
    with a bearer token; `env` is set for the server process only."""
    if copy_from is not None:
        store = ss.copy_store(copy_from, store)
    site = Site(store, work, AmisServer(store, work, name=name, config=work / f"{name}.toml"), http_session())
    for user, (role, country) in (users or {}).items():
        site.add_user(user, role, country)
    (work / f"{name}.toml").write_text(config)
    with pytest.MonkeyPatch.context() as mp:
        for k, v in (env or {}).items():
            mp.setenv(k, v)
        site.server.start()
    return site


def stop_site(site: Site) -> None:
    site.s.close()
    alive = site.server.alive()
    status = site.server.stop()
    assert alive, f"amis serve died during the tests:\n{site.server.stderr()[-3000:]}"
    assert status == 0, site.server.stderr()[-3000:]
