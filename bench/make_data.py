#!/usr/bin/python3
"""Generate the synthetic benchmark GeoPackage (deterministic).

  /usr/bin/python3 bench/make_data.py OUT.gpkg [N_POINTS=200000] [N_POLYGONS=20000] [--seed 20240601]

Layers, EPSG:4326 with lon/lat axis order in the file, fid == id, R-tree on both:

  occurrences  N_POINTS mineral-occurrence points over the ASEAN+3 box lon 92..146,
               lat -11..46.  70 % are clustered around 40 "belts" per country, 30 %
               are uniform inside the country's rough extent.  Fields: id, name,
               commodity (20 values), country_iso3 (13 ASEAN+3 codes), status,
               deposit_type, discovered_year, tonnage_mt, grade (tonnage/grade NULL
               for about a quarter of the rows), updated (UTC datetime, whole seconds).
  licences     N_POLYGONS valid 6..10-vertex star-shaped polygons around the same
               belts.  Fields: id, licence_no, holder, country_iso3, licence_type,
               commodity, status, granted, expires, area_km2.

Plus attribute indexes on occurrences(id), occurrences(commodity), licences(id).

The schema and the random draws follow the peer servers' generator
(/work/shared/peers/make_data.sh) draw for draw, so with the same seed and sizes
this writes the same features; the file itself is byte-identical from run to run
(fixed seed, fixed OGR_CURRENT_DATE).  Needs Debian's python3-gdal: run it with
/usr/bin/python3, not a pyenv python.
"""
import argparse
import math
import os
import random
import sys
import time

try:
    from osgeo import gdal, ogr, osr
except ImportError:
    sys.exit("make_data.py: no osgeo module; run it with /usr/bin/python3 (apt-get install python3-gdal)")

BBOX = (92.0, -11.0, 146.0, 46.0)

# iso3, rough extent (minx, miny, maxx, maxy) clamped to BBOX, sampling weight
COUNTRIES = [
    ("CHN", 92.0, 18.2, 134.8, 46.0, 30),
    ("IDN", 95.0, -11.0, 141.0, 5.9, 18),
    ("PHL", 116.9, 4.6, 126.6, 21.1, 8),
    ("VNM", 102.1, 8.4, 109.5, 23.4, 7),
    ("MMR", 92.2, 9.8, 101.2, 28.5, 7),
    ("THA", 97.3, 5.6, 105.6, 20.5, 6),
    ("MYS", 99.6, 0.85, 119.3, 7.4, 6),
    ("JPN", 129.4, 31.0, 145.9, 45.5, 6),
    ("LAO", 100.1, 13.9, 107.7, 22.5, 4),
    ("KOR", 126.1, 34.0, 129.6, 38.6, 3),
    ("KHM", 102.3, 10.4, 107.6, 14.7, 3),
    ("BRN", 114.0, 4.0, 115.4, 5.1, 1),
    ("SGP", 103.6, 1.16, 104.1, 1.47, 1),
]

