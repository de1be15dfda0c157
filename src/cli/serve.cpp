// The composition root: the store, the services and the HTTP server are built
// and wired here, and nowhere else.
#include <csignal>
#include <memory>
#include <set>
#include <filesystem>
#include <functional>
#include <optional>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <spdlog/spdlog.h>

#include "api/admin/admin_api.hpp"
#include "api/admin/nodes_api.hpp"
#include "api/common/downloads.hpp"
#include "api/records/records_api.hpp"
#include "api/auth/session_api.hpp"
#include "api/coverages/coverages_api.hpp"
#include "edit/grid_owners.hpp"
#include "api/csw/csw_service.hpp"
#include "api/editing/editing_api.hpp"
#include "api/records/records_transactions.hpp"
#include "api/features/features_api.hpp"
#include "api/health/health_api.hpp"
#include "api/health/metrics_api.hpp"
#include "api/invest/countries_api.hpp"
#include "api/needs/needs_api.hpp"
#include "api/changes/changes_api.hpp"
#include "api/styles/styles_api.hpp"
#include "api/tiles/tiles_api.hpp"
#include "api/usage/usage_api.hpp"
#include "api/usage/usage_reports_api.hpp"
#include "api/wfs/wfs_service.hpp"
#include "api/wms/wms_service.hpp"
#include "api/wcs/wcs_service.hpp"
#include "api/wmts/wmts_service.hpp"
#include "api/workplan/workplan_api.hpp"
#include "cli/commands.hpp"
#include "core/translations.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/read_routing.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "monitor/country_database.hpp"
#include "monitor/request_metrics.hpp"
#include "monitor/usage_aggregator.hpp"
#include "monitor/usage_recorder.hpp"
#include "auth/authenticator.hpp"
#include "auth/read_access.hpp"
#include "workplan/evidence_retention.hpp"
#include "catalog/derived_records.hpp"
#include "catalog/iso_schema.hpp"
#include "federation/cascading_store.hpp"
#include "federation/distributed_search.hpp"
#include "federation/harvest_scheduler.hpp"
#include "federation/sync_queue.hpp"
#include "federation/publications.hpp"
#include "store/visible_store.hpp"
#include "styles/style_catalog.hpp"
#include "tiles/tile_cache.hpp"
#include "tiles/tile_maker.hpp"
#include "invest/live_summaries.hpp"
#include "invest/profile_service.hpp"
#include "workplan/activity_collection.hpp"
#include "needs/need_service.hpp"
#include "workplan/progress_service.hpp"

