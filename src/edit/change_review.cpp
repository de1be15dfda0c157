#include "edit/change_review.hpp"

#include <map>
#include <memory>

#include <ogr_api.h>

#include "catalog/record_json.hpp"
#include "core/feature_sink.hpp"

namespace amis::edit {
namespace {

struct GeometryCloser {
  void operator()(OGRGeometryH g) const { OGR_G_DestroyGeometry(g); }
};
using Geometry = std::unique_ptr<std::remove_pointer_t<OGRGeometryH>, GeometryCloser>;

Geometry from_wkb(const std::vector<std::uint8_t>& wkb) {
  OGRGeometryH g = nullptr;
  if (wkb.empty() || OGR_G_CreateFromWkbEx(const_cast<std::uint8_t*>(wkb.data()), nullptr, &g, wkb.size()) !=
                         OGRERR_NONE)
    return nullptr;
  return Geometry(g);
}

// The boundary features of one country, gathered as one geometry collection.
class BoundarySink final : public core::FeatureSink {
 public:
  void begin(const core::Collection&) override {}
  void end() override {}
  void feature(const core::FeatureView& f) override {
    OGRGeometryH g = nullptr;
    if (f.wkb.empty() || OGR_G_CreateFromWkbEx(const_cast<std::uint8_t*>(f.wkb.data()), nullptr, &g, f.wkb.size()) !=
                             OGRERR_NONE)
      return;
    if (!boundary) boundary.reset(OGR_G_CreateGeometry(wkbGeometryCollection));
    OGR_G_AddGeometryDirectly(boundary.get(), g);
  }
  Geometry boundary;
};

class Boundaries {
 public:
  Boundaries(store::Store& store, const EditingRules& rules) : store_(store), rules_(rules) {}

  // The country's boundary, or null when the boundaries collection lacks it.
  OGRGeometryH of(const std::string& country) {
    auto it = cache_.find(country);
    if (it != cache_.end()) return it->second.get();
    auto& slot = cache_[country];
    auto collection = store_.collection(rules_.boundaries);
    const std::string& property = rules_.rules(rules_.boundaries).country_property;
    if (!collection || !collection->property(property)) return nullptr;
    core::FeatureQuery query;
    query.collection = collection->id;
    query.equals.push_back({property, country});
    query.limit = 100;
    BoundarySink sink;
    store_.features(*collection, query, sink);
    slot = std::move(sink.boundary);
    return slot.get();
  }

