#include "encode/growing_buffer.hpp"

#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

namespace amis::encode {

GrowingBuffer::~GrowingBuffer() { std::free(data_); }

void GrowingBuffer::reserve(std::size_t n) {
  if (n <= capacity_) return;
  if (n > std::numeric_limits<std::size_t>::max() / 2) throw std::bad_alloc();  // doubling would overflow
  std::size_t capacity = capacity_ < 4096 ? 4096 : capacity_;
  while (capacity < n) capacity *= 2;
  void* grown = std::realloc(data_, capacity);
  if (!grown) throw std::bad_alloc();
  data_ = static_cast<char*>(grown);
  capacity_ = capacity;
}

void GrowingBuffer::append(const char* bytes, std::size_t n) {
  if (n == 0) return;
  reserve(size_ + n);
  std::memcpy(data_ + size_, bytes, n);
  size_ += n;
}

void GrowingBuffer::append_zeros(std::size_t n) {
  if (n == 0) return;
  reserve(size_ + n);
  std::memset(data_ + size_, 0, n);
  size_ += n;
}

void GrowingBuffer::erase(std::size_t from, std::size_t to) {
  std::memmove(data_ + from, data_ + to, size_ - to);
  size_ -= to - from;
}

}  // namespace amis::encode
