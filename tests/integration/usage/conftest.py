"""The usage statistics' servers (issue 18): a store of the demo collections, served with
[usage] writing every second and a test country database (mmdb_writer) of three
documentation networks, with 127.0.0.1 as the trusted proxy that sets X-Forwarded-For."""
from __future__ import annotations

import pytest

from mmdb_writer import write_country_mmdb
from support import DEMO_SOURCES, amis_import, http_session
from usage_servers import NETWORKS, start_server, usage_config

@pytest.fixture(scope="module")
def country_mmdb(tmp_path_factory):
    path = tmp_path_factory.mktemp("geo") / "test-country.mmdb"
    write_country_mmdb(path, NETWORKS)
    import maxminddb  # Debian's python3-maxminddb reads it as libmaxminddb will
    with maxminddb.open_database(str(path)) as reader:
        for cidr, code in NETWORKS.items():
            assert reader.get(cidr.split("/")[0]) == {"country_code": code}
        assert reader.get("100.64.1.1") is None
    return path


@pytest.fixture(scope="module")
def usage_store(tmp_path_factory, amis_bin):
    store = tmp_path_factory.mktemp("usage-store") / "amis.gpkg"
    for name in ("countries", "coal_mines"):
        source = DEMO_SOURCES[name]
        amis_import(store, source.path, source.collection, *(["--layer", source.layer] if source.layer else []))
    return store


@pytest.fixture(scope="module")
def usage_server(tmp_path_factory, usage_store, country_mmdb):
    config = usage_config(tmp_path_factory.mktemp("usage-config"), country_mmdb)
    srv = start_server(tmp_path_factory, usage_store, config, "usage")
    yield srv
    alive = srv.alive()
    srv.stop()
    assert alive, srv.stderr()


@pytest.fixture(scope="module")
def http(usage_server):
    with http_session() as s:
        yield s
