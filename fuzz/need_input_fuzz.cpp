// What the needs register reads from a client (issue 18): the JSON bodies of a
// submission, a triage and a comment. Only InvalidValue and ParsingFailed may come
// out; what is read stays within its bounds; the CSV line of a need made of the
// read text never starts a cell with a formula character.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/needs/needs_documents.hpp"
#include "core/error.hpp"
#include "needs/need_input.hpp"

namespace {

void check_row(const amis::core::Need& need) {
  const auto row = amis::api::needs::need_csv_row(need);
  if (row.size() < 2 || row.substr(row.size() - 2) != "\r\n") std::abort();
  // Every cell that follows a separator outside quotes (the line's CRLF aside): none
  // may begin a formula.
  const std::string_view line(row.data(), row.size() - 2);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') quoted = !quoted;
    if (!quoted && c == ',') {
      std::size_t j = i + 1;
      if (j < line.size() && line[j] == '"') ++j;
      if (j < line.size() && std::string_view("=+@\t\r").find(line[j]) != std::string_view::npos) std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto body = nlohmann::json::parse(text, nullptr, false);
  if (body.is_discarded()) return 0;
  try {
    const auto s = amis::needs::read_submission(body);
    if (s.title.size() < 3 || s.title.size() > amis::needs::kMaxTitle) std::abort();
    if (s.description.size() > amis::needs::kMaxText || s.collection.size() > amis::needs::kMaxName) std::abort();
    if (s.feature && (*s.feature < 0 || s.collection.empty())) std::abort();
    amis::core::Need need;
    need.kind = s.kind;
    need.title = s.title;
    need.description = s.description;
    need.collection = s.collection;
    need.feature = s.feature;
    need.country = s.country;
    check_row(need);
  } catch (const amis::core::InvalidValue&) {
  } catch (const amis::core::ParsingFailed&) {
  }
  try {
    const auto t = amis::needs::read_triage(body);
    if (!t.status && !t.priority && !t.assignee && !t.resolution) std::abort();
    if (t.resolution && t.resolution->size() > amis::needs::kMaxText) std::abort();
  } catch (const amis::core::InvalidValue&) {
  } catch (const amis::core::ParsingFailed&) {
  }
  try {
    const auto c = amis::needs::read_comment(body);
    if (c.empty() || c.size() > amis::needs::kMaxText) std::abort();
  } catch (const amis::core::InvalidValue&) {
  } catch (const amis::core::ParsingFailed&) {
  }
  return 0;
}
