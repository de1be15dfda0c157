#include "http/static_files.hpp"

#include <fstream>
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
  if (ends(".txt") || ends("LICENSE")) return "text/plain; charset=utf-8";
  return nullptr;
}

// Only plain names: no "..", no hidden files, no separators.
bool safe_segment(const std::string& s) {
  return !s.empty() && s.front() != '.' && s.find('/') == std::string::npos &&
         s.find('\\') == std::string::npos && s.find('\0') == std::string::npos;
}

void serve(const std::string& folder, const std::string& relative, Response& response) {
  const char* type = media_type(relative);
  std::ifstream file(folder + "/" + relative, std::ios::binary);
  if (!type || !file) {
    response.send(404, "application/json", R"({"code":"NotFound","description":"no such file"})");
    return;
  }
  std::ostringstream body;
  body << file.rdbuf();
  response.send(200, type, body.str(), {{"Cache-Control", "public, max-age=86400"}});
}

}  // namespace

void add_static_files(Router& router, const std::string& folder) {
  // Up to three levels (leaflet/images/marker-icon.png); every segment is checked.
  for (const char* pattern : {"/static/{s0}", "/static/{s0}/{s1}", "/static/{s0}/{s1}/{s2}"}) {
    router.add("GET", pattern, [folder](Request& rq, Response& rs) {
      std::string relative;
      for (const auto& [name, segment] : rq.path_params) {  // s0 < s1 < s2: map order is path order
        if (!safe_segment(segment))
          return rs.send(404, "application/json", R"({"code":"NotFound","description":"no such file"})");
        relative += (relative.empty() ? "" : "/") + segment;
      }
      serve(folder, relative, rs);
    });
  }
}

}  // namespace amis::http
