# Builds the tutorial site from scratch: the pages' program outputs first, then
# the site (Doxygen and docs/finish_site.py, the docs target). Fails on a non-zero
# exit and on any warning printed, since some (an unknown Doxyfile tag, for one)
# leave Doxygen's exit status at 0.
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target docs_outputs
  RESULT_VARIABLE built OUTPUT_VARIABLE build_log ERROR_VARIABLE build_log)
if(NOT built EQUAL 0)
  message(FATAL_ERROR "building the pages' program outputs failed:\n${build_log}")
endif()
file(REMOVE_RECURSE ${DOCS_DIR}/html)
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target docs
  RESULT_VARIABLE status OUTPUT_VARIABLE log ERROR_VARIABLE log)
if(NOT status EQUAL 0 OR log MATCHES "[Ww]arning|[Ee]rror")
  message(FATAL_ERROR "building the site exited ${status} with:\n${log}")
endif()
if(NOT EXISTS ${DOCS_DIR}/html/index.html)
  message(FATAL_ERROR "doxygen wrote no html/index.html")
endif()
message(STATUS "site built with no warnings: ${DOCS_DIR}/html/index.html")
