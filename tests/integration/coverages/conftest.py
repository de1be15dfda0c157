"""A store with two coverages (coverage_support) and `amis serve` over it, with a small
[coverages] max_response_mb so that the 413 can be reached."""
from __future__ import annotations

import pytest

from coverage_support import GEOID, CoverageEnv, write_utm_grid
from support import AmisServer, http_session, run_amis


@pytest.fixture(scope="module")
def coverage_env(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("coverages")
    store = work / "store.gpkg"
    utm = work / "utm_grid.tif"
    write_utm_grid(utm)
    added = run_amis("raster", "add", GEOID, "--id", "geoid", "--title", "EGM96 geoid", "--band-names", "N",
                     "--units", "m", "--band-description", "geoid undulation above WGS 84", "--store", store)
    assert added.returncode == 0, added.stderr
    added = run_amis("raster", "add", utm, "--id", "magnetics", "--title", "Synthetic magnetics", "--store", store)
    assert added.returncode == 0, added.stderr
    config = work / "amis.toml"
    config.write_text("[coverages]\nmax_response_mb = 8\nmax_size = 20000\n")
    srv = AmisServer(store, work, name="coverages", config=config)
    srv.start()
    with http_session() as s:
        yield CoverageEnv(srv.url, store, s)
    alive = srv.alive()
    srv.stop()
    assert alive, srv.stderr()
