#include "api/csw/csw_service.hpp"

#include <spdlog/spdlog.h>

#include "api/common/exception_response.hpp"
#include "api/common/no_store_response.hpp"
#include "api/common/ows_exception.hpp"
#include "api/common/ows_request.hpp"
#include "api/csw/csw_distributed.hpp"
#include "api/csw/csw_query.hpp"
#include "api/csw/csw_queryables.hpp"
#include "api/csw/csw_results.hpp"
#include "api/csw/csw_transaction.hpp"
#include "catalog/iso19139_reader.hpp"
#include "core/error.hpp"

namespace amis::api::csw {
namespace {

constexpr const char* kXml = "application/xml";

struct MissingParameter : core::OgcError {
  explicit MissingParameter(const std::string& name)
      : core::OgcError(400, "MissingParameterValue", "the parameter '" + name + "' is required", name) {}
};

struct OperationNotSupported : core::OgcError {
  OperationNotSupported(const std::string& operation, const std::string& why)
      : core::OgcError(400, "OperationNotSupported", why, operation) {}
};

}  // namespace

void CswService::register_routes(http::Router& router) {
  auto handler = [this](http::Request& rq, http::Response& rs) { handle(rq, rs); };
  router.add("GET", "/csw", handler);
  router.add("POST", "/csw", handler);
}

void CswService::handle(http::Request& request, http::Response& plain) {
  // Records change with every approved change set and import: nothing is reused.
  NoStoreResponse response(plain);
  try {
    const CswRequest r = read_ows_request(
        request, [](std::string_view body) { return parse_xml_request(body); },
        [](const http::Request& rq) { return parse_kvp_request(rq); });
    if (r.operation.empty()) throw MissingParameter("request");
    if (r.service.empty() && (r.xml || r.operation != "GetCapabilities")) throw MissingParameter("service");
    if (!r.service.empty() && r.service != "CSW")
      throw core::InvalidParameter("service", "'" + r.service.substr(0, 40) + "' is not CSW");
    if (r.operation == "GetCapabilities" && !r.accept_versions.empty() &&
        r.accept_versions.find("2.0.2") == std::string::npos)
      throw core::OgcError(400, "VersionNegotiationFailed", "this server offers CSW 2.0.2", "AcceptVersions");
    if (r.operation != "GetCapabilities") {
      if (r.version.empty()) throw MissingParameter("version");
      if (r.version != "2.0.2")
        throw core::InvalidParameter("version", "'" + r.version.substr(0, 20) + "' is not 2.0.2");
    }
    dispatch(r, request, response);
  } catch (const core::OgcError& e) {
    if (response.started()) throw;
    response.discard_unsent();
    if (core::hidden_from_client(e)) {
      spdlog::error("{} {}: {}", request.method, request.path, e.what());
      const core::OgcError hidden(500, "NoApplicableCode", "the server could not complete the request");
      return response.send(500, kXml, exception_report(hidden, OwsVersion::V1_0, "1.2.0"));
    }
    response.send(e.status(), kXml, exception_report(e, OwsVersion::V1_0, "1.2.0"), error_headers(e));
  }
}

void CswService::dispatch(const CswRequest& r, const http::Request& request, http::Response& response) {
  const auto& op = r.operation;
  if (op == "GetCapabilities") {
    const std::string url = http::base_url(request, settings_.base_url) + "/csw";
    return response.send(200, kXml, capabilities_document(url, settings_.info));
  }
  if (op == "DescribeRecord") {
    for (const auto& t : r.type_names) {
      const auto colon = t.find(':');
      const std::string local = colon == std::string::npos ? t : t.substr(colon + 1);
      if (local != "Record" && local != "MD_Metadata")
        throw core::InvalidParameter("typeName", "'" + t.substr(0, 60) + "' is not csw:Record or gmd:MD_Metadata");
    }
    return response.send(200, kXml, describe_record_document(r.type_names));
  }
  if (op == "GetRecords" || op == "GetRecordById" || op == "GetDomain") keeper_.ensure_current();
  if (op == "GetRecords") return get_records(r, request, response);
  if (op == "GetRecordById") return get_record_by_id(r, request, response);
  if (op == "GetDomain") return get_domain(r, response);
  if (op == "Transaction" && r.xml && changes_ && iso_schema_) return transaction(request, response);
  if (op == "Transaction" || op == "Harvest") return refuse_transaction(r, request);
  throw OperationNotSupported(op.substr(0, 40), "'" + op.substr(0, 40) + "' is not an operation of this CSW");
}

void CswService::get_records(const CswRequest& r, const http::Request& request, http::Response& response) {
  const RecordsQuery q = get_records_query(r);
  const auto hop_count = distributed_hop_count(r);
  if (hop_count && *hop_count >= 2 && distributed_)
    return write_distributed_results(catalog_, *distributed_, r, q, *hop_count,
                                     http::base_url(request, settings_.base_url), response);
  write_search_results(catalog_, q, http::base_url(request, settings_.base_url), response);
}

void CswService::get_record_by_id(const CswRequest& r, const http::Request& request, http::Response& response) {
  const RecordsQuery q = get_record_by_id_query(r);
  write_records_by_id(catalog_, q, http::base_url(request, settings_.base_url), response);
}

void CswService::get_domain(const CswRequest& r, http::Response& response) {
  if (!r.parameter_name.empty()) {
    const auto* list = parameter_domain(r.parameter_name);
    if (!list) throw core::InvalidParameter("ParameterName", "'" + r.parameter_name.substr(0, 60) + "' is not known");
    std::vector<std::pair<std::string, std::int64_t>> values;
    for (const auto& v : *list) values.emplace_back(v, -1);
    return response.send(200, kXml, domain_document(r.parameter_name, false, values));
  }
  if (r.property_name.empty()) throw MissingParameter("ParameterName");
  const CswQueryable* q = find_csw_queryable(r.property_name);
  if (!q || !q->domain)
    throw core::InvalidParameter("PropertyName", "'" + r.property_name.substr(0, 60) +
                                                     "' has no domain here (ask for apiso:Type, apiso:Subject, "
                                                     "apiso:Format, apiso:TopicCategory or amis:Country)");
  catalog::CatalogQuery query;
  query.limit = 0;
  query.count = false;
  query.facets = {*q->domain};
  query.facet_buckets = 1000;
  CountingSink none;
  const auto summary = catalog_.search(query, none);
  std::vector<std::pair<std::string, std::int64_t>> values;
  for (const auto& facet : summary.facets)
    for (const auto& bucket : facet.buckets) values.emplace_back(bucket.value, bucket.count);
  response.send(200, kXml, domain_document(r.property_name, true, values));
}

void CswService::refuse_transaction(const CswRequest& r, const http::Request& request) {
  // Anonymous writes are refused first (401, with the scheme to authenticate with).
  authenticator_.require(request, {auth::Role::Admin, auth::Role::Reviewer, auth::Role::Editor},
                         "change catalogue records");
  if (r.operation == "Transaction")
    throw OperationNotSupported(r.operation, "CSW Transaction is taken as an XML document (POST) only");
  throw OperationNotSupported(r.operation, "CSW " + r.operation +
                                               " is not offered: records are created and changed through the "
                                               "catalogue's change sets and review (Transaction, OGC API - Records)");
}

std::vector<std::string> CswService::selected_ids(const CswRequest& constraint) {
  CswRequest r = constraint;
  r.xml = true;
  r.result_type = "results";
  r.max_records = std::to_string(kMaxTransactionRecords);
  auto query = get_records_query(r).query;
  query.limit = kMaxTransactionRecords;
  query.count = false;
  struct Ids final : store::RecordSink {
    std::vector<std::string> ids;
    void record(const catalog::Record& record) override { ids.push_back(record.id); }
  } sink;
  catalog_.search(query, sink);
  return std::move(sink.ids);
}

void CswService::transaction(const http::Request& request, http::Response& response) {
  const auto who = authenticator_.require(request, {auth::Role::Admin, auth::Role::Reviewer, auth::Role::Editor},
                                          "change catalogue records");
  const CswTransaction t = parse_transaction(request.body);
  keeper_.ensure_current();  // a Delete's constraint selects among current records
  std::vector<edit::RecordWrite> writes;
  TransactionSummary summary;
  summary.request_id = t.request_id;
  for (const auto& action : t.actions) {
    if (action.operation == edit::Operation::Delete) {
      for (auto& id : selected_ids(action.constraint)) writes.push_back({edit::Operation::Delete, id, std::nullopt, ""});
      continue;
    }
    for (const auto& record : action.records) {
      auto read = record.dublin_core ? *record.dublin_core : catalog::read_iso19139(record.iso_document, iso_schema_->get());
      if (action.operation == edit::Operation::Replace && read.id.empty())
        throw core::InvalidValue("Update", "a record to update names its identifier");
      std::string id = action.operation == edit::Operation::Replace ? read.id : std::string();
      writes.push_back({action.operation, std::move(id), std::move(read), ""});
    }
  }
  if (!writes.empty()) {
    const std::string title = "CSW Transaction of " + std::to_string(writes.size()) + " records";
    std::vector<std::pair<edit::Operation, std::string>> asked;  // operation and title of each write, in order
    for (const auto& w : writes) asked.emplace_back(w.operation, w.after ? w.after->title : std::string());
    const auto result = changes_->write_records(who, std::move(writes), title, std::nullopt);
    for (std::size_t i = 0; i < asked.size() && i < result.records.size(); ++i) {
      const auto& [operation, record_title] = asked[i];
      if (operation == edit::Operation::Insert) {
        ++summary.inserted;
        summary.inserts.emplace_back(result.records[i], record_title);
      } else if (operation == edit::Operation::Replace) {
        ++summary.updated;
      } else {
        ++summary.deleted;
      }
    }
    if (summary.request_id.empty())
      summary.request_id = http::base_url(request, settings_.base_url) + "/changesets/" +
                           std::to_string(result.change_set.id);
  }
  response.send(200, kXml, transaction_response(summary));
}

}  // namespace amis::api::csw
