// GrowingBuffer against std::string: the same protozero messages, nested ones
// included (their length is written after their content, and the room reserved
// for it is erased), come out byte for byte the same, however often the buffer grew.
#include "encode/growing_buffer.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include <protozero/basic_pbf_writer.hpp>
#include <protozero/pbf_writer.hpp>

namespace {

template <typename Buffer>
void write_messages(Buffer& out, std::uint32_t seed) {
  std::mt19937 random(seed);
  protozero::basic_pbf_writer<Buffer> top(out);
  for (int i = 0; i < 3000; ++i) {
    protozero::basic_pbf_writer<Buffer> nested(top, 2);
    nested.add_uint64(1, random());
    const std::string text(random() % 300, static_cast<char>('a' + i % 26));
    nested.add_string(3, text);
    if (i % 7 == 0) nested.rollback();  // an abandoned message leaves nothing behind
  }
  top.add_bytes_vectored(4, std::string("head"), std::string(70000, 'x'), std::string("tail"));
}

TEST(GrowingBuffer, WritesWhatAStringWrites) {
  std::string expected;
  write_messages(expected, 20261207);
  amis::encode::GrowingBuffer buffer;
  write_messages(buffer, 20261207);
  ASSERT_EQ(buffer.size(), expected.size());
  EXPECT_TRUE(buffer.view() == expected);
}

TEST(GrowingBuffer, KeepsItsBytesAcrossGrowthAndErases) {
  amis::encode::GrowingBuffer buffer;
  std::string model;
  for (int i = 0; i < 20000; ++i) {
    const std::string piece = std::to_string(i) + ",";
    buffer.append(piece.data(), piece.size());
    model += piece;
  }
  buffer.erase(10, 5000);
  model.erase(10, 4990);
  buffer.push_back('!');
  model.push_back('!');
  buffer.append_zeros(3);
  model.append(3, '\0');
  EXPECT_TRUE(buffer.view() == model);
  buffer.clear();
  EXPECT_TRUE(buffer.empty());
}

}  // namespace
