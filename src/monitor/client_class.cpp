#include "monitor/client_class.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace amis::monitor {
namespace {

bool contains(const std::string& lower, std::string_view needle) { return lower.find(needle) != std::string::npos; }

template <std::size_t N>
bool any_of(const std::string& lower, const std::array<std::string_view, N>& needles) {
  return std::any_of(needles.begin(), needles.end(), [&](std::string_view n) { return contains(lower, n); });
}

constexpr std::array<std::string_view, 9> kCrawlers = {"bot", "crawl", "spider", "slurp", "facebookexternalhit",
                                                       "archive.org", "bingpreview", "yandex", "baidu"};
constexpr std::array<std::string_view, 11> kGis = {"qgis", "gdal", "arcgis", "esri", "owslib", "udig",
                                                   "mapinfo", "global mapper", "geoserver", "mapserver", "fme/"};
constexpr std::array<std::string_view, 16> kScripts = {"curl", "wget", "python", "requests", "urllib", "httpie",
                                                       "go-http-client", "java/", "okhttp", "apache-httpclient",
                                                       "libwww-perl", "node-fetch", "axios", "undici", "wrk",
                                                       "powershell"};

}  // namespace

const char* client_class(std::string_view user_agent) {
  std::string lower(user_agent.substr(0, 512));
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.empty()) return "other";
  if (any_of(lower, kCrawlers)) return "crawler";
  if (any_of(lower, kGis)) return "gis";
  if (any_of(lower, kScripts)) return "script";
  if (lower.starts_with("mozilla/") || lower.starts_with("opera/")) return "browser";
  return "other";
}

}  // namespace amis::monitor
