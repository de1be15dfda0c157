#!/usr/bin/python3
"""Writes the demo's generated coverages into OUT_DIR (sources and licences in data/demo/README.md):

  igrf_main_field.tif  the IGRF-12 geomagnetic main field at epoch 2015.0, at sea level (height 0 on
                       the WGS 84 ellipsoid), five Float32 bands F, H, Z (nT), D, I (degrees), 0.25 degree
                       cells on the window of asean3_egm96_geoid_15min.tif;
  country_codes.tif    the ASEAN+3 countries of asean3_countries.geojson rasterised to their ISO 3166-1
                       numeric code (Int16, nodata 0), 0.05 degree cells on the same window.

The IGRF coefficients are read from Debian's casacore-data-igrf (a casacore table, read with
python3-casacore). The synthesis follows the model's published definition (IAGA Working Group V-MOD,
Thébault et al. 2015, Earth Planets Space 67:79): a scalar potential in spherical harmonics of degree
13 with Schmidt semi-normalised associated Legendre functions, evaluated at geocentric coordinates and
rotated back to the geodetic north/east/down frame. Same inputs, same bytes: no dates are written.

Usage: /usr/bin/python3 scripts/make_demo_coverages.py OUT_DIR
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from osgeo import gdal, ogr

gdal.UseExceptions()
ogr.UseExceptions()

REPO = Path(__file__).resolve().parents[1]
COUNTRIES = REPO / "data" / "demo" / "asean3_countries.geojson"
IGRF_TABLE = "/usr/share/casacore/data/geodetic/IGRF"

# The window of the demo geoid (gdalinfo data/demo/asean3_egm96_geoid_15min.tif): cell edges.
WEST, EAST, SOUTH, NORTH = 72.875, 154.875, -11.875, 55.125
IGRF_CELL = 0.25
COUNTRY_CELL = 0.05

EPOCH = 2015.0
DEGREE = 13            # IGRF-12 main field: degree and order 13
REFERENCE_RADIUS = 6371.2  # km, the IGRF's geomagnetic reference radius
WGS84_A = 6378.137     # km
WGS84_F = 1 / 298.257223563

IGRF_BANDS = [
    ("F", "nT", "total intensity of the main field"),
    ("H", "nT", "horizontal intensity"),
    ("Z", "nT", "vertical component, positive down"),
    ("D", "deg", "declination, east of geodetic north positive"),
    ("I", "deg", "inclination (dip), below the horizontal positive"),
]

# ISO 3166-1 numeric codes, as in the geojson's iso_n3 column (the cell value of country_codes.tif).
COUNTRY_CODES = {
    "BRN": 96, "KHM": 116, "IDN": 360, "LAO": 418, "MYS": 458, "MMR": 104, "PHL": 608,
    "SGP": 702, "THA": 764, "VNM": 704, "CHN": 156, "JPN": 392, "KOR": 410,
}


def mjd_to_year(mjd: float) -> float:
    return 2000.0 + (mjd - 51544.5) / 365.25


def read_igrf_coefficients(epoch: float) -> tuple[np.ndarray, np.ndarray]:
    """The Gauss coefficients (g, h) in nT of the table row at `epoch`, as (DEGREE+1)^2 arrays
    indexed [n, m]. The table stores each row as g(1,0) g(1,1) h(1,1) g(2,0) g(2,1) h(2,1) ..."""
    import casacore.tables as ct

    table = ct.table(IGRF_TABLE, ack=False)
    try:
        years = [mjd_to_year(m) for m in table.getcol("MJD")]
        row = int(np.argmin([abs(y - epoch) for y in years]))
        if abs(years[row] - epoch) > 0.01:
            raise SystemExit(f"no IGRF row at epoch {epoch} in {IGRF_TABLE} (rows: {years[0]:.1f}..{years[-1]:.1f})")
        coef = np.asarray(table.getcell("COEF", row), dtype=np.float64)
        kind = table.getkeyword("VS_TYPE")
    finally:
        table.close()
    if "IGRF12" not in kind.replace("-", "").replace(" ", "") or coef.size != DEGREE * (DEGREE + 2):
        raise SystemExit(f"{IGRF_TABLE} is not the IGRF-12 table of degree {DEGREE}: {kind!r}, {coef.size} coefficients")
    g = np.zeros((DEGREE + 1, DEGREE + 1))
    h = np.zeros((DEGREE + 1, DEGREE + 1))
    k = 0
    for n in range(1, DEGREE + 1):
        g[n, 0] = coef[k]
        k += 1
        for m in range(1, n + 1):
            g[n, m], h[n, m] = coef[k], coef[k + 1]
            k += 2
    return g, h


def schmidt_legendre(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Schmidt semi-normalised P(n, m)(cos theta) and their derivatives by theta, as arrays
    [n, m, ...], from the standard recurrences (no Condon-Shortley phase):
      P(n, n) = sqrt((2n-1)/2n) sin(theta) P(n-1, n-1) for n >= 2, with P(1, 1) = sin(theta);
      P(n, m) = ((2n-1) cos(theta) P(n-1, m) - sqrt((n-1)^2 - m^2) P(n-2, m)) / sqrt(n^2 - m^2)."""
    c, s = np.cos(theta), np.sin(theta)
    p = np.zeros((DEGREE + 1, DEGREE + 1) + theta.shape)
    dp = np.zeros_like(p)
    p[0, 0] = 1.0
    for n in range(1, DEGREE + 1):
        if n == 1:
            p[1, 1], dp[1, 1] = s, c
        else:
            k = np.sqrt((2 * n - 1) / (2 * n))
            p[n, n] = k * s * p[n - 1, n - 1]
            dp[n, n] = k * (c * p[n - 1, n - 1] + s * dp[n - 1, n - 1])
        for m in range(0, n):
            a = np.sqrt(n * n - m * m)
            b = np.sqrt((n - 1) ** 2 - m * m) if n >= 2 else 0.0
            p_nm2 = p[n - 2, m] if n >= 2 else 0.0
            dp_nm2 = dp[n - 2, m] if n >= 2 else 0.0
            p[n, m] = ((2 * n - 1) * c * p[n - 1, m] - b * p_nm2) / a
            dp[n, m] = ((2 * n - 1) * (c * dp[n - 1, m] - s * p[n - 1, m]) - b * dp_nm2) / a
    return p, dp


