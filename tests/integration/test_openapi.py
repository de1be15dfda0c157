"""/api: a valid OpenAPI 3.0 document (checked by @apidevtools/swagger-parser under Node)
that describes every collection and its properties, and every route the server has
(compared with `amis routes`, the composition root's router)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from support import DEMO_SOURCES, amis_argv, field_types, get_json

OPENAPI_DIR = Path(__file__).resolve().parent / "openapi"
OPENAPI_MEDIA = "application/vnd.oai.openapi+json;version=3.0"

# OGR field type -> the schema a property parameter should have.
EXPECTED_SCHEMA = {
    "Integer": {"type": "integer"},
    "Integer64": {"type": "integer"},
    "Real": {"type": "number"},
    "String": {"type": "string"},
    "DateTime": {"type": "string", "format": "date-time"},
    "Date": {"type": "string", "format": "date"},
}


@pytest.fixture(scope="module")
def node_validator() -> list[str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node/npm are not installed: cannot run @apidevtools/swagger-parser")
    if not (OPENAPI_DIR / "node_modules" / "@apidevtools" / "swagger-parser").is_dir():
        result = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=OPENAPI_DIR,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"npm ci failed in {OPENAPI_DIR}:\n{result.stderr[-2000:]}"
    return [node, str(OPENAPI_DIR / "validate-openapi.mjs")]


@pytest.fixture(scope="module")
def api(http, base_url) -> dict:
    r = http.get(f"{base_url}/api", timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].replace(" ", "") == OPENAPI_MEDIA
    return r.json()


def test_swagger_parser_validates_api(node_validator, base_url):
    result = subprocess.run([*node_validator, f"{base_url}/api"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"swagger-parser: {result.stderr.strip()}"
    assert '"valid":true' in result.stdout


def test_swagger_parser_rejects_an_invalid_document(node_validator, tmp_path):
    """The validator is not vacuous: a document with a dangling $ref fails."""
    from http.server import HTTPServer, SimpleHTTPRequestHandler
    import threading
    (tmp_path / "api").write_text('{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":'
                                  '{"/a":{"get":{"parameters":[{"$ref":"#/components/parameters/none"}],'
                                  '"responses":{"200":{"description":"ok"}}}}}}')

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(tmp_path), **kw)

        def log_message(self, *a):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        result = subprocess.run([*node_validator, f"http://127.0.0.1:{httpd.server_port}/api"],
                                capture_output=True, text=True, timeout=120)
    finally:
        httpd.shutdown()
    assert result.returncode == 1, result.stdout + result.stderr


def test_api_is_openapi_30(api, base_url):
    assert api["openapi"].startswith("3.0.")
    assert api["servers"][0]["url"].rstrip("/") == base_url
    for path in ("/", "/conformance", "/collections"):
        assert "get" in api["paths"][path]


def resolve(api: dict, node: dict) -> dict:
    while "$ref" in node:
        parts = node["$ref"].lstrip("#/").split("/")
        node = api
        for p in parts:
            node = node[p]
    return node


def item_parameters(api: dict, collection: str) -> dict[str, dict]:
    op = api["paths"][f"/collections/{collection}/items"]["get"]
    return {p["name"]: p for p in (resolve(api, p) for p in op["parameters"])}


@pytest.mark.parametrize("collection", sorted(DEMO_SOURCES))
def test_every_collection_has_its_paths_and_property_parameters(api, collection):
    for suffix in ("", "/items", "/items/{featureId}"):
        assert f"/collections/{collection}{suffix}" in api["paths"], suffix
    params = item_parameters(api, collection)
    for standard in ("bbox", "datetime", "limit", "offset"):
        assert params[standard]["in"] == "query"
    src = DEMO_SOURCES[collection]
    for name, ogr_type in field_types(src.path, src.layer).items():
        assert name in params, f"property {name} of {collection} is not a parameter of its items"
        schema = params[name]["schema"]
        assert {k: schema.get(k) for k in EXPECTED_SCHEMA[ogr_type]} == EXPECTED_SCHEMA[ogr_type], (
            f"{collection}.{name} ({ogr_type}) has schema {schema}")


def test_observations_datetime_property_is_described(api, observations_gpkg):
    params = item_parameters(api, "observations")
    for name, ogr_type in field_types(observations_gpkg, "observations").items():
        assert params[name]["schema"].get("type") == EXPECTED_SCHEMA[ogr_type]["type"], name


def test_limit_parameter_declares_the_limits(api):
    limit = item_parameters(api, "coal_mines")["limit"]["schema"]
    assert limit["minimum"] == 1
    assert limit["maximum"] == 10000
    assert limit["default"] == 10


def test_operation_ids_are_unique(api):
    ids = [op["operationId"] for item in api["paths"].values() for op in item.values()
           if isinstance(op, dict) and "operationId" in op]
    assert len(ids) == len(set(ids))


def test_api_html(http, base_url):
    r = http.get(f"{base_url}/api", params={"f": "html"}, timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert "/collections/coal_mines/items" in r.text


def test_api_document_equals_collections_list(http, base_url, api):
    ids = {c["id"] for c in get_json(http, f"{base_url}/collections")["collections"]}
    described = {p.split("/")[2] for p in api["paths"] if p.startswith("/collections/")} - {"{collectionId}"}
    assert described == ids


def duplicate_parameters(api: dict) -> list[tuple[str, str, str]]:
    """(path, in, name) listed more than once in one operation: OpenAPI 3.0 forbids it
    ("The list MUST NOT include duplicated parameters", Operation Object)."""
    dups = []
    for path, item in api["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict):
                continue
            seen = set()
            for p in (resolve(api, p) for p in op.get("parameters", [])):
                key = (p["in"], p["name"])
                if key in seen:
                    dups.append((path, *key))
                seen.add(key)
    return dups


def test_no_duplicate_parameters(api):
    assert duplicate_parameters(api) == []


@pytest.fixture(scope="module")
def clash_api(tmp_path_factory, amis_bin) -> dict:
    """/api of a store whose one collection has properties named 'datetime' and 'limit',
    names a real table can easily have."""
    from osgeo import ogr, osr
    from support import AmisServer, amis_import, http_session
    work = tmp_path_factory.mktemp("clash")
    source = work / "readings.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(source))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    layer = ds.CreateLayer("readings", srs, ogr.wkbPoint)
    for name, kind in (("station", ogr.OFTString), ("datetime", ogr.OFTString), ("limit", ogr.OFTInteger)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    f = ogr.Feature(layer.GetLayerDefn())
    f["station"], f["datetime"], f["limit"] = "A", "2024-05-01 10:00", 5
    f.SetGeometry(ogr.CreateGeometryFromWkt("POINT (100 10)"))
    layer.CreateFeature(f)
    ds = None
    store = work / "store.gpkg"
    amis_import(store, source, "readings")
    srv = AmisServer(store, work, name="clash")
    srv.start()
    try:
        with http_session() as s:
            yield s.get(f"{srv.url}/api", timeout=30).json()
    finally:
        assert srv.stop() == 0


def test_property_named_like_a_standard_parameter_is_not_listed_twice(clash_api):
    assert duplicate_parameters(clash_api) == []


# ------------------------------------------------------------------ completeness

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def router_routes(amis_bin, store_path) -> set[tuple[str, str]]:
    """(METHOD, /pattern) for every route of the server, as `amis routes` lists them."""
    result = subprocess.run(amis_argv("routes", "--store", store_path),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    routes = {tuple(line.split(" ", 1)) for line in result.stdout.splitlines() if line}
    assert ("GET", "/collections/{collectionId}/items") in routes, result.stdout
    return routes


def documented_routes(api: dict, collections: set[str]) -> set[tuple[str, str]]:
    """(METHOD, /pattern) for every operation of the document. The features API is
    described per collection (/collections/coal_mines/items, with that collection's
    properties): such paths count as the {collectionId} template, and each collection
    must have the same operations."""
    per_collection: dict[str, set[tuple[str, str]]] = {c: set() for c in collections}
    documented = set()
    for path, item in api["paths"].items():
        parts = path.split("/")
        concrete = len(parts) > 2 and parts[1] == "collections" and parts[2] in collections
        template = "/".join([*parts[:2], "{collectionId}", *parts[3:]]) if concrete else path
        for method in set(item) & HTTP_METHODS:
            documented.add((method.upper(), template))
            if concrete:
                per_collection[parts[2]].add((method.upper(), template))
    first = next(iter(per_collection.values()))
    for c, ops in per_collection.items():
        assert ops == first, f"{c} is described with other operations: {sorted(ops ^ first)}"
    return documented


def test_every_route_is_documented_with_its_methods(api, amis_bin, store_path, http, base_url):
    # Feature collections only: the Records catalogue (itemType record) has its own literal paths.
    ids = {c["id"] for c in get_json(http, f"{base_url}/collections")["collections"] if c["itemType"] == "feature"}
    routes = router_routes(amis_bin, store_path)
    documented = documented_routes(api, ids)
    assert sorted(routes - documented) == [], "routes missing from /api"
    assert sorted(documented - routes) == [], "operations in /api the server does not route"


def test_completeness_check_sees_a_missing_route(api, amis_bin, store_path, http, base_url):
    """The comparison is not vacuous: a document without one path fails it."""
    # Feature collections only: the Records catalogue (itemType record) has its own literal paths.
    ids = {c["id"] for c in get_json(http, f"{base_url}/collections")["collections"] if c["itemType"] == "feature"}
    partial = {**api, "paths": {p: v for p, v in api["paths"].items() if p != "/changesets/{changeSetId}/revert"}}
    missing = router_routes(amis_bin, store_path) - documented_routes(partial, ids)
    assert missing == {("POST", "/changesets/{changeSetId}/revert")}


def test_writes_declare_bodies_conditions_and_security(api):
    item = api["paths"]["/collections/coal_mines/items/{featureId}"]
    for method in ("put", "patch", "delete"):
        names = {resolve(api, p)["name"] for p in item[method]["parameters"]}
        assert {"If-Match", "changeset", "featureId"} <= names, method
        assert "412" in item[method]["responses"], method
        assert item[method]["security"], method
    assert "application/merge-patch+json" in item["patch"]["requestBody"]["content"]
    post = api["paths"]["/collections/coal_mines/items"]["post"]
    assert "application/geo+json" in post["requestBody"]["content"]
    assert {"201", "202"} <= set(post["responses"])
    schemes = api["components"]["securitySchemes"]
    assert schemes["bearerToken"]["scheme"] == "bearer"
    assert (schemes["sessionCookie"]["in"], schemes["sessionCookie"]["name"]) == ("cookie", "amis_session")
    assert (schemes["csrfToken"]["in"], schemes["csrfToken"]["name"]) == ("header", "X-CSRF-Token")


# A value for each path parameter the router names, so that every route can be called.
SAMPLE_PATH_VALUES = {
    "collectionId": "coal_mines", "featureId": "1", "changeSetId": "1", "name": "nobody", "id": "1",
    "styleId": "default", "tileMatrixSetId": "WebMercatorQuad", "tileMatrix": "0", "tileRow": "0",
    "tileCol": "0", "layer": "coal_mines", "style": "default", "tileMatrixSet": "WebMercatorQuad",
    "s0": "no-such-file", "s1": "x", "s2": "x", "recordId": "amis:collection:coal_mines",
}


def documented_operation(api: dict, method: str, pattern: str) -> dict:
    concrete = pattern.replace("/collections/{collectionId}", "/collections/coal_mines", 1)
    item = api["paths"].get(concrete) or api["paths"][pattern]
    return item[method.lower()]


def sweep(api: dict, routes, session, url: str, headers: dict | None = None) -> list:
    """Calls every route without parameters or body; returns the answers whose status
    the route's operation does not list."""
    undocumented = []
    for method, pattern in sorted(routes):
        path = pattern
        for name, value in SAMPLE_PATH_VALUES.items():
            path = path.replace("{" + name + "}", value)
        if pattern.startswith("/wmts/1.0.0/{layer}"):
            path += ".png"
        r = session.request(method, url + path, headers=headers, allow_redirects=False, timeout=60)
        answers = [r]
        if method == "GET" and r.status_code == 200 and "ETag" in r.headers:  # a conditional GET: 304
            answers.append(session.get(url + path, headers={**(headers or {}), "If-None-Match": r.headers["ETag"]},
                                       allow_redirects=False, timeout=60))
        for a in answers:
            if str(a.status_code) not in documented_operation(api, method, pattern)["responses"]:
                undocumented.append((method, pattern, a.status_code, a.text[:120]))
    return undocumented


