#include "auth/account_admin.hpp"

#include "auth/secrets.hpp"
#include "core/error.hpp"

namespace amis::auth {
namespace {

Role checked_role(const std::string& text) {
  auto role = parse_role(text);
  if (!role) throw core::InvalidValue("role", "the role is admin, reviewer, editor or node, not '" + text.substr(0, 40) + "'");
  return *role;
}

void check_country(Role role, const std::string& country) {
  if (role == Role::Editor && !is_member_country(country))
    throw core::InvalidValue("country", "an editor needs a country, one of the ASEAN+3 ISO alpha-3 codes (IDN, VNM, ...)");
  if (role != Role::Editor && !country.empty())
    throw core::InvalidValue("country", "only editors are bound to a country");
}

void check_password(const std::string& password) {
  if (!acceptable_password(password)) throw core::InvalidValue("password", "a password has 10 to 1024 characters");
}

}  // namespace

User AccountAdmin::user(const std::string& name) {
  auto u = accounts_.user(name);
  if (!u) throw core::NotFound("no user '" + name + "'");
  return *u;
}

User AccountAdmin::add_user(const std::string& actor, const std::string& name, const std::string& role_text,
                            const std::string& country, const std::string& password) {
  if (!valid_user_name(name))
    throw core::InvalidValue("name", "a user name has 3 to 64 letters, digits, '.', '_', '-' or '@'");
  const Role role = checked_role(role_text);
  check_country(role, country);
  check_password(password);
  if (accounts_.user(name)) throw core::Conflict("a user '" + name + "' already exists");
  accounts_.add_user(User{name, role, country, false, ""}, hash_password(password));
  audit_(actor, "add user", name, std::string(to_string(role)) + (country.empty() ? "" : " " + country));
  return user(name);
}

void AccountAdmin::set_password(const std::string& actor, const std::string& name, const std::string& password) {
  user(name);
  check_password(password);
  accounts_.set_password(name, hash_password(password));
  accounts_.remove_sessions_of(name);  // whoever knew the old password is logged out
  audit_(actor, "set password", name, "");
}

void AccountAdmin::set_disabled(const std::string& actor, const std::string& name, bool disabled) {
  if (!accounts_.set_disabled(name, disabled)) throw core::NotFound("no user '" + name + "'");
  if (disabled) accounts_.remove_sessions_of(name);  // re-enabling does not bring them back
  audit_(actor, disabled ? "disable user" : "enable user", name, "");
}

User AccountAdmin::set_role(const std::string& actor, const std::string& name, const std::string& role_text,
                            const std::string& country) {
  const User before = user(name);
  const Role role = checked_role(role_text);
  check_country(role, country);
  if (role == before.role && country == before.country) return before;
  accounts_.set_role(name, role, country);
  audit_(actor, "change role", name,
         std::string(to_string(before.role)) + (before.country.empty() ? "" : " " + before.country) + " -> " +
             to_string(role) + (country.empty() ? "" : " " + country));
  return user(name);
}

std::pair<std::int64_t, std::string> AccountAdmin::create_token(const std::string& actor, const std::string& name,
                                                                const std::string& label) {
  user(name);
  if (label.size() > 200) throw core::InvalidValue("label", "a token label has at most 200 characters");
  auto token = new_token();
  const auto id = accounts_.add_token(name, token_digest(token), label);
  audit_(actor, "create token", name, "token " + std::to_string(id) + (label.empty() ? "" : " (" + label + ")"));
  return {id, std::move(token)};
}

void AccountAdmin::revoke_token(const std::string& actor, std::int64_t id) {
  if (!accounts_.revoke_token(id)) throw core::NotFound("no live token " + std::to_string(id));
  audit_(actor, "revoke token", "token " + std::to_string(id), "");
}

}  // namespace amis::auth
