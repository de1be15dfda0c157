#include "api/invest/country_pdf.hpp"

#include "report/pdf_report.hpp"

namespace amis::api::invest_api {
namespace {

using nlohmann::json;

std::string text(const json& v) { return v.is_null() ? "" : v.is_string() ? v.get<std::string>() : v.dump(); }

report::ReportSection summary_section(const json& s, const PageLanguage& l) {
  const std::string id = text(s["id"]);
  report::ReportSection section{l.text_or("countryPage.summary." + id, text(s["title"])), "", {}};
  const std::string note = s.contains("note") ? l.text_or("countryPage.summaryNote." + id, text(s["note"])) : "";
  if (!s["available"].get<bool>()) {
    const std::string absent = "countryPage.summaryAbsent." + id;
    section.paragraph = l.translations.has(absent) ? l.text(absent)
                                                   : l.text("countryPage.notAvailable", {{"reason", text(s["reason"])}});
    return section;
  }
  section.paragraph = note;
  if (s["groups"].empty())
    section.paragraph += (section.paragraph.empty() ? "" : "\n") + l.text("countryPage.noFeatures");
  for (const auto& g : s["groups"]) {
    std::string label;
    for (std::size_t i = 0; i < g["keys"].size(); ++i) {
      const auto& k = g["keys"][i];
      label += (label.empty() ? "" : " / ") + (k.is_null() ? l.text("countryPage.none") : l.code(text(s["groupBy"][i]), text(k)));
    }
    std::string value = l.text("countryHtml.featureCount", {{"count", text(g["count"])}});
    for (std::size_t i = 0; i < g["sums"].size(); ++i)
      if (!g["sums"][i].is_null()) value += "; " + l.property(text(s["sums"][i])) + " " + text(g["sums"][i]);
    section.rows.push_back({label, value, ""});
  }
  return section;
}

}  // namespace

std::string country_pdf(const json& doc, const PageLanguage& l) {
  report::ReportDocument pdf;
  const std::string iso3 = text(doc["iso3"]);
  pdf.title = l.text("countryHtml.title", {{"name", l.country(iso3, text(doc["name"]))}, {"iso3", iso3}});
  const auto& review = doc["review"];
  const std::string reviewed = review["lastReviewed"].is_null() ? l.text("countryPage.never") : text(review["lastReviewed"]);
  pdf.subtitle = (review["stale"].get<bool>() ? l.text("countryPage.stale", {{"date", reviewed}})
                                              : l.text("countryPage.reviewed", {{"date", reviewed}})) +
                 " " + l.text("profileForm.filled", {{"filled", text(doc["filled"])}, {"count", text(doc["fieldCount"])}});
  pdf.stamp = l.text("countryHtml.pdfStamp", {{"asOf", text(doc["asOf"])}});
  pdf.page_label = l.text("countryHtml.page", {{"number", "{n}"}});
  for (const auto& g : doc["groups"]) {
    report::ReportSection section{l.text_or("profileGroup." + text(g["key"]), text(g["label"])), "", {}};
    for (const auto& f : g["fields"]) {
      const std::string label = l.text_or("profileField." + text(f["key"]), text(f["label"]));
      if (f["status"] == "filled")
        section.rows.push_back({label, text(f["display"]),
                                l.text("countryHtml.sourceAsOf", {{"source", text(f["source"])}, {"asOf", text(f["asOf"])}})});
      else
        section.rows.push_back({label, "-", l.text("profileForm.noSource")});
    }
    pdf.sections.push_back(std::move(section));
  }
  for (const auto& s : doc["summaries"]) pdf.sections.push_back(summary_section(s, l));
  return report::write_pdf(pdf);
}

}  // namespace amis::api::invest_api
