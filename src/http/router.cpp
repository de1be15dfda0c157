#include "http/router.hpp"

namespace amis::http {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start < path.size()) {
    if (path[start] == '/') { ++start; continue; }
    const auto end = path.find('/', start);
    segments.emplace_back(path.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end;
  }
  return segments;
}

bool is_parameter(const std::string& s) { return s.size() > 2 && s.front() == '{' && s.back() == '}'; }

}  // namespace

void Router::add(std::string method, const std::string& pattern, Handler handler) {
  auto segments = split_path(pattern);
  std::string normal;
  for (const auto& segment : segments) normal += "/" + segment;
  routes_.push_back({std::move(method), std::move(segments), normal.empty() ? "/" : normal, std::move(handler)});
}

std::vector<Router::RouteInfo> Router::routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const auto& route : routes_) {
    out.push_back({route.method, route.pattern});
  }
  return out;
}

Router::Match Router::match(Request& request, const Handler*& handler, std::string& allowed) const {
  const auto segments = split_path(request.path);
  Match result = Match::NotFound;
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string, std::less<>> params;
    bool same = true;
    for (size_t i = 0; i < segments.size() && same; ++i) {
      if (is_parameter(route.segments[i]))
        params[route.segments[i].substr(1, route.segments[i].size() - 2)] = segments[i];
      else
        same = route.segments[i] == segments[i];
    }
    if (!same) continue;
    const bool method_ok = route.method == request.method ||
                           (route.method == "GET" && request.method == "HEAD");
    if (method_ok) {
      request.path_params = std::move(params);
      request.route = route.pattern;
      handler = &route.handler;
      return Match::Found;
    }
    allowed += allowed.empty() ? route.method : ", " + route.method;
    result = Match::WrongMethod;
  }
  return result;
}

}  // namespace amis::http
