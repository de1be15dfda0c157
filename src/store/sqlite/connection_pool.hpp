#pragma once
// Idle connections to one database file, reused by the requests that read it: a
// lease takes one (opening a new one when none is idle) and gives it back when it
// goes out of scope. Each connection serves one thread at a time.
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "store/sqlite/database.hpp"

namespace amis::store::sqlite {

class ConnectionPool {
 public:
  using Opener = std::function<std::unique_ptr<Database>()>;
  explicit ConnectionPool(Opener open) : open_(std::move(open)) {}

  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Database> db) : pool_(pool), db_(std::move(db)) {}
    ~Lease() { pool_.give_back(std::move(db_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Database* operator->() { return db_.get(); }
    Database& operator*() { return *db_; }

   private:
    ConnectionPool& pool_;
    std::unique_ptr<Database> db_;
  };

  Lease lease() { return Lease(*this, take()); }

  // An idle connection, or a new one: for a holder that keeps it long (a writer),
  // which gives it back when done.
  std::unique_ptr<Database> take() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        auto db = std::move(idle_.back());
        idle_.pop_back();
        return db;
      }
    }
    return open_();
  }

  void give_back(std::unique_ptr<Database> db) {
    if (!db) return;
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(db));
  }

 private:
  Opener open_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Database>> idle_;
};

}  // namespace amis::store::sqlite
