#include "api/invest/countries_html.hpp"

#include "api/features/html_pages.hpp"

namespace amis::api::invest_api {
namespace {

using features::html_escape;
using nlohmann::json;

std::string text(const json& value) { return features::html_text(value); }

std::string stale_banner(const json& review) {
  if (review["stale"].get<bool>())
    return "<p class=\"stale\" data-stale=\"true\"><strong>Stale:</strong> this profile has not been reviewed in the "
           "last 12 months (last reviewed: " +
           (review["lastReviewed"].is_null() ? std::string("never") : text(review["lastReviewed"])) + ").</p>";
  return "<p class=\"reviewed\" data-stale=\"false\">Last reviewed " + text(review["lastReviewed"]) +
         "; stale after " + text(review["staleAfter"]) + ".</p>";
}

std::string fields_table(const json& groups) {
  std::string out = "<table class=\"profile\"><tr><th>Field</th><th>Value</th><th>Source</th><th>As of</th></tr>";
  for (const auto& g : groups) {
    out += "<tr class=\"group\"><th colspan=\"4\">" + text(g["label"]) + "</th></tr>";
    for (const auto& f : g["fields"]) {
      out += "<tr data-field=\"" + text(f["key"]) + "\"><td>" + text(f["label"]) + "</td>";
      if (f["status"] == "filled")
        out += "<td class=\"value\">" + text(f["display"]) + "</td><td class=\"source\">" + text(f["source"]) +
               "</td><td class=\"as-of\">" + text(f["asOf"]) + "</td></tr>";
      else
        out += "<td class=\"empty\" colspan=\"3\">" + text(f["note"]) + "</td></tr>";
    }
  }
  return out + "</table>";
}

std::string summary_table(const json& s) {
  std::string out = "<h3>" + text(s["title"]) + "</h3>";
  if (!s["available"].get<bool>()) return out + "<p class=\"unavailable\">Not available: " + text(s["reason"]) + "</p>";
  out += "<table class=\"summary\" data-summary=\"" + text(s["id"]) + "\"><tr>";
  for (const auto& k : s["groupBy"]) out += "<th>" + text(k) + "</th>";
  out += "<th>features</th>";
  for (const auto& k : s["sums"]) out += "<th>sum of " + text(k) + "</th>";
  out += "</tr>";
  for (const auto& g : s["groups"]) {
    out += "<tr>";
    for (const auto& k : g["keys"]) out += "<td>" + (k.is_null() ? std::string("(none)") : text(k)) + "</td>";
    out += "<td class=\"count\">" + text(g["count"]) + "</td>";
    for (const auto& v : g["sums"]) out += "<td class=\"sum\">" + text(v) + "</td>";
    out += "</tr>";
  }
  out += "</table>";
  if (s["groups"].empty()) out += "<p>No features of this country.</p>";
  if (s["truncated"].get<bool>()) out += "<p>Only the first 1,000 groups are shown.</p>";
  return out;
}

std::string datasets_list(const json& datasets) {
  std::string out = "<ul class=\"datasets\">";
  for (const auto& d : datasets) {
    out += "<li>" + text(d["title"]) + " (" + text(d["features"]) + " features):";
    for (const auto& l : d["links"]) out += " <a href=\"" + text(l["href"]) + "\">" + text(l["type"]) + "</a>";
    out += "</li>";
  }
  return out + "</ul>";
}

std::string link_of(const json& doc, const std::string& rel, const std::string& type) {
  for (const auto& l : doc["links"])
    if (l["rel"] == rel && l["type"] == type) return text(l["href"]);
  return "";
}

std::string country_body(const json& doc) {
  return "<h1>" + text(doc["name"]) + " (" + text(doc["iso3"]) + "): investment profile</h1><p class=\"stamp\">As of " +
         text(doc["asOf"]) + " &middot; " + text(doc["filled"]) + " of " + text(doc["fieldCount"]) +
         " fields filled, each with its source</p>" + stale_banner(doc["review"]) + fields_table(doc["groups"]);
}

}  // namespace

std::string html_countries(const std::string& base, const json& doc) {
  std::string out = features::page_head(base, "Country investment profiles") +
                    "<h1>Country investment profiles</h1><p>The ASEAN Member States' investment profiles, edited by "
                    "each member state and approved by reviewers; every value with its source and as-of date. "
                    "<a href=\"" + html_escape(base) + "/countries/compare?countries=IDN,PHL,VNM&amp;f=html\">Compare "
                    "member states</a>.</p><table class=\"countries\"><tr><th>Member state</th><th>Fields filled</th>"
                    "<th>Last reviewed</th><th>Stale</th></tr>";
  for (const auto& c : doc["countries"])
    out += "<tr data-country=\"" + text(c["iso3"]) + "\"><td><a href=\"" + html_escape(base) + "/countries/" +
           text(c["iso3"]) + "?f=html\">" + text(c["name"]) + "</a></td><td>" + text(c["filled"]) + " of " +
           text(c["fieldCount"]) + "</td><td>" +
           (c["review"]["lastReviewed"].is_null() ? std::string("never") : text(c["review"]["lastReviewed"])) +
           "</td><td class=\"stale-flag\">" + (c["review"]["stale"].get<bool>() ? "stale" : "") + "</td></tr>";
  return out + "</table>" + features::json_link("?f=json") + features::page_foot();
}

std::string html_country(const std::string& base, const json& doc) {
  std::string out = features::page_head(base, text(doc["name"]) + " investment profile") + country_body(doc);
  out += "<p>Download: <a href=\"" + link_of(doc, "alternate", "application/pdf") + "\">PDF</a> &middot; <a href=\"" +
         link_of(doc, "alternate", "text/html") + "\">printable page</a> &middot; <a href=\"" +
         link_of(doc, "related", "text/html") + "\">charts</a></p>";
  out += "<h2>Live summaries</h2><p>Computed from the published collections when this page was made.</p>";
  for (const auto& s : doc["summaries"]) out += summary_table(s);
  out += "<h2>Data of " + text(doc["name"]) + "</h2>" + datasets_list(doc["datasets"]);
  if (!doc["catalogueRecords"].empty()) {
    out += "<h3>In the metadata catalogue</h3><ul class=\"records\">";
    for (const auto& r : doc["catalogueRecords"])
      out += "<li><a href=\"" + text(r["href"]) + "?f=html\">" + text(r["title"]) + "</a> (" + text(r["type"]) + ")</li>";
    out += "</ul>";
  }
  return out + features::json_link("?f=json") + features::page_foot();
}

std::string html_country_print(const std::string& base, const json& doc) {
  std::string out = features::page_head(base, text(doc["name"]) + " investment profile (print)") + country_body(doc);
  out += "<h2>Live summaries</h2>";
  for (const auto& s : doc["summaries"]) out += summary_table(s);
  return out + "<p class=\"stamp\">Generated " + text(doc["asOf"]) + " from live data.</p>" + features::page_foot();
}

std::string html_compare(const std::string& base, const json& doc) {
  std::string out = features::page_head(base, "Comparison of investment profiles") +
                    "<h1>Comparison of investment profiles</h1><p class=\"stamp\">As of " + text(doc["asOf"]) +
                    "</p><table class=\"compare\"><tr><th>Field</th>";
  for (const auto& c : doc["countries"])
    out += "<th data-country=\"" + text(c["iso3"]) + "\"><a href=\"" + html_escape(base) + "/countries/" +
           text(c["iso3"]) + "?f=html\">" + text(c["name"]) + "</a>" +
           (c["review"]["stale"].get<bool>() ? " <span class=\"stale-flag\">(stale)</span>" : "") + "</th>";
  out += "</tr>";
  for (const auto& f : doc["fields"]) {
    out += "<tr data-field=\"" + text(f["key"]) + "\"><td>" + text(f["label"]) + "</td>";
    for (const auto& v : f["values"])
      out += v["status"] == "filled" ? "<td>" + text(v["display"]) + "<br><small>" + text(v["source"]) + ", as of " +
                                           text(v["asOf"]) + "</small></td>"
                                     : "<td class=\"empty\">no citable source entered</td>";
    out += "</tr>";
  }
  return out + "</table>" + features::json_link(link_of(doc, "self", "application/json")) + features::page_foot();
}

}  // namespace amis::api::invest_api
