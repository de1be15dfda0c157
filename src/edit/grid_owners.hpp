#pragma once
// A coverage's member state (issue 17) is kept by the store (RasterLayer::country,
// set by `amis raster add --country`). Before, [editing.collections.<id>] country
// in the configuration named it: that value moves into the store when it opens.
#include "edit/editing_policy.hpp"
#include "store/store.hpp"

namespace amis::edit {

// Copies each coverage's configured country into the store where the store has
// none for it; the stored one wins where both are given (the configuration's
// key is only read for this). Returns how many coverages it set.
int adopt_configured_countries(store::Store& store, const EditingRules& rules);

}  // namespace amis::edit
