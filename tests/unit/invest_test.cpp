// Country investment profiles (issue 20): the field list file, the profile
// document's checks, edits, the PDF report (read back by pdftotext, poppler's,
// not ours) and the store's group-by on both backends.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "invest/country_profile.hpp"
#include "invest/profile_fields.hpp"
#include "pg_test_support.hpp"
#include "report/pdf_report.hpp"
#include "store/postgis/postgis_store.hpp"
#include "test_support.hpp"

namespace {

using namespace amis;
using nlohmann::json;

invest::FieldList shipped_fields() {
  return invest::load_field_list(std::string(AMIS_SOURCE_DIR) + "/static/invest/profile-fields.json");
}

TEST(ProfileFields, TheShippedListHasAtLeastThirtyFieldsInTheIssuesGroups) {
  const auto fields = shipped_fields();
  EXPECT_GE(fields.size(), 30u);
  std::vector<std::string> groups;
  for (const auto& g : fields.groups()) groups.push_back(g.key);
  EXPECT_EQ(groups, (std::vector<std::string>{"authority", "legal", "licences", "procedure", "fiscal", "ownership",
                                              "environment", "incentives"}));
  for (const char* key : {"mining_law", "mining_law_year", "last_amendment", "exploration_tenure", "mining_max_area",
                          "renewal_rules", "transfer_rules", "statutory_timelines", "royalty_rates",
                          "corporate_income_tax", "export_bans", "state_participation", "foreign_ownership_limit"})
    EXPECT_NE(fields.field(key), nullptr) << key;
  EXPECT_EQ(fields.field("mining_law_year")->type, invest::FieldType::Year);
}

TEST(ProfileFields, AListWithARepeatedKeyOrAnUnknownTypeIsRefused) {
  EXPECT_THROW(invest::parse_field_list("[]"), core::ParsingFailed);
  EXPECT_THROW(invest::parse_field_list(R"({"groups":[{"key":"a","label":"A","fields":[
      {"key":"x","label":"X","type":"text"},{"key":"x","label":"X2","type":"text"}]}]})"),
               core::InvalidValue);
  EXPECT_THROW(invest::parse_field_list(R"({"groups":[{"key":"a","label":"A","fields":[
      {"key":"x","label":"X","type":"money"}]}]})"),
               core::InvalidValue);
}

TEST(CountryProfile, ADocumentIsReadStrictlyAndEveryValueNeedsItsSourceAndDate) {
  const auto fields = shipped_fields();
  const auto p = invest::parse_profile_document(
      R"({"mining_law_year":{"value":2009,"source":"Law 4/2009","asOf":"2024-01-31"},
          "corporate_income_tax":{"value":22,"source":"Income Tax Law","asOf":"2024-01-01"}})",
      fields);
  ASSERT_EQ(p.values.size(), 2u);
  EXPECT_EQ(p.values.at("mining_law_year").value, 2009);
  EXPECT_EQ(invest::display_value(*fields.field("corporate_income_tax"), p.values.at("corporate_income_tax")), "22 %");
  const char* refused[] = {
      R"({"nope":{"value":"x","source":"s","asOf":"2024-01-01"}})",               // no such field
      R"({"mining_law":{"value":"x","asOf":"2024-01-01"}})",                      // no source
      R"({"mining_law":{"value":"x","source":"s"}})",                             // no date
      R"({"mining_law":{"value":"x","source":"s","asOf":"2024-02-30"}})",         // no such date
      R"({"mining_law_year":{"value":"2009","source":"s","asOf":"2024-01-01"}})", // a year is a number
      R"({"corporate_income_tax":{"value":101,"source":"s","asOf":"2024-01-01"}})",
      R"j({"authority_website":{"value":"javascript:alert(1)","source":"s","asOf":"2024-01-01"}})j",
      R"({"mining_law":{"value":"x","source":"s","asOf":"2024-01-01","extra":1}})",
      R"([1,2])", R"({"mining_law":)"};
  for (const char* text : refused) EXPECT_ANY_THROW(invest::parse_profile_document(text, fields)) << text;
}

