#include "render/map_image.hpp"

#include <mapnik/image.hpp>
#include <mapnik/image_reader.hpp>
#include <mapnik/image_util.hpp>

#include <cstring>
#include <memory>
#include <string>

#include "core/error.hpp"

namespace amis::render {
namespace {

bool png(std::string_view b) { return b.size() > 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8); }
bool jpeg(std::string_view b) { return b.size() > 3 && b.substr(0, 3) == std::string_view("\xff\xd8\xff", 3); }

[[noreturn]] void unreadable(const std::string& why) { throw core::ParsingFailed("image", why); }

}  // namespace

std::vector<std::uint8_t> decode_map_image(std::string_view bytes, int width, int height) {
  if (width <= 0 || height <= 0) unreadable("the map has no size");
  if (!png(bytes) && !jpeg(bytes)) unreadable("the image is neither PNG nor JPEG");
  std::unique_ptr<mapnik::image_reader> reader;
  try {
    reader.reset(mapnik::get_image_reader(bytes.data(), bytes.size()));
    if (!reader) unreadable("the image cannot be read");
    if (reader->width() != static_cast<unsigned>(width) || reader->height() != static_cast<unsigned>(height))
      unreadable("the image is " + std::to_string(reader->width()) + " x " + std::to_string(reader->height()) +
                 " pixels, not the " + std::to_string(width) + " x " + std::to_string(height) + " asked");
    mapnik::image_rgba8 image(width, height);
    reader->read(0, 0, image);
    if (image.get_premultiplied()) mapnik::demultiply_alpha(image);
    std::vector<std::uint8_t> rgba(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
    std::memcpy(rgba.data(), image.data(), rgba.size());
    return rgba;
  } catch (const core::OgcError&) {
    throw;
  } catch (const std::exception& e) {  // mapnik::image_reader_exception, a truncated file
    unreadable(std::string("the image cannot be read: ") + e.what());
  }
}

}  // namespace amis::render
