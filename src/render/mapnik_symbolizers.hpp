#pragma once
// Our style model (render/style.hpp) as Mapnik symbolizers; only render/ sees
// this header (it brings in Mapnik's).
#include <mapnik/rule.hpp>
#include <mapnik/symbolizer.hpp>

#include "render/style.hpp"

namespace amis::render {

// Registers the DejaVu fonts with Mapnik, once.
void register_fonts();

// Points drawn as copies of a pre-drawn mark (a sprite), in kSpritePhases ×
// kSpritePhases variants by the fractional pixel position of each point.
inline constexpr int kSpritePhases = 17;
// True when every geometry symbolizer of the rule is a plain mark (no external
// graphic, no rotation): its points can be drawn with sprites.
bool draws_with_sprites(const Rule& rule);
// The side of a point symbolizer's sprite, and the variant for a position (in
// image pixels) along one axis.
int sprite_side(const PointSymbolizer& point);
int sprite_phase(double position, int side);
// The rule's marks as sprites of one phase.
void append_sprite_symbolizers(mapnik::rule& rule, const Rule& style_rule, int phase_x, int phase_y);

// Appends the Mapnik symbolizers of a point, line or polygon symbolizer.
void append_geometry_symbolizer(mapnik::rule& rule, const Symbolizer& symbolizer);

// The one attribute the features of a label layer carry: the text to write.
// (Property names never reach a Mapnik expression.)
inline constexpr const char* kLabelAttribute = "amis_label";

// A text symbolizer writing each feature's kLabelAttribute, centred on the
// point, or starting at it with `from_point`.
mapnik::text_symbolizer make_text_symbolizer(const TextSymbolizer& text, double wrap_width = 0,
                                             bool from_point = false);

mapnik::color to_mapnik(const Colour& colour);

}  // namespace amis::render
