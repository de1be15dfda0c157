"""OGC API - Coverages: collections, documents and /coverage answers compared with GDAL's own
gdal_translate / gdalwarp on the stored COG (native-resolution windows value-identical)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from osgeo import gdal, osr

from coverage_support import CONF, GEOTIFF, UTM_BANDS, assert_is_gdalwarp, read_all, stored_cog, translate

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def get(env, path, **params):
    return env.session.get(env.url + path, params=params, timeout=120)


def coverage(env, layer, **params):
    r = get(env, f"/collections/{layer}/coverage", **params)
    assert r.status_code == 200, r.text[:500]
    return r


def test_collections_list_the_coverages_with_the_links_gdal_looks_for(coverage_env):
    doc = get(coverage_env, "/collections").json()
    by_id = {c["id"]: c for c in doc["collections"]}
    for layer in ("geoid", "magnetics"):
        c = by_id[layer]
        kinds = {(l["rel"], l["type"]) for l in c["links"]}
        assert ("http://www.opengis.net/def/rel/ogc/1.0/coverage", GEOTIFF) in kinds
        assert ("http://www.opengis.net/def/rel/ogc/1.0/coverage-domainset", "application/json") in kinds
        one = get(coverage_env, f"/collections/{layer}").json()
        assert one["id"] == layer and one["extent"]["spatial"]["bbox"]
    assert by_id["magnetics"]["storageCrs"] == "http://www.opengis.net/def/crs/EPSG/0/32648"
    assert by_id["geoid"]["storageCrs"] == CRS84


def test_conformance_declares_the_https_classes_implemented(coverage_env):
    classes = get(coverage_env, "/conformance").json()["conformsTo"]
    for name in ("core", "subsetting-spatial", "scaling-spatial", "field-selection", "crs", "geotiff"):
        assert CONF + name in classes
    assert not [c for c in classes if "ogcapi-coverages" in c and not c.startswith("https://")]


def test_domain_set_and_range_type(coverage_env):
    ds = get(coverage_env, "/collections/magnetics/coverage/domainset").json()["generalGrid"]
    assert ds["axisLabels"] == ["E", "N"] and ds["srsName"].endswith("/EPSG/0/32648")
    assert ds["axis"][0]["lowerBound"] == 600000 and ds["axis"][0]["upperBound"] == 900000
    assert ds["gridLimits"]["axis"][0]["upperBound"] == 299
    fields = get(coverage_env, "/collections/magnetics/coverage/rangetype").json()["field"]
    assert [(f["name"], f["uom"]["code"], f["description"]) for f in fields] == UTM_BANDS
    assert fields[0]["nilValues"][0]["value"].startswith("-9999")
    geoid = get(coverage_env, "/collections/geoid/coverage/domainset").json()["generalGrid"]
    assert geoid["axisLabels"] == ["Lon", "Lat"] and geoid["srsName"] == CRS84
    schema = get(coverage_env, "/collections/magnetics/schema").json()
    assert {name: p["x-ogc-propertySeq"] for name, p in schema["properties"].items()} == {"F": 1, "Z": 2, "D": 3}


def test_native_subset_is_the_source_window_value_for_value(coverage_env):
    r = coverage(coverage_env, "geoid", subset="Lon(100.125:110.125),Lat(0.125:10.125)")
    assert r.headers["Content-Type"] == GEOTIFF
    assert r.headers["Content-Crs"] == f"<{CRS84}>"
    values, gt, _ = read_all(r.content)
    expected, egt = translate(stored_cog(coverage_env.store, "geoid"), "-projwin", "100.125", "10.125", "110.125",
                              "0.125")
    assert values.shape == (1, 40, 40)
    assert np.array_equal(values, expected)
    assert gt == pytest.approx(egt)


def test_unaligned_subset_takes_every_cell_it_touches(coverage_env):
    # Two subset parameters count as one; "*" is the coverage's own end.
    values, gt, _ = read_all(coverage(coverage_env, "geoid", subset=["Lon(100.2:110.3)", "Lat(*:-5.1)"]).content)
    x0, x1 = math.floor((100.2 - 72.875) / 0.25), math.ceil((110.3 - 72.875) / 0.25)
    y0, y1 = math.floor((55.125 - -5.1) / 0.25), 268  # Lat from the bottom edge up to -5.1
    expected, _ = translate(stored_cog(coverage_env.store, "geoid"), "-srcwin", str(x0), str(y0), str(x1 - x0),
                            str(y1 - y0))
    assert np.array_equal(values, expected)
    assert gt[0] == pytest.approx(72.875 + x0 * 0.25)


def test_projected_subset_in_its_own_axes(coverage_env):
    r = coverage(coverage_env, "magnetics", subset="E(620000:650000),N(1450000:1500000)")
    values, gt, _ = read_all(r.content)
    expected, egt = translate(stored_cog(coverage_env.store, "magnetics"), "-projwin", "620000", "1500000",
                              "650000", "1450000")
    assert values.shape == (3, 50, 30)
    assert np.array_equal(values, expected) and gt == pytest.approx(egt)


def test_lat_lon_subset_of_a_projected_coverage_is_crs84(coverage_env):
    r = coverage(coverage_env, "magnetics", subset="Lon(106.2:106.4),Lat(13.6:13.9)")
    values, gt, _ = read_all(r.content)
    utm, wgs = osr.SpatialReference(), osr.SpatialReference()
    utm.ImportFromEPSG(32648)
    wgs.SetWellKnownGeogCS("WGS84")
    for s in (utm, wgs):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    box = osr.CoordinateTransformation(wgs, utm).TransformBounds(106.2, 13.6, 106.4, 13.9, 21)
    h, w = values.shape[1:]
    assert gt[0] <= box[0] < gt[0] + 1000 and gt[0] + w * 1000 >= box[2] > gt[0] + (w - 1) * 1000
    assert gt[3] >= box[3] > gt[3] - 1000
    expected, _ = translate(stored_cog(coverage_env.store, "magnetics"), "-projwin", str(gt[0]), str(gt[3]),
                            str(gt[0] + w * 1000), str(gt[3] - h * 1000))
    assert np.array_equal(values, expected)


def test_bbox_in_crs84_and_in_epsg4326_order(coverage_env):
    a, gta, _ = read_all(coverage(coverage_env, "geoid", bbox="100.125,0.125,110.125,10.125").content)
    b, gtb, _ = read_all(coverage(coverage_env, "geoid", bbox="0.125,100.125,10.125,110.125",
                                  **{"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/4326"}).content)
    assert a.shape == (1, 40, 40) and np.array_equal(a, b) and gta == gtb


@pytest.mark.parametrize("params, outsize", [
    ({"scale-size": "Lon(20),Lat(10)"}, (20, 10)),
    ({"scaleSize": "Lon(20),Lat(10)"}, (20, 10)),
    ({"width": "20", "height": "10"}, (20, 10)),
    ({"scale-factor": "2"}, (20, 20)),
    ({"scale-axes": "Lon(4),Lat(2)"}, (10, 20)),
    ({"resolution": "Lon(1),Lat(0.5)"}, (10, 20)),
])
def test_scaling_is_gdal_translate_outsize(coverage_env, params, outsize):
    r = coverage(coverage_env, "geoid", subset="Lon(100.125:110.125),Lat(0.125:10.125)", **params)
    values, _, _ = read_all(r.content)
    expected, _ = translate(stored_cog(coverage_env.store, "geoid"), "-srcwin", "109", "180", "40", "40",
                            "-outsize", str(outsize[0]), str(outsize[1]), "-r", "nearest")
    assert values.shape == (1, outsize[1], outsize[0])
    assert np.array_equal(values, expected)


def test_output_crs_is_gdalwarp(coverage_env):
    r = coverage(coverage_env, "geoid", subset="Lon(100.125:110.125),Lat(0.125:10.125)",
                 crs="http://www.opengis.net/def/crs/EPSG/0/3857")
    assert r.headers["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/3857>"
    te = assert_is_gdalwarp(r.content, stored_cog(coverage_env.store, "geoid"), "EPSG:3857")
    box = [float(v) for v in r.headers["Content-Bbox"].split(",")]
    assert box == pytest.approx(te)


def test_properties_select_and_order_bands(coverage_env):
    src = stored_cog(coverage_env.store, "magnetics")
    values, _, _ = read_all(coverage(coverage_env, "magnetics", properties="D,F").content)
    expected, _ = translate(src, "-b", "3", "-b", "1")
    assert np.array_equal(values, expected)
    values, _, _ = read_all(coverage(coverage_env, "magnetics", **{"exclude-properties": "Z"}).content)
    expected, _ = translate(src, "-b", "1", "-b", "3")
    assert np.array_equal(values, expected)


def test_png(coverage_env):
    r = coverage(coverage_env, "magnetics", f="png", properties="F", **{"scale-size": "E(60),N(40)"})
    assert r.headers["Content-Type"] == "image/png"
    assert r.content[:8] == b"\x89PNG\r\n\x1a\n"
    values, _, _ = read_all(r.content, ".png")
    assert values.shape == (1, 40, 60) and values.dtype == np.uint8 and values.max() > values.min()
    r = coverage_env.session.get(coverage_env.url + "/collections/geoid/coverage", headers={"Accept": "image/png"},
                                 timeout=60)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png"


@pytest.mark.parametrize("params, status", [
    ({"subset": "Lon(110:100)"}, 400),
    ({"subset": "Lon(100:110"}, 400),
    ({"subset": "Depth(1:2)"}, 400),
    ({"subset": "Lat(5)"}, 400),
    ({"subset": "Lon(100:110),Lon(101:102)"}, 400),
    ({"subset": "Lon(0:10),Lat(0:10)"}, 404),
    ({"subset": "Lon(100:110)", "bbox": "100,0,110,10"}, 400),
    ({"bbox": "100,0,110"}, 400),
    ({"properties": "nope"}, 400),
    ({"crs": "EPSG:999999"}, 400),
    ({"crs": "not a crs"}, 400),
    ({"scale-size": "Lon(0),Lat(5)"}, 400),
    ({"scale-size": "Lon(1000000),Lat(1000000)"}, 413),
    ({"scale-factor": "0.001"}, 413),
    ({"scale-factor": "2", "scale-size": "Lon(5),Lat(5)"}, 400),
    ({"f": "netcdf"}, 406),
    ({"limit": "10"}, 400),
])
def test_bad_requests_are_clear_4xx(coverage_env, params, status):
    r = get(coverage_env, "/collections/geoid/coverage", **params)
    assert r.status_code == status, (params, r.status_code, r.text[:300])
    assert r.headers["Content-Type"].startswith("application/") and "json" in r.headers["Content-Type"]
    assert r.json()["code"]


def test_unknown_coverage_is_404(coverage_env):
    assert get(coverage_env, "/collections/nothing/coverage").status_code == 404


def test_the_catalogue_record_of_a_coverage_links_its_values_and_maps(coverage_env):
    """A coverage's record (derived at serve start) names where its values come from (OGC API -
    Coverages as GeoTIFF, WCS) as well as its maps, and every link answers with its type."""
    r = get(coverage_env, "/collections/catalog/items/amis:raster:magnetics")
    assert r.status_code == 200, r.text[:300]
    links = r.json()["links"]
    by_protocol = {(link.get("protocol"), link["rel"]): link for link in links}
    wanted = [("OGC API - Coverages", "http://www.opengis.net/def/rel/ogc/1.0/coverage"),
              ("OGC API - Coverages", "collection"), ("OGC:WCS", "service"), ("OGC:WMS", "service"),
              ("OGC:WMTS", "service"), ("OGC API - Tiles", "tilesets-map")]
    for key in wanted:
        assert key in by_protocol, (key, links)
        link = by_protocol[key]
        answer = get(coverage_env, link["href"].replace(coverage_env.url, ""))
        assert answer.status_code == 200, (link["href"], answer.text[:300])
        xml = {"application/xml", "text/xml"}  # WMS 1.3.0 capabilities are text/xml
        got, said = answer.headers["Content-Type"].split(";")[0], link["type"].split(";")[0]
        assert got == said or {got, said} <= xml, link
    tiff = get(coverage_env, by_protocol[wanted[0]]["href"].replace(coverage_env.url, ""))
    values, _, _ = read_all(tiff.content)
    stored = gdal.Open(str(stored_cog(coverage_env.store, "magnetics")))
    assert values.shape == (stored.RasterCount, stored.RasterYSize, stored.RasterXSize)
