#pragma once
// A byte buffer that grows with realloc(), for protozero writers whose output
// reaches tens of megabytes (a z5 vector tile's features and values). glibc
// grows a large block by remapping its pages (mremap): the bytes already written
// are neither copied nor touched again, where std::string would allocate twice the
// size, copy everything and fault every page in once more at each doubling.
#include <cstddef>
#include <string_view>

#include <protozero/buffer_tmpl.hpp>

namespace amis::encode {

class GrowingBuffer {
 public:
  GrowingBuffer() = default;
  GrowingBuffer(const GrowingBuffer&) = delete;
  GrowingBuffer& operator=(const GrowingBuffer&) = delete;
  ~GrowingBuffer();

  const char* data() const { return data_; }
  char* data() { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data_, size_}; }

  void append(const char* bytes, std::size_t n);
  void append_zeros(std::size_t n);
  void push_back(char c) {
    if (size_ == capacity_) reserve(size_ + 1);
    data_[size_++] = c;
  }
  void shrink_to(std::size_t n) { size_ = n; }  // n <= size()
  void erase(std::size_t from, std::size_t to);
  void clear() { size_ = 0; }
  // Room for at least n bytes in all (doubling, so appends stay amortised O(1)).
  // @throws std::bad_alloc
  void reserve(std::size_t n);

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace amis::encode

namespace protozero {

template <>
struct buffer_customization<amis::encode::GrowingBuffer> {
  using Buffer = amis::encode::GrowingBuffer;
  static std::size_t size(const Buffer* b) noexcept { return b->size(); }
  static void append(Buffer* b, const char* data, std::size_t n) { b->append(data, n); }
  static void append_zeros(Buffer* b, std::size_t n) { b->append_zeros(n); }
  static void resize(Buffer* b, std::size_t n) { b->shrink_to(n); }
  static void reserve_additional(Buffer* b, std::size_t n) { b->reserve(b->size() + n); }
  static void erase_range(Buffer* b, std::size_t from, std::size_t to) { b->erase(from, to); }
  static char* at_pos(Buffer* b, std::size_t pos) { return b->data() + pos; }
  static void push_back(Buffer* b, char c) { b->push_back(c); }
};

}  // namespace protozero
