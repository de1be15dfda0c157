#pragma once
// The kind of client a User-Agent names: "browser", "gis" (desktop GIS and OGC
// client libraries: QGIS, GDAL, ArcGIS, OWSLib ...), "script" (curl, Python,
// wget ...), "crawler" (search engines and bots) or "other". Only the class is
// kept; the User-Agent itself never leaves memory.
#include <string_view>

namespace amis::monitor {

const char* client_class(std::string_view user_agent);

}  // namespace amis::monitor
