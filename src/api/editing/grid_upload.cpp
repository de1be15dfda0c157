// Grids of coverages through change sets (issue 17): an upload replacing a
// coverage's grid, reviewed as features are, and the coverage's versions.
#include <cctype>

#include "api/editing/editing_api.hpp"
#include "api/editing/editing_documents.hpp"
#include "api/editing/grid_documents.hpp"
#include "core/error.hpp"

namespace amis::api::editing {
namespace {

using nlohmann::json;

// ".tif" from "magnetics.tif": the extension some GDAL drivers need, letters
// and digits only; empty for none.
std::string extension_of(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || name.size() - dot > 9) return {};
  std::string out = ".";
  for (char c : name.substr(dot + 1)) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return {};
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out.size() > 1 ? out : std::string();
}

json band_json(const store::RasterBand& b) {
  return {{"name", b.name}, {"unit", b.unit}, {"description", b.description}, {"data_type", b.data_type},
          {"nodata", b.nodata ? json(*b.nodata) : json()}, {"min", b.min}, {"max", b.max}};
}

}  // namespace

json grid_review_json(const std::string& base, const edit::ChangeSet& cs, const std::vector<edit::Change>& changes,
                      const std::optional<store::RasterLayer>& coverage) {
  json before = nullptr;
  if (coverage) {
    auto bands = json::array();
    for (const auto& b : coverage->bands) bands.push_back(band_json(b));
    before = {{"grid", std::filesystem::path(coverage->path).filename().string()},
              {"extent", {coverage->extent.min_x, coverage->extent.min_y, coverage->extent.max_x, coverage->extent.max_y}},
              {"bands", bands}};
  }
  auto list = json::array();
  for (const auto& c : changes) {
    json problems = json::array();
    if (coverage && cs.state == edit::ChangeSetState::Submitted &&
        std::filesystem::path(coverage->path).filename().string() != c.base)
      problems.push_back("the coverage's grid was replaced since this one was uploaded");
    list.push_back({{"operation", edit::to_string(c.operation)}, {"base", c.base}, {"before", before},
                    {"after", c.after.properties}, {"problems", problems}});
  }
  return {{"changeSet", change_set_json(base, cs)}, {"coverage", edit::grid_coverage(cs)}, {"changes", list}};
}

json grid_history_json(const std::string& base, const store::RasterLayer& coverage,
                       const std::vector<edit::GridVersion>& versions) {
  auto list = json::array();
  for (const auto& v : versions) {
    json entry = {{"version", v.number}, {"grid", v.file}, {"current", v.current},
                  {"author", v.author.empty() ? json() : json(v.author)},
                  {"time", v.time.empty() ? json() : json(v.time)}};
    // The grid itself, read-only (api/coverages: coverage?version=N).
    entry["links"] = json::array({{{"href", base + "/collections/" + coverage.id + "/coverage?version=" +
                                                std::to_string(v.number)},
                                   {"rel", "http://www.opengis.net/def/rel/ogc/1.0/coverage"},
                                   {"type", "image/tiff; application=geotiff"},
                                   {"title", "this version's grid as GeoTIFF"}}});
    entry["changeSet"] = v.change_set ? json(*v.change_set) : json();
    if (v.change_set)
      entry["links"].push_back({{"href", base + "/changesets/" + std::to_string(*v.change_set)},
                                {"rel", "related"}, {"type", "application/json"}, {"title", "the change set"}});
    list.push_back(std::move(entry));
  }
  return {{"coverage", coverage.id}, {"versions", list},
          {"links", json::array({{{"href", base + "/collections/" + coverage.id + "/coverage/history"},
                                  {"rel", "self"}, {"type", "application/json"}, {"title", "this document"}}})}};
}

void EditingApi::upload_grid(http::Request& request, http::Response& response) {
  const auto& id = request.path_param("collectionId");
  std::string title, extension;
  for (const auto& [name, value] : request.query) {
    if (name == "title") {
      if (value.size() > 500) throw core::InvalidParameter("title", "at most 500 characters");
      title = value;
    } else if (name == "filename") {
      extension = extension_of(value);
    } else {
      throw core::UnknownParameter(name);
    }
  }
  const auto who = authenticator_.require(request, {auth::Role::Admin, auth::Role::Reviewer, auth::Role::Editor},
                                          "uploading grids");
  const auto coverage = store_.raster(id);
  if (!coverage) throw core::NotFound("no coverage '" + id.substr(0, 64) + "'");
  if (request.body.empty()) throw core::InvalidValue("file", "the request's body is the grid's file: it is empty");
  const auto slot = upload_slots_.take(policy_.rules().concurrent_uploads);
  const auto result = changes_.upload_grid(who, *coverage, request.body, extension, title);
  const std::string b = base(request);
  http::Headers headers{{"Location", b + "/changesets/" + std::to_string(result.change_set.id)}};
  response.send(result.published ? 200 : 202, "application/json",
                json{{"changeSet", change_set_json(b, result.change_set)}, {"published", result.published}}.dump(),
                headers);
}

void EditingApi::grid_history(http::Request& request, http::Response& response) {
  for (const auto& [name, value] : request.query)
    if (name != "f") throw core::UnknownParameter(name);
  const auto& id = request.path_param("collectionId");
  const auto coverage = store_.raster(id);
  if (!coverage) throw core::NotFound("no coverage '" + id.substr(0, 64) + "'");
  response.send(200, "application/json",
                grid_history_json(base(request), *coverage, changes_.grid_history(*coverage)).dump());
}

}  // namespace amis::api::editing
