# Chapter 7's plots and tables for its page, included by docs/CMakeLists.txt
# (in its scope: PTUT_DOCS_GENERATED, generated_files). Three datasets:
#   reference  the committed one (reference/), measured on the machine it names;
#   tasks      chapter 10's tasks beside chapter 3's partials (reference/tasks/);
#   local      this machine's quick grid, once scripts/tour (or
#              `build/bin/ch07_measuring --out build/measurements`) has measured it.
# gnuplot draws the SVGs from the data at build time (plots.gp), two groups of
# approaches a figure: FIGURES says how many figures of each kind the page shows.
find_program(PTUT_GNUPLOT gnuplot REQUIRED DOC "gnuplot (Debian package gnuplot-nox)")
set(ch07_dir ${PROJECT_SOURCE_DIR}/chapters/07_measuring)
set(ch07_plot_args -DPROGRAM=$<TARGET_FILE:ch07_measuring> -DGNUPLOT=${PTUT_GNUPLOT}
                   -DSCRIPT=${ch07_dir}/plots.gp)

set(prefix ${PTUT_DOCS_GENERATED}/ch07_reference)
set(outputs ${prefix}_time_work0.svg ${prefix}_time_work0_2.svg ${prefix}_time_work16.svg
            ${prefix}_time_work16_2.svg ${prefix}_speedup.svg ${prefix}_speedup_2.svg
            ${prefix}_overheads.svg)
add_custom_command(OUTPUT ${outputs}
  COMMAND ${CMAKE_COMMAND} ${ch07_plot_args} -DDATA=${ch07_dir}/reference/full.json
          -DOVERHEADS=${ch07_dir}/reference/overheads.json -DPREFIX=${prefix} -DFIGURES=2
          -P ${ch07_dir}/plot.cmake
  DEPENDS ch07_measuring ${ch07_dir}/plot.cmake ${ch07_dir}/plots.gp
          ${ch07_dir}/reference/full.json ${ch07_dir}/reference/overheads.json
  COMMENT "Plotting chapter 7's reference data"
  VERBATIM)
list(APPEND generated_files ${outputs})

# Chapter 10's tasks, measured in their own run with chapter 3's partials and
# the loop beside them (reference/tasks/ABOUT.txt says why).
set(prefix ${PTUT_DOCS_GENERATED}/ch07_tasks)
set(outputs ${prefix}_time_work0.svg ${prefix}_time_work16.svg ${prefix}_speedup.svg)
add_custom_command(OUTPUT ${outputs}
  COMMAND ${CMAKE_COMMAND} ${ch07_plot_args} -DDATA=${ch07_dir}/reference/tasks/custom.json
          -DPREFIX=${prefix} -P ${ch07_dir}/plot.cmake
  DEPENDS ch07_measuring ${ch07_dir}/plot.cmake ${ch07_dir}/plots.gp
          ${ch07_dir}/reference/tasks/custom.json
  COMMENT "Plotting chapter 7's measurements of chapter 10's tasks"
  VERBATIM)
list(APPEND generated_files ${outputs})

# The reference overheads as figures the pages quote (chapter 1 quotes what a
# thread and a fork cost): \fig{ch07_measuring_reference_overheads::NAME}.
set(overheads_figures ${PTUT_DOCS_GENERATED}/ch07_measuring_reference_overheads.json)
add_custom_command(OUTPUT ${overheads_figures}
  COMMAND $<TARGET_FILE:Python3::Interpreter> ${PROJECT_SOURCE_DIR}/docs/benchmark_figures.py
          --benchmarks ${ch07_dir}/reference/overheads.json --machine-from ${ch07_dir}/reference/full.json
          --out ${overheads_figures}
  DEPENDS ${PROJECT_SOURCE_DIR}/docs/benchmark_figures.py ${PROJECT_SOURCE_DIR}/docs/measure_table.py
          ${ch07_dir}/reference/overheads.json ${ch07_dir}/reference/full.json
  COMMENT "Figures from chapter 7's reference overheads"
  VERBATIM)
list(APPEND generated_files ${overheads_figures})

# This machine's data may appear at any time (the tour writes it), so this step
# runs on every build; it rewrites its files only when they change, and the
# site is then rebuilt only if they did.
set(prefix ${PTUT_DOCS_GENERATED}/ch07_local)
set(ch07_local_outputs ${PTUT_DOCS_GENERATED}/ch07_measuring_local.txt)
foreach(kind time_work0 time_work16 speedup)  # five groups of approaches at most: three figures
  list(APPEND ch07_local_outputs ${prefix}_${kind}.svg ${prefix}_${kind}_2.svg ${prefix}_${kind}_3.svg)
endforeach()
add_custom_target(ch07_local_page_data
  COMMAND ${CMAKE_COMMAND} ${ch07_plot_args} -DDATA=${CMAKE_BINARY_DIR}/measurements/quick.json
          -DPREFIX=${prefix} -DTEXT=${PTUT_DOCS_GENERATED}/ch07_measuring_local.txt -DOPTIONAL=ON
          -DFIGURES=3 -P ${ch07_dir}/plot.cmake
  BYPRODUCTS ${ch07_local_outputs}
  DEPENDS ch07_measuring
  COMMENT "Plotting chapter 7's measurements of this machine, if any"
  VERBATIM)
set(ch07_page_data_target ch07_local_page_data)
list(APPEND ch07_doc_byproducts ${ch07_local_outputs})
