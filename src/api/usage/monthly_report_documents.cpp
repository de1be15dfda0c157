#include "api/usage/monthly_report_documents.hpp"

#include "api/features/html_pages.hpp"
#include "api/usage/usage_request.hpp"
#include "report/pdf_report.hpp"

namespace amis::api::usage {
namespace {

using features::html_escape;
using nlohmann::json;

// What a key means in its table: a member state's name beside its code, "(none)" for "".
std::string key_label(const MonthlyReportPage& page, const std::string& table, const std::string& key) {
  if (key.empty()) return "(none)";
  if (table == "totals") return "All requests";
  if (table == "countries" || table == "memberStates" || table == "memberStateDatasets")
    for (const auto& [iso3, name] : page.member_states)
      if (iso3 == key) return name + " (" + key + ")";
  return key;
}

std::string month_title(const std::string& month) {
  static const char* kNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                 "July",    "August",   "September", "October", "November", "December"};
  return std::string(kNames[std::stoi(month.substr(5, 2)) - 1]) + " " + month.substr(0, 4);
}

std::string title(const MonthlyReportPage& page) {
  return "AMIS utilization report, " + month_title(page.usage.month);
}

// Plain integers (no separators): the PDF's text is compared with the CSV's numbers.
std::string totals_text(const core::UsageTotals& t) {
  return std::to_string(t.requests) + " requests, " + std::to_string(t.bytes) + " bytes, " +
         std::to_string(t.features) + " features";
}

const char* kIntroduction =
    "Requests to every AMIS service in the month (UTC days), from the usage statistics' daily table: the "
    "numbers equal the sums of /usage/daily's rows for the month (the usage reports' own requests left out). "
    "A member state's datasets are the collections its catalogue records name and those holding features of "
    "it; a collection of several states counts for each.";

}  // namespace

std::string table_title(const std::string& id) {
  if (id == "totals") return "Totals";
  if (id == "datasets") return "Per dataset";
  if (id == "countries") return "Per requester country";
  if (id == "services") return "Per service";
  if (id == "downloads") return "Top downloads (whole files: CSV, KML, GeoPackage, Shapefile, FlatGeobuf, GeoTIFF)";
  if (id == "mapViews") return "Map views (WMS GetMap, WMTS tiles, map and vector tiles)";
  if (id == "memberStates") return "Requests from each member state";
  if (id == "memberStateDatasets") return "Use of each member state's datasets";
  return id;
}

json monthly_json(const MonthlyReportPage& page) {
  json tables = json::object();
  for (const auto& t : page.usage.tables) {
    json lines = json::array();
    for (const auto& l : t.lines)
      lines.push_back({{"key", l.key},
                       {"requests", l.totals.requests},
                       {"bytes", l.totals.bytes},
                       {"features", l.totals.features},
                       {"latencyMs", l.totals.latency_ms}});
    tables[t.id] = {{"title", table_title(t.id)}, {"lines", std::move(lines)}};
  }
  return {{"month", page.usage.month},
          {"title", title(page)},
          {"stamp", page.stamp},
          {"tables", std::move(tables)},
          {"links",
           json::array({{{"rel", "alternate"}, {"type", "text/csv"}, {"href", "?f=csv"}},
                        {{"rel", "alternate"}, {"type", "text/html"}, {"href", "?f=html"}},
                        {{"rel", "alternate"}, {"type", "application/pdf"}, {"href", "?f=pdf"}}})}};
}

std::string monthly_csv(const monitor::MonthlyUsage& usage) {
  std::string out = "table,key,requests,bytes,features\r\n";
  for (const auto& t : usage.tables)
    for (const auto& l : t.lines)
      out += t.id + "," + csv_field(l.key) + "," + std::to_string(l.totals.requests) + "," +
             std::to_string(l.totals.bytes) + "," + std::to_string(l.totals.features) + "\r\n";
  return out;
}

std::string monthly_html(const MonthlyReportPage& page) {
  const auto month = page.usage.month;
  std::string out =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html_escape(title(page)) +
      "</title><style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;"
      "width:100%;margin-bottom:1.5em}th,td{border-bottom:1px solid #ccc;padding:.25em .5em;text-align:left}"
      "td.number{text-align:right;font-variant-numeric:tabular-nums}.stamp{color:#555}"
      "@page{size:A4;margin:15mm}@media print{.links{display:none}section{break-inside:avoid}}</style></head>"
      "<body class=\"usage-monthly\" data-month=\"" + html_escape(month) + "\"><h1>" + html_escape(title(page)) +
      "</h1><p class=\"stamp\">" + html_escape(page.stamp) + "</p><p>" + html_escape(kIntroduction) +
      "</p><p class=\"links\"><a href=\"?f=pdf\">PDF</a> · <a href=\"?f=csv\">CSV</a> · <a href=\"?f=json\">JSON</a>"
      "</p>";
  for (const auto& t : page.usage.tables) {
    out += "<section data-table=\"" + t.id + "\"><h2>" + html_escape(table_title(t.id)) + "</h2>";
    if (t.lines.empty()) {
      out += "<p>No requests.</p></section>";
      continue;
    }
    out += "<table><thead><tr><th></th><th>Requests</th><th>Bytes</th><th>Features</th></tr></thead><tbody>";
    for (const auto& l : t.lines)
      out += "<tr data-key=\"" + html_escape(l.key) + "\"><th scope=\"row\">" +
             html_escape(key_label(page, t.id, l.key)) + "</th><td class=\"number\">" +
             std::to_string(l.totals.requests) + "</td><td class=\"number\">" + std::to_string(l.totals.bytes) +
             "</td><td class=\"number\">" + std::to_string(l.totals.features) + "</td></tr>";
    out += "</tbody></table></section>";
  }
  return out + "</body></html>\n";
}

std::string monthly_pdf(const MonthlyReportPage& page) {
  report::ReportDocument pdf;
  pdf.title = title(page);
  pdf.subtitle = kIntroduction;
  pdf.stamp = page.stamp + " (ASEAN Minerals Information System)";
  for (const auto& t : page.usage.tables) {
    report::ReportSection section{table_title(t.id), t.lines.empty() ? "No requests." : "", {}};
    for (const auto& l : t.lines) section.rows.push_back({key_label(page, t.id, l.key), totals_text(l.totals), ""});
    pdf.sections.push_back(std::move(section));
  }
  return report::write_pdf(pdf);
}

}  // namespace amis::api::usage