# commodity, weight, deposit types, tonnage lognormal (mu, sigma), grade range
COMMODITIES = [
    ("Au", 14, ["orogenic gold", "epithermal", "porphyry Cu-Au", "placer"], (0.5, 1.6), (0.5, 12.0)),
    ("Cu", 10, ["porphyry Cu-Au", "skarn", "VMS", "sediment-hosted Cu"], (2.5, 1.8), (0.2, 3.5)),
    ("Ni", 5, ["magmatic Ni-Cu-PGE", "laterite"], (2.0, 1.5), (0.5, 3.0)),
    ("Nickel laterite", 5, ["laterite"], (3.0, 1.4), (0.8, 2.2)),
    ("Sn", 6, ["greisen", "placer", "skarn", "pegmatite"], (0.3, 1.5), (0.1, 1.5)),
    ("Fe", 7, ["BIF", "skarn", "magmatic Fe-Ti-V", "IOCG"], (3.5, 1.7), (25.0, 65.0)),
    ("Bauxite", 4, ["lateritic bauxite", "karst bauxite"], (3.0, 1.5), (35.0, 55.0)),
    ("REE", 3, ["ion-adsorption clay", "carbonatite", "placer"], (1.0, 1.7), (0.05, 3.0)),
    ("Coal", 9, ["coal seam"], (4.0, 2.0), (3500.0, 7000.0)),
    ("Zn", 4, ["MVT", "SEDEX", "VMS", "skarn"], (2.0, 1.6), (2.0, 15.0)),
    ("Pb", 3, ["MVT", "SEDEX", "vein"], (1.5, 1.6), (1.0, 10.0)),
    ("Mn", 3, ["sedimentary Mn", "supergene Mn"], (1.8, 1.5), (20.0, 50.0)),
    ("Cr", 2, ["podiform chromite", "stratiform chromite"], (0.8, 1.4), (20.0, 50.0)),
    ("Co", 2, ["laterite", "magmatic Ni-Cu-PGE"], (1.0, 1.5), (0.05, 0.3)),
    ("W", 3, ["skarn", "greisen", "vein"], (0.5, 1.5), (0.1, 1.2)),
    ("Ag", 3, ["epithermal", "vein", "VMS"], (0.5, 1.6), (50.0, 800.0)),
    ("Li", 2, ["pegmatite", "brine", "clay"], (1.5, 1.6), (0.3, 2.0)),
    ("Gypsum", 2, ["evaporite"], (2.0, 1.5), (70.0, 98.0)),
    ("Limestone", 7, ["sedimentary carbonate"], (4.0, 1.6), (85.0, 99.0)),
    ("Kaolin", 3, ["residual kaolin", "hydrothermal kaolin"], (1.5, 1.4), (15.0, 40.0)),
]
STATUSES = (["occurrence", "prospect", "deposit", "mine", "closed mine"], [45, 25, 15, 10, 5])
LICENCE_TYPES = (["exploration", "mining", "prospecting", "quarry", "small-scale mining"], [45, 25, 15, 10, 5])
LICENCE_STATUSES = (["active", "pending", "expired", "suspended"], [60, 15, 20, 5])
HOLDER_SUFFIXES = ["Mining Corp", "Resources Ltd", "Minerals", "Metals Co", "Exploration Pty",
                   "Group", "Holdings", "Tambang", "Kuang Ye", "Kogyo"]
SYLLABLES = ["ba", "bu", "ka", "ki", "ta", "to", "na", "ma", "la", "li", "sa", "si", "ra", "ri",
             "pa", "po", "ha", "ho", "ya", "yo", "da", "de", "ga", "go", "wa", "lo", "chan", "shan",
             "hua", "long", "jin", "tan", "kim", "pak", "nam", "son", "bang", "kuala", "sung", "mae"]
FEATURES = ["Hill", "Creek", "Ridge", "Valley", "River", "Mountain", "Bukit", "Sungai", "Gunung",
            "Phu", "Doi", "Shan", "Yama", "San", "Lake", "Bay", "Pass", "Plateau"]
