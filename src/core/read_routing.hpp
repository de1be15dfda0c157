#pragma once
// Whether the reads of the current request may go to a read replica (issue 14).
// A replica replays the primary's changes with a delay, so only a request that
// cannot have written anything may read from one: the composition root allows it
// for anonymous GET/HEAD requests. A signed-in caller (an editor, a reviewer, a
// token) reads from the primary and so always sees its own writes, whichever node
// it reaches; so does work outside a request (the CLI, background jobs).
namespace amis::core {

class ReplicaReads {
 public:
  // Allows (or not) replica reads for the work this thread does until destroyed.
  explicit ReplicaReads(bool allowed) noexcept;
  ~ReplicaReads();
  ReplicaReads(const ReplicaReads&) = delete;
  ReplicaReads& operator=(const ReplicaReads&) = delete;

  // False without a ReplicaReads on this thread.
  static bool allowed() noexcept;

 private:
  bool previous_;
};

}  // namespace amis::core
