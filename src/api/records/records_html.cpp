#include "api/records/records_html.hpp"

#include "api/features/html_pages.hpp"
#include "api/records/records_documents.hpp"
#include "encode/iso19139_writer.hpp"
#include "encode/json_text.hpp"
#include "http/request.hpp"

namespace amis::api::records {

using features::html_escape;

namespace {

std::string search_form(const std::string& base, const std::string& q) {
  return "<form method=\"get\" action=\"" + catalog_path(base) +
         "/items\"><input type=\"hidden\" name=\"f\" value=\"html\"><input type=\"search\" name=\"q\" value=\"" +
         html_escape(q) +
         "\" placeholder=\"Search: gold, coal mines, Myanmar...\"> <input type=\"text\" name=\"bbox\" "
         "placeholder=\"bbox: west,south,east,north\"> <input type=\"text\" name=\"datetime\" "
         "placeholder=\"time: 2010-01-01/..\"> <select name=\"type\"><option value=\"\">any type</option>"
         "<option>dataset</option><option>series</option><option>service</option><option>document</option>"
         "<option>map</option></select> <button type=\"submit\">Search</button></form>";
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string numbers(const core::Envelope& e) {
  std::string out;
  for (double v : {e.min_x, e.min_y, e.max_x, e.max_y}) {
    if (!out.empty()) out += ", ";
    encode::append_json_number(out, v);
  }
  return out;
}

}  // namespace

std::string html_catalog(const std::string& base, const std::string& title, const std::string& description,
                         std::int64_t records) {
  const std::string path = catalog_path(base);
  const std::vector<features::HeadLink> links = {
      {"alternate", "application/json", path + "?f=json", "The catalogue as JSON"},
      {"items", "application/geo+json", path + "/items?f=json", "The records"},
      {"related", "application/xml", base + "/csw?service=CSW&request=GetCapabilities", "The catalogue as CSW 2.0.2"}};
  return features::page_head(base, title, false, links) + "<h1>" + html_escape(title) + "</h1><p>" +
         html_escape(description) +
         "</p><p>" + std::to_string(records) + " records describe the collections, maps and services of AMIS and "
         "resources held elsewhere.</p>" + search_form(base, "") + "<ul><li><a href=\"" + path +
         "/items?f=html\">Browse all records</a></li><li><a href=\"" + path +
         "/queryables\">Queryables</a> (for <code>filter</code>, CQL2)</li><li><a href=\"" + path +
         "/sortables\">Sortables</a> (for <code>sortby</code>)</li></ul>" + features::json_link(path + "?f=json") +
         features::page_foot();
}

std::string html_record(const std::string& base, const catalog::Record& r) {
  const std::string self = record_path(base, r.id);
  const std::vector<features::HeadLink> links = {
      {"alternate", "application/geo+json", self + "?f=json", "This record as GeoJSON"},
      {"alternate", "application/xml", self + "?f=xml", "This record as ISO 19139"},
      {"collection", "application/json", catalog_path(base), "The catalogue"}};
  std::string h = features::page_head(base, r.title, false, links) + "<h1>" + html_escape(r.title) + "</h1><p>" +
                  html_escape(r.abstract) + "</p>";
  if (!r.thumbnail.empty())
    h += "<p><img class=\"thumbnail\" alt=\"Map of " + html_escape(r.title) + "\" src=\"" +
         html_escape(encode::resolve_href(r.thumbnail, base)) + "\" width=\"256\"></p>";
  h += "<dl>";
  auto row = [&](const char* k, const std::string& v) {
    if (!v.empty()) h += "<dt>" + std::string(k) + "</dt><dd>" + html_escape(v) + "</dd>";
  };
  row("Identifier", r.id);
  row("Type", r.type);
  row("Keywords", joined(r.all_keywords()));
  row("Topic categories", joined(r.topic_categories));
  row("Member state", r.country);
  row("Licence", r.licence);
  row("Attribution", r.attribution);
  row("Constraints", joined(r.constraints));
  row("Lineage", r.lineage);
  if (r.extent) row("Extent (CRS84: west, south, east, north)", numbers(*r.extent));
  if (r.temporal_extent)
    row("Time", r.temporal_extent->start.value_or("..") + " / " + r.temporal_extent->end.value_or(".."));
  if (r.feature_count) row("Features", std::to_string(*r.feature_count));
  row("Reference system", r.reference_system);
  row("Update frequency", r.update_frequency);
  row("Language", r.language);
  row("Created", r.created);
  row("Published", r.published);
  row("Revised", r.revised);
  row("Record updated", r.updated);
  for (const auto& p : r.contacts)
    row(p.role.c_str(), p.organisation + (p.individual.empty() ? "" : " (" + p.individual + ")") +
                            (p.email.empty() ? "" : " <" + p.email + ">"));
  if (r.provenance) row("Harvested from", r.provenance->source_node + " (" + r.provenance->harvested_at + ")");
  h += "</dl>";
  if (!r.parent_id.empty())
    h += "<p>Part of <a href=\"" + html_escape(record_path(base, r.parent_id)) + "?f=html\">" +
         html_escape(r.parent_id) + "</a></p>";
  if (!r.links.empty()) {
    h += "<h2>Access and downloads</h2><table><tr><th>Link</th><th>Protocol</th><th>Type</th></tr>";
    for (const auto& l : r.links)
      h += "<tr><td><a href=\"" + html_escape(encode::resolve_href(l.href, base)) + "\">" +
           html_escape(l.title.empty() ? l.href : l.title) + "</a></td><td>" + html_escape(l.protocol) +
           "</td><td>" + html_escape(l.type) + "</td></tr>";
    h += "</table>";
  }
  h += "<p class=\"alt\"><a href=\"" + html_escape(self) + "?f=json\">JSON</a> <a href=\"" + html_escape(self) +
       "?f=xml\">ISO 19139 XML</a></p>";
  return h + features::page_foot();
}

HtmlRecordsPage::HtmlRecordsPage(core::ByteSink& out, std::string base, const catalog::CatalogQuery& query,
                                 std::string query_text)
    : out_(out), base_(std::move(base)), query_(query), query_text_(std::move(query_text)) {}

void HtmlRecordsPage::start() {
  if (started_) return;
  started_ = true;
  out_.write(features::page_head(base_, "Catalogue") + "<h1>Catalogue</h1>" + search_form(base_, joined(query_.q)) +
             "<table><tr><th>Title</th><th>Type</th><th>Member state</th><th>Updated</th></tr>");
}

void HtmlRecordsPage::record(const catalog::Record& r) {
  start();
  out_.write("<tr><td><a href=\"" + html_escape(record_path(base_, r.id)) + "?f=html\">" + html_escape(r.title) +
             "</a></td><td>" + html_escape(r.type) + "</td><td>" + html_escape(r.country) + "</td><td>" +
             html_escape(r.updated.substr(0, 10)) + "</td></tr>");
}

void HtmlRecordsPage::finish(const store::SearchSummary& summary, const std::string& prev, const std::string& next) {
  start();
  std::string h = "</table><p>" + std::to_string(summary.returned) + " records";
  if (summary.matched) h += " of " + std::to_string(*summary.matched);
  h += ".";
  if (!prev.empty()) h += " <a rel=\"prev\" href=\"" + html_escape(prev) + "\">Previous</a>";
  if (!next.empty()) h += " <a rel=\"next\" href=\"" + html_escape(next) + "\">Next</a>";
  h += "</p>";
  for (const auto& f : summary.facets) {
    h += "<h2>" + html_escape(catalog::to_string(f.field)) + "</h2><ul class=\"facets\">";
    for (const auto& b : f.buckets) h += "<li>" + html_escape(b.value) + " (" + std::to_string(b.count) + ")</li>";
    h += "</ul>";
  }
  out_.write(h + features::json_link(catalog_path(base_) + "/items" + query_text_) + features::page_foot());
}

}  // namespace amis::api::records
