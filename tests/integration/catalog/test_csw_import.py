"""`amis catalog import`: ISO documents validated against the ISO 19139 schemas; those that
do not validate (or hold a DTD) are refused with the schema's messages and not stored, the
others are, and CSW serves them."""
from __future__ import annotations

import store_support
from csw_support import generate_records
from support import run_amis


def test_invalid_documents_are_refused_with_the_schemas_messages(tmp_path, amis_bin):
    records = generate_records(5, tmp_path / "iso")
    files = sorted(records.glob("*.xml"))
    text = files[0].read_text()
    files[0].write_text(text.replace("<gmd:dateStamp>", "<gmd:dateStump>").replace("</gmd:dateStamp>",
                                                                                    "</gmd:dateStump>"))
    files[1].write_text(text.replace('<?xml version="1.0" encoding="UTF-8"?>',
                                     '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'))
    files[2].write_text(text[:len(text) // 2])
    store = tmp_path / "catalogue.gpkg"
    done = run_amis("catalog", "import", records, "--store", store)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "2 records imported, 3 documents refused" in done.stdout
    assert "dateStump" in done.stderr and "This element is not expected" in done.stderr
    assert "DOCTYPE" in done.stderr and "root:" not in done.stderr
    stored = {row[0] for row in store_support.rows(store, "SELECT id FROM amis_records")}
    assert stored == {f.stem for f in files[3:]}


def test_a_missing_source_is_an_error(tmp_path, amis_bin):
    done = run_amis("catalog", "import", tmp_path / "nothing-here", "--store", tmp_path / "c.gpkg")
    assert done.returncode != 0
