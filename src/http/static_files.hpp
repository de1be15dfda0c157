#pragma once
// Serves the files of a folder read-only: the HTML pages' styles and Leaflet, and
// the web portal.
#include <string>

#include "http/router.hpp"

namespace amis::http {

// Adds GET /static/... (up to three path levels) for files under `folder`.
void add_static_files(Router& router, const std::string& folder);

// Adds the web portal built into `folder` (web/dist): GET /portal/ is its page,
// /portal/assets/... its content-hashed scripts and styles, kept for a year.
void add_portal(Router& router, const std::string& folder);

}  // namespace amis::http
