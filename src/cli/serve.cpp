// The composition root: the store, the services and the HTTP server are built
// and wired here, and nowhere else.
#include <csignal>
#include <memory>
#include <filesystem>
#include <functional>
#include <optional>
#include <iostream>
#include <stdexcept>
#include <spdlog/spdlog.h>

#include "api/admin/admin_api.hpp"
#include "api/common/downloads.hpp"
#include "api/records/records_api.hpp"
#include "api/auth/session_api.hpp"
#include "api/coverages/coverages_api.hpp"
#include "api/csw/csw_service.hpp"
#include "api/editing/editing_api.hpp"
#include "api/features/features_api.hpp"
#include "api/health/health_api.hpp"
#include "api/styles/styles_api.hpp"
#include "api/tiles/tiles_api.hpp"
#include "api/wfs/wfs_service.hpp"
#include "api/wms/wms_service.hpp"
#include "api/wcs/wcs_service.hpp"
#include "api/wmts/wmts_service.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/read_routing.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "auth/authenticator.hpp"
#include "auth/read_access.hpp"
#include "catalog/derived_records.hpp"
#include "store/visible_store.hpp"
#include "styles/style_catalog.hpp"
#include "tiles/tile_cache.hpp"
#include "tiles/tile_maker.hpp"

namespace amis::cli {
namespace {

// What with_router hands out while the services it built live.
struct Wired {
  http::Router& router;
  const tiles::TileCache* tile_cache;  // null when the tile cache is off (tile_cache_max_mb = 0)
};

// Builds the store, the services and the router, and hands the router to `use`
// while they live: `serve` serves it, `routes` lists it.
void with_router(const config::Config& config, const std::function<void(const Wired&)>& use) {
  const auto where = store_location(config);
  if (!store::store_exists(where))
    throw std::runtime_error("no store at " + store::describe(where) +
                             ": create it with `amis import` (or scripts/load-demo.sh)");
  auto opened = store::open_store(where);
  store::Store& stored = *opened.features;
  for (const auto& c : stored.collections()) {  // indexes added to amis.toml, or a store from an older amis
    const auto indexes = store::ensure_attribute_indexes(stored, c, index_rules(config, c.id));
    spdlog::debug("collection {}: attribute indexes {}", c.id, store::describe_indexes(indexes));
  }
  store::AccountStore& accounts = *opened.accounts;
  auth::Authenticator authenticator(accounts, config.admin_token);
  // Every service reads through `store`: what the caller of each request may see.
  const auth::ReadAccess read_access(config.restricted);
  store::VisibleStore store(stored, read_access);
  http::Router router;
  router.set_middleware([&authenticator](http::Request& rq, http::Response& rs, const http::Handler& next) {
    const auth::RequestPrincipal caller(authenticator.identify(rq));
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
                                        }};
  for (const auto& d : api::download_formats())
    derivation.downloads.push_back({d.name, d.media_type, d.title});
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
  wms.register_routes(router);
  store::ChangeSetStore& change_sets = *opened.change_sets;
  edit::EditingPolicy editing_policy(config.editing);
  edit::ChangeService change_service(store, change_sets, editing_policy);
  features.set_etags([&change_service](const core::Collection& c, std::int64_t fid) {
    return change_service.etag(c, fid);
  });
  features.set_as_of([&change_sets](const core::Collection& c, const std::string& instant, std::int64_t limit,
                                    std::int64_t offset, core::FeatureSink& sink) {
    return change_sets.features_as_of(c, instant, limit, offset, sink);
  });
  api::editing::EditingApi editing_api(store, change_sets, change_service, editing_policy, authenticator,
                                       config.service.base_url);
  editing_api.register_routes(router);
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
  api::csw::CswService csw(catalog_store, record_keeper, authenticator,
                           {{config.service.title + " - catalogue", config.service.description,
                             "ASEAN Minerals Information System"},
                            config.service.base_url});
  csw.register_routes(router);
  http::add_static_files(router, config.static_dir);
  http::add_portal(router, config.portal_dir);
  use(Wired{router, tile_cache.get()});
}

}  // namespace

int serve(const config::Config& config) {
  with_router(config, [&config](const Wired& wired) {
    http::Server server(wired.router, config.server);
    server.listen();
    std::signal(SIGPIPE, SIG_IGN);  // SIGINT and SIGTERM stop the server (http::Server::run)
    spdlog::info("AMIS serving {} on http://{}:{}/", store::describe(store_location(config)), config.server.host,
                 server.port());
    if (const auto* cache = wired.tile_cache)
      spdlog::info("tile cache: {} tiles, {} MB of {} MB", cache->tiles(), cache->size_bytes() >> 20,
                   config.tile_cache_max_mb);
    server.run();
  });
  spdlog::info("AMIS stopped");
  return 0;
}

int list_routes(const config::Config& config) {
  // The routes do not depend on the tile cache: listing them opens no cache folder.
  config::Config without_cache = config;
  without_cache.tile_cache_max_mb = 0;
  with_router(without_cache, [](const Wired& wired) {
    for (const auto& route : wired.router.routes()) std::cout << route.method << ' ' << route.pattern << '\n';
  });
  return 0;
}

}  // namespace amis::cli
