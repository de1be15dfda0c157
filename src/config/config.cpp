#include "config/config.hpp"

#include "core/clock.hpp"

#include <cctype>
#include <cstdint>
#include <stdexcept>
#include <toml++/toml.h>

namespace amis::config {
namespace {

// [editing] or [editing.collections.<id>], over `rules`.
edit::CollectionRules read_rules(const std::string& path, const toml::node_view<toml::node>& node,
                                 edit::CollectionRules rules) {
  rules.country_property = node["country_property"].value_or(rules.country_property);
  rules.country = node["country"].value_or(rules.country);
  if (!rules.country.empty() && !auth::is_member_country(rules.country))
    throw std::runtime_error(path + ": [editing] country is one of the ASEAN+3 ISO alpha-3 codes");
  if (auto roles = node["direct_publish"].as_array()) {
    rules.direct_publish.clear();
    for (const auto& r : *roles) {
      auto role = auth::parse_role(r.value_or(std::string()));
      if (!role) throw std::runtime_error(path + ": [editing] direct_publish takes \"admin\", \"reviewer\", \"editor\"");
      rules.direct_publish.push_back(*role);
    }
  }
  return rules;
}

void read_editing(const std::string& path, toml::table& t, edit::EditingRules& editing) {
  auto section = t["editing"];
  editing.defaults = read_rules(path, section, editing.defaults);
  editing.boundaries = section["boundaries"].value_or(editing.boundaries);
  const auto uploads = section["concurrent_uploads"].value_or(static_cast<std::int64_t>(editing.concurrent_uploads));
  if (uploads < 1 || uploads > 64) throw std::runtime_error(path + ": [editing] concurrent_uploads is 1 to 64");
  editing.concurrent_uploads = static_cast<int>(uploads);
  if (auto collections = section["collections"].as_table())
    for (auto& [id, node] : *collections)
      editing.collections[std::string(id.str())] = read_rules(path, toml::node_view<toml::node>(node), editing.defaults);
}

// [features.collections.<id>] indexes = ["status", ["commodity", "tonnage_mt"]]: a
// name is an index on that property, a list one index on those columns in order.
void read_attribute_indexes(const std::string& path, toml::table& t,
                            std::map<std::string, std::vector<std::vector<std::string>>, std::less<>>& out) {
  auto collections = t["features"]["collections"].as_table();
  if (!collections) return;
  for (auto& [id, node] : *collections) {
    const std::string where = path + ": [features.collections." + std::string(id.str()) + "] indexes";
    auto* list = node.as_table() ? (*node.as_table())["indexes"].as_array() : nullptr;
    if (!list) throw std::runtime_error(where + " must be a list of property names or lists of them");
    auto& indexes = out[std::string(id.str())];
    for (auto& entry : *list) {
      std::vector<std::string> columns;
      if (auto name = entry.value<std::string>()) columns.push_back(*name);
      else if (auto* parts = entry.as_array())
        for (auto& part : *parts)
          if (auto column = part.value<std::string>()) columns.push_back(*column);
          else throw std::runtime_error(where + ": a composite index is a list of property names");
      else throw std::runtime_error(where + " must be a list of property names or lists of them");
      if (!columns.empty()) indexes.push_back(std::move(columns));
    }
  }
}

// [access.collections.<id>] read = ["reviewer", "THA", ...]: roles and member states.
// [usage]: the utilization statistics (docs/usage.md).
void read_usage(const std::string& path, toml::table& t, monitor::UsageOptions& u) {
  auto section = t["usage"];
  u.enabled = section["enabled"].value_or(u.enabled);
  const auto queue = section["queue_size"].value_or(static_cast<std::int64_t>(u.queue_size));
  if (queue < 2 || queue > (1 << 24)) throw std::runtime_error(path + ": [usage] queue_size is 2 to 16777216");
  u.queue_size = static_cast<std::size_t>(queue);
  u.flush_seconds = section["flush_seconds"].value_or(u.flush_seconds);
  // What a crash (kill -9) may lose is the counts of the last flush_seconds, plus the queue's
  // last tenth of a second and the write under way: at most 50 keeps that under a minute.
  if (u.flush_seconds < 1 || u.flush_seconds > monitor::kMaxFlushSeconds)
    throw std::runtime_error(path + ": [usage] flush_seconds is 1 to " + std::to_string(monitor::kMaxFlushSeconds) +
                             " (what a crash may lose stays under a minute)");
  u.raw_event_days = section["raw_event_days"].value_or(u.raw_event_days);
  if (u.raw_event_days < 0 || u.raw_event_days > 3660)
    throw std::runtime_error(path + ": [usage] raw_event_days is 0 to 3660");
  u.country_database = section["country_database"].value_or(u.country_database);
  u.country_codes = section["country_codes"].value_or(u.country_codes);
  u.public_reports = section["public"].value_or(u.public_reports);
}

// [metrics]: Prometheus's /metrics.
void read_metrics(const std::string& path, toml::table& t, MetricsSettings& m) {
  auto section = t["metrics"];
  m.enabled = section["enabled"].value_or(m.enabled);
  const auto port = section["port"].value_or(static_cast<std::int64_t>(m.port));
  if (port < 0 || port > 65535) throw std::runtime_error(path + ": [metrics] port is 0 to 65535");
  m.port = static_cast<int>(port);
  m.host = section["host"].value_or(m.host);
  if (auto allow = section["allow"].as_array()) {
    m.allow.clear();
    for (const auto& a : *allow) {
      auto address = a.value<std::string>();
      if (!address) throw std::runtime_error(path + ": [metrics] allow is a list of addresses");
      m.allow.push_back(*address);
    }
  }
}

void read_access(const std::string& path, toml::table& t, std::map<std::string, auth::ReadRule, std::less<>>& out) {
  auto collections = t["access"]["collections"].as_table();
  if (!collections) return;
  for (auto& [id, node] : *collections) {
    auth::ReadRule rule;
    auto readers = toml::node_view<toml::node>(node)["read"].as_array();
    if (!readers) throw std::runtime_error(path + ": [access.collections." + std::string(id.str()) + "] needs read = [...]");
    for (const auto& r : *readers) {
      const std::string reader = r.value_or(std::string());
      if (auto role = auth::parse_role(reader)) rule.roles.push_back(*role);
      else if (auth::is_member_country(reader)) rule.countries.push_back(reader);
      else
        throw std::runtime_error(path + ": [access.collections." + std::string(id.str()) + "] read takes roles "
                                 "(admin, reviewer, editor) and ASEAN+3 ISO alpha-3 codes, not '" + reader + "'");
    }
    out[std::string(id.str())] = std::move(rule);
  }
}

}  // namespace

// [invest] and [server] clock.
static void read_invest(const std::string& path, toml::table& t, Config& config) {
  config.clock = t["server"]["clock"].value_or(config.clock);
  if (!config.clock.empty() && !core::parse_utc(config.clock))
    throw std::runtime_error(path + ": [server] clock is an RFC 3339 instant, e.g. 2028-01-05T00:00:00Z");
  config.invest.fields = t["invest"]["fields"].value_or(config.invest.fields);
  config.invest.summaries_file = t["invest"]["summaries_file"].value_or(config.invest.summaries_file);
  config.invest.translations = t["invest"]["translations"].value_or(config.invest.translations);
  if (auto summaries = t["invest"]["summaries"].as_array()) config.invest.summaries = invest::read_summaries(*summaries, path);
}

// [workplan]: the IATI reporting organisation and the evidence retention.
static void read_workplan(const std::string& path, toml::table& t, WorkPlanSettings& w) {
  auto section = t["workplan"];
  w.iati_org_ref = section["iati_org_ref"].value_or(w.iati_org_ref);
  w.iati_org_name = section["iati_org_name"].value_or(w.iati_org_name);
  const auto type = section["iati_org_type"].value_or(static_cast<std::int64_t>(w.iati_org_type));
  const auto days = section["evidence_retention_days"].value_or(static_cast<std::int64_t>(w.evidence_retention_days));
  // An IATI organisation identifier: an agency code of the Organisation Registration Agency
  // code list (letters and digits, hyphenated: XM-DAC, GB-COH, XI-IATI), a hyphen, the number.
  const auto& ref = w.iati_org_ref;
  bool ref_ok = ref.empty() || (ref.size() <= 100 && ref.find('-') != std::string::npos && ref.front() != '-' &&
                                ref.back() != '-');
  for (const char c : ref)
    ref_ok = ref_ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_');
  if (!ref_ok)
    throw std::runtime_error(path + ": [workplan] iati_org_ref is an IATI organisation identifier, "
                                    "{RegistrationAgency}-{number} (letters, digits, - . _), e.g. XI-IATI-...");
  if (w.iati_org_name.empty() || w.iati_org_name.size() > 200)
    throw std::runtime_error(path + ": [workplan] iati_org_name is 1 to 200 characters");
  if (type < 10 || type > 90) throw std::runtime_error(path + ": [workplan] iati_org_type is an IATI OrganisationType code");
  if (days < 0 || days > 36500) throw std::runtime_error(path + ": [workplan] evidence_retention_days is 0 to 36500");
  w.iati_org_type = static_cast<int>(type);
  w.evidence_retention_days = static_cast<int>(days);
}

Config load_config(const std::string& path) {
  Config config;
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(path + ":" + std::to_string(e.source().begin.line) + ": " +
                             std::string(e.description()));
  }
  auto& s = config.server;
  s.host = t["server"]["host"].value_or(s.host);
  s.port = static_cast<unsigned short>(t["server"]["port"].value_or(int{s.port}));
  s.max_connections = t["server"]["max_connections"].value_or(s.max_connections);
  s.max_connections_per_address = t["server"]["max_connections_per_address"].value_or(s.max_connections_per_address);
  if (auto proxies = t["server"]["trusted_proxies"].as_array()) {
    s.trusted_proxies.clear();
    for (const auto& p : *proxies) s.trusted_proxies.push_back(p.value_or(std::string()));
  }
  s.idle_timeout_seconds = t["server"]["idle_timeout_seconds"].value_or(s.idle_timeout_seconds);
  s.head_timeout_seconds = t["server"]["head_timeout_seconds"].value_or(s.head_timeout_seconds);
  s.body_timeout_seconds = t["server"]["body_timeout_seconds"].value_or(s.body_timeout_seconds);
  s.io_timeout_seconds = t["server"]["io_timeout_seconds"].value_or(s.io_timeout_seconds);
  s.workers = t["server"]["workers"].value_or(s.workers);
  s.max_queued_requests = t["server"]["max_queued_requests"].value_or(s.max_queued_requests);
  if (s.max_connections < 1 || s.max_connections_per_address < 1 || s.idle_timeout_seconds < 1 ||
      s.head_timeout_seconds < 1 || s.body_timeout_seconds < 1 || s.io_timeout_seconds < 1 || s.workers < 0 ||
      s.max_queued_requests < 1)
    throw std::runtime_error(path + ": [server] connection limits, timeouts and max_queued_requests must be 1 or "
                             "more (workers 0 or more)");
  s.work_timeout_seconds = t["server"]["work_timeout_seconds"].value_or(s.work_timeout_seconds);
  if (s.work_timeout_seconds < 1) throw std::runtime_error(path + ": [server] work_timeout_seconds must be 1 or more");
  config.static_dir = t["server"]["static_dir"].value_or(config.static_dir);
  config.portal_dir = t["server"]["portal_dir"].value_or(config.portal_dir);
  config.log_level = t["server"]["log_level"].value_or(config.log_level);
  // [store] url (a GeoPackage path or a postgresql:// URL); path is its older name.
  config.store_path = t["store"]["url"].value_or(t["store"]["path"].value_or(config.store_path));
  config.store_pool_size = t["store"]["pool_size"].value_or(config.store_pool_size);
  if (config.store_pool_size < 1) throw std::runtime_error(path + ": [store] pool_size must be 1 or more");
  config.data_dir = t["store"]["data_dir"].value_or(config.data_dir);
  if (auto replicas = t["store"]["replicas"].as_array()) {
    config.store_replicas.clear();
    for (const auto& r : *replicas) {
      const auto url = r.value<std::string>();
      if (!url || !(url->starts_with("postgresql://") || url->starts_with("postgres://")))
        throw std::runtime_error(path + ": [store] replicas must be a list of postgresql:// URLs");
      config.store_replicas.push_back(*url);
    }
  }
  config.max_replica_lag_seconds = t["store"]["max_replica_lag_seconds"].value_or(config.max_replica_lag_seconds);
  if (config.max_replica_lag_seconds < 0)
    throw std::runtime_error(path + ": [store] max_replica_lag_seconds must be 0 or more");
  auto& fed = config.federation;
  fed.harvest_concurrency = t["federation"]["harvest_concurrency"].value_or(fed.harvest_concurrency);
  fed.timeout_seconds = t["federation"]["timeout_seconds"].value_or(fed.timeout_seconds);
  fed.max_document_mb = t["federation"]["max_document_mb"].value_or(fed.max_document_mb);
  fed.retries = t["federation"]["retries"].value_or(fed.retries);
  fed.backoff_seconds = t["federation"]["backoff_seconds"].value_or(fed.backoff_seconds);
  fed.first_retry_seconds = t["federation"]["first_retry_seconds"].value_or(fed.first_retry_seconds);
  fed.cascade_timeout_seconds = t["federation"]["cascade_timeout_seconds"].value_or(fed.cascade_timeout_seconds);
  fed.cascade_cache_mb = t["federation"]["cascade_cache_mb"].value_or(fed.cascade_cache_mb);
  fed.cascade_cache_ttl_seconds = t["federation"]["cascade_cache_ttl_seconds"].value_or(fed.cascade_cache_ttl_seconds);
  fed.cascade_max_features = t["federation"]["cascade_max_features"].value_or(fed.cascade_max_features);
  if (!(fed.cascade_timeout_seconds > 0 && fed.cascade_timeout_seconds <= 600))
    throw std::runtime_error(path + ": [federation] cascade_timeout_seconds is more than 0 and at most 600");
  if (fed.cascade_cache_mb < 0 || fed.cascade_cache_mb > 65536)
    throw std::runtime_error(path + ": [federation] cascade_cache_mb is 0 to 65536");
  if (!(fed.cascade_cache_ttl_seconds >= 0 && fed.cascade_cache_ttl_seconds <= 86400))
    throw std::runtime_error(path + ": [federation] cascade_cache_ttl_seconds is 0 to 86400");
  if (fed.cascade_max_features < 1 || fed.cascade_max_features > 1000000)
    throw std::runtime_error(path + ": [federation] cascade_max_features is 1 to 1000000");
  fed.ca_file = t["federation"]["ca_file"].value_or(fed.ca_file);
  fed.search_deadline_seconds = t["federation"]["search_deadline_seconds"].value_or(fed.search_deadline_seconds);
  fed.search_max_document_mb = t["federation"]["search_max_document_mb"].value_or(fed.search_max_document_mb);
  if (!(fed.search_deadline_seconds >= 0.1 && fed.search_deadline_seconds <= 60))
    throw std::runtime_error(path + ": [federation] search_deadline_seconds is 0.1 to 60");
  if (fed.search_max_document_mb < 1 || fed.search_max_document_mb > 256)
    throw std::runtime_error(path + ": [federation] search_max_document_mb is 1 to 256");
  if (fed.harvest_concurrency < 0 || fed.harvest_concurrency > 16)
    throw std::runtime_error(path + ": [federation] harvest_concurrency is 0 to 16");
  if (fed.timeout_seconds <= 0 || fed.timeout_seconds > 600)
    throw std::runtime_error(path + ": [federation] timeout_seconds is more than 0 and at most 600");
  if (fed.max_document_mb < 1 || fed.max_document_mb > 1024)
    throw std::runtime_error(path + ": [federation] max_document_mb is 1 to 1024");
  if (fed.retries < 0 || fed.retries > 10) throw std::runtime_error(path + ": [federation] retries is 0 to 10");
  if (fed.backoff_seconds < 0 || fed.backoff_seconds > 60)
    throw std::runtime_error(path + ": [federation] backoff_seconds is 0 to 60");
  if (fed.first_retry_seconds < 1) throw std::runtime_error(path + ": [federation] first_retry_seconds is 1 or more");
  auto& svc = config.service;
  svc.title = t["service"]["title"].value_or(svc.title);
  svc.description = t["service"]["description"].value_or(svc.description);
  svc.base_url = t["service"]["base_url"].value_or(svc.base_url);
  while (!svc.base_url.empty() && svc.base_url.back() == '/') svc.base_url.pop_back();
  svc.limits.default_limit = t["features"]["default_limit"].value_or(svc.limits.default_limit);
  svc.limits.max_limit = t["features"]["max_limit"].value_or(svc.limits.max_limit);
  if (svc.limits.max_limit < 1 || svc.limits.default_limit < 1 ||
      svc.limits.default_limit > svc.limits.max_limit)
    throw std::runtime_error(path + ": [features] needs 1 <= default_limit <= max_limit");
  const auto vertices = t["features"]["max_filter_vertices"].value_or(static_cast<std::int64_t>(config.work.max_filter_vertices));
  if (vertices < 1) throw std::runtime_error(path + ": [features] max_filter_vertices must be 1 or more");
  config.work.max_filter_vertices = static_cast<std::size_t>(vertices);
  svc.limits.max_download_features =
      t["features"]["max_download_features"].value_or(svc.limits.max_download_features);
  if (svc.limits.max_download_features < svc.limits.max_limit)
    throw std::runtime_error(path + ": [features] needs max_download_features >= max_limit");
  read_attribute_indexes(path, t, config.attribute_indexes);
  config.wms_max_width = t["wms"]["max_width"].value_or(config.wms_max_width);
  config.wms_max_height = t["wms"]["max_height"].value_or(config.wms_max_height);
  if (config.wms_max_width < 1 || config.wms_max_height < 1 || config.wms_max_width > 16384 ||
      config.wms_max_height > 16384)
    throw std::runtime_error(path + ": [wms] max_width and max_height must be between 1 and 16384");
  const long long coverage_mb = t["coverages"]["max_response_mb"].value_or(config.coverages.max_bytes >> 20);
  config.coverages.max_cells_per_axis =
      t["coverages"]["max_size"].value_or(config.coverages.max_cells_per_axis);
  if (coverage_mb < 1 || coverage_mb > 65536 || config.coverages.max_cells_per_axis < 1 ||
      config.coverages.max_cells_per_axis > 1000000)
    throw std::runtime_error(path + ": [coverages] max_response_mb must be 1..65536 and max_size 1..1000000");
  config.coverages.max_bytes = static_cast<std::int64_t>(coverage_mb) << 20;
  const long long budget_mb =
      t["coverages"]["memory_budget_mb"].value_or(config.coverage_memory.budget_bytes >> 20);
  config.coverage_memory.max_wait_seconds =
      t["coverages"]["memory_wait_seconds"].value_or(config.coverage_memory.max_wait_seconds);
  const long long block_cache_mb =
      t["coverages"]["block_cache_mb"].value_or(config.coverage_memory.block_cache_bytes >> 20);
  if (budget_mb < 1 || budget_mb > 1048576 || !(config.coverage_memory.max_wait_seconds >= 0) ||
      block_cache_mb < 1 || block_cache_mb > 1048576)
    throw std::runtime_error(path + ": [coverages] memory_budget_mb and block_cache_mb must be 1..1048576 and "
                                    "memory_wait_seconds >= 0");
  config.coverage_memory.budget_bytes = static_cast<std::int64_t>(budget_mb) << 20;
  config.coverage_memory.block_cache_bytes = static_cast<std::int64_t>(block_cache_mb) << 20;
  auto& r = config.render;
  r.max_concurrent = t["wms"]["max_concurrent_renders"].value_or(r.max_concurrent);
  r.max_queued = t["wms"]["render_queue"].value_or(r.max_queued);
  r.max_wait_seconds = t["wms"]["render_wait_seconds"].value_or(r.max_wait_seconds);
  r.layer_limit = t["wms"]["layer_limit"].value_or(r.layer_limit);
  if (r.max_concurrent < 0 || r.max_queued < 0 || !(r.max_wait_seconds >= 0) || r.layer_limit < 1)
    throw std::runtime_error(path + ": [wms] max_concurrent_renders and render_queue must be 0 (from the cores) or "
                                    "more, render_wait_seconds 0 or more, layer_limit 1 or more");
  config.tile_cache_dir = t["tiles"]["cache_dir"].value_or(config.tile_cache_dir);
  config.tile_cache_max_mb = t["tiles"]["cache_max_mb"].value_or(config.tile_cache_max_mb);
  if (config.tile_cache_max_mb < 0) throw std::runtime_error(path + ": [tiles] cache_max_mb must be 0 or more");
  config.admin_token = t["admin"]["token"].value_or(config.admin_token);
  if (!config.admin_token.empty() && config.admin_token.size() < 24)
    throw std::runtime_error(path + ": [admin] token must be at least 24 characters");
  read_editing(path, t, config.editing);
  read_access(path, t, config.restricted);
  read_usage(path, t, config.usage);
  read_metrics(path, t, config.metrics);
  read_invest(path, t, config);
  read_workplan(path, t, config.workplan);
  return config;
}

}  // namespace amis::config
