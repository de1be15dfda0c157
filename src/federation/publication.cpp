#include "federation/publication.hpp"

#include "core/error.hpp"

namespace amis::federation {

std::string_view to_string(PublishMode mode) { return mode == PublishMode::Mirror ? "mirror" : "cascade"; }

PublishMode parse_publish_mode(std::string_view text) {
  if (text == "cascade") return PublishMode::Cascade;
  if (text == "mirror") return PublishMode::Mirror;
  throw core::InvalidValue("mode", "the mode is cascade or mirror");
}

}  // namespace amis::federation
