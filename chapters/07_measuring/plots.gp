# Chapter 7's plots, drawn from the data files ch07_measuring --plot-data writes.
#   gnuplot -e "data='PREFIX'; out='OUT'" plots.gp
# reads PREFIX_machine.txt, PREFIX_works.txt, PREFIX_groups.txt, for each --work W
# and group G PREFIX_time_workW_G.dat, for each group PREFIX_speedup_G.dat and, if
# present, PREFIX_overheads.dat; writes OUT_time_workW.svg for each W,
# OUT_speedup.svg and OUT_overheads.svg. gnuplot draws them at docs build time from
# the data, so a plot can never disagree with the table beside it.
#
# Drawn to be read at the page's width (the SVGs are as wide as the page's column,
# so their text is shown at its own size, 11 px and up): small multiples, a panel
# per group of approaches with at most six curves each, the legend beside the
# curves, never on them.

width = 880
panel = 290
groups = system(sprintf("cat '%s_groups.txt'", data))
works = system(sprintf("cat '%s_works.txt'", data))
last_work = word(works, words(works))
machine = system(sprintf("cat '%s_machine.txt'", data))
blocks(file) = system(sprintf("grep -c '^\"' '%s'", file)) + 0
title(group) = group eq "threads" ? "threads that share nothing while they work" : \
               group eq "loops" ? "parallel loops of one line: OpenMP, std::execution::par, oneTBB" : \
               group eq "tasks" ? "tasks: a Boost.Asio pool, std::async, packaged tasks, oneTBB's stealing" : \
               group eq "processes" ? "processes that share nothing while they work" : \
               "workers that share every element, or take turns under one lock"

# Colours, points and dashes, one set per curve of a panel.
array colours[7] = ["#000000", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
colour(i) = colours[(i % 7) + 1]

set encoding utf8

# --- time against N (log-log): a file per --work, a panel per group ---------------------
do for [work in works] {
  reset
  set terminal svg size width,(60 + panel * words(groups)) dynamic enhanced \
      font "Liberation Sans,14" background rgb "white"
  set encoding utf8
  set output out."_time_work".work.".svg"
  set multiplot layout words(groups),1 \
      title "Time of one run against N, --work ".work." (median; bars: fastest–slowest run)\n".machine font ",14"
  set grid lc rgb "#dddddd"
  set logscale xy
  set format x "10^{%L}"
  set format y "10^{%L}"
  set ylabel "seconds"
  set key outside right top Left reverse samplen 2 font ",14" width -2
  set rmargin 30
  do for [group in groups] {
    file = data."_time_work".work."_".group.".dat"
    count = blocks(file)
    set title title(group) font ",14"
    set xlabel (group eq word(groups, words(groups)) ? "N" : "")
    plot for [i=0:count-1] file index i using 1:2:3:4 title columnheader(1) noenhanced \
         with yerrorlines lw 1.8 pt ((i % 7) + 1) ps 0.8 dt 1+i%4 lc rgb colour(i)
  }
  unset multiplot
}

# --- speedup against workers, a panel per group -------------------------------------
reset
set terminal svg size width,(60 + panel * words(groups)) dynamic enhanced \
    font "Liberation Sans,14" background rgb "white"
set encoding utf8
set output out."_speedup.svg"
set multiplot layout words(groups),1 \
    title "Speedup over the same approach with 1 worker, --work ".last_work."\n".machine font ",14"
set grid lc rgb "#dddddd"
set ylabel "speedup (×)"
set xtics (1, 2, 4)
set xrange [0.8:4.2]
set yrange [0:*]
set key outside right top Left reverse samplen 2 font ",14" width -2
set rmargin 30
do for [group in groups] {
  file = data."_speedup_".group.".dat"
  count = blocks(file)
  set title title(group) font ",14"
  set xlabel (group eq word(groups, words(groups)) ? "workers" : "")
  plot x title "perfect" with lines lc rgb "#999999" dt 2, \
       for [i=0:count-1] file index i using 1:2 title columnheader(1) noenhanced \
         with linespoints lw 1.8 pt ((i % 7) + 1) ps 0.8 dt 1+i%4 lc rgb colour(i)
}
unset multiplot

# --- the overheads, as bars on a log scale ------------------------------------------
overheads = data."_overheads.dat"
if (system(sprintf("test -s '%s' && echo yes", overheads)) eq "yes") {
  reset
  rows = system(sprintf("wc -l < '%s'", overheads)) + 0
  set terminal svg size width,(130 + 30 * rows) dynamic enhanced font "Liberation Sans,14" \
      background rgb "white"
  set encoding utf8
  set output out."_overheads.svg"
  set title "What one operation costs (Google Benchmark, real time)\n".machine font ",14"
  stats overheads using 3 nooutput
  set logscale x
  set format x "10^{%L}"
  set xrange [0.1:STATS_max * 40]
  set xlabel "nanoseconds per operation (log scale)"
  set yrange [rows:-1]
  set ytics scale 0 font ",13" noenhanced
  set grid xtics lc rgb "#dddddd"
  set style fill solid 0.8 noborder
  set key outside bottom center horizontal font ",13"
  duration(ns) = ns >= 1e6 ? sprintf(" %.3g ms", ns / 1e6) : ns >= 1e3 ? sprintf(" %.3g µs", ns / 1e3) : sprintf(" %.3g ns", ns)
  plot overheads using (sqrt($3 * 0.1)):($4 == 0 ? $1 : NaN):(0.1):($3):($1 - 0.35):($1 + 0.35) \
         with boxxyerror lc rgb "#1f77b4" title "the abstraction", \
       overheads using (sqrt($3 * 0.1)):($4 == 1 ? $1 : NaN):(0.1):($3):($1 - 0.35):($1 + 0.35) \
         with boxxyerror lc rgb "#ff7f0e" title "the raw call beside it (or another)", \
       overheads using 3:1:(duration($3)):ytic(2) with labels left font ",13" noenhanced notitle
}
