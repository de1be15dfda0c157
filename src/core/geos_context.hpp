#pragma once
// The GEOS context of this thread, for the store's SQL functions and the tile
// geometry's simplification.
#include <geos_c.h>

namespace amis::core {

// One GEOS context per thread: the reentrant API is not thread-safe per handle.
inline GEOSContextHandle_t geos_context() {
  struct Context {
    GEOSContextHandle_t handle = GEOS_init_r();
    ~Context() { GEOS_finish_r(handle); }
  };
  thread_local Context context;
  return context.handle;
}

}  // namespace amis::core
