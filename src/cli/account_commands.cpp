// `amis user add|list|passwd|disable|enable` and `amis token create|list|revoke`.
// Passwords are read from standard input (one line), never from the command
// line (which other users of the machine can see); tokens are printed once.
#include <iostream>
#include <stdexcept>
#include <string>

#include "auth/secrets.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "store/gpkg/gpkg_accounts.hpp"
#include "store/gpkg/gpkg_store.hpp"

namespace amis::cli {
namespace {

std::string read_password() {
  std::string password;
  if (!std::getline(std::cin, password)) throw std::runtime_error("give the password on standard input");
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (!auth::acceptable_password(password)) throw std::runtime_error("a password has 10 to 1024 characters");
  return password;
}

}  // namespace

int account_command(const config::Config& config, const AccountCommand& command) {
  store::gpkg::GpkgStore store(config.store_path);  // creates the store and its tables when missing
  store::gpkg::GpkgAccounts accounts(config.store_path);
  const auto& a = command.action;
  if (a == "user add") {
    if (!auth::valid_user_name(command.name))
      throw std::runtime_error("a user name has 3 to 64 letters, digits, '.', '_', '-' or '@'");
    const auto role = auth::parse_role(command.role);
    if (!role) throw std::runtime_error("the role is admin, reviewer or editor");
    if (*role == auth::Role::Editor && !auth::is_member_country(command.country))
      throw std::runtime_error("an editor needs --country, one of the ASEAN+3 ISO alpha-3 codes (IDN, VNM, ...)");
    if (*role != auth::Role::Editor && !command.country.empty())
      throw std::runtime_error("only editors are bound to a country");
    auth::User user{command.name, *role, command.country, false, ""};
    accounts.add_user(user, auth::hash_password(read_password()));
    std::cout << user.name << "\t" << auth::to_string(user.role) << "\t" << user.country << "\n";
    return 0;
  }
  if (a == "user list") {
    for (const auto& u : accounts.users())
      std::cout << u.name << "\t" << auth::to_string(u.role) << "\t" << u.country << "\t"
                << (u.disabled ? "disabled" : "enabled") << "\t" << u.created << "\n";
    return 0;
  }
  if (a == "user passwd") {
    if (!accounts.user(command.name)) throw core::NotFound("no user '" + command.name + "'");
    accounts.set_password(command.name, auth::hash_password(read_password()));
    return 0;
  }
  if (a == "user disable" || a == "user enable") {
    if (!accounts.set_disabled(command.name, a == "user disable"))
      throw core::NotFound("no user '" + command.name + "'");
    return 0;
  }
  if (a == "token create") {
    const auto token = auth::new_token();
    const auto id = accounts.add_token(command.name, auth::token_digest(token), command.label);
    std::cerr << "token " << id << " for " << command.name << " (shown once; keep it secret)\n";
    std::cout << token << "\n";
    return 0;
  }
  if (a == "token list") {
    for (const auto& t : accounts.tokens(command.name))
      std::cout << t.id << "\t" << t.label << "\t" << t.created << "\t" << (t.revoked ? "revoked" : "live") << "\n";
    return 0;
  }
  if (a == "token revoke") {
    if (!accounts.revoke_token(command.token_id)) throw core::NotFound("no live token " + std::to_string(command.token_id));
    return 0;
  }
  throw std::runtime_error("unknown command " + a);
}

}  // namespace amis::cli
