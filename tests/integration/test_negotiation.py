"""Content negotiation (f= and Accept), response headers (Content-Type, Content-Crs, CORS),
HEAD and OPTIONS."""
from __future__ import annotations

import pytest

from synthetic_data import XSS_NOTE

CRS84_HEADER = "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"

# path -> media type of its JSON representation
RESOURCES = {
    "/": "application/json",
    "/conformance": "application/json",
    "/api": OPENAPI,
    "/collections": "application/json",
    "/collections/coal_mines": "application/json",
    "/collections/coal_mines/items": "application/geo+json",
    "/collections/coal_mines/items/1": "application/geo+json",
    "/collections/countries/items": "application/geo+json",
    "/collections/observations/items/1": "application/geo+json",
}


def media(r) -> str:
    return r.headers.get("Content-Type", "").split(";")[0].strip()


def full_media(r) -> str:
    return r.headers.get("Content-Type", "").replace(" ", "")


@pytest.mark.parametrize("path", RESOURCES)
def test_f_html(http, base_url, path):
    r = http.get(base_url + path, params={"f": "html"}, timeout=30)
    assert r.status_code == 200
    assert media(r) == "text/html"
    assert r.text.lstrip().lower().startswith("<!doctype html")
    assert r.text.rstrip().endswith("</html>")


@pytest.mark.parametrize("path", RESOURCES)
def test_accept_html(http, base_url, path):
    r = http.get(base_url + path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, timeout=30)
    assert r.status_code == 200
    assert media(r) == "text/html"


@pytest.mark.parametrize("path,json_type", RESOURCES.items())
def test_json_by_default_by_f_and_by_accept(http, base_url, path, json_type):
    for kwargs in ({}, {"params": {"f": "json"}}, {"headers": {"Accept": "application/json"}},
                   {"headers": {"Accept": "*/*"}}):
        r = http.get(base_url + path, timeout=30, **kwargs)
        assert r.status_code == 200, kwargs
        expected = json_type.replace(" ", "")
        assert full_media(r) == expected if ";" in expected else media(r) == expected, (kwargs, r.headers["Content-Type"])
        r.json()


def test_accept_quality_values(http, base_url):
    r = http.get(f"{base_url}/collections", headers={"Accept": "text/html;q=0.5, application/json;q=0.9"}, timeout=30)
    assert media(r) == "application/json"
    r = http.get(f"{base_url}/collections", headers={"Accept": "application/json;q=0.2, text/html"}, timeout=30)
    assert media(r) == "text/html"


def test_f_overrides_accept(http, base_url):
    r = http.get(f"{base_url}/collections", params={"f": "json"}, headers={"Accept": "text/html"}, timeout=30)
    assert media(r) == "application/json"


@pytest.mark.parametrize("path", RESOURCES)
def test_unsupported_f_is_406(http, base_url, path):
    r = http.get(base_url + path, params={"f": "xml"}, timeout=30)
    assert r.status_code == 406
    assert media(r) == "application/json"
    body = r.json()
    assert body["code"] and body["description"]


def test_unsupported_accept_is_406(http, base_url):
    r = http.get(f"{base_url}/collections", headers={"Accept": "application/xml"}, timeout=30)
    assert r.status_code == 406
    assert {"code", "description"} <= set(r.json())


@pytest.mark.parametrize("path", ["/collections/coal_mines/items", "/collections/coal_mines/items/1"])
def test_content_crs_on_features(http, base_url, path):
    for f in ("json", "html"):
        r = http.get(base_url + path, params={"f": f}, timeout=30)
        assert r.headers.get("Content-Crs") == CRS84_HEADER, f


@pytest.mark.parametrize("path", [*RESOURCES, "/collections/nope", "/collections/coal_mines/items?limit=0"])
def test_cors_header_everywhere(http, base_url, path):
    r = http.get(base_url + path, headers={"Origin": "http://example.org"}, timeout=30)
    assert r.headers.get("Access-Control-Allow-Origin") == "*", (path, r.status_code)


def test_cors_exposes_content_crs(http, base_url):
    r = http.get(f"{base_url}/collections/coal_mines/items", headers={"Origin": "http://example.org"}, timeout=30)
    exposed = [h.strip().lower() for h in r.headers.get("Access-Control-Expose-Headers", "").split(",")]
    assert "content-crs" in exposed


@pytest.mark.parametrize("path", [*RESOURCES, "/collections/coal_mines/items?f=html"])
def test_head_matches_get(http, base_url, path):
    get = http.get(base_url + path, timeout=30)
    head = http.head(base_url + path, timeout=30)
    assert head.status_code == get.status_code == 200
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.content == b""
    assert head.headers.get("Content-Crs") == get.headers.get("Content-Crs")


def test_head_of_missing_resource_is_404(http, base_url):
    assert http.head(f"{base_url}/collections/nope", timeout=30).status_code == 404
    # The connection is still usable afterwards (no stray body on it).
    assert http.get(f"{base_url}/collections", timeout=30).status_code == 200


def test_options_preflight(http, base_url):
    r = http.options(f"{base_url}/collections/coal_mines/items", timeout=30, headers={
        "Origin": "http://example.org",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "Accept",
    })
    assert r.status_code in (200, 204)
    assert r.headers.get("Access-Control-Allow-Origin") == "*"
    methods = [m.strip() for m in r.headers.get("Access-Control-Allow-Methods", "").split(",")]
    assert "GET" in methods
    allowed = [h.strip().lower() for h in r.headers.get("Access-Control-Allow-Headers", "").split(",")]
    assert "accept" in allowed


def test_html_escapes_property_values(http, base_url, observations):
    """A property holding markup is shown as text, not executed."""
    seqs = [o.seq for o in observations if o.note == XSS_NOTE]
    page = http.get(f"{base_url}/collections/observations/items", params={"limit": 100}, timeout=30).json()
    fid = next(f["id"] for f in page["features"] if f["properties"]["seq"] == seqs[0])
    for url in (f"{base_url}/collections/observations/items/{fid}",
                f"{base_url}/collections/observations/items?limit=100"):
        html = http.get(url, params={"f": "html"}, timeout=30).text
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert(" in html, url


def test_json_strings_round_trip_exactly(http, base_url, observations):
    page = http.get(f"{base_url}/collections/observations/items", params={"limit": 100}, timeout=30).json()
    notes = {f["properties"]["seq"]: f["properties"]["note"] for f in page["features"]}
    assert notes == {o.seq: o.note for o in observations}


def test_html_items_page_links_to_json(http, base_url):
    html = http.get(f"{base_url}/collections/coal_mines/items", params={"f": "html", "limit": 3}, timeout=30).text
    assert "f=json" in html
