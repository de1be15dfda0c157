#pragma once
// Owning handles of GDAL and OGR objects (the C API), closed however a scope ends.
#include <gdal.h>
#include <cpl_conv.h>
#include <ogr_srs_api.h>

#include <memory>

namespace amis::coverage {

struct DatasetCloser {
  void operator()(void* ds) const {
    if (ds) GDALClose(ds);
  }
};
using Dataset = std::unique_ptr<void, DatasetCloser>;

struct SpatialRefReleaser {
  void operator()(void* srs) const {
    if (srs) OSRRelease(static_cast<OGRSpatialReferenceH>(srs));
  }
};
using SpatialRef = std::unique_ptr<void, SpatialRefReleaser>;

}  // namespace amis::coverage
