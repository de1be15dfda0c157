#pragma once
// A Response that tells clients not to store what it sends (Cache-Control:
// no-store), for answers that change with the data. QGIS keeps HTTP answers in
// Qt's disk cache across sessions and, for WFS, reuses one for the same URL
// whatever its age; "no-cache" does not stop it, "no-store" does.
#include <string>
#include <string_view>
#include <utility>

#include "http/response.hpp"

namespace amis::api {

class NoStoreResponse final : public http::Response {
 public:
  explicit NoStoreResponse(http::Response& inner) : inner_(inner) {}

  void send(int status, std::string_view content_type, std::string body, const http::Headers& headers = {}) override {
    inner_.send(status, content_type, std::move(body), with_no_store(headers));
  }
  http::ByteSink& stream(int status, std::string_view content_type, const http::Headers& headers = {}) override {
    return inner_.stream(status, content_type, with_no_store(headers));
  }
  bool not_modified(std::string_view content_type, const http::Headers& headers) override {
    return inner_.not_modified(content_type, with_no_store(headers));
  }
  bool started() const override { return inner_.started(); }
  void discard_unsent() override { inner_.discard_unsent(); }

 private:
  static http::Headers with_no_store(const http::Headers& headers) {
    http::Headers out;
    for (const auto& h : headers)
      if (h.first != "Cache-Control") out.push_back(h);
    out.emplace_back("Cache-Control", "no-store");
    return out;
  }

  http::Response& inner_;
};

}  // namespace amis::api
