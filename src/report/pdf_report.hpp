#pragma once
// A small printable report written as PDF by cairo and pango (Debian's
// libcairo2 and libpango1.0): a title, a date stamp on every page, and sections
// of labelled rows with an optional note under each (a citation), wrapped to
// A4 and broken across pages. For the country profiles (issue 20) now; the work
// plan's meeting reports and the usage reports can print through it later.
#include <string>
#include <vector>

namespace amis::report {

struct ReportRow {
  std::string label;
  std::string text;
  std::string note;  // smaller, under the text; empty: none
};

struct ReportSection {
  std::string heading;
  std::string paragraph;  // before the rows; empty: none
  std::vector<ReportRow> rows;
};

struct ReportDocument {
  std::string title;
  std::string subtitle;
  std::string stamp;  // printed in every page's footer ("Generated 2026-12-05T18:46:12Z from live data")
  std::vector<ReportSection> sections;
  // The footer's page number, {n} the number ("page {n}", "第 {n} 页").
  std::string page_label = "page {n}";
};

// The document as a PDF file's bytes. Texts are plain UTF-8 (never read as
// markup). @throws core::ServerError when cairo fails.
std::string write_pdf(const ReportDocument& document);

}  // namespace amis::report
