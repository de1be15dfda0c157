// amis: one binary for the server and the data tools.
#include <gdal.h>
#include <malloc.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/work_limits.hpp"
#include "coverage/coverage_memory.hpp"
#include "render/render_gate.hpp"

#ifndef AMIS_I18N_DIR
#define AMIS_I18N_DIR "web/i18n"
#endif
#ifndef AMIS_STATIC_DIR
#define AMIS_STATIC_DIR "static"
#endif

// Every subcommand's --store.
constexpr const char* kStoreHelp =
    "The store: a GeoPackage file or a postgresql:// URL (default data/amis.gpkg, or [store] url)";

int main(int argc, char** argv) {
  CLI::App app{"AMIS - ASEAN Minerals Information System"};
  app.require_subcommand(1);
  std::string store_path;
  std::string config_path;
  std::optional<int> port;

  auto* serve = app.add_subcommand("serve", "Serve the store over OGC APIs");
  serve->add_option("--config", config_path, "amis.toml")->check(CLI::ExistingFile);
  serve->add_option("--store", store_path, kStoreHelp);
  serve->add_option("--port", port, "TCP port (default 8080; 0 picks a free one)")->check(CLI::Range(0, 65535));

  auto* routes = app.add_subcommand("routes", "List the HTTP routes (method and path pattern) the server answers");
  routes->add_option("--config", config_path, "amis.toml")->check(CLI::ExistingFile);
  routes->add_option("--store", store_path, kStoreHelp);

  amis::ingest::ImportOptions import;
  std::string keywords;
  auto* imp = app.add_subcommand("import", "Import a vector file into a collection");
  imp->add_option("file", import.source, "GeoJSON, Shapefile (.shp or zipped), GeoPackage, KML, GML, CSV, FlatGeobuf, ...")->required();
  imp->add_option("--collection", import.collection, "Collection id to create or replace")->required();
  imp->add_option("--layer", import.layer, "Layer of a multi-layer source");
  imp->add_option("--title", import.title, "Title");
  imp->add_option("--description", import.description, "Description");
  imp->add_option("--keywords", keywords, "Comma-separated keywords");
  imp->add_option("--licence", import.licence, "Licence of the data");
  imp->add_option("--attribution", import.attribution, "Attribution required by the licence");
  imp->add_option("--datetime", import.temporal_property, "Field that `datetime` filters on");
  imp->add_option("--store", store_path, kStoreHelp);
  imp->add_option("--config", config_path, "amis.toml (editing rules, attribute indexes)")->check(CLI::ExistingFile);
  amis::cli::KeyedImport keyed;
  auto* key_option = imp->add_option(
      "--key", keyed.key,
      "Import an existing collection again: apply the difference by this property as one change set "
      "(features keep their ids and history)");
  imp->add_option("--as", keyed.as_user, "The administrator account that publishes a --key import")
      ->needs(key_option);

  std::string collection, format, output;
  auto* exp = app.add_subcommand("export", "Export a collection to a file");
  exp->add_option("--collection", collection, "Collection id")->required();
  exp->add_option("--format", format, "geojson, gpkg, shp, fgb, csv, kml, gml")->required();
  exp->add_option("file", output, "Output file")->required();
  exp->add_option("--store", store_path, kStoreHelp);

  auto* list = app.add_subcommand("collections", "List the collections in the store");
  list->add_option("--store", store_path, kStoreHelp);

  amis::cli::StyleCommand style;
  auto* styles = app.add_subcommand("style", "Manage the named SLD styles of a collection");
  styles->require_subcommand(1);
  auto* style_add = styles->add_subcommand("add", "Add or replace a style from an SLD 1.0 / SE 1.1 file");
  style_add->add_option("--collection", style.collection, "Collection id")->required();
  style_add->add_option("--name", style.name, "Style name (letters, digits, _ - .)")->required();
  style_add->add_option("file", style.file, "The SLD document")->required()->check(CLI::ExistingFile);
  auto* style_list = styles->add_subcommand("list", "List a collection's styles");
  style_list->add_option("--collection", style.collection, "Collection id")->required();
  auto* style_show = styles->add_subcommand("show", "Print a style's SLD");
  style_show->add_option("--collection", style.collection, "Collection id")->required();
  style_show->add_option("--name", style.name, "Style name")->required();
  auto* style_remove = styles->add_subcommand("remove", "Remove a style");
  style_remove->add_option("--collection", style.collection, "Collection id")->required();
  style_remove->add_option("--name", style.name, "Style name")->required();
  for (auto* sub : {style_add, style_list, style_show, style_remove})
    sub->add_option("--store", store_path, kStoreHelp);

  amis::cli::RasterCommand raster;
  auto* rasters = app.add_subcommand("raster", "Manage raster layers");
  rasters->require_subcommand(1);
  auto* raster_add = rasters->add_subcommand(
      "add", "Add or replace a raster layer (a coverage): any raster GDAL reads, stored as a Cloud Optimized GeoTIFF");
  raster_add->add_option("file", raster.file, "The raster (any format GDAL reads)")->required()->check(CLI::ExistingFile);
  raster_add->add_option("--id", raster.id, "Layer id")->required();
  raster_add->add_option("--title", raster.title, "Title");
  raster_add->add_option("--description", raster.description, "Description");
  raster_add->add_option("--attribution", raster.attribution, "Attribution");
  raster_add->add_option("--licence", raster.licence, "Licence");
  raster_add->add_option("--band-names", raster.band_names, "Band names, comma-separated (default: the file's)")
      ->delimiter(',');
  raster_add->add_option("--units", raster.units, "Band units, comma-separated (UCUM: m, nT, ...)")->delimiter(',');
  raster_add->add_option("--band-description", raster.band_descriptions, "A band's description (once per band)");
  raster_add->add_option("--country", raster.country,
                         "The member state (ISO 3166 alpha-3) whose editors replace its grid; \"\" for a regional "
                         "coverage (default: the coverage's stored one, or none)");
  raster_add->add_option("--store", store_path, kStoreHelp);

  amis::cli::AccountCommand account;
  auto* users = app.add_subcommand("user", "Manage user accounts (passwords on standard input)");
  users->require_subcommand(1);
  auto* user_add = users->add_subcommand("add", "Add a user");
  user_add->add_option("name", account.name, "User name")->required();
  user_add->add_option("--role", account.role, "admin, reviewer, editor or node (another AMIS reading the change feed)")->required();
  user_add->add_option("--country", account.country, "ISO alpha-3 of an editor's member state");
  auto* user_list = users->add_subcommand("list", "List the users");
  auto* user_passwd = users->add_subcommand("passwd", "Set a user's password");
  user_passwd->add_option("name", account.name, "User name")->required();
  auto* user_disable = users->add_subcommand("disable", "Disable a user (and their tokens)");
  user_disable->add_option("name", account.name, "User name")->required();
  auto* user_enable = users->add_subcommand("enable", "Enable a user again");
  user_enable->add_option("name", account.name, "User name")->required();
  auto* tokens = app.add_subcommand("token", "Manage API tokens (bearer tokens for machine clients)");
  tokens->require_subcommand(1);
  auto* token_create = tokens->add_subcommand("create", "Create a token for a user (printed once)");
  token_create->add_option("name", account.name, "User name")->required();
  token_create->add_option("--label", account.label, "What the token is for");
  auto* token_list = tokens->add_subcommand("list", "List a user's tokens");
  token_list->add_option("name", account.name, "User name")->required();
  auto* token_revoke = tokens->add_subcommand("revoke", "Revoke a token");
  token_revoke->add_option("id", account.token_id, "Token id (from token list)")->required();
  for (auto* sub : {user_add, user_list, user_passwd, user_disable, user_enable, token_create, token_list, token_revoke})
    sub->add_option("--store", store_path, kStoreHelp);

  amis::cli::CatalogImport catalog_import;
  auto* catalogs = app.add_subcommand("catalog", "Manage the metadata catalogue");
  catalogs->require_subcommand(1);
  auto* catalog_imp = catalogs->add_subcommand(
      "import", "Import ISO 19139 (gmd:MD_Metadata) documents, validated against the ISO schemas");
  catalog_imp->add_option("sources", catalog_import.sources, "ISO documents, or folders of them (*.xml)")
      ->required()
      ->check(CLI::ExistingPath);
  catalog_imp->add_option("--threads", catalog_import.threads, "Threads reading documents (default: one per processor)")
      ->check(CLI::Range(0, 64));
  catalog_imp->add_option("--store", store_path, kStoreHelp);
  catalog_imp->add_option("--config", config_path, "amis.toml")->check(CLI::ExistingFile);

  amis::cli::WorkPlanCommand workplan;
  auto* workplans = app.add_subcommand("workplan", "Manage the ASOMM+3 work plans (progress monitoring)");
  workplans->require_subcommand(1);
  auto* workplan_load = workplans->add_subcommand("load", "Load (or replace) a work plan from its YAML form");
  workplan_load->add_option("file", workplan.file, "The work plan's YAML (data/workplans/*.yaml)")
      ->required()
      ->check(CLI::ExistingFile);
  auto* workplan_appendix = workplans->add_subcommand(
      "import-appendix", "Import a work plan's Appendix (leads, dates, indicators) from the CSV template");
  workplan_appendix->add_option("file", workplan.file, "The Appendix CSV (docs/workplan.md)")
      ->required()
      ->check(CLI::ExistingFile);
  workplan_appendix->add_option("--plan", workplan.plan, "The work plan (default: the only one in the store)");
  auto* workplan_template = workplans->add_subcommand("appendix-template", "Print the Appendix CSV template of a plan");
  workplan_template->add_option("--plan", workplan.plan, "The work plan (default: the only one in the store)");
  auto* workplan_list = workplans->add_subcommand("list", "List the work plans in the store");
  auto* workplan_forget = workplans->add_subcommand(
      "forget-evidence", "Remove evidence documents that no report cites, uploaded more than --days days ago");
  workplan_forget->add_option("--days", workplan.days,
                              "Days after the upload (default: [workplan] evidence_retention_days; 0: all uncited)")
      ->check(CLI::Range(0, 36500));
  for (auto* sub : {workplan_load, workplan_appendix, workplan_template, workplan_list, workplan_forget}) {
    sub->add_option("--store", store_path, kStoreHelp);
    sub->add_option("--config", config_path, "amis.toml")->check(CLI::ExistingFile);
  }
  amis::cli::StoreCopy store_copy;
  auto* stores = app.add_subcommand("store", "Manage whole stores");
  stores->require_subcommand(1);
  auto* store_copy_command = stores->add_subcommand(
      "copy", "Copy a whole store (collections, history, accounts, styles, change sets, audit, catalogue) into "
              "another: GeoPackage or PostgreSQL, either way");
  store_copy_command->add_option("from", store_copy.from, "The store to copy: a GeoPackage file or a postgresql:// URL")
      ->required();
  store_copy_command->add_option("to", store_copy.to, "The store to write: a GeoPackage file or a postgresql:// URL")
      ->required();
  store_copy_command->add_flag("--replace", store_copy.replace,
                               "Replace everything in a target store that is not empty");
  store_copy_command->add_option("--config", config_path, "amis.toml ([store] data_dir, pool_size)")
      ->check(CLI::ExistingFile);
  amis::cli::NodeCommand node;
  auto* nodes = app.add_subcommand("node", "Manage the national nodes harvested into the catalogue");
  nodes->require_subcommand(1);
  auto* node_add = nodes->add_subcommand("add", "Register a node");
  node_add->add_option("name", node.name, "Node name (a-z, 0-9, - and _)")->required();
  node_add->add_option("url", node.url, "The node's http(s) URL: a CSW endpoint, a landing page, a catalogue, a WMS/WFS")
      ->required();
  node_add->add_option("--kind", node.kind, "amis, csw, records, oapif, wfs, wms or wmts")->required();
  node_add->add_option("--country", node.country, "ISO alpha-3 of the node's member state")->required();
  node_add->add_option("--schedule", node.schedule, "Harvest every 30m, 6h, 1d ... or off (default 6h)");
  node_add->add_option("--rate", node.rate,
                       "Requests a second sent to the node at most, by everything that asks it: 2, 0.5, 30/min "
                       "... or off (default)");
  node_add->add_option("--token", node.token, "A bearer token the node asks for (kept, never shown)");
  auto* node_list = nodes->add_subcommand("list", "List the nodes");
  auto* node_set = nodes->add_subcommand("set", "Change a node's schedule, rate limit or token (its records stay)");
  node_set->add_option("name", node.name, "Node name")->required();
  node_set->add_option("--schedule", node.new_schedule, "Harvest every 30m, 6h, 1d ... or off");
  node_set->add_option("--rate", node.new_rate, "Requests a second at most: 2, 0.5, 30/min ... or off");
  node_set->add_option("--token", node.new_token, "A bearer token the node asks for (\"\": none)");
  std::vector<CLI::App*> node_subs{node_add, node_list, node_set};
  for (const char* action : {"show", "runs", "remove", "harvest"}) {
    const std::string help = std::string(action) == "show"    ? "Show a node and its last run"
                             : std::string(action) == "runs"  ? "Show a node's latest run reports"
                             : std::string(action) == "remove" ? "Remove a node and withdraw its records"
                                                               : "Harvest a node now and print the report";
    auto* sub = nodes->add_subcommand(action, help);
    sub->add_option("name", node.name, "Node name")->required();
    node_subs.push_back(sub);
  }
  auto* node_publish = nodes->add_subcommand("publish", "Publish a node's collection (OGC API), feature type (WFS) or layer (WMS) "
                                                        "as an AMIS collection, cascaded or mirrored");
  node_publish->add_option("name", node.name, "Node name")->required();
  node_publish->add_option("source", node.source_id, "The collection or feature type's id at the node")->required();
  node_publish->add_option("--collection", node.collection, "The AMIS collection id")->required();
  node_publish->add_option("--mode", node.mode, "cascade (read through, default) or mirror (copied on schedule)");
  auto* node_published = nodes->add_subcommand("published", "List the published collections of nodes");
  node_subs.push_back(node_publish);
  node_subs.push_back(node_published);
  for (const char* action : {"unpublish", "sync"}) {
    auto* sub = nodes->add_subcommand(action, std::string(action) == "sync" ? "Sync an AMIS node's approved change sets now (NAME: the node), or copy a mirrored collection again (NAME: the collection)"
                                                                           : "Withdraw a published collection");
    sub->add_option("collection", node.collection, std::string(action) == "sync" ? "An AMIS node's name, or a mirrored collection's id" : "The AMIS collection id")->required();
    if (std::string(action) == "sync") {
      auto* skip = sub->add_option("--skip", node.skip,
                                   "An AMIS node's sync stopped at this sequence (its report's stoppedAt): pass over "
                                   "that change set (or the gap before it), then sync on");
      sub->add_flag("--resume", node.resume,
                    "Retry an AMIS node's stopped sync (after its conflict was resolved by hand)")->excludes(skip);
    }
    node_subs.push_back(sub);
  }
  for (auto* sub : node_subs) {
    sub->add_option("--store", store_path, kStoreHelp);
    sub->add_option("--config", config_path, "amis.toml")->check(CLI::ExistingFile);
  }

  CLI11_PARSE(app, argc, argv);

  spdlog::set_default_logger(spdlog::stderr_color_mt("amis"));
  spdlog::stdout_color_mt("access")->set_pattern("%v");
  GDALAllRegister();
  CPLSetErrorHandler(CPLQuietErrorHandler);

  try {
    amis::config::Config config;
    if (!config_path.empty()) config = amis::config::load_config(config_path);
    if (!store_path.empty()) config.store_path = store_path;
    if (config.static_dir.empty()) config.static_dir = AMIS_STATIC_DIR;
    if (config.portal_dir.empty()) config.portal_dir = AMIS_PORTAL_DIR;
    // The country profiles' field list and summaries are AMIS's own data, not web assets: a
    // [server] static_dir of an operator's own does not move them.
    if (config.invest.fields.empty()) config.invest.fields = AMIS_STATIC_DIR "/invest/profile-fields.json";
    if (config.invest.summaries_file.empty()) config.invest.summaries_file = AMIS_STATIC_DIR "/invest/summaries.toml";
    if (config.invest.translations.empty()) config.invest.translations = AMIS_I18N_DIR;
    if (*serve) {
      if (port) config.server.port = static_cast<unsigned short>(*port);
      spdlog::set_level(spdlog::level::from_str(config.log_level));
      // The render gate is the process's (render/render_gate.hpp): set here, before
      // any service draws, rather than in serve(), which wires the services.
      amis::render::configure_render_gate(config.render);
      amis::coverage::configure_coverage_memory(config.coverage_memory);
      // Blocks of 256 KiB and more (decoded COG tiles, coverage answers, big pages)
      // are mapped and given back to the system when freed. glibc otherwise raises
      // this threshold after the first such free and keeps freed blocks in each
      // thread's arena: 8 concurrent 4096 x 4096 coverage windows then added 553 MB
      // of resident memory where they hold 160 MB (bench/wcs_peer.py).
      mallopt(M_MMAP_THRESHOLD, 256 * 1024);
      amis::core::set_work_limits(config.work);
      return amis::cli::serve(config);
    }
    if (*routes) return amis::cli::list_routes(config);
    if (*catalog_imp) return amis::cli::catalog_import(config, catalog_import);
    if (*workplans) {
      for (auto* sub : workplans->get_subcommands()) workplan.action = sub->get_name();
      return amis::cli::workplan_command(config, workplan);
    }
    if (*store_copy_command) return amis::cli::store_copy(config, store_copy);
    if (*nodes) {
      for (auto* sub : nodes->get_subcommands()) node.action = sub->get_name();
      return amis::cli::node_command(config, node);
    }
    if (*imp) {
      size_t start = 0;
      while (start < keywords.size()) {
        auto end = keywords.find(',', start);
        auto k = keywords.substr(start, end - start);
        if (!k.empty()) import.keywords.push_back(k);
        if (end == std::string::npos) break;
        start = end + 1;
      }
      if (!keyed.key.empty() && keyed.as_user.empty()) {
        std::cerr << "amis: --key needs --as <administrator>: the change set is published in their name\n";
        return 1;
      }
      return amis::cli::import_file(config, import,
                                    keyed.key.empty() ? std::nullopt : std::optional<amis::cli::KeyedImport>(keyed));
    }
    if (*exp) return amis::cli::export_collection(amis::cli::store_location(config), collection, format, output);
    if (*list) return amis::cli::list_collections(amis::cli::store_location(config));
    if (*rasters) return amis::cli::raster_command(config, raster);
    if (*users || *tokens) {
      auto* group = *users ? users : tokens;
      for (auto* sub : group->get_subcommands()) account.action = group->get_name() + " " + sub->get_name();
      return amis::cli::account_command(config, account);
    }
    if (*styles) {
      for (auto* sub : styles->get_subcommands()) style.action = sub->get_name();
      return amis::cli::style_command(config, style);
    }
  } catch (const amis::core::OgcError& e) {
    std::cerr << "amis: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "amis: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
