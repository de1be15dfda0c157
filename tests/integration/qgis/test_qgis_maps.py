"""QGIS 3.22 draws AMIS's WMS 1.3.0 and WMTS 1.0.0 layers (provider "wms", URIs as the
WMS/WMTS dialog writes them) with its own map renderer jobs into images of a known
extent with a transparent background. Where GDAL's rasterisation of the store says a
coal mine or a country is, QGIS's image is painted; far from every mine and country (the
sea) it is transparent.

The oracle is the store file (GDAL rasterises its tables into the same pixel grid); the
margins allow for the marker's size, the outline's width and tile resampling, not for
misplacement: a map shifted by more than a marker fails."""
from __future__ import annotations

import numpy as np
import pytest
from osgeo import ogr

from qgis_support import (LogMark, assert_drawn_where_the_store_says, comparable, ogr_features, read_rgba, to_web_mercator,
                          wms_uri)
from support import assert_same_geometry

# South-East Asia, 50 x 37 degrees: 500 x 370 pixels of 0.1 degree
EXTENT_4326 = [95.0, -12.0, 145.0, 25.0]
SIZE = [500, 370]
MINE_MARGIN = 12  # pixels: the default marker's radius with its outline, and some
COUNTRY_MARGIN = 3  # pixels: the outline and anti-aliasing


def mercator_extent(lonlat: list) -> list:
    return [*to_web_mercator(lonlat[0], lonlat[1]), *to_web_mercator(lonlat[2], lonlat[3])]


def draw(qgis, tmp_path, uri: str, crs: str, extent: list, size: list, job: str) -> tuple:
    path = tmp_path / f"qgis-{job}.png"
    result = qgis.run("render", layers=[{"kind": "raster", "provider": "wms", "uri": uri}],
                      extent=extent, crs=crs, width=size[0], height=size[1], path=str(path), job=job)
    assert all(layer["valid"] for layer in result["layers"]), result
    assert not result["errors"], result["errors"]
    assert result["size"] == size
    return read_rgba(path), result["extent"]


@pytest.mark.parametrize("job", ["parallel", "sequential"])
def test_wms_coal_mines(qgis, server, store_path, tmp_path, job):
    uri = wms_uri(server.url + "/wms", ["coal_mines"], [""], "EPSG:4326")
    image, extent = draw(qgis, tmp_path, uri, "EPSG:4326", EXTENT_4326, SIZE, job)
    assert_drawn_where_the_store_says(image, store_path, "coal_mines", extent, 4326, MINE_MARGIN, points=True)


def test_wms_countries(qgis, server, store_path, tmp_path):
    uri = wms_uri(server.url + "/wms", ["countries"], [""], "EPSG:4326")
    image, extent = draw(qgis, tmp_path, uri, "EPSG:4326", EXTENT_4326, SIZE, "parallel")
    assert_drawn_where_the_store_says(image, store_path, "countries", extent, 4326, COUNTRY_MARGIN, points=False)


# EPSG code -> an extent in it: South-East Asia in Web Mercator; the Gulf of Thailand,
# the peninsula and Borneo's west in UTM 48N (metres)
PROJECTED = {3857: None, 32648: [300_000.0, 0.0, 1_300_000.0, 1_800_000.0]}


@pytest.mark.parametrize("epsg", PROJECTED)
def test_wms_countries_in_projected_crs(qgis, server, store_path, tmp_path, epsg):
    """The same layer asked in a projected CRS the capabilities list (QGIS sends CRS=EPSG:n
    and draws the server's image as it is)."""
    uri = wms_uri(server.url + "/wms", ["countries"], [""], f"EPSG:{epsg}")
    extent = PROJECTED[epsg] or mercator_extent(EXTENT_4326)
    size = [500, round(500 * (extent[3] - extent[1]) / (extent[2] - extent[0]))]
    mark = LogMark.now(server)
    image, drawn = draw(qgis, tmp_path, uri, f"EPSG:{epsg}", extent, size, "parallel")
    assert any(f"CRS=EPSG:{epsg}" in line for line in mark.lines() if "REQUEST=GetMap" in line), mark.lines()
    assert_drawn_where_the_store_says(image, store_path, "countries", drawn, epsg, COUNTRY_MARGIN, points=False)


WMTS = "/wmts/1.0.0/WMTSCapabilities.xml"


@pytest.mark.parametrize("table,margin,points", [("coal_mines", MINE_MARGIN, True),
                                                  ("countries", COUNTRY_MARGIN, False)])
