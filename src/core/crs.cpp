#include "core/crs.hpp"

#include <charconv>

namespace amis::core {
namespace {

std::optional<int> code_after(std::string_view text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return std::nullopt;
  text.remove_prefix(prefix.size());
  int code = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), code);
  if (ec != std::errc{} || end != text.data() + text.size() || code <= 0) return std::nullopt;
  return code;
}

}  // namespace

std::string Crs::uri() const {
  return is_crs84() ? kCrs84Uri : "http://www.opengis.net/def/crs/EPSG/0/" + std::to_string(epsg);
}

std::string Crs::proj_name() const { return is_crs84() ? "OGC:CRS84" : "EPSG:" + std::to_string(epsg); }

std::optional<Crs> parse_crs(std::string_view text) {
  if (text == kCrs84Uri || text == "[OGC:CRS84]" || text == "OGC:CRS84" ||
      text == "https://www.opengis.net/def/crs/OGC/1.3/CRS84")
    return Crs{};
  for (std::string_view prefix : {"http://www.opengis.net/def/crs/EPSG/0/",
                                  "https://www.opengis.net/def/crs/EPSG/0/", "[EPSG:", "EPSG:"}) {
    std::string_view rest = text;
    if (prefix == "[EPSG:") {
      if (!rest.ends_with("]")) continue;
      rest.remove_suffix(1);
    }
    if (auto code = code_after(rest, prefix)) return Crs{*code};
  }
  return std::nullopt;
}

std::optional<SrsName> parse_srs_name(std::string_view text) {
  for (std::string_view crs84 : {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84",
                                 "CRS:84", "OGC:CRS84", kCrs84Uri})
    if (text == crs84) return SrsName{Crs{}, true, std::string(text)};
  for (std::string_view prefix : {"urn:ogc:def:crs:EPSG::", "urn:x-ogc:def:crs:EPSG::", "urn:x-ogc:def:crs:EPSG:",
                                  "http://www.opengis.net/def/crs/EPSG/0/",
                                  "https://www.opengis.net/def/crs/EPSG/0/"})
    if (auto code = code_after(text, prefix)) return SrsName{Crs{*code}, false, std::string(text)};
  // urn:ogc:def:crs:EPSG:<version>:<code>
  if (text.starts_with("urn:ogc:def:crs:EPSG:")) {
    const auto colon = text.rfind(':');
    if (auto code = code_after(text.substr(colon), ":")) return SrsName{Crs{*code}, false, std::string(text)};
  }
  for (std::string_view prefix : {"EPSG:", "http://www.opengis.net/gml/srs/epsg.xml#"})
    if (auto code = code_after(text, prefix)) {
      // Longitude first on WGS 84 is CRS84.
      return SrsName{*code == 4326 ? Crs{} : Crs{*code}, true, std::string(text)};
    }
  return std::nullopt;
}

std::string crs_urn(const Crs& crs) {
  return crs.is_crs84() ? "urn:ogc:def:crs:OGC:1.3:CRS84" : "urn:ogc:def:crs:EPSG::" + std::to_string(crs.epsg);
}

const std::vector<Crs>& advertised_crs() {
  static const std::vector<Crs> list = [] {
    std::vector<Crs> l = {Crs{}, Crs{4326}, Crs{3857}};
    for (int zone = 32646; zone <= 32652; ++zone) l.push_back(Crs{zone});  // UTM 46N-52N
    for (int zone = 32747; zone <= 32751; ++zone) l.push_back(Crs{zone});  // UTM 47S-51S
    // CGCS2000, JGD2011, Korea 2000 (Unified and Central Belt 2010), DGN95,
    // GDM2000 Peninsula RSO, SVY21, VN-2000 / UTM 48N, PRS92, Indian 1975 / UTM 47N,
    // GDBD2009 / Brunei BRSO.
    for (int code : {4490, 6668, 5179, 5186, 4755, 3375, 3414, 3405, 4683, 24047, 5247})
      l.push_back(Crs{code});
    return l;
  }();
  return list;
}

}  // namespace amis::core
