#pragma once
#include <geos_c.h>

namespace amis::store::gpkg {

// One GEOS context per thread: the reentrant API is not thread-safe per handle.
inline GEOSContextHandle_t geos_context() {
  struct Context {
    GEOSContextHandle_t handle = GEOS_init_r();
    ~Context() { GEOS_finish_r(handle); }
  };
  thread_local Context context;
  return context.handle;
}

}  // namespace amis::store::gpkg
