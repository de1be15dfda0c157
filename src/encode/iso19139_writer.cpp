#include "encode/iso19139_writer.hpp"

#include "encode/xml_text.hpp"

namespace amis::encode {
namespace {

constexpr const char* kCodeLists = "http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#";

class IsoWriter {
 public:
  IsoWriter(std::string& out, std::string_view base) : out_(out), base_(base) {}

  void metadata(const catalog::Record& r, bool schema_location) {
    out_ += "<gmd:MD_Metadata xmlns:gmd=\"http://www.isotc211.org/2005/gmd\" "
            "xmlns:gco=\"http://www.isotc211.org/2005/gco\" xmlns:gml=\"http://www.opengis.net/gml/3.2\" "
            "xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";
    if (schema_location)
      out_ += " xsi:schemaLocation=\"http://www.isotc211.org/2005/gmd "
              "http://schemas.opengis.net/iso/19139/20070417/gmd/gmd.xsd\"";
    out_ += ">";
    text_element("gmd:fileIdentifier", r.id);
    language("gmd:language", "eng");
    code("gmd:characterSet", "MD_CharacterSetCode", "utf8");
    if (!r.parent_id.empty()) text_element("gmd:parentIdentifier", r.parent_id);
    code("gmd:hierarchyLevel", "MD_ScopeCode", catalog::iso_scope_code(r.type));
    if (r.contacts.empty()) {
      open("gmd:contact");
      party({"", "AMIS", "", "", "", "pointOfContact"});
      close("gmd:contact");
    }
    for (const auto& p : r.contacts) {
      open("gmd:contact");
      party(p);
      close("gmd:contact");
    }
    open("gmd:dateStamp");
    date_value(r.updated.empty() ? "1970-01-01" : r.updated);
    close("gmd:dateStamp");
    text_element("gmd:metadataStandardName", "ISO 19115:2003/19139");
    text_element("gmd:metadataStandardVersion", "1.0");
    if (!r.reference_system.empty()) reference_system(r.reference_system);
    identification(r);
    distribution(r);
    data_quality(r);
    out_ += "</gmd:MD_Metadata>";
  }

 private:
  void open(std::string_view name) { out_.append("<").append(name).append(">"); }
  void close(std::string_view name) { out_.append("</").append(name).append(">"); }

  void character_string(std::string_view text) {
    out_ += "<gco:CharacterString>";
    append_xml_text(out_, text);
    out_ += "</gco:CharacterString>";
  }
  void text_element(std::string_view name, std::string_view text) {
    open(name);
    character_string(text);
    close(name);
  }
  void code(std::string_view element, std::string_view list, std::string_view value) {
    open(element);
    out_.append("<gmd:").append(list).append(" codeList=\"").append(kCodeLists).append(list);
    out_ += "\" codeListValue=\"";
    append_xml_text(out_, value);
    out_ += "\">";
    append_xml_text(out_, value);
    out_.append("</gmd:").append(list).append(">");
    close(element);
  }
  void language(std::string_view element, std::string_view code3) {
    open(element);
    out_ += "<gmd:LanguageCode codeList=\"http://www.loc.gov/standards/iso639-2/\" codeListValue=\"";
    append_xml_text(out_, code3);
    out_ += "\">";
    append_xml_text(out_, code3);
    out_ += "</gmd:LanguageCode>";
    close(element);
  }
  // gco:Date for "YYYY-MM-DD", gco:DateTime otherwise (without fractions, which
  // xs:dateTime allows but some readers do not).
  void date_value(std::string_view d) {
    if (d.size() == 10) {
      out_ += "<gco:Date>";
      append_xml_text(out_, d);
      out_ += "</gco:Date>";
      return;
    }
    std::string t(d.substr(0, 19));
    out_ += "<gco:DateTime>";
    append_xml_text(out_, t + (t.size() == 19 ? "Z" : ""));
    out_ += "</gco:DateTime>";
  }

  void party(const catalog::ResponsibleParty& p) {
    out_ += "<gmd:CI_ResponsibleParty>";
    if (!p.individual.empty()) text_element("gmd:individualName", p.individual);
    if (!p.organisation.empty()) text_element("gmd:organisationName", p.organisation);
    if (!p.position.empty()) text_element("gmd:positionName", p.position);
    if (!p.email.empty() || !p.url.empty()) {
      out_ += "<gmd:contactInfo><gmd:CI_Contact>";
      if (!p.email.empty()) {
        out_ += "<gmd:address><gmd:CI_Address>";
        text_element("gmd:electronicMailAddress", p.email);
        out_ += "</gmd:CI_Address></gmd:address>";
      }
      if (!p.url.empty()) {
        out_ += "<gmd:onlineResource><gmd:CI_OnlineResource>";
        linkage(p.url);
        out_ += "</gmd:CI_OnlineResource></gmd:onlineResource>";
      }
      out_ += "</gmd:CI_Contact></gmd:contactInfo>";
    }
    code("gmd:role", "CI_RoleCode", p.role);
    out_ += "</gmd:CI_ResponsibleParty>";
  }

