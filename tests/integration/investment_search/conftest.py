"""The investor-search server: the generated deposits, licences and ports (invest_support),
and a copy of the licences restricted to reviewers, served with that rule in amis.toml."""
from __future__ import annotations

import pytest

from invest_support import REPO, RESTRICTED, Oracle, generate
from store_support import add_users
from support import AmisServer, amis_import, http_session

ACCOUNTS = {"expert": ("reviewer", None), "tha-editor": ("editor", "THA")}


@pytest.fixture(scope="module")
def source(tmp_path_factory, amis_bin):
    return generate(tmp_path_factory.mktemp("invest-data") / "invest.gpkg")


@pytest.fixture(scope="module")
def oracle(source):
    return Oracle(source)


@pytest.fixture(scope="module")
def invest(tmp_path_factory, source):
    work = tmp_path_factory.mktemp("invest")
    store = work / "store.gpkg"
    for layer in ("deposits", "licences", "ports"):
        amis_import(store, source, layer, "--layer", layer)
    amis_import(store, source, RESTRICTED, "--layer", "licences")
    amis_import(store, REPO / "data" / "demo" / "asean3_countries.geojson", "countries")  # the portal's base map
    tokens = add_users(store, ACCOUNTS, "correct horse battery staple")
    config = work / "amis.toml"
    config.write_text(f'[server]\nlog_level = "info"\n\n[access.collections.{RESTRICTED}]\nread = ["reviewer"]\n')
    srv = AmisServer(store, work, name="invest", config=config)
    srv.start()
    srv.tokens = tokens
    yield srv
    alive = srv.alive()
    srv.stop()
    assert alive, srv.stderr()[-3000:]


@pytest.fixture(scope="module")
def url(invest) -> str:
    return invest.url


@pytest.fixture(scope="module")
def http(invest):
    with http_session() as s:
        yield s
