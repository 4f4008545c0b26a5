// Defines snare::aggregate::aggregation: DTrace's @name[keys] = function(args), a map from
// key tuples to one aggregating function each (count, sum, min, max, avg, quantize,
// lquantize), merged, sorted and printed as DTrace's printa(@name) prints it.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdio>
#include <map>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <snare/aggregate/key.hpp>

namespace snare::aggregate {

/// Satisfied by an aggregating function: merged with another partial result, ordered
/// against another (<0, 0, >0) and printed after its key (scalar.hpp, quantize.hpp,
/// lquantize.hpp are the models).
template <class F>
concept aggregating_function = std::copy_constructible<F> && requires(F& f, const F& c, std::string& out) {
  f.merge(c);
  { c.compare(c) } -> std::convertible_to<int>;
  c.append_to(out);
};

/// The order of the printed entries: DTrace's default (by value, ties by key) or its
/// `aggsortkey` option (by key).
enum class order { by_value, by_key };

/// One aggregation: a map from `std::tuple<Keys...>` to a Function. An entry starts as a
/// copy of the prototype (a default Function, or the one given: lquantize needs its
/// bounds) on its first use. Default-constructible when Function is, or when a member
/// initializer gives the prototype, so it can live in a tool's global_state:
///   struct global_state { aggregation<quantize, std::string> latency; };
///   g.global().call([&](auto& s) { s.latency(name).add(ns); });
/// Not thread-safe (handlers that reach global state run one at a time).
template <aggregating_function Function, key_column... Keys>
class aggregation {
 public:
  using key_type = std::tuple<Keys...>;
  using function_type = Function;
  using map_type = std::map<key_type, Function, key_less>;

  // User-provided, not defaulted: GCC 12 leaves the members' constructors of a constrained
  // defaulted constructor undefined at link time in some translation units.
  aggregation() requires std::default_initializable<Function> : prototype_() {}
  explicit aggregation(Function prototype) : prototype_(std::move(prototype)) {}

  /// Returns the entry of the key made of `keys` (D's @name[keys]), made on first use.
  template <class... K>
  requires(sizeof...(K) == sizeof...(Keys)) Function& operator()(K&&... keys) {
    return (*this)[key_type(std::forward<K>(keys)...)];
  }
  /// Returns the entry of `key`, made on first use.
  Function& operator[](const key_type& key) { return entries_.try_emplace(key, prototype_).first->second; }
  Function& operator[](key_type&& key) {
    return entries_.try_emplace(std::move(key), prototype_).first->second;
  }
  /// Returns the entry of `key`, or nullptr when it has none.
  const Function* find(const key_type& key) const {
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : &it->second;
  }

  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }
  void clear() noexcept { entries_.clear(); }
  /// Iterates over the entries in key order.
  typename map_type::const_iterator begin() const noexcept { return entries_.begin(); }
  typename map_type::const_iterator end() const noexcept { return entries_.end(); }

  /// Folds `other` into this aggregation, entry by entry (what DTrace does with its
  /// per-CPU buffers). Returns false when an entry could not be merged (an lquantize with
  /// other bounds); the others are merged all the same.
  bool merge(const aggregation& other) {
    bool all = true;
    for (const auto& [key, f] : other.entries_) {
      auto [it, made] = entries_.try_emplace(key, f);
      if (made) continue;
      if constexpr (std::is_same_v<decltype(it->second.merge(f)), bool>)
        all = it->second.merge(f) && all;
      else
        it->second.merge(f);
    }
    return all;
  }

  /// Returns the entries in printing order: by_value sorts by the function's value (ties
  /// by key), as DTrace's printa does unless `aggsortkey` is set; by_key by key.
  std::vector<typename map_type::const_pointer> sorted(order o = order::by_value) const {
    std::vector<typename map_type::const_pointer> v;
    v.reserve(entries_.size());
    for (const auto& e : entries_) v.push_back(&e);
    if (o == order::by_value)  // stable: ties stay in key order
      std::stable_sort(v.begin(), v.end(), [](auto* a, auto* b) { return a->second.compare(b->second) < 0; });
    return v;
  }

  /// Appends the aggregation as printa(@name) prints it: a blank line, then one line per
  /// entry (its key columns, then its value: " %16lld" for a scalar, a histogram after a
  /// line break for quantize and lquantize, followed by a blank line).
  void append_to(std::string& out, order o = order::by_value) const {
    out += '\n';
    for (auto* e : sorted(o)) {
      append_key(out, e->first);
      e->second.append_to(out);
      out += '\n';
    }
  }
  /// Returns the text append_to makes.
  std::string to_string(order o = order::by_value) const {
    std::string s;
    append_to(s, o);
    return s;
  }
  /// Writes the text append_to makes to `f`; returns false when the write failed.
  bool print(std::FILE* f, order o = order::by_value) const {
    std::string s = to_string(o);
    return std::fwrite(s.data(), 1, s.size(), f) == s.size();
  }

 private:
  Function prototype_;
  map_type entries_;
};

}  // namespace snare::aggregate
