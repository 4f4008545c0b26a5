# Defines a CTest driver (cmake -P) that runs commands one after another and fails at the
# first that fails, printing its output. Arguments, each -D<NAME>=<value>:
#   STEP_<n>   (n = 1..N) a command, as a ;-separated list written with | between words
#   CLEAN      a folder to delete before the first step (for a fresh configure)
#   EXPECT_FILES  |-separated files that must exist after the steps
#   FORBID_GLOB   |-separated globs that must match nothing after the steps
cmake_minimum_required(VERSION 3.25)

if(DEFINED CLEAN AND NOT CLEAN STREQUAL "")
  file(REMOVE_RECURSE "${CLEAN}")
endif()

foreach(n RANGE 1 20)
  if(NOT DEFINED STEP_${n})
    continue()
  endif()
  string(REPLACE "|" ";" _cmd "${STEP_${n}}")
  list(JOIN _cmd " " _shown)
  message(STATUS "step ${n}: ${_shown}")
  execute_process(COMMAND ${_cmd} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(NOT _rc EQUAL 0)
    message("${_out}")
    message(FATAL_ERROR "step ${n} failed (${_rc}): ${_shown}")
  endif()
  # Show short outputs (the program under test); configure logs stay quiet unless failing.
  string(STRIP "${_out}" _out)
  string(LENGTH "${_out}" _len)
  if(_len GREATER 0 AND _len LESS 2000)
    message(STATUS "  ${_out}")
  endif()
endforeach()

if(DEFINED EXPECT_FILES)
  string(REPLACE "|" ";" _files "${EXPECT_FILES}")
  foreach(_f IN LISTS _files)
    if(NOT EXISTS "${_f}")
      message(FATAL_ERROR "expected file missing: ${_f}")
    endif()
  endforeach()
endif()
if(DEFINED FORBID_GLOB)
  string(REPLACE "|" ";" _globs "${FORBID_GLOB}")
  foreach(_g IN LISTS _globs)
    file(GLOB_RECURSE _found "${_g}")
    if(_found)
      message(FATAL_ERROR "unexpected files: ${_found}")
    endif()
  endforeach()
endif()