namespace amis::cli {
namespace {

// What with_router hands out while the services it built live.
struct Wired {
  http::Router& router;
  const tiles::TileCache* tile_cache;  // null when the tile cache is off (tile_cache_max_mb = 0)
  monitor::UsageAggregator* usage;     // null when [usage] enabled = false; `serve` starts it
  const http::Router* metrics_router;  // /metrics alone, for [metrics] port; null when on the main port or off
};

// The country database of [usage], or none (every country by address "unknown")
// when its file is missing or unreadable.
std::unique_ptr<monitor::CountryDatabase> open_country_database(const monitor::UsageOptions& options) {
  if (!options.country_database.empty() && std::filesystem::exists(options.country_database)) {
    try {
      return std::make_unique<monitor::CountryDatabase>(options.country_database, options.country_codes);
    } catch (const std::exception& e) {
      spdlog::warn("usage statistics: {}; countries by address are \"unknown\"", e.what());
    }
  } else if (options.enabled) {
    spdlog::warn("usage statistics: no country database at '{}' (scripts/setup-debian.sh fetches it); "
                 "countries by address are \"unknown\"", options.country_database);
  }
  return std::make_unique<monitor::CountryDatabase>();
}

// The clock every service takes as now: the system's, or [server] clock.
core::Clock service_clock(const config::Config& config) {
  if (config.clock.empty()) return core::system_clock();
  spdlog::warn("the clock is fixed at {} ([server] clock)", config.clock);
  return core::fixed_clock(*core::parse_utc(config.clock));
}

// A member state's datasets for the usage reports (issue 18): the collections and raster
// layers whose catalogue record names the state, then the collections holding features of it
// by the country property (as the country profiles list them).
std::vector<monitor::StateDataset> state_datasets(store::Store& store, store::CatalogStore& catalog,
                                                  const std::string& country_property, const std::string& iso3) {
  std::vector<monitor::StateDataset> out;
  std::set<std::string, std::less<>> seen;
  for (const auto& r : invest::country_records(catalog, iso3, 1000)) {
    const auto id = r["id"].get<std::string>();
    for (const std::string prefix : {"amis:collection:", "amis:raster:"})
      if (id.starts_with(prefix) && seen.insert(id.substr(prefix.size())).second)
        out.push_back({id.substr(prefix.size()), "record", 0});
  }
  for (const auto& d : invest::country_datasets(store, iso3, country_property, invest::kProfileCollection))
    if (seen.insert(d["id"].get<std::string>()).second)
      out.push_back({d["id"].get<std::string>(), "features", d["features"].get<std::int64_t>()});
  return out;
}

// The country profiles' field list and live summaries ([invest]; by default the
// files in static/invest/).
invest::FieldList profile_fields(const config::Config& config) {
  return invest::load_field_list(config.invest.fields.empty() ? config.static_dir + "/invest/profile-fields.json"
                                                              : config.invest.fields);
}

std::vector<invest::SummarySpec> profile_summaries(const config::Config& config) {
  if (!config.invest.summaries.empty()) return config.invest.summaries;
  return invest::load_summaries(config.invest.summaries_file.empty() ? config.static_dir + "/invest/summaries.toml"
                                                                      : config.invest.summaries_file);
}

// Builds the store, the services and the router, and hands the router to `use`
// while they live: `serve` serves it, `routes` lists it.
void with_router(const config::Config& config, bool serving, const std::function<void(const Wired&)>& use) {
  const auto where = store_location(config);
  if (!store::store_exists(where))
    throw std::runtime_error("no store at " + store::describe(where) +
                             ": create it with `amis import` (or scripts/load-demo.sh)");
  auto opened = store::open_store(where);
  store::Store& stored = *opened.features;
  for (const auto& c : stored.collections()) {  // indexes added to amis.toml, or a store from an older amis
    try {
      const auto indexes = store::ensure_attribute_indexes(stored, c, index_rules(config, c.id));
      spdlog::debug("collection {}: attribute indexes {}", c.id, store::describe_indexes(indexes));
    } catch (const core::OgcError& e) {
      // Nodes of one store that start together race to create the same index: once more,
      // when the other node's index is there and this one's CREATE ... IF NOT EXISTS passes.
      spdlog::debug("collection {}: attribute indexes again after: {}", c.id, e.what());
      store::ensure_attribute_indexes(stored, c, index_rules(config, c.id));
    }
  }
  store::AccountStore& accounts = *opened.accounts;
  auth::Authenticator authenticator(accounts, config.admin_token);
  // Every service reads through `store`: what the caller of each request may see.
  const auth::ReadAccess read_access(config.restricted);
  // National nodes' collections cascaded here (issue 16) are read through to the node.
  const auto http_getter = federation::make_http_getter(config.federation.ca_file);
  federation::Cascade cascade(*opened.nodes, *http_getter, cascade_options(config));
  federation::CascadingStore cascading(stored, cascade);
  federation::WmsCascade wms_cascade(cascade, *http_getter, cascade_options(config));  // WMS layers drawn by nodes
  store::VisibleStore store(cascading, read_access);
  http::Router router;
  router.set_middleware([&authenticator](http::Request& rq, http::Response& rs, const http::Handler& next) {
    const auth::RequestPrincipal caller(authenticator.identify(rq));
    if (const auto& who = auth::RequestPrincipal::current()) rq.member_state = who->country;
    // Only a request that cannot have written may read from a replica: anonymous GET/HEAD.
    const core::ReplicaReads replica_reads(!auth::RequestPrincipal::current() &&
                                           (rq.method == "GET" || rq.method == "HEAD"));
    next(rq, rs);
  });
  // The catalogue (issue 15): records kept current from the public collections,
  // styles and raster layers, checked at start and before every catalogue read.
  store::CatalogStore& catalog_store = *opened.catalog;
  catalog::DerivationContext derivation{config.service.title, {}, [&read_access](std::string_view id) {
                                          return !read_access.restricted(id);
                                        }, {}};
  for (const auto& d : api::download_formats())
    derivation.downloads.push_back({d.name, d.media_type, d.title});
  derivation.cascaded = [&cascade] {  // national nodes' collections and layers cascaded here
    std::vector<catalog::CascadedSource> out;
    for (auto& s : cascade.cascaded_sources())
      out.push_back({std::move(s.collection), s.node.kind == federation::NodeKind::Wms, s.node.name, s.node.country,
                     std::move(s.source_id), std::move(s.published)});
    return out;
  };
  catalog::RecordKeeper record_keeper(stored, catalog_store, derivation);
  try {
    spdlog::debug("catalogue: {} records changed at start, {} records", record_keeper.refresh(), catalog_store.size());
  } catch (const core::OgcError& e) {  // the catalogue must not keep the services from starting
    spdlog::warn("catalogue: records not refreshed at start: {}", e.what());
  }
  api::records::RecordsApi records_api(catalog_store, record_keeper,
                                       {"AMIS metadata catalogue",
                                        "ISO 19115 metadata of the data, maps and services of " + config.service.title,
                                        config.service.base_url});
  records_api.register_routes(router);  // before the Features routes: /collections/catalog is the catalogue's
  // OGC API - Coverages over the raster layers (issue 17): their collections are
  // listed and described by the Features API, their coverage routes are theirs.
  api::coverages::CoveragesApi coverages_api(store, config.coverages, config.service.base_url);
  coverages_api.register_routes(router);
  api::features::FeaturesApi features(store, config.service);
  features.set_other_collections([&records_api, &coverages_api](const std::string& base) {
    auto entries = coverages_api.collection_entries(base);
    entries.insert(entries.begin(), records_api.collection_entry(base));
    return entries;
  });
  features.set_other_collection([&coverages_api](const std::string& id, const std::string& base) {
    return coverages_api.collection_entry(id, base);
  });
  features.register_routes(router);
  styles::StyleCatalog style_catalog(store, std::filesystem::path(config.static_dir) / "symbols");
  api::wms::WmsService wms(store, style_catalog, {config.service.title, config.service.description, config.service.base_url,
                                   config.wms_max_width, config.wms_max_height});
  wms.set_cascade(&wms_cascade);
  wms.register_routes(router);
  store::ChangeSetStore& change_sets = *opened.change_sets;
  // Progress reports (issue 19) are edits of workplan_progress that only the
  // activity's lead, co-lead and country coordinator may write.
  store::WorkPlanStore& work_plans = *opened.work_plans;
  edit::EditingRules editing_rules = config.editing;
  editing_rules.published_from = [&cascade](std::string_view id) { return cascade.published_from(id); };
  {
    auto& rules = editing_rules.collections.try_emplace(workplan::kProgressCollection, editing_rules.defaults).first->second;
    rules.country_property = "iso3";
    rules.scope = std::make_shared<workplan::ProgressScope>(work_plans);
  }
  editing_rules.collections.try_emplace(workplan::kActivityCollection, editing_rules.defaults)
      .first->second.derived_from = "the work plans and their approved progress reports";
  // Country investment profiles (issue 20) are edits of country_profiles, each
  // profile by its own member state's editors.
  const auto fields = profile_fields(config);
  {
    auto& rules = editing_rules.collections.try_emplace(invest::kProfileCollection, editing_rules.defaults).first->second;
    rules.country_property = "iso3";
    rules.scope = std::make_shared<invest::ProfileScope>(fields);
  }
  try {
    edit::adopt_configured_countries(stored, editing_rules);
  } catch (const std::exception& e) {  // a read-only store keeps serving; editors' grid uploads are refused
    spdlog::warn("coverages: configured member states not moved into the store: {}", e.what());
  }
  edit::EditingPolicy editing_policy(editing_rules);
  edit::ChangeService change_service(store, change_sets, editing_policy, &catalog_store);
  // A cascaded collection has neither versions nor history here: the node keeps them.
  features.set_etags([&change_service, &cascade](const core::Collection& c,
                                                 std::int64_t fid) -> decltype(change_service.etag(c, fid)) {
    if (cascade.collection(c.id)) return {};
    return change_service.etag(c, fid);
  });
  // A coverage as it was (issue 17): `coverage?version=N` or `?asOf=<instant>`, from its approved grids.
  coverages_api.set_past_grids([&change_service](const store::RasterLayer& now, std::optional<std::int64_t> version,
                                                 const std::string& instant) {
    return change_service.past_grid(now, version, instant);
  });
  features.set_as_of([&change_sets, &cascade](const core::Collection& c, const std::string& instant,
                                              std::int64_t limit, std::int64_t offset, core::FeatureSink& sink) {
    if (cascade.collection(c.id))
      throw core::InvalidParameter("asOf", "collection '" + c.id + "' is cascaded from a national node: its history "
                                           "is kept there");
    return change_sets.features_as_of(c, instant, limit, offset, sink);
  });
  catalog::IsoSchemaOnce iso_schema(std::filesystem::path(config.static_dir) / "schemas");
  api::records::RecordsTransactions records_transactions(change_service, change_sets, iso_schema, authenticator,
                                                         config.service.base_url);
  records_transactions.register_routes(router);  // before the editing routes of /collections/{collectionId}/items
  api::editing::EditingApi editing_api(store, change_sets, catalog_store, change_service, editing_policy, authenticator,
                                       config.service.base_url);
  editing_api.register_routes(router);
  if (!work_plans.plans().empty()) workplan::ensure_progress_collection(stored);
  workplan::ProgressService progress(store, work_plans, change_sets, change_service, editing_policy);
  // The activities as a collection (what GDAL and QGIS read) follow every approved
  // progress report and frozen meeting.
  workplan::ActivityPublisher activity_publisher(stored, work_plans);
  auto publish_activities = [&activity_publisher] {
    try {
      activity_publisher.publish();
    } catch (const std::exception& e) {  // the approval or freeze stands; the next one writes it again
      spdlog::warn("work plan: {} not written: {}", workplan::kActivityCollection, e.what());
    }
  };
  publish_activities();
  progress.on_state_change(publish_activities);
  change_service.on_published([publish_activities](const edit::ChangeSet& cs) {
    if (cs.collection == workplan::kProgressCollection) publish_activities();
  });
  // Evidence uploads no report cites, older than the retention, go when the server starts.
  if (serving && config.workplan.evidence_retention_days > 0) try {
      const auto gone = workplan::forget_uncited_evidence(
          stored, work_plans, change_sets, workplan::utc_now(config.workplan.evidence_retention_days, true));
      if (!gone.removed.empty())
        spdlog::info("work plan: {} evidence documents no report cites removed (older than {} days)",
                     gone.removed.size(), config.workplan.evidence_retention_days);
    } catch (const std::exception& e) {  // kept until the next start or `amis workplan forget-evidence`
      spdlog::warn("work plan: evidence retention not run: {}", e.what());
    }
  encode::IatiPublisher iati;
  iati.org_ref = config.workplan.iati_org_ref;
  iati.org_name = config.workplan.iati_org_name;
  iati.org_type = config.workplan.iati_org_type;
  api::workplan_api::UtilizationSource utilization{
      opened.usage.get(), &read_access, config.usage.enabled, config.usage.public_reports,
      [&store, &catalog_store, &config](const std::string& iso3) {
        return state_datasets(store, catalog_store, config.editing.defaults.country_property, iso3);
      }};
  api::workplan_api::WorkPlanApi workplan_api(work_plans, progress, authenticator, config.service.base_url,
                                              std::move(iati), std::move(utilization));
  workplan_api.register_routes(router);
  invest::ProfileService profiles(store, change_sets, change_service, fields, service_clock(config));
  const auto translations = core::Translations::load(config.invest.translations);
  api::invest_api::CountriesApi countries_api(
      profiles, store, authenticator, translations,
      {profile_summaries(config), config.editing.defaults.country_property, config.service.base_url, &catalog_store});
  countries_api.register_routes(router);
  auth::AccountAdmin account_admin(accounts, [&change_sets](const std::string& actor, const std::string& action,
                                                            const std::string& subject, const std::string& detail) {
    change_sets.audit(actor, action, subject, detail);
  });
  auth::LoginService logins(accounts, [&change_sets](const std::string& actor, const std::string& action,
                                                    const std::string& subject, const std::string& detail) {
    change_sets.audit(actor, action, subject, detail);
  });
  api::auth_api::SessionApi session_api(logins, authenticator, config.service.base_url);
  session_api.register_routes(router);
  api::admin::AdminApi admin_api(accounts, account_admin, authenticator);
  admin_api.register_routes(router);
  // The needs and requirements register (issue 18): links checked against what the caller may read.
  needs::NeedService need_service(*opened.needs, store, accounts, editing_policy);
  api::needs::NeedsApi needs_api(need_service, authenticator, config.service.base_url);
  needs_api.register_routes(router);
  // This AMIS as a national node: its approved change sets as a feed (issue 16).
  api::changes::ChangesApi changes_api(change_sets, authenticator, config.service.base_url);
  changes_api.register_routes(router);
  // National nodes (issue 16): registered over the admin API, harvested into the
  // catalogue in the background while serving.
  federation::NodeRegistry node_registry(*opened.nodes, catalog_store, iso_schema, *http_getter,
                                         federation_options(config));
  federation::Publications publications(*opened.nodes, stored, change_sets, *http_getter, publish_options(config));
  publications.on_change([&cascade] { cascade.reload(); });
  // AMIS nodes' approved change sets, pulled from their change feeds after each scheduled harvest.
  federation::NodeSync node_sync(*opened.nodes, change_sets, stored, editing_policy, *http_getter,
                                 sync_options(config));
  std::unique_ptr<federation::HarvestScheduler> harvest_scheduler;
  if (serving && config.federation.harvest_concurrency > 0)
    harvest_scheduler = std::make_unique<federation::HarvestScheduler>(
        node_registry, config.federation.harvest_concurrency,
        [&publications, &node_sync, &node_registry](const std::string& node) {
          publications.sync_node(node);
          try {
            if (node_registry.node(node).kind == federation::NodeKind::Amis) node_sync.sync(node);
          } catch (const std::exception& e) {  // a sync already running; its report says the rest
            spdlog::warn("federation: sync of node '{}' not run: {}", node, e.what());
          }
        });
  // Syncs an administrator asks for run in the background too (a feed can be long).
  std::unique_ptr<federation::SyncQueue> sync_queue;
  if (serving) sync_queue = std::make_unique<federation::SyncQueue>(node_sync);
  api::admin::NodesApi nodes_api(node_registry, publications, node_sync, authenticator,
                                 harvest_scheduler ? api::admin::NodesApi::QueueHarvest(
                                                         [&harvest_scheduler](const std::string& node) {
                                                           return harvest_scheduler->request(node);
                                                         })
                                                   : api::admin::NodesApi::QueueHarvest(),
                                 sync_queue.get());
  nodes_api.register_routes(router);
  api::wfs::WfsTransaction wfs_transactions(store, change_service, authenticator);
  api::wfs::WfsService wfs(store, {config.service.title, config.service.description, config.service.base_url,
                                   &wfs_transactions});
  wfs.register_routes(router);
  api::styles::StylesApi styles_api(store, style_catalog, authenticator, config.service.base_url);
  styles_api.register_routes(router);
  std::unique_ptr<tiles::TileCache> tile_cache;
  if (config.tile_cache_max_mb > 0) {
    const auto dir = config.tile_cache_dir.empty()
                         ? (store::store_folder(where) / "tile-cache").string()
                         : config.tile_cache_dir;
    tile_cache = std::make_unique<tiles::TileCache>(dir, static_cast<std::uint64_t>(config.tile_cache_max_mb) << 20);
  }
  tiles::TileMaker tile_maker(store, tile_cache.get());
  api::tiles::TilesApi tiles_api(store, tile_maker, style_catalog, config.service.base_url);
  tiles_api.register_routes(router);
  api::wmts::WmtsService wmts(store, tile_maker, style_catalog,
                              {config.service.title, config.service.description, config.service.base_url});
  wmts.register_routes(router);
  api::wcs::WcsService wcs(store, config.coverages,
                           {config.service.title + " - coverages", config.service.description, config.service.base_url});
  wcs.register_routes(router);
  api::health::HealthApi health(*opened.health);
  health.register_routes(router);
  // Distributed search (issue 16): the catalogue's searches may include the live nodes.
  federation::DistributedSearch distributed_search(
      *opened.nodes, *http_getter, iso_schema,
      {std::chrono::milliseconds(static_cast<std::int64_t>(config.federation.search_deadline_seconds * 1000)),
       static_cast<std::size_t>(config.federation.search_max_document_mb) << 20});
  records_api.set_distributed_search(&distributed_search);
  api::csw::CswService csw(catalog_store, record_keeper, authenticator,
                           {{config.service.title + " - catalogue", config.service.description,
                             "ASEAN Minerals Information System"},
                            config.service.base_url},
                           &change_service, &iso_schema);
  csw.set_distributed_search(&distributed_search);
  csw.register_routes(router);
  // Utilization statistics (issue 18): every exchange is counted where the access
  // log line is written; a background thread writes the counts to the store.
  const auto countries = open_country_database(config.usage);
  // The names a request may be counted under; any other is "unknown".
  const auto known_names = [&stored] {
    std::set<std::string, std::less<>> names{"catalog"};
    for (const auto& c : stored.collections()) names.insert(c.id);
    for (const auto& r : stored.rasters()) names.insert(r.id);
    return names;
  };
  std::unique_ptr<monitor::UsageRecorder> usage_recorder;
  std::unique_ptr<monitor::UsageAggregator> usage_aggregator;
  if (config.usage.enabled) {
    // Events are dated, and raw events forgotten, by [server] clock when a test fixes it.
    monitor::UsageRecorder::Clock usage_clock;
    if (!config.clock.empty())
      usage_clock = [now = service_clock(config)] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(now().time_since_epoch()).count();
      };
    usage_recorder = std::make_unique<monitor::UsageRecorder>(config.usage.queue_size, usage_clock);
    usage_aggregator = std::make_unique<monitor::UsageAggregator>(*usage_recorder, *opened.usage, *countries,
                                                                  known_names, config.usage,
                                                                  config.server.trusted_proxies, usage_clock);
  }
  // Prometheus's /metrics (issue 18, operators): counted where the usage events are.
  std::unique_ptr<monitor::RequestMetrics> request_metrics;
  if (config.metrics.enabled) request_metrics = std::make_unique<monitor::RequestMetrics>(known_names);
  if (usage_recorder || request_metrics)
    router.set_observer([recorder = usage_recorder.get(), metrics = request_metrics.get()](
                            const http::Request& rq, const http::Router::Outcome& o) {
      monitor::Classification what;  // "unknown" in the unlikely case classifying cannot allocate
      try {
        what = monitor::classify(rq);
      } catch (...) {
      }
      if (metrics) metrics->record(what, o);
      if (recorder) recorder->record(rq, o, std::move(what));
    });
  std::optional<api::health::MetricsApi> metrics_api;
  http::Router metrics_router;
  if (request_metrics) {
    metrics_api.emplace(api::health::MetricsSources{*request_metrics, *opened.health, usage_recorder.get(),
                                                    usage_aggregator.get()});
    if (config.metrics.port == 0) metrics_api->register_routes(router, config.metrics.allow);
    else metrics_api->register_routes(metrics_router, {});
  }
  api::usage::UsageApi usage_api({*opened.usage, read_access, config.usage.public_reports, usage_recorder.get(),
                                  usage_aggregator.get(), countries->loaded()});
  usage_api.register_routes(router);
  std::vector<std::pair<std::string, std::string>> member_states;
  for (const auto& m : invest::member_states()) member_states.emplace_back(m.iso3, m.name);
  api::usage::UsageReportsApi usage_reports(
      {*opened.usage, read_access, config.usage.public_reports,
       [&store, &catalog_store, &config](const std::string& iso3) {
         return state_datasets(store, catalog_store, config.editing.defaults.country_property, iso3);
       },
       std::move(member_states), service_clock(config)});
  usage_reports.register_routes(router);
  http::add_static_files(router, config.static_dir);
  http::add_portal(router, config.portal_dir);
  use(Wired{router, tile_cache.get(), usage_aggregator.get(),
            request_metrics && config.metrics.port != 0 ? &metrics_router : nullptr});
}

}  // namespace

