#include "api/wfs/wfs_transaction.hpp"

#include <charconv>
#include <map>

#include "api/wfs/wfs_query.hpp"
#include "core/error.hpp"
#include "edit/feature_input.hpp"
#include "encode/gml_writer.hpp"
#include "encode/xml_text.hpp"
#include "query/fes.hpp"
#include "query/xml_document.hpp"

namespace amis::api::wfs {
namespace {

using nlohmann::json;
using query::child_element;
using query::local_name;

constexpr std::int64_t kMaxTargets = 100000;

std::string trimmed(std::string_view t) {
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  return std::string(t);
}

std::vector<pugi::xml_node> elements(const pugi::xml_node& node) {
  std::vector<pugi::xml_node> out;
  for (auto c : node.children())
    if (c.type() == pugi::node_element) out.push_back(c);
  return out;
}

// The text of a property element as the JSON value of the property's type
// (edit::checked_properties then checks it as for any write).
// xsi:nil="true" under any prefix bound to the XML Schema instance namespace.
bool is_nil(const pugi::xml_node& node) {
  for (auto a : node.attributes()) {
    const std::string_view name = a.name();
    const auto colon = name.find(':');
    if (colon == std::string_view::npos || name.substr(colon + 1) != "nil" || std::string_view(a.value()) != "true")
      continue;
    const std::string declaration = "xmlns:" + std::string(name.substr(0, colon));
    for (auto n = node; n; n = n.parent())
      if (auto ns = n.attribute(declaration.c_str()))
        return std::string_view(ns.value()) == "http://www.w3.org/2001/XMLSchema-instance";
  }
  return false;
}

json typed_value(const core::Property& p, const pugi::xml_node& node) {
  if (is_nil(node)) return nullptr;
  return edit::value_from_text(p, trimmed(node.child_value()));
}

const core::Property* property_named(const core::Collection& c, std::string_view name) {
  for (const auto& p : c.properties)
    if (p.name == name || encode::xml_name(p.name) == name) return &p;
  return nullptr;
}

// The prefixes bound to the AMIS namespace where `node` is (on it or above it).
std::vector<std::string> amis_prefixes(pugi::xml_node node) {
  std::vector<std::string> out;
  for (; node; node = node.parent())
    for (auto a : node.attributes()) {
      const std::string_view name = a.name();
      if (name.starts_with("xmlns:") && std::string_view(a.value()) == encode::kAmisNamespace)
        out.emplace_back(name.substr(6));
    }
  return out;
}

bool is_geometry_name(std::string_view name) { return name == encode::kGeometryElement || name == "geom"; }

class IdSink final : public core::FeatureSink {
 public:
  void begin(const core::Collection&) override {}
  void end() override {}
  void feature(const core::FeatureView& f) override { ids.push_back(f.id); }
  std::vector<std::int64_t> ids;
};

// Reads the actions of one transaction into writes of one collection.
class TransactionReader {
 public:
  TransactionReader(store::Store& store, edit::ChangeService& changes, TransactionVersion version)
      : store_(store), changes_(changes), wfs_2_0_(version == TransactionVersion::V2_0),
        wfs_1_0_(version == TransactionVersion::V1_0) {}

  void read(const pugi::xml_node& transaction) {
    for (const auto& action : elements(transaction)) {
      const auto kind = local_name(action);
      if (kind == "Insert") insert(action);
      else if (kind == "Update") update(action);
      else if (kind == "Replace" && wfs_2_0_) replace(action);
      else if (kind == "Delete") remove(action);
      else if (kind == "Native")
        throw core::OgcError(400, "OperationNotSupported", "wfs:Native actions are not supported", "Native");
      else throw core::ParsingFailed("Transaction", "'" + std::string(action.name()) + "' is not a transaction action");
    }
    if (!collection_) throw core::InvalidValue("Transaction", "the transaction has no action");
  }

  const core::Collection& collection() const { return *collection_; }
  std::vector<edit::Write>& writes() { return writes_; }
  std::int64_t inserted = 0, updated = 0, replaced = 0, deleted = 0;

