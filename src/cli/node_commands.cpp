// `amis node add|list|show|remove|harvest|runs|publish|published|unpublish|sync`: the
// national nodes (issue 16) and their collections published here.
#include <iostream>

#include "catalog/iso_schema.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "federation/node_json.hpp"
#include "federation/node_registry.hpp"
#include "federation/node_sync.hpp"
#include "store/open_store.hpp"

namespace amis::cli {

namespace {

bool is_amis_node(federation::NodeRegistry& registry, const std::string& name) {
  for (const auto& n : registry.nodes())
    if (n.name == name) return n.kind == federation::NodeKind::Amis;
  return false;
}

}  // namespace

int node_command(const config::Config& config, const NodeCommand& command) {
  catalog::IsoSchemaOnce schema(std::filesystem::path(config.static_dir) / "schemas");
  auto opened = store::open_store(store_location(config));
  const auto getter = federation::make_http_getter(config.federation.ca_file);
  federation::NodeRegistry registry(*opened.nodes, *opened.catalog, schema, *getter, federation_options(config));
  federation::Publications publications(*opened.nodes, *opened.features, *opened.change_sets, *getter,
                                        publish_options(config));
  edit::EditingPolicy policy(config.editing);
  federation::NodeSync node_sync(*opened.nodes, *opened.change_sets, *opened.features, policy, *getter,
                                 sync_options(config));
  const auto print = [](const nlohmann::json& doc) {
    std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  };
  if (command.action == "add") {
    federation::Node node;
    node.name = command.name;
    node.url = command.url;
    node.kind = federation::parse_node_kind(command.kind);
    node.country = command.country;
    node.schedule_seconds = federation::parse_schedule(command.schedule);
    node.token = command.token;
    node.rate_limit = federation::parse_rate_limit(command.rate);
    print(federation::node_json(registry.add(node)));
  } else if (command.action == "set") {
    federation::NodeSettings settings;
    if (command.new_schedule) settings.schedule_seconds = federation::parse_schedule(*command.new_schedule);
    if (command.new_rate) settings.rate_limit = federation::parse_rate_limit(*command.new_rate);
    if (command.new_token) settings.token = *command.new_token;
    print(federation::node_json(registry.change(command.name, settings)));
  } else if (command.action == "list") {
    for (const auto& n : registry.nodes())
      std::cout << n.name << '\t' << federation::to_string(n.kind) << '\t' << n.country << '\t'
                << federation::schedule_text(n.schedule_seconds) << '\t' << n.url << "\n";
  } else if (command.action == "show") {
    auto doc = federation::node_json(registry.node(command.name));
    const auto runs = registry.runs(command.name, 1);
    doc["lastRun"] = runs.empty() ? nlohmann::json(nullptr) : federation::run_json(runs.front());
    doc["sync"] = federation::sync_json(node_sync.last(command.name));
    print(doc);
  } else if (command.action == "runs") {
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& r : registry.runs(command.name, 20)) runs.push_back(federation::run_json(r));
    print(runs);
  } else if (command.action == "remove") {
    const auto withdrawn = registry.remove(command.name);
    std::cout << "node " << command.name << " removed; " << withdrawn << " records withdrawn from the catalogue\n";
  } else if (command.action == "harvest") {
    const auto run = registry.harvest(command.name);
    print(federation::run_json(run));
    if (run.status != federation::RunStatus::Failed)
      for (const auto& r : publications.sync_node(command.name)) print(federation::mirror_report_json(r));
    return run.status == federation::RunStatus::Succeeded ? 0 : 2;
  } else if (command.action == "publish") {
    print(federation::publication_json(publications.publish(command.name, command.source_id, command.collection,
                                                            federation::parse_publish_mode(command.mode))));
  } else if (command.action == "published") {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& p : publications.list()) all.push_back(federation::publication_json(p));
    print(all);
  } else if (command.action == "unpublish") {
    publications.withdraw(command.collection);
    std::cout << "collection " << command.collection << " withdrawn\n";
  } else if (command.action == "sync" && is_amis_node(registry, command.collection)) {
    // `amis node sync NAME [--skip N | --resume]` of an AMIS node: its change feed
    // (issue 16); the skip is the store's administrator's, as other CLI changes are.
    if (command.skip > 0) node_sync.skip(command.collection, command.skip, "[amis node sync]");
    const auto report = node_sync.sync(command.collection);
    print(federation::sync_json(report));
    return report.status == federation::SyncStatus::Synced ? 0 : 2;
  } else if (command.action == "sync") {
    if (command.skip > 0 || command.resume)
      throw core::InvalidValue("skip", "'" + command.collection + "' is not an AMIS node: --skip and --resume are for "
                                       "a node's change feed");
    const auto report = publications.sync(command.collection);
    print(federation::mirror_report_json(report));
    return report.error.empty() ? 0 : 2;
  }
  return 0;
}

}  // namespace amis::cli
