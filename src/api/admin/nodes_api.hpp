#pragma once
// The national nodes over the admin API (issue 16), the same operations as
// `amis node`: GET/POST /admin/nodes, GET/DELETE /admin/nodes/{name},
// POST /admin/nodes/{name}/harvest (queued for the background harvester: 202),
// GET /admin/nodes/{name}/runs, POST /admin/nodes/{name}/sync (an AMIS node's
// change feed pulled in the background: 202, the report at GET
// /admin/nodes/{name}/sync and in the node's "sync"; a body {"skip": N} first
// passes over the change set or gap that stopped the sync at sequence N, an
// empty body retries it); and its collections published here (cascaded or
// mirrored): POST /admin/nodes/{name}/publish, GET /admin/publications[/{id}],
// DELETE /admin/publications/{id}, POST /admin/publications/{id}/sync. Administrators only; a node's token arrives in the
// JSON body and is never echoed (hasToken says whether there is one).
#include <functional>
#include <string>

#include "auth/authenticator.hpp"
#include "federation/node_registry.hpp"
#include "federation/node_sync.hpp"
#include "federation/publications.hpp"
#include "federation/sync_queue.hpp"
#include "http/router.hpp"

namespace amis::api::admin {

class NodesApi {
 public:
  // `queue_harvest` queues a run and says whether it was queued (false: one is
  // queued or running); empty when there is no background harvester: the run is
  // then made during the request and its report answered.
  using QueueHarvest = std::function<bool(const std::string& node)>;
  // `sync_queue`: the background syncs; null when there is none (a sync then
  // runs during the request and its report is answered).
  NodesApi(federation::NodeRegistry& registry, federation::Publications& publications, federation::NodeSync& sync,
           const auth::Authenticator& authenticator, QueueHarvest queue_harvest,
           federation::SyncQueue* sync_queue = nullptr)
      : registry_(registry),
        publications_(publications),
        sync_(sync),
        authenticator_(authenticator),
        queue_harvest_(std::move(queue_harvest)),
        sync_queue_(sync_queue) {}
  void register_routes(http::Router& router);

 private:
  void list_nodes(http::Request& request, http::Response& response);
  void add_node(http::Request& request, http::Response& response);
  void get_node(http::Request& request, http::Response& response);
  void change_node(http::Request& request, http::Response& response);
  void remove_node(http::Request& request, http::Response& response);
  void harvest_node(http::Request& request, http::Response& response);
  void list_runs(http::Request& request, http::Response& response);
  void sync_node(http::Request& request, http::Response& response);
  void get_sync(http::Request& request, http::Response& response);
  // Publications (publications_api.cpp).
  void publish(http::Request& request, http::Response& response);
  void list_publications(http::Request& request, http::Response& response);
  void get_publication(http::Request& request, http::Response& response);
  void withdraw_publication(http::Request& request, http::Response& response);
  void sync_publication(http::Request& request, http::Response& response);

  auth::Principal require_admin(const http::Request& request, std::initializer_list<std::string_view> parameters = {});

  federation::NodeRegistry& registry_;
  federation::Publications& publications_;
  federation::NodeSync& sync_;
  const auth::Authenticator& authenticator_;
  QueueHarvest queue_harvest_;
  federation::SyncQueue* sync_queue_;
};

}  // namespace amis::api::admin