def test_every_route_answers_with_a_documented_status(api, amis_bin, store_path, http, base_url):
    """Called without credentials, parameters or body, each route answers a status its
    operation lists (401 for what needs a caller, 400 for a KVP request without REQUEST...)."""
    assert sweep(api, router_routes(amis_bin, store_path), http, base_url) == []


ADMIN_TOKEN = "bootstrap-admin-token-for-the-openapi-tests-7e2c"  # >= 24 characters, no real secret


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory, amis_bin):
    """A store of its own (the sweep writes: it deletes feature 1) served with a bootstrap
    admin token."""
    from support import AmisServer, amis_import
    work = tmp_path_factory.mktemp("openapi-admin")
    store = work / "store.gpkg"
    amis_import(store, DEMO_SOURCES["coal_mines"].path, "coal_mines")
    config = work / "amis.toml"
    config.write_text(f'[admin]\ntoken = "{ADMIN_TOKEN}"\n')
    srv = AmisServer(store, work, name="openapi-admin", config=config)
    srv.start()
    yield srv, store
    assert srv.stop() == 0, srv.stderr()


def test_every_route_answers_an_admin_with_a_documented_status(admin_server, amis_bin):
    """The same sweep as an administrator: past authentication, the 400, 404 and 415 of
    each handler must be documented too."""
    from support import http_session
    srv, store = admin_server
    with http_session() as s:
        api = s.get(f"{srv.url}/api", timeout=30).json()
        assert sweep(api, router_routes(amis_bin, store), s, srv.url,
                     {"Authorization": f"Bearer {ADMIN_TOKEN}"}) == []


