# ptut_warnings(<target>): the project's warning set on one target.
# -Wpedantic keeps the code to ISO C++; -Wconversion is left out on purpose: the
# chapters mix sizes and counts, and the casts it demands would bury the idea.
function(ptut_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow)
  if(PTUT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
