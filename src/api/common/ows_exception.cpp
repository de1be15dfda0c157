#include "api/common/ows_exception.hpp"

#include "encode/xml_text.hpp"

namespace amis::api {

std::string exception_report(const core::OgcError& error, OwsVersion version,
                             const std::string& report_version) {
  const bool v11 = version != OwsVersion::V1_0;  // 1.1 and 2.0 write the language as xml:lang
  const char* ns = version == OwsVersion::V2_0   ? "http://www.opengis.net/ows/2.0"
                   : version == OwsVersion::V1_1 ? "http://www.opengis.net/ows/1.1"
                                                 : "http://www.opengis.net/ows";
  const char* xsd = version == OwsVersion::V2_0   ? "http://schemas.opengis.net/ows/2.0/owsExceptionReport.xsd"
                    : version == OwsVersion::V1_1 ? "http://schemas.opengis.net/ows/1.1.0/owsExceptionReport.xsd"
                                                  : "http://schemas.opengis.net/ows/1.0.0/owsExceptionReport.xsd";
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ows:ExceptionReport xmlns:ows=\"";
  out += ns;
  out += "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"";
  out += ns;
  out += ' ';
  out += xsd;
  out += "\" version=\"" + report_version + (v11 ? "\" xml:lang=\"en\"" : "\" language=\"en\"") +
         ">\n  <ows:Exception exceptionCode=\"";
  encode::append_xml_text(out, error.code());
  out += '"';
  if (!error.locator().empty()) {
    out += " locator=\"";
    encode::append_xml_text(out, error.locator());
    out += '"';
  }
  out += ">\n    <ows:ExceptionText>";
  encode::append_xml_text(out, error.what());
  out += "</ows:ExceptionText>\n  </ows:Exception>\n</ows:ExceptionReport>\n";
  return out;
}

}  // namespace amis::api
