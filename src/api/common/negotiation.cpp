#include "api/common/negotiation.hpp"

#include <string>

#include "core/error.hpp"

namespace amis::api {
namespace {

// The first supported media type in an Accept header, by quality then order.
std::optional<Format> from_accept(std::string_view accept) {
  std::optional<Format> best;
  double best_q = 0;
  bool any = false;
  while (!accept.empty()) {
    const auto comma = accept.find(',');
    std::string_view item = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    double q = 1;
    const auto semi = item.find(';');
    if (semi != std::string_view::npos) {
      const auto qpos = item.find("q=", semi);
      if (qpos != std::string_view::npos) q = std::atof(std::string(item.substr(qpos + 2)).c_str());
      item = item.substr(0, semi);
    }
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    std::optional<Format> format;
    if (item == "text/html" || item == "application/xhtml+xml") format = Format::Html;
    else if (item == "application/json" || item == "application/geo+json" ||
             item == "application/vnd.oai.openapi+json" || item == "application/*" ||
             item == "*/*")
      format = Format::Json;
    any = true;
    if (format && q > best_q) {
      best = format;
      best_q = q;
    }
  }
  if (!best && any) return std::nullopt;
  return best ? best : Format::Json;
}

}  // namespace

Format negotiate(const http::Request& request) {
  if (auto f = request.param("f")) {
    if (*f == "json" || *f == "geojson" || *f == "application/json" ||
        *f == "application/geo+json")
      return Format::Json;
    if (*f == "html" || *f == "text/html") return Format::Html;
    throw core::NotAcceptable("f=" + std::string(*f) + " is not offered here; use f=json or f=html");
  }
  const auto accept = request.header("accept");
  if (accept.empty()) return Format::Json;
  auto format = from_accept(accept);
  if (!format) throw core::NotAcceptable("none of the media types in Accept is offered here");
  return *format;
}

const char* format_name(Format format) { return format == Format::Html ? "html" : "json"; }

}  // namespace amis::api
