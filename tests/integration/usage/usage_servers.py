"""The usage tests' servers and test networks, imported by name (a test module's
`from conftest import` would find whichever folder's conftest was loaded first)."""
from __future__ import annotations

from support import AmisServer

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


def start_server(tmp_path_factory, store, config, name):
    srv = AmisServer(store, tmp_path_factory.mktemp(name + "-logs"), name=name, config=config)
    srv.start()
    return srv
