"""Member states' grids through change sets (issue 17): POST /collections/{id}/coverage/upload
with a grid in any format GDAL reads becomes a submitted change set; the coverage serves its old
grid until a reviewer approves, then the new one (as a COG beside the old, which is kept as a
version); a rejection changes nothing. An editor replaces only the grids of their own member
state ([editing.collections.<id>] country); what GDAL cannot open, or a grid without a CRS, is
a 400.

Oracles: GDAL reading the uploaded file itself (numpy), and the store's files on disk."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal

from coverage_support import GEOID, NODATA, UTM_BANDS, UTM_SIZE, create_utm_grid, read_all, write_utm_grid
from grid_support import act, as_user, serve_grids, upload
from support import store_files

gdal.UseExceptions()

USERS = {"secretariat": ("admin", None), "expert": ("reviewer", None), "expert-two": ("reviewer", None),
         "vnm-editor": ("editor", "VNM"), "tha-editor": ("editor", "THA")}
CONFIG = """\
[coverages]
max_response_mb = 64

[editing.collections.magnetics]
country = "VNM"
"""


@pytest.fixture(scope="module")
def grid_env(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("grid_uploads")
    utm = work / "utm_grid.tif"
    write_utm_grid(utm)
    for env in serve_grids(work, "grid_uploads", [(GEOID, "--id", "geoid"), (utm, "--id", "magnetics")], USERS,
                           CONFIG):
        yield {**env, "utm": utm}


def wcs_values(env, coverage) -> np.ndarray:
    r = env["session"].get(env["url"] + "/wcs", params={"SERVICE": "WCS", "VERSION": "2.0.1",
                                                         "REQUEST": "GetCoverage", "COVERAGEID": coverage},
                           timeout=120)
    assert r.status_code == 200, r.text[:400]
    return read_all(r.content)[0]


def ogcapi_values(env, coverage) -> np.ndarray:
    r = env["session"].get(f"{env['url']}/collections/{coverage}/coverage", params={"f": "geotiff"}, timeout=120)
    assert r.status_code == 200, r.text[:400]
    return read_all(r.content)[0]


def gdal_values(path: Path) -> np.ndarray:
    ds = gdal.Open(str(path))
    return ds.ReadAsArray().reshape(ds.RasterCount, ds.RasterYSize, ds.RasterXSize)


def rasters_folder(env) -> Path:
    return store_files(env["store"]) / "rasters"


def files(env) -> set[str]:
    return {p.name for p in rasters_folder(env).iterdir()}


def history(env, coverage) -> list[dict]:
    r = env["session"].get(f"{env['url']}/collections/{coverage}/coverage/history", timeout=30)
    assert r.status_code == 200, r.text[:400]
    return r.json()["versions"]


def new_utm_grid(path: Path, offset: float) -> None:
    """The magnetics grid's shape with other values (and no nodata block)."""
    w, h = UTM_SIZE
    ds = create_utm_grid(path)
    rows, cols = np.mgrid[0:h, 0:w].astype(np.float32)
    for i in range(3):
        ds.GetRasterBand(i + 1).WriteArray((offset + i * 7 + rows * 0.5 - cols * 1.25).astype(np.float32))
        ds.GetRasterBand(i + 1).SetNoDataValue(NODATA)
    ds = None


def test_an_approved_upload_replaces_the_grid_and_keeps_the_old_one(grid_env, tmp_path):
    before = wcs_values(grid_env, "magnetics")
    assert np.array_equal(before, gdal_values(grid_env["utm"]))
    kept = files(grid_env)
    new = tmp_path / "new.tif"
    new_utm_grid(new, 50000)
    r = upload(grid_env, "vnm-editor", "magnetics", new.read_bytes(), filename="new.tif")
    assert r.status_code == 202, r.text[:400]
    cs = r.json()["changeSet"]
    assert cs["state"] == "submitted" and cs["collection"] == "coverage:magnetics"
    # Pending: the coverage still serves the old grid, everywhere.
    assert np.array_equal(wcs_values(grid_env, "magnetics"), before)
    assert np.array_equal(ogcapi_values(grid_env, "magnetics"), before)
    review = grid_env["session"].get(f"{grid_env['url']}/changesets/{cs['id']}/review",
                                     headers=as_user(grid_env, "expert"), timeout=30).json()
    assert review["changes"][0]["after"]["width"] == UTM_SIZE[0]
    assert [b["name"] for b in review["changes"][0]["after"]["bands"]] == [b[0] for b in UTM_BANDS]
    # The author may not approve; a reviewer does.
    assert act(grid_env, "vnm-editor", cs["id"], "approve").status_code == 403
    r = act(grid_env, "expert", cs["id"], "approve", "checked against the survey")
    assert r.status_code == 200, r.text[:400]
    assert r.json()["state"] == "approved"
    expected = gdal_values(new)
    assert np.array_equal(wcs_values(grid_env, "magnetics"), expected)
    assert np.array_equal(ogcapi_values(grid_env, "magnetics"), expected)
    versions = history(grid_env, "magnetics")
    assert [(v["version"], v["changeSet"], v["current"]) for v in versions] == [(0, None, False),
                                                                               (1, cs["id"], True)]
    assert versions[0]["grid"] == "magnetics.tif" and versions[1]["author"] == "vnm-editor"
    # The previous grid is kept, unchanged, and the new one is a COG.
    assert np.array_equal(gdal_values(rasters_folder(grid_env) / "magnetics.tif"), before)
    assert files(grid_env) - kept == {versions[1]["grid"]} and kept <= files(grid_env)  # nothing else left behind
    info = gdal.Info(str(rasters_folder(grid_env) / versions[1]["grid"]), format="json")
    assert info["metadata"]["IMAGE_STRUCTURE"].get("LAYOUT") == "COG"


