#pragma once
// How much map drawing the process takes on at once. A 4096 x 4096 map holds
// hundreds of MB while it is drawn: sixteen at once took 3.8 GB and went on for
// two minutes after their clients had left. Every map image (WMS GetMap, map
// tiles, WMTS) is drawn, and every vector tile built, inside a slot of the one gate
// (a tile from the cache takes none); a request waits for a slot
// a little while in a queue of bounded length, and is otherwise turned away with
// 503 and Retry-After (core::ServiceBusy).
//
// One gate per process, on purpose: what it shares out is the process's memory and
// cores, which every service draws with. The composition root sets its limits
// (configure_render_gate) before serving; until then it has the defaults.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <utility>

namespace amis::render {

struct RenderLimits {
  int max_concurrent = 0;       // maps drawn at once; 0: one per core
  int max_queued = 0;           // requests waiting for a slot; 0: four per slot (a browser asks
                                // for six tiles at once)
  double max_wait_seconds = 5;  // how long one waits before it is turned away
  int layer_limit = 32;         // layers in one map (WMS LayerLimit)
};

class RenderGate {
 public:
  explicit RenderGate(RenderLimits limits);

  // A slot held until destroyed.
  class Slot {
   public:
    explicit Slot(RenderGate& gate) : gate_(&gate) {}
    Slot(Slot&& other) noexcept : gate_(std::exchange(other.gate_, nullptr)) {}
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;

   private:
    RenderGate* gate_;
  };

  // Waits for a slot. @throws core::ServiceBusy when the queue is full or no slot
  // came free in time; core::DeadlineExceeded or core::ClientDisconnected when the
  // request's budget ran out while it waited.
  [[nodiscard]] Slot enter();

  const RenderLimits& limits() const { return limits_; }
  void set_limits(RenderLimits limits);

 private:
  void leave();

  std::mutex mutex_;
  std::condition_variable freed_;
  RenderLimits limits_;
  int drawing_ = 0;
  int waiting_ = 0;
};

// The process's gate.
RenderGate& render_gate();
// Sets its limits (0 for max_concurrent and max_queued: the defaults from the cores).
void configure_render_gate(const RenderLimits& limits);

}  // namespace amis::render
