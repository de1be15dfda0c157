#include "api/invest/countries_documents.hpp"

namespace amis::api::invest_api {
namespace {

using nlohmann::json;

json link(const std::string& href, const std::string& rel, const std::string& type, const std::string& title) {
  return {{"href", href}, {"rel", rel}, {"type", type}, {"title", title}};
}

json field_entry(const invest::ProfileField& field, const invest::CountryProfile& profile) {
  json f = {{"key", field.key}, {"label", field.label}, {"type", invest::to_string(field.type)}};
  auto it = profile.values.find(field.key);
  if (it == profile.values.end()) {
    f["value"] = nullptr;
    f["source"] = nullptr;
    f["asOf"] = nullptr;
    f["status"] = "empty";
    f["note"] = kNoSource;
  } else {
    f["value"] = it->second.value;
    f["display"] = invest::display_value(field, it->second);
    f["source"] = it->second.source;
    f["asOf"] = it->second.as_of;
    f["status"] = "filled";
  }
  return f;
}

const char* name_of(const std::string& iso3) {
  const auto* s = invest::member_state(iso3);
  return s ? s->name : "";
}

}  // namespace

json profile_groups(const invest::FieldList& fields, const invest::CountryProfile& profile) {
  json groups = json::array();
  for (const auto& g : fields.groups()) {
    json list = json::array();
    for (const auto& f : g.fields) list.push_back(field_entry(f, profile));
    groups.push_back({{"key", g.key}, {"label", g.label}, {"fields", list}});
  }
  return groups;
}

json review_json(const invest::PublishedProfile& p) {
  return {{"lastReviewed", p.last_reviewed.empty() ? json(nullptr) : json(p.last_reviewed)},
          {"staleAfter", p.stale_after.empty() ? json(nullptr) : json(p.stale_after)},
          {"stale", p.stale},
          {"staleMonths", 12},
          {"note", p.last_reviewed.empty() ? "never reviewed"
                                           : (p.stale ? "not reviewed in the last 12 months" : "reviewed in the last 12 months")}};
}

json countries_json(const std::string& base, const std::vector<invest::PublishedProfile>& profiles,
                    const invest::FieldList& fields, const std::string& now) {
  json list = json::array();
  for (const auto& p : profiles) {
    const std::string href = base + "/countries/" + p.profile.iso3;
    list.push_back({{"iso3", p.profile.iso3},
                    {"name", name_of(p.profile.iso3)},
                    {"filled", p.profile.values.size()},
                    {"fieldCount", fields.size()},
                    {"review", review_json(p)},
                    {"links", json::array({link(href, "item", "application/json", name_of(p.profile.iso3)),
                                           link(href + "?f=html", "alternate", "text/html", name_of(p.profile.iso3))})}});
  }
  return {{"countries", list},
          {"asOf", now},
          {"fields", invest::to_json(fields)},
          {"links", json::array({link(base + "/countries?f=json", "self", "application/json", "This document"),
                                 link(base + "/countries?f=html", "alternate", "text/html", "This document as HTML"),
                                 link(base + "/countries/compare?countries=IDN,PHL,VNM", "related", "application/json",
                                      "A comparison of member states")})}};
}

json country_json(const std::string& base, const invest::PublishedProfile& p, const invest::FieldList& fields,
                  const std::string& now, json summaries, json datasets) {
  const std::string& iso3 = p.profile.iso3;
  const std::string self = base + "/countries/" + iso3;
  for (auto& d : datasets) {
    const std::string items = base + "/collections/" + d["id"].get<std::string>() + "/items?iso3=" + iso3;
    d["links"] = json::array({link(items + "&f=gpkg&limit=1000000", "enclosure", "application/geopackage+sqlite3",
                                   "GeoPackage of " + iso3 + "'s features"),
                              link(items + "&f=csv&limit=1000000", "enclosure", "text/csv", "CSV of " + iso3 + "'s features"),
                              link(items + "&f=html", "items", "text/html", "The features on a map")});
  }
  json links = json::array({link(self + "?f=json", "self", "application/json", "This document"),
                            link(self + "?f=html", "alternate", "text/html", "This document as HTML"),
                            link(self + "?f=pdf", "alternate", "application/pdf", "This profile as PDF"),
                            link(self + "/print", "alternate", "text/html", "This profile as a printable page"),
                            link(base + "/portal/country.html?country=" + iso3, "related", "text/html",
                                 "Charts of the live summaries (portal)"),
                            link(base + "/countries", "collection", "application/json", "All member states' profiles")});
  if (p.fid)
    links.push_back(link(base + "/collections/" + invest::kProfileCollection + "/items/" + std::to_string(p.fid) +
                             "/history",
                         "version-history", "application/json", "Every approved version of this profile"));
  return {{"iso3", iso3},
          {"name", name_of(iso3)},
          {"asOf", now},
          {"review", review_json(p)},
          {"filled", p.profile.values.size()},
          {"fieldCount", fields.size()},
          {"groups", profile_groups(fields, p.profile)},
          {"summaries", std::move(summaries)},
          {"datasets", std::move(datasets)},
          {"links", links}};
}

json compare_json(const std::string& base, const std::vector<invest::PublishedProfile>& profiles,
                  const invest::FieldList& fields, const std::string& now) {
  json countries = json::array(), rows = json::array();
  std::string codes;
  for (const auto& p : profiles) {
    countries.push_back({{"iso3", p.profile.iso3}, {"name", name_of(p.profile.iso3)}, {"review", review_json(p)}});
    codes += (codes.empty() ? "" : ",") + p.profile.iso3;
  }
  for (const auto* f : fields.fields()) {
    json values = json::array();
    for (const auto& p : profiles) {
      json v = field_entry(*f, p.profile);
      for (const char* drop : {"key", "label", "type"}) v.erase(drop);
      v["iso3"] = p.profile.iso3;
      values.push_back(std::move(v));
    }
    rows.push_back({{"key", f->key}, {"label", f->label}, {"group", f->group}, {"type", invest::to_string(f->type)},
                    {"values", values}});
  }
  const std::string self = base + "/countries/compare?countries=" + codes;
  return {{"countries", countries},
          {"asOf", now},
          {"fields", rows},
          {"links", json::array({link(self + "&f=json", "self", "application/json", "This document"),
                                 link(self + "&f=html", "alternate", "text/html", "This document as HTML")})}};
}

}  // namespace amis::api::invest_api
