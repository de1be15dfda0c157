#include "api/editing/editing_api.hpp"

#include <charconv>

#include "api/common/exception_response.hpp"
#include "api/editing/editing_documents.hpp"
#include "api/editing/grid_documents.hpp"
#include "api/editing/write_request.hpp"
#include "core/error.hpp"
#include "edit/change_review.hpp"
#include "edit/feature_input.hpp"
#include "edit/upload_plan.hpp"
#include "ingest/upload_reader.hpp"

namespace amis::api::editing {
namespace {

using auth::Role;
constexpr auto kAnyone = {Role::Admin, Role::Reviewer, Role::Editor};

void send_json(http::Response& response, int status, const nlohmann::json& doc, const http::Headers& headers = {},
               const char* type = "application/json") {
  response.send(status, type, doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), headers);
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size() || id < 0) return std::nullopt;
  return id;
}

std::int64_t feature_id(const http::Request& request, const std::string& collection) {
  const auto& text = request.path_param("featureId");
  auto id = parse_id(text);
  if (!id) throw core::NotFound("no feature '" + text + "' in collection '" + collection + "'");
  return *id;
}

std::int64_t change_set_id(const http::Request& request) {
  const auto& text = request.path_param("changeSetId");
  auto id = parse_id(text);
  if (!id) throw core::NotFound("no change set '" + text + "'");
  return *id;
}

std::int64_t number_param(const http::Request& request, const char* name, std::int64_t fallback, std::int64_t max) {
  auto text = request.param(name);
  if (!text) return fallback;
  auto n = parse_id(*text);
  if (!n || *n > max) throw core::InvalidParameter(name, "must be an integer from 0 to " + std::to_string(max));
  return *n;
}

// The "comment" of an action's JSON body (which may be empty).
std::string comment_of(const http::Request& request) {
  if (request.body.empty()) return {};
  auto doc = nlohmann::json::parse(request.body, nullptr, false);
  if (!doc.is_object()) throw core::ParsingFailed("body", "the body must be a JSON object such as {\"comment\": \"...\"}");
  auto it = doc.find("comment");
  if (it == doc.end() || it->is_null()) return {};
  if (!it->is_string()) throw core::InvalidValue("comment", "'comment' must be a string");
  if (it->get_ref<const std::string&>().size() > 10000) throw core::InvalidValue("comment", "'comment' is too long");
  return it->get<std::string>();
}

}  // namespace

void EditingApi::register_routes(http::Router& router) {
  auto bind = [this](void (EditingApi::*method)(http::Request&, http::Response&)) {
    return with_ogcapi_errors([this, method](http::Request& rq, http::Response& rs) { (this->*method)(rq, rs); });
  };
  router.add("POST", "/collections/{collectionId}/items", bind(&EditingApi::create_item));
  router.add("PUT", "/collections/{collectionId}/items/{featureId}", bind(&EditingApi::replace_item));
  router.add("PATCH", "/collections/{collectionId}/items/{featureId}", bind(&EditingApi::update_item));
  router.add("DELETE", "/collections/{collectionId}/items/{featureId}", bind(&EditingApi::delete_item));
  router.add("GET", "/collections/{collectionId}/items/{featureId}/history", bind(&EditingApi::item_history));
  router.add("POST", "/collections/{collectionId}/upload", bind(&EditingApi::upload));
  router.add("POST", "/collections/{collectionId}/coverage/upload", bind(&EditingApi::upload_grid));
  router.add("GET", "/collections/{collectionId}/coverage/history", bind(&EditingApi::grid_history));
  router.add("GET", "/changesets", bind(&EditingApi::list_change_sets));
  router.add("POST", "/changesets", bind(&EditingApi::create_change_set));
  router.add("GET", "/changesets/{changeSetId}", bind(&EditingApi::change_set));
  router.add("GET", "/changesets/{changeSetId}/review", bind(&EditingApi::review));
  for (const char* action : {"submit", "withdraw", "approve", "reject", "revert"})
    router.add("POST", std::string("/changesets/{changeSetId}/") + action, bind(&EditingApi::act));
  router.add("GET", "/audit", bind(&EditingApi::audit_log));
}

std::string EditingApi::base(const http::Request& request) const { return http::base_url(request, base_url_); }

core::Collection EditingApi::require_collection(const http::Request& request) {
  const auto& id = request.path_param("collectionId");
  auto c = store_.collection(id);
  if (!c) throw core::NotFound("no collection '" + id + "'");
  return *c;
}

void EditingApi::send_write_result(const http::Request& request, http::Response& response,
                                   const core::Collection& collection, const edit::WriteResult& result,
                                   int published_status) {
  const std::string b = base(request);
  nlohmann::json doc = {{"changeSet", change_set_json(b, result.change_set)}, {"published", result.published}};
  http::Headers headers;
  if (!result.published) {
    headers.emplace_back("Location", b + "/changesets/" + std::to_string(result.change_set.id));
    return send_json(response, 202, doc, headers);
  }
  if (result.fid) {
    const std::string href = b + "/collections/" + collection.id + "/items/" + std::to_string(*result.fid);
    doc["feature"] = href;
    if (published_status == 201) headers.emplace_back("Location", href);
    if (auto etag = changes_.etag(collection, *result.fid)) headers.emplace_back("ETag", *etag);
  }
  send_json(response, published_status, doc, headers);
}

