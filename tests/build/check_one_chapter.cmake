# Configures SOURCE_DIR afresh in WORK_DIR (no tests, no docs), asks Ninja which
# compile commands building TARGET would run, and fails if any compiles a source
# outside the ALLOWED folders (a regex of paths relative to SOURCE_DIR).
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR} -G Ninja
          -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPTUT_TESTS=OFF -DPTUT_DOCS=OFF
  OUTPUT_QUIET RESULT_VARIABLE configured)
if(NOT configured EQUAL 0)
  message(FATAL_ERROR "configuring a fresh build directory failed")
endif()
execute_process(COMMAND ninja -C ${WORK_DIR} -t commands ${TARGET}
  OUTPUT_VARIABLE commands RESULT_VARIABLE listed)
if(NOT listed EQUAL 0)
  message(FATAL_ERROR "ninja does not know the target ${TARGET}")
endif()
string(REPLACE "\n" ";" commands "${commands}")
set(compiled 0)
foreach(command IN LISTS commands)
  if(command MATCHES " -c ([^ ]+)$")
    file(RELATIVE_PATH source ${SOURCE_DIR} ${CMAKE_MATCH_1})
    math(EXPR compiled "${compiled} + 1")
    if(NOT source MATCHES "^(${ALLOWED})")
      message(SEND_ERROR "building ${TARGET} also compiles ${source}")
    endif()
  endif()
endforeach()
if(compiled EQUAL 0)
  message(FATAL_ERROR "found no compile command for ${TARGET}: the check itself is broken")
endif()
message(STATUS "${TARGET}: ${compiled} sources, all under ${ALLOWED}")
file(REMOVE_RECURSE ${WORK_DIR})
