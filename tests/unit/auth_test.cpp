// Secrets against libsodium's own reference values and RFC test vectors, and
// the account tables read back with plain SQLite.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "auth/account.hpp"
#include "auth/authenticator.hpp"
#include "auth/secrets.hpp"
#include "core/error.hpp"
#include "store/gpkg/gpkg_accounts.hpp"
#include "test_support.hpp"

namespace {

// RFC 4648 base64, written here so that the test does not check AMIS's decoder with itself.
std::string base64(const std::string& in) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    const auto n = std::min<std::size_t>(3, in.size() - i);
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 3; ++k) v = v << 8 | (k < n ? static_cast<unsigned char>(in[i + k]) : 0u);
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[(v >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

TEST(Secrets, PasswordsHashWithArgon2idAndVerify) {
  const auto hash = amis::auth::hash_password("correct horse battery");
  EXPECT_TRUE(hash.starts_with("$argon2id$"));
  EXPECT_EQ(hash.find("correct horse"), std::string::npos);
  EXPECT_TRUE(amis::auth::verify_password(hash, "correct horse battery"));
  EXPECT_FALSE(amis::auth::verify_password(hash, "correct horse batterY"));
  EXPECT_FALSE(amis::auth::verify_password("not a hash", "correct horse battery"));
  EXPECT_NE(hash, amis::auth::hash_password("correct horse battery"));  // salted
  EXPECT_FALSE(amis::auth::acceptable_password("short"));
  EXPECT_TRUE(amis::auth::acceptable_password("ten chars!"));
}

TEST(Secrets, TokenDigestIsSha256) {
  // FIPS 180-2, appendix B.1.
  EXPECT_EQ(amis::auth::token_digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const auto a = amis::auth::new_token(), b = amis::auth::new_token();
  EXPECT_NE(a, b);
  EXPECT_TRUE(a.starts_with("amis_"));
  EXPECT_EQ(a.size(), 5u + 43u);
  EXPECT_TRUE(amis::auth::same_secret(a, a));
  EXPECT_FALSE(amis::auth::same_secret(a, b));
  EXPECT_FALSE(amis::auth::same_secret("", ""));
}

TEST(Accounts, RolesCountriesAndNames) {
  EXPECT_EQ(amis::auth::member_countries().size(), 13u);
  EXPECT_TRUE(amis::auth::is_member_country("IDN"));
  EXPECT_TRUE(amis::auth::is_member_country("KOR"));
  EXPECT_FALSE(amis::auth::is_member_country("USA"));
  EXPECT_FALSE(amis::auth::is_member_country("idn"));
  EXPECT_EQ(amis::auth::parse_role("reviewer"), amis::auth::Role::Reviewer);
  EXPECT_FALSE(amis::auth::parse_role("root"));
  EXPECT_TRUE(amis::auth::valid_user_name("idn.editor@esdm"));
  EXPECT_FALSE(amis::auth::valid_user_name("a b"));
  EXPECT_FALSE(amis::auth::valid_user_name("x'; DROP TABLE amis_users; --"));
}

TEST(Accounts, TokensAuthenticateUntilRevokedOrDisabled) {
  amis::testing::TempStorePath path("accounts");
  amis::store::gpkg::GpkgStore store(path.str());
  amis::store::gpkg::GpkgAccounts accounts(path.str());
  accounts.add_user({"editor1", amis::auth::Role::Editor, "VNM", false, ""}, amis::auth::hash_password("0123456789"));
  EXPECT_THROW(accounts.add_user({"editor1", amis::auth::Role::Admin, "", false, ""}, "x"), amis::core::OgcError);
  const auto token = amis::auth::new_token();
  const auto id = accounts.add_token("editor1", amis::auth::token_digest(token), "laptop");
  EXPECT_THROW(accounts.add_token("nobody", "d", ""), amis::core::NotFound);

  const amis::auth::Authenticator authenticator(accounts, "");
  amis::http::Request request;
  EXPECT_FALSE(authenticator.authenticate(request));  // anonymous
  request.headers["authorization"] = "Bearer " + token;
  const auto who = authenticator.authenticate(request);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->user, "editor1");
  EXPECT_EQ(who->country, "VNM");
  EXPECT_THROW(authenticator.require(request, {amis::auth::Role::Admin}, "this"), amis::core::Forbidden);
  // HTTP Basic (QGIS): the account's name and one of its tokens as the password
  request.headers["authorization"] = "Basic " + base64("editor1:" + token);
  ASSERT_TRUE(authenticator.authenticate(request));
  EXPECT_EQ(authenticator.authenticate(request)->user, "editor1");
  request.headers["authorization"] = "basic " + base64("editor1:" + token);  // schemes are case-insensitive
  EXPECT_EQ(authenticator.authenticate(request)->country, "VNM");
  for (const auto& wrong : {base64("editor2:" + token), base64("editor1:0123456789"), base64("editor1" + token),
                            base64(":" + token), std::string("not base64!"), std::string()}) {
    request.headers["authorization"] = "Basic " + wrong;
    EXPECT_THROW(authenticator.authenticate(request), amis::core::Unauthorized) << wrong;
  }
  request.headers["authorization"] = "Bearer " + token;
  accounts.set_disabled("editor1", true);
  EXPECT_THROW(authenticator.authenticate(request), amis::core::Unauthorized);
  accounts.set_disabled("editor1", false);
  EXPECT_TRUE(accounts.revoke_token(id));
  EXPECT_FALSE(accounts.revoke_token(id));
  EXPECT_THROW(authenticator.authenticate(request), amis::core::Unauthorized);
  request.headers["authorization"] = "Basic " + base64("editor1:" + token);  // the revoked token
  EXPECT_THROW(authenticator.authenticate(request), amis::core::Unauthorized);
  request.headers["authorization"] = "Basic ZWRpdG9yMTowMTIzNDU2Nzg5";  // editor1:0123456789, the password
  EXPECT_THROW(authenticator.authenticate(request), amis::core::Unauthorized);
}

}  // namespace
