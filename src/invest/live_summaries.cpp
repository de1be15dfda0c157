#include "invest/live_summaries.hpp"

#include <cstdlib>

#include "core/error.hpp"
#include "query/cql2.hpp"

namespace amis::invest {
namespace {

using nlohmann::json;

json key_json(const std::optional<std::string>& key) { return key ? json(*key) : json(nullptr); }

json sum_json(const std::optional<double>& sum) { return sum ? json(*sum) : json(nullptr); }

// One series per value of all keys but the last; the last key is x (a number).
json series_of(const std::vector<store::AggregateGroup>& groups) {
  json out = json::array();
  std::vector<std::optional<std::string>> current;
  for (const auto& g : groups) {
    if (g.keys.empty() || !g.keys.back() || g.sums.empty() || !g.sums.front()) continue;
    char* end = nullptr;
    const double x = std::strtod(g.keys.back()->c_str(), &end);
    if (end == g.keys.back()->c_str()) continue;
    const std::vector<std::optional<std::string>> name(g.keys.begin(), g.keys.end() - 1);
    if (out.empty() || name != current) {
      current = name;
      std::string label;
      json keys = json::array();
      for (const auto& k : name) {
        label += (label.empty() ? "" : " - ") + k.value_or("(none)");
        keys.push_back(key_json(k));
      }
      out.push_back({{"name", label}, {"keys", keys}, {"points", json::array()}});
    }
    out.back()["points"].push_back(json::array({x, *g.sums.front()}));
  }
  return out;
}

}  // namespace

json live_summary(store::Store& store, const SummarySpec& spec, const std::string& iso3,
                  const std::string& country_property) {
  json doc = {{"id", spec.id},
              {"title", spec.title},
              {"collection", spec.collection},
              {"kind", spec.kind == SummaryKind::Series ? "series" : "table"},
              {"groupBy", spec.group_by},
              {"sums", spec.sums}};
  if (!spec.note.empty()) doc["note"] = spec.note;
  const auto collection = store.collection(spec.collection);
  if (!collection) {
    doc["available"] = false;
    doc["reason"] = !spec.absent.empty() ? spec.absent
                                         : "no published collection '" + spec.collection + "' that you may read";
    return doc;
  }
  if (!collection->property(country_property)) {
    doc["available"] = false;
    doc["reason"] = "collection '" + spec.collection + "' has no country property '" + country_property + "'";
    return doc;
  }
  core::FeatureQuery query;
  query.collection = collection->id;
  query.equals = spec.where;
  query.equals.push_back({country_property, iso3});
  store::Aggregate aggregate{spec.group_by, spec.sums, 1000};
  bool truncated = false;
  std::vector<store::AggregateGroup> groups;
  try {
    groups = store.aggregate(*collection, query, aggregate, truncated);
  } catch (const core::OgcError& e) {  // the configuration names what the collection lacks
    doc["available"] = false;
    doc["reason"] = e.what();
    return doc;
  }
  doc["available"] = true;
  json rows = json::array();
  std::int64_t total = 0;
  for (const auto& g : groups) {
    json keys = json::array(), sums = json::array();
    for (const auto& k : g.keys) keys.push_back(key_json(k));
    for (const auto& s : g.sums) sums.push_back(sum_json(s));
    rows.push_back({{"keys", keys}, {"count", g.count}, {"sums", sums}});
    total += g.count;
  }
  doc["groups"] = rows;
  doc["count"] = total;
  doc["truncated"] = truncated;
  if (spec.kind == SummaryKind::Series) doc["series"] = series_of(groups);
  return doc;
}

json live_summaries(store::Store& store, const std::vector<SummarySpec>& specs, const std::string& iso3,
                    const std::string& country_property) {
  json out = json::array();
  for (const auto& spec : specs) out.push_back(live_summary(store, spec, iso3, country_property));
  return out;
}

json country_datasets(store::Store& store, const std::string& iso3, const std::string& country_property,
                      const std::string& except) {
  json out = json::array();
  for (const auto& c : store.collections()) {
    if (c.id == except || !c.property(country_property)) continue;
    core::FeatureQuery query;
    query.collection = c.id;
    query.equals.push_back({country_property, iso3});
    const auto n = store.count(c, query);
    if (n > 0) out.push_back({{"id", c.id}, {"title", c.title}, {"features", n}});
  }
  return out;
}

namespace {

class RecordList final : public store::RecordSink {
 public:
  explicit RecordList(json& out) : out_(out) {}
  void record(const catalog::Record& r) override {
    out_.push_back({{"id", r.id}, {"title", r.title}, {"type", r.type}});
  }

 private:
  json& out_;
};

}  // namespace

json country_records(store::CatalogStore& catalog, const std::string& iso3, std::int64_t limit) {
  catalog::CatalogQuery query;
  // The code is three capital letters (checked by the caller), never other client text.
  query.filter = std::make_shared<const core::Expression>(query::parse_cql2_text("country = '" + iso3 + "'"));
  query.limit = limit;
  query.count = false;
  json out = json::array();
  RecordList sink(out);
  catalog.search(query, sink);
  return out;
}

}  // namespace amis::invest
