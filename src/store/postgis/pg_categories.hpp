#pragma once
// The distinct values of a collection's text properties as an import wrote them,
// so that Store::text_values() (which values are categories: the queryables'
// enums, the attribute indexes an import makes) need not read the new table
// again, once per property. Valid only for the version of the collection the
// import published: an entry is used while the collection's `updated` stamp is
// the one that import wrote (every change to the features moves it).
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace amis::store::postgis {

// The distinct values of one property, or none once there were more than kTracked.
struct PropertyValues {
  static constexpr std::size_t kTracked = 256;
  std::set<std::string, std::less<>> values;  // bytewise order, as COLLATE "C"
  bool overflowed = false;
  void add(std::string_view value) {
    if (overflowed || values.contains(value)) return;
    if (values.size() == kTracked) {
      overflowed = true;
      values.clear();
    } else {
      values.emplace(value);
    }
  }
};

class CategoryCache {
 public:
  void put(const std::string& collection, std::string updated, std::map<std::string, PropertyValues> properties);
  // The sorted distinct values (at most `max`; empty when more) if known for this
  // version of the collection; nullopt when the database must be asked.
  std::optional<std::vector<std::string>> values(const std::string& collection, const std::string& updated,
                                                 const std::string& property, std::size_t max);

 private:
  struct Entry {
    std::string updated;
    std::map<std::string, PropertyValues> properties;
  };
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace amis::store::postgis
