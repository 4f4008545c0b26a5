// Defines the entry point of bench_micro, snare's Google Benchmark microbenchmarks.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
