#include "api/records/records_transactions.hpp"

#include "api/common/exception_response.hpp"
#include "api/editing/editing_documents.hpp"
#include "api/editing/write_request.hpp"
#include "api/records/record_input.hpp"
#include "api/records/records_documents.hpp"
#include "catalog/iso19139_reader.hpp"
#include "catalog/record_json.hpp"
#include "core/error.hpp"

namespace amis::api::records {
namespace {

using auth::Role;
using nlohmann::json;
constexpr auto kAnyone = {Role::Admin, Role::Reviewer, Role::Editor};
constexpr std::string_view kIsoTypes[] = {"application/xml", "text/xml",
                                          "application/vnd.iso.19139+xml"};

void send_json(http::Response& response, int status, const json& doc,
               const http::Headers& headers = {}) {
  response.send(status, "application/json",
                doc.dump(-1, ' ', false, json::error_handler_t::replace), headers);
}

const std::string& record_id(const http::Request& request) {
  const auto& id = request.path_param("recordId");
  if (!catalog::is_valid_record_id(id))
    throw core::NotFound("no record '" + id.substr(0, 100) + "' in the catalogue");
  return id;
}

std::string write_title(const char* verb, const std::string& id) {
  return std::string(verb) + " catalogue record " + id;
}

}  // namespace

void RecordsTransactions::register_routes(http::Router& router) {
  auto bind = [this](void (RecordsTransactions::*method)(http::Request&, http::Response&)) {
    return with_ogcapi_errors(
        [this, method](http::Request& rq, http::Response& rs) { (this->*method)(rq, rs); });
  };
  const std::string items = std::string("/collections/") + kCatalogId + "/items";
  router.add("POST", items, bind(&RecordsTransactions::create));
  router.add("PUT", items + "/{recordId}", bind(&RecordsTransactions::replace));
  router.add("DELETE", items + "/{recordId}", bind(&RecordsTransactions::remove));
  router.add("GET", items + "/{recordId}/history", bind(&RecordsTransactions::history));
}

catalog::Record RecordsTransactions::read_body(const http::Request& request) {
  const auto type = editing::require_body_type(request, {"application/geo+json", "application/json",
                                                         kIsoTypes[0], kIsoTypes[1], kIsoTypes[2]});
  if (type.ends_with("json")) return read_record_geojson(request.body);
  return catalog::read_iso19139(request.body, iso_schema_.get());
}

void RecordsTransactions::send_result(const http::Request& request, http::Response& response,
                                      const edit::WriteResult& result, int published_status) {
  const std::string base = http::base_url(request, base_url_);
  json doc = {{"changeSet", editing::change_set_json(base, result.change_set)},
              {"published", result.published},
              {"records", result.records}};
  http::Headers headers;
  if (!result.published) {
    headers.emplace_back("Location", base + "/changesets/" + std::to_string(result.change_set.id));
    return send_json(response, 202, doc, headers);
  }
  if (result.records.size() == 1 && published_status != 204) {
    const std::string href = record_path(base, result.records.front());
    doc["record"] = href;
    if (published_status == 201) headers.emplace_back("Location", href);
    if (auto etag = changes_.record_etag(result.records.front()))
      headers.emplace_back("ETag", *etag);
  }
  send_json(response, published_status == 204 ? 200 : published_status, doc, headers);
}

void RecordsTransactions::create(http::Request& request, http::Response& response) {
  const auto into = editing::target_change_set(request);
  const auto who = authenticator_.require(request, kAnyone, "writing catalogue records");
  auto record = read_body(request);
  const std::string title = write_title("New", record.id.empty() ? "(new id)" : record.id);
  std::vector<edit::RecordWrite> writes;
  writes.push_back({edit::Operation::Insert, "", std::move(record), ""});
  send_result(request, response, changes_.write_records(who, std::move(writes), title, into), 201);
}

void RecordsTransactions::replace(http::Request& request, http::Response& response) {
  const auto& id = record_id(request);
  const auto into = editing::target_change_set(request);
  const auto who = authenticator_.require(request, kAnyone, "writing catalogue records");
  auto record = read_body(request);
  std::vector<edit::RecordWrite> writes;
  writes.push_back(
      {edit::Operation::Replace, id, std::move(record), std::string(request.header("if-match"))});
  send_result(request, response,
              changes_.write_records(who, std::move(writes), write_title("Change of", id), into),
              200);
}

void RecordsTransactions::remove(http::Request& request, http::Response& response) {
  const auto& id = record_id(request);
  const auto into = editing::target_change_set(request);
  const auto who = authenticator_.require(request, kAnyone, "deleting catalogue records");
  std::vector<edit::RecordWrite> writes;
  writes.push_back(
      {edit::Operation::Delete, id, std::nullopt, std::string(request.header("if-match"))});
  send_result(request, response,
              changes_.write_records(who, std::move(writes), write_title("Deletion of", id), into),
              204);
}

void RecordsTransactions::history(http::Request& request, http::Response& response) {
  for (const auto& [name, value] : request.query)
    if (name != "f") throw core::UnknownParameter(name);
  const auto& id = record_id(request);
  const auto versions = change_sets_.record_history(id);
  if (versions.empty()) throw core::NotFound("no record '" + id + "' in the catalogue");
  const std::string base = http::base_url(request, base_url_);
  json list = json::array();
  for (const auto& v : versions) {
    json entry{{"version", v.number}, {"operation", v.operation}, {"author", v.author}};
    entry["time"] = v.time.empty() ? json(nullptr) : json(v.time);
    entry["changeSet"] =
        v.change_set ? json(base + "/changesets/" + std::to_string(*v.change_set)) : json(nullptr);
    entry["record"] = nullptr;
    if (v.document && v.document->is_object()) {
      try {
        entry["record"] = record_json(catalog::record_from_json(*v.document), base);
      } catch (const core::OgcError&) {
        entry["record"] = *v.document;  // a version from an older amis, as it was kept
      }
    }
    list.push_back(std::move(entry));
  }
  send_json(response, 200,
            {{"id", id},
             {"versions", std::move(list)},
             {"links", json::array({{{"href", record_path(base, id)},
                                     {"rel", "about"},
                                     {"type", "application/geo+json"},
                                     {"title", "The record as published"}}})}});
}

}  // namespace amis::api::records
