#pragma once
// Serves the files of one folder (the HTML pages' styles, Leaflet) read-only.
#include <string>

#include "http/router.hpp"

namespace amis::http {

// Adds GET /static/... (up to three path levels) for files under `folder`.
void add_static_files(Router& router, const std::string& folder);

}  // namespace amis::http
