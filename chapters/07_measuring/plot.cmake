# Draws chapter 7's plots from a dataset; see page_data.cmake.
# -DPROGRAM=<ch07_measuring> -DGNUPLOT=<gnuplot> -DSCRIPT=<plots.gp> -DDATA=<dataset.json>
# -DPREFIX=<output prefix> [-DOVERHEADS=<benchmark.json>] [-DTEXT=<report file>]
# [-DOPTIONAL=ON: a missing DATA gives placeholders that say how to measure]
# [-DFIGURES=<n>: figures of each kind the page shows, 1 by default]
# plots.gp draws two groups of approaches a figure: PREFIX_time_work0.svg holds the
# first two, PREFIX_time_work0_2.svg the next two, and so on. FIGURES of each kind
# are always written (a placeholder where the data has fewer groups), so the page
# can name them all; data that needs more fails, rather than leave some unshown.
# Files are written next to their final names and moved over them only when they
# differ, so that an unchanged plot does not rebuild the site.
cmake_minimum_required(VERSION 3.25)  # a script has no project to set its policies (IN_LIST)
set(staging ${PREFIX}.staging)
file(REMOVE_RECURSE ${staging})
file(MAKE_DIRECTORY ${staging})
get_filename_component(stem ${PREFIX} NAME)
get_filename_component(folder ${PREFIX} DIRECTORY)
if(NOT FIGURES)
  set(FIGURES 1)
endif()
set(files "")
foreach(kind time_work0 time_work16 speedup)
  list(APPEND files ${stem}_${kind}.svg)
  if(FIGURES GREATER 1)  # a RANGE from 2 to 1 would count down
    foreach(figure RANGE 2 ${FIGURES})
      list(APPEND files ${stem}_${kind}_${figure}.svg)
    endforeach()
  endif()
endforeach()

# gnuplot reads its scripts as UTF-8 (`set encoding utf8`) and converts text to
# the locale's character set; in the C locale (a container or chroot with LANG
# unset) that conversion fails and every degree sign and dash is a warning, which
# this script counts as a failure. C.UTF-8 is built into Debian's C library.
set(ENV{LC_ALL} C.UTF-8)

# A plot that says why there is no plot, as narrow as the plots (plots.gp says why);
# "\\n" in MESSAGE breaks its line.
function(placeholder svg message)
  execute_process(COMMAND ${GNUPLOT} -e
    "set terminal svg size 520,120 fixed font 'Liberation Sans,16' background rgb 'white'; set output '${staging}/${svg}'; unset border; unset tics; unset key; set label 1 \"${message}\" at graph 0.5,0.5 center font ',16'; plot [0:1][0:1] NaN notitle"
    RESULT_VARIABLE status ERROR_VARIABLE errors)
  if(NOT status EQUAL 0 OR errors)
    message(FATAL_ERROR "gnuplot failed on the placeholder ${svg}:\n${errors}")
  endif()
endfunction()

if(OPTIONAL AND NOT EXISTS ${DATA})
  set(message "Not measured on this machine yet: scripts/tour measures the quick grid\n(or run build/bin/ch07_measuring --out build/measurements),\nand the next docs build shows it here.")
  foreach(svg IN LISTS files)
    placeholder(${svg} "Not measured on this machine yet:\\nrun scripts/tour, then build the site again.")
  endforeach()
  if(TEXT)
    file(WRITE ${staging}/text.txt "${message}\n")
  endif()
else()
  set(overheads_args "")
  if(OVERHEADS)
    set(overheads_args --overheads ${OVERHEADS})
    list(APPEND files ${stem}_overheads.svg)
  endif()
  execute_process(COMMAND ${PROGRAM} --from ${DATA} ${overheads_args} --plot-data ${staging}/${stem}
    RESULT_VARIABLE status OUTPUT_VARIABLE report ERROR_VARIABLE errors)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} --from ${DATA} failed (${status}):\n${errors}")
  endif()
  if(TEXT)
    file(WRITE ${staging}/text.txt "$ build/bin/ch07_measuring --from build/measurements/quick.json\n${report}")
  endif()
  execute_process(COMMAND ${GNUPLOT} -e "data='${staging}/${stem}'; out='${staging}/${stem}'" ${SCRIPT}
    RESULT_VARIABLE status ERROR_VARIABLE errors)
  # gnuplot's warnings (an empty range, a missing file) mean a wrong plot: fail on them.
  if(NOT status EQUAL 0 OR errors)
    message(FATAL_ERROR "gnuplot ${SCRIPT} failed (${status}):\n${errors}")
  endif()
  file(GLOB drawn RELATIVE ${staging} ${staging}/*.svg)
  foreach(svg IN LISTS drawn)
    if(NOT svg IN_LIST files)
      message(FATAL_ERROR "plots.gp drew ${svg}, more figures than the ${FIGURES} of each kind "
                          "the page shows: give FIGURES a larger number, and show them")
    endif()
  endforeach()
  foreach(svg IN LISTS files)
    if(EXISTS ${staging}/${svg})
      continue()
    elseif(svg MATCHES "_[0-9]+\\.svg$")  # a dataset with fewer groups of approaches
      placeholder(${svg} "The figures above hold\\nevery approach of this dataset.")
    else()  # a --work the dataset was not measured with
      placeholder(${svg} "This dataset has no runs with this --work.")
    endif()
  endforeach()
endif()

foreach(file IN LISTS files)
  if(NOT EXISTS ${staging}/${file})
    message(FATAL_ERROR "plotting made no ${file}")
  endif()
  file(COPY_FILE ${staging}/${file} ${folder}/${file} ONLY_IF_DIFFERENT)
endforeach()
if(TEXT)
  file(COPY_FILE ${staging}/text.txt ${TEXT} ONLY_IF_DIFFERENT)
endif()
file(REMOVE_RECURSE ${staging})
