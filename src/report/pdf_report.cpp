#include "report/pdf_report.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>

#include "core/error.hpp"

namespace amis::report {
namespace {

constexpr double kPageWidth = 595.0;   // A4 in points
constexpr double kPageHeight = 842.0;
constexpr double kMargin = 50.0;
constexpr double kLabelWidth = 170.0;
constexpr double kGap = 10.0;
constexpr double kFooter = 30.0;
constexpr double kBottom = kPageHeight - kMargin - kFooter;  // where a page's text ends
constexpr double kRoom = kBottom - kMargin;                   // the height a page holds

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Valid UTF-8 for pango (which refuses anything else): invalid bytes become '?'.
std::string valid_utf8(const std::string& text) {
  std::string out = text;
  const char* end = nullptr;
  while (!g_utf8_validate(out.data(), static_cast<gssize>(out.size()), &end))
    out[static_cast<std::size_t>(end - out.data())] = '?';
  return out;
}

// `text` in `layout`: `width` wide, wrapped at words (within a word longer than a line), in `font`.
void lay_out(PangoLayout* layout, const std::string& text, double width, const char* font) {
  PangoFontDescription* description = pango_font_description_from_string(font);
  pango_layout_set_font_description(layout, description);
  pango_font_description_free(description);
  pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  const std::string valid = valid_utf8(text);
  pango_layout_set_text(layout, valid.c_str(), -1);
}

class Writer {
 public:
  explicit Writer(std::string& out)
      : surface_(cairo_pdf_surface_create_for_stream(append, &out, kPageWidth, kPageHeight), cairo_surface_destroy),
        cr_(cairo_create(surface_.get()), cairo_destroy),
        layout_(pango_cairo_create_layout(cr_.get()), g_object_unref) {}

  bool ok() const { return cairo_status(cr_.get()) == CAIRO_STATUS_SUCCESS; }

  void start(const std::string& stamp, const std::string& page_label) {
    stamp_ = stamp;
    page_label_ = page_label;
    y_ = kMargin;
  }

  // Writes `text` at x with `width`, in `font`; breaks the page first when it does not fit.
  double block(const std::string& text, double x, double width, const char* font, bool draw = true) {
    lay_out(layout_.get(), text, width, font);
    int w = 0, h = 0;
    pango_layout_get_size(layout_.get(), &w, &h);
    const double height = static_cast<double>(h) / PANGO_SCALE;
    if (draw) {
      cairo_move_to(cr_.get(), x, y_);
      pango_cairo_show_layout(cr_.get(), layout_.get());
    }
    return height;
  }

  void need(double height) {
    if (y_ + height > kBottom) next_page();
  }

  // Draws `text` line by line from y, breaking the page between two lines where
  // the next does not fit: for a text taller than a page, which block() would
  // draw past the page's bottom. y ends under the last line.
  void flow(const std::string& text, double x, double width, const char* font) {
    // A layout of its own: the footer of a page break lays out its stamp in layout_.
    std::unique_ptr<PangoLayout, decltype(&g_object_unref)> layout(pango_cairo_create_layout(cr_.get()), g_object_unref);
    lay_out(layout.get(), text, width, font);
    std::unique_ptr<PangoLayoutIter, decltype(&pango_layout_iter_free)> line(pango_layout_get_iter(layout.get()),
                                                                             pango_layout_iter_free);
    double top = 0, bottom = 0;  // in the layout: the first line on this page, the last line's bottom
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(line.get(), nullptr, &logical);
      const double line_top = static_cast<double>(logical.y) / PANGO_SCALE;
      bottom = static_cast<double>(logical.y + logical.height) / PANGO_SCALE;
      if (y_ + bottom - top > kBottom && line_top > top) {
        next_page();
        top = line_top;
      }
      const double baseline = static_cast<double>(pango_layout_iter_get_baseline(line.get())) / PANGO_SCALE;
      cairo_move_to(cr_.get(), x + static_cast<double>(logical.x) / PANGO_SCALE, y_ + baseline - top);
      pango_cairo_show_layout_line(cr_.get(), pango_layout_iter_get_line_readonly(line.get()));
    } while (pango_layout_iter_next_line(line.get()));
    y_ += bottom - top;
  }

  void next_page() {
    footer();
    cairo_show_page(cr_.get());
    y_ = kMargin;
  }

