"""WMS errors: HTTP 400 with a ServiceExceptionReport (1.3.0: text/xml, valid against
wms/1.3.0/exceptions_1_3_0.xsd; 1.1.1: application/vnd.ogc.se_xml) carrying the standard
code: LayerNotDefined, StyleNotDefined, InvalidCRS / InvalidSRS, InvalidFormat,
MissingParameterValue, OperationNotSupported. Oversized images are refused before
anything is drawn; malformed BBOX, WIDTH, HEIGHT, TRANSPARENT and BGCOLOR are 400s;
nothing is ever a 500, and the server is healthy afterwards."""
from __future__ import annotations

import time

import pytest

from wms_support import (assert_service_exception, decode, get_map, image_response, service_exceptions, wms_get,
                         wms_url)
from wfs_support import parse_xml

VERSIONS = ["1.3.0", "1.1.1"]
BOX = {"1.3.0": "-12,90,55,150", "1.1.1": "90,-12,150,55"}  # EPSG:4326 in each version's axis order


def crs_key(version: str) -> str:
    return "CRS" if version == "1.3.0" else "SRS"


def valid_get_map(version: str) -> dict[str, str]:
    """A complete, valid GetMap (EPSG:4326 in the version's axis order)."""
    return {"LAYERS": "countries", "STYLES": "", crs_key(version): "EPSG:4326", "BBOX": BOX[version],
            "WIDTH": "64", "HEIGHT": "64", "FORMAT": "image/png"}


def get_map_with(http, base_url, version: str, **changes):
    """The valid GetMap with some parameters changed (None: left out)."""
    params = valid_get_map(version)
    params.update(changes)
    return wms_get(http, base_url, "GetMap", version, **{k: v for k, v in params.items() if v is not None})


@pytest.mark.parametrize("version", VERSIONS)
def test_the_valid_request_is_valid(http, base_url, version):
    """Self-check: the request every error below starts from is served."""
    img = decode(image_response(get_map_with(http, base_url, version)))
    assert (img.width, img.height) == (64, 64)


# --------------------------------------------------------------------------- codes


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("layers", ["no_such_layer", "countries,no_such_layer", "amis:countries", "Countries",
                                    "countries'--", "countries,,coal_mines", "../countries"])
def test_unknown_layer(http, base_url, version, layers):
    assert_service_exception(get_map_with(http, base_url, version, LAYERS=layers), "LayerNotDefined", version)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("layers, styles", [("countries", "fancy"), ("countries", "Default"),
                                            ("countries,coal_mines", "default,fancy"),
                                            ("countries,coal_mines", "fancy,")])
def test_unknown_style(http, base_url, version, layers, styles):
    r = get_map_with(http, base_url, version, LAYERS=layers, STYLES=styles)
    assert_service_exception(r, "StyleNotDefined", version)


@pytest.mark.parametrize("version", VERSIONS)
def test_style_count_mismatch(http, base_url, version):
    r = get_map_with(http, base_url, version, LAYERS="countries,coal_mines", STYLES="default,default,default")
    service_exceptions(r, version)


@pytest.mark.parametrize("version, code", [("1.3.0", "InvalidCRS"), ("1.1.1", "InvalidSRS")])
@pytest.mark.parametrize("crs", ["EPSG:999999", "EPSG:0", "EPSG:abc", "EPSG:", "EPSG:4326x", "FOO:1", "4326",
                                 "AUTO:42001"])
def test_unknown_crs(http, base_url, version, code, crs):
    r = get_map_with(http, base_url, version, **{crs_key(version): crs})
    assert_service_exception(r, code, version)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("format", ["image/gif", "text/html", "application/json", "image/png; mode=24bit",
                                    "image/tiff", "png; drop table"])
def test_unknown_format(http, base_url, version, format):
    assert_service_exception(get_map_with(http, base_url, version, FORMAT=format), "InvalidFormat", version)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("missing", ["LAYERS", "CRS/SRS", "BBOX", "WIDTH", "HEIGHT", "FORMAT"])
def test_missing_parameter(http, base_url, version, missing):
    name = crs_key(version) if missing == "CRS/SRS" else missing
    r = get_map_with(http, base_url, version, **{name: None})
    assert_service_exception(r, "MissingParameterValue", version)


@pytest.mark.parametrize("version", VERSIONS)
def test_missing_request(http, base_url, version):
    r = http.get(wms_url(base_url), params={"SERVICE": "WMS", "VERSION": version}, timeout=30)
    assert_service_exception(r, "MissingParameterValue", version)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("request_", ["Frobnicate", "DescribeLayer",
                                      "Transaction"])
def test_unknown_request(http, base_url, version, request_):
    r = wms_get(http, base_url, request_, version, **valid_get_map(version))
    assert_service_exception(r, "OperationNotSupported", version)


def test_exception_130_names_the_parameter(http, base_url):
    """The 1.3.0 report says which parameter was wrong (locator) and what went wrong."""
    e = assert_service_exception(get_map_with(http, base_url, "1.3.0", LAYERS="nope"), "LayerNotDefined")
    assert (e.locator or "").upper() == "LAYERS", e
    assert "nope" in e.text


# --------------------------------------------------------------------------- sizes


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("width, height", [(100000, 64), (64, 100000), (100000, 100000), (4097, 64), (64, 4097),
                                           (2**31, 64), (10**30, 64)])
