// The ISO 19139 reader: a generated ASEAN+3 record (../shared/bench/make_iso_records.py)
// read into a catalogue record, and the documents it must refuse.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "catalog/iso19139_reader.hpp"
#include "core/error.hpp"
#include "encode/iso19139_writer.hpp"

namespace {

using amis::catalog::IsoSchema;
using amis::catalog::read_iso19139;

const IsoSchema& schema() {
  static const IsoSchema s(std::string(AMIS_SOURCE_DIR) + "/static/schemas");
  return s;
}

std::string dataset() {
  std::ifstream in(std::string(AMIS_TEST_DATA) + "/iso19139/dataset.xml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(Iso19139Reader, ReadsTheCoreElements) {
  const auto r = read_iso19139(dataset(), schema());
  EXPECT_EQ(r.id, "000a317b-7aef-56ab-8cca-19234633cdfb");
  EXPECT_EQ(r.title, "Mine production statistics: lead, Maluku, Indonesia (2005)");
  EXPECT_EQ(r.type, "dataset");
  EXPECT_EQ(r.country, "IDN");
  EXPECT_EQ(r.updated.substr(0, 19), "2018-10-05T00:00:00");
  ASSERT_TRUE(r.extent);
  EXPECT_DOUBLE_EQ(r.extent->min_x, 124.0218);
  EXPECT_DOUBLE_EQ(r.extent->max_x, 127.0128);
  EXPECT_DOUBLE_EQ(r.extent->min_y, -3.782);
  EXPECT_DOUBLE_EQ(r.extent->max_y, -2.3765);
  ASSERT_TRUE(r.temporal_extent);
  EXPECT_EQ(r.temporal_extent->start.value_or(""), "1965-03-28");
  EXPECT_EQ(r.temporal_extent->end.value_or(""), "1967-10-09");
  EXPECT_EQ(r.reference_system, "http://www.opengis.net/def/crs/EPSG/0/4326");
  EXPECT_FALSE(r.abstract.empty());
  EXPECT_FALSE(r.lineage.empty());
  EXPECT_FALSE(r.links.empty());
  EXPECT_FALSE(r.keywords.empty());
  EXPECT_EQ(r.topic_categories, std::vector<std::string>{"economy"});
  ASSERT_FALSE(r.contacts.empty());
  EXPECT_EQ(r.contacts.front().role, "pointOfContact");
}

TEST(Iso19139Reader, RefusesADoctypeBeforeReadingIt) {
  const auto text = replaced(dataset(), "<gmd:MD_Metadata",
                             "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><gmd:MD_Metadata");
  try {
    read_iso19139(text, schema());
    FAIL() << "a DTD was accepted";
  } catch (const amis::core::OgcError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_NE(std::string(e.what()).find("DOCTYPE"), std::string::npos) << e.what();
  }
}

TEST(Iso19139Reader, RefusesWithTheSchemasMessages) {
  const auto text = replaced(dataset(), "<gmd:dateStamp>", "<gmd:dateStump>");
  try {
    read_iso19139(replaced(text, "</gmd:dateStamp>", "</gmd:dateStump>"), schema());
    FAIL() << "an invalid document was accepted";
  } catch (const amis::core::OgcError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.code(), "InvalidValue");
    EXPECT_NE(std::string(e.what()).find("dateStump"), std::string::npos) << e.what();
  }
}

TEST(Iso19139Reader, RefusesMalformedXmlAndOtherRoots) {
  EXPECT_THROW(read_iso19139(dataset().substr(0, 400), schema()), amis::core::ParsingFailed);
  EXPECT_THROW(read_iso19139("<gmd:CI_Citation xmlns:gmd=\"http://www.isotc211.org/2005/gmd\"/>", schema()),
               amis::core::InvalidValue);
  EXPECT_THROW(read_iso19139(replaced(dataset(), "Maluku", "&xxe;"), schema()), amis::core::OgcError);
}

TEST(Iso19139Reader, ReadsBackWhatAmisWrites) {
  // AMIS's writer speaks ISO 19139 2007-04-17 with GML 3.2.1: the reader validates
  // that flavour against its own schemas and gets the same record back.
  const auto first = read_iso19139(dataset(), schema());
  const std::string written = amis::encode::iso19139_document(first, "https://amis.example.org");
  ASSERT_NE(written.find("http://www.opengis.net/gml/3.2"), std::string::npos);
  const auto again = read_iso19139(written, schema());
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(again.title, first.title);
  EXPECT_EQ(again.abstract, first.abstract);
  EXPECT_EQ(again.type, first.type);
  EXPECT_EQ(again.country, first.country);
  EXPECT_EQ(again.licence, first.licence);
  EXPECT_EQ(again.lineage, first.lineage);
  EXPECT_EQ(again.all_keywords(), first.all_keywords());
  EXPECT_EQ(again.topic_categories, first.topic_categories);
  ASSERT_TRUE(again.extent && first.extent);
  EXPECT_DOUBLE_EQ(again.extent->min_x, first.extent->min_x);
  EXPECT_DOUBLE_EQ(again.extent->max_y, first.extent->max_y);
  ASSERT_TRUE(again.temporal_extent);
  EXPECT_EQ(again.temporal_extent->start, first.temporal_extent->start);
  EXPECT_EQ(again.temporal_extent->end, first.temporal_extent->end);
  EXPECT_EQ(again.links.size(), first.links.size());
  EXPECT_EQ(again.updated.substr(0, 19), first.updated.substr(0, 19));
}

}  // namespace
