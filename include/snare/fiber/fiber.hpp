// Defines the fibers guest threads' handlers run on: a pool of stacks and snare::fiber::worker,
// a Boost.Context fiber that runs one handler job at a time and may suspend inside it
// (waiting for an injected syscall) while the tracer serves other threads.
#pragma once

#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <boost/context/stack_context.hpp>

#include <cstddef>
#include <exception>
#include <memory>
#include <utility>
#include <vector>

#include <snare/config.hpp>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define SNARE_DETAIL_FIBER_ASAN 1
#endif

namespace snare::fiber {

/// A pool of fiber stacks of one size (with a guard page), reused across guest threads so a
/// thread start costs no mmap once the pool is warm. Not thread-safe: one per tracer.
class stack_pool {
 public:
  explicit stack_pool(std::size_t size = SNARE_FIBER_STACK_SIZE) : alloc_(size) {}
  stack_pool(const stack_pool&) = delete;
  stack_pool& operator=(const stack_pool&) = delete;
  ~stack_pool() {
    for (auto& s : free_) alloc_.deallocate(s);
  }

  /// Returns a stack from the pool, or a new one.
  boost::context::stack_context allocate() {
    if (!free_.empty()) {
      auto s = free_.back();
      free_.pop_back();
      return s;
    }
    return alloc_.allocate();
  }
  /// Gives a stack back to the pool.
  void deallocate(boost::context::stack_context& s) noexcept {
    try {
      free_.push_back(s);
    } catch (...) {
      alloc_.deallocate(s);
    }
  }
  /// Returns how many stacks wait in the pool.
  std::size_t idle() const noexcept { return free_.size(); }

 private:
  boost::context::protected_fixedsize_stack alloc_;
  std::vector<boost::context::stack_context> free_;
};

/// The StackAllocator handed to Boost.Context: a reference to a stack_pool.
class pooled_allocator {
 public:
  /// Allocates from `p`; records the stack taken in `*taken` when not null.
  explicit pooled_allocator(stack_pool& p, boost::context::stack_context* taken = nullptr) noexcept
      : pool_(&p), taken_(taken) {}
  boost::context::stack_context allocate() {
    auto s = pool_->allocate();
    if (taken_) *taken_ = s;
    return s;
  }
  void deallocate(boost::context::stack_context& s) noexcept { pool_->deallocate(s); }

 private:
  stack_pool* pool_;
  boost::context::stack_context* taken_;
};

/// One fiber that runs jobs (a function and its context) one at a time. A job may call
/// suspend() to give control back to the tracer; resume() continues it. An exception that
/// leaves a job is caught at the fiber's edge and rethrown by run()/resume() on the
/// caller's stack. The object must not move while its fiber exists.
class worker {
 public:
  using job_fn = void (*)(void*);

  explicit worker(stack_pool& pool) noexcept : pool_(&pool) {}
  worker(const worker&) = delete;
  worker& operator=(const worker&) = delete;
  /// Ends the fiber. An idle fiber returns from its loop; a job still suspended is unwound
  /// by Boost.Context (forced_unwind), so engines finish every job before (a job suspended
  /// in a noexcept function would terminate).
  ~worker() {
    if (self_ && !busy_) {
      stopping_ = true;
      try {
        switch_in();
      } catch (...) {
      }
    }
  }

  /// Starts `fn(ctx)` on the fiber (created on first use) and returns when it finishes or
  /// suspends. Must not be called while busy().
  void run(job_fn fn, void* ctx) {
    fn_ = fn;
    ctx_ = ctx;
    busy_ = true;
    if (!self_) {
      self_ =
          boost::context::fiber(std::allocator_arg, pooled_allocator(*pool_, &stack_),
                                [this](boost::context::fiber&& caller) { return body(std::move(caller)); });
    }
    switch_in();
  }
  /// Continues a suspended job; returns when it finishes or suspends again.
  void resume() { switch_in(); }
  /// From inside a job: gives control back to the caller of run()/resume(). Throws
  /// forced_unwind only when the worker is destroyed with the job suspended.
  void suspend() {
#ifdef SNARE_DETAIL_FIBER_ASAN
    void* fake = nullptr;
    __sanitizer_start_switch_fiber(&fake, caller_bottom_, caller_size_);
#endif
    caller_ = std::move(caller_).resume();
#ifdef SNARE_DETAIL_FIBER_ASAN
    __sanitizer_finish_switch_fiber(fake, &caller_bottom_, &caller_size_);
#endif
  }
  /// Returns whether a job is started and not finished (it is suspended).
  bool busy() const noexcept { return busy_; }
  /// Returns whether the caller runs on this fiber now (inside its job): only then may it
  /// suspend(). A job that is busy() but suspended is not running.
  bool running() const noexcept { return inside_ && busy_; }
  /// Returns whether the fiber exists (its stack is taken from the pool).
  bool started() const noexcept { return static_cast<bool>(self_); }

 private:
  boost::context::fiber body(boost::context::fiber&& caller) {
#ifdef SNARE_DETAIL_FIBER_ASAN
    __sanitizer_finish_switch_fiber(nullptr, &caller_bottom_, &caller_size_);
#endif
    caller_ = std::move(caller);
    for (;;) {
      try {
        fn_(ctx_);
      } catch (const boost::context::detail::forced_unwind&) {
        throw;
      } catch (...) {
        error_ = std::current_exception();
      }
      busy_ = false;
      suspend();
      if (stopping_) {
#ifdef SNARE_DETAIL_FIBER_ASAN
        // This fiber ends: no fake stack to keep (nullptr).
        __sanitizer_start_switch_fiber(nullptr, caller_bottom_, caller_size_);
#endif
        return std::move(caller_);
      }
    }
  }
  void switch_in() {
#ifdef SNARE_DETAIL_FIBER_ASAN
    void* fake = nullptr;
    __sanitizer_start_switch_fiber(&fake, static_cast<char*>(stack_.sp) - stack_.size, stack_.size);
#endif
    inside_ = true;
    self_ = std::move(self_).resume();
    inside_ = false;
#ifdef SNARE_DETAIL_FIBER_ASAN
    __sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#endif
    if (error_) {
      auto e = std::exchange(error_, nullptr);
      std::rethrow_exception(e);
    }
  }

  stack_pool* pool_;
  boost::context::stack_context stack_{};
  boost::context::fiber self_;
  boost::context::fiber caller_;
  job_fn fn_ = nullptr;
  void* ctx_ = nullptr;
  bool busy_ = false;
  bool inside_ = false;  // between switching into the fiber and coming back
  bool stopping_ = false;
  std::exception_ptr error_;
#ifdef SNARE_DETAIL_FIBER_ASAN
  const void* caller_bottom_ = nullptr;
  std::size_t caller_size_ = 0;
#endif
};

}  // namespace snare::fiber
