#include "workplan/evidence_document.hpp"

namespace amis::workplan {

std::string sniff_evidence_type(std::string_view content) {
  using namespace std::string_view_literals;
  if (content.starts_with("%PDF-"sv)) return "application/pdf";
  if (content.starts_with("\x89PNG\r\n\x1a\n"sv)) return "image/png";
  if (content.starts_with("\xFF\xD8\xFF"sv)) return "image/jpeg";
  return {};
}

const char* evidence_extension(std::string_view media_type) {
  if (media_type == "application/pdf") return "pdf";
  if (media_type == "image/png") return "png";
  if (media_type == "image/jpeg") return "jpg";
  return "bin";
}

}  // namespace amis::workplan
