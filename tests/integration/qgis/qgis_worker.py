"""A QGIS process driven by the tests (qgis_support.QgisWorker): it creates one
QgsApplication, then answers one JSON command per line on stdin with one JSON line on
the descriptor it was given, until stdin closes; then exitQgis().

QGIS runs in its own process because it may crash on a server's error (QGIS 3.22's WFS
provider did on a 400 to DescribeFeatureType): a crash is then one test's failure, with
QGIS's last messages, not the end of the test session. Everything here goes through
QGIS's own providers (oapif, WFS, wms, wcs, vectortile); nothing is fetched by hand.

Run by qgis_support with QGIS_PREFIX_PATH=/usr, QT_QPA_PLATFORM=offscreen and a
temporary HOME; not meant to be imported."""
from __future__ import annotations

import faulthandler
import json
import os
import sys
import traceback

from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsExpression, QgsFeature,
                       QgsFeatureRequest, QgsGeometry, QgsMapRendererCustomPainterJob,
                       QgsMapRendererParallelJob, QgsMapRendererSequentialJob, QgsMapSettings,
                       QgsRasterLayer, QgsRectangle, QgsVectorLayer, QgsVectorTileBasicRenderer,
                       QgsVectorTileBasicRendererStyle, QgsVectorTileLayer)
from qgis.PyQt.QtCore import QDate, QDateTime, QSize, Qt, QTime, QVariant
from qgis.PyQt.QtGui import QColor, QImage, QPainter

MESSAGES: list[str] = []


def _log(message, tag, level) -> None:
    MESSAGES.append(f"[{tag}] {message}")


def plain(value):
    """A QGIS attribute value as JSON: NULL as None, dates as ISO 8601 text."""
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    if isinstance(value, QDateTime):
        return value.toString(Qt.ISODateWithMs)  # with Z or the offset when QGIS knows it
    if isinstance(value, (QDate, QTime)):
        return value.toString("yyyy-MM-dd" if isinstance(value, QDate) else "HH:mm:ss")
    if isinstance(value, QVariant):
        return plain(value.value())
    return value


def error_text(layer) -> str:
    """The layer's error; QgsError.summary() of an empty error crashes QGIS 3.22."""
    e = layer.error()
    return "" if e.isEmpty() else e.summary()


def feature_dict(f: QgsFeature, names: list[str]) -> dict:
    g = f.geometry()
    return {"attributes": {n: plain(f[n]) for n in names},
            "wkt": None if g is None or g.isNull() else g.asWkt(12)}


def open_vector(provider: str, uri: str) -> QgsVectorLayer:
    layer = QgsVectorLayer(uri, "layer", provider)
    return layer


def vector_summary(layer: QgsVectorLayer) -> dict:
    return {"valid": layer.isValid(),
            "error": error_text(layer),
            "fields": [f.name() for f in layer.fields()] if layer.isValid() else [],
            "field_types": [f.typeName() for f in layer.fields()] if layer.isValid() else [],
            "crs": layer.crs().authid() if layer.isValid() else ""}


# --------------------------------------------------------------------------- commands


def read_vector(provider: str, uri: str, subset: str | None = None, rect: list | None = None,
                expression: str | None = None, count: bool = True) -> dict:
    """Opens a vector layer, optionally sets a subset string (which the WFS provider sends
    as an FES filter), and reads the features of a request (a rectangle and/or a QGIS
    expression) with every attribute and the geometry as WKT."""
    layer = open_vector(provider, uri)
    out = vector_summary(layer)
    if not layer.isValid():
        return out
    e = layer.extent()  # as QGIS knows it on opening: from the capabilities / collection
    out["extent"] = [e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum()]
    if subset is not None:
        out["subset_accepted"] = layer.setSubsetString(subset)
    if count:
        out["feature_count"] = layer.featureCount()
    request = QgsFeatureRequest()
    if rect is not None:
        request.setFilterRect(QgsRectangle(*rect))
    if expression is not None:
        request.setFilterExpression(expression)
    names = out["fields"]
    out["features"] = [feature_dict(f, names) for f in layer.getFeatures(request)]
    return out


def render(layers: list[dict], extent: list, crs: str, width: int, height: int, path: str,
           job: str = "parallel") -> dict:
    """Draws layers ({"kind": "raster"|"vector", "provider", "uri"}) into a PNG of the given
    size with a transparent background; returns each layer's validity and the extent QGIS
    actually drew (it widens one axis to keep the pixels square)."""
    qlayers, info = [], []
    for spec in layers:
        if spec["kind"] == "raster":
            lyr = QgsRasterLayer(spec["uri"], "raster", spec["provider"])
        else:
            lyr = QgsVectorLayer(spec["uri"], "vector", spec["provider"])
        info.append({"valid": lyr.isValid(), "error": error_text(lyr),
                     "crs": lyr.crs().authid()})
        qlayers.append(lyr)
    settings = QgsMapSettings()
    settings.setLayers(qlayers)
    settings.setDestinationCrs(QgsCoordinateReferenceSystem(crs))
    settings.setOutputSize(QSize(width, height))
    settings.setExtent(QgsRectangle(*extent))
    settings.setBackgroundColor(QColor(0, 0, 0, 0))
    settings.setOutputDpi(96)
    r = (QgsMapRendererSequentialJob if job == "sequential" else QgsMapRendererParallelJob)(settings)
    r.start()
    r.waitForFinished()
    image = r.renderedImage()
    image.save(path, "PNG")
    e = settings.visibleExtent()
    return {"layers": info, "errors": [f"{x.layerID}: {x.message}" for x in r.errors()],
            "extent": [e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum()],
            "size": [image.width(), image.height()]}


