#include "core/read_routing.hpp"

namespace amis::core {
namespace {
thread_local bool replica_reads_allowed = false;
}  // namespace

ReplicaReads::ReplicaReads(bool allowed) noexcept : previous_(replica_reads_allowed) {
  replica_reads_allowed = allowed;
}

ReplicaReads::~ReplicaReads() { replica_reads_allowed = previous_; }

bool ReplicaReads::allowed() noexcept { return replica_reads_allowed; }

}  // namespace amis::core
