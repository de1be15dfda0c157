#include "store/catalog_filter.hpp"

#include <string>

#include "catalog/queryables.hpp"
#include "core/error.hpp"

namespace amis::store {
namespace {

using catalog::QueryableType;

// The record columns as the filter compiler sees a collection's properties. The
// queryables `parent` and `license` are the columns of those names; `datetime`
// (the temporal extent) is the interval of time_start and time_end.
core::Collection record_columns() {
  core::Collection c;
  c.id = kRecordTable;
  for (const auto& q : catalog::queryables()) {
    switch (q.type) {
      case QueryableType::Text:
      case QueryableType::TextList: c.properties.push_back({std::string(q.name), core::PropertyType::Text}); break;
      case QueryableType::DateTime:
        if (q.name != "datetime") c.properties.push_back({std::string(q.name), core::PropertyType::DateTime});
        break;
      case QueryableType::Integer: c.properties.push_back({std::string(q.name), core::PropertyType::Integer}); break;
      case QueryableType::Extent: break;  // "geometry": the compiler's geom column
    }
  }
  c.properties.push_back({"time_start", core::PropertyType::DateTime});
  c.properties.push_back({"time_end", core::PropertyType::DateTime});
  return c;
}

// `datetime` in a filter means the record's temporal extent: an interval of two columns.
core::Expression rewrite_datetime(const core::Expression& e) {
  if (e.kind == core::Expression::Kind::Property && e.text == "datetime") {
    core::Expression interval;
    interval.kind = core::Expression::Kind::Interval;
    interval.args = {core::Expression::property("time_start"), core::Expression::property("time_end")};
    return interval;
  }
  core::Expression out = e;
  for (auto& a : out.args) a = rewrite_datetime(a);
  return out;
}

}  // namespace

const catalog::Queryable& sortable(const core::SortKey& key) {
  const auto* q = catalog::find_queryable(key.property);
  if (!q || !q->sortable)
    throw core::InvalidParameter("sortby", "'" + key.property + "' is not a sortable (see /sortables)");
  return *q;
}

void compile_record_filter(const core::Expression& filter,
                           const std::function<void(const core::Collection&, const core::Expression&)>& compile) {
  try {
    compile(record_columns(), rewrite_datetime(filter));
  } catch (const core::InvalidParameter& e) {
    // The compiler names the feature table's queryables page; ours is the catalogue's.
    const std::string page = std::string("/collections/") + kRecordTable + "/queryables";
    const std::string prefix = "Parameter '" + e.locator() + "': ";
    std::string why = e.what();
    if (why.starts_with(prefix)) why.erase(0, prefix.size());
    if (auto at = why.find(page); at != std::string::npos) why.replace(at, page.size(), "the catalogue's /queryables");
    throw core::InvalidParameter(e.locator(), why);
  }
}

}  // namespace amis::store
