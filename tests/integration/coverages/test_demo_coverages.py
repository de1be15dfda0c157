"""The demo's generated coverages (scripts/make_demo_coverages.py, loaded by scripts/load-demo.sh):
the IGRF-12 main field and the ASEAN+3 country-code grid, served through OGC API - Coverages and
WCS 2.0, with their values checked against oracles that share no code with the script:

- the main field against casacore's own IGRF synthesis (python3-casacore's measures, its EarthField
  reading the same Debian table), and against physical facts of the region (the dip equator, the
  field's strength in Jakarta and Tokyo, the declination in Tokyo);
- the country grid against OGR point-in-polygon tests of cell centres on the source GeoJSON."""
from __future__ import annotations

import os
import subprocess

import numpy as np
import pytest
from osgeo import ogr

from coverage_support import GEOTIFF, CoverageEnv, read_all, wcs_get_coverage
from support import AMIS_BIN, REPO_ROOT, AmisServer, amis_cwd, http_session, store_arg

ogr.UseExceptions()

COUNTRIES = REPO_ROOT / "data" / "demo" / "asean3_countries.geojson"
WEST, NORTH = 72.875, 55.125   # the window's corner, as the geoid's
IGRF_CELL, IGRF_SIZE = 0.25, (328, 268)
COUNTRY_CELL, COUNTRY_SIZE = 0.05, (1640, 1340)
IGRF_BANDS = [("F", "nT"), ("H", "nT"), ("Z", "nT"), ("D", "deg"), ("I", "deg")]
ISO_NUMERIC = {"BRN": 96, "KHM": 116, "IDN": 360, "LAO": 418, "MYS": 458, "MMR": 104, "PHL": 608,
               "SGP": 702, "THA": 764, "VNM": 704, "CHN": 156, "JPN": 392, "KOR": 410}
JAKARTA, TOKYO = (106.85, -6.2), (139.69, 35.69)


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory, amis_bin):
    """The demo as scripts/load-demo.sh loads it, and `amis serve` over it."""
    work = tmp_path_factory.mktemp("demo_coverages")
    store = work / "store.gpkg"
    load = subprocess.run([str(REPO_ROOT / "scripts" / "load-demo.sh"), store_arg(store)], capture_output=True,
                          text=True, env={**os.environ, "AMIS_BIN": str(AMIS_BIN)}, timeout=600,
                          cwd=amis_cwd("--store", store) or REPO_ROOT)
    assert load.returncode == 0, load.stderr[-3000:]
    srv = AmisServer(store, work, name="demo_coverages")
    srv.start()
    with http_session() as s:
        yield CoverageEnv(srv.url, store, s)
    alive = srv.alive()
    assert srv.stop() == 0 and alive, srv.stderr()[-3000:]


def get(env, path, **params):
    r = env.session.get(env.url + path, params=params, timeout=120)
    assert r.status_code == 200, r.text[:500]
    return r


@pytest.fixture(scope="module")
def igrf(demo_env) -> np.ndarray:
    """The whole main-field coverage through OGC API - Coverages: (band, row, col)."""
    r = get(demo_env, "/collections/igrf_main_field/coverage")
    assert r.headers["Content-Type"] == GEOTIFF
    values, gt, _ = read_all(r.content)
    assert values.shape == (5, IGRF_SIZE[1], IGRF_SIZE[0])
    assert gt == pytest.approx((WEST, IGRF_CELL, 0, NORTH, 0, -IGRF_CELL))
    return values.astype(np.float64)


@pytest.fixture(scope="module")
def country_grid(demo_env) -> np.ndarray:
    r = get(demo_env, "/collections/country_codes/coverage")
    values, gt, _ = read_all(r.content)
    assert values.shape == (1, COUNTRY_SIZE[1], COUNTRY_SIZE[0])
    assert gt == pytest.approx((WEST, COUNTRY_CELL, 0, NORTH, 0, -COUNTRY_CELL))
    return values[0]


