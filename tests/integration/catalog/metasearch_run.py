"""QGIS's MetaSearch plugin (its own dialog code, from python3-qgis) searching a CSW
offscreen: `python3 metasearch_run.py URL WEST SOUTH EAST NORTH KEYWORDS MAXRECORDS` prints
one JSON object: what the dialog shows (the results label, the rows of its record tree), the
numbers owslib read, and the warnings it would have shown in message boxes. Then it pages
forward once with the dialog's Next button handler.

Run by test_csw_metasearch.py with QT_QPA_PLATFORM=offscreen and a temporary HOME; not
meant to be imported."""
from __future__ import annotations

import json
import sys

from qgis.core import QgsApplication, QgsSettings
from qgis.gui import QgsMapCanvas

sys.path.insert(0, "/usr/share/qgis/python/plugins")

app = QgsApplication([], True)
app.initQgis()

from MetaSearch.dialogs import maindialog  # noqa: E402  (needs the application)

WARNINGS: list[str] = []


class _MessageBox:
    """Stands in for QMessageBox's modal boxes, which would wait for a click offscreen."""

    @staticmethod
    def warning(parent, title, text, *args):
        WARNINGS.append(f"{title}: {text}")

    information = critical = warning


class _Iface:
    def __init__(self):
        self.canvas = QgsMapCanvas()

    def mapCanvas(self):
        return self.canvas


def rows(dialog) -> list[dict]:
    out = []
    for i in range(dialog.treeRecords.topLevelItemCount()):
        item = dialog.treeRecords.topLevelItem(i)
        out.append({"type": item.text(0), "title": item.text(1)})
    return out


def main() -> None:
    url, west, south, east, north, keywords, maxrecords = sys.argv[1:8]
    maindialog.QMessageBox = _MessageBox
    settings = QgsSettings()
    settings.setValue("/MetaSearch/AMIS/url", url)
    dialog = maindialog.MetaSearchDialog(_Iface())
    dialog.cmbConnectionsSearch.clear()
    dialog.cmbConnectionsSearch.addItem("AMIS")
    dialog.cmbConnectionsSearch.setCurrentIndex(0)
    dialog.leWest.setText(west)
    dialog.leSouth.setText(south)
    dialog.leEast.setText(east)
    dialog.leNorth.setText(north)
    dialog.leKeywords.setText(keywords)
    dialog.spnRecords.setValue(int(maxrecords))
    dialog.search()
    first = {"label": dialog.lblResults.text(), "rows": rows(dialog),
             "results": dict(dialog.catalog.results) if dialog.catalog and hasattr(dialog.catalog, "results") else None,
             "ids": list(dialog.catalog.records) if dialog.catalog and hasattr(dialog.catalog, "records") else []}
    second = None
    if dialog.btnNext.isEnabled():
        dialog.btnNext.click()
        second = {"label": dialog.lblResults.text(), "rows": rows(dialog), "ids": list(dialog.catalog.records)}
    print(json.dumps({"first": first, "next": second, "warnings": WARNINGS}))


try:
    main()
finally:
    app.exitQgis()
