#pragma once
// Evidence documents uploaded for progress reports (issue 19): a PDF or an image
// a lead or country coordinator uploads for an activity, then cites by its URL in
// a report's evidence, which goes through change sets and review as every report.
// The type is read from the content (magic bytes), never from what the client
// says; the size is bounded.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace amis::workplan {

inline constexpr std::size_t kMaxEvidenceBytes = 10u << 20;  // 10 MiB

struct EvidenceDocument {
  std::int64_t id = 0;  // set by the store
  std::string plan;
  std::string activity;
  std::string country;      // the member state whose report it is for
  std::string title;
  std::string media_type;   // from the content: application/pdf, image/png or image/jpeg
  std::string uploaded;     // RFC 3339, set by the store
  std::string uploaded_by;  // the user
  std::string bytes;
};

// The media type the first bytes of `content` announce (%PDF-, the PNG
// signature, a JPEG SOI marker), or empty for anything else.
std::string sniff_evidence_type(std::string_view content);

// The file name extension of such a media type ("pdf", "png", "jpg").
const char* evidence_extension(std::string_view media_type);

}  // namespace amis::workplan
