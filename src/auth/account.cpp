#include "auth/account.hpp"

#include <algorithm>
#include <cctype>

namespace amis::auth {

const char* to_string(Role role) {
  switch (role) {
    case Role::Admin: return "admin";
    case Role::Reviewer: return "reviewer";
    case Role::Editor: return "editor";
    case Role::Node: return "node";
  }
  return "editor";
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "admin") return Role::Admin;
  if (text == "reviewer") return Role::Reviewer;
  if (text == "editor") return Role::Editor;
  if (text == "node") return Role::Node;
  return std::nullopt;
}

bool is_expert(Role role) { return role == Role::Admin || role == Role::Reviewer; }

const std::vector<std::string>& member_countries() {
  static const std::vector<std::string> countries = {"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL",
                                                     "SGP", "THA", "VNM", "CHN", "JPN", "KOR"};
  return countries;
}

bool is_member_country(std::string_view iso3) {
  const auto& all = member_countries();
  return std::find(all.begin(), all.end(), iso3) != all.end();
}

bool valid_user_name(std::string_view name) {
  if (name.size() < 3 || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == '@';
  });
}

}  // namespace amis::auth
