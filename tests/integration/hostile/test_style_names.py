"""Style names (issue 21): only a safe pattern - a letter or digit first, then letters,
digits, '_', '-' or '.', no '..', at most 64 - is a style name. `..` and other dot names
are refused by PUT /collections/{id}/styles/{name} and `amis style add`; every refusal is a
400 (exit status 1) whose message names the parameter and the offending value, and nothing
is stored. Oracle: amis_styles read with sqlite3."""
from __future__ import annotations

import http.client

import pytest

import styles_support as ss
from hostile_support import json_error, start_site, stop_site
from store_support import amis, rows

SLD = ('<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld" '
       'xmlns:ogc="http://www.opengis.net/ogc"><NamedLayer><Name>coal_mines</Name><UserStyle><Name>s</Name>'
       '<Title>Magenta</Title><FeatureTypeStyle><Rule><PointSymbolizer><Graphic><Mark>'
       '<WellKnownName>square</WellKnownName><Fill><CssParameter name="fill">#ff00ff</CssParameter></Fill>'
       '</Mark><Size>8</Size></Graphic></PointSymbolizer></Rule></FeatureTypeStyle></UserStyle></NamedLayer>'
       '</StyledLayerDescriptor>')

# name as it is sent in the path -> the name the server sees (percent-decoded)
BAD_NAMES = {"..": "..", "%2E%2E": "..", ".": ".", "%2E": ".", ".hidden": ".hidden", "a..b": "a..b",
             "-leading-dash": "-leading-dash", "trailing.": "trailing.", "sp%20ace": "sp ace",
             "x" * 65: "x" * 65, "default": "default", "%2E%2E%2Fetc": "../etc"}


@pytest.fixture(scope="module")
def site(tmp_path_factory, store_path):
    work = tmp_path_factory.mktemp("style-names")
    s = start_site(work, work / "store.gpkg", f'[server]\nlog_level = "info"\n\n[admin]\ntoken = "{ss.ADMIN_TOKEN}"\n',
                   name="style-names", copy_from=store_path)
    yield s
    stop_site(s)


def styles(store) -> list[tuple]:
    return rows(store, "SELECT * FROM amis_styles ORDER BY 1, 2")


def put_raw(site, path_name: str) -> tuple[int, bytes, str]:
    """PUT with the path exactly as given (no client normalises the dot segments away)."""
    conn = http.client.HTTPConnection("127.0.0.1", site.server.port, timeout=30)
    try:
        conn.request("PUT", f"/collections/coal_mines/styles/{path_name}", body=SLD.encode(),
                     headers={"Content-Type": "application/vnd.ogc.sld+xml",
                              "Authorization": f"Bearer {ss.ADMIN_TOKEN}"})
        r = conn.getresponse()
        return r.status, r.read(), r.getheader("Content-Type", "")
    finally:
        conn.close()


@pytest.mark.parametrize("sent", sorted(BAD_NAMES))
def test_unsafe_names_are_refused_naming_the_value(site, sent):
    before = styles(site.store)
    status, body, content_type = put_raw(site, sent)
    assert status in (400, 404), (status, body[:300])
    assert content_type.startswith("application/json"), content_type
    if status == 400:  # a name the router hands to the styles API
        import json
        doc = json.loads(body)
        assert doc["code"] == "InvalidParameterValue", doc
        assert "styleId" in doc["description"] and f"'{BAD_NAMES[sent]}'" in doc["description"], doc
    assert styles(site.store) == before


def test_dot_dot_is_refused_by_put(site):
    """The case of the issue, by name: before the fix '..' was stored as a style."""
    status, body, _ = put_raw(site, "..")
    assert status == 400, (status, body[:300])
    assert all(r[1] != ".." for r in styles(site.store))


@pytest.mark.parametrize("name", ["..", ".", ".x", "a..b", "-x", "x" * 65])
def test_cli_refuses_unsafe_names_naming_the_value(site, tmp_path, name):
    sld = tmp_path / "style.sld"
    sld.write_text(SLD)
    before = styles(site.store)
    r = amis("style", "add", "--store", site.store, "--collection", "coal_mines", "--name", name, sld)
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert f"'{name}'" in r.stderr, r.stderr
    assert styles(site.store) == before


@pytest.mark.parametrize("name", ["a", "A1", "status-capacity", "v1.2_final", "9", "x" * 64])
def test_safe_names_are_stored(site, name):
    status, body, _ = put_raw(site, name)
    assert status == 200, (status, body[:300])
    assert (("coal_mines", name) in [(r[0], r[1]) for r in styles(site.store)])
    r = site.s.get(f"{site.url}/collections/coal_mines/styles/{name}", timeout=30)
    assert r.status_code == 200 and b"Magenta" in r.content


def test_a_wrong_name_in_a_get_is_a_404_naming_it(site):
    doc = json_error(site.s.get(f"{site.url}/collections/coal_mines/styles/no-such-style", timeout=30), 404, "NotFound")
    assert "'no-such-style'" in doc["description"], doc
