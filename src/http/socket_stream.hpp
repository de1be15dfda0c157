#pragma once
// A blocking socket with receive and send timeouts, in the shape Beast's
// synchronous algorithms expect (SyncReadStream / SyncWriteStream). Asio's own
// blocking sockets wait forever on a silent peer; this one gives up.
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>

namespace amis::http {

class SocketStream {
 public:
  SocketStream(int fd, int timeout_seconds);
  ~SocketStream() { ::close(fd_); }
  SocketStream(const SocketStream&) = delete;
  SocketStream& operator=(const SocketStream&) = delete;

  int fd() const { return fd_; }
  // Waits up to `seconds` for bytes to read; false on timeout or hang-up.
  bool wait_readable(int seconds) const;

  template <class MutableBufferSequence>
  std::size_t read_some(const MutableBufferSequence& buffers, boost::system::error_code& ec) {
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      boost::asio::mutable_buffer b = *it;
      if (b.size() == 0) continue;
      for (;;) {
        const ssize_t n = ::recv(fd_, b.data(), b.size(), 0);
        if (n > 0) { ec = {}; return static_cast<std::size_t>(n); }
        if (n == 0) { ec = boost::asio::error::eof; return 0; }
        if (errno == EINTR) continue;
        ec = errno == EAGAIN || errno == EWOULDBLOCK ? boost::asio::error::timed_out
                                                      : boost::system::error_code(errno, boost::system::system_category());
        return 0;
      }
    }
    ec = {};
    return 0;
  }

  template <class MutableBufferSequence>
  std::size_t read_some(const MutableBufferSequence& buffers) {
    boost::system::error_code ec;
    const auto n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

  template <class ConstBufferSequence>
  std::size_t write_some(const ConstBufferSequence& buffers, boost::system::error_code& ec) {
    iovec iov[16];
    int count = 0;
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers) && count < 16; ++it) {
      boost::asio::const_buffer b = *it;
      if (b.size() == 0) continue;
      iov[count].iov_base = const_cast<void*>(b.data());
      iov[count].iov_len = b.size();
      ++count;
    }
    if (count == 0) { ec = {}; return 0; }
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = static_cast<size_t>(count);
    for (;;) {
      const ssize_t n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);
      if (n >= 0) { ec = {}; return static_cast<std::size_t>(n); }
      if (errno == EINTR) continue;
      ec = errno == EAGAIN || errno == EWOULDBLOCK ? boost::asio::error::timed_out
                                                    : boost::system::error_code(errno, boost::system::system_category());
      return 0;
    }
  }

  template <class ConstBufferSequence>
  std::size_t write_some(const ConstBufferSequence& buffers) {
    boost::system::error_code ec;
    const auto n = write_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

 private:
  int fd_;
};

}  // namespace amis::http
