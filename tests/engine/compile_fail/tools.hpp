// Defines the tools of the capability compile-fail tests and their positive control.
#pragma once

#include <snare/sys/x86_64.hpp>
#include <snare/tracer.hpp>

#include "../mock_backend.hpp"

struct injecting_tool {
  long got = 0;
  void on(snare::sys::getpid, auto& g) {
    auto r = g.inject(snare::sys::gettid{});
    got = r ? *r : -1;
  }
};

struct exit_tool {
  long on_exit(snare::sys::getpid, long ret, auto&) { return ret + 1; }
};
