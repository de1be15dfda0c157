"""GET /health (issue 14): what a load balancer polls. 200 with the store's databases when the
node can serve, never cached, and no file path or credential in it."""
from __future__ import annotations


def test_health_reports_the_store(http, base_url, store_path):
    r = http.get(f"{base_url}/health")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.headers["Cache-Control"] == "no-store"
    doc = r.json()
    assert doc["status"] == "ok"
    assert doc["store"]["backend"] in ("geopackage", "postgis")
    databases = doc["store"]["databases"]
    assert databases and all(d["reachable"] for d in databases)
    assert {d["role"] for d in databases} <= {"file", "primary", "replica"}
    for d in databases:
        assert "/" not in d["name"] or d["role"] != "file", "a file path in /health"
        assert "password" not in d["name"].lower()
    assert str(store_path.parent) not in r.text


def test_health_is_not_an_ogc_api_resource(http, base_url):
    """It answers GET only; other methods are refused like any unknown route."""
    r = http.post(f"{base_url}/health", data=b"")
    assert 400 <= r.status_code < 500
