"""CoverageJSON (f=covjson, application/prs.coverage+json) and the HTML page (f=html) of
/collections/{id}/coverage. Values are compared with gdal_translate of the stored COG over
the window the CoverageJSON domain describes (native resolution: equal as float32), or with
the GeoTIFF answer of the same request (warped and scaled ones, whose grid GDAL chose)."""
from __future__ import annotations

import re

import numpy as np
import pytest

from coverage_support import NODATA, UTM_BANDS, read_all, stored_cog, translate

COVJSON = "application/prs.coverage+json"


def get(env, path, headers=None, **params):
    return env.session.get(env.url + path, params=params, headers=headers or {}, timeout=120)


def covjson(env, layer, **params) -> dict:
    r = get(env, f"/collections/{layer}/coverage", f="covjson", **params)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["Content-Type"].split(";")[0] == COVJSON
    return r.json()


def grid(doc: dict) -> tuple[dict, tuple[float, float, float, float], int, int]:
    """The axes, the box of the cells (from the cell centres) and the size."""
    assert doc["type"] == "Coverage" and doc["domain"]["domainType"] == "Grid"
    x, y = doc["domain"]["axes"]["x"], doc["domain"]["axes"]["y"]
    rx = (x["stop"] - x["start"]) / (x["num"] - 1)
    ry = (y["start"] - y["stop"]) / (y["num"] - 1)
    box = (x["start"] - rx / 2, y["stop"] - ry / 2, x["stop"] + rx / 2, y["start"] + ry / 2)
    return doc["domain"]["axes"], box, x["num"], y["num"]


def values(doc: dict, name: str) -> np.ndarray:
    r = doc["ranges"][name]
    assert r["type"] == "NdArray" and r["axisNames"] == ["y", "x"]
    a = np.array([np.nan if v is None else v for v in r["values"]], dtype=np.float64)
    return a.reshape(r["shape"])


def test_native_window_equals_gdal_translate(coverage_env):
    doc = covjson(coverage_env, "magnetics", subset="E(620000:680000),N(1560000:1595000)", properties="F,D")
    _, box, w, h = grid(doc)
    assert (w, h) == (60, 35)
    assert list(doc["parameters"]) == ["F", "D"] and list(doc["ranges"]) == ["F", "D"]
    assert doc["parameters"]["F"]["unit"]["symbol"]["value"] == "nT"
    assert doc["parameters"]["D"]["description"]["en"] == UTM_BANDS[2][2]
    system = doc["domain"]["referencing"][0]["system"]
    assert system["type"] == "ProjectedCRS" and system["id"].endswith("/EPSG/0/32648")
    expected, _ = translate(stored_cog(coverage_env.store, "magnetics"), "-projwin", str(box[0]), str(box[3]),
                            str(box[2]), str(box[1]), "-b", "1", "-b", "3")
    for i, name in enumerate(["F", "D"]):
        got = values(doc, name)
        want = expected[i].astype(np.float64)
        want[want == NODATA] = np.nan
        assert np.isnan(got).sum() > 0, "the window holds the nodata block"
        assert np.array_equal(np.isnan(got), np.isnan(want))
        ok = ~np.isnan(want)
        assert np.array_equal(got[ok].astype(np.float32), want[ok].astype(np.float32))


def test_geographic_coverage_whole(coverage_env):
    doc = covjson(coverage_env, "geoid")
    axes, box, w, h = grid(doc)
    assert doc["domain"]["referencing"][0]["system"]["type"] == "GeographicCRS"
    expected, gt = translate(stored_cog(coverage_env.store, "geoid"))
    assert (w, h) == (expected.shape[2], expected.shape[1])
    assert box == pytest.approx((gt[0], gt[3] + h * gt[5], gt[0] + w * gt[1], gt[3]))
    assert np.array_equal(values(doc, "N").astype(np.float32), expected[0])