 private:
  // The collection of an action; every action must name the same one.
  const core::Collection& use_collection(const pugi::xml_node& node, std::string_view type_name, const char* locator) {
    auto id = collection_id_of(type_name, amis_prefixes(node));
    if (id && collection_ && collection_->id == *id) return *collection_;
    if (!id) throw core::InvalidValue(locator, "'" + std::string(type_name).substr(0, 80) + "' is not a feature type of this server");
    if (collection_)
      throw core::InvalidValue(locator, "a transaction changes one feature type: send one transaction per feature type");
    collection_ = store_.collection(*id);
    if (!collection_) throw core::InvalidValue(locator, "no feature type '" + *id + "'");
    return *collection_;
  }

  query::FesContext context(const pugi::xml_node& action) const {
    core::SrsName srs = default_srs(wfs_2_0_);
    if (const char* name = action.attribute("srsName").value(); *name) {
      auto parsed = core::parse_srs_name(name);
      if (!parsed) throw core::InvalidValue("srsName", "unknown srsName '" + std::string(name).substr(0, 80) + "'");
      srs = *parsed;
    }
    if (wfs_1_0_) srs.east_north = true;
    return {*collection_, srs, wfs_1_0_};
  }

  std::vector<std::uint8_t> geometry(const pugi::xml_node& holder, const query::FesContext& ctx) {
    const auto inner = elements(holder);
    if (inner.empty()) {
      if (!trimmed(holder.child_value()).empty())
        throw core::InvalidValue("geometry", "a geometry is given as a GML element (gml:Point, gml:Polygon, ...), "
                                             "not as text");
      return {};
    }
    if (inner.size() != 1) throw core::InvalidValue("geometry", "a geometry property holds one GML geometry");
    try {
      return edit::checked_geometry(*collection_, query::parse_gml_geometry(inner[0], ctx));
    } catch (const core::InvalidParameter& e) {
      throw core::InvalidValue("geometry", e.what());
    }
  }

  edit::FeatureState feature(const pugi::xml_node& node, const query::FesContext& ctx) {
    edit::FeatureState state;
    json properties = json::object();
    for (const auto& e : elements(node)) {
      const auto name = local_name(e);
      if (std::string_view(e.name()).starts_with("gml:")) continue;  // gml:boundedBy, gml:name, ...
      if (is_geometry_name(name) && !property_named(*collection_, name)) {
        state.wkb = geometry(e, ctx);
        continue;
      }
      const auto* p = property_named(*collection_, name);
      if (!p) throw core::InvalidValue(std::string(name), "feature type '" + collection_->id + "' has no property '" + std::string(name) + "'");
      properties[p->name] = typed_value(*p, e);
    }
    state.properties = edit::checked_properties(*collection_, properties);
    return state;
  }

  std::vector<std::int64_t> targets(const pugi::xml_node& action, const query::FesContext& ctx) {
    const auto filter_node = child_element(action, "Filter");
    if (!filter_node) throw core::InvalidValue("Filter", std::string(local_name(action)) + " needs a Filter naming its features");
    auto filter = query::parse_fes_filter(filter_node, ctx);
    core::FeatureQuery q;
    q.collection = collection_->id;
    if (filter.expression) q.filter = std::make_shared<const core::Expression>(std::move(*filter.expression));
    if (!filter.resource_ids.empty()) {
      q.ids.emplace();
      for (const auto& rid : filter.resource_ids)
        if (auto id = feature_id_of(rid, *collection_)) q.ids->push_back(*id);
    }
    q.properties.emplace();  // ids only
    q.limit = kMaxTargets + 1;
    IdSink sink;
    store_.features(*collection_, q, sink);
    if (static_cast<std::int64_t>(sink.ids.size()) > kMaxTargets)
      throw core::InvalidValue("Filter", "the filter selects more than " + std::to_string(kMaxTargets) + " features");
    return sink.ids;
  }

