"""The incremental harvest (issue 16): an unchanged re-harvest writes nothing, over CSW and
over OGC API - Records. The figures are printed (pytest -s); bench/federation_reharvest.sh
runs this with 10,000 records for the issue's goal (under 1 s of AMIS's own work). No time
is asserted here: a benchmark's figure is not a test's verdict."""
from __future__ import annotations

import os

import pytest

from federation_support import build_national_store, build_regional_store, harvest, node, start

RECORDS = int(os.environ.get("AMIS_REHARVEST_RECORDS", "1000"))


@pytest.fixture(scope="module")
def national(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("national-many")
    server = start(build_national_store(work, RECORDS), work / "logs", "national")
    yield server
    server.stop()


@pytest.mark.parametrize("kind,path", [("csw", "/csw"), ("amis", "")])
def test_an_unchanged_reharvest_writes_nothing(tmp_path, national, kind, path):
    regional = build_regional_store(tmp_path / "regional")
    node(regional, "add", "big", national.url + path, "--kind", kind, "--country", "IDN", "--schedule", "off")
    code, first = harvest(regional, "big")
    assert code == 0 and first["added"] == RECORDS + 2, first
    code, again = harvest(regional, "big")
    assert code == 0 and again["unchanged"] == RECORDS + 2 and again["added"] == again["updated"] == 0, again
    print(f"\n{kind}: first harvest {first['seconds']:.2f} s ({(RECORDS + 2) / first['seconds']:.0f} records/s, "
          f"{first['workSeconds']:.2f} s own work); unchanged re-harvest {again['seconds']:.2f} s, "
          f"{again['workSeconds']:.3f} s own work")
