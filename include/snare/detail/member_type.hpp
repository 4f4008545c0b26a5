// Defines snare::detail::member_type_or_t: a type's member type, or a default when the type
// declares none (the one pattern behind a tool's state traits and its syscall table).
#pragma once

namespace snare::detail {

/// Holds `Member<T>` (an alias template naming a member type of T) when it names a type,
/// else `Default`.
template <class Default, template <class> class Member, class T>
struct member_type_or {
  using type = Default;
};
template <class Default, template <class> class Member, class T>
requires requires { typename Member<T>; }
struct member_type_or<Default, Member, T> {
  using type = Member<T>;
};

/// `Member<T>` when it names a type, else `Default`.
template <class Default, template <class> class Member, class T>
using member_type_or_t = typename member_type_or<Default, Member, T>::type;

}  // namespace snare::detail