def test_oversized_image_refused_quickly(http, base_url, version, width, height):
    start = time.monotonic()
    r = get_map_with(http, base_url, version, WIDTH=str(width), HEIGHT=str(height))
    elapsed = time.monotonic() - start
    service_exceptions(r, version)
    assert elapsed < 2.0, f"{width}x{height} took {elapsed:.1f} s to refuse"


@pytest.mark.parametrize("name", ["WIDTH", "HEIGHT"])
@pytest.mark.parametrize("value", ["0", "-64", "abc", "64.5", "1e3", "0x40", ""])
def test_bad_size(http, base_url, name, value):
    service_exceptions(get_map_with(http, base_url, "1.3.0", **{name: value}), "1.3.0")


# --------------------------------------------------------------------------- BBOX and the rest


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("bbox", [
    "55,150,-12,90",            # minimum above maximum on both axes
    "-12,150,55,90",            # ... on the second axis
    "10,90,10,150",             # zero height
    "-12,90,55",                # three numbers
    "-12,90,55,150,5",          # five
    "a,b,c,d",                  # text
    "-12,90,55,east",
    "-12;90;55;150",
    "-12,,55,150",
    "nan,90,55,150",
    "-inf,90,55,150",
    "1e400,90,1e401,150",
])
def test_bad_bbox(http, base_url, version, bbox):
    service_exceptions(get_map_with(http, base_url, version, BBOX=bbox), version)


@pytest.mark.parametrize("name, value", [("TRANSPARENT", "maybe"), ("TRANSPARENT", "yes"),
                                         ("BGCOLOR", "red"), ("BGCOLOR", "0x12345"), ("BGCOLOR", "0xGGGGGG"),
                                         ("BGCOLOR", "0x1234567")])
def test_bad_transparent_or_bgcolor(http, base_url, name, value):
    service_exceptions(get_map_with(http, base_url, "1.3.0", **{name: value}), "1.3.0")


def test_wrong_service(http, base_url):
    r = http.get(wms_url(base_url), params={"SERVICE": "WFS", "VERSION": "1.3.0", "REQUEST": "GetMap",
                                            **valid_get_map("1.3.0")}, timeout=30)
    service_exceptions(r, "1.3.0")


# --------------------------------------------------------------------------- never a 500


HOSTILE = [
    {"LAYERS": "countries," * 2000 + "nope"},
    {"LAYERS": "x" * 100000},
    {"LAYERS": "countries\x00coal_mines"},
    {"LAYERS": "\u56fd\u5bb6"},
    {"STYLES": "default" * 10000},
    {"BBOX": ",".join(["1"] * 10000)},
    {"BBOX": "1" * 5000 + ",90,55,150"},
    {"CRS": "EPSG:" + "9" * 400},
    {"CRS": "EPSG:-4326"},
    {"FORMAT": "image/png" + "\x00"},
    {"FORMAT": "x" * 100000},
    {"BGCOLOR": "0x" + "f" * 1000},
    {"WIDTH": "9" * 1000},
    {"EXCEPTIONS": "INIMAGE"},
    {"EXCEPTIONS": "<script>"},
    {"CRS": "EPSG:3857", "BBOX": "-1e300,-1e300,1e300,1e300"},
    {"CRS": "EPSG:3857", "BBOX": "-2e7,-3e7,2e7,3e7"},
    {"CRS": "EPSG:32647", "BBOX": "-1e9,-1e9,1e9,1e9"},
    {"CRS": "EPSG:4326", "BBOX": "-1000,-1000,1000,1000"},
    {"CRS": "CRS:84", "BBOX": "170,-10,190,10"},
    {"CRS": "CRS:84", "BBOX": "1e-300,1e-300,2e-300,2e-300"},
    {"CRS": "EPSG:5179", "BBOX": "-1e12,-1e12,1e12,1e12"},
]


@pytest.mark.parametrize("changes", HOSTILE, ids=range(len(HOSTILE)))
def test_never_a_server_error(http, base_url, changes):
    """Hostile or absurd values: a 400 (a WMS exception report, unless the HTTP layer
    refuses an over-long request line first) or a map, never a 5xx."""
    r = get_map_with(http, base_url, "1.3.0", **changes)
    assert r.status_code < 500, f"HTTP {r.status_code} for {str(changes)[:200]}: {r.text[:300]}"
    if r.status_code == 200:
        img = decode(image_response(r))
        assert (img.width, img.height) == (64, 64)
    elif "xml" in r.headers.get("Content-Type", ""):
        service_exceptions(r, "1.3.0", status=r.status_code)
    else:
        assert r.status_code in (400, 413, 414, 431), r.status_code


def test_post_is_not_offered(http, base_url):
    r = http.post(wms_url(base_url), data={"SERVICE": "WMS", "REQUEST": "GetCapabilities"}, timeout=30)
    assert r.status_code in (400, 404, 405), r.status_code


# --------------------------------------------------------------------------- health afterwards


def test_server_is_healthy_after_all_that(http, base_url, server):
    assert server.alive(), server.stderr()[-2000:]
    r = wms_get(http, base_url, "GetCapabilities")
    assert r.status_code == 200 and parse_xml(r).get("version") == "1.3.0"
    r = get_map(http, base_url, layers="countries,coal_mines", bbox=(90, -12, 150, 55), width=128, height=128)
    assert decode(image_response(r)).width == 128
    errors = [line for line in server.access_log().splitlines()
              if len(line.split()) >= 3 and line.split()[1].startswith("/wms") and line.split()[2].startswith("5")]
    assert not errors, f"the access log shows /wms server errors: {errors[:3]}"
