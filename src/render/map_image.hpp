#pragma once
// A map image another WMS drew (a layer cascaded from a national node) read into
// RGBA pixels for composing with AMIS's own layers. Only PNG and JPEG are read,
// and only an image of the size asked: its header is checked before any pixel is
// decoded, so the memory it takes is the map's (bounded by the WMS's maximum size).
#include <cstdint>
#include <string_view>
#include <vector>

namespace amis::render {

// RGBA pixels, row by row from the top, not premultiplied (as MapRequest::images).
// @throws core::ParsingFailed for bytes that are no PNG or JPEG of `width` x `height`.
std::vector<std::uint8_t> decode_map_image(std::string_view bytes, int width, int height);

}  // namespace amis::render
