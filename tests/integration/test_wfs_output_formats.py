"""GetFeature OUTPUTFORMAT (docs/wfs.md): the GML 3.2 aliases, GML 3.1.1, GeoJSON, CSV,
KML, zipped Shapefile, GeoPackage and FlatGeobuf. Each download is opened with OGR (a
temp file; /vsizip/ for the zip) and compared with the source: feature count, attribute
values, coordinates (longitude, latitude: all of these formats are east/north)."""
from __future__ import annotations

import zipfile

import pytest
from osgeo import gdal, ogr

from support import assert_same_geometry, intersects_bbox, match_features, norm_value, read_features
from wfs_support import NS, get_features, gml_features, kvp, swap_xy, xml_response

FORMATS = {  # outputFormat -> (file suffix, words one of which the Content-Type must contain)
    "application/json": (".geojson", ("json",)),
    "csv": (".csv", ("csv",)),
    "kml": (".kml", ("kml",)),
    "shape-zip": (".zip", ("zip",)),
    "gpkg": (".gpkg", ("geopackage", "sqlite")),
    "fgb": (".fgb", ("flatgeobuf", "octet-stream")),
}
CSV_OPEN_OPTIONS = ["GEOM_POSSIBLE_NAMES=WKT,wkt,geometry,geom,the_geom", "KEEP_GEOM_COLUMNS=NO",
                    "X_POSSIBLE_NAMES=lon,longitude,x,X", "Y_POSSIBLE_NAMES=lat,latitude,y,Y"]
TEXT_FIELDS = {"mine_facilities": ["facility_id", "facility_name", "iso3", "country", "GID_1", "primary_commodity"],
               "coal_mines": ["gem_mine_id", "mine_name", "iso3", "status", "coalfield"]}
NUMBER_FIELDS = {"mine_facilities": ["production_start", "surface_area_sq_km"],
                 "coal_mines": ["capacity_mtpa", "opening_year"]}


def download(http, base_url, tmp_path, output_format: str, **params) -> tuple[str, str]:
    """(OGR path, Content-Type) of a GetFeature download."""
    r = kvp(base_url, http, "GetFeature", OUTPUTFORMAT=output_format, **params)
    assert r.status_code == 200, f"{output_format}: HTTP {r.status_code} {r.text[:400]}"
    suffix, words = FORMATS[output_format]
    ctype = r.headers.get("Content-Type", "")
    assert any(w in ctype.lower() for w in words), f"{output_format}: Content-Type {ctype!r}"
    path = tmp_path / f"download{suffix}"
    path.write_bytes(r.content)
    if suffix == ".zip":
        names = zipfile.ZipFile(path).namelist()
        assert any(n.endswith(".shp") for n in names) and any(n.endswith(".dbf") for n in names), names
        assert any(n.endswith(".prj") for n in names), f"no .prj in the zip: {names}"
        return f"/vsizip/{path}", ctype
    return str(path), ctype


def read_download(path: str, output_format: str) -> list:
    """Every feature of the (only non-empty) layer of the download."""
    options = CSV_OPEN_OPTIONS if output_format == "csv" else []
    ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, open_options=options)
    assert ds is not None, f"OGR cannot open the {output_format} download"
    layers = [ds.GetLayer(i) for i in range(ds.GetLayerCount())]
    layers = [lyr for lyr in layers if lyr.GetFeatureCount() > 0] or layers[:1]
    assert len(layers) == 1, f"{output_format}: {len(layers)} layers with features"
    name = layers[0].GetName()
    ds = None
    if output_format == "csv":
        src = gdal.OpenEx(path, gdal.OF_VECTOR, open_options=options)
        gdal.VectorTranslate(f"/vsimem/{id(path)}.gpkg", src, format="GPKG")
        out = read_features(f"/vsimem/{id(path)}.gpkg", name)
        gdal.Unlink(f"/vsimem/{id(path)}.gpkg")
        return out
    return read_features(path, name)


def field_in(copy_props: dict, name: str) -> str | None:
    """The download's name for a source field (Shapefile truncates to 10 characters)."""
    for candidate in (name, name[:10]):
        if candidate in copy_props:
            return candidate
    lowered = {k.lower(): k for k in copy_props}
    return lowered.get(name.lower()) or lowered.get(name[:10].lower())


def compare(copy: list, source: list, collection: str, output_format: str, tolerance: float) -> None:
    assert len(copy) == len(source), f"{output_format}: {len(copy)} features, the source has {len(source)}"
    texts = TEXT_FIELDS[collection]
    renamed = {n: field_in(copy[0].properties, n) for n in texts + NUMBER_FIELDS[collection]}
    missing = [n for n, m in renamed.items() if m is None]
    assert not missing, f"{output_format}: fields {missing} missing (have {sorted(copy[0].properties)})"
    for f in copy:  # rename to the source names, numbers as numbers (CSV has text)
        props = {n: f.properties[m] for n, m in renamed.items()}
        for n in NUMBER_FIELDS[collection]:
            v = props[n]
            props[n] = float(v) if isinstance(v, str) and v.strip() else (None if v == "" else v)
        f.properties = props
    src = [type(s)(s.fid, {n: s.properties[n] for n in renamed}, s.geometry) for s in source]
    pairs = match_features(copy, src, list(renamed))
    for served, want in pairs:
        for n in NUMBER_FIELDS[collection]:
            assert norm_value(served.properties[n]) == norm_value(want.properties[n]), (n, served.properties[n])
        assert served.geometry is not None, f"{output_format}: a feature without geometry"
        got = served.geometry
        if ogr.GT_Flatten(got.GetGeometryType()) != ogr.GT_Flatten(want.geometry.GetGeometryType()):
            # e.g. a KML MultiGeometry read back as a GeometryCollection of points
            got = ogr.ForceTo(got.Clone(), ogr.GT_Flatten(want.geometry.GetGeometryType()))
        assert_same_geometry(got, want.geometry, tolerance, f"{output_format} fid {want.fid}")