def geodetic_to_geocentric(lat_deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Geocentric radius (km) and latitude (radians) of points at height 0 on the WGS 84 ellipsoid."""
    lat = np.radians(lat_deg)
    e2 = WGS84_F * (2 - WGS84_F)
    n = WGS84_A / np.sqrt(1 - e2 * np.sin(lat) ** 2)
    rho = n * np.cos(lat)
    z = n * (1 - e2) * np.sin(lat)
    return np.hypot(rho, z), np.arctan2(z, rho)


def main_field(lon_deg: np.ndarray, lat_deg: np.ndarray, g: np.ndarray, h: np.ndarray) -> dict[str, np.ndarray]:
    """F, H, Z (nT), D, I (degrees) at geodetic (lon, lat), height 0.

    With V = a sum_n (a/r)^(n+1) sum_m (g cos m.phi + h sin m.phi) P(n, m)(cos theta) and B = -grad V:
      X (north) =  (1/r) dV/dtheta, Y (east) = -(1/(r sin theta)) dV/dphi, Z (down) = dV/dr,
    in the geocentric frame; then rotated by (geodetic - geocentric latitude) in the meridian plane."""
    r, lat_c = geodetic_to_geocentric(lat_deg)
    theta = np.pi / 2 - lat_c
    phi = np.radians(lon_deg)
    p, dp = schmidt_legendre(theta)
    x = np.zeros_like(theta)
    y = np.zeros_like(theta)
    z = np.zeros_like(theta)
    for n in range(1, DEGREE + 1):
        ratio = (REFERENCE_RADIUS / r) ** (n + 2)
        for m in range(0, n + 1):
            cos_m, sin_m = np.cos(m * phi), np.sin(m * phi)
            term = g[n, m] * cos_m + h[n, m] * sin_m
            x += ratio * term * dp[n, m]
            y += ratio * m * (g[n, m] * sin_m - h[n, m] * cos_m) * p[n, m] / np.sin(theta)
            z -= ratio * (n + 1) * term * p[n, m]
    psi = np.radians(lat_deg) - lat_c
    x, z = x * np.cos(psi) + z * np.sin(psi), z * np.cos(psi) - x * np.sin(psi)
    horizontal = np.hypot(x, y)
    return {
        "F": np.hypot(horizontal, z),
        "H": horizontal,
        "Z": z,
        "D": np.degrees(np.arctan2(y, x)),
        "I": np.degrees(np.arctan2(z, horizontal)),
    }


def grid(cell: float) -> tuple[int, int, tuple]:
    width = int(round((EAST - WEST) / cell))
    height = int(round((NORTH - SOUTH) / cell))
    return width, height, (WEST, cell, 0.0, NORTH, 0.0, -cell)


def create(path: Path, width: int, height: int, bands: int, dtype: int, geotransform: tuple,
           metadata: dict[str, str]) -> gdal.Dataset:
    options = ["COMPRESS=DEFLATE", "TILED=YES", "PREDICTOR=" + ("3" if dtype == gdal.GDT_Float32 else "2")]
    ds = gdal.GetDriverByName("GTiff").Create(str(path), width, height, bands, dtype, options=options)
    ds.SetGeoTransform(geotransform)
    ds.SetProjection('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
                     'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]')
    ds.SetMetadata(metadata)
    return ds


def write_igrf(out: Path) -> None:
    g, h = read_igrf_coefficients(EPOCH)
    width, height, gt = grid(IGRF_CELL)
    lon = gt[0] + (np.arange(width) + 0.5) * gt[1]
    lat = gt[3] + (np.arange(height) + 0.5) * gt[5]
    lon2, lat2 = np.meshgrid(lon, lat)
    field = main_field(lon2, lat2, g, h)
    ds = create(out, width, height, len(IGRF_BANDS), gdal.GDT_Float32, gt, {
        "TITLE": f"IGRF-12 geomagnetic main field at epoch {EPOCH}, height 0 on WGS 84, ASEAN+3 window",
        "SOURCE": "IGRF-12 Gauss coefficients (IAGA Working Group V-MOD), Debian package casacore-data-igrf 12-1; "
                  "synthesised by scripts/make_demo_coverages.py",
        "LICENSE": "Public domain (IGRF coefficients; debian/copyright of casacore-data-igrf)",
    })
    for i, (name, unit, description) in enumerate(IGRF_BANDS, start=1):
        band = ds.GetRasterBand(i)
        band.WriteArray(field[name].astype(np.float32))
        band.SetDescription(name)
        band.SetUnitType(unit)
        band.SetMetadataItem("long_name", description)
    ds = None


def write_country_codes(out: Path) -> None:
    width, height, gt = grid(COUNTRY_CELL)
    ds = create(out, width, height, 1, gdal.GDT_Int16, gt, {
        "TITLE": "ASEAN+3 country codes (ISO 3166-1 numeric), 0.05 degree grid",
        "SOURCE": "Natural Earth 1:10m admin-0 countries (data/demo/asean3_countries.geojson), "
                  "rasterised by cell centre by scripts/make_demo_coverages.py",
        "LICENSE": "Public domain (Natural Earth)",
    })
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(0)
    band.Fill(0)
    band.SetDescription("country")
    band.SetMetadataItem("long_name", "ISO 3166-1 numeric code of the member state; 0 outside ASEAN+3")
    src = ogr.Open(str(COUNTRIES))
    layer = src.GetLayer(0)
    for iso3, code in sorted(COUNTRY_CODES.items()):
        layer.SetAttributeFilter(f"iso3 = '{iso3}'")
        if layer.GetFeatureCount() != 1:
            raise SystemExit(f"{COUNTRIES}: expected one feature with iso3 {iso3}")
        gdal.RasterizeLayer(ds, [1], layer, burn_values=[code])
    layer.SetAttributeFilter(None)
    src = None
    ds = None


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    write_igrf(out / "igrf_main_field.tif")
    write_country_codes(out / "country_codes.tif")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