TEST(CountryProfile, AnEditChangesOnlyTheFieldsItNamesAndNullEmptiesOne) {
  const auto fields = shipped_fields();
  invest::CountryProfile p;
  p.iso3 = "IDN";
  p.values["mining_law"] = {"Law 4/2009", "Official Gazette", "2024-01-01"};
  p.values["export_bans"] = {"Nickel ore", "Regulation", "2024-01-01"};
  const auto edited = invest::apply_edit(
      p, json::parse(R"({"fields":{"export_bans":null,"mining_law_year":{"value":2009,"source":"s","asOf":"2024-05-01"}}})"),
      fields);
  EXPECT_EQ(edited.values.size(), 2u);
  EXPECT_EQ(edited.values.at("mining_law").value, "Law 4/2009");
  EXPECT_EQ(edited.values.count("export_bans"), 0u);
  EXPECT_THROW(invest::apply_edit(p, json::parse(R"({"fields":{}})"), fields), core::InvalidValue);
  EXPECT_THROW(invest::apply_edit(p, json::parse(R"({"other":1})"), fields), core::InvalidValue);
  // Stored and read back, the same; a stored field the list no longer has is left out.
  auto props = invest::to_properties(edited);
  EXPECT_EQ(invest::from_properties(props, fields).values.size(), 2u);
  props["fields"] = R"({"gone":{"value":"x","source":"s","asOf":"2024-01-01"}})";
  EXPECT_TRUE(invest::from_properties(props, fields).values.empty());
}

TEST(Clock, AFixedClockTellsItsInstant) {
  const auto t = core::parse_utc("2028-01-05T00:00:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(core::format_utc(core::fixed_clock(*t)()), "2028-01-05T00:00:00Z");
  EXPECT_EQ(core::format_date(*core::parse_utc("2027-03-01T10:00:00+07:00")), "2027-03-01");
  EXPECT_FALSE(core::parse_utc("yesterday"));
}

// poppler's pdftotext with `options` ("-layout", "-bbox") on the PDF's bytes.
std::string pdftotext(const std::string& pdf, const std::string& options = "-layout") {
  const auto path = std::filesystem::temp_directory_path() / ("amis-report-" + std::to_string(::getpid()) + ".pdf");
  std::ofstream(path, std::ios::binary) << pdf;
  std::string out;
  if (FILE* p = ::popen(("pdftotext " + options + " " + path.string() + " - 2>/dev/null").c_str(), "r")) {
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, p)) out.append(buffer, n);
    ::pclose(p);
  }
  std::filesystem::remove(path);
  return out;
}

TEST(PdfReport, EveryRowAndTheStampAreInTheTextAndLongDocumentsTakeSeveralPages) {
  report::ReportDocument doc{"Indonesia (IDN): investment profile", "Last reviewed: never",
                             "Generated 2026-12-05T18:46:12Z from live data", {}};
  report::ReportSection section{"Legal framework", "", {}};
  for (int i = 0; i < 80; ++i)
    section.rows.push_back({"Field " + std::to_string(i), "Value number " + std::to_string(i) + " \xe5\x85\xab",
                            "Source: gazette " + std::to_string(i)});
  section.rows.push_back({"Broken", std::string("bad \xff byte"), ""});
  doc.sections.push_back(section);
  const auto pdf = report::write_pdf(doc);
  ASSERT_GT(pdf.size(), 1000u);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  if (std::system("command -v pdftotext >/dev/null 2>&1") != 0) GTEST_SKIP() << "pdftotext (poppler-utils) is missing";
  const auto text = pdftotext(pdf);
  EXPECT_NE(text.find("2026-12-05T18:46:12Z"), std::string::npos);
  for (int i = 0; i < 80; ++i) {
    EXPECT_NE(text.find("Value number " + std::to_string(i) + " "), std::string::npos) << i;
    EXPECT_NE(text.find("gazette " + std::to_string(i)), std::string::npos) << i;
  }
  EXPECT_NE(text.find("page 2"), std::string::npos);
  EXPECT_NE(text.find("bad ? byte"), std::string::npos);
}

