#pragma once
// The HTML pages of /countries (issue 20), from the same JSON documents the API
// answers with, so a page never shows what the JSON does not say; their labels,
// the fields' and groups' names and the code lists' values in the request's
// language, from the portal's translation files (core::Translations).
#include <string>

#include <nlohmann/json.hpp>

#include "core/translations.hpp"

namespace amis::api::invest_api {

// The language a page is written in.
struct PageLanguage {
  const core::Translations& translations;
  const core::Language& language;
  // "lang=zh" when the request named its language (kept in the pages' own links), else empty.
  std::string param;

  std::string text(const std::string& key, const core::TextParams& params = {}) const {
    return translations.text(language.code, key, params);
  }
  // The translation of `key` when the files have it, else `fallback` (a label the JSON gives).
  std::string text_or(const std::string& key, const std::string& fallback) const {
    return translations.has(key) ? text(key) : fallback;
  }
  std::string code(const std::string& property, const std::string& value) const {
    return translations.code(language.code, property, value);
  }
  std::string property(const std::string& name) const { return translations.property(language.code, name, name); }
  // A country's name in the language (the portal's "country" group), else `fallback`.
  std::string country(const std::string& iso3, const std::string& fallback) const {
    return text_or("country." + iso3, fallback);
  }
  // "&lang=zh" (or "?lang=zh" when `first`) for a link, or nothing.
  std::string link_param(bool first = false) const { return param.empty() ? "" : (first ? "?" : "&") + param; }
};

std::string html_countries(const std::string& base, const nlohmann::json& doc, const PageLanguage& language);
std::string html_country(const std::string& base, const nlohmann::json& doc, const PageLanguage& language);
// The same profile for printing: no navigation, the date stamp at the top.
std::string html_country_print(const std::string& base, const nlohmann::json& doc, const PageLanguage& language);
std::string html_compare(const std::string& base, const nlohmann::json& doc, const PageLanguage& language);

}  // namespace amis::api::invest_api
