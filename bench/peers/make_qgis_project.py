#!/usr/bin/python3
"""Write the QGIS Server 3.22 project of bench/peer_postgis.py, headless (PyQGIS).

  QT_QPA_PLATFORM=offscreen make_qgis_project.py PGCONN OUT.qgs BASE_URL

PGCONN is a libpq keyword string (host=… port=… dbname=… user=…). The layers are the
tables `amis import` wrote into PostGIS: amis_data.occurrences (points) and
amis_data.licences (polygons), geometry column geom, key fid, EPSG:4326; published for
WMS, WFS and OGC API - Features ("WFS3"). Derived from
../shared/peers/qgis/make_project.py (same service settings; one symbol per layer).
"""
import sys

from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsDataSourceUri,
                       QgsFillSymbol, QgsMarkerSymbol, QgsProject, QgsSingleSymbolRenderer,
                       QgsVectorLayer, QgsWkbTypes)

PGCONN, OUT, BASE = sys.argv[1], sys.argv[2], sys.argv[3].rstrip("/")


def layer(table, wkb_type, title):
    uri = QgsDataSourceUri(PGCONN)
    uri.setDataSource("amis_data", table, "geom", "", "fid")
    uri.setSrid("4326")
    uri.setWkbType(wkb_type)
    uri.setKeyColumn("fid")
    uri.setUseEstimatedMetadata(True)
    lyr = QgsVectorLayer(uri.uri(False), table, "postgres")
    if not lyr.isValid():
        sys.exit("cannot open amis_data.%s through %s" % (table, PGCONN))
    lyr.setTitle(title)
    return lyr


app = QgsApplication([], False)
app.initQgis()
prj = QgsProject.instance()
prj.setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
prj.setTitle("Minerals (synthetic ASEAN+3 test data, PostGIS)")

occ = layer("occurrences", QgsWkbTypes.Point, "Mineral occurrences")
lic = layer("licences", QgsWkbTypes.Polygon, "Mining licences")
occ.setRenderer(QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(
    {"name": "circle", "color": "205,100,40", "size": "4", "size_unit": "Pixel", "outline_style": "no"})))
lic.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
    {"color": "250,160,60,102", "outline_color": "200,90,20", "outline_width": "1",
     "outline_width_unit": "Pixel"})))
prj.addMapLayer(lic)
prj.addMapLayer(occ)

ids = [occ.id(), lic.id()]
prj.writeEntry("Paths", "/Absolute", True)
prj.writeEntryBool("WMSServiceCapabilities", "/", True)
prj.writeEntry("WMSServiceTitle", "/", "Minerals (synthetic ASEAN+3 test data, PostGIS)")
prj.writeEntry("WMSOnlineResource", "/", BASE + "/qgisserver")
prj.writeEntry("WMSUrl", "/", BASE + "/qgisserver")
prj.writeEntry("WMSCrsList", "/", ["EPSG:4326", "EPSG:3857", "CRS:84"])
prj.writeEntry("WMSExtent", "/", ["92", "-11", "146", "46"])
prj.writeEntry("WMSMaxWidth", "/", "4096")
prj.writeEntry("WMSMaxHeight", "/", "4096")
prj.writeEntry("WFSUrl", "/", BASE + "/qgisserver")
prj.writeEntry("WFSLayers", "/", ids)
for i in ids:
    prj.writeEntry("WFSLayersPrecision", "/" + i, 6)
prj.writeEntry("WCSLayers", "/", [])
if not prj.write(OUT):
    sys.exit("could not write " + OUT)
print("wrote %s (layers %s)" % (OUT, ", ".join(ids)))
app.exitQgis()