// A row taller than a page (a long narrative and its citation) flows on across
// pages line by line: every word is in the text, none drawn off a page's bottom.
TEST(PdfReport, ARowLongerThanAPageIsSplitAcrossPagesWithNothingLost) {
  report::ReportDocument doc{"Indonesia (IDN): investment profile", "", "Generated 2026-12-05T18:46:12Z", {}};
  std::string text, note;
  for (int i = 0; i < 1500; ++i) text += "w" + std::to_string(10000 + i) + (i % 40 == 39 ? "\n" : " ");
  for (int i = 0; i < 300; ++i) note += "n" + std::to_string(10000 + i) + " ";
  report::ReportSection section{"Fiscal terms", "", {{"Before", "short", ""}, {"Royalty rates by commodity", text, note},
                                                     {"After", "the row after the long one", "its note"}}};
  doc.sections.push_back(section);
  const auto pdf = report::write_pdf(doc);
  if (std::system("command -v pdftotext >/dev/null 2>&1") != 0) GTEST_SKIP() << "pdftotext (poppler-utils) is missing";
  const auto all = pdftotext(pdf);
  std::size_t at = 0;
  for (int i = 0; i < 1500; ++i) {  // in order, each once
    const auto word = "w" + std::to_string(10000 + i);
    const auto found = all.find(word, at);
    ASSERT_NE(found, std::string::npos) << word;
    at = found + word.size();
  }
  for (int i = 0; i < 300; ++i) {
    const auto word = "n" + std::to_string(10000 + i);
    const auto found = all.find(word, at);
    ASSERT_NE(found, std::string::npos) << word;
    at = found + word.size();
  }
  EXPECT_NE(all.find("the row after the long one", at), std::string::npos);
  EXPECT_NE(all.find("page 3"), std::string::npos);
  // No line of text beyond a page's bottom margin: pdftotext -bbox gives each word's box.
  const auto boxes = pdftotext(pdf, "-bbox");
  int words = 0;
  for (std::size_t pos = boxes.find("<word "); pos != std::string::npos; pos = boxes.find("<word ", pos + 1)) {
    const auto ymax = boxes.find("yMax=\"", pos), close = boxes.find('>', pos);
    ASSERT_NE(close, std::string::npos);
    const auto word = boxes.substr(close + 1, 2);
    if (word != "w1" && word != "n1") continue;  // the row's words, not the footer's stamp
    EXPECT_LE(std::stod(boxes.substr(ymax + 6)), 842.0 - 50.0 - 30.0 + 1.0) << boxes.substr(pos, 120);
    ++words;
  }
  EXPECT_EQ(words, 1800);  // every word of the row, each within its page
}

// The mines of test_support, grouped by country with their capacity summed.
std::string grouped(store::Store& stored) {
  const auto mines = *stored.collection("mines");
  core::FeatureQuery query;
  bool truncated = true;
  std::string out;
  for (const auto& g : stored.aggregate(mines, query, {{"iso3"}, {"capacity"}, 1000}, truncated))
    out += g.keys[0].value_or("NULL") + " " + std::to_string(g.count) + " " + std::to_string(g.sums[0].value_or(-1)) + ";";
  EXPECT_FALSE(truncated);
  query.equals.push_back({"iso3", "IDN"});
  const auto idn = stored.aggregate(mines, query, {{"name"}, {}, 1000}, truncated);
  out += std::to_string(idn.size()) + (idn.empty() ? "" : " " + *idn[0].keys[0]) + ";";
  stored.aggregate(mines, core::FeatureQuery{}, {{"iso3"}, {}, 2}, truncated);
  out += truncated ? "truncated;" : "whole;";
  EXPECT_THROW(stored.aggregate(mines, query, {{"nope"}, {}, 10}, truncated), core::InvalidValue);
  EXPECT_THROW(stored.aggregate(mines, query, {{"iso3"}, {"name"}, 10}, truncated), core::InvalidValue);
  return out;
}

TEST(Aggregate, BothStoresGroupAndSumInTheStore) {
  amis::testing::TempStorePath path("invest-aggregate");
  store::gpkg::GpkgStore gpkg(path.str());
  amis::testing::write_mines(gpkg);
  const auto expected = "CHN 1 3.000000;IDN 1 70.000000;KHM 1 0.500000;1 Kaltim Prima;truncated;";
  EXPECT_EQ(grouped(gpkg), expected);
  const auto url = amis::testing::test_pg_url();
  if (!url) GTEST_SKIP() << "AMIS_TEST_PG_URL is not set: the GeoPackage side only";
  amis::testing::PgTestDatabase database(*url);
  store::postgis::PostgisStore pg(database.url(), 4, "/tmp");
  amis::testing::write_mines(pg);
  EXPECT_EQ(grouped(pg), expected);
}

}  // namespace
