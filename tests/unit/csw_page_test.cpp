// A CSW GetRecords page read for the harvest (federation/csw_page.hpp): identifiers,
// dates and counts, and each record's digest taken over its bytes in the page, which
// this test finds with plain string searches (an independent cut), for a small page,
// a page of 2 MB (libxml2 moves its input buffer along such a page) and a page in
// ISO-8859-1 (read through a tree instead).
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "catalog/iso19139_reader.hpp"
#include "catalog/iso_schema.hpp"
#include "catalog/record_json.hpp"
#include "core/error.hpp"
#include "federation/csw_page.hpp"

namespace amis::federation {
namespace {

const catalog::IsoSchema& schema() {
  static const catalog::IsoSchema s(std::string(AMIS_SOURCE_DIR) + "/static/schemas");
  return s;
}

std::string record(const std::string& id, const std::string& stamp, const std::string& title) {
  return "<gmd:MD_Metadata>\n  <gmd:fileIdentifier><gco:CharacterString> " + id +
         " </gco:CharacterString></gmd:fileIdentifier>\n  <gmd:dateStamp><gco:DateTime>" + stamp +
         "</gco:DateTime></gmd:dateStamp>\n  <gmd:identificationInfo title=\"a &gt; b\">" + title +
         "</gmd:identificationInfo>\n</gmd:MD_Metadata >";
}

std::string page(const std::vector<std::string>& records, const std::string& declaration = "") {
  std::string out = declaration + R"(<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" )"
                                  R"(xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco">)"
                                  R"(<csw:SearchStatus timestamp="2026-01-01T00:00:00Z"/>)"
                                  R"(<csw:SearchResults numberOfRecordsMatched="9000" numberOfRecordsReturned=")" +
                    std::to_string(records.size()) + R"(" nextRecord="501" elementSet="full">)";
  for (const auto& r : records) out += "\n" + r;
  return out + "\n</csw:SearchResults></csw:GetRecordsResponse>\n";
}

// Each gmd:MD_Metadata element's text in `text`, found by searching for its tags.
std::vector<std::string> slices(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t at = text.find("<gmd:MD_Metadata"); at != std::string::npos; at = text.find("<gmd:MD_Metadata", at + 1)) {
    const std::size_t end = text.find("</gmd:MD_Metadata >", at);
    out.push_back(text.substr(at, end + std::strlen("</gmd:MD_Metadata >") - at));
  }
  return out;
}

TEST(CswPage, ListsTheRecordsWithTheirIdsDatesAndDigestsOfTheirBytes) {
  const std::string text =
      page({record("one", "2026-03-04T05:06:07Z", "First"), "<csw:Record><dc:title xmlns:dc=\"x\">no</dc:title></csw:Record>",
            record("two", "2026-03-05T00:00:00Z", "Second")});
  const auto p = read_csw_records_page(text, schema());
  EXPECT_EQ(p.matched, 9000);
  EXPECT_EQ(p.returned, 3);
  EXPECT_EQ(p.next_record, 501);
  EXPECT_TRUE(p.digests_of_the_text);
  ASSERT_EQ(p.page.items.size(), 2u);
  ASSERT_EQ(p.page.failures.size(), 1u);
  EXPECT_EQ(p.page.failures[0].source_id, "record 2");
  const auto cut = slices(text);
  ASSERT_EQ(cut.size(), 2u);
  EXPECT_EQ(p.page.items[0].source_id, "one");
  EXPECT_EQ(p.page.items[0].source_modified, "2026-03-04T05:06:07.000Z");  // core::parse_instant
  EXPECT_EQ(p.page.items[0].digest, content_digest(cut[0]));
  EXPECT_EQ(p.page.items[1].source_id, "two");
  EXPECT_EQ(p.page.items[1].digest, content_digest(cut[1]));
  // The same record on another page, at another place, has the same digest.
  const auto again = read_csw_records_page(page({record("two", "2026-03-05T00:00:00Z", "Second")}), schema());
  EXPECT_EQ(again.page.items[0].digest, p.page.items[1].digest);
}

TEST(CswPage, ALargePageIsCutRightAllAlong) {
  std::vector<std::string> records;
  for (int i = 0; i < 4000; ++i)
    records.push_back(record("id-" + std::to_string(i), "2026-03-04T05:06:07Z", std::string(i % 700, 'x')));
  const std::string text = page(records, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  ASSERT_GT(text.size(), 2u << 20);
  const auto p = read_csw_records_page(text, schema());
  ASSERT_TRUE(p.digests_of_the_text);
  const auto cut = slices(text);
  ASSERT_EQ(p.page.items.size(), cut.size());
  for (std::size_t i = 0; i < cut.size(); ++i) {
    ASSERT_EQ(p.page.items[i].source_id, "id-" + std::to_string(i));
    ASSERT_EQ(p.page.items[i].digest, content_digest(cut[i])) << i;
  }
}

TEST(CswPage, APageInAnotherEncodingIsReadThroughItsTree) {
  std::string text = page({record("caf\xe9", "2026-03-04", "Latin-1")}, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n");
  const auto p = read_csw_records_page(text, schema());
  EXPECT_FALSE(p.digests_of_the_text);
  ASSERT_EQ(p.page.items.size(), 1u);
  EXPECT_EQ(p.page.items[0].source_id, "caf\xc3\xa9");  // UTF-8 from here on
  EXPECT_EQ(p.page.items[0].digest.size(), 32u);
}

TEST(CswPage, ARecordIsReadFromItsBytesWithTheNamespacesItInherits) {
  std::ifstream in(std::string(AMIS_TEST_DATA) + "/iso19139/dataset.xml");
  std::string document((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto expected = catalog::read_iso19139(document, schema());
  // The record without its declarations but gco's (which it keeps, as a record may): the
  // page's root declares them all.
  std::string record = document.substr(document.find("<gmd:MD_Metadata"));
  const std::size_t tag_end = record.find('>');
  record = "<gmd:MD_Metadata xmlns:gco=\"http://www.isotc211.org/2005/gco\"" + record.substr(tag_end);
  std::string text = page({record});
  const std::string more = R"( xmlns:gml="http://www.opengis.net/gml" xmlns:xlink="http://www.w3.org/1999/xlink" )"
                           R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance")";
  text.insert(text.find("xmlns:gco="), more + " ");
  const auto p = read_csw_records_page(text, schema());
  ASSERT_TRUE(p.digests_of_the_text);
  ASSERT_EQ(p.page.items.size(), 1u);
  const auto got = p.page.items[0].read();
  EXPECT_EQ(got.id, expected.id);
  EXPECT_EQ(got.title, expected.title);
  EXPECT_EQ(catalog::to_json(got), catalog::to_json(expected));
}

TEST(CswPage, RefusesWhatIsNoPage) {
  EXPECT_THROW(read_csw_records_page("<csw:GetRecordsResponse><broken", schema()), core::ParsingFailed);
  EXPECT_THROW(read_csw_records_page("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", schema()),
               core::ParsingFailed);
  EXPECT_THROW(read_csw_records_page("<html><body>Service unavailable</body></html>", schema()), core::ParsingFailed);
  try {
    read_csw_records_page(R"(<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows"><ows:Exception>
<ows:ExceptionText>startPosition is out of range</ows:ExceptionText></ows:Exception></ows:ExceptionReport>)",
                          schema());
    FAIL();
  } catch (const core::ParsingFailed& e) {
    EXPECT_EQ(std::string(e.what()), "the node answered with an exception: startPosition is out of range");
  }
}

}  // namespace
}  // namespace amis::federation
