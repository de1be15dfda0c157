#include "federation/node.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "auth/account.hpp"
#include "core/error.hpp"
#include "federation/url.hpp"

namespace amis::federation {
namespace {

constexpr std::pair<NodeKind, std::string_view> kKinds[] = {
    {NodeKind::Amis, "amis"}, {NodeKind::Csw, "csw"}, {NodeKind::Records, "records"},
    {NodeKind::Oapif, "oapif"}, {NodeKind::Wfs, "wfs"}, {NodeKind::Wms, "wms"}, {NodeKind::Wmts, "wmts"}};

constexpr double kMinRate = 1.0 / 60 - 1e-12;  // a request a minute
constexpr double kMaxRate = 1000;

bool valid_name(std::string_view name) {
  if (name.size() < 2 || name.size() > 40) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

}  // namespace

std::string_view to_string(NodeKind kind) {
  for (const auto& [k, text] : kKinds)
    if (k == kind) return text;
  return "csw";
}

NodeKind parse_node_kind(std::string_view text) {
  for (const auto& [k, word] : kKinds)
    if (word == text) return k;
  throw core::InvalidValue("kind", "a node's kind is one of amis, csw, records, oapif, wfs, wms, wmts");
}

void validate(const Node& node) {
  if (!valid_name(node.name))
    throw core::InvalidValue("name", "a node's name has 2 to 40 characters a-z, 0-9, '-' or '_'");
  parse_node_url(node.url);  // throws InvalidValue("url", ...)
  if (!auth::is_member_country(node.country))
    throw core::InvalidValue("country", "the country is the ISO 3166-1 alpha-3 code of a member state (IDN, MYS, ...)");
  if (node.schedule_seconds != 0 && (node.schedule_seconds < 60 || node.schedule_seconds > 366 * 86400))
    throw core::InvalidValue("schedule", "a schedule is between 1 minute and 1 year, or 0 (only when asked)");
  if (node.token.size() > 4096 ||
      std::any_of(node.token.begin(), node.token.end(), [](unsigned char c) { return c < 0x21 || c > 0x7e; }))
    throw core::InvalidValue("token", "a token is at most 4096 visible ASCII characters");
  checked_rate_limit(node.rate_limit);
}

double checked_rate_limit(double per_second) {
  if (per_second == 0) return 0;
  if (!(per_second >= kMinRate && per_second <= kMaxRate))
    throw core::InvalidValue("rateLimit", "a rate limit is between 1 request a minute and 1,000 a second, or off");
  return per_second;
}

double parse_rate_limit(std::string_view text) {
  if (text == "off" || text == "none") return 0;
  double n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  double per = 0;  // seconds of the unit
  if (unit.empty() || unit == "/s") per = 1;
  else if (unit == "/min" || unit == "/m") per = 60;
  if (ec != std::errc{} || per == 0 || !std::isfinite(n))
    throw core::InvalidValue("rateLimit", "a rate limit is requests a second (\"2\", \"0.5/s\") or a minute "
                                          "(\"30/min\"), or \"off\"");
  return checked_rate_limit(n / per);
}

std::string rate_limit_text(double per_second) {
  if (per_second <= 0) return "off";
  const auto number = [](double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return std::string(text);
  };
  const double per_minute = per_second * 60;
  if (per_second < 1 && std::abs(per_minute - std::round(per_minute)) < 1e-9) return number(std::round(per_minute)) + "/min";
  return number(per_second) + "/s";
}

std::int64_t parse_schedule(std::string_view text) {
  if (text == "0" || text == "off" || text == "never") return 0;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  std::int64_t factor = 0;
  if (unit.empty() || unit == "s") factor = 1;
  else if (unit == "m") factor = 60;
  else if (unit == "h") factor = 3600;
  else if (unit == "d") factor = 86400;
  if (ec != std::errc{} || factor == 0 || n < 0 || n > 400 * 86400)
    throw core::InvalidValue("schedule", "a schedule is a number with s, m, h or d (\"6h\"), or \"off\"");
  const std::int64_t seconds = n * factor;
  if (seconds != 0 && (seconds < 60 || seconds > 366 * 86400))
    throw core::InvalidValue("schedule", "a schedule is between 1 minute and 1 year, or off");
  return seconds;
}

std::string schedule_text(std::int64_t seconds) {
  if (seconds == 0) return "off";
  if (seconds % 86400 == 0) return std::to_string(seconds / 86400) + "d";
  if (seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
  if (seconds % 60 == 0) return std::to_string(seconds / 60) + "m";
  return std::to_string(seconds) + "s";
}

std::string_view to_string(RunStatus status) {
  switch (status) {
    case RunStatus::Succeeded: return "succeeded";
    case RunStatus::Partial: return "partial";
    case RunStatus::Failed: return "failed";
  }
  return "failed";
}

RunStatus parse_run_status(std::string_view text) {
  if (text == "succeeded") return RunStatus::Succeeded;
  if (text == "partial") return RunStatus::Partial;
  return RunStatus::Failed;
}

std::string_view to_string(SyncStatus status) {
  switch (status) {
    case SyncStatus::Synced: return "synced";
    case SyncStatus::Stopped: return "stopped";
    case SyncStatus::Failed: return "failed";
    case SyncStatus::Skipped: return "skipped";
  }
  return "failed";
}

SyncStatus parse_sync_status(std::string_view text) {
  if (text == "synced") return SyncStatus::Synced;
  if (text == "stopped") return SyncStatus::Stopped;
  if (text == "skipped") return SyncStatus::Skipped;
  return SyncStatus::Failed;
}

}  // namespace amis::federation
