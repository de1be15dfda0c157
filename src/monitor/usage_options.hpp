#pragma once
// [usage] of amis.toml: the utilization statistics (docs/usage.md).
#include <cstddef>
#include <string>

namespace amis::monitor {

// The longest flush interval allowed: a crash loses the counts of at most the last
// flush interval, the aggregator's last drain (0.1 s) and the write under way, which
// this keeps under a minute (docs/usage.md, "What a crash loses").
inline constexpr int kMaxFlushSeconds = 50;

struct UsageOptions {
  bool enabled = true;
  // Events waiting for the aggregator at most; beyond, events are dropped and counted.
  std::size_t queue_size = 16384;
  // How often the aggregator writes its counts to the store: what a crash may lose.
  int flush_seconds = 30;
  // Raw events (no address, no User-Agent) are kept this many days; 0: none kept.
  int raw_event_days = 7;
  // The MaxMind DB file of address ranges to countries (scripts/setup-debian.sh
  // fetches the CC0 geo-whois-asn-country database there); missing: countries by
  // address are "unknown" (signed-in callers still count for their member state).
  std::string country_database = "/usr/local/share/amis/geo-whois-asn-country.mmdb";
  // Debian's iso-codes table, to turn alpha-2 codes into the alpha-3 ones AMIS uses.
  std::string country_codes = "/usr/share/iso-codes/json/iso_3166-1.json";
  // The usage reports (/usage/...) for anyone, or for signed-in accounts only.
  bool public_reports = true;
  // Distinct visitors remembered per day (8 bytes each), a bound on memory.
  std::size_t max_visitors_per_day = 1000000;
};

}  // namespace amis::monitor