  // The features a filter selects as this transaction has left them: not
  // those it deleted.
  std::vector<std::int64_t> live_targets(const pugi::xml_node& action, const query::FesContext& ctx) {
    auto ids = targets(action, ctx);
    std::erase_if(ids, [this](std::int64_t fid) {
      auto it = pending_.find(fid);
      return it != pending_.end() && !it->second;
    });
    return ids;
  }

  // The feature as this transaction has left it so far.
  edit::FeatureState state_of(std::int64_t fid) {
    if (auto it = pending_.find(fid); it != pending_.end() && it->second) return *it->second;
    auto current = changes_.current(*collection_, fid);
    if (!current) throw core::InvalidValue("Filter", "feature " + std::to_string(fid) + " is gone");
    return *current;
  }

  void put(edit::Operation op, std::optional<std::int64_t> fid, std::optional<edit::FeatureState> after) {
    if (fid) pending_[*fid] = after;  // none: deleted
    writes_.push_back({op, fid, std::move(after), ""});
  }

  void insert(const pugi::xml_node& action) {
    for (const auto& f : elements(action)) {
      use_collection(f, f.name(), "Insert");
      put(edit::Operation::Insert, std::nullopt, feature(f, context(action)));
      ++inserted;
    }
  }

  void update(const pugi::xml_node& action) {
    use_collection(action, action.attribute("typeName").value(), "typeName");
    const auto ctx = context(action);
    std::vector<std::pair<std::string, pugi::xml_node>> values;  // property ("geometry") and its Value
    for (const auto& p : elements(action)) {
      if (local_name(p) != "Property") continue;
      // wfs:ValueReference (2.0) or wfs:Name (1.1, and GDAL's 2.0 transactions)
      auto name_node = child_element(p, "ValueReference");
      if (!name_node) name_node = child_element(p, "Name");
      auto property = query::resolve_value_reference(trimmed(name_node.child_value()), *collection_);
      if (!property)
        throw core::InvalidValue("ValueReference", "'" + trimmed(name_node.child_value()).substr(0, 80) +
                                                       "' is not a property of " + collection_->id);
      values.emplace_back(*property, child_element(p, "Value"));
    }
    if (values.empty()) throw core::InvalidValue("Property", "an Update changes at least one property");
    for (auto fid : live_targets(action, ctx)) {
      auto after = state_of(fid);
      for (const auto& [property, value] : values) {
        if (property == "geometry") {
          after.wkb = value ? geometry(value, ctx) : std::vector<std::uint8_t>{};
        } else {
          const json v = value ? typed_value(*collection_->property(property), value) : json(nullptr);
          after.properties[property] = edit::checked_properties(*collection_, json{{property, v}})[property];
        }
      }
      put(edit::Operation::Replace, fid, std::move(after));
      ++updated;
    }
  }

  void replace(const pugi::xml_node& action) {
    pugi::xml_node f;
    for (const auto& e : elements(action))
      if (local_name(e) != "Filter") f = e;
    if (!f) throw core::InvalidValue("Replace", "a Replace holds the new feature and a Filter");
    use_collection(f, f.name(), "Replace");
    const auto ctx = context(action);
    const auto state = feature(f, ctx);
    for (auto fid : live_targets(action, ctx)) {
      put(edit::Operation::Replace, fid, state);
      ++replaced;
    }
  }

  void remove(const pugi::xml_node& action) {
    use_collection(action, action.attribute("typeName").value(), "typeName");
    for (auto fid : live_targets(action, context(action))) {
      put(edit::Operation::Delete, fid, std::nullopt);
      ++deleted;
    }
  }

