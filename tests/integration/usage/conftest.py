"""The usage statistics' servers (issue 18): a store of the demo collections, served with
[usage] writing every second and a test country database (mmdb_writer) of three
documentation networks, with 127.0.0.1 as the trusted proxy that sets X-Forwarded-For."""
from __future__ import annotations

import pytest

from mmdb_writer import write_country_mmdb
from support import DEMO_SOURCES, AmisServer, amis_import, http_session

# Documentation networks (RFC 5737) and the member states they stand for in these tests.
NETWORKS = {"192.0.2.0/24": "SG", "198.51.100.0/24": "TH", "203.0.113.0/24": "JP"}
ALPHA3 = {"SG": "SGP", "TH": "THA", "JP": "JPN"}


def usage_config(folder, mmdb, trusted=("127.0.0.1", "::1"), **usage) -> str:
    settings = {"flush_seconds": 1, "country_database": str(mmdb), "raw_event_days": 7, **usage}
    lines = ["[server]", "trusted_proxies = [" + ", ".join(f'"{p}"' for p in trusted) + "]", "", "[usage]"]
    for key, value in settings.items():
        lines.append(f"{key} = " + (f'"{value}"' if isinstance(value, str) else str(value).lower()
                                    if isinstance(value, bool) else str(value)))
    path = folder / "amis.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


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


def start_server(tmp_path_factory, store, config, name):
    srv = AmisServer(store, tmp_path_factory.mktemp(name + "-logs"), name=name, config=config)
    srv.start()
    return srv


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
