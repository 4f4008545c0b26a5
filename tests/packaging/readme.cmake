# Builds the README's example tool (the first ```cpp block of README.md, extracted at
# configure time, so the README and the test cannot drift apart) against the headers and
# against the single header, and runs it on real commands.

set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/README.md")
file(READ "${PROJECT_SOURCE_DIR}/README.md" _readme)
string(FIND "${_readme}" "```cpp\n" _begin)
if(_begin EQUAL -1)
  message(FATAL_ERROR "README.md has no ```cpp block: tests/packaging builds the README's example from it")
endif()
math(EXPR _begin "${_begin} + 7")
string(SUBSTRING "${_readme}" ${_begin} -1 _rest)
string(FIND "${_rest}" "```" _end)
string(SUBSTRING "${_rest}" 0 ${_end} _readme_tool)
file(CONFIGURE OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/readme_tool.cpp" CONTENT "${_readme_tool}" @ONLY)

add_executable(packaging_readme_tool "${CMAKE_CURRENT_BINARY_DIR}/readme_tool.cpp")
snare_project_target(packaging_readme_tool)

# What the README says the tool does: log opened files, deny /etc/shadow, report a count.
set(_driver "${CMAKE_CURRENT_SOURCE_DIR}/run_steps.cmake")
function(snare_readme_tests exe suffix)
  add_test(NAME "packaging: the README example${suffix} traces ls / and logs the files it opens"
           COMMAND "${CMAKE_COMMAND}" "-DSTEP_1=$<TARGET_FILE:${exe}>|ls|/"
                   "-DMATCH_1=[0-9]+. open /@@[1-9][0-9]* files opened" -P "${_driver}")
  add_test(NAME "packaging: the README example${suffix} makes /etc/shadow unreadable"
           COMMAND "${CMAKE_COMMAND}" "-DSTEP_1=$<TARGET_FILE:${exe}>|cat|/etc/shadow" -DRC_1=1
                   "-DMATCH_1=Permission denied@@[0-9]+ files opened" -P "${_driver}")
endfunction()
snare_readme_tests(packaging_readme_tool "")

if(SNARE_SINGLE_HEADER)
  add_executable(packaging_readme_tool_single "${CMAKE_CURRENT_BINARY_DIR}/readme_tool.cpp")
  snare_single_header_program(packaging_readme_tool_single)
  snare_readme_tests(packaging_readme_tool_single " (single header)")
endif()
