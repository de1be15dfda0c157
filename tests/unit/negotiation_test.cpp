#include "api/common/negotiation.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

using namespace amis;
using api::Format;

namespace {
http::Request with(const char* f, const char* accept) {
  http::Request r;
  if (f) r.query.emplace_back("f", f);
  if (accept) r.headers["accept"] = accept;
  return r;
}
}  // namespace

TEST(Negotiation, FParameterWins) {
  EXPECT_EQ(api::negotiate(with("html", "application/json")), Format::Html);
  EXPECT_EQ(api::negotiate(with("json", "text/html")), Format::Json);
  EXPECT_THROW(api::negotiate(with("xml", nullptr)), core::NotAcceptable);
}

TEST(Negotiation, AcceptHeaderByQuality) {
  EXPECT_EQ(api::negotiate(with(nullptr, nullptr)), Format::Json);
  EXPECT_EQ(api::negotiate(with(nullptr, "text/html,application/xhtml+xml,*/*;q=0.8")), Format::Html);
  EXPECT_EQ(api::negotiate(with(nullptr, "application/geo+json")), Format::Json);
  EXPECT_EQ(api::negotiate(with(nullptr, "text/html;q=0.5, application/json")), Format::Json);
  EXPECT_THROW(api::negotiate(with(nullptr, "application/xml")), core::NotAcceptable);
}
