#include "api/invest/countries_html.hpp"

#include "api/features/html_pages.hpp"

namespace amis::api::invest_api {
namespace {

using features::html_escape;
using nlohmann::json;

std::string text(const json& value) { return features::html_text(value); }
std::string plain(const json& value) { return value.is_null() ? "" : value.is_string() ? value.get<std::string>() : value.dump(); }
std::string esc(const std::string& value) { return html_escape(value); }

// The OGC API pages' head, in the page's language (<html lang>).
std::string head(const std::string& base, const std::string& title, const PageLanguage& l) {
  std::string out = features::page_head(base, title);
  const std::string english = "<html lang=\"en\">";
  if (auto at = out.find(english); at != std::string::npos)
    out.replace(at, english.size(), "<html lang=\"" + std::string(l.language.html_lang) + "\">");
  return out;
}

std::string last_reviewed(const json& review, const PageLanguage& l) {
  return review["lastReviewed"].is_null() ? l.text("countryPage.never") : plain(review["lastReviewed"]);
}

std::string stale_banner(const json& review, const PageLanguage& l) {
  if (review["stale"].get<bool>())
    return "<p class=\"stale\" data-stale=\"true\">" +
           esc(l.text("countryPage.stale", {{"date", last_reviewed(review, l)}})) + "</p>";
  return "<p class=\"reviewed\" data-stale=\"false\">" +
         esc(l.text("countryHtml.reviewedUntil",
                    {{"date", last_reviewed(review, l)}, {"after", plain(review["staleAfter"])}})) +
         "</p>";
}

std::string field_label(const json& f, const PageLanguage& l) {
  return esc(l.text_or("profileField." + plain(f["key"]), plain(f["label"])));
}

std::string fields_table(const json& groups, const PageLanguage& l) {
  std::string out = "<table class=\"profile\"><tr><th>" + esc(l.text("profileForm.field")) + "</th><th>" +
                    esc(l.text("countryHtml.value")) + "</th><th>" + esc(l.text("profileForm.source")) + "</th><th>" +
                    esc(l.text("profileForm.asOf")) + "</th></tr>";
  for (const auto& g : groups) {
    out += "<tr class=\"group\"><th colspan=\"4\">" + esc(l.text_or("profileGroup." + plain(g["key"]), plain(g["label"]))) +
           "</th></tr>";
    for (const auto& f : g["fields"]) {
      out += "<tr data-field=\"" + text(f["key"]) + "\"><td>" + field_label(f, l) + "</td>";
      if (f["status"] == "filled")
        out += "<td class=\"value\">" + text(f["display"]) + "</td><td class=\"source\">" + text(f["source"]) +
               "</td><td class=\"as-of\">" + text(f["asOf"]) + "</td></tr>";
      else
        out += "<td class=\"empty\" colspan=\"3\">" + esc(l.text("profileForm.noSource")) + "</td></tr>";
    }
  }
  return out + "</table>";
}

std::string summary_title(const json& s, const PageLanguage& l) {
  return l.text_or("countryPage.summary." + plain(s["id"]), plain(s["title"]));
}

std::string summary_table(const json& s, const PageLanguage& l) {
  std::string out = "<h3>" + esc(summary_title(s, l)) + "</h3>";
  const std::string id = plain(s["id"]);
  if (s.contains("note"))
    out += "<p class=\"note\">" + esc(l.text_or("countryPage.summaryNote." + id, plain(s["note"]))) + "</p>";
  if (!s["available"].get<bool>()) {
    const std::string absent = "countryPage.summaryAbsent." + id;
    return out + "<p class=\"unavailable\">" +
           esc(l.translations.has(absent) ? l.text(absent)
                                          : l.text("countryPage.notAvailable", {{"reason", plain(s["reason"])}})) +
           "</p>";
  }
  out += "<table class=\"summary\" data-summary=\"" + esc(id) + "\"><tr>";
  for (const auto& k : s["groupBy"]) out += "<th>" + esc(l.property(plain(k))) + "</th>";
  out += "<th>" + esc(l.text("countryPage.features")) + "</th>";
  for (const auto& k : s["sums"])
    out += "<th>" + esc(l.text("countryHtml.sumOf", {{"property", l.property(plain(k))}})) + "</th>";
  out += "</tr>";
  for (const auto& g : s["groups"]) {
    out += "<tr>";
    for (std::size_t i = 0; i < g["keys"].size(); ++i) {
      const auto& k = g["keys"][i];
      out += "<td>" + esc(k.is_null() ? l.text("countryPage.none") : l.code(plain(s["groupBy"][i]), plain(k))) + "</td>";
    }
    out += "<td class=\"count\">" + text(g["count"]) + "</td>";
    for (const auto& v : g["sums"]) out += "<td class=\"sum\">" + text(v) + "</td>";
    out += "</tr>";
  }
  out += "</table>";
  if (s["groups"].empty()) out += "<p>" + esc(l.text("countryPage.noFeatures")) + "</p>";
  if (s["truncated"].get<bool>()) out += "<p>" + esc(l.text("countryHtml.firstGroups")) + "</p>";
  return out;
}

std::string datasets_list(const json& datasets, const PageLanguage& l) {
  std::string out = "<ul class=\"datasets\">";
  for (const auto& d : datasets) {
    out += "<li>" + text(d["title"]) + " (" + text(d["features"]) + " " + esc(l.text("countryPage.features")) + "):";
    for (const auto& link : d["links"]) out += " <a href=\"" + text(link["href"]) + "\">" + text(link["type"]) + "</a>";
    out += "</li>";
  }
  return out + "</ul>";
}

std::string link_of(const json& doc, const std::string& rel, const std::string& type) {
  for (const auto& link : doc["links"])
    if (link["rel"] == rel && link["type"] == type) return text(link["href"]);
  return "";
}

// The printable page's address (the second text/html alternate).
std::string print_link(const json& doc) {
  for (const auto& link : doc["links"]) {
    const std::string href = plain(link["href"]);
    if (link["rel"] == "alternate" && href.size() > 6 && href.compare(href.size() - 6, 6, "/print") == 0) return esc(href);
  }
  return "";
}

std::string country_name(const json& doc, const PageLanguage& l) {
  return l.country(plain(doc["iso3"]), plain(doc["name"]));
}

std::string country_body(const json& doc, const PageLanguage& l) {
  return "<h1>" + esc(l.text("countryHtml.title", {{"name", country_name(doc, l)}, {"iso3", plain(doc["iso3"])}})) +
         "</h1><p class=\"stamp\">" +
         esc(l.text("countryHtml.stamp", {{"asOf", plain(doc["asOf"])},
                                          {"filled", plain(doc["filled"])},
                                          {"count", plain(doc["fieldCount"])}})) +
         "</p>" + stale_banner(doc["review"], l) + fields_table(doc["groups"], l);
}

}  // namespace

std::string html_countries(const std::string& base, const json& doc, const PageLanguage& l) {
  std::string out = head(base, l.text("countryHtml.listTitle"), l) + "<h1>" + esc(l.text("countryHtml.listTitle")) +
                    "</h1><p>" + esc(l.text("countryHtml.listIntro")) + " <a href=\"" + esc(base) +
                    "/countries/compare?countries=IDN,PHL,VNM&amp;f=html" + esc(l.link_param()) + "\">" +
                    esc(l.text("countryHtml.compareLink")) + "</a>.</p><table class=\"countries\"><tr><th>" +
                    esc(l.text("countryPage.memberState")) + "</th><th>" + esc(l.text("countryHtml.fieldsFilled")) +
                    "</th><th>" + esc(l.text("countryHtml.lastReviewed")) + "</th><th>" +
                    esc(l.text("countryHtml.staleColumn")) + "</th></tr>";
  for (const auto& c : doc["countries"])
    out += "<tr data-country=\"" + text(c["iso3"]) + "\"><td><a href=\"" + esc(base) + "/countries/" + text(c["iso3"]) +
           "?f=html" + esc(l.link_param()) + "\">" + esc(l.country(plain(c["iso3"]), plain(c["name"]))) + "</a></td><td>" +
           esc(l.text("countryHtml.filledOf", {{"filled", plain(c["filled"])}, {"count", plain(c["fieldCount"])}})) +
           "</td><td>" + esc(last_reviewed(c["review"], l)) + "</td><td class=\"stale-flag\">" +
           (c["review"]["stale"].get<bool>() ? esc(l.text("countryHtml.staleFlag")) : "") + "</td></tr>";
  return out + "</table>" + features::json_link("?f=json") + features::page_foot();
}

std::string html_country(const std::string& base, const json& doc, const PageLanguage& l) {
  const std::string name = country_name(doc, l);
  std::string out = head(base, l.text("countryHtml.title", {{"name", name}, {"iso3", plain(doc["iso3"])}}), l) +
                    country_body(doc, l);
  out += "<p>" + esc(l.text("countryHtml.download")) + " <a href=\"" + link_of(doc, "alternate", "application/pdf") +
         esc(l.link_param()) + "\">" + esc(l.text("countryPage.pdfLink")) + "</a> &middot; <a href=\"" +
         print_link(doc) + esc(l.link_param(true)) + "\">" + esc(l.text("countryHtml.printable")) +
         "</a> &middot; <a href=\"" + link_of(doc, "related", "text/html") + esc(l.link_param()) + "\">" +
         esc(l.text("countryHtml.charts")) + "</a></p>";
  out += "<h2>" + esc(l.text("countryPage.liveSummaries")) + "</h2><p>" + esc(l.text("countryHtml.computed")) + "</p>";
  for (const auto& s : doc["summaries"]) out += summary_table(s, l);
  out += "<h2>" + esc(l.text("countryHtml.dataOf", {{"name", name}})) + "</h2>" + datasets_list(doc["datasets"], l);
  if (!doc["catalogueRecords"].empty()) {
    out += "<h3>" + esc(l.text("countryHtml.inCatalogue")) + "</h3><ul class=\"records\">";
    for (const auto& r : doc["catalogueRecords"])
      out += "<li><a href=\"" + text(r["href"]) + "?f=html\">" + text(r["title"]) + "</a> (" + text(r["type"]) + ")</li>";
    out += "</ul>";
  }
  return out + features::json_link("?f=json") + features::page_foot();
}

std::string html_country_print(const std::string& base, const json& doc, const PageLanguage& l) {
  std::string out =
      head(base, l.text("countryHtml.title", {{"name", country_name(doc, l)}, {"iso3", plain(doc["iso3"])}}), l) +
      country_body(doc, l);
  out += "<h2>" + esc(l.text("countryPage.liveSummaries")) + "</h2>";
  for (const auto& s : doc["summaries"]) out += summary_table(s, l);
  return out + "<p class=\"stamp\">" + esc(l.text("countryHtml.generated", {{"asOf", plain(doc["asOf"])}})) + "</p>" +
         features::page_foot();
}

std::string html_compare(const std::string& base, const json& doc, const PageLanguage& l) {
  std::string out = head(base, l.text("countryHtml.compareTitle"), l) + "<h1>" + esc(l.text("countryHtml.compareTitle")) +
                    "</h1><p class=\"stamp\">" + esc(l.text("countryHtml.asOf", {{"asOf", plain(doc["asOf"])}})) +
                    "</p><table class=\"compare\"><tr><th>" + esc(l.text("profileForm.field")) + "</th>";
  for (const auto& c : doc["countries"])
    out += "<th data-country=\"" + text(c["iso3"]) + "\"><a href=\"" + esc(base) + "/countries/" + text(c["iso3"]) +
           "?f=html" + esc(l.link_param()) + "\">" + esc(l.country(plain(c["iso3"]), plain(c["name"]))) + "</a>" +
           (c["review"]["stale"].get<bool>()
                ? " <span class=\"stale-flag\">(" + esc(l.text("countryHtml.staleFlag")) + ")</span>"
                : "") +
           "</th>";
  out += "</tr>";
  for (const auto& f : doc["fields"]) {
    out += "<tr data-field=\"" + text(f["key"]) + "\"><td>" + field_label(f, l) + "</td>";
    for (const auto& v : f["values"])
      out += v["status"] == "filled"
                 ? "<td>" + text(v["display"]) + "<br><small>" +
                       esc(l.text("countryHtml.sourceAsOf", {{"source", plain(v["source"])}, {"asOf", plain(v["asOf"])}})) +
                       "</small></td>"
                 : "<td class=\"empty\">" + esc(l.text("profileForm.noSource")) + "</td>";
    out += "</tr>";
  }
  return out + "</table>" + features::json_link(link_of(doc, "self", "application/json")) + features::page_foot();
}

}  // namespace amis::api::invest_api
