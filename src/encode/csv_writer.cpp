#include "encode/csv_writer.hpp"

#include <cpl_conv.h>
#include <ogr_api.h>

#include <cctype>

#include "encode/xml_text.hpp"

namespace amis::encode {
namespace {

constexpr std::size_t kFlushBytes = 64 * 1024;

void append_field(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// Text that is just a decimal number ("-12.5", "+7", "1e-3"): a spreadsheet reads
// it as that number, never as a formula.
bool plain_number(std::string_view text) {
  std::size_t i = 0;
  auto sign = [&] {
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  };
  auto digits = [&] {
    const std::size_t from = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    return i - from;
  };
  sign();
  std::size_t mantissa = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    sign();
    if (digits() == 0) return false;
  }
  return i == text.size();
}

}  // namespace

// A text cell a spreadsheet would run as a formula (OWASP, "CSV Injection"):
// one beginning with = + - @, a tab or a carriage return. It is written with a
// single quote first, which spreadsheets show as text and do not evaluate.
void append_text_cell(std::string& out, std::string_view text) {
  const bool formula = !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos &&
                       !plain_number(text);
  if (!formula) return append_field(out, text);
  std::string quoted = "'";
  quoted += text;
  append_field(out, quoted);
}

std::string wkb_to_wkt(std::span<const std::uint8_t> wkb) {
  if (wkb.empty()) return {};
  OGRGeometryH g = nullptr;
  if (OGR_G_CreateFromWkbEx(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE || !g) return {};
  char* wkt = nullptr;
  std::string out;
  if (OGR_G_ExportToIsoWkt(g, &wkt) == OGRERR_NONE && wkt) out = wkt;
  CPLFree(wkt);
  OGR_G_DestroyGeometry(g);
  return out;
}

void CsvFeatureWriter::begin(const core::Collection& collection) {
  collection_ = &collection;
  buffer_ = "WKT,id";
  for (const auto& p : collection.properties) {
    buffer_ += ',';
    append_text_cell(buffer_, p.name);
  }
  buffer_ += "\r\n";
}

void CsvFeatureWriter::feature(const core::FeatureView& feature) {
  append_field(buffer_, wkb_to_wkt(feature.wkb));
  buffer_ += ',';
  buffer_ += std::to_string(feature.id);
  for (std::size_t i = 0; i < collection_->properties.size(); ++i) {
    buffer_ += ',';
    if (i >= feature.values.size()) continue;
    const auto& v = feature.values[i];
    switch (v.kind) {
      case core::Value::Kind::Null: break;
      case core::Value::Kind::Integer:
        if (collection_->properties[i].type == core::PropertyType::Boolean) buffer_ += v.integer ? "true" : "false";
        else buffer_ += std::to_string(v.integer);
        break;
      case core::Value::Kind::Real: append_xml_number(buffer_, v.real); break;
      case core::Value::Kind::Text: append_text_cell(buffer_, v.text); break;
    }
  }
  buffer_ += "\r\n";
  if (buffer_.size() >= kFlushBytes) {
    out_.write(buffer_);
    buffer_.clear();
  }
}

void CsvFeatureWriter::end() {
  out_.write(buffer_);
  buffer_.clear();
}

}  // namespace amis::encode