  void footer() {
    const double keep = y_;
    y_ = kPageHeight - kMargin;
    cairo_set_source_rgb(cr_.get(), 0.35, 0.35, 0.35);
    std::string number = page_label_;
    const std::string n = std::to_string(++page_);
    if (const auto at = number.find("{n}"); at != std::string::npos) number.replace(at, 3, n);
    block(stamp_ + "  |  " + number, kMargin, kPageWidth - 2 * kMargin, "DejaVu Sans 8");
    cairo_set_source_rgb(cr_.get(), 0, 0, 0);
    y_ = keep;
  }

  void finish() {
    footer();
    cairo_show_page(cr_.get());
    cairo_surface_finish(surface_.get());
  }

  double& y() { return y_; }
  int page() const { return page_; }  // the pages finished so far

 private:
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface_;
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr_;
  std::unique_ptr<PangoLayout, decltype(&g_object_unref)> layout_;
  std::string stamp_;
  std::string page_label_;
  double y_ = kMargin;
  int page_ = 0;
};

void write_row(Writer& w, const ReportRow& row) {
  const double text_x = kMargin + kLabelWidth + kGap;
  const double text_width = kPageWidth - kMargin - text_x;
  const double label_h = w.block(row.label, kMargin, kLabelWidth, "DejaVu Sans Bold 9", false);
  const double text_h = w.block(row.text, text_x, text_width, "DejaVu Sans 9", false);
  const double note_h = row.note.empty() ? 0 : w.block(row.note, text_x, text_width, "DejaVu Sans Oblique 7.5", false);
  if (std::max(label_h, text_h + note_h) + 6 > kRoom) {
    // Taller than a page: it starts where it is (with its label and a few lines)
    // and flows on across pages.
    w.need(label_h + 40);
    w.block(row.label, kMargin, kLabelWidth, "DejaVu Sans Bold 9");
    const double top = w.y();
    const int page = w.page();
    w.flow(row.text, text_x, text_width, "DejaVu Sans 9");
    if (!row.note.empty()) w.flow(row.note, text_x, text_width, "DejaVu Sans Oblique 7.5");
    if (w.page() == page) w.y() = std::max(w.y(), top + label_h);
    w.y() += 6;
    return;
  }
  w.need(std::max(label_h, text_h + note_h) + 6);
  w.block(row.label, kMargin, kLabelWidth, "DejaVu Sans Bold 9");
  w.block(row.text, text_x, text_width, "DejaVu Sans 9");
  if (!row.note.empty()) {
    w.y() += text_h;
    w.block(row.note, text_x, text_width, "DejaVu Sans Oblique 7.5");
    w.y() -= text_h;
  }
  w.y() += std::max(label_h, text_h + note_h) + 6;
}

}  // namespace

std::string write_pdf(const ReportDocument& document) {
  std::string out;
  {
    Writer w(out);
    if (!w.ok()) throw core::ServerError("the PDF could not be started");
    w.start(document.stamp, document.page_label);
    const double width = kPageWidth - 2 * kMargin;
    w.y() += w.block(document.title, kMargin, width, "DejaVu Sans Bold 18") + 4;
    if (!document.subtitle.empty()) w.y() += w.block(document.subtitle, kMargin, width, "DejaVu Sans 10") + 4;
    w.y() += w.block(document.stamp, kMargin, width, "DejaVu Sans 9") + 12;
    for (const auto& section : document.sections) {
      w.need(w.block(section.heading, kMargin, width, "DejaVu Sans Bold 12", false) + 30);
      w.y() += w.block(section.heading, kMargin, width, "DejaVu Sans Bold 12") + 6;
      if (!section.paragraph.empty()) {
        const double height = w.block(section.paragraph, kMargin, width, "DejaVu Sans 9", false);
        if (height > kRoom) {
          w.flow(section.paragraph, kMargin, width, "DejaVu Sans 9");
          w.y() += 6;
        } else {
          w.need(height);
          w.y() += w.block(section.paragraph, kMargin, width, "DejaVu Sans 9") + 6;
        }
      }
      for (const auto& row : section.rows) write_row(w, row);
      w.y() += 8;
    }
    w.finish();
    if (!w.ok()) throw core::ServerError("the PDF could not be written");
  }
  return out;
}

}  // namespace amis::report
