#include "api/needs/needs_documents.hpp"

#include <map>

#include "encode/csv_writer.hpp"

namespace amis::api::needs {

using nlohmann::json;

namespace {

json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

}  // namespace

json need_json(const std::string& base, const core::Need& n) {
  const std::string self = base + "/needs/" + std::to_string(n.id);
  json links = json::array({{{"rel", "self"}, {"href", self}, {"type", "application/json"}}});
  if (!n.collection.empty()) {
    std::string about = base + "/collections/" + n.collection;
    if (n.feature) about += "/items/" + std::to_string(*n.feature);
    links.push_back({{"rel", "related"}, {"href", about}, {"title", "what the need is about"}});
  }
  return {{"id", n.id},
          {"kind", core::to_string(n.kind)},
          {"title", n.title},
          {"description", n.description},
          {"collection", text_or_null(n.collection)},
          {"featureId", n.feature ? json(*n.feature) : json(nullptr)},
          {"submitter", n.submitter},
          {"country", text_or_null(n.country)},
          {"created", n.created},
          {"updated", n.updated},
          {"status", core::to_string(n.status)},
          {"priority", core::to_string(n.priority)},
          {"assignee", text_or_null(n.assignee)},
          {"resolution", n.resolution},
          {"comments", n.comments},
          {"links", links}};
}

json note_json(const core::NeedNote& note) {
  return {{"id", note.id},
          {"time", note.time},
          {"author", note.author},
          {"kind", note.kind == core::NeedNote::Kind::Change ? "change" : "comment"},
          {"text", note.text}};
}

json needs_page_json(const std::string& base, const std::vector<core::Need>& needs, std::int64_t matched,
                     std::int64_t offset, std::int64_t limit, const std::string& query) {
  json items = json::array();
  for (const auto& n : needs) items.push_back(need_json(base, n));
  const std::string href = base + "/needs?" + query + (query.empty() ? "" : "&");
  json links = json::array();
  if (offset + static_cast<std::int64_t>(needs.size()) < matched)
    links.push_back({{"rel", "next"}, {"href", href + "offset=" + std::to_string(offset + limit) + "&limit=" +
                                                   std::to_string(limit)}});
  if (offset > 0)
    links.push_back({{"rel", "prev"}, {"href", href + "offset=" + std::to_string(std::max<std::int64_t>(0, offset - limit)) +
                                                   "&limit=" + std::to_string(limit)}});
  return {{"needs", items},
          {"numberMatched", matched},
          {"numberReturned", needs.size()},
          {"links", links}};
}

std::string needs_csv_header() {
  return "id,kind,status,priority,title,description,collection,featureId,submitter,country,assignee,resolution,"
         "comments,created,updated\r\n";
}

std::string need_csv_row(const core::Need& n) {
  std::string out = std::to_string(n.id);
  auto cell = [&out](std::string_view text) {
    out += ',';
    encode::append_text_cell(out, text);
  };
  cell(core::to_string(n.kind));
  cell(core::to_string(n.status));
  cell(core::to_string(n.priority));
  cell(n.title);
  cell(n.description);
  cell(n.collection);
  out += ',';
  if (n.feature) out += std::to_string(*n.feature);
  cell(n.submitter);
  cell(n.country);
  cell(n.assignee);
  cell(n.resolution);
  out += ',' + std::to_string(n.comments);
  cell(n.created);
  cell(n.updated);
  return out + "\r\n";
}

json summary_json(const std::vector<core::NeedCount>& counts) {
  std::map<std::pair<std::string, std::string>, std::int64_t> by_kind_status;
  std::map<std::string, std::int64_t> by_country;
  std::int64_t total = 0;
  for (const auto& c : counts) {
    by_kind_status[{core::to_string(c.kind), core::to_string(c.status)}] += c.needs;
    by_country[c.country] += c.needs;
    total += c.needs;
  }
  json kinds = json::array(), countries = json::array();
  for (const auto& [key, n] : by_kind_status) kinds.push_back({{"kind", key.first}, {"status", key.second}, {"needs", n}});
  for (const auto& [country, n] : by_country) countries.push_back({{"country", text_or_null(country)}, {"needs", n}});
  json statuses = json::array(), kind_names = json::array();
  for (auto s : core::need_statuses()) statuses.push_back(core::to_string(s));
  for (auto k : core::need_kinds()) kind_names.push_back(core::to_string(k));
  return {{"total", total},
          {"byKindAndStatus", kinds},
          {"byCountry", countries},
          {"kinds", kind_names},
          {"statuses", statuses}};
}

std::string summary_csv(const std::vector<core::NeedCount>& counts) {
  std::string out = "kind,status,country,needs\r\n";
  for (const auto& c : counts) {
    out += std::string(core::to_string(c.kind)) + "," + core::to_string(c.status) + ",";
    encode::append_text_cell(out, c.country);
    out += "," + std::to_string(c.needs) + "\r\n";
  }
  return out;
}

}  // namespace amis::api::needs
