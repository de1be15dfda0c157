#include "http/static_files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace amis::http {
namespace {

const char* media_type(const std::string& name) {
  auto ends = [&](const char* s) { return name.ends_with(s); };
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".png")) return "image/png";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".json")) return "application/json";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".webmanifest")) return "application/manifest+json";
  if (ends(".txt") || ends("LICENSE")) return "text/plain; charset=utf-8";
  return nullptr;
}

// Only plain names: no "..", no hidden files, no separators.
bool safe_segment(const std::string& s) {
  return !s.empty() && s.front() != '.' && s.find('/') == std::string::npos &&
         s.find('\\') == std::string::npos && s.find('\0') == std::string::npos;
}

void not_found(Response& response, std::string_view description = "no such file") {
  response.send(404, "application/json",
                R"({"code":"NotFound","description":")" + std::string(description) + "\"}");
}

// The file `relative` names under `folder`, if it is a regular file whose real
// path (symbolic links resolved) stays inside the folder's real path: a link
// pointing out of the folder, a folder and a missing file are all nothing.
std::optional<std::filesystem::path> file_inside(const std::string& folder, const std::string& relative) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path root = fs::canonical(folder, error);
  if (error) return std::nullopt;
  const fs::path file = fs::canonical(root / relative, error);
  if (error || !fs::is_regular_file(file, error)) return std::nullopt;
  const auto [end, _] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  if (end != root.end()) return std::nullopt;  // not under the folder
  return file;
}

void serve(const std::string& folder, const std::string& relative, Response& response,
           const std::string& cache_control = "public, max-age=86400") {
  const char* type = media_type(relative);
  const auto path = type ? file_inside(folder, relative) : std::nullopt;
  if (!path) return not_found(response);
  std::ifstream file(*path, std::ios::binary);
  if (!file) return not_found(response);
  std::ostringstream body;
  body << file.rdbuf();
  response.send(200, type, body.str(), {{"Cache-Control", cache_control}});
}

}  // namespace

void add_static_files(Router& router, const std::string& folder) {
  // Up to three levels (leaflet/images/marker-icon.png); every segment is checked.
  for (const char* pattern : {"/static/{s0}", "/static/{s0}/{s1}", "/static/{s0}/{s1}/{s2}"}) {
    router.add("GET", pattern, [folder](Request& rq, Response& rs) {
      std::string relative;
      for (const auto& [name, segment] : rq.path_params) {  // s0 < s1 < s2: map order is path order
        if (!safe_segment(segment)) return not_found(rs);
        relative += (relative.empty() ? "" : "/") + segment;
      }
      serve(folder, relative, rs);
    });
  }
}

void add_portal(Router& router, const std::string& folder) {
  // The router ignores a trailing slash; the page needs it, for its relative links.
  router.add("GET", "/portal", [folder](Request& rq, Response& rs) {
    // Relative, so that it holds behind a proxy that adds a path prefix.
    if (!rq.path.ends_with('/'))
      return rs.send(301, "text/plain; charset=utf-8", "The portal is at portal/\n", {{"Location", "portal/"}});
    if (!file_inside(folder, "index.html")) return not_found(rs, "the portal is not built: run scripts/build-web.sh");
    // The page names its scripts by content hash: it is revalidated, they are kept.
    serve(folder, "index.html", rs, "no-cache");
  });
  router.add("GET", "/portal/{s0}", [folder](Request& rq, Response& rs) {
    const auto& name = rq.path_param("s0");
    if (!safe_segment(name)) return not_found(rs);
    serve(folder, name, rs, "no-cache");
  });
  router.add("GET", "/portal/assets/{s0}", [folder](Request& rq, Response& rs) {
    const auto& name = rq.path_param("s0");
    if (!safe_segment(name)) return not_found(rs);
    serve(folder, "assets/" + name, rs, "public, max-age=31536000, immutable");
  });
}

}  // namespace amis::http