  void linkage(std::string_view href) {
    out_ += "<gmd:linkage><gmd:URL>";
    append_xml_text(out_, resolve_href(href, base_));
    out_ += "</gmd:URL></gmd:linkage>";
  }

  void reference_system(const std::string& crs) {
    out_ += "<gmd:referenceSystemInfo><gmd:MD_ReferenceSystem><gmd:referenceSystemIdentifier><gmd:RS_Identifier>";
    text_element("gmd:code", crs);
    out_ += "</gmd:RS_Identifier></gmd:referenceSystemIdentifier></gmd:MD_ReferenceSystem></gmd:referenceSystemInfo>";
  }

  void citation_date(std::string_view date, std::string_view type) {
    out_ += "<gmd:date><gmd:CI_Date><gmd:date>";
    date_value(date);
    out_ += "</gmd:date>";
    code("gmd:dateType", "CI_DateTypeCode", type);
    out_ += "</gmd:CI_Date></gmd:date>";
  }

  void citation(const catalog::Record& r) {
    out_ += "<gmd:citation><gmd:CI_Citation>";
    text_element("gmd:title", r.title);
    const bool dated = !r.created.empty() || !r.published.empty() || !r.revised.empty();
    if (!r.created.empty()) citation_date(r.created, "creation");
    if (!r.published.empty()) citation_date(r.published, "publication");
    if (!r.revised.empty()) citation_date(r.revised, "revision");
    if (!dated) out_ += "<gmd:date gco:nilReason=\"unknown\"/>";
    out_ += "<gmd:identifier><gmd:MD_Identifier>";
    text_element("gmd:code", r.id);
    out_ += "</gmd:MD_Identifier></gmd:identifier>";
    for (const auto& e : r.external_ids) {
      out_ += "<gmd:identifier><gmd:RS_Identifier>";
      text_element("gmd:code", e.value);
      if (!e.scheme.empty()) text_element("gmd:codeSpace", e.scheme);
      out_ += "</gmd:RS_Identifier></gmd:identifier>";
    }
    out_ += "</gmd:CI_Citation></gmd:citation>";
  }

  void keywords(const catalog::KeywordGroup& g) {
    if (g.keywords.empty()) return;
    out_ += "<gmd:descriptiveKeywords><gmd:MD_Keywords>";
    for (const auto& k : g.keywords) text_element("gmd:keyword", k);
    if (!g.type.empty()) code("gmd:type", "MD_KeywordTypeCode", g.type);
    if (!g.thesaurus.empty()) {
      out_ += "<gmd:thesaurusName><gmd:CI_Citation>";
      text_element("gmd:title", g.thesaurus);
      out_ += "<gmd:date gco:nilReason=\"unknown\"/>";
      if (!g.thesaurus_uri.empty()) {
        out_ += "<gmd:identifier><gmd:MD_Identifier>";
        text_element("gmd:code", g.thesaurus_uri);
        out_ += "</gmd:MD_Identifier></gmd:identifier>";
      }
      out_ += "</gmd:CI_Citation></gmd:thesaurusName>";
    }
    out_ += "</gmd:MD_Keywords></gmd:descriptiveKeywords>";
  }

  void constraints(const catalog::Record& r) {
    if (r.licence.empty() && r.constraints.empty() && r.attribution.empty()) return;
    out_ += "<gmd:resourceConstraints><gmd:MD_LegalConstraints>";
    if (!r.licence.empty()) text_element("gmd:useLimitation", "Licence: " + r.licence);
    for (const auto& c : r.constraints) text_element("gmd:useLimitation", c);
    code("gmd:useConstraints", "MD_RestrictionCode", "otherRestrictions");
    if (!r.licence.empty()) text_element("gmd:otherConstraints", r.licence);
    if (!r.attribution.empty()) text_element("gmd:otherConstraints", "Attribution: " + r.attribution);
    out_ += "</gmd:MD_LegalConstraints></gmd:resourceConstraints>";
  }

  void extent(const catalog::Record& r) {
    if (!r.extent && !r.temporal_extent) return;
    out_ += "<gmd:extent><gmd:EX_Extent>";
    if (r.extent) {
      out_ += "<gmd:geographicElement><gmd:EX_GeographicBoundingBox>";
      decimal("gmd:westBoundLongitude", r.extent->min_x);
      decimal("gmd:eastBoundLongitude", r.extent->max_x);
      decimal("gmd:southBoundLatitude", r.extent->min_y);
      decimal("gmd:northBoundLatitude", r.extent->max_y);
      out_ += "</gmd:EX_GeographicBoundingBox></gmd:geographicElement>";
    }
    if (r.temporal_extent) {
      out_ += "<gmd:temporalElement><gmd:EX_TemporalExtent><gmd:extent><gml:TimePeriod gml:id=\"time-extent\">";
      time_position("gml:beginPosition", r.temporal_extent->start);
      time_position("gml:endPosition", r.temporal_extent->end);
      out_ += "</gml:TimePeriod></gmd:extent></gmd:EX_TemporalExtent></gmd:temporalElement>";
    }
    out_ += "</gmd:EX_Extent></gmd:extent>";
  }

