"""Fixtures of the QGIS tests: one QGIS process for the session (QgsApplication created
once, exitQgis() at the end, a temporary HOME and profile), beside the `server` and
`store_path` of tests/integration/conftest.py."""
from __future__ import annotations

import pytest

from qgis_support import QgisWorker


@pytest.fixture(scope="session")
def qgis(tmp_path_factory):
    """The QGIS worker (qgis_support.QgisWorker). QGIS runs in a child process, so a crash
    fails the test that caused it with QGIS's last output; the next test starts QGIS again."""
    worker = QgisWorker(tmp_path_factory.mktemp("qgis-home"))
    yield worker
    worker.close()