UPDATED_EPOCH = 1420070400          # 2015-01-01T00:00:00Z
UPDATED_SPAN = 10 * 365 * 86400     # .. 2024-12-29


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.country_w = [c[5] for c in COUNTRIES]
        self.commodity_w = [c[1] for c in COMMODITIES]

    def place_name(self):
        rng = self.rng
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        return word.capitalize() + " " + rng.choice(FEATURES)

    def make_belts(self):
        # 40 cluster centres ("mineral belts") per country: (x, y, radius in degrees)
        rng = self.rng
        self.belts = {c[0]: [(rng.uniform(c[1], c[3]), rng.uniform(c[2], c[4]), rng.uniform(0.1, 1.5))
                             for _ in range(40)] for c in COUNTRIES}

    def occurrence(self, i):
        rng = self.rng
        c = rng.choices(COUNTRIES, self.country_w)[0]
        if rng.random() < 0.7:
            bx, by, br = rng.choice(self.belts[c[0]])
            x = min(max(rng.gauss(bx, br), c[1]), c[3])
            y = min(max(rng.gauss(by, br), c[2]), c[4])
        else:
            x, y = rng.uniform(c[1], c[3]), rng.uniform(c[2], c[4])
        cm = rng.choices(COMMODITIES, self.commodity_w)[0]
        st = rng.choices(*STATUSES)[0]
        row = {
            "id": i,
            "name": "%s %s %s" % (self.place_name(), cm[0], st if st != "closed mine" else "mine (closed)"),
            "commodity": cm[0],
            "country_iso3": c[0],
            "status": st,
            "deposit_type": rng.choice(cm[2]),
            "discovered_year": rng.randint(1880, 2023),
        }
        if st == "occurrence" and rng.random() < 0.6:
            row["tonnage_mt"] = row["grade"] = None
        else:
            mu, sigma = cm[3]
            row["tonnage_mt"] = round(math.exp(rng.gauss(mu, sigma)) / 10.0, 3)
            row["grade"] = round(rng.uniform(*cm[4]), 3)
        row["updated"] = time.gmtime(UPDATED_EPOCH + rng.randint(0, UPDATED_SPAN))
        return row, (round(x, 6), round(y, 6))

    def licence(self, i):
        rng = self.rng
        c = rng.choices(COUNTRIES, self.country_w)[0]
        bx, by, br = rng.choice(self.belts[c[0]])
        cx = min(max(rng.gauss(bx, br * 1.5), c[1]), c[3])
        cy = min(max(rng.gauss(by, br * 1.5), c[2]), c[4])
        nv = rng.randint(6, 10)
        r = min(math.exp(rng.gauss(math.log(0.05), 0.8)), 0.6)   # degrees, median ~5.5 km
        # evenly spaced, jittered angles (every gap < pi): a simple, star-shaped ring
        step = 2 * math.pi / nv
        a0 = rng.uniform(0, step)
        angles = [a0 + k * step + rng.uniform(-0.3, 0.3) * step for k in range(nv)]
        coslat = max(math.cos(math.radians(cy)), 0.2)
        # move the centre so that the whole polygon stays inside BBOX
        mx = 2.0 * r / coslat
        cx = min(max(cx, BBOX[0] + mx), BBOX[2] - mx)
        cy = min(max(cy, BBOX[1] + r), BBOX[3] - r)
        coslat = max(math.cos(math.radians(cy)), 0.2)
        ring = []
        for a in angles:
            rr = r * rng.uniform(0.55, 1.0)
            ring.append((round(cx + rr * math.cos(a) / coslat, 6), round(cy + rr * math.sin(a), 6)))
        row = {
            "id": i,
            "licence_no": "%s-%s-%06d" % (c[0], rng.choice(["EL", "ML", "PL", "QL", "SL"]), i),
            "holder": "%s %s" % (self.place_name().split()[0], rng.choice(HOLDER_SUFFIXES)),
            "country_iso3": c[0],
            "licence_type": rng.choices(*LICENCE_TYPES)[0],
            "commodity": rng.choices(COMMODITIES, self.commodity_w)[0][0],
            "status": rng.choices(*LICENCE_STATUSES)[0],
        }
        gy, gm, gd = rng.randint(1990, 2024), rng.randint(1, 12), rng.randint(1, 28)
        row["granted"] = (gy, gm, gd)
        row["expires"] = (gy + rng.choice([3, 5, 10, 20, 30]), gm, gd)
        return row, ring, cy


def add_fields(layer, fields):
    for name, ftype, width in fields:
        d = ogr.FieldDefn(name, ftype)
        if width:
            d.SetWidth(width)
        layer.CreateField(d)


