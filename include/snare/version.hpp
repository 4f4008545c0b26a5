// Defines the version of snare: the one place it lives (CMake and Conan parse it).
#pragma once

#define SNARE_VERSION_MAJOR 0
#define SNARE_VERSION_MINOR 1
#define SNARE_VERSION_PATCH 0

/// The version as one integer: major * 10000 + minor * 100 + patch.
#define SNARE_VERSION (SNARE_VERSION_MAJOR * 10000 + SNARE_VERSION_MINOR * 100 + SNARE_VERSION_PATCH)

namespace snare {
/// Returns the version snare was built with, as "major.minor.patch".
inline constexpr const char* version_string = "0.1.0";
}  // namespace snare
