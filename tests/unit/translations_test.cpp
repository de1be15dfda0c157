// The portal's translation files as the server reads them (core::Translations,
// issue 20): the language a request chooses, texts with their placeholders and
// English fallback, code-list values translated whole or part by part as
// web/src/code-lists.ts does; and a PDF of Chinese, Japanese and Korean text that
// pdftotext (poppler's) reads back, so the fonts cover the scripts.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "core/error.hpp"
#include "core/translations.hpp"
#include "report/pdf_report.hpp"

namespace {

using namespace amis;

const std::string kI18n = std::string(AMIS_SOURCE_DIR) + "/web/i18n";

nlohmann::json file(const std::string& name) {
  std::ifstream in(kI18n + "/" + name);
  return nlohmann::json::parse(in);
}

std::string code_of(const char* asked, const char* header) {
  const std::string a = asked ? asked : "";
  return core::choose_language(asked ? &a : nullptr, header).code;
}

TEST(Translations, TheLanguageIsTheParameterElseTheBestAcceptLanguageElseEnglish) {
  EXPECT_EQ(code_of(nullptr, "zh-CN,zh;q=0.9,en;q=0.8"), "zh");
  EXPECT_EQ(code_of(nullptr, "fr-FR, ja;q=0.5, ko-KR;q=0.7"), "ko");
  EXPECT_EQ(code_of(nullptr, "ja_JP"), "ja");
  EXPECT_EQ(code_of(nullptr, "de, fr;q=0.8"), "en");
  EXPECT_EQ(code_of(nullptr, ""), "en");
  EXPECT_EQ(code_of(nullptr, "ko;q=0, zh;q=bad, ja;q=0.1"), "ja");
  EXPECT_EQ(code_of("ko", "zh-CN"), "ko");
  EXPECT_STREQ(core::choose_language(nullptr, "zh-TW").html_lang, "zh-Hans");
  const std::string bad = "fr", empty;
  EXPECT_THROW(core::choose_language(&bad, "zh"), core::InvalidParameter);
  EXPECT_THROW(core::choose_language(&empty, "zh"), core::InvalidParameter);
}

TEST(Translations, TextsComeFromThePortalsFilesWithPlaceholdersAndEnglishFallback) {
  const auto t = core::Translations::load(kI18n);
  for (const char* lang : {"en", "zh", "ja", "ko"}) {
    const auto doc = file(std::string(lang) + ".json");
    EXPECT_EQ(t.text(lang, "profileGroup.fiscal"), doc["profileGroup"]["fiscal"].get<std::string>()) << lang;
    std::string stamp = doc["countryHtml"]["title"].get<std::string>();
    stamp.replace(stamp.find("{name}"), 6, "N");
    stamp.replace(stamp.find("{iso3}"), 6, "IDN");
    EXPECT_EQ(t.text(lang, "countryHtml.title", {{"name", "N"}, {"iso3", "IDN"}}), stamp) << lang;
  }
  EXPECT_TRUE(t.has("countryHtml.title"));
  EXPECT_FALSE(t.has("countryHtml.nothing"));
  EXPECT_EQ(t.text("zh", "countryHtml.nothing"), "countryHtml.nothing");
}

TEST(Translations, CodeListValuesAreTranslatedWholeOrPartByPart) {
  const auto t = core::Translations::load(kI18n);
  const auto zh = file("codes/zh.json"), ja = file("codes/ja.json");
  EXPECT_EQ(t.code("ja", "operating_status", "operating"), ja["status"]["Operating"].get<std::string>());
  EXPECT_EQ(t.code("zh", "critical_mineral", "Gallium; Germanium"),
            zh["commodity"]["Gallium"].get<std::string>() + "\u3001" + zh["commodity"]["Germanium"].get<std::string>());
  EXPECT_EQ(t.code("zh", "coal_grade", "Thermal & Met"),
            zh["coal_grade"]["Thermal"].get<std::string>() + "\u3001" + zh["coal_grade"]["Met"].get<std::string>());
  EXPECT_EQ(t.code("ko", "coal_grade", "Thermal & Met").find(" & ") != std::string::npos, true);
  EXPECT_EQ(t.code("zh", "critical_mineral", "Gallium; Unobtainium"), "Gallium; Unobtainium");  // not every part known
  EXPECT_EQ(t.code("zh", "mine_name", "Operating"), "Operating");  // a property without a list
  EXPECT_EQ(t.property("zh", "reserves_mt", "reserves_mt"), zh["property"]["reserves_mt"].get<std::string>());
  EXPECT_EQ(t.property("zh", "no_such_property", "fallback"), "fallback");
}

TEST(Translations, AMissingFolderIsAnErrorNamingIt) {
  try {
    core::Translations::load("/nonexistent/i18n");
    FAIL() << "loaded nothing";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/i18n/en.json"), std::string::npos) << e.what();
  }
}

TEST(Translations, APdfInChineseJapaneseAndKoreanReadsBack) {
  const auto t = core::Translations::load(kI18n);
  report::ReportDocument doc;
  for (const char* lang : {"zh", "ja", "ko"}) {
    report::ReportSection section{t.text(lang, "profileGroup.fiscal"), "", {}};
    section.rows.push_back({t.text(lang, "profileField.royalty_rates"), t.text(lang, "countryHtml.value"),
                            t.text(lang, "countryHtml.sourceAsOf", {{"source", "S"}, {"asOf", "2024-06-30"}})});
    doc.sections.push_back(section);
  }
  doc.title = t.text("zh", "countryHtml.listTitle");
  doc.stamp = t.text("ja", "countryHtml.pdfStamp", {{"asOf", "2026-12-06T00:00:00Z"}});
  doc.page_label = t.text("ko", "countryHtml.page", {{"number", "{n}"}});
  const auto pdf = report::write_pdf(doc);
  if (std::system("command -v pdftotext >/dev/null 2>&1") != 0) GTEST_SKIP() << "pdftotext (poppler-utils) is missing";
  const auto path = std::filesystem::temp_directory_path() / ("amis-cjk-" + std::to_string(::getpid()) + ".pdf");
  std::ofstream(path, std::ios::binary) << pdf;
  std::string text;
  if (FILE* p = ::popen(("pdftotext -raw " + path.string() + " - 2>/dev/null").c_str(), "r")) {
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, p)) text.append(buffer, n);
    ::pclose(p);
  }
  std::filesystem::remove(path);
  for (const char* lang : {"zh", "ja", "ko"}) {
    EXPECT_NE(text.find(t.text(lang, "profileGroup.fiscal")), std::string::npos) << lang << "\n" << text;
    EXPECT_NE(text.find(t.text(lang, "profileField.royalty_rates")), std::string::npos) << lang;
  }
  EXPECT_NE(text.find(t.text("zh", "countryHtml.listTitle")), std::string::npos);
  EXPECT_NE(text.find(t.text("ko", "countryHtml.page", {{"number", "1"}})), std::string::npos) << text;
}

}  // namespace
