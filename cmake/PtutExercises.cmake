# ptut_exercises(<prefix>)
#
# Reads scripts/exercises.json, the list scripts/check-exercise grades from, so that
# CMake registers the grader's tests and the pages' figures from the same list.
# Sets <prefix>_NAMES (every exercise's name) and, for each name,
# <prefix>_<name>_KIND (solution, hunt or speed), <prefix>_<name>_CHAPTER (its
# folder under chapters/) and <prefix>_<name>_SOLUTION (the solution's path from
# the repository's root). CMake configures again when the list changes.
function(ptut_exercises prefix)
  set(registry_file ${PROJECT_SOURCE_DIR}/scripts/exercises.json)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${registry_file})
  file(READ ${registry_file} registry)
  string(JSON count LENGTH "${registry}" exercises)
  math(EXPR last "${count} - 1")
  set(names "")
  foreach(i RANGE ${last})
    string(JSON name GET "${registry}" exercises ${i} name)
    string(JSON kind GET "${registry}" exercises ${i} kind)
    string(JSON chapter GET "${registry}" exercises ${i} chapter)
    string(JSON solution GET "${registry}" exercises ${i} solution)
    list(APPEND names ${name})
    set(${prefix}_${name}_KIND ${kind} PARENT_SCOPE)
    set(${prefix}_${name}_CHAPTER ${chapter} PARENT_SCOPE)
    set(${prefix}_${name}_SOLUTION chapters/${chapter}/${solution} PARENT_SCOPE)
  endforeach()
  set(${prefix}_NAMES ${names} PARENT_SCOPE)
endfunction()
