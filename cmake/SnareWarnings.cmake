# Defines snare_project_target(<target>): warnings as errors and the sanitizer option, for
# snare's own tests, examples and benchmarks only (never on the INTERFACE target).
function(snare_project_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
  target_link_libraries(${target} PRIVATE snare::snare)
  if(SNARE_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