  store::Store& store_;
  edit::ChangeService& changes_;
  bool wfs_2_0_;
  bool wfs_1_0_;  // GML 2 coordinates, always x/y
  std::optional<core::Collection> collection_;
  std::vector<edit::Write> writes_;
  std::map<std::int64_t, std::optional<edit::FeatureState>> pending_;
};

// WFS 1.0.0's answer (WFS-transaction.xsd of 1.0.0): the inserted ids, then the status.
std::string response_document_1_0(const TransactionReader& t, const edit::WriteResult& result) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<wfs:WFS_TransactionResponse xmlns:wfs=\"http://www.opengis.net/wfs\" "
                    "xmlns:ogc=\"http://www.opengis.net/ogc\" version=\"1.0.0\">";
  if (!result.inserted.empty()) {
    out += "<wfs:InsertResult>";
    for (auto fid : result.inserted) {
      std::string rid;
      encode::append_xml_text(rid, t.collection().id + "." + std::to_string(fid));
      out += "<ogc:FeatureId fid=\"" + rid + "\"/>";
    }
    out += "</wfs:InsertResult>";
  }
  return out + "<wfs:TransactionResult><wfs:Status><wfs:SUCCESS/></wfs:Status></wfs:TransactionResult>"
               "</wfs:WFS_TransactionResponse>\n";
}

std::string response_document(const TransactionReader& t, const edit::WriteResult& result, TransactionVersion version) {
  if (version == TransactionVersion::V1_0) return response_document_1_0(t, result);
  const bool wfs_2_0 = version == TransactionVersion::V2_0;
  auto total = [](const char* name, std::int64_t n) {
    return std::string("<wfs:") + name + ">" + std::to_string(n) + "</wfs:" + name + ">";
  };
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (wfs_2_0) {
    out += "<wfs:TransactionResponse xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" "
           "xmlns:fes=\"http://www.opengis.net/fes/2.0\" version=\"2.0.0\">";
  } else {
    out += "<wfs:TransactionResponse xmlns:wfs=\"http://www.opengis.net/wfs\" xmlns:ogc=\"http://www.opengis.net/ogc\" "
           "version=\"1.1.0\">";
  }
  out += "<wfs:TransactionSummary>" + total("totalInserted", t.inserted) + total("totalUpdated", t.updated);
  if (wfs_2_0) out += total("totalReplaced", t.replaced);
  out += total("totalDeleted", t.deleted) + "</wfs:TransactionSummary>";
  if (!result.inserted.empty()) {
    out += "<wfs:InsertResults>";
    for (auto fid : result.inserted) {
      std::string rid;
      encode::append_xml_text(rid, t.collection().id + "." + std::to_string(fid));
      out += wfs_2_0 ? "<wfs:Feature><fes:ResourceId rid=\"" + rid + "\"/></wfs:Feature>"
                     : "<wfs:Feature><ogc:FeatureId fid=\"" + rid + "\"/></wfs:Feature>";
    }
    out += "</wfs:InsertResults>";
  }
  return out + "</wfs:TransactionResponse>\n";
}

}  // namespace

void WfsTransaction::execute(const http::Request& request, TransactionVersion version, const std::string& base_url,
                             http::Response& response) {
  const auto who = authenticator_.require(request, {auth::Role::Admin, auth::Role::Reviewer, auth::Role::Editor},
                                          "WFS transactions");
  pugi::xml_document doc;
  query::parse_xml(doc, request.body, "Transaction");
  const auto root = doc.document_element();
  TransactionReader reader(store_, changes_, version);
  reader.read(root);
  std::string title = "WFS transaction on " + reader.collection().id;
  if (const char* handle = root.attribute("handle").value(); *handle) title += " (" + std::string(handle).substr(0, 200) + ")";
  if (reader.writes().empty())  // the filters selected nothing: no change set
    return response.send(200, "text/xml; charset=utf-8", response_document(reader, {}, version));
  const auto result = changes_.write_batch(who, reader.collection(), std::move(reader.writes()), title, std::nullopt);
  http::Headers headers;
  if (!result.published)
    headers.emplace_back("Location", base_url + "/changesets/" + std::to_string(result.change_set.id));
  response.send(200, "text/xml; charset=utf-8", response_document(reader, result, version), headers);
}

}  // namespace amis::api::wfs
