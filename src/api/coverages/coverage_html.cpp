#include "api/coverages/coverage_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "api/features/html_pages.hpp"
#include "http/request.hpp"

namespace amis::api::coverages {
namespace {

using features::html_escape;

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", v);
  return text;
}

std::string row(const std::string& name, const std::string& value) {
  return "<tr><th>" + html_escape(name) + "</th><td>" + html_escape(value) + "</td></tr>";
}

// The preview's size: the grid scaled to at most kPreviewSize along its longer side.
std::pair<int, int> preview_size(const coverage::CoverageInfo& info) {
  const double longest = std::max(info.width, info.height);
  const double k = std::min(1.0, kPreviewSize / longest);
  return {std::max(1, static_cast<int>(std::lround(info.width * k))),
          std::max(1, static_cast<int>(std::lround(info.height * k)))};
}

}  // namespace

std::string coverage_html_page(const std::string& base, const store::RasterLayer& layer,
                               const coverage::CoverageInfo& info, const std::vector<store::RasterBand>& bands) {
  const std::string href = base + "/collections/" + http::percent_encode(layer.id);
  const std::string coverage = href + "/coverage";
  const std::string title = layer.title.empty() ? layer.id : layer.title;
  std::string h = features::page_head(
      base, title,
      false,
      {{"alternate", "image/tiff; application=geotiff", coverage + "?f=tif", "GeoTIFF"},
       {"alternate", "application/prs.coverage+json", coverage + "?f=covjson", "CoverageJSON"},
       {"alternate", "image/png", coverage + "?f=png", "PNG"}});
  h += "<h1>" + html_escape(title) + "</h1>";
  if (!layer.description.empty()) h += "<p>" + html_escape(layer.description) + "</p>";
  const auto [pw, ph] = preview_size(info);
  const std::string preview = coverage + "?f=png&scale-size=" + http::percent_encode(info.x_label) + "(" +
                              std::to_string(pw) + ")," + http::percent_encode(info.y_label) + "(" +
                              std::to_string(ph) + ")";
  h += "<figure><img class=\"coverage-preview\" src=\"" + html_escape(preview) + "\" width=\"" + std::to_string(pw) +
       "\" height=\"" + std::to_string(ph) + "\" alt=\"" + html_escape("Preview of " + title) +
       "\"><figcaption>Every band stretched from its minimum to its maximum (PNG, " + std::to_string(pw) + " x " +
       std::to_string(ph) + ")</figcaption></figure>";
  const auto e = info.envelope();
  h += "<h2>Domain</h2><table class=\"domain\">";
  h += row("CRS", info.crs ? info.crs_uri() : "(without an EPSG code)");
  h += row("Axes", info.x_label + ", " + info.y_label);
  h += row("Grid", std::to_string(info.width) + " x " + std::to_string(info.height) + " cells");
  h += row("Resolution", number(info.resolution_x()) + " x " + number(info.resolution_y()) + " " + info.uom);
  h += row("Extent", number(e.min_x) + ", " + number(e.min_y) + ", " + number(e.max_x) + ", " + number(e.max_y));
  h += row("Extent (CRS84)", number(layer.extent.min_x) + ", " + number(layer.extent.min_y) + ", " +
                                 number(layer.extent.max_x) + ", " + number(layer.extent.max_y));
  h += "</table><h2>Bands</h2><table class=\"bands\"><thead><tr><th>Band</th><th>Unit</th><th>Description</th>"
       "<th>Data type</th><th>Nodata</th><th>Minimum</th><th>Maximum</th></tr></thead><tbody>";
  for (const auto& b : bands)
    h += "<tr><td>" + html_escape(b.name) + "</td><td>" + html_escape(b.unit) + "</td><td>" +
         html_escape(b.description) + "</td><td>" + html_escape(b.data_type) + "</td><td>" +
         (b.nodata ? number(*b.nodata) : std::string()) + "</td><td>" + number(b.min) + "</td><td>" + number(b.max) +
         "</td></tr>";
  h += "</tbody></table><h2>Downloads and services</h2><ul>";
  auto item = [&](const std::string& url, const std::string& text) {
    h += "<li><a href=\"" + html_escape(url) + "\">" + html_escape(text) + "</a></li>";
  };
  item(coverage + "?f=tif", "GeoTIFF (the whole coverage)");
  item(coverage + "?f=covjson", "CoverageJSON");
  item(coverage + "/domainset", "Domain set (CIS JSON)");
  item(coverage + "/rangetype", "Range type (CIS JSON)");
  item(href + "/map/tiles", "Map tiles");
  item(href + "/styles/hillshade/map/tiles", "Map tiles, hillshade");
  item(base + "/wcs?SERVICE=WCS&VERSION=2.0.1&REQUEST=DescribeCoverage&COVERAGEID=" + http::percent_encode(layer.id),
       "WCS 2.0.1 DescribeCoverage");
  h += "</ul>";
  h += features::json_link(href + "?f=json");
  h += features::page_foot();
  return h;
}

}  // namespace amis::api::coverages
