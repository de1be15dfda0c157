"""QGIS's MetaSearch plugin (its own dialog code from python3-qgis, offscreen) searching
AMIS's CSW: the keywords and map extent a user types, the results it shows, and its Next
page; the counts compared with SQLite over the ISO documents."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest


RUNNER = Path(__file__).with_name("metasearch_run.py")
PLUGIN = Path("/usr/share/qgis/python/plugins/MetaSearch")


def run_metasearch(tmp_path, url: str, box: tuple[float, float, float, float], keywords: str, page: int) -> dict:
    home = tmp_path / "home"
    runtime = home / "runtime"
    runtime.mkdir(parents=True, mode=0o700)
    env = dict(os.environ, QGIS_PREFIX_PATH="/usr", QT_QPA_PLATFORM="offscreen", HOME=str(home),
               XDG_RUNTIME_DIR=str(runtime), NO_PROXY="*", no_proxy="*",
               QGIS_CUSTOM_CONFIG_PATH=str(home / "profile"))
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(proxy, None)
    done = subprocess.run(["/usr/bin/python3", str(RUNNER), url, *map(str, box), keywords, str(page)],
                          capture_output=True, text=True, env=env, timeout=300, cwd=home)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not PLUGIN.is_dir(), reason="python3-qgis's MetaSearch plugin is not installed")
def test_metasearch_finds_and_pages(csw, tmp_path):
    box = (100.0, 0.0, 120.0, 20.0)
    out = run_metasearch(tmp_path, csw.url, box, "gold", 10)
    assert out["warnings"] == []
    expected = csw.expected.intersecting(*box) & csw.expected.with_words("gold")
    first = out["first"]
    assert first["results"]["matches"] == len(expected)
    assert first["label"] == f"Showing 1 - 10 of {len(expected)} result(s)"
    assert len(first["rows"]) == 10 and set(first["ids"]) <= expected
    titles = {csw.expected.by_id[i].title for i in first["ids"]}
    assert {row["title"] for row in first["rows"]} == titles
    second = out["next"]
    assert second is not None and second["label"].startswith("Showing 11 - 20 of")
    assert set(second["ids"]) <= expected and not set(second["ids"]) & set(first["ids"])
