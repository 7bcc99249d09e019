# Draws chapter 7's plots from a dataset; see page_data.cmake.
# -DPROGRAM=<ch07_measuring> -DGNUPLOT=<gnuplot> -DSCRIPT=<plots.gp> -DDATA=<dataset.json>
# -DPREFIX=<output prefix> [-DOVERHEADS=<benchmark.json>] [-DTEXT=<report file>]
# [-DOPTIONAL=ON: a missing DATA gives placeholders that say how to measure]
# Files are written next to their final names and moved over them only when they
# differ, so that an unchanged plot does not rebuild the site.
set(staging ${PREFIX}.staging)
file(REMOVE_RECURSE ${staging})
file(MAKE_DIRECTORY ${staging})
get_filename_component(stem ${PREFIX} NAME)
get_filename_component(folder ${PREFIX} DIRECTORY)
set(files ${stem}_time_work0.svg ${stem}_time_work16.svg ${stem}_speedup.svg)

# gnuplot reads its scripts as UTF-8 (`set encoding utf8`) and converts text to
# the locale's character set; in the C locale (a container or chroot with LANG
# unset) that conversion fails and every degree sign and dash is a warning, which
# this script counts as a failure. C.UTF-8 is built into Debian's C library.
set(ENV{LC_ALL} C.UTF-8)

# A plot that says why there is no plot.
function(placeholder svg message)
  execute_process(COMMAND ${GNUPLOT} -e
    "set terminal svg size 880,120 font 'Liberation Sans,14' background rgb 'white'; set output '${staging}/${svg}'; unset border; unset tics; unset key; set label 1 \"${message}\" at graph 0.5,0.5 center font ',14'; plot [0:1][0:1] NaN"
    RESULT_VARIABLE status ERROR_VARIABLE errors)
  if(NOT status EQUAL 0 OR errors)
    message(FATAL_ERROR "gnuplot failed on the placeholder ${svg}:\n${errors}")
  endif()
endfunction()

if(OPTIONAL AND NOT EXISTS ${DATA})
  set(message "Not measured on this machine yet: scripts/tour measures the quick grid\n(or run build/bin/ch07_measuring --out build/measurements),\nand the next docs build shows it here.")
  foreach(svg IN LISTS files)
    placeholder(${svg} "Not measured on this machine yet: run scripts/tour, then build the site again.")
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
  foreach(svg IN LISTS files)  # a --work the dataset was not measured with
    if(NOT EXISTS ${staging}/${svg})
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
