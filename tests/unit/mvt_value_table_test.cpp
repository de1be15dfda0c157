// The layer's value table against a std::map of the same messages: each distinct
// message gets the index of its first use, and the layer's field 4 lists them in
// that order, read back with protozero's reader.
#include "encode/mvt_value_table.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include <protozero/pbf_reader.hpp>

namespace {

TEST(MvtValueTable, NumbersDistinctMessagesInOrderOfFirstUse) {
  amis::encode::MvtValueTable table;
  std::map<std::string, std::uint32_t> expected;
  std::vector<std::string> in_order;
  std::mt19937 random(20261205);
  // 50,000 draws from 20,000 messages of 0 to 40 bytes, some with NUL bytes, so the
  // table grows many times and most messages come back.
  for (int i = 0; i < 50'000; ++i) {
    const auto n = random() % 20'000;
    std::string message(n % 41, static_cast<char>(n % 7));
    message += std::to_string(n);
    const auto [it, inserted] = expected.try_emplace(message, static_cast<std::uint32_t>(in_order.size()));
    if (inserted) in_order.push_back(message);
    ASSERT_EQ(table.index_of(message), it->second) << i;
  }
  EXPECT_EQ(table.size(), in_order.size());
  const auto layer_fields = table.as_layer_fields();
  protozero::pbf_reader fields(layer_fields.data(), layer_fields.size());
  std::size_t k = 0;
  while (fields.next()) {
    ASSERT_EQ(fields.tag(), 4u);
    ASSERT_LT(k, in_order.size());
    EXPECT_EQ(fields.get_string(), in_order[k]) << k;
    ++k;
  }
  EXPECT_EQ(k, in_order.size());
}

TEST(MvtValueTable, LooksUpABatchAsOneAtATime) {
  // Batches longer than the prefetch batch (32), with repeats inside a batch and across
  // batches, give the indexes that index_of() gives one message after the other.
  amis::encode::MvtValueTable batched, single;
  std::mt19937 random(20261207);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> messages;
    for (int i = 0; i < 75; ++i) messages.push_back("v" + std::to_string(random() % 3000));
    const std::vector<std::string_view> views(messages.begin(), messages.end());
    std::vector<std::uint32_t> got(views.size());
    batched.indexes_of(views, got.data());
    for (std::size_t i = 0; i < views.size(); ++i) ASSERT_EQ(got[i], single.index_of(views[i])) << round << " " << i;
  }
  EXPECT_EQ(batched.size(), single.size());
  EXPECT_EQ(batched.as_layer_fields(), single.as_layer_fields());
}

TEST(MvtValueTable, TellsAnEmptyMessageFromItsAbsence) {
  amis::encode::MvtValueTable table;
  EXPECT_EQ(table.index_of(""), 0u);
  EXPECT_EQ(table.index_of(std::string(1, '\0')), 1u);
  EXPECT_EQ(table.index_of(""), 0u);
  EXPECT_EQ(table.size(), 2u);
}

}  // namespace