  void time_position(std::string_view name, const std::optional<std::string>& t) {
    if (!t) {
      out_.append("<").append(name).append(" indeterminatePosition=\"unknown\"/>");
      return;
    }
    open(name);
    append_xml_text(out_, *t);
    close(name);
  }

  void decimal(std::string_view name, double v) {
    open(name);
    out_ += "<gco:Decimal>";
    append_xml_number(out_, v);
    out_ += "</gco:Decimal>";
    close(name);
  }

  void identification(const catalog::Record& r) {
    out_ += "<gmd:identificationInfo><gmd:MD_DataIdentification>";
    citation(r);
    text_element("gmd:abstract", r.abstract.empty() ? r.title : r.abstract);
    for (const auto& p : r.contacts) {
      open("gmd:pointOfContact");
      party(p);
      close("gmd:pointOfContact");
    }
    if (!r.update_frequency.empty()) {
      out_ += "<gmd:resourceMaintenance><gmd:MD_MaintenanceInformation>";
      code("gmd:maintenanceAndUpdateFrequency", "MD_MaintenanceFrequencyCode", r.update_frequency);
      out_ += "</gmd:MD_MaintenanceInformation></gmd:resourceMaintenance>";
    }
    if (!r.thumbnail.empty()) {
      out_ += "<gmd:graphicOverview><gmd:MD_BrowseGraphic>";
      text_element("gmd:fileName", resolve_href(r.thumbnail, base_));
      text_element("gmd:fileDescription", "thumbnail");
      text_element("gmd:fileType", "image/png");
      out_ += "</gmd:MD_BrowseGraphic></gmd:graphicOverview>";
    }
    for (const auto& g : r.keywords) keywords(g);
    if (!r.country.empty()) keywords({{r.country}, "ISO 3166-1 alpha-3", "", "place"});
    constraints(r);
    language("gmd:language", r.language.empty() ? "eng" : r.language);
    code("gmd:characterSet", "MD_CharacterSetCode", "utf8");
    for (const auto& t : r.topic_categories) {
      out_ += "<gmd:topicCategory><gmd:MD_TopicCategoryCode>";
      append_xml_text(out_, t);
      out_ += "</gmd:MD_TopicCategoryCode></gmd:topicCategory>";
    }
    extent(r);
    out_ += "</gmd:MD_DataIdentification></gmd:identificationInfo>";
  }

  void distribution(const catalog::Record& r) {
    if (r.links.empty()) return;
    out_ += "<gmd:distributionInfo><gmd:MD_Distribution>";
    for (const auto& f : r.formats()) {
      out_ += "<gmd:distributionFormat><gmd:MD_Format>";
      text_element("gmd:name", f);
      out_ += "<gmd:version gco:nilReason=\"unknown\"/></gmd:MD_Format></gmd:distributionFormat>";
    }
    out_ += "<gmd:transferOptions><gmd:MD_DigitalTransferOptions>";
    for (const auto& l : r.links) {
      out_ += "<gmd:onLine><gmd:CI_OnlineResource>";
      linkage(l.href);
      if (!l.protocol.empty()) text_element("gmd:protocol", l.protocol);
      if (!l.name.empty()) text_element("gmd:name", l.name);
      if (!l.title.empty() || !l.type.empty())
        text_element("gmd:description", l.title.empty() ? l.type : (l.type.empty() ? l.title : l.title + " (" + l.type + ")"));
      if (l.rel == "enclosure") code("gmd:function", "CI_OnLineFunctionCode", "download");
      else if (l.rel == "service") code("gmd:function", "CI_OnLineFunctionCode", "information");
      out_ += "</gmd:CI_OnlineResource></gmd:onLine>";
    }
    out_ += "</gmd:MD_DigitalTransferOptions></gmd:transferOptions>";
    out_ += "</gmd:MD_Distribution></gmd:distributionInfo>";
  }

  void data_quality(const catalog::Record& r) {
    if (r.lineage.empty()) return;
    out_ += "<gmd:dataQualityInfo><gmd:DQ_DataQuality><gmd:scope><gmd:DQ_Scope>";
    code("gmd:level", "MD_ScopeCode", catalog::iso_scope_code(r.type));
    out_ += "</gmd:DQ_Scope></gmd:scope><gmd:lineage><gmd:LI_Lineage>";
    text_element("gmd:statement", r.lineage);
    out_ += "</gmd:LI_Lineage></gmd:lineage></gmd:DQ_DataQuality></gmd:dataQualityInfo>";
  }

  std::string& out_;
  std::string_view base_;
};

}  // namespace

std::string resolve_href(std::string_view href, std::string_view base_url) {
  if (href.starts_with("/") && !href.starts_with("//")) return std::string(base_url) + std::string(href);
  return std::string(href);
}

void append_iso19139(std::string& out, const catalog::Record& record, std::string_view base_url) {
  IsoWriter(out, base_url).metadata(record, false);
}

std::string iso19139_document(const catalog::Record& record, std::string_view base_url) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  IsoWriter(out, base_url).metadata(record, true);
  return out;
}

}  // namespace amis::encode