@pytest.mark.parametrize("params", [{"scale-size": "Lon(100),Lat(80)"},
                                    {"crs": "[EPSG:4326]", "subset": "Lon(106:108),Lat(13:14)"},
                                    {"bbox": "106,13,107.5,14.2", "properties": "Z"}])
def test_scaled_and_warped_equal_the_geotiff_answer(coverage_env, params):
    layer = "geoid" if "scale-size" in params else "magnetics"
    doc = covjson(coverage_env, layer, **params)
    r = get(coverage_env, f"/collections/{layer}/coverage", f="tif", **params)
    assert r.status_code == 200, r.text[:300]
    tif, gt, _ = read_all(r.content)
    _, box, w, h = grid(doc)
    assert (w, h) == (tif.shape[2], tif.shape[1])
    assert box == pytest.approx((gt[0], gt[3] + h * gt[5], gt[0] + w * gt[1], gt[3]), rel=1e-9, abs=1e-6)
    for i, name in enumerate(doc["ranges"]):
        want = tif[i].astype(np.float64)
        want[want == NODATA] = np.nan
        got = values(doc, name)
        assert np.array_equal(np.isnan(got), np.isnan(want))
        assert np.array_equal(got[~np.isnan(got)].astype(np.float32), want[~np.isnan(want)].astype(np.float32))


def test_accept_header_selects_coveragejson(coverage_env):
    r = get(coverage_env, "/collections/geoid/coverage", headers={"Accept": COVJSON}, **{"scale-factor": "4"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(COVJSON)
    assert r.json()["type"] == "Coverage"


def test_coveragejson_is_bounded_by_the_limits(coverage_env):
    """8 MiB here: 1000 x 1000 Float32 is 4 MB as GeoTIFF but counts 24 bytes a value as text."""
    params = {"scale-size": "Lon(1000),Lat(1000)"}
    assert get(coverage_env, "/collections/geoid/coverage", f="tif", **params).status_code == 200
    r = get(coverage_env, "/collections/geoid/coverage", f="covjson", **params)
    assert r.status_code == 413, r.text[:300]
    assert r.json()["code"] == "ResponseTooLarge"


def test_unknown_format_lists_the_offered_ones(coverage_env):
    r = get(coverage_env, "/collections/geoid/coverage", f="netcdf")
    assert r.status_code == 406 and "covjson" in r.json()["description"]


def test_conformance_and_links(coverage_env):
    classes = get(coverage_env, "/conformance").json()["conformsTo"]
    for name in ("coveragejson", "html"):
        assert f"https://www.opengis.net/spec/ogcapi-coverages-1/1.0/conf/{name}" in classes
    links = get(coverage_env, "/collections/geoid").json()["links"]
    assert {COVJSON, "text/html"} <= {l["type"] for l in links}


@pytest.mark.parametrize("how", ["f", "accept"])
def test_html_page_shows_domain_bands_and_a_preview(coverage_env, how):
    r = get(coverage_env, "/collections/magnetics/coverage",
            **({"f": "html"} if how == "f" else {"headers": {"Accept": "text/html,application/xhtml+xml"}}))
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    page = r.text
    for name, unit, description in UTM_BANDS:
        assert f"<td>{name}</td><td>{unit}</td><td>{description}</td>" in page
    assert "300 x 200 cells" in page and "EPSG/0/32648" in page
    src = re.search(r'<img class="coverage-preview" src="([^"]+)" width="(\d+)" height="(\d+)"', page)
    assert src, page[:1000]
    preview = coverage_env.session.get(src.group(1).replace("&amp;", "&"), timeout=60)
    assert preview.status_code == 200 and preview.headers["Content-Type"] == "image/png"
    data, _, _ = read_all(preview.content, ".png")
    assert (data.shape[2], data.shape[1]) == (int(src.group(2)), int(src.group(3))) == (300, 200)  # no larger than the grid


def test_html_page_takes_no_subset(coverage_env):
    r = get(coverage_env, "/collections/geoid/coverage", f="html", subset="Lon(100:110)")
    assert r.status_code == 400
