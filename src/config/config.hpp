#pragma once
// amis.toml: everything an operator can set, with defaults that serve the demo.
#include <map>
#include <string>
#include <vector>

#include "api/features/features_api.hpp"
#include "coverage/coverage_memory.hpp"
#include "coverage/coverage_request.hpp"
#include "auth/read_access.hpp"
#include "edit/editing_policy.hpp"
#include "invest/summary_spec.hpp"
#include "http/server.hpp"
#include "core/work_limits.hpp"
#include "monitor/usage_options.hpp"
#include "render/render_gate.hpp"

namespace amis::config {

// [federation]: harvesting national nodes (issue 16).
struct FederationSettings {
  int harvest_concurrency = 2;      // nodes harvested at once by `amis serve`; 0: no scheduled harvests
  double timeout_seconds = 20;      // per request to a node
  long long max_document_mb = 64;   // the largest answer read from a node
  int retries = 2;                  // per request, for what may pass (timeouts, 5xx)
  double backoff_seconds = 0.5;     // before the first retry, doubled after
  long long first_retry_seconds = 60;  // after a failed run; doubled per failure up to the node's schedule
  // Cascaded collections (read through to the node at each request).
  double cascade_timeout_seconds = 10;   // per request to the node; beyond it the client gets 504
  long long cascade_cache_mb = 64;       // pages read from nodes kept in memory
  double cascade_cache_ttl_seconds = 60; // how long a page is served without asking the node (0: no cache)
  long long cascade_max_features = 10000;  // the most features one request reads from a node
  // Distributed search (items?federated=true, CSW DistributedSearch): how long a
  // search waits for the nodes (a node not answering by then is cut off and named),
  // and the largest answer read from one.
  double search_deadline_seconds = 3;
  long long search_max_document_mb = 8;
  // PEM certificates of authorities trusted for https nodes besides the system's (a
  // national CA that is not in ca-certificates); empty: the system's only.
  std::string ca_file;
};

// [metrics]: Prometheus's /metrics (docs/usage.md, "Operators").
struct MetricsSettings {
  bool enabled = true;
  // 0: /metrics is on the service's port, for the `allow` addresses only (the peer's
  // address, never X-Forwarded-For); another port: /metrics alone there, on `host`.
  int port = 0;
  std::string host = "127.0.0.1";
  std::vector<std::string> allow = {"127.0.0.1", "::1"};
};

// [invest]: the country investment profiles (issue 20).
struct InvestSettings {
  std::string fields;  // the field list; default: static/invest/profile-fields.json of the sources
  // The live summaries ([[invest.summaries]]); when none are given, those of
  // `summaries_file` (default: static/invest/summaries.toml of the sources, matching the demo).
  std::vector<invest::SummarySpec> summaries;
  std::string summaries_file;
  // The portal's translation files (web/i18n of the sources by default), which the
  // profiles' HTML and PDF pages are written with.
  std::string translations;
};

// [workplan]: the work-plan monitoring (issue 19, docs/workplan.md).
struct WorkPlanSettings {
  // The IATI reporting organisation: its registered IATI organisation identifier
  // ({RegistrationAgency}-{number}; empty: the IATI export is refused), name and type.
  std::string iati_org_ref;
  std::string iati_org_name = "ASEAN Secretariat";
  int iati_org_type = 40;
  // Evidence documents no report cites are removed this many days after their upload
  // (when `amis serve` starts and by `amis workplan forget-evidence`); 0: kept for ever.
  int evidence_retention_days = 30;
};

struct Config {
  http::ServerOptions server;
  // Where the data is: a GeoPackage file or a postgresql:// URL ([store] url, or
  // its older name [store] path).
  std::string store_path = "data/amis.gpkg";
  // Connections a node holds to PostgreSQL at most ([store] pool_size).
  int store_pool_size = 8;
  // The folder of a PostgreSQL store's files ([store] data_dir): rasters/ and the
  // tile cache, which a GeoPackage store keeps next to its file.
  std::string data_dir = "data";
  // Read replicas of a PostgreSQL store ([store] replicas) and how far behind the
  // primary one may be and still be read ([store] max_replica_lag_seconds).
  std::vector<std::string> store_replicas;
  double max_replica_lag_seconds = 30;
  std::string static_dir;  // default: the static/ folder installed next to the sources
  std::string portal_dir;  // default: web/dist, where scripts/build-web.sh builds the portal
  api::features::ServiceInfo service;
  std::string log_level = "info";
  // WMS GetMap's largest image, refused before any memory is taken.
  int wms_max_width = 4096;
  int wms_max_height = 4096;
  // A coverage response's largest size ([coverages] max_response_mb: width x height
  // x bands x bytes per value; max_size: cells along each axis), refused with 413
  // before any pixel is read, in OGC API - Coverages and WCS alike.
  coverage::CoverageLimits coverages;
  // The coverage answers held at once ([coverages] memory_budget_mb, memory_wait_seconds).
  coverage::CoverageMemoryLimits coverage_memory;
  // Maps drawn at once, how many wait and how long, layers in one map ([wms]
  // max_concurrent_renders, render_queue, render_wait_seconds, layer_limit); for
  // WMS, map tiles and WMTS alike.
  render::RenderLimits render;
  // [features] max_filter_vertices, for every protocol.
  core::WorkLimits work;
  // Tiles kept on disk; empty: "tile-cache" next to the store. 0 MB: no cache.
  std::string tile_cache_dir;
  long long tile_cache_max_mb = 512;
  // The bearer token of the administrator's API writes (styles), until user
  // accounts exist; empty: those writes are refused. Never logged.
  std::string admin_token;
  // Who edits which collection by which country property, and who publishes
  // without review ([editing] and [editing.collections.<id>]).
  edit::EditingRules editing;
  // [features.collections.<id>] indexes = ["status", ["commodity", "tonnage_mt"]]:
  // the attribute indexes declared per collection (each a list of columns).
  std::map<std::string, std::vector<std::vector<std::string>>, std::less<>> attribute_indexes;
  // Collections readable only by named roles and member states ([access.collections.<id>] read = [...]).
  std::map<std::string, auth::ReadRule, std::less<>> restricted;
  // [usage]: the utilization statistics.
  monitor::UsageOptions usage;
  FederationSettings federation;
  MetricsSettings metrics;
  InvestSettings invest;
  WorkPlanSettings workplan;
  // [server] clock: the time services take as now (RFC 3339, e.g.
  // "2028-01-05T00:00:00Z") instead of the system clock, for tests and for
  // reproducing a report as it was on a day: profiles' staleness, date stamps.
  std::string clock;
};

// Reads `path` over the defaults. @throws std::runtime_error with the file,
// line and reason for an unreadable file or a wrong value.
Config load_config(const std::string& path);

}  // namespace amis::config
