// Defines the Catch2 main shared by every test executable (built once).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