void EditingApi::create_item(http::Request& request, http::Response& response) {
  const auto c = require_collection(request);
  const auto into = target_change_set(request);
  const auto who = authenticator_.require(request, kAnyone, "writing features");
  require_body_type(request, {"application/geo+json", "application/json"});
  auto feature = edit::read_feature(c, request.body);
  send_write_result(request, response, c, changes_.insert(who, c, std::move(feature), into), 201);
}

void EditingApi::replace_item(http::Request& request, http::Response& response) {
  const auto c = require_collection(request);
  const auto id = feature_id(request, c.id);
  const auto into = target_change_set(request);
  const auto who = authenticator_.require(request, kAnyone, "writing features");
  require_body_type(request, {"application/geo+json", "application/json"});
  auto feature = edit::read_feature(c, request.body);
  send_write_result(request, response, c,
                    changes_.replace(who, c, id, std::move(feature), request.header("if-match"), into), 200);
}

void EditingApi::update_item(http::Request& request, http::Response& response) {
  const auto c = require_collection(request);
  const auto id = feature_id(request, c.id);
  const auto into = target_change_set(request);
  const auto who = authenticator_.require(request, kAnyone, "writing features");
  require_body_type(request, {"application/merge-patch+json", "application/geo+json", "application/json"});
  send_write_result(request, response, c, changes_.patch(who, c, id, request.body, request.header("if-match"), into),
                    200);
}

void EditingApi::delete_item(http::Request& request, http::Response& response) {
  const auto c = require_collection(request);
  const auto id = feature_id(request, c.id);
  const auto into = target_change_set(request);
  const auto who = authenticator_.require(request, kAnyone, "deleting features");
  send_write_result(request, response, c, changes_.remove(who, c, id, request.header("if-match"), into), 200);
}

void EditingApi::upload(http::Request& request, http::Response& response) {
  const auto c = require_collection(request);
  edit::UploadRequest plan_request;
  std::optional<std::int64_t> into;
  for (const auto& [name, value] : request.query) {
    if (name == "mode") {
      if (value == "merge") plan_request.mode = edit::UploadMode::Merge;
      else if (value == "replace") plan_request.mode = edit::UploadMode::Replace;
      else throw core::InvalidParameter("mode", "merge or replace");
    } else if (name == "key") {
      plan_request.key = value;
    } else if (name == "country") {
      plan_request.country = value;
    } else if (name == "changeset") {
      into = parse_id(value);
      if (!into) throw core::InvalidParameter("changeset", "must be the id of one of your draft change sets");
    } else {
      throw core::UnknownParameter(name);
    }
  }
  const auto who = authenticator_.require(request, kAnyone, "uploading datasets");
  if (who.role == Role::Editor) {
    if (!plan_request.country.empty() && plan_request.country != who.country)
      throw core::Forbidden("an editor for " + who.country + " may not upload features of " + plan_request.country);
    plan_request.country = who.country;
  } else if (!plan_request.country.empty() && !auth::is_member_country(plan_request.country)) {
    throw core::InvalidParameter("country", "one of the ASEAN+3 ISO alpha-3 codes");
  }
  if (into) changes_.draft_for(who, c, *into);  // a wrong draft is answered before the file is read
  const auto slot = upload_slots_.take(policy_.rules().concurrent_uploads);
  auto uploaded = ingest::read_upload(c, request.body);
  const std::size_t count = uploaded.features.size();
  plan_request.has_geometry = uploaded.has_geometry;
  auto plan = edit::plan_upload(store_, changes_, policy_.rules(), c, std::move(uploaded.features), plan_request);
  nlohmann::json summary = {{"features", count}, {"inserted", plan.inserted}, {"replaced", plan.replaced},
                            {"deleted", plan.deleted}, {"unchanged", plan.unchanged}};
  if (plan.writes.empty())
    return send_json(response, 200, {{"changeSet", nullptr}, {"published", false}, {"summary", summary}});
  const std::string title = "Upload to " + c.id + ": " + std::to_string(plan.inserted) + " new, " +
                            std::to_string(plan.replaced) + " changed, " + std::to_string(plan.deleted) + " deleted";
  const auto result = changes_.write_batch(who, c, std::move(plan.writes), title, into);
  const std::string b = base(request);
  nlohmann::json doc = {{"changeSet", change_set_json(b, result.change_set)}, {"published", result.published},
                        {"summary", summary}};
  http::Headers headers{{"Location", b + "/changesets/" + std::to_string(result.change_set.id)}};
  send_json(response, result.published ? 200 : 202, doc, headers);
}

void EditingApi::item_history(http::Request& request, http::Response& response) {
  for (const auto& [name, value] : request.query)
    if (name != "f") throw core::UnknownParameter(name);
  const auto c = require_collection(request);
  const auto id = feature_id(request, c.id);
  const auto versions = change_sets_.history(c, id);
  if (versions.empty()) throw core::NotFound("feature '" + std::to_string(id) + "' of '" + c.id + "' has no history");
  send_json(response, 200, history_json(base(request), c, id, versions), {}, "application/geo+json");
}