int serve(const config::Config& config) {
  with_router(config, true, [&config](const Wired& wired) {
    http::Server server(wired.router, config.server);
    server.listen();
    if (wired.usage) wired.usage->start();
    std::signal(SIGPIPE, SIG_IGN);  // SIGINT and SIGTERM stop the server (http::Server::run)
    spdlog::info("AMIS serving {} on http://{}:{}/", store::describe(store_location(config)), config.server.host,
                 server.port());
    if (const auto* cache = wired.tile_cache)
      spdlog::info("tile cache: {} tiles, {} MB of {} MB", cache->tiles(), cache->size_bytes() >> 20,
                   config.tile_cache_max_mb);
    // /metrics on a port of its own: a small server beside the main one, stopped with it.
    std::optional<http::Server> metrics_server;
    std::thread metrics_thread;
    if (wired.metrics_router) {
      http::ServerOptions options = config.server;
      options.host = config.metrics.host;
      options.port = static_cast<unsigned short>(config.metrics.port);
      options.workers = 2;
      options.max_connections = 64;
      metrics_server.emplace(*wired.metrics_router, options);
      metrics_server->listen();
      spdlog::info("metrics on http://{}:{}/metrics", options.host, metrics_server->port());
      metrics_thread = std::thread([&metrics_server] { metrics_server->run(); });
    }
    server.run();
    if (metrics_server) {
      metrics_server->stop();
      metrics_thread.join();
    }
  });
  spdlog::info("AMIS stopped");
  return 0;
}

int list_routes(const config::Config& config) {
  // The routes do not depend on the tile cache: listing them opens no cache folder.
  config::Config without_cache = config;
  without_cache.tile_cache_max_mb = 0;
  with_router(without_cache, false, [](const Wired& wired) {
    for (const auto& route : wired.router.routes()) std::cout << route.method << ' ' << route.pattern << '\n';
  });
  return 0;
}

}  // namespace amis::cli
