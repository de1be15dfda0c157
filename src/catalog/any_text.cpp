#include "catalog/any_text.hpp"

#include <algorithm>
#include <cctype>

namespace amis::catalog {
namespace {

using core::Expression;

Expression casei(Expression e) { return Expression::op("casei", {std::move(e)}); }

Expression string_literal(std::string text) {
  Expression e;
  e.kind = Expression::Kind::String;
  e.text = std::move(text);
  return e;
}

// '%word%' with LIKE's own characters escaped by a backslash.
std::string contains_pattern(std::string_view word) {
  std::string out = "%";
  for (char c : word) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

}  // namespace

core::Expression any_text_condition(std::string_view word) {
  std::vector<Expression> any;
  for (auto field : kAnyTextFields)
    any.push_back(Expression::op("like", {casei(Expression::property(std::string(field))),
                                          casei(string_literal(contains_pattern(word)))}));
  return Expression::op("or", std::move(any));
}

std::vector<std::string> any_text_index_parts(std::string_view word) {
  constexpr std::size_t kShortest = 3;  // shorter parts are inside too many index words to help
  std::vector<std::string> out;
  std::string part;
  auto flush = [&] {
    const bool digits = std::ranges::all_of(part, [](char c) { return c >= '0' && c <= '9'; });
    if (part.size() >= kShortest && !digits && std::ranges::find(out, part) == out.end()) out.push_back(part);
    part.clear();
  };
  for (char c : word) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80 && std::isalnum(u)) part += static_cast<char>(std::tolower(u));
    else flush();
  }
  flush();
  return out;
}

}  // namespace amis::catalog
