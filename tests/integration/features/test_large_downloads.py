"""Downloads hold every feature asked for (issue 22): a file has no next link, so f=csv,
kml, gpkg (and the other file formats) and GeoJSON with download=true take a limit up to
[features] max_download_features (1,000,000) instead of the page limit (10,000). Each
format is read back with OGR and compared with the grid store's source, computed here:
more than 10,000 features, every id once, the attributes of each. A JSON or HTML page
still stops at 10,000 with a next link."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests
from osgeo import gdal, ogr

from synthetic_data import GRID_COUNT, grid_point
from support import AmisServer, run_amis

gdal.UseExceptions()

# More than a page, a filter that cuts a known set: seq in [1000, 16499] (15,500 points).
LOW, HIGH = 1000, 16_499
FILTER = f"seq BETWEEN {LOW} AND {HIGH}"
EXPECTED = set(range(LOW, HIGH + 1))
assert len(EXPECTED) > 10_000 and HIGH < GRID_COUNT


def download(grid_http, grid_server, tmp_path, f, **extra):
    r = grid_http.get(f"{grid_server.url}/collections/grid/items",
                      params={"f": f, "limit": 1_000_000, "filter": FILTER, **extra}, timeout=300)
    assert r.status_code == 200, r.text[:500]
    path = tmp_path / f"grid.{f}"
    path.write_bytes(r.content)
    return r, path


def read_back(path: Path, seq_field: str = "seq") -> dict[int, ogr.Feature]:
    # CSV: OGR reads the WKT column as the geometry; AUTODETECT_TYPE types the numbers.
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR,
                     open_options=["AUTODETECT_TYPE=YES"] if path.suffix == ".csv" else [])
    assert ds is not None, f"OGR cannot open {path}"
    layer = ds.GetLayer(0)
    features = {}
    for f in layer:
        seq = int(f.GetField(seq_field))
        assert seq not in features, f"{seq} twice in {path.name}"
        features[seq] = f.Clone()
    return features


def assert_grid_attributes(features: dict[int, ogr.Feature]) -> None:
    for seq, f in features.items():
        assert f.GetField("label") == f"grid point {seq:06d}", seq
        assert float(f.GetField("value")) == seq * 0.5, seq
        g = f.GetGeometryRef()
        x, y = grid_point(seq)
        assert abs(g.GetX() - x) < 1e-9 and abs(g.GetY() - y) < 1e-9, (seq, g.ExportToWkt())


@pytest.mark.parametrize("f", ["csv", "kml", "gpkg", "geojson"])
def test_a_download_holds_every_feature_of_the_filter(grid_http, grid_server, tmp_path, f):
    extra = {"download": "true"} if f == "geojson" else {}
    r, path = download(grid_http, grid_server, tmp_path, f, **extra)
    assert "attachment" in r.headers.get("Content-Disposition", ""), r.headers
    features = read_back(path)
    assert set(features) == EXPECTED, (len(features), len(EXPECTED))
    assert_grid_attributes(features)
    if f == "geojson":
        doc = r.json()
        assert doc["numberMatched"] == doc["numberReturned"] == len(EXPECTED)
        assert not [link for link in doc["links"] if link["rel"] == "next"]
        html = [link["href"] for link in doc["links"] if link["type"] == "text/html"]
        assert html and all("download" not in href for href in html), html  # an HTML page is no file


def test_a_download_stops_at_its_limit_and_a_page_at_the_page_limit(grid_http, grid_server):
    url = f"{grid_server.url}/collections/grid/items"
    r = grid_http.get(url, params={"f": "csv", "limit": 12_345}, timeout=120)
    assert r.status_code == 200
    assert r.text.count("\n") == 12_345 + 1  # the header line and one line each
    page = grid_http.get(url, params={"f": "json", "limit": 50_000}, timeout=120).json()
    assert page["numberReturned"] == 10_000 and page["numberMatched"] == GRID_COUNT
    assert [link for link in page["links"] if link["rel"] == "next"]
    r = grid_http.get(url, params={"f": "json", "limit": 20_000}, timeout=120)
    assert "Content-Disposition" not in r.headers and r.json()["numberReturned"] == 10_000
    assert grid_http.get(url, params={"download": "yes"}).status_code == 400
    assert grid_http.get(url, params={"f": "html", "download": "true"}).status_code == 400


def test_max_download_features_is_the_cap_of_a_download(grid_server, tmp_path):
    """[features] max_download_features bounds a download (a larger limit is served the cap,
    like a page's max_limit), and a cap below max_limit is refused at start."""
    config = tmp_path / "amis.toml"
    config.write_text("[features]\nmax_limit = 5000\nmax_download_features = 12000\n")
    srv = AmisServer(grid_server.store, tmp_path, name="download-cap", config=config)
    srv.start()
    try:
        url = f"{srv.url}/collections/grid/items"
        r = requests.get(url, params={"f": "csv", "limit": 1_000_000}, timeout=120)
        assert r.status_code == 200 and r.text.count("\n") == 12_000 + 1
        doc = requests.get(url, params={"f": "geojson", "download": "true", "limit": 1_000_000}, timeout=120).json()
        assert doc["numberReturned"] == 12_000 and [link for link in doc["links"] if link["rel"] == "next"]
        assert requests.get(url, params={"limit": 1_000_000}, timeout=120).json()["numberReturned"] == 5000
    finally:
        alive = srv.alive()
        assert srv.stop() == 0 and alive, srv.stderr()[-2000:]
    config.write_text("[features]\nmax_limit = 5000\nmax_download_features = 4000\n")
    r = run_amis("serve", "--store", grid_server.store, "--port", "1", "--config", config, timeout=60)
    assert r.returncode != 0 and "max_download_features >= max_limit" in r.stderr, r.stderr


def test_a_slow_client_gets_the_whole_download(grid_server, tmp_path):
    """The time a download waits for its client is not work: with work_timeout_seconds = 3
    a client that reads all 200,000 grid points as KML (61 MB, far more than the socket
    buffers) slowly, over about 12 s, still gets every placemark and the closing tag. (Writing
    the file takes about 0.9 s of the server's time on a 2-core machine, more under load: a
    budget of 1 s cut it near its end.)"""
    config = tmp_path / "amis.toml"
    config.write_text("[server]\nwork_timeout_seconds = 3\n")
    srv = AmisServer(grid_server.store, tmp_path, name="slow-client", config=config)
    srv.start()
    try:
        body = bytearray()
        # Uncompressed: gzip would shrink the file into the socket buffers.
        with requests.get(f"{srv.url}/collections/grid/items", params={"f": "kml", "limit": 1_000_000},
                          headers={"Accept-Encoding": "identity"}, stream=True, timeout=120) as r:
            assert r.status_code == 200
            for chunk in r.iter_content(64 * 1024):
                body += chunk
                time.sleep(len(chunk) / 5e6)  # a client taking 5 MB/s: about 12 s for the file
        text = body.decode()
        assert text.count("<Placemark ") == GRID_COUNT
        assert text.rstrip().endswith("</kml>")
    finally:
        alive = srv.alive()
        assert srv.stop() == 0 and alive, srv.stderr()[-2000:]
