#include "store/health.hpp"

namespace amis::store {

bool StoreHealth::usable() const {
  for (const auto& d : databases)
    if ((d.role == "file" || d.role == "primary") && d.reachable) return true;
  return false;
}

bool StoreHealth::readable() const {
  for (const auto& d : databases)
    if (d.reachable) return true;
  return false;
}

}  // namespace amis::store
