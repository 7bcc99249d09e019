# ptut_add_chapter([SOURCES <file>...] [LIBS <target>...])
#
# Called from chapters/NN_topic/CMakeLists.txt. Makes, from the folder's name:
#   chNN_topic_lib  a static library of the chapter's approach (SOURCES): what the
#                   tests and the measuring chapter call;
#   chNN_topic      the executable, from main.cpp, linked to the library.
# Both depend on ptut::common and LIBS only, so building one chapter target builds
# that chapter and common/, nothing else.
function(ptut_add_chapter)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "" "SOURCES;LIBS")
  get_filename_component(folder ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  if(NOT folder MATCHES "^([0-9][0-9])_([a-z0-9_]+)$")
    message(FATAL_ERROR "chapter folder '${folder}' is not named NN_topic")
  endif()
  set(target ch${folder})

  add_library(${target}_lib STATIC ${arg_SOURCES})
  target_include_directories(${target}_lib PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${target}_lib PUBLIC ptut::common ${arg_LIBS})
  ptut_warnings(${target}_lib)

  add_executable(${target} main.cpp)
  target_link_libraries(${target} PRIVATE ${target}_lib)
  ptut_warnings(${target})

  set_property(GLOBAL APPEND PROPERTY PTUT_CHAPTERS ${target})
  set_property(GLOBAL PROPERTY PTUT_CHAPTER_DIR_${target} ${CMAKE_CURRENT_SOURCE_DIR})
endfunction()
