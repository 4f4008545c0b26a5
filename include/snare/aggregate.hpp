// Includes HyperTrace's and DTrace's aggregations in library form: count, sum, min, max,
// avg, quantize and lquantize keyed by tuples, printed as DTrace prints them
// (docs/aggregations.md).
#pragma once

#include <snare/aggregate/aggregation.hpp>
#include <snare/aggregate/key.hpp>
#include <snare/aggregate/lquantize.hpp>
#include <snare/aggregate/quantize.hpp>
#include <snare/aggregate/scalar.hpp>
