# Defines snare_add_in_guest_tool(<name> SOURCES ... [LIBS ...]): the shared object of a tool
# for the in_guest backend, built from the tool's own source, whose one source file (or one
# of them) says SNARE_IN_GUEST_TOOL(ToolType) (<snare/backend/in_guest/agent.hpp>). The tracer
# names it in run_options::in_guest_object; the guest preloads it (LD_PRELOAD).
#
# It links libstdc++ and libgcc statically and makes every symbol but the anchor local
# (in_guest_tool.map), so the tool's code, its containers and its malloc family (the private
# heap of agent.hpp) never touch the guest's libstdc++ or heap: see docs/in_guest.md, "Heap".
set(_snare_in_guest_map "${CMAKE_CURRENT_LIST_DIR}/in_guest_tool.map")

function(snare_add_in_guest_tool name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE snare::format ${ARG_LIBS})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON
    LINK_DEPENDS "${_snare_in_guest_map}")
  target_link_options(${name} PRIVATE
    -static-libstdc++ -static-libgcc -Wl,-z,now -Wl,--no-undefined
    "-Wl,--version-script=${_snare_in_guest_map}")
endfunction()
