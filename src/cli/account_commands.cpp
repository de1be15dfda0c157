// `amis user add|list|passwd|disable|enable` and `amis token create|list|revoke`.
// Passwords are read from standard input (one line), never from the command
// line (which other users of the machine can see); tokens are printed once.
#include <iostream>
#include <stdexcept>
#include <string>

#include "auth/secrets.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "auth/account_admin.hpp"

namespace amis::cli {
namespace {

std::string read_password() {
  std::string password;
  if (!std::getline(std::cin, password)) throw std::runtime_error("give the password on standard input");
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

}  // namespace

int account_command(const config::Config& config, const AccountCommand& command) {
  auto opened = store::open_store(store_location(config));  // creates the store and its tables when missing
  store::AccountStore& accounts = *opened.accounts;
  store::ChangeSetStore& audit_log = *opened.change_sets;
  auth::AccountAdmin admin(accounts, [&audit_log](const std::string& actor, const std::string& action,
                                                  const std::string& subject, const std::string& detail) {
    audit_log.audit(actor, action, subject, detail);
  });
  const std::string actor = "command line";
  const auto& a = command.action;
  if (a == "user add") {
    auto user = admin.add_user(actor, command.name, command.role, command.country, read_password());
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
    admin.user(command.name);
    admin.set_password(actor, command.name, read_password());
    return 0;
  }
  if (a == "user disable" || a == "user enable") {
    admin.set_disabled(actor, command.name, a == "user disable");
    return 0;
  }
  if (a == "token create") {
    const auto [id, token] = admin.create_token(actor, command.name, command.label);
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
    admin.revoke_token(actor, command.token_id);
    return 0;
  }
  throw std::runtime_error("unknown command " + a);
}

}  // namespace amis::cli
