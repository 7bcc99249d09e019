# Configures SOURCE_DIR afresh in WORK_DIR with the default preset (as a reader
# would, only in another folder), asks Ninja (MAKE_PROGRAM) which compile commands
# building TARGET would run, and fails if any compiles a source outside the
# ALLOWED folders (a regex of paths relative to SOURCE_DIR).
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(
  COMMAND ${CMAKE_COMMAND} --preset default -S ${SOURCE_DIR} -B ${WORK_DIR}
  WORKING_DIRECTORY ${SOURCE_DIR}
  OUTPUT_QUIET RESULT_VARIABLE configured)
if(NOT configured EQUAL 0)
  message(FATAL_ERROR "configuring a fresh build directory failed")
endif()
execute_process(COMMAND ${MAKE_PROGRAM} -C ${WORK_DIR} -t commands ${TARGET}
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
