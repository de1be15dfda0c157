#pragma once
// A national node (issue 16): another AMIS or any OGC server whose catalogue and
// services the regional AMIS harvests. What the store keeps of it (the node, what
// was harvested from it, the report of each run) is this file's types, so the
// store never includes the harvester and the harvester never sees SQL.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace amis::federation {

// How the node is read: `amis` and `records` through OGC API - Records, `csw`
// through CSW 2.0.2 (ISO 19139 records), `oapif` a record per OGC API - Features
// collection, `wfs`/`wms`/`wmts` a record per feature type/layer of the capabilities.
enum class NodeKind { Amis, Csw, Records, Oapif, Wfs, Wms, Wmts };
std::string_view to_string(NodeKind kind);
// @throws core::InvalidValue("kind", ...) for another word.
NodeKind parse_node_kind(std::string_view text);

struct Node {
  std::string name;     // [a-z0-9_-], 2..40: the prefix of its records' ids
  std::string url;      // http(s)://host[:port]/path: the only host harvested
  NodeKind kind = NodeKind::Csw;
  std::string country;  // ISO 3166-1 alpha-3 of the member state
  std::int64_t schedule_seconds = 6 * 3600;  // 0: harvested only when asked
  std::string token;    // a bearer token the node asked for; a secret: never shown, never logged
  double rate_limit = 0;  // requests a second this process sends the node at most; 0: no limit
  std::string created;  // RFC 3339 UTC
  // Kept by the scheduler.
  std::int64_t next_run = 0;   // Unix seconds; 0: as soon as possible
  std::int64_t failures = 0;   // runs that failed in a row (the node down)
};

// What an administrator changes of a registered node; what is not given stays.
struct NodeSettings {
  std::optional<std::int64_t> schedule_seconds;
  std::optional<std::int64_t> next_run;  // given with a new schedule
  std::optional<std::string> token;      // empty: none
  std::optional<double> rate_limit;      // 0: no limit
};

// @throws core::InvalidValue naming the field at fault: a name, URL (http or
// https, a host, no user:password@, no fragment, at most 2,000 characters),
// country (a member state) or schedule out of bounds.
void validate(const Node& node);

// "6h", "30m", "1d", "3600s", "3600", "0"/"off" (never) into seconds; at least 60 s
// unless 0. @throws core::InvalidValue("schedule", ...).
std::int64_t parse_schedule(std::string_view text);

// "2", "0.5", "2/s", "30/min", "0"/"off" (no limit) into requests a second, between
// 1 a minute and 1,000 a second. @throws core::InvalidValue("rateLimit", ...).
double parse_rate_limit(std::string_view text);
// `per_second` when 0 or within those bounds. @throws core::InvalidValue("rateLimit", ...).
double checked_rate_limit(double per_second);
// "2/s", "30/min" or "off".
std::string rate_limit_text(double per_second);
std::string schedule_text(std::int64_t seconds);

// One record (or page) a run could not take, and why.
struct HarvestFailure {
  std::string source_id;  // the record's id at the source, or "page N"
  std::string reason;
};

enum class RunStatus { Succeeded, Partial, Failed };
std::string_view to_string(RunStatus status);
RunStatus parse_run_status(std::string_view text);

// The report of one harvest run.
struct HarvestRun {
  std::int64_t id = 0;
  std::string node;
  std::string started;   // RFC 3339 UTC
  std::string finished;
  RunStatus status = RunStatus::Succeeded;
  std::int64_t seen = 0;  // records listed at the source
  std::int64_t added = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t withdrawn = 0;
  std::vector<HarvestFailure> failures;  // at most kMaxReportedFailures kept
  std::int64_t failed = 0;               // all of them
  std::string error;  // why the run failed as a whole (the node unreachable); empty otherwise
  double seconds = 0;       // wall time of the run
  double work_seconds = 0;  // of which AMIS's own work (not waiting for the node)
};
inline constexpr std::size_t kMaxReportedFailures = 100;

// What the harvest keeps of one record taken from a node, to see next time whether
// it changed: the digest of its content at the source and its date there.
struct HarvestedEntry {
  std::string source_id;
  std::string record_id;  // in the catalogue
  std::string digest;
  std::string source_modified;
};

// A page of a node's listing that the node sent with validators (ETag,
// Last-Modified), kept from the last complete run for the next run's conditional
// GET: when the node answers 304 Not Modified, the page lists what it listed then.
struct HarvestedPage {
  std::string url;            // as asked: the key
  std::string etag;
  std::string last_modified;
  std::string next;           // the next page's URL it named (OGC API pages); empty otherwise
  std::vector<std::pair<std::string, std::string>> items;  // source id and digest of each record listed
  int reader = 0;  // the version of the readers that listed them (kPageReader when kept)
};

// The report of one sync of an AMIS node's change feed (issue 16): what was
// applied, and why it stopped when it did not reach the end of the feed (a gap
// in the sequence, a conflict, the node unreachable). Kept per node (the latest).
// Skipped: an administrator skipped the change set (or the gap) that stopped
// the sync; the next run's report names it again in `skipped`.
enum class SyncStatus { Synced, Stopped, Failed, Skipped };
std::string_view to_string(SyncStatus status);
SyncStatus parse_sync_status(std::string_view text);

struct SyncReport {
  std::string node;
  std::string started;  // RFC 3339 UTC
  std::string finished;
  SyncStatus status = SyncStatus::Synced;
  std::int64_t applied = 0;     // change sets applied by this run
  std::int64_t already = 0;     // entries of the feed applied before (a replay)
  std::int64_t sequence = 0;    // the node's last sequence applied here, after the run
  std::int64_t stopped_at = 0;  // the sequence that stopped the run (0: none)
  std::string reason;           // why it stopped or failed; empty when synced
  std::string skipped;          // what an administrator skipped before this run, by whom; empty: nothing
  double seconds = 0;
};

}  // namespace amis::federation
