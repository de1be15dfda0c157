"""`amis raster add`: the stored file is a Cloud Optimized GeoTIFF with overviews whose values
are the source's, and the bands' names, units, nodata and descriptions are in the store (both
backends), read back independently of AMIS (sqlite3 / psycopg2, GDAL)."""
from __future__ import annotations

import numpy as np
from osgeo import gdal

from coverage_support import GEOID, NODATA, UTM_BANDS, stored_cog, write_utm_grid
from store_support import rows as store_rows


def test_the_stored_file_is_a_cog_with_overviews_and_the_source_values(coverage_env, tmp_path):
    write_utm_grid(tmp_path / "utm_grid.tif")  # the same grid the fixture added
    for layer, source in (("geoid", GEOID), ("magnetics", tmp_path / "utm_grid.tif")):
        path = stored_cog(coverage_env.store, layer)
        ds = gdal.Open(str(path))
        assert ds.GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE") == "COG", layer
        assert ds.GetRasterBand(1).GetOverviewCount() >= 1 or max(ds.RasterXSize, ds.RasterYSize) <= 512, layer
        src = gdal.Open(str(source))
        assert np.array_equal(ds.ReadAsArray(), src.ReadAsArray()), layer
        assert ds.GetGeoTransform() == src.GetGeoTransform()


def test_band_metadata_is_in_the_store_and_the_file(coverage_env):
    rows = [tuple(r) for r in store_rows(
        coverage_env.store, "SELECT raster, band, name, unit, description, data_type, nodata FROM amis_raster_bands "
                            "ORDER BY raster, band")]
    assert rows[0][:6] == ("geoid", 1, "N", "m", "geoid undulation above WGS 84", "Float32")
    assert rows[0][6] == gdal.Open(str(GEOID)).GetRasterBand(1).GetNoDataValue()
    mag = [r for r in rows if r[0] == "magnetics"]
    assert [(r[2], r[3], r[4]) for r in mag] == UTM_BANDS
    assert all(r[6] == NODATA for r in mag)
    ds = gdal.Open(str(stored_cog(coverage_env.store, "magnetics")))
    assert [ds.GetRasterBand(i).GetDescription() for i in (1, 2, 3)] == [b[0] for b in UTM_BANDS]
    assert [ds.GetRasterBand(i).GetUnitType() for i in (1, 2, 3)] == [b[1] for b in UTM_BANDS]
    assert ds.GetRasterBand(1).GetNoDataValue() == NODATA
