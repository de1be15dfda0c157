#!/usr/bin/python3
"""Generate the investor-search bench/test data (deterministic): one GeoPackage with

  deposits   N_DEPOSITS points: name, commodity (make_data.py's 20), iso3, status, deposit_type,
             tonnage_mt, grade (tonnage and grade NULL for about a tenth), clustered on
             "mineral belts" per country as make_data.py's occurrences are
  licences   N_LICENCES star-shaped 6..10-vertex polygons around the same belts: licence_no,
             holder, iso3, licence_type, commodity, status (active 60 %, pending, expired,
             suspended), granted, expires
  ports      N_PORTS points spread over the countries' extents, a third on belts: name,
             iso3, port_type (seaport, river port, bulk terminal), max_draught_m

  /usr/bin/python3 bench/make_invest_data.py OUT.gpkg [N_DEPOSITS=100000] [N_LICENCES=20000]
                                             [N_PORTS=500] [--seed 20261205]

EPSG:4326, lon/lat in the file, fid = id, an R-tree per layer. The same seed and sizes give
the same features (synthetic, never committed: DESIGN.md).
"""
import argparse
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_data import COUNTRIES, Generator, add_fields, new_gpkg  # noqa: E402  (the same belts and vocabularies)

try:
    from osgeo import ogr
except ImportError:
    sys.exit("make_invest_data.py: no osgeo module; run it with /usr/bin/python3 (apt-get install python3-gdal)")

PORT_TYPES = (["seaport", "river port", "bulk terminal"], [60, 15, 25])


def deposit(gen, i):
    row, xy = gen.occurrence(i)
    row["iso3"] = row.pop("country_iso3")
    for k in ("discovered_year", "updated"):
        row.pop(k)
    if row["tonnage_mt"] is None and gen.rng.random() < 0.7:  # deposits more often have a tonnage
        mu, sigma = (1.5, 1.8)
        row["tonnage_mt"] = round(math.exp(gen.rng.gauss(mu, sigma)) / 10.0, 3)
    return row, xy


def licence(gen, i):
    row, ring, _ = gen.licence(i)
    row["iso3"] = row.pop("country_iso3")
    return row, ring


def port(gen, i):
    rng = gen.rng
    c = rng.choices(COUNTRIES, gen.country_w)[0]
    if rng.random() < 0.35:
        bx, by, br = rng.choice(gen.belts[c[0]])
        x = min(max(rng.gauss(bx, br * 2), c[1]), c[3])
        y = min(max(rng.gauss(by, br * 2), c[2]), c[4])
    else:
        x, y = rng.uniform(c[1], c[3]), rng.uniform(c[2], c[4])
    kind = rng.choices(*PORT_TYPES)[0]
    row = {"id": i, "name": "Port of " + gen.place_name().split()[0], "iso3": c[0], "port_type": kind,
           "max_draught_m": round(rng.uniform(4.0, 9.0) if kind == "river port" else rng.uniform(8.0, 22.0), 1)}
    return row, (round(x, 6), round(y, 6))


def write(ds, name, srs, gtype, fields, rows, geometry):
    layer = ds.CreateLayer(name, srs, gtype, options=["FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES"])
    add_fields(layer, fields)
    defn = layer.GetLayerDefn()
    ds.StartTransaction()
    for n, (row, shape) in enumerate(rows, start=1):
        f = ogr.Feature(defn)
        f.SetFID(row["id"])
        for k, v in row.items():
            if v is None:
                f.SetFieldNull(k)
            elif k in ("granted", "expires"):
                f.SetField(k, v[0], v[1], v[2], 0, 0, 0, 0)
            else:
                f.SetField(k, v)
        f.SetGeometryDirectly(geometry(shape))
        layer.CreateFeature(f)
        if n % 50000 == 0:
            ds.CommitTransaction()
            ds.StartTransaction()
    ds.CommitTransaction()


def point(xy):
    g = ogr.Geometry(ogr.wkbPoint)
    g.AddPoint_2D(*xy)
    return g


def polygon(ring_pts):
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for p in ring_pts + ring_pts[:1]:
        ring.AddPoint_2D(*p)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometryDirectly(ring)
    return poly if poly.IsValid() else poly.ConvexHull()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("n_deposits", nargs="?", type=int, default=100000)
    ap.add_argument("n_licences", nargs="?", type=int, default=20000)
    ap.add_argument("n_ports", nargs="?", type=int, default=500)
    ap.add_argument("--seed", type=int, default=20261205)
    a = ap.parse_args()
    t0 = time.time()
    ds, srs = new_gpkg(a.out, "2026-12-05T00:00:00.000Z")
    gen = Generator(a.seed)
    gen.make_belts()
    write(ds, "deposits", srs, ogr.wkbPoint,
          [("id", ogr.OFTInteger, 0), ("name", ogr.OFTString, 80), ("commodity", ogr.OFTString, 20),
           ("status", ogr.OFTString, 12), ("deposit_type", ogr.OFTString, 40), ("tonnage_mt", ogr.OFTReal, 0),
           ("grade", ogr.OFTReal, 0), ("iso3", ogr.OFTString, 3)],
          (deposit(gen, i) for i in range(1, a.n_deposits + 1)), point)
    write(ds, "licences", srs, ogr.wkbPolygon,
          [("id", ogr.OFTInteger, 0), ("licence_no", ogr.OFTString, 24), ("holder", ogr.OFTString, 80),
           ("licence_type", ogr.OFTString, 24), ("commodity", ogr.OFTString, 20), ("status", ogr.OFTString, 12),
           ("granted", ogr.OFTDate, 0), ("expires", ogr.OFTDate, 0), ("iso3", ogr.OFTString, 3)],
          (licence(gen, i) for i in range(1, a.n_licences + 1)), polygon)
    write(ds, "ports", srs, ogr.wkbPoint,
          [("id", ogr.OFTInteger, 0), ("name", ogr.OFTString, 60), ("iso3", ogr.OFTString, 3),
           ("port_type", ogr.OFTString, 16), ("max_draught_m", ogr.OFTReal, 0)],
          (port(gen, i) for i in range(1, a.n_ports + 1)), point)
    ds = None
    ds = ogr.Open(a.out)
    for name in ("deposits", "licences", "ports"):
        print("%s: %d features" % (name, ds.GetLayerByName(name).GetFeatureCount()))
    print("wrote %s (%.1f MB) in %.1f s" % (a.out, os.path.getsize(a.out) / 1e6, time.time() - t0))


if __name__ == "__main__":
    main()
