// Defines the version of snare: the one place it lives (CMake and Conan parse the three
// SNARE_VERSION_* lines below).
#pragma once

#define SNARE_VERSION_MAJOR 0
#define SNARE_VERSION_MINOR 1
#define SNARE_VERSION_PATCH 0

/// The version as one integer: major * 10000 + minor * 100 + patch.
#define SNARE_VERSION (SNARE_VERSION_MAJOR * 10000 + SNARE_VERSION_MINOR * 100 + SNARE_VERSION_PATCH)

#define SNARE_DETAIL_STRINGIFY_(x) #x
#define SNARE_DETAIL_STRINGIFY(x) SNARE_DETAIL_STRINGIFY_(x)

/// The version as a string literal, "major.minor.patch".
#define SNARE_VERSION_STRING                  \
  SNARE_DETAIL_STRINGIFY(SNARE_VERSION_MAJOR) \
  "." SNARE_DETAIL_STRINGIFY(SNARE_VERSION_MINOR) "." SNARE_DETAIL_STRINGIFY(SNARE_VERSION_PATCH)

namespace snare {

/// The version snare was built with, as "major.minor.patch".
inline constexpr const char* version_string = SNARE_VERSION_STRING;

/// Returns the version snare was built with as one integer (see SNARE_VERSION).
constexpr int version() noexcept { return SNARE_VERSION; }

}  // namespace snare