def new_gpkg(path, current_date):
    """An empty GeoPackage at `path` (any old one and its journals removed) and the EPSG:4326
    SRS in lon/lat order for its layers; gpkg_contents.last_change is fixed to `current_date`,
    so that the same inputs give the same bytes."""
    gdal.UseExceptions()
    ogr.UseExceptions()
    gdal.SetConfigOption("OGR_CURRENT_DATE", current_date)
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return ogr.GetDriverByName("GPKG").CreateDataSource(path), srs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("n_points", nargs="?", type=int, default=200000)
    ap.add_argument("n_polygons", nargs="?", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=20240601)
    a = ap.parse_args()

    t0 = time.time()
    ds, srs = new_gpkg(a.out, "2024-06-01T00:00:00.000Z")
    gen = Generator(a.seed)
    gen.make_belts()

    # --- occurrences
    occ = ds.CreateLayer("occurrences", srs, ogr.wkbPoint,
                         options=["FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES",
                                  "IDENTIFIER=Mineral occurrences (synthetic)"])
    add_fields(occ, [("id", ogr.OFTInteger, 0), ("name", ogr.OFTString, 80),
                     ("commodity", ogr.OFTString, 20), ("country_iso3", ogr.OFTString, 3),
                     ("status", ogr.OFTString, 12), ("deposit_type", ogr.OFTString, 40),
                     ("discovered_year", ogr.OFTInteger, 0), ("tonnage_mt", ogr.OFTReal, 0),
                     ("grade", ogr.OFTReal, 0), ("updated", ogr.OFTDateTime, 0)])
    defn = occ.GetLayerDefn()
    ds.StartTransaction()
    for i in range(1, a.n_points + 1):
        row, (x, y) = gen.occurrence(i)
        f = ogr.Feature(defn)
        f.SetFID(i)
        for k, v in row.items():
            if k == "updated":
                f.SetField(k, v.tm_year, v.tm_mon, v.tm_mday, v.tm_hour, v.tm_min, v.tm_sec, 100)  # 100 = UTC
            elif v is None:
                f.SetFieldNull(k)
            else:
                f.SetField(k, v)
        g = ogr.Geometry(ogr.wkbPoint)
        g.AddPoint_2D(x, y)
        f.SetGeometryDirectly(g)
        occ.CreateFeature(f)
        if i % 50000 == 0:
            ds.CommitTransaction()
            ds.StartTransaction()
    ds.CommitTransaction()

    # --- licences
    lic = ds.CreateLayer("licences", srs, ogr.wkbPolygon,
                         options=["FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES",
                                  "IDENTIFIER=Mining licences (synthetic)"])
    add_fields(lic, [("id", ogr.OFTInteger, 0), ("licence_no", ogr.OFTString, 24),
                     ("holder", ogr.OFTString, 80), ("country_iso3", ogr.OFTString, 3),
                     ("licence_type", ogr.OFTString, 24), ("commodity", ogr.OFTString, 20),
                     ("status", ogr.OFTString, 12), ("granted", ogr.OFTDate, 0),
                     ("expires", ogr.OFTDate, 0), ("area_km2", ogr.OFTReal, 0)])
    ldefn = lic.GetLayerDefn()
    n_hull = 0
    ds.StartTransaction()
    for i in range(1, a.n_polygons + 1):
        row, ring_pts, cy = gen.licence(i)
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for p in ring_pts + ring_pts[:1]:
            ring.AddPoint_2D(*p)
        poly = ogr.Geometry(ogr.wkbPolygon)
        poly.AddGeometryDirectly(ring)
        if not poly.IsValid():          # cannot happen for these rings; stay valid regardless
            n_hull += 1
            poly = poly.ConvexHull()
        f = ogr.Feature(ldefn)
        f.SetFID(i)
        for k, v in row.items():
            if k in ("granted", "expires"):
                f.SetField(k, v[0], v[1], v[2], 0, 0, 0, 0)
            else:
                f.SetField(k, v)
        kx = 111.32 * math.cos(math.radians(cy))      # planar area approximation, km2
        f.SetField("area_km2", round(poly.GetArea() * kx * 110.57, 3))
        f.SetGeometryDirectly(poly)
        lic.CreateFeature(f)
    ds.CommitTransaction()

    for sql in ("CREATE UNIQUE INDEX occurrences_id_idx ON occurrences(id)",
                "CREATE INDEX occurrences_commodity_idx ON occurrences(commodity)",
                "CREATE UNIQUE INDEX licences_id_idx ON licences(id)"):
        ds.ExecuteSQL(sql)
    ds = None

    if n_hull:
        print("licences: %d invalid rings replaced by their convex hull" % n_hull)
    ds = ogr.Open(a.out)
    for name in ("occurrences", "licences"):
        lyr = ds.GetLayerByName(name)
        print("%s: %d features, extent %s" % (name, lyr.GetFeatureCount(),
                                              tuple(round(v, 3) for v in lyr.GetExtent())))
    ds = None
    print("wrote %s (%.1f MB) in %.1f s" % (a.out, os.path.getsize(a.out) / 1e6, time.time() - t0))


if __name__ == "__main__":
    main()
