"""The catalogue's server: a store of 24 synthetic collections and a style (catalog_support);
and the CSW modules' catalogue of 10,050 ISO records (csw_support.csw), here so that a
worker builds it once for all of them (a fixture imported into each module was each
module's own, built again per module: 35-50 s each on PostGIS)."""
from __future__ import annotations

import pytest

from catalog_support import build_catalog_store
from csw_support import csw  # noqa: F401  (a fixture)
from support import AmisServer, http_session


@pytest.fixture(scope="module")
def catalog_store(tmp_path_factory, amis_bin):
    return build_catalog_store(tmp_path_factory.mktemp("catalog"))


@pytest.fixture(scope="module")
def catalog_server(tmp_path_factory, catalog_store):
    srv = AmisServer(catalog_store, tmp_path_factory.mktemp("catalog-logs"), name="catalog")
    srv.start()
    yield srv
    alive = srv.alive()
    srv.stop()
    assert alive, srv.stderr()


@pytest.fixture(scope="module")
def url(catalog_server) -> str:
    return catalog_server.url


@pytest.fixture(scope="module")
def http(catalog_server):
    with http_session() as s:
        yield s