def test_a_rejected_upload_changes_nothing(grid_env, tmp_path):
    before = wcs_values(grid_env, "magnetics")
    versions = history(grid_env, "magnetics")
    kept = files(grid_env)
    new = tmp_path / "rejected.tif"
    new_utm_grid(new, 10)
    r = upload(grid_env, "vnm-editor", "magnetics", new.read_bytes())
    assert r.status_code == 202, r.text[:400]
    cs = r.json()["changeSet"]["id"]
    assert len(files(grid_env)) == len(kept) + 1  # the pending COG
    assert act(grid_env, "expert", cs, "reject").status_code == 400  # a rejection needs a comment
    r = act(grid_env, "expert", cs, "reject", "values out of range")
    assert r.status_code == 200 and r.json()["state"] == "rejected"
    assert np.array_equal(wcs_values(grid_env, "magnetics"), before)
    assert history(grid_env, "magnetics") == versions
    assert files(grid_env) == kept


def test_another_countrys_editor_is_refused(grid_env, tmp_path):
    kept = files(grid_env)
    new = tmp_path / "tha.tif"
    new_utm_grid(new, 7)
    r = upload(grid_env, "tha-editor", "magnetics", new.read_bytes())
    assert r.status_code == 403, r.text[:400]
    assert "VNM" in r.text
    # The regional geoid is of no member state: no editor replaces it.
    assert upload(grid_env, "vnm-editor", "geoid", GEOID.read_bytes()).status_code == 403
    assert files(grid_env) == kept
    r = grid_env["session"].get(f"{grid_env['url']}/changesets", params={"collection": "coverage:magnetics"},
                                headers=as_user(grid_env, "tha-editor"), timeout=30)
    assert r.status_code == 200 and r.json()["changeSets"] == []


@pytest.mark.parametrize("name, data", [
    ("garbage", b"this is not a grid\n" * 100),
    ("truncated tiff", b"II*\x00" + b"\x00" * 64),
    ("empty", b""),
])
def test_what_gdal_cannot_read_is_a_400(grid_env, name, data):
    kept = files(grid_env)
    r = upload(grid_env, "vnm-editor", "magnetics", data, filename="grid.tif")
    assert r.status_code == 400, (name, r.status_code, r.text[:400])
    assert r.headers["Content-Type"].startswith("application/")
    assert files(grid_env) == kept


def test_a_grid_without_a_crs_is_a_400(grid_env, tmp_path):
    path = tmp_path / "no_crs.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 20, 10, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((0, 1, 0, 10, 0, -1))
    ds = None
    r = upload(grid_env, "vnm-editor", "magnetics", path.read_bytes())
    assert r.status_code == 400 and "CRS" in r.text, r.text[:400]


def test_a_netcdf_grid_from_a_reviewer_replaces_the_regional_geoid(grid_env, tmp_path):
    """Another format (NetCDF, written by GDAL from the geoid with new values): a reviewer's
    upload, approved by another reviewer."""
    src = gdal.Open(str(GEOID))
    values = src.ReadAsArray().astype(np.float32) * 2 + 1
    nc = tmp_path / "geoid.nc"
    mem = gdal.GetDriverByName("MEM").Create("", src.RasterXSize, src.RasterYSize, 1, gdal.GDT_Float32)
    mem.SetGeoTransform(src.GetGeoTransform())
    mem.SetProjection(src.GetProjection())
    mem.GetRasterBand(1).WriteArray(values)
    gdal.Translate(str(nc), mem, format="netCDF")
    mem = None
    r = upload(grid_env, "expert", "geoid", nc.read_bytes(), filename="geoid.nc", title="Geoid, doubled")
    assert r.status_code == 202, r.text[:400]
    cs = r.json()["changeSet"]
    assert cs["title"] == "Geoid, doubled"
    assert act(grid_env, "expert", cs["id"], "approve").status_code == 403  # not their own
    assert act(grid_env, "expert-two", cs["id"], "approve").status_code == 200
    assert np.array_equal(wcs_values(grid_env, "geoid"), gdal_values(nc))
    assert [v["current"] for v in history(grid_env, "geoid")] == [False, True]
