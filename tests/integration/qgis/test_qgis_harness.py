"""The QGIS harness itself: a QGIS crash fails the command that caused it, with QGIS's
last output, and the next command runs in a new QGIS process."""
from __future__ import annotations

import pytest

from qgis_support import QgisFailed, wfs_uri


def test_a_crash_fails_one_command_and_qgis_starts_again(qgis, server):
    with pytest.raises(QgisFailed, match=r"crashed \(exit -11\)"):
        qgis.run("crash")
    starts = qgis.starts
    layer = qgis.run("read_vector", provider="oapif", uri=wfs_uri(server.url, "countries", "OGC_API_FEATURES"),
                     count=False)
    assert layer["valid"] and len(layer["features"]) == 13
    assert qgis.starts == starts + 1