@pytest.mark.parametrize("output_format", list(FORMATS))
def test_whole_collection_in_every_format(http, base_url, wfs_expected, tmp_path, output_format):
    exp = wfs_expected("mine_facilities")
    path, _ = download(http, base_url, tmp_path, output_format, TYPENAMES="amis:mine_facilities")
    tolerance = 1e-7 if output_format == "kml" else 1e-9
    compare(read_download(path, output_format), list(exp.by_id.values()), "mine_facilities", output_format, tolerance)


@pytest.mark.parametrize("output_format", list(FORMATS))
def test_bbox_and_filter_apply_to_every_format(http, base_url, wfs_expected, tmp_path, output_format):
    exp = wfs_expected("coal_mines")
    box = (104.5, 20.5, 107.5, 23.5)
    want = [f for f in exp.by_id.values() if intersects_bbox(f.geometry, box)]
    path, _ = download(http, base_url, tmp_path, output_format, TYPENAMES="amis:coal_mines",
                       BBOX=f"{box[1]},{box[0]},{box[3]},{box[2]}")
    tolerance = 1e-7 if output_format == "kml" else 1e-9
    compare(read_download(path, output_format), want, "coal_mines", output_format, tolerance)


@pytest.mark.parametrize("output_format", list(FORMATS))
def test_count_applies_to_every_format(http, base_url, tmp_path, output_format):
    path, _ = download(http, base_url, tmp_path, output_format, TYPENAMES="amis:coal_mines", COUNT=17)
    assert len(read_download(path, output_format)) == 17


def test_geojson_is_a_feature_collection_in_lon_lat(http, base_url, wfs_expected):
    exp = wfs_expected("countries")
    r = kvp(base_url, http, "GetFeature", TYPENAMES="amis:countries", OUTPUTFORMAT="application/json")
    doc = r.json()
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == len(exp.by_id)


@pytest.mark.parametrize("output_format", ["application/gml+xml; version=3.2", "text/xml; subtype=gml/3.2",
                                           "application/gml+xml;version=3.2"])
def test_gml_32_aliases(http, base_url, wfs_expected, dft_schema, output_format):
    exp = wfs_expected("coal_mine_boundaries")
    doc, features = get_features(http, base_url, TYPENAMES="amis:coal_mine_boundaries", OUTPUTFORMAT=output_format)
    assert len(features) == len(exp.by_id)
    if not dft_schema.validate(doc):
        raise AssertionError(str(list(dft_schema.error_log)[:5]))


def test_gml_311_from_a_20_request(http, base_url, wfs_expected):
    exp = wfs_expected("coal_mines")
    r = kvp(base_url, http, "GetFeature", TYPENAMES="amis:coal_mines", COUNT=25,
            OUTPUTFORMAT="text/xml; subtype=gml/3.1.1")
    doc = xml_response(r)
    features = gml_features(doc)
    assert len(features) == 25
    for f in features:
        geometry_ns = {e.tag.split("}")[0][1:] for e in f.element.iter() if isinstance(e.tag, str)
                       and e.tag.endswith(("}Point", "}pos"))}
        assert geometry_ns == {NS["gml311"]}, f"{f.gml_id}: geometry in {geometry_ns}"
        src = exp.by_id[int(f.gml_id.split(".")[1])]
        assert_same_geometry(f.geometry, swap_xy(src.geometry), 1e-9, f.gml_id)


def test_every_declared_output_format_is_served(http, base_url):
    """Each outputFormat value the capabilities declare for GetFeature is answered (a client
    such as QGIS picks from that list)."""
    caps = xml_response(kvp(base_url, http, "GetCapabilities"))
    declared = set()
    for p in caps.iter(f"{{{NS['ows']}}}Parameter"):
        if p.get("name", "").lower() == "outputformat" and p.getparent().get("name") in ("GetFeature", None):
            declared |= {v.text.strip() for v in p.iter(f"{{{NS['ows']}}}Value")}
    assert declared
    for output_format in sorted(declared):
        r = kvp(base_url, http, "GetFeature", TYPENAMES="amis:coal_mines", COUNT=5, OUTPUTFORMAT=output_format)
        assert r.status_code == 200, f"{output_format!r}: HTTP {r.status_code} {r.text[:300]}"
        assert b"ExceptionReport" not in r.content[:2000], f"{output_format!r}: {r.text[:300]}"
