#pragma once
// WMS 1.3.0 (and 1.1.1) at /wms: GetCapabilities and GetMap, every collection a
// layer drawn by render/ with its default style. Errors are ServiceException
// reports with the standard codes.
#include <string>

#include "http/router.hpp"
#include "store/store.hpp"

namespace amis::api::wms {

struct WmsSettings {
  std::string title;
  std::string description;
  std::string base_url;  // empty: from the Host header
  int max_width = 4096;
  int max_height = 4096;
};

class WmsService {
 public:
  WmsService(store::Store& store, WmsSettings settings) : store_(store), settings_(std::move(settings)) {}
  void register_routes(http::Router& router);

 private:
  void handle(http::Request& request, http::Response& response);
  void get_capabilities(bool v130, const http::Request& request, http::Response& response);
  void get_map(bool v130, const http::Request& request, http::Response& response);
  std::string base_url(const http::Request& request) const;

  store::Store& store_;
  WmsSettings settings_;
};

}  // namespace amis::api::wms
