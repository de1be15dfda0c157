#pragma once
// Which ids may name a collection, in every store: a letter, then up to 63
// letters, digits, '_' or '-'; none of the prefixes a store keeps for itself.
#include <string>

namespace amis::store {

bool valid_collection_id(const std::string& id);

}  // namespace amis::store