void EditingApi::list_change_sets(http::Request& request, http::Response& response) {
  const auto who = authenticator_.require(request, kAnyone, "reading change sets");
  store::ChangeSetFilter filter;
  for (const auto& [name, value] : request.query) {
    if (name == "state") {
      filter.state = edit::parse_change_set_state(value);
      if (!filter.state) throw core::InvalidParameter("state", "one of draft, submitted, approved, rejected");
    } else if (name == "collection") {
      filter.collection = value;
    } else if (name == "author") {
      filter.author = value;
    } else if (name != "limit" && name != "offset" && name != "f") {
      throw core::UnknownParameter(name);
    }
  }
  filter.limit = number_param(request, "limit", 100, 1000);
  filter.offset = number_param(request, "offset", 0, std::numeric_limits<std::int64_t>::max());
  send_json(response, 200, change_sets_json(base(request), changes_.list(who, filter)));
}

void EditingApi::create_change_set(http::Request& request, http::Response& response) {
  const auto who = authenticator_.require(request, kAnyone, "creating change sets");
  require_body_type(request, {"application/json"});
  auto doc = nlohmann::json::parse(request.body, nullptr, false);
  if (!doc.is_object() || !doc.contains("collection") || !doc["collection"].is_string())
    throw core::ParsingFailed("body", "a JSON object with \"collection\" (and optionally \"title\") expected");
  const auto& target = doc["collection"].get_ref<const std::string&>();
  auto c = target == edit::kCatalogChangeSets ? std::nullopt : store_.collection(target);
  if (!c && target != edit::kCatalogChangeSets)
    throw core::InvalidValue("collection", "no collection '" + target.substr(0, 100) + "'");
  std::string title;
  if (auto it = doc.find("title"); it != doc.end()) {
    if (!it->is_string() || it->get_ref<const std::string&>().size() > 500)
      throw core::InvalidValue("title", "'title' must be a string of at most 500 characters");
    title = it->get<std::string>();
  }
  const auto cs = c ? changes_.create_draft(who, *c, title) : changes_.create_record_draft(who, title);
  const std::string href = base(request) + "/changesets/" + std::to_string(cs.id);
  send_json(response, 201, change_set_json(base(request), cs), {{"Location", href}});
}

void EditingApi::change_set(http::Request& request, http::Response& response) {
  const auto who = authenticator_.require(request, kAnyone, "reading change sets");
  send_json(response, 200, change_set_json(base(request), changes_.read(who, change_set_id(request))));
}

void EditingApi::review(http::Request& request, http::Response& response) {
  const auto who = authenticator_.require(request, kAnyone, "reading change sets");
  for (const auto& [name, value] : request.query)
    if (name != "limit" && name != "offset" && name != "f") throw core::UnknownParameter(name);
  const auto cs = changes_.read(who, change_set_id(request));
  if (edit::is_grid(cs))  // one change: the grid's description before (the coverage now) and after
    return send_json(response, 200, grid_review_json(base(request), cs, change_sets_.changes(cs.id),
                                                     store_.raster(edit::grid_coverage(cs))));
  const auto reviewed = edit::is_catalog(cs) ? edit::review_records(catalog_, change_sets_, cs)
                                             : edit::review(store_, change_sets_, policy_.rules(),
                                                            changes_.collection_of(cs), cs);
  send_json(response, 200,
            review_json(base(request), cs, reviewed, number_param(request, "offset", 0, 1LL << 40),
                        number_param(request, "limit", 100, 1000)));
}

void EditingApi::act(http::Request& request, http::Response& response) {
  const auto who = authenticator_.require(request, kAnyone, "acting on change sets");
  const auto id = change_set_id(request);
  const std::string action = request.path.substr(request.path.rfind('/') + 1);
  if (!request.body.empty()) require_body_type(request, {"application/json"});
  const std::string comment = comment_of(request);
  edit::ChangeSet cs;
  if (action == "submit") cs = changes_.submit(who, id);
  else if (action == "withdraw") cs = changes_.withdraw(who, id);
  else if (action == "approve") cs = changes_.approve(who, id, comment);
  else if (action == "revert") cs = changes_.revert(who, id);
  else cs = changes_.reject(who, id, comment);
  send_json(response, 200, change_set_json(base(request), cs));
}

void EditingApi::audit_log(http::Request& request, http::Response& response) {
  authenticator_.require(request, {Role::Admin}, "reading the audit log");
  for (const auto& [name, value] : request.query)
    if (name != "limit" && name != "before" && name != "f") throw core::UnknownParameter(name);
  std::optional<std::int64_t> before;
  if (request.param("before")) before = number_param(request, "before", 0, std::numeric_limits<std::int64_t>::max());
  send_json(response, 200, audit_json(change_sets_.audit_log(number_param(request, "limit", 100, 1000), before)));
}

}  // namespace amis::api::editing
