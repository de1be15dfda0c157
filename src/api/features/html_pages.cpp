#include "api/features/html_pages.hpp"

#include "encode/geojson_geometry.hpp"
#include "encode/json_text.hpp"

namespace amis::api::features {

std::string page_head(const std::string& base, const std::string& title, bool map,
                      const std::vector<HeadLink>& links) {
  std::string h =
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>" + html_escape(title) + " - AMIS</title>"
      "<link rel=\"stylesheet\" href=\"" + base + "/static/amis.css\">";
  for (const auto& l : links) {
    h += "<link rel=\"" + html_escape(l.rel) + "\" type=\"" + html_escape(l.type) + "\" href=\"" + html_escape(l.href) +
         "\"";
    if (!l.title.empty()) h += " title=\"" + html_escape(l.title) + "\"";
    h += ">";
  }
  if (map)
    h += "<link rel=\"stylesheet\" href=\"" + base + "/static/leaflet/leaflet.css\">"
         "<script src=\"" + base + "/static/leaflet/leaflet.js\"></script>";
  h += "</head><body><header><a class=\"brand\" href=\"" + base +
       "/?f=html\">AMIS</a> <span>ASEAN Minerals Information System</span>"
       "<nav><a href=\"" + base + "/portal/\">Map portal</a> <a href=\"" + base +
       "/collections?f=html\">Collections</a> <a href=\"" + base +
       "/collections/catalog?f=html\">Catalogue</a> <a href=\"" + base +
       "/api?f=html\">API</a> <a href=\"" + base + "/conformance?f=html\">Conformance</a></nav>"
       "</header><main>";
  return h;
}

std::string page_foot() { return "</main></body></html>"; }

std::string json_link(const std::string& href) {
  return "<p class=\"alt\"><a href=\"" + html_escape(href) + "\">JSON</a></p>";
}

namespace {

std::string value_text(const core::Property& p, const core::Value& v) {
  switch (v.kind) {
    case core::Value::Kind::Null: return "";
    case core::Value::Kind::Integer:
      if (p.type == core::PropertyType::Boolean) return v.integer ? "true" : "false";
      return std::to_string(v.integer);
    case core::Value::Kind::Real: {
      std::string s;
      encode::append_json_number(s, v.real);
      return s;
    }
    case core::Value::Kind::Text: return html_escape(v.text);
  }
  return "";
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string html_text(const nlohmann::json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return html_escape(value.get<std::string>());
  return html_escape(value.dump());
}

std::string html_landing_page(const std::string& base, const std::string& title,
                              const std::string& description) {
  const std::vector<HeadLink> links = {
      {"alternate", "application/json", base + "/?f=json", "This document as JSON"},
      {"service-desc", "application/vnd.oai.openapi+json;version=3.0", base + "/api", "The API definition"},
      {"related", "application/json", base + "/collections/catalog", "The metadata catalogue (OGC API - Records)"},
      {"related", "application/xml", base + "/csw?service=CSW&request=GetCapabilities",
       "The metadata catalogue (CSW 2.0.2)"}};
  return page_head(base, title, false, links) + "<h1>" + html_escape(title) + "</h1><p>" +
         html_escape(description) +
         "</p><ul>"
         "<li><a href=\"" + base + "/portal/\">Map portal</a>: view, filter and download the data; "
         "editors and reviewers log in here</li>"
         "<li><a href=\"" + base + "/collections?f=html\">Collections</a>: the data</li>"
         "<li><a href=\"" + base + "/countries?f=html\">Country investment profiles</a>: the ASEAN Member States' "
         "mining laws, licences, fiscal terms and incentives, with live summaries of their data</li>"
         "<li><a href=\"" + base + "/collections/catalog?f=html\">Metadata catalogue</a>: search the records of "
         "the data, maps and services (also <a href=\"" + base +
         "/csw?service=CSW&amp;request=GetCapabilities\">CSW 2.0.2</a>, for QGIS MetaSearch)</li>"
         "<li><a href=\"" + base + "/api?f=html\">API definition</a> (<a href=\"" + base +
         "/api\">OpenAPI 3.0 JSON</a>)</li>"
         "<li><a href=\"" + base + "/conformance?f=html\">Conformance classes</a></li></ul>" +
         "<p>Open this service in QGIS (Layer &gt; Add WFS / OGC API - Features layer) with the URL <code>" +
         html_escape(base) + "</code>, or with GDAL: <code>ogrinfo OAPIF:" + html_escape(base) +
         "</code>.</p>" + json_link(base + "/?f=json") + page_foot();
}

std::string html_conformance(const std::string& base, const std::vector<std::string>& classes) {
  std::string h = page_head(base, "Conformance") + "<h1>Conformance classes</h1><ul>";
  for (const auto& c : classes) h += "<li><code>" + html_escape(c) + "</code></li>";
  return h + "</ul>" + json_link(base + "/conformance?f=json") + page_foot();
}

std::string html_api_page(const std::string& base, const nlohmann::json& openapi) {
  std::string h = page_head(base, "API") + "<h1>" +
                  html_escape(openapi["info"]["title"].get<std::string>()) +
                  "</h1><p>OpenAPI " + html_escape(openapi["openapi"].get<std::string>()) +
                  " definition: <a href=\"" + base + "/api?f=json\">JSON</a></p><table><tr><th>Path</th>"
                  "<th>Operation</th><th>Summary</th></tr>";
  for (const auto& [path, item] : openapi["paths"].items())
    for (const auto& [method, op] : item.items())
      h += "<tr><td><code>" + html_escape(path) + "</code></td><td>" + html_escape(method) +
           "</td><td>" + html_escape(op.value("summary", "")) + "</td></tr>";
  return h + "</table>" + page_foot();
}

std::string html_collections(const std::string& base, const std::vector<core::Collection>& list) {
  std::string h = page_head(base, "Collections") +
                  "<h1>Collections</h1><table><tr><th>Collection</th><th>Features</th>"
                  "<th>Geometry</th><th>Description</th></tr>";
  for (const auto& c : list)
    h += "<tr><td><a href=\"" + base + "/collections/" + c.id + "?f=html\">" +
         html_escape(c.title) + "</a></td><td>" + std::to_string(c.feature_count) + "</td><td>" +
         html_escape(c.geometry_type) + "</td><td>" + html_escape(c.description) + "</td></tr>";
  return h + "</table>" + json_link(base + "/collections?f=json") + page_foot();
}

std::string html_collection(const std::string& base, const core::Collection& c) {
  // The collection's metadata record (catalog::collection_record_id), in the catalogue.
  const std::string record = base + "/collections/catalog/items/amis:collection:" + c.id;
  const std::vector<HeadLink> links = {
      {"alternate", "application/json", base + "/collections/" + c.id + "?f=json", "This collection as JSON"},
      {"describedby", "application/geo+json", record + "?f=json", "Its metadata record"},
      {"describedby", "application/xml", record + "?f=xml", "Its metadata record (ISO 19139)"}};
  std::string h = page_head(base, c.title, false, links) + "<h1>" + html_escape(c.title) + "</h1><p>" +
                  html_escape(c.description) + "</p><dl>";
  auto row = [&](const char* k, const std::string& v) {
    if (!v.empty()) h += "<dt>" + std::string(k) + "</dt><dd>" + html_escape(v) + "</dd>";
  };
  row("Identifier", c.id);
  row("Features", std::to_string(c.feature_count));
  row("Geometry", c.geometry_type);
  row("Licence", c.licence);
  row("Attribution", c.attribution);
  std::string keywords;
  for (const auto& k : c.keywords) keywords += (keywords.empty() ? "" : ", ") + k;
  row("Keywords", keywords);
  if (c.extent && !c.extent->empty()) {
    std::string e;
    for (double v : {c.extent->min_x, c.extent->min_y, c.extent->max_x, c.extent->max_y}) {
      if (!e.empty()) e += ", ";
      encode::append_json_number(e, v);
    }
    row("Extent (CRS84)", e);
  }
  if (c.temporal_property) row("Time property", *c.temporal_property);
  row("Last updated", c.updated);
  h += "</dl><h2>Properties</h2><table><tr><th>Name</th><th>Type</th></tr>";
  for (const auto& p : c.properties)
    h += "<tr><td>" + html_escape(p.name) + "</td><td>" + core::to_string(p.type) + "</td></tr>";
  h += "</table><p><a href=\"" + base + "/collections/" + c.id +
       "/items?f=html\">Browse the features</a></p>";
  return h + json_link(base + "/collections/" + c.id + "?f=json") + page_foot();
}

std::string html_queryables(const std::string& base, const core::Collection& c,
                            const nlohmann::json& schema) {
  std::string h = page_head(base, c.title + " queryables") + "<h1><a href=\"" + base +
                  "/collections/" + c.id + "?f=html\">" + html_escape(c.title) +
                  "</a>: queryables</h1><p>Filter with <code>filter=</code> (CQL2-Text or, with "
                  "<code>filter-lang=cql2-json</code>, CQL2-JSON) or with <code>name=value</code>."
                  "</p><table><tr><th>Name</th><th>Type</th></tr>";
  for (const auto& [name, s] : schema["properties"].items())
    h += "<tr><td>" + html_escape(name) + "</td><td>" +
         html_escape(s.value("type", "") + (s.contains("format") ? " " + s["format"].get<std::string>() : "")) +
         "</td></tr>";
  return h + "</table>" + json_link(base + "/collections/" + c.id + "/queryables?f=json") + page_foot();
}

HtmlItemsPage::HtmlItemsPage(core::ByteSink& out, std::string base,
                             const core::Collection& collection, const core::FeatureQuery& query,
                             std::int64_t matched, std::string json_query)
    : out_(out),
      base_(std::move(base)),
      collection_(collection),
      query_(query),
      matched_(matched),
      json_query_(std::move(json_query)) {}

void HtmlItemsPage::begin(const core::Collection& c) {
  const std::string items = base_ + "/collections/" + c.id + "/items";
  buffer_ = page_head(base_, c.title, true) + "<h1><a href=\"" + base_ + "/collections/" + c.id +
            "?f=html\">" + html_escape(c.title) + "</a>: features</h1>" +
            "<div id=\"map\" class=\"map\" data-geojson=\"" + html_escape(items + json_query_) +
            "\"></div><script src=\"" + base_ + "/static/items-map.js\"></script>";
  buffer_ += "<p>" + std::to_string(matched_) + " features match; showing from " +
             std::to_string(query_.offset + 1) + ".</p><table><tr><th>id</th>";
  for (const auto& p : c.properties) buffer_ += "<th>" + html_escape(p.name) + "</th>";
  buffer_ += "</tr>";
}

void HtmlItemsPage::feature(const core::FeatureView& f) {
  last_id_ = f.id;
  const std::string id = std::to_string(f.id);
  buffer_ += "<tr><td><a href=\"" + base_ + "/collections/" + collection_.id + "/items/" + id +
             "?f=html\">" + id + "</a></td>";
  for (size_t i = 0; i < f.values.size() && i < collection_.properties.size(); ++i)
    buffer_ += "<td>" + value_text(collection_.properties[i], f.values[i]) + "</td>";
  buffer_ += "</tr>";
  ++returned_;
  if (buffer_.size() > 64 * 1024) {
    out_.write(buffer_);
    buffer_.clear();
  }
}

void HtmlItemsPage::end() {
  buffer_ += "</table><nav class=\"pages\">";
  const std::string items = base_ + "/collections/" + collection_.id + "/items";
  auto page_link = [&](std::int64_t offset, std::optional<std::int64_t> after, const char* label) {
    std::string q = json_query_;
    const auto f = q.find("f=json");
    if (f != std::string::npos) q.replace(f, 6, "f=html");
    const auto o = q.find("&offset=");
    if (o != std::string::npos) q.erase(o);
    if (offset > 0 || after) q += "&offset=" + std::to_string(offset);
    if (after) q += "&after=" + std::to_string(*after);
    buffer_ += "<a href=\"" + html_escape(items + q) + "\">" + label + "</a> ";
  };
  if (query_.offset > 0)
    page_link(std::max<std::int64_t>(0, query_.offset - query_.limit), std::nullopt, "Previous");
  if (returned_ == query_.limit && query_.offset + returned_ < matched_)  // keyset in id order, as in JSON
    page_link(query_.offset + query_.limit, query_.sortby.empty() ? last_id_ : std::nullopt, "Next");
  buffer_ += "</nav>" + json_link(items + json_query_) + page_foot();
  out_.write(buffer_);
  buffer_.clear();
}

void HtmlFeaturePage::feature(const core::FeatureView& f) {
  const std::string id = std::to_string(f.id);
  const std::string href = base_ + "/collections/" + collection_.id + "/items/" + id;
  out_ = page_head(base_, collection_.title + " " + id, true) + "<h1><a href=\"" + base_ +
         "/collections/" + collection_.id + "?f=html\">" + html_escape(collection_.title) +
         "</a>: feature " + id + "</h1><div id=\"map\" class=\"map\" data-geojson=\"" +
         html_escape(href + "?f=json") + "\"></div><script src=\"" + base_ +
         "/static/items-map.js\"></script><table>";
  for (size_t i = 0; i < f.values.size() && i < collection_.properties.size(); ++i)
    out_ += "<tr><th>" + html_escape(collection_.properties[i].name) + "</th><td>" +
            value_text(collection_.properties[i], f.values[i]) + "</td></tr>";
  out_ += "</table>" + json_link(href + "?f=json") + page_foot();
}

}  // namespace amis::api::features