def as_json_schema(node):
    """OpenAPI 3.0 schema objects as JSON Schema: `nullable` becomes a "null" alternative."""
    if isinstance(node, list):
        return [as_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: as_json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def check_answer(api: dict, method: str, pattern: str, r) -> None:
    """The answer's status is documented for the operation and, for JSON, its body is
    valid against the schema documented for that status and media type."""
    import jsonschema
    responses = documented_operation(api, method, pattern)["responses"]
    assert str(r.status_code) in responses, (method, pattern, r.status_code, r.text[:300])
    documented = resolve(api, responses[str(r.status_code)])
    media = r.headers.get("Content-Type", "").split(";")[0].strip()
    if r.status_code == 204 or not media.endswith("json"):
        return
    assert media in documented.get("content", {}), (method, pattern, r.status_code, media)
    schema = documented["content"][media]["schema"]
    root = as_json_schema({"components": api["components"]})
    jsonschema.validate(r.json(), {**as_json_schema(schema), "components": root["components"]})


def test_editing_and_account_answers_match_their_documented_schemas(admin_server):
    """A user's life (created, logged in with cookie and CSRF token, given a token) and a
    change set's (draft, a feature written into it, reviewed, submitted, approved), a
    stale If-Match, history, an upload and the audit log: every answer has a documented
    status and a body valid against the documented schema."""
    from support import http_session
    srv, _ = admin_server
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with http_session() as s:
        api = s.get(f"{srv.url}/api", timeout=30).json()

        def call(method, pattern, path=None, **kw):
            kw.setdefault("headers", admin)
            r = s.request(method, srv.url + (path or pattern), timeout=60, **kw)
            check_answer(api, method, pattern, r)
            return r

        password = "a long enough password"
        assert call("POST", "/admin/users", json={"name": "oa-reviewer", "role": "reviewer",
                                                  "password": password}).status_code == 201
        call("GET", "/admin/users")
        call("PATCH", "/admin/users/{name}", "/admin/users/oa-reviewer", json={"disabled": False})
        assert call("POST", "/admin/users/{name}/tokens", "/admin/users/oa-reviewer/tokens",
                    json={"label": "openapi"}).status_code == 201
        call("GET", "/admin/users/{name}/tokens", "/admin/users/oa-reviewer/tokens")
        with http_session() as browser:
            r = browser.post(f"{srv.url}/login", json={"user": "oa-reviewer", "password": password}, timeout=30)
            check_answer(api, "POST", "/login", r)
            csrf = r.json()["csrfToken"]
            check_answer(api, "GET", "/session", browser.get(f"{srv.url}/session", timeout=30))
            r = browser.post(f"{srv.url}/logout", headers={"X-CSRF-Token": csrf}, timeout=30)
            check_answer(api, "POST", "/logout", r)
            assert r.status_code == 200

        feature = call("GET", "/collections/{collectionId}/items/{featureId}", "/collections/coal_mines/items/2",
                       headers={**admin, "Accept": "application/geo+json"}).json()
        draft = call("POST", "/changesets", json={"collection": "coal_mines", "title": "openapi"}).json()
        r = call("POST", "/collections/{collectionId}/items", "/collections/coal_mines/items",
                 params={"changeset": draft["id"]},
                 json={"type": "Feature", "geometry": feature["geometry"], "properties": feature["properties"]},
                 headers={**admin, "Content-Type": "application/geo+json"})
        assert r.status_code == 202, r.text
        call("GET", "/changesets/{changeSetId}/review", f"/changesets/{draft['id']}/review")
        call("POST", "/changesets/{changeSetId}/submit", f"/changesets/{draft['id']}/submit")
        call("POST", "/changesets/{changeSetId}/approve", f"/changesets/{draft['id']}/approve",
             json={"comment": "fine"})
        call("GET", "/changesets", params={"state": "approved"})
        call("GET", "/changesets/{changeSetId}", f"/changesets/{draft['id']}")
        r = call("PATCH", "/collections/{collectionId}/items/{featureId}", "/collections/coal_mines/items/2",
                 data='{"properties": {}}', headers={**admin, "Content-Type": "application/merge-patch+json",
                                                     "If-Match": '"stale"'})
        assert r.status_code == 412, r.text
        call("GET", "/collections/{collectionId}/items/{featureId}/history", "/collections/coal_mines/items/2/history")
        upload = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": feature["geometry"], "properties": feature["properties"]}]}
        call("POST", "/collections/{collectionId}/upload", "/collections/coal_mines/upload", data=json.dumps(upload),
             headers={**admin, "Content-Type": "application/geo+json"})
        call("GET", "/audit")
