#pragma once
// The values of a collection's category properties (text properties with few
// distinct values: status, country, commodity), given as the queryables' "enum"
// (JSON Schema) so that clients offer them in filters. Read once per version of
// the collection (its `updated` time) and kept.
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/collection.hpp"
#include "store/store.hpp"

namespace amis::api::features {

class QueryableValues {
 public:
  // A text property with more distinct values than this is a name, not a category.
  static constexpr std::size_t kMaxValues = 64;

  explicit QueryableValues(store::Store& store) : store_(store) {}

  // Property name -> its values, for the category properties of `collection`.
  std::map<std::string, std::vector<std::string>> of(const core::Collection& collection);

 private:
  struct Entry {
    std::string updated;
    std::map<std::string, std::vector<std::string>> values;
  };
  store::Store& store_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;  // by collection id
};

}  // namespace amis::api::features
