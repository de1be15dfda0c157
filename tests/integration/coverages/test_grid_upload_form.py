"""The portal's grid upload form (issue 17), in Chromium (web/e2e/grids.mjs): an editor of the
coverage's member state picks the coverage and a grid file; the upload is a submitted change
set whose grid (a COG beside the coverage's) holds the file's values, read with GDAL; the
coverage serves its old grid until a reviewer approves."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal

from coverage_support import UTM_SIZE, create_utm_grid, write_utm_grid
from store_support import add_users
from support import DEMO_SOURCES, REPO_ROOT, AmisServer, amis_import, http_session, run_amis, store_files
from test_portal import CHROMIUM, missing_for_the_portal, portal_required

WEB = REPO_ROOT / "web"
ARTEFACTS = Path(__file__).parent.parent / "artefacts" / "grids"
PASSWORD = "grid portal password 1"
USERS = {"vnm-grids": ("editor", "VNM"), "grids-reviewer": ("reviewer", None)}


@pytest.fixture(scope="module")
def env(tmp_path_factory, amis_bin):
    lacking = missing_for_the_portal()
    if lacking:
        if portal_required():
            pytest.fail("the grid upload form cannot be tested, missing: " + ", ".join(lacking))
        pytest.skip("missing: " + ", ".join(lacking))
    work = tmp_path_factory.mktemp("grid_form")
    store = work / "store.gpkg"
    utm = work / "utm_grid.tif"
    write_utm_grid(utm)
    imported = amis_import(store, DEMO_SOURCES["countries"].path, "countries")  # the portal's base map
    assert imported.returncode == 0, imported.stderr
    added = run_amis("raster", "add", utm, "--id", "magnetics", "--country", "VNM", "--store", store)
    assert added.returncode == 0, added.stderr
    tokens = add_users(store, USERS, PASSWORD)
    srv = AmisServer(store, work, name="grid_form")
    srv.start()
    yield {"server": srv, "store": store, "work": work, "tokens": tokens, "utm": utm}
    srv.stop()


def test_an_editor_uploads_a_grid_in_the_portal(env):
    grid = env["work"] / "survey.tif"
    w, h = UTM_SIZE
    ds = create_utm_grid(grid)
    rows, cols = np.mgrid[0:h, 0:w].astype(np.float32)
    for i in range(3):
        ds.GetRasterBand(i + 1).WriteArray((7000 + i + rows - cols * 0.75).astype(np.float32))
    ds = None
    srv = env["server"]
    p = subprocess.run(["node", "e2e/grids.mjs", srv.url + "/portal/", str(ARTEFACTS)], cwd=WEB,
                       capture_output=True, text=True, timeout=180,
                       env={**os.environ, "CHROMIUM": str(CHROMIUM), "AMIS_EDITOR": "vnm-grids",
                            "AMIS_PASSWORD": PASSWORD, "AMIS_COVERAGE": "magnetics", "AMIS_GRID": str(grid)})
    assert p.returncode == 0, p.stderr[-2000:]
    shown = json.loads(p.stdout.strip().splitlines()[-1])
    assert "failure" not in shown, shown
    assert shown["errors"] == [] and shown["unlabelled"] == [], shown
    assert shown["coverages"] == ["magnetics"] and shown["uploadStatus"] == 202
    assert str(shown["changeSet"]) in shown["message"]
    with http_session() as s:
        headers = {"Authorization": f"Bearer {env['tokens']['grids-reviewer']}"}
        review = s.get(f"{srv.url}/changesets/{shown['changeSet']}/review", headers=headers, timeout=30).json()
        assert review["changeSet"]["state"] == "submitted"
        assert review["changeSet"]["title"] == "Survey grid from the portal"
        assert review["changeSet"]["author"] == "vnm-grids"
        kept = store_files(env["store"]) / "rasters" / review["changes"][0]["after"]["grid"]
        uploaded, original = gdal.Open(str(grid)), gdal.Open(str(env["utm"]))
        assert np.array_equal(gdal.Open(str(kept)).ReadAsArray(), uploaded.ReadAsArray())
        # Not served before a reviewer approves.
        r = s.get(f"{srv.url}/collections/magnetics/coverage", timeout=60)
        name = f"/vsimem/served-{os.getpid()}.tif"
        gdal.FileFromMemBuffer(name, r.content)
        assert np.array_equal(gdal.Open(name).ReadAsArray(), original.ReadAsArray())
        gdal.Unlink(name)
