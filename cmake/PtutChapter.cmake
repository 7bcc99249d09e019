# ptut_add_chapter([SOURCES <file>...] [LIBS <target>...])
#
# Called from chapters/NN_topic/CMakeLists.txt. Makes, from the folder's name:
#   chNN_topic_lib  a static library of the chapter's approach (SOURCES): what the
#                   tests and the measuring chapter call;
#   chNN_topic      the executable, from main.cpp, linked to the library;
#   chNN_core       where the folder has a core.cpp: the approach alone, as one
#                   short program (`chNN_core [N [K]]`) that needs no project header
#                   (tests/cores/standalone.py builds it alone too); linked with what
#                   the library links, for its flags (OpenMP, MPI, Boost);
#   chNN_<name>     for each exercises/<name>.cpp: an exercise's program.
# All depend on ptut::common and LIBS only, so building one chapter target builds
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

  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/core.cpp)
    string(SUBSTRING ${folder} 0 2 number)
    add_executable(ch${number}_core core.cpp)
    target_link_libraries(ch${number}_core PRIVATE ${target}_lib)
    ptut_warnings(ch${number}_core)
  endif()

  # Exercises (chapters/NN_topic/exercises/*.cpp): solutions, race-hunt starters and
  # their fixes, speed-target starters and solutions, each a program chNN_<name>,
  # built in every preset (scripts/check-exercise says how each is checked).
  file(GLOB exercises CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/exercises/*.cpp)
  foreach(source IN LISTS exercises)
    get_filename_component(name ${source} NAME_WE)
    string(SUBSTRING ${folder} 0 2 number)
    add_executable(ch${number}_${name} ${source})
    target_link_libraries(ch${number}_${name} PRIVATE ${target}_lib)
    ptut_warnings(ch${number}_${name})
    set_property(GLOBAL APPEND PROPERTY PTUT_EXERCISE_PROGRAMS ch${number}_${name})
  endforeach()

  set_property(GLOBAL APPEND PROPERTY PTUT_CHAPTERS ${target})
  set_property(GLOBAL PROPERTY PTUT_CHAPTER_DIR_${target} ${CMAKE_CURRENT_SOURCE_DIR})
endfunction()

# ptut_add_benchmark(<target> SOURCES <file>... LIBS <target>...)
#
# A Google Benchmark program of the chapter's, linked to LIBS. It is built with
# 'all' unless PTUT_BENCHMARKS_IN_ALL is off (the sanitizer presets), and can
# always be built by name.
function(ptut_add_benchmark target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;LIBS")
  find_package(benchmark REQUIRED)
  set(in_all "")
  if(NOT PTUT_BENCHMARKS_IN_ALL)
    set(in_all EXCLUDE_FROM_ALL)
  endif()
  add_executable(${target} ${in_all} ${arg_SOURCES})
  target_link_libraries(${target} PRIVATE ${arg_LIBS} benchmark::benchmark)
  ptut_warnings(${target})
endfunction()

# ptut_chapter_output(<name> RUNS "<args>" ["<args>"...] [TAIL <lines>] [EXIT <status>]
#                     [PROGRAM <target>] [IN_SOURCE_TREE] [SCRIPT <path>] [SKIP_STATUS <status>])
#
# Program output for the chapter's page: at docs build time the chapter's
# executable runs once per RUNS entry (arguments separated by spaces; "" for none) and
# docs/generated/chNN_topic_<name>.txt receives each command line and what it
# printed (stdout and stderr, the last TAIL lines if given). Every run must end
# with EXIT (default 0). PROGRAM runs another executable of the chapter (a
# benchmark, say) instead of chNN_topic. IN_SOURCE_TREE runs it from the repository's
# root, so that paths in RUNS read as a reader at the root would type them. SCRIPT
# runs a script of the chapter's instead (a path from the repository's root, as
# the page shows it), which starts the program that CHNN_PROGRAM names (chapter
# 8's run scripts start mpirun). A run ending with SKIP_STATUS could not run where
# the site was built (the script needs root, say): the file then says so, with the
# reason the script gave. The page includes the file with \verbinclude, so what the
# page shows is what the program printed.
function(ptut_chapter_output name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "IN_SOURCE_TREE" "TAIL;EXIT;PROGRAM;SCRIPT;SKIP_STATUS" "RUNS")
  get_filename_component(folder ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  set(id ch${folder}_${name})
  if(NOT arg_PROGRAM)
    set(arg_PROGRAM ch${folder})
  endif()
  if(NOT arg_RUNS)
    set(arg_RUNS "")
  endif()
  set(runs_given "")
  foreach(run IN LISTS arg_RUNS)  # "" is a run without arguments
    if(run STREQUAL "")
      set(run "<none>")
    endif()
    list(APPEND runs_given "${run}")
  endforeach()
  set(arg_RUNS "${runs_given}")
  if(NOT DEFINED arg_EXIT)
    set(arg_EXIT 0)
  endif()
  list(JOIN arg_RUNS "|" runs)
  set_property(GLOBAL APPEND PROPERTY PTUT_DOC_OUTPUTS ${id})
  set(workdir "")
  if(arg_IN_SOURCE_TREE)
    set(workdir ${PROJECT_SOURCE_DIR})
  endif()
  set_property(GLOBAL PROPERTY PTUT_DOC_OUTPUT_${id}
    "${arg_PROGRAM}" "${runs}" "${arg_TAIL}" "${arg_EXIT}" "${workdir}" "${arg_SCRIPT}" "${arg_SKIP_STATUS}")
endfunction()

# ptut_chapter_table(<name> RUNS "<args>" ["<args>"...] [REPEAT <times>]
#                    [RATIOS "<text>:<row>:<row>"...] [COLUMNS "<key>:<header>:<kind>"...]
#                    [SCRIPT <path>] [SKIP_STATUS <status>] [ALSO <target>...])
#
# A measured table for the chapter's page: at docs build time each RUNS entry is
# run REPEAT times (default 3; once where PTUT_DOCS_QUICK is on) with --json, and docs/generated/chNN_topic_<name>.txt
# receives the medians, their spread and the machine (docs/measure_table.py), and
# a line per RATIOS entry: <text>: median of one row / median of another.
# COLUMNS adds the median of a field of the program's JSON (a ratio, or a time in
# milliseconds, or a count) as a column; <kind> is ratio, count, s or ms.
# SCRIPT and SKIP_STATUS are ptut_chapter_output()'s. ALSO names other chapters'
# programs a row may run instead, for a comparison measured in the same table: a
# RUNS entry "@<target> <args>" runs that program (its rows say whose variant).
# REFERENCE: the chapter keeps this table as measured on a named machine in
# reference/<name>.txt and .json (with reference/ABOUT.txt); the page shows it as
# chNN_topic_<name>_reference.txt and quotes it with \fig{<name>_reference::KEY}.
# The target reference_tables measures every such table again and keeps it there.
function(ptut_chapter_table name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "REFERENCE" "REPEAT;SCRIPT;SKIP_STATUS" "RUNS;RATIOS;COLUMNS;ALSO")
  get_filename_component(folder ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  if(NOT arg_REPEAT)
    set(arg_REPEAT 3)
  endif()
  if(PTUT_DOCS_QUICK)  # CI's site build: every table once (see CMakeLists.txt)
    set(arg_REPEAT 1)
  endif()
  set(id ch${folder}_${name})
  set_property(GLOBAL APPEND PROPERTY PTUT_DOC_TABLES ${id})
  set(ratio_args "")
  foreach(ratio IN LISTS arg_RATIOS)
    list(APPEND ratio_args "--ratio=${ratio}")
  endforeach()
  foreach(column IN LISTS arg_COLUMNS)
    list(APPEND ratio_args "--column=${column}")
  endforeach()
  if(arg_SKIP_STATUS)
    list(APPEND ratio_args "--skip-status=${arg_SKIP_STATUS}")
  endif()
  foreach(other IN LISTS arg_ALSO)
    list(APPEND ratio_args "--also=${other}=$<TARGET_FILE:${other}>")
  endforeach()
  set_property(GLOBAL PROPERTY PTUT_DOC_TABLE_${id}
    "ch${folder}" "${arg_REPEAT}" "${arg_SCRIPT}" ${ratio_args} -- ${arg_RUNS})
  if(arg_REFERENCE)
    set_property(GLOBAL APPEND PROPERTY PTUT_DOC_REFERENCES "${id}=${CMAKE_CURRENT_SOURCE_DIR}/reference/${name}")
  endif()
endfunction()

# ptut_chapter_python(<name> SCRIPT <file.py> [ARGS "<args>"] [INTERPRETER <python>]
#                     [QUICK_ARGS "<args>"])
#
# Figures from Python for the chapter's page (the article's own language, side
# by side with the C++): at docs build time this machine's python3 runs the
# chapter's <file.py> with ARGS from the repository's root, as a reader would type
# it, plus --figures <file>. docs/generated/chNN_topic_<name>.txt receives the
# command line and what the script printed (its interpreter's version first), and
# chNN_topic_<name>.json the figures the page quotes with \fig{<name>::KEY}.
# INTERPRETER runs the script with another python3 than the build's (one that has
# a module Debian packages for its own /usr/bin/python3, say). QUICK_ARGS are added
# where PTUT_DOCS_QUICK is on (CI's site build: "--repeat 1", say); the page then
# shows them in the command line.
function(ptut_chapter_python name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "SCRIPT;ARGS;INTERPRETER;QUICK_ARGS" "")
  if(PTUT_DOCS_QUICK AND arg_QUICK_ARGS)  # CI's site build (see CMakeLists.txt)
    string(STRIP "${arg_ARGS} ${arg_QUICK_ARGS}" arg_ARGS)
  endif()
  get_filename_component(folder ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  set(id ch${folder}_${name})
  file(GLOB sources ${CMAKE_CURRENT_SOURCE_DIR}/*.py)  # what the script may import
  set_property(GLOBAL APPEND PROPERTY PTUT_DOC_PYTHON ${id})
  set_property(GLOBAL PROPERTY PTUT_DOC_PYTHON_${id}
    "chapters/${folder}/${arg_SCRIPT}" "${arg_ARGS}" "${arg_INTERPRETER}" ${sources})
endfunction()

# ptut_chapter_timeline(<name> RUNS "<label>=<args>" ["<label>=<args>"...] [PROGRAM <target>])
#
# A timeline for the chapter's page: at docs build time the chapter's executable
# runs once per RUNS entry with <args> and `--trace`, and docs/timeline.py draws
# the traces as one picture, docs/generated/chNN_topic_<name>.svg (a panel per
# run, a row per worker, one time axis), with chNN_topic_<name>.txt (the commands
# that made it) and chNN_topic_<name>.json (figures the page may quote:
# \fig{<name>::<label>::run}, \fig{<name>::<label>::worker 2::busy}, …). The page
# shows it with \image html chNN_topic_<name>.svg. SCRIPT is ptut_chapter_output()'s:
# each run goes through a script of the chapter's (chapter 8's run, which starts
# mpirun), told by CHNN_PROGRAM which executable to start.
function(ptut_chapter_timeline name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "PROGRAM;SCRIPT" "RUNS")
  get_filename_component(folder ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  set(id ch${folder}_${name})
  if(NOT arg_PROGRAM)
    set(arg_PROGRAM ch${folder})
  endif()
  set_property(GLOBAL APPEND PROPERTY PTUT_DOC_TIMELINES ${id})
  set_property(GLOBAL PROPERTY PTUT_DOC_TIMELINE_${id} "${arg_PROGRAM}" ${arg_RUNS})
  set_property(GLOBAL PROPERTY PTUT_DOC_TIMELINE_SCRIPT_${id} "${arg_SCRIPT}")
endfunction()
