"""backends/: the PostgreSQL harness's tests and the GeoPackage/PostGIS comparison. They run in
the PostGIS pass of the suite (--store-backend postgis), where a PostgreSQL cluster is there
anyway; on a GeoPackage pass they are skipped, so that scripts/test.sh runs them once."""
from __future__ import annotations

import pytest

import support


def pytest_collection_modifyitems(config, items):
    if support.on_postgis():
        return
    here = __file__.rsplit("/", 1)[0]
    for item in items:
        if str(item.fspath).startswith(here + "/"):
            item.add_marker(pytest.mark.skip(reason="runs in the PostGIS pass (--store-backend postgis)"))