class RecordingRenderer(QgsVectorTileBasicRenderer):
    """QGIS's basic vector tile renderer that also keeps the features QGIS decoded
    (QgsVectorTileMVTDecoder, inside QgsVectorTileLayerRenderer) for each tile it draws."""

    def __init__(self, sink: list, styles):
        super().__init__()
        self.sink = sink
        self.setStyles(styles)

    def clone(self):
        return RecordingRenderer(self.sink, self.styles())

    def renderTile(self, tile, context):
        tid = tile.id()
        for layer_name in tile.layers():
            fields = [f.name() for f in tile.fields().get(layer_name, [])]
            for f in tile.layerFeatures(layer_name):
                d = feature_dict(f, fields)
                d.update(tile=[tid.zoomLevel(), tid.column(), tid.row()], layer=layer_name)
                self.sink.append(d)
        super().renderTile(tile, context)


def render_vector_tiles(uri: str, layer_name: str, fields: list[str], extent: list, width: int,
                        height: int, path: str) -> dict:
    """Draws an xyz vector tile layer in EPSG:3857 and returns what QGIS decoded.
    The basic renderer decodes only the fields its styles' filters use, so the one style
    names every wanted field in a filter that is always true."""
    layer = QgsVectorTileLayer(uri, "tiles")
    out = {"valid": layer.isValid(), "error": error_text(layer)}
    if not layer.isValid():
        return out
    recorded: list = []
    styles = []
    for geometry_type, style in zip((0, 1, 2), QgsVectorTileBasicRenderer.simpleStyle(
            QColor(200, 0, 0), QColor(200, 0, 0), 1.0, QColor(200, 0, 0), 1.0, QColor(200, 0, 0),
            QColor(200, 0, 0), 3.0)):
        style.setLayerName(layer_name)
        style.setFilterExpression(" OR ".join([f'"{n}" IS NULL OR "{n}" IS NOT NULL' for n in fields]))
        styles.append(style)
    layer.setRenderer(RecordingRenderer(recorded, styles))
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    settings.setOutputSize(QSize(width, height))
    settings.setExtent(QgsRectangle(*extent))
    settings.setBackgroundColor(QColor(0, 0, 0, 0))
    settings.setOutputDpi(96)
    image = QImage(width, height, QImage.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    job = QgsMapRendererCustomPainterJob(settings, painter)
    job.renderSynchronously()
    painter.end()
    image.save(path, "PNG")
    e = settings.visibleExtent()
    out.update(features=recorded, extent=[e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum()],
               errors=[x.message for x in job.errors()])
    return out


def edit_vector(provider: str, uri: str, add: list | None = None, change: dict | None = None,
                move: dict | None = None, delete: list | None = None, key: str = "gem_mine_id") -> dict:
    """Edits through the provider directly (layer.dataProvider()), as QGIS's editing
    buffer does on Save: addFeatures (attributes by name, geometry as WKT),
    changeAttributeValues, changeGeometryValues (WKT) and deleteFeatures of the features
    whose `key` attribute has the given values. Returns each call's result and the
    provider's errors."""
    layer = open_vector(provider, uri)
    out = vector_summary(layer)
    if not layer.isValid():
        return out
    dp = layer.dataProvider()
    out["capabilities"] = dp.capabilitiesString()
    fields = layer.fields()

    def fid_of(value) -> int | None:
        expr = QgsExpression.createFieldEqualityExpression(key, value)
        for f in layer.getFeatures(QgsFeatureRequest().setFilterExpression(expr)):
            return f.id()
        return None

    if add:
        features = []
        for spec in add:
            f = QgsFeature(fields)
            for name, value in spec["attributes"].items():
                f[name] = value
            f.setGeometry(QgsGeometry.fromWkt(spec["wkt"]))
            features.append(f)
        ok, _ = dp.addFeatures(features)
        out["add"] = ok
    if change:
        changes = {}
        for value, attrs in change.items():
            fid = fid_of(value)
            out.setdefault("change_fids", {})[value] = fid
            if fid is not None:
                changes[fid] = {fields.indexFromName(n): v for n, v in attrs.items()}
        out["change"] = dp.changeAttributeValues(changes) if changes else False
    if move:
        geometries = {}
        for value, wkt in move.items():
            fid = fid_of(value)
            out.setdefault("move_fids", {})[value] = fid
            if fid is not None:
                geometries[fid] = QgsGeometry.fromWkt(wkt)
        out["move"] = dp.changeGeometryValues(geometries) if geometries else False
    if delete:
        fids = [fid_of(v) for v in delete]
        out["delete_fids"] = fids
        out["delete"] = dp.deleteFeatures([f for f in fids if f is not None])
    out["provider_errors"] = dp.errors()
    return out


def identify(uri: str, point: list, extent: list, width: int, height: int, fmt: str) -> dict:
    """What QGIS's identify tool shows for a WMS layer at a map point: the wms provider's
    identify() (GetFeatureInfo) in QGIS's feature format (the features and their
    attributes, from GML) or as text/HTML."""
    from qgis.core import QgsPointXY, QgsRaster
    layer = QgsRasterLayer(uri, "wms", "wms")
    out = {"valid": layer.isValid(), "error": error_text(layer)}
    if not layer.isValid():
        return out
    formats = {"feature": QgsRaster.IdentifyFormatFeature, "html": QgsRaster.IdentifyFormatHtml,
               "text": QgsRaster.IdentifyFormatText}
    result = layer.dataProvider().identify(QgsPointXY(*point), formats[fmt], QgsRectangle(*extent), width, height)
    out["valid_result"] = result.isValid()
    out["capabilities"] = int(layer.dataProvider().capabilities())
    results = {}
    for key, value in result.results().items():
        if fmt == "feature":
            features = []
            for store in value:
                for f in store.features():
                    names = [fld.name() for fld in f.fields()]
                    features.append(feature_dict(f, names))
            results[str(key)] = features
        else:
            results[str(key)] = plain(value)
    out["results"] = results
    return out


def legend(uri: str, path: str) -> dict:
    """The legend QGIS shows for a WMS layer in its layer tree: the provider's
    GetLegendGraphic fetcher (QgsImageFetcher), waited for in an event loop."""
    from qgis.PyQt.QtCore import QEventLoop, QTimer
    layer = QgsRasterLayer(uri, "wms", "wms")
    out = {"valid": layer.isValid(), "error": error_text(layer)}
    if not layer.isValid():
        return out
    settings = QgsMapSettings()
    settings.setLayers([layer])
    fetcher = layer.dataProvider().getLegendGraphicFetcher(settings)
    out["supported"] = fetcher is not None
    if fetcher is None:
        return out
    got: dict = {}
    loop = QEventLoop()
    fetcher.finish.connect(lambda image: (got.update(image=QImage(image)), loop.quit()))
    fetcher.error.connect(lambda message: (got.update(fetch_error=message), loop.quit()))
    QTimer.singleShot(COMMAND_WAIT_MS, loop.quit)  # a hang ends the wait; the test then fails
    fetcher.start()
    if not got:
        loop.exec_()
    out["fetch_error"] = got.get("fetch_error", "" if got else "no answer")
    image = got.get("image")
    out["null"] = image is None or image.isNull()
    if not out["null"]:
        image.save(path, "PNG")
    return out


COMMAND_WAIT_MS = 60_000


def read_coverage(provider: str, uri: str, extent: list, width: int, height: int) -> dict:
    """Opens a raster layer (the wcs provider: DescribeCoverage, then GetCoverage for the
    block) and reads every band's block of `width` x `height` cells over `extent`, as QGIS's
    raster renderer and identify tool read them; nodata cells are None."""
    layer = QgsRasterLayer(uri, "coverage", provider)
    out = {"valid": layer.isValid(), "error": error_text(layer)}
    if not layer.isValid():
        return out
    p = layer.dataProvider()
    e = layer.extent()
    out.update(crs=layer.crs().authid(), extent=[e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum()],
               size=[p.xSize(), p.ySize()], band_count=p.bandCount(), values=[])
    for band in range(1, p.bandCount() + 1):
        block = p.block(band, QgsRectangle(*extent), width, height)
        out["values"].append([[None if block.isNoData(r, c) else block.value(r, c) for c in range(width)]
                              for r in range(height)])
    return out


def crash() -> dict:
    """Crashes QGIS as QGIS 3.22 itself does (QgsError.summary() of an empty error), for
    the test of the harness."""
    QgsVectorLayer("Point?crs=EPSG:4326", "empty", "memory").error().summary()
    return {"crashed": False}


COMMANDS = {"crash": crash, "read_coverage": read_coverage, "read_vector": read_vector, "render": render, "identify": identify, "legend": legend,
            "render_vector_tiles": render_vector_tiles, "edit_vector": edit_vector}


def main() -> None:
    faulthandler.enable()  # a crash leaves the Python stack in stderr
    reply = os.fdopen(int(sys.argv[1]), "w", buffering=1)
    app = QgsApplication([], False)
    app.initQgis()
    QgsApplication.messageLog().messageReceived.connect(_log)
    for line in sys.stdin:
        request = json.loads(line)
        MESSAGES.clear()
        try:
            result = {"ok": True, "result": COMMANDS[request["command"]](**request["args"])}
        except Exception:  # the test sees the traceback as its failure
            result = {"ok": False, "error": traceback.format_exc()}
        QgsApplication.processEvents()
        result["messages"] = MESSAGES[-50:]
        reply.write(json.dumps(result) + "\n")
    app.exitQgis()


if __name__ == "__main__":
    main()
