// A node's collections published here (issue 16), over the admin API.
#include "api/admin/admin_body.hpp"
#include "api/admin/nodes_api.hpp"
#include "core/error.hpp"

namespace amis::api::admin {

using nlohmann::json;

void NodesApi::publish(http::Request& request, http::Response& response) {
  require_admin(request);
  const auto node = registry_.node(request.path_param("name"));
  const auto doc = body_object(request, {"sourceId", "collection", "mode"});
  const auto mode = text_member(doc, "mode", false);
  const auto published =
      publications_.publish(node.name, text_member(doc, "sourceId", true), text_member(doc, "collection", true),
                            federation::parse_publish_mode(mode.empty() ? "cascade" : mode));
  send_json(response, 201, federation::publication_json(published),
            {{"Location", "/admin/publications/" + published.collection}});
}

void NodesApi::list_publications(http::Request& request, http::Response& response) {
  require_admin(request);
  json all = json::array();
  for (const auto& p : publications_.list()) all.push_back(federation::publication_json(p));
  send_json(response, 200, {{"publications", all}});
}

void NodesApi::get_publication(http::Request& request, http::Response& response) {
  require_admin(request);
  send_json(response, 200, federation::publication_json(publications_.get(request.path_param("collection"))));
}

void NodesApi::withdraw_publication(http::Request& request, http::Response& response) {
  require_admin(request);
  const auto& id = request.path_param("collection");
  publications_.withdraw(id);
  send_json(response, 200, {{"collection", id}, {"withdrawn", true}});
}

void NodesApi::sync_publication(http::Request& request, http::Response& response) {
  require_admin(request);
  const auto report = publications_.sync(request.path_param("collection"));
  send_json(response, report.error.empty() ? 200 : 502, federation::mirror_report_json(report));
}

}  // namespace amis::api::admin
