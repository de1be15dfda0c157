"""QGIS 3.22's WCS provider (which speaks WCS 1.0 and 1.1 only) opens AMIS's coverages over
WCS 1.0.0, with a URI as QGIS's WCS dialog writes it, and reads blocks of values; the oracle is
GDAL reading the stored COG (gdal_translate -srcwin for a block on the cell edges at native
resolution, gdalwarp -te -ts for any other)."""
from __future__ import annotations

import numpy as np
import pytest
from osgeo import gdal

from support import REPO_ROOT, AmisServer, run_amis, store_files

GEOID = REPO_ROOT / "data" / "demo" / "asean3_egm96_geoid_15min.tif"


@pytest.fixture(scope="module")
def coverage_server(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("qgis-coverages")
    store = work / "store.gpkg"
    added = run_amis("raster", "add", GEOID, "--id", "geoid", "--title", "EGM96 geoid", "--band-names", "N",
                     "--units", "m", "--store", store)
    assert added.returncode == 0, added.stderr
    srv = AmisServer(store, work, name="qgis-coverages")
    srv.start()
    yield srv, gdal.Open(str(store_files(store) / "rasters" / "geoid.tif"))
    alive = srv.alive()
    srv.stop()
    assert alive, srv.stderr()


def wcs_uri(url: str, identifier: str, crs: str, fmt: str = "GeoTIFF") -> str:
    """A wcs provider source as QGIS's WCS dialog writes it."""
    from qgis.core import QgsDataSourceUri

    uri = QgsDataSourceUri()
    uri.setParam("url", url)
    uri.setParam("identifier", identifier)
    uri.setParam("crs", crs)
    uri.setParam("format", fmt)
    uri.setParam("version", "1.0.0")
    uri.setParam("cache", "AlwaysNetwork")
    return bytes(uri.encodedUri()).decode()


def as_array(values: list) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in values], dtype=np.float64)


def test_qgis_wcs_provider_reads_the_geoid(qgis, coverage_server):
    server, src = coverage_server
    uri = wcs_uri(server.url + "/wcs", "geoid", "EPSG:4326")
    # 40 x 40 cells of the source on its cell edges (cells 109..148, 180..219)
    extent = [100.125, 0.125, 110.125, 10.125]
    result = qgis.run("read_coverage", provider="wcs", uri=uri, extent=extent, width=40, height=40)
    assert result["valid"], result
    assert result["crs"] == "EPSG:4326" and result["band_count"] == 1
    gt = src.GetGeoTransform()
    assert result["size"] == [src.RasterXSize, src.RasterYSize]
    assert result["extent"] == pytest.approx([gt[0], gt[3] + src.RasterYSize * gt[5],
                                              gt[0] + src.RasterXSize * gt[1], gt[3]])
    expected = src.GetRasterBand(1).ReadAsArray(109, 180, 40, 40).astype(np.float64)
    assert np.array_equal(as_array(result["values"][0]), expected)


def test_qgis_wcs_provider_reads_a_resampled_block(qgis, coverage_server, tmp_path):
    server, src = coverage_server
    uri = wcs_uri(server.url + "/wcs", "geoid", "EPSG:4326")
    extent = [120.3, 5.2, 130.7, 15.9]
    result = qgis.run("read_coverage", provider="wcs", uri=uri, extent=extent, width=52, height=31)
    assert result["valid"], result
    expected = gdal.Warp(str(tmp_path / "expected.tif"), src, outputBounds=extent, width=52, height=31,
                         resampleAlg="near").ReadAsArray().astype(np.float64)
    assert np.array_equal(as_array(result["values"][0]), expected)


@pytest.mark.parametrize("style", ["default", "hillshade"])
def test_qgis_draws_the_coverage_wmts_layer(qgis, coverage_server, tmp_path, style):
    """QGIS's WMS/WMTS provider opens the geoid's WMTS layer (WorldCRS84Quad, as the dialog
    writes the URI) and draws its tiles: painted west of the geoid's east edge (154.875 E),
    clear east of it; the ramp's colours vary over the grid."""
    from qgis_support import read_rgba, wms_uri

    server, src = coverage_server
    uri = wms_uri(server.url + "/wmts/1.0.0/WMTSCapabilities.xml", ["geoid"], [style], "EPSG:4326",
                  tileMatrixSet="WorldCRS84Quad")
    extent, size = [130.0, 0.0, 170.0, 30.0], [400, 300]
    path = tmp_path / f"qgis-wmts-{style}.png"
    result = qgis.run("render", layers=[{"kind": "raster", "provider": "wms", "uri": uri}], extent=extent,
                      crs="EPSG:4326", width=size[0], height=size[1], path=str(path))
    assert all(layer["valid"] for layer in result["layers"]), result
    assert not result["errors"], result["errors"]
    image = read_rgba(path).astype(int)
    drawn = result["extent"]
    east_edge = src.GetGeoTransform()[0] + src.RasterXSize * src.GetGeoTransform()[1]
    edge_col = int((east_edge - drawn[0]) / (drawn[2] - drawn[0]) * size[0])
    inside, outside = image[:, :edge_col - 3], image[:, edge_col + 3:]
    assert np.count_nonzero(inside[..., 3] == 255) >= 0.99 * inside[..., 3].size
    assert np.count_nonzero(outside[..., 3]) == 0
    assert np.ptp(inside[..., 0]) > 20 or style == "hillshade"
