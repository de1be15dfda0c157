// A mirror's copy (Publications::sync): every feature of the node's collection
// read page by page, compared by digest with what the last copy took, and only
// the new, changed and deleted features written, as one change set authored by
// the node and applied atomically. A copy that cannot read the whole collection
// writes nothing (a feature missing from a partial listing is not deleted).
#include <spdlog/spdlog.h>

#include <chrono>
#include <map>

#include "core/error.hpp"
#include "edit/change_set.hpp"
#include "encode/geojson_writer.hpp"  // utc_timestamp
#include "federation/cascade_request.hpp"
#include "federation/collection_json.hpp"
#include "federation/gml_page.hpp"
#include "federation/publications.hpp"
#include "federation/remote_page.hpp"

namespace amis::federation {
namespace {

using json = nlohmann::json;

edit::FeatureState state_of(const core::Collection& c, const RemoteFeature& f) {
  edit::FeatureState s;
  s.wkb = f.wkb;
  for (std::size_t i = 0; i < c.properties.size() && i < f.values.size(); ++i) {
    const auto& v = f.values[i];
    const auto& p = c.properties[i];
    json value;
    switch (v.kind) {
      case core::Value::Kind::Null: value = nullptr; break;
      case core::Value::Kind::Integer:
        value = p.type == core::PropertyType::Boolean ? json(v.integer != 0) : json(v.integer);
        break;
      case core::Value::Kind::Real: value = v.real; break;
      case core::Value::Kind::Text: value = v.text; break;
    }
    s.properties[p.name] = std::move(value);
  }
  return s;
}

// Every feature of the source, by its id at the node.
std::map<std::string, edit::FeatureState> read_source(NodeClient& client, const Node& node, const Publication& p,
                                                     const core::Collection& c, const PublishOptions& options) {
  std::map<std::string, edit::FeatureState> out;
  for (std::int64_t offset = 0;;) {
    const bool gml = gml_pages(p.metadata);
    const auto body = client.get(page_url(node, p.source_id, {}, options.page_size, offset, gml),
                                 gml ? "application/gml+xml, text/xml" : "application/geo+json, application/json");
    const auto page = gml ? read_gml_page(body, c, offset + 1) : read_remote_page(body, c, offset + 1);
    for (const auto& f : page.features) {
      if (static_cast<std::int64_t>(out.size()) >= options.max_mirror_features)
        throw core::InvalidValue("collection", "the node's collection has more than " +
                                                   std::to_string(options.max_mirror_features) +
                                                   " features: cascade it rather than mirror it");
      out[f.source_id] = state_of(c, f);
    }
    offset += static_cast<std::int64_t>(page.features.size());
    if (static_cast<std::int64_t>(page.features.size()) < options.page_size) break;
  }
  return out;
}

}  // namespace

MirrorReport Publications::sync(const std::string& collection) {
  const auto started = std::chrono::steady_clock::now();
  const auto p = get(collection);
  if (p.mode != PublishMode::Mirror)
    throw core::InvalidValue("collection", "collection '" + collection + "' is cascaded, not mirrored");
  const auto node = nodes_.node(p.node);
  if (!node) throw core::NotFound("no node '" + p.node + "'");
  core::Collection meta = collection_from_json(p.metadata);
  meta.id = collection;
  MirrorReport r;
  r.collection = collection;
  r.node = node->name;
  const auto finish = [&] {
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    nodes_.set_publication_state(collection, r.error.empty() ? encode::utc_timestamp() : "", r.error);
    if (r.error.empty())
      spdlog::info("federation: mirror '{}' of node '{}': {} added, {} updated, {} deleted, {} unchanged", collection,
                   r.node, r.added, r.updated, r.deleted, r.unchanged);
    else
      spdlog::warn("federation: mirror '{}' of node '{}' not copied: {}", collection, r.node, r.error);
    return r;
  };
  std::map<std::string, edit::FeatureState> source;
  try {
    NodeClient client(*node, getter_, options_.limits);
    source = read_source(client, *node, p, meta, options_);
  } catch (const FetchFailed& e) {
    r.error = e.what();
    return finish();
  } catch (const core::OgcError& e) {
    r.error = e.what();
    return finish();
  }
  r.seen = static_cast<std::int64_t>(source.size());
  if (!store_.collection(collection)) store_.replace_collection(meta)->commit();
  const auto c = *store_.collection(collection);

  std::map<std::string, MirroredFeature> known;
  for (auto& m : nodes_.mirrored(collection)) known.emplace(m.source_id, std::move(m));
  std::vector<edit::Change> changes;
  std::vector<MirroredFeature> put;  // parallel to the inserts and replacements of `changes`
  std::vector<std::string> removed;
  for (auto& [source_id, state] : source) {
    const std::string d = edit::digest(state);
    const auto it = known.find(source_id);
    if (it != known.end() && it->second.digest == d) {
      ++r.unchanged;
      continue;
    }
    edit::Change change;
    change.after = std::move(state);
    const auto current = it != known.end() ? change_sets_.current(c, it->second.fid) : std::nullopt;
    if (current) {
      change.operation = edit::Operation::Replace;
      change.fid = it->second.fid;
      change.base = edit::digest(*current);
      ++r.updated;
    } else {
      change.operation = edit::Operation::Insert;
      ++r.added;
    }
    changes.push_back(std::move(change));
    put.push_back({source_id, 0, d});
  }
  for (const auto& [source_id, m] : known) {
    if (source.count(source_id)) continue;
    removed.push_back(source_id);
    if (const auto current = change_sets_.current(c, m.fid)) {
      edit::Change change;
      change.operation = edit::Operation::Delete;
      change.fid = m.fid;
      change.base = edit::digest(*current);
      changes.push_back(std::move(change));
      ++r.deleted;
    }
  }
  if (!changes.empty()) {
    edit::ChangeSet cs;
    cs.collection = collection;
    cs.title = "Copy of '" + p.source_id + "' from national node " + node->name;
    cs.author = "node:" + node->name;
    cs.state = edit::ChangeSetState::Submitted;
    const auto created = change_sets_.create(cs, changes);
    const auto conflicts = change_sets_.approve(c, created.id, cs.author, "mirror copy");
    if (!conflicts.empty()) {
      r.error = "the mirror's features changed meanwhile (" + std::to_string(conflicts.size()) + " conflicts)";
      r.added = r.updated = r.deleted = 0;
      return finish();
    }
    r.change_set = created.id;
    std::size_t i = 0;
    for (const auto& applied : change_sets_.changes(created.id)) {
      if (applied.operation == edit::Operation::Delete) continue;
      if (i < put.size() && applied.fid) put[i].fid = *applied.fid;
      ++i;
    }
  }
  if (!put.empty() || !removed.empty()) nodes_.save_mirrored(collection, put, removed);
  return finish();
}

}  // namespace amis::federation
