// The composition root: the store, the services and the HTTP server are built
// and wired here, and nowhere else.
#include <csignal>
#include <filesystem>
#include <stdexcept>
#include <spdlog/spdlog.h>

#include "api/features/features_api.hpp"
#include "api/wfs/wfs_service.hpp"
#include "api/wms/wms_service.hpp"
#include "cli/commands.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "store/gpkg/gpkg_store.hpp"

namespace amis::cli {
namespace {

http::Server* running = nullptr;

void on_signal(int) {
  if (running) running->stop();
}

}  // namespace

int serve(const config::Config& config) {
  if (!std::filesystem::exists(config.store_path))
    throw std::runtime_error("no store at " + config.store_path +
                             ": create it with `amis import` (or scripts/load-demo.sh)");
  store::gpkg::GpkgStore store(config.store_path);
  http::Router router;
  api::features::FeaturesApi features(store, config.service);
  features.register_routes(router);
  api::wfs::WfsService wfs(store, {config.service.title, config.service.description, config.service.base_url});
  wfs.register_routes(router);
  api::wms::WmsService wms(store, {config.service.title, config.service.description, config.service.base_url});
  wms.register_routes(router);
  http::add_static_files(router, config.static_dir);

  http::Server server(router, config.server);
  server.listen();
  running = &server;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  spdlog::info("AMIS serving {} on http://{}:{}/", config.store_path, config.server.host, server.port());
  server.run();
  running = nullptr;
  spdlog::info("AMIS stopped");
  return 0;
}

}  // namespace amis::cli