def test_wmts_web_mercator_quad(qgis, server, store_path, tmp_path, table, margin, points):
    """WMTS: the layer and tile matrix set of the capabilities, tiles fetched and placed by
    QGIS (KVP GetTile) and resampled to the image's scale."""
    uri = wms_uri(server.url + WMTS, [table], ["default"], "EPSG:3857", tileMatrixSet="WebMercatorQuad")
    extent = mercator_extent(EXTENT_4326)
    size = [512, round(512 * (extent[3] - extent[1]) / (extent[2] - extent[0]))]
    image, drawn = draw(qgis, tmp_path, uri, "EPSG:3857", extent, size, "parallel")
    assert_drawn_where_the_store_says(image, store_path, table, drawn, 3857, margin, points)


def test_wmts_world_crs84_quad(qgis, server, store_path, tmp_path):
    uri = wms_uri(server.url + WMTS, ["countries"], ["default"], "EPSG:4326", tileMatrixSet="WorldCRS84Quad")
    image, extent = draw(qgis, tmp_path, uri, "EPSG:4326", EXTENT_4326, SIZE, "parallel")
    assert_drawn_where_the_store_says(image, store_path, "countries", extent, 4326, COUNTRY_MARGIN, points=False)


def most_isolated_mine(store_path, extent: list) -> dict:
    """The coal mine at least a degree inside the extent that is farthest from its nearest
    neighbour, neighbours outside the extent included (OGR + numpy)."""
    mines = ogr_features(store_path, "coal_mines")
    xy = np.array([(m["geometry"].GetX(), m["geometry"].GetY()) for m in mines])
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    np.fill_diagonal(d, np.inf)
    inside = (xy[:, 0] > extent[0] + 1) & (xy[:, 0] < extent[2] - 1) & (xy[:, 1] > extent[1] + 1) & \
        (xy[:, 1] < extent[3] - 1)
    isolation = np.where(inside, d.min(axis=1), -1)
    best = int(np.argmax(isolation))
    assert isolation[best] > 1.0, "no mine is a degree away from the others"
    return mines[best]


def country_at(store_path, lon: float, lat: float) -> dict:
    found = [c for c in ogr_features(store_path, "countries", bbox=(lon, lat, lon, lat))
             if c["geometry"].Contains(ogr.CreateGeometryFromWkt(f"POINT ({lon} {lat})"))]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("layer", ["countries", "coal_mines"])
def test_wms_identify(qgis, server, store_path, layer):
    """QGIS's Identify tool on a WMS layer (the provider's identify() in feature format,
    a GetFeatureInfo in the feature format QGIS picks from the capabilities): the feature
    under the point with the store's attributes and geometry (OGR)."""
    if layer == "countries":
        lon, lat = 101.5, 15.0  # Thailand
        want = country_at(store_path, lon, lat)
    else:
        want = most_isolated_mine(store_path, EXTENT_4326)
        lon, lat = want["geometry"].GetX(), want["geometry"].GetY()
    uri = wms_uri(server.url + "/wms", [layer], [""], "EPSG:4326")
    result = qgis.run("identify", uri=uri, point=[lon, lat], extent=EXTENT_4326, width=SIZE[0], height=SIZE[1],
                      fmt="feature")
    assert result["valid"] and result["valid_result"], result
    features = [f for fs in result["results"].values() for f in fs]
    assert len(features) == 1, features
    got = features[0]
    assert sorted(got["attributes"]) == sorted(want["attributes"]), (
        f"QGIS shows the attributes {sorted(got['attributes'])}")
    for name, value in want["attributes"].items():
        assert comparable(got["attributes"][name]) == comparable(value), (name, got["attributes"][name], value)
    assert got["wkt"], "QGIS shows no geometry"
    assert_same_geometry(ogr.CreateGeometryFromWkt(got["wkt"]), want["geometry"], 1e-9, layer)


@pytest.mark.parametrize("layer", ["countries", "coal_mines"])
def test_wms_legend(qgis, server, tmp_path, layer):
    """The legend QGIS shows in its layer tree for a WMS layer (GetLegendGraphic through the
    provider): an image with a drawn swatch, not QGIS's empty placeholder."""
    path = tmp_path / f"legend-{layer}.png"
    uri = wms_uri(server.url + "/wms", [layer], [""], "EPSG:4326")
    result = qgis.run("legend", uri=uri, path=str(path))
    assert result["valid"], result
    assert result["supported"], "QGIS offers no legend for the layer"
    assert not result["null"], f"QGIS got no legend image: {result['fetch_error']} {result['messages']}"
    image = read_rgba(path)
    opaque = (image[..., 3] > 0) & (image[..., :3].min(axis=2) < 200)  # drawn, and darker than white
    assert opaque.sum() >= 20, f"the legend of {layer} shows only {opaque.sum()} drawn pixels"
