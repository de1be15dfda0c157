"""The records of AMIS's own resources follow the store: an import, a re-import with a
new title, a style added and a collection removed while the server runs are seen at
the next catalogue read (the store counts the changes; the records are remade)."""
from __future__ import annotations

from catalog_support import all_records, point_style, synthetic_collections, write_geojson
from support import amis_import, get_json, run_amis


def record_ids(http, url) -> set[str]:
    return {r["id"] for r in all_records(http, url)}


def test_imports_and_styles_update_the_records(http, url, catalog_store, tmp_path):
    before = record_ids(http, url)
    c = dict(synthetic_collections()[0], id="fresh_copper")
    src = tmp_path / "fresh.geojson"
    write_geojson(src, c)
    amis_import(catalog_store, src, "fresh_copper", "--title", "Fresh copper prospects", "--keywords", "copper,new")
    assert record_ids(http, url) == before | {"amis:collection:fresh_copper"}
    found = get_json(http, f"{url}/collections/catalog/items", q="prospects")
    assert [r["id"] for r in found["features"]] == ["amis:collection:fresh_copper"]

    amis_import(catalog_store, src, "fresh_copper", "--title", "Copper prospects, second edition")
    r = get_json(http, f"{url}/collections/catalog/items/amis:collection:fresh_copper")
    assert r["properties"]["title"] == "Copper prospects, second edition"

    (tmp_path / "s.sld").write_text(point_style("fresh_copper"))
    assert run_amis("style", "add", "--collection", "fresh_copper", "--name", "plain", tmp_path / "s.sld",
                    "--store", catalog_store).returncode == 0
    assert "amis:style:fresh_copper:plain" in record_ids(http, url)