 private:
  store::Store& store_;
  const EditingRules& rules_;
  std::map<std::string, Geometry> cache_;
};

std::optional<FeatureState> replaced_version(store::ChangeSetStore& change_sets, const core::Collection& collection,
                                             std::int64_t fid, std::int64_t change_set) {
  const auto versions = change_sets.history(collection, fid);
  for (std::size_t i = 1; i < versions.size(); ++i)
    if (versions[i].change_set == change_set) return versions[i - 1].state;
  return std::nullopt;
}

void find_problems(ReviewedChange& r, const ChangeSet& cs, const core::Collection& collection,
                   const std::string& country_property, Boundaries& boundaries) {
  const bool pending = cs.state == ChangeSetState::Draft || cs.state == ChangeSetState::Submitted;
  if (pending && r.change.operation != Operation::Insert) {
    if (!r.before) r.problems.push_back("conflict: the feature was deleted after this change was written");
    else if (digest(*r.before) != r.change.base)
      r.problems.push_back("conflict: the feature was changed after this change was written");
  }
  if (r.change.operation == Operation::Delete || !collection.property(country_property)) return;
  const auto& country = r.change.after.properties[country_property];
  if (!country.is_string() || country.get<std::string>().empty()) {
    r.problems.push_back("no country: '" + country_property + "' is empty");
    return;
  }
  auto geometry = from_wkb(r.change.after.wkb);
  OGRGeometryH boundary = geometry ? boundaries.of(country.get<std::string>()) : nullptr;
  if (boundary && !OGR_G_Intersects(geometry.get(), boundary))
    r.problems.push_back("outside the boundary of " + country.get<std::string>());
}

}  // namespace

std::vector<ReviewedChange> review(store::Store& store, store::ChangeSetStore& change_sets, const EditingRules& rules,
                                   const core::Collection& collection, const ChangeSet& cs) {
  Boundaries boundaries(store, rules);
  const std::string& country_property = rules.rules(collection.id).country_property;
  std::vector<ReviewedChange> out;
  for (auto& change : change_sets.changes(cs.id)) {
    ReviewedChange r;
    r.change = std::move(change);
    if (r.change.fid && (r.change.operation != Operation::Insert || cs.state == ChangeSetState::Approved)) {
      r.before = cs.state == ChangeSetState::Approved
                     ? replaced_version(change_sets, collection, *r.change.fid, cs.id)
                     : change_sets.current(collection, *r.change.fid);
    }
    const nlohmann::json empty = nlohmann::json::object();
    const auto& old_properties = r.before ? r.before->properties : empty;
    const auto& new_properties = r.change.operation == Operation::Delete ? empty : r.change.after.properties;
    for (const auto& p : collection.properties) {
      const auto before = old_properties.value(p.name, nlohmann::json());
      const auto after = new_properties.value(p.name, nlohmann::json());
      if (before != after) r.properties.push_back({p.name, before, after});
    }
    const std::vector<std::uint8_t> no_geometry;
    r.geometry_changed = (r.before ? r.before->wkb : no_geometry) !=
                         (r.change.operation == Operation::Delete ? no_geometry : r.change.after.wkb);
    find_problems(r, cs, collection, country_property, boundaries);
    out.push_back(std::move(r));
  }
  return out;
}

namespace {

std::optional<nlohmann::json> replaced_record(store::ChangeSetStore& change_sets, const std::string& id,
                                              std::int64_t change_set) {
  const auto versions = change_sets.record_history(id);
  for (std::size_t i = 1; i < versions.size(); ++i)
    if (versions[i].change_set == change_set) return versions[i - 1].document;
  return std::nullopt;
}

void record_problems(ReviewedChange& r, const ChangeSet& cs) {
  if (cs.state != ChangeSetState::Draft && cs.state != ChangeSetState::Submitted) return;
  if (r.change.operation == Operation::Insert) {
    if (r.before) r.problems.push_back("conflict: a record with this id was published after this change was written");
  } else if (!r.before) {
    r.problems.push_back("conflict: the record was deleted after this change was written");
  } else if (record_digest(r.before->properties) != r.change.base) {
    r.problems.push_back("conflict: the record was changed after this change was written");
  }
}

}  // namespace

std::vector<ReviewedChange> review_records(store::CatalogStore& catalog, store::ChangeSetStore& change_sets,
                                           const ChangeSet& cs) {
  std::vector<ReviewedChange> out;
  for (auto& change : change_sets.changes(cs.id)) {
    ReviewedChange r;
    r.change = std::move(change);
    const std::string id = record_id_of(r.change);
    std::optional<nlohmann::json> before;
    if (cs.state == ChangeSetState::Approved) before = replaced_record(change_sets, id, cs.id);
    else if (auto now = catalog.record(id)) before = catalog::to_json(*now);
    if (before) r.before = FeatureState{{}, *before};
    const nlohmann::json empty = nlohmann::json::object();
    const auto& old_document = before ? *before : empty;
    const auto& new_document = r.change.operation == Operation::Delete ? empty : r.change.after.properties;
    for (const auto* side : {&old_document, &new_document})
      for (const auto& [name, value] : side->items()) {
        if (name == "updated" || (side == &new_document && old_document.contains(name))) continue;
        const auto was = old_document.value(name, nlohmann::json());
        const auto is = new_document.value(name, nlohmann::json());
        if (was != is) r.properties.push_back({name, was, is});
      }
    record_problems(r, cs);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace amis::edit
