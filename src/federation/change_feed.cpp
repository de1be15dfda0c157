#include "federation/change_feed.hpp"

#include "core/error.hpp"
#include "core/wkb.hpp"
#include "encode/geojson_geometry.hpp"

namespace amis::federation {
namespace {

using nlohmann::json;

json geometry_json(const std::vector<std::uint8_t>& wkb) {
  if (wkb.empty()) return nullptr;
  std::string text;
  try {
    encode::append_geojson_geometry(text, wkb);
  } catch (const core::WkbError&) {
    return nullptr;  // a stored geometry AMIS cannot read: written as none, as the items are
  }
  return json::parse(text);
}

json operation_json(const edit::Change& change) {
  json op = {{"op", edit::to_string(change.operation)}, {"id", change.fid ? json(*change.fid) : json(nullptr)}};
  if (change.operation != edit::Operation::Insert) op["base"] = change.base;
  if (change.operation != edit::Operation::Delete)
    op["feature"] = {{"type", "Feature"},
                     {"id", op["id"]},
                     {"geometry", geometry_json(change.after.wkb)},
                     {"properties", change.after.properties}};
  return op;
}

[[noreturn]] void refuse(const std::string& why) { throw core::ParsingFailed("changes", "change feed: " + why); }

const json& member(const json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end()) refuse(std::string("'") + name + "' is missing");
  return *it;
}

std::int64_t integer_member(const json& object, const char* name, std::int64_t min) {
  const auto& v = member(object, name);
  if (!v.is_number_integer()) refuse(std::string("'") + name + "' is not an integer");
  const auto n = v.get<std::int64_t>();
  if (n < min) refuse(std::string("'") + name + "' is out of range");
  return n;
}

std::string text_member(const json& object, const char* name, bool required, std::size_t max = 4096) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    if (required) refuse(std::string("'") + name + "' is missing");
    return {};
  }
  if (!it->is_string()) refuse(std::string("'") + name + "' is not a string");
  auto text = it->get<std::string>();
  if (text.size() > max) refuse(std::string("'") + name + "' is too long");
  return text;
}

FeedOperation read_operation(const json& doc) {
  if (!doc.is_object()) refuse("an operation is not an object");
  FeedOperation op;
  const auto kind = edit::parse_operation(text_member(doc, "op", true, 16));
  if (!kind) refuse("an operation is not insert, replace or delete");
  op.operation = *kind;
  op.id = integer_member(doc, "id", 1);
  if (op.operation != edit::Operation::Insert) {
    op.base = text_member(doc, "base", true, 64);
    if (op.base.empty()) refuse("a replace or delete has no base");
  }
  if (op.operation != edit::Operation::Delete) {
    op.feature = member(doc, "feature");
    if (!op.feature.is_object()) refuse("'feature' is not an object");
  }
  return op;
}

FeedChangeSet read_change_set(const json& doc, std::size_t& operations, const FeedLimits& limits) {
  if (!doc.is_object()) refuse("a change set is not an object");
  FeedChangeSet cs;
  cs.sequence = integer_member(doc, "sequence", 1);
  cs.change_set = integer_member(doc, "changeSet", 1);
  cs.collection = text_member(doc, "collection", true, 200);
  if (cs.collection.empty()) refuse("a change set names no collection");
  cs.country = text_member(doc, "country", false, 3);
  cs.approved = text_member(doc, "approved", true, 64);
  cs.title = text_member(doc, "title", false);
  const auto& ops = member(doc, "operations");
  if (!ops.is_array()) refuse("'operations' is not an array");
  for (const auto& op : ops) {
    if (++operations > limits.max_operations) refuse("the page holds too many operations");
    cs.operations.push_back(read_operation(op));
  }
  return cs;
}

}  // namespace

json feed_entry_json(std::int64_t sequence, const edit::ChangeSet& change_set, const std::vector<edit::Change>& changes) {
  json ops = json::array();
  for (const auto& change : changes) ops.push_back(operation_json(change));
  return {{"sequence", sequence},     {"changeSet", change_set.id},        {"collection", change_set.collection},
          {"country", change_set.country}, {"approved", change_set.reviewed}, {"title", change_set.title},
          {"operations", std::move(ops)}};
}

FeedPage read_change_feed(std::string_view text, const FeedLimits& limits) {
  if (text.size() > limits.max_bytes) refuse("the page is too large");
  // Depth-limited by nlohmann's recursive parser only through the size bound:
  // reject deep nesting before parsing (a page is at most a few levels deep
  // around GeoJSON coordinates).
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > 64) refuse("the page is nested too deeply");
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) refuse("the page is not JSON");
  if (!doc.is_object()) refuse("the page is not a JSON object");
  FeedPage page;
  const auto& changes = member(doc, "changes");
  if (!changes.is_array()) refuse("'changes' is not an array");
  if (changes.size() > limits.max_change_sets) refuse("the page holds too many change sets");
  std::size_t operations = 0;
  for (const auto& entry : changes) {
    auto cs = read_change_set(entry, operations, limits);
    if (!page.changes.empty() && cs.sequence <= page.changes.back().sequence)
      refuse("the sequence numbers do not increase");
    page.changes.push_back(std::move(cs));
  }
  if (doc.contains("latest")) page.latest = integer_member(doc, "latest", 0);
  if (const auto links = doc.find("links"); links != doc.end() && links->is_array()) {
    for (const auto& link : *links)
      if (link.is_object() && link.value("rel", json()) == "next" && link.contains("href") && link["href"].is_string())
        page.next = link["href"].get<std::string>().substr(0, 2000);
  }
  return page;
}

}  // namespace amis::federation