def cell_of(lon: float, lat: float, cell: float) -> tuple[int, int]:
    return int((NORTH - lat) // cell), int((lon - WEST) // cell)


def centre_of(row: int, col: int, cell: float) -> tuple[float, float]:
    return WEST + (col + 0.5) * cell, NORTH - (row + 0.5) * cell


def test_both_coverages_are_listed_with_their_bands(demo_env):
    collections = {c["id"]: c for c in get(demo_env, "/collections").json()["collections"]}
    assert {"geoid", "igrf_main_field", "country_codes"} <= set(collections)
    assert "IGRF-12" in collections["igrf_main_field"]["title"]
    fields = get(demo_env, "/collections/igrf_main_field/coverage/rangetype").json()["field"]
    assert [(f["name"], f["uom"]["code"]) for f in fields] == IGRF_BANDS
    assert all(f["description"] for f in fields)
    fields = get(demo_env, "/collections/country_codes/coverage/rangetype").json()["field"]
    assert [f["name"] for f in fields] == ["country"]
    assert float(fields[0]["nilValues"][0]["value"]) == 0


def test_wcs_serves_the_same_values_as_ogc_api(demo_env, igrf):
    r = wcs_get_coverage(demo_env, "2.0.1", COVERAGEID="igrf_main_field",
                         SUBSET=["Lat(0.125,10.125)", "Long(100.125,110.125)"])
    values, gt, _ = read_all(r.content)
    row0, col0 = cell_of(100.2, 10.0, IGRF_CELL)
    assert values.shape == (5, 40, 40)
    assert np.array_equal(values, igrf[:, row0:row0 + 40, col0:col0 + 40].astype(np.float32))


def casacore_field(points: list[tuple[float, float]]) -> np.ndarray:
    """F, H, Z, D, I at height 0 on WGS 84 from casacore's EarthField (IGRF at 2015.0).

    casacore answers the field only as an ITRF vector built from its local geocentric components
    (x north, y east, z down) by the rotation of EarthField::calcField, which is not the orthogonal
    one (its y row carries -x sin(lat) sin(lon)); the test inverts exactly that matrix to get
    casacore's x, y, z back, then turns them to the geodetic frame."""
    from casacore import measures

    dm = measures.measures()
    dm.do_frame(dm.epoch("tai", "2015/01/01/18:00"))  # the table's row for 2015.0 (MJD 57023.75)
    out = []
    for lon, lat in points:
        pos = dm.position("wgs84", f"{lon}deg", f"{lat}deg", "0m")
        dm.do_frame(pos)
        field = dm.measure(dm.earthmagnetic("igrf"), "itrf")
        vector = np.array([field[k]["value"] for k in ("m0", "m1", "m2")])
        geocentric = dm.measure(pos, "itrf")
        lam, phi = geocentric["m0"]["value"], geocentric["m1"]["value"]
        s, c, sl, cl = np.sin(phi), np.cos(phi), np.sin(lam), np.cos(lam)
        rotation = np.array([[s * cl, sl, c * cl], [-s * sl, -cl, c * sl], [-c, 0.0, s]])
        x, y, z = np.linalg.solve(rotation, vector)
        psi = np.radians(lat) - phi  # geodetic minus geocentric latitude
        x, z = x * np.cos(psi) + z * np.sin(psi), z * np.cos(psi) - x * np.sin(psi)
        h = np.hypot(x, y)
        out.append([np.hypot(h, z), h, z, np.degrees(np.arctan2(y, x)), np.degrees(np.arctan2(z, h))])
    return np.array(out)


def test_main_field_is_casacores_igrf_synthesis(igrf):
    pytest.importorskip("casacore.measures", reason="python3-casacore (scripts/setup-debian.sh)")
    rng = np.random.default_rng(17)
    cells = [(int(r), int(c)) for r, c in zip(rng.integers(0, IGRF_SIZE[1], 40), rng.integers(0, IGRF_SIZE[0], 40))]
    expected = casacore_field([centre_of(r, c, IGRF_CELL) for r, c in cells])
    served = np.array([igrf[:, r, c] for r, c in cells])
    # Float32 storage: about 0.004 nT at 60,000 nT; the models agree to far better than 0.5 nT.
    assert np.abs(served[:, :3] - expected[:, :3]).max() < 0.5
    assert np.abs(served[:, 3:] - expected[:, 3:]).max() < 1e-3


def test_main_field_components_are_consistent(igrf):
    f, h, z, _, inclination = igrf
    assert np.allclose(f ** 2, h ** 2 + z ** 2, rtol=1e-5)
    assert np.allclose(np.degrees(np.arctan2(z, h)), inclination, atol=1e-3)
    assert (h > 0).all() and (f >= h).all()


def test_main_field_shows_the_known_geomagnetism_of_the_region(igrf):
    f, _, _, declination, inclination = igrf
    # The dip equator (I = 0) crosses South-East Asia between about 5 and 13 degrees north.
    for lon in np.arange(100.0, 120.01, 2.5):
        col = cell_of(lon, 0.0, IGRF_CELL)[1]
        column = inclination[:, col]
        crossings = [NORTH - (row + 1) * IGRF_CELL for row in range(len(column) - 1)
                     if column[row] > 0 >= column[row + 1]]
        assert len(crossings) == 1 and 5.0 < crossings[0] < 13.0, (lon, crossings)
    # Total intensity about 41,000-46,000 nT in Jakarta, 45,000-50,000 nT in Tokyo; Tokyo's
    # declination about 6-9 degrees west; steep inclination in the north, negative in Java.
    assert 41000 < f[cell_of(*JAKARTA, IGRF_CELL)] < 46000
    assert 45000 < f[cell_of(*TOKYO, IGRF_CELL)] < 50000
    assert -9.0 < declination[cell_of(*TOKYO, IGRF_CELL)] < -6.0
    assert inclination[cell_of(*JAKARTA, IGRF_CELL)] < -20
    assert inclination[cell_of(116.4, 39.9, IGRF_CELL)] > 55  # Beijing


def test_country_grid_holds_the_thirteen_codes(country_grid):
    assert set(np.unique(country_grid).tolist()) == {0, *ISO_NUMERIC.values()}
    assert country_grid[cell_of(103.82, 1.35, COUNTRY_CELL)] == ISO_NUMERIC["SGP"]
    assert country_grid[cell_of(114.9, 4.9, COUNTRY_CELL)] == ISO_NUMERIC["BRN"]
    assert country_grid[cell_of(*TOKYO, COUNTRY_CELL)] == ISO_NUMERIC["JPN"]


def test_country_grid_is_ogrs_point_in_polygon(country_grid):
    """200 random cells (and 200 random land cells) against OGR's Contains on the source: a
    different answer only where the cell touches a border or coast."""
    source = ogr.Open(str(COUNTRIES))
    countries = [(ISO_NUMERIC[f.GetField("iso3")], f.GetGeometryRef().Clone()) for f in source.GetLayer(0)]
    boundaries = [g.Boundary() for _, g in countries]
    rng = np.random.default_rng(17)
    cells = list(zip(rng.integers(0, COUNTRY_SIZE[1], 200).tolist(), rng.integers(0, COUNTRY_SIZE[0], 200).tolist()))
    land = np.argwhere(country_grid != 0)
    cells += [tuple(map(int, land[i])) for i in rng.choice(len(land), 200, replace=False)]
    mismatches, at_edges = 0, 0
    for row, col in cells:
        lon, lat = centre_of(row, col, COUNTRY_CELL)
        centre = ogr.Geometry(ogr.wkbPoint)
        centre.AddPoint_2D(lon, lat)
        expected = next((code for code, g in countries if g.Contains(centre)), 0)
        if country_grid[row, col] == expected:
            continue
        mismatches += 1
        half = COUNTRY_CELL / 2
        box = ogr.CreateGeometryFromWkt(f"POLYGON(({lon - half} {lat - half},{lon + half} {lat - half},"
                                        f"{lon + half} {lat + half},{lon - half} {lat + half},"
                                        f"{lon - half} {lat - half}))")
        assert any(b.Intersects(box) for b in boundaries), (row, col, lon, lat, country_grid[row, col], expected)
        at_edges += 1
    print(f"{len(cells)} cells, {mismatches} differ from OGR, all at a border")
    assert mismatches == at_edges and mismatches <= 4
