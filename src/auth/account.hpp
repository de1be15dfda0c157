#pragma once
// Who may do what (issue 6): the ASEAN Secretariat's administrators, the expert
// team's reviewers, and editors bound to one member state; anyone else reads
// public data anonymously. A node account (issue 16) is another AMIS that reads
// this one's change feed: its token reads /changes and what anyone may read,
// and is refused (403) everywhere a role is required unless a route names it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace amis::auth {

enum class Role { Admin, Reviewer, Editor, Node };

const char* to_string(Role role);
// The expert team (administrators and reviewers): neither an editor nor a node.
bool is_expert(Role role);
std::optional<Role> parse_role(std::string_view text);

// The ten ASEAN Member States and China, Japan and the Republic of Korea
// (ISO 3166-1 alpha-3), the countries an editor can be bound to.
const std::vector<std::string>& member_countries();
bool is_member_country(std::string_view iso3);

struct User {
  std::string name;
  Role role = Role::Editor;
  std::string country;  // ISO alpha-3 for editors, empty for the others
  bool disabled = false;
  std::string created;  // RFC 3339
};

// An authenticated caller, as the handlers see it.
struct Principal {
  std::string user;
  Role role = Role::Editor;
  std::string country;
};

// True for a user name of 3 to 64 letters, digits, '.', '_', '-' or '@'.
bool valid_user_name(std::string_view name);

}  // namespace amis::auth
