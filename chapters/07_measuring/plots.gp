# Chapter 7's plots, drawn from the data files ch07_measuring --plot-data writes.
#   gnuplot -e "data='PREFIX'; out='OUT'" plots.gp
# reads PREFIX_machine.txt, PREFIX_works.txt, PREFIX_groups.txt, for each --work W
# and group G PREFIX_time_workW_G.dat, for each group PREFIX_speedup_G.dat and, if
# present, PREFIX_overheads.dat; writes OUT_time_workW.svg for each W,
# OUT_speedup.svg and OUT_overheads.svg with the first two groups (in
# PREFIX_groups.txt's order), and OUT_time_workW_F.svg and OUT_speedup_F.svg, F = 2,
# 3, with the next two each. gnuplot draws them at docs build time from the data,
# so a plot can never disagree with the table beside it.
#
# Drawn to be read on a laptop and on a phone. The SVGs have a fixed size, so a
# page shows them at that size where its column is wider (at 1280 px) and shrinks
# them to the column where it is narrower (about 343 px on a 390 px phone): a
# figure 520 wide with 16-unit text keeps that text at 10 px there, which a
# figure as wide as a laptop's column cannot. Each figure stays under 1000 px
# tall (two panels at most), each panel's key sits under it, inside the image,
# and names every curve; a panel has at most six curves besides the baseline.
# tests/ch07/check_figures.py checks the sizes and the keys.

width = 520
header = 96    # the figure's title: three lines
panel = 430    # a panel's title, plot, axis and key of up to three rows
per_figure = 2
groups = system(sprintf("cat '%s_groups.txt'", data))
works = system(sprintf("cat '%s_works.txt'", data))
last_work = word(works, words(works))
machine = system(sprintf("cat '%s_machine.txt'", data))
blocks(file) = system(sprintf("grep -c '^\"' '%s'", file)) + 0
figures = (words(groups) + per_figure - 1) / per_figure
first(figure) = (figure - 1) * per_figure + 1
last(figure) = figure * per_figure < words(groups) ? figure * per_figure : words(groups)
# The first figure keeps the name the page has always shown.
svg(kind, figure) = figure == 1 ? out."_".kind.".svg" : sprintf("%s_%s_%d.svg", out, kind, figure)
title(group) = group eq "threads" ? "threads that share nothing while they work" : \
               group eq "loops" ? "parallel loops: OpenMP, std::execution::par, oneTBB" : \
               group eq "tasks" ? "tasks: a pool, std::async, packaged tasks, stealing" : \
               group eq "processes" ? "processes that share nothing while they work" : \
               "workers that share every element or one lock"

# Colours, points and dashes, one set per curve of a panel.
array colours[7] = ["#000000", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
colour(i) = colours[(i % 7) + 1]

set encoding utf8

# Every panel: the key under the axis in two columns, names drawn as written.
# `fixed` keeps the size in the SVG, so the page does not stretch it to its column.
svg_terminal(height) = sprintf("set terminal svg size %d,%d fixed enhanced font 'Liberation Sans,16' background rgb 'white'", width, height)

# --- time against N (log-log): files per --work, a panel per group ----------------------
do for [work in works] {
  do for [figure = 1:figures] {
    reset
    eval svg_terminal(header + panel * (last(figure) - first(figure) + 1))
    set encoding utf8
    set output svg("time_work".work, figure)
    set multiplot layout last(figure) - first(figure) + 1, 1 \
        title "Time of one run against N, 2 workers, --work ".work."\n(median; bars: fastest–slowest run)\n".machine \
        font ",16" noenhanced
    set grid lc rgb "#dddddd"
    set logscale xy
    # The axis spans the N measured, not the decade before them.
    set autoscale xfix
    set offsets graph 0.02, graph 0.02, 0, 0
    set format x "10^{%L}"
    set format y "10^{%L}"
    set ylabel "seconds"
    set xlabel "N" offset 0,0.5
    set key below Left reverse samplen 2 maxcols 2 maxrows 3 width -1
    set rmargin 2
    do for [g = first(figure):last(figure)] {
      group = word(groups, g)
      file = data."_time_work".work."_".group.".dat"
      count = blocks(file)
      set title title(group) font ",16" noenhanced
      plot for [i=0:count-1] file index i using 1:2:3:4 title columnheader(1) noenhanced \
           with yerrorlines lw 1.8 pt ((i % 7) + 1) ps 0.8 dt 1+i%4 lc rgb colour(i)
    }
    unset multiplot
  }
}

# --- speedup against workers, a panel per group -------------------------------------
do for [figure = 1:figures] {
  reset
  eval svg_terminal(header + panel * (last(figure) - first(figure) + 1))
  set encoding utf8
  set output svg("speedup", figure)
  set multiplot layout last(figure) - first(figure) + 1, 1 \
      title "Speedup over chapter 1's serial loop, --work ".last_work."\n(at the largest N where every worker count ran)\n".machine \
      font ",16" noenhanced
  set grid lc rgb "#dddddd"
  set ylabel "speedup (×)"
  set xlabel "workers" offset 0,0.5
  set xtics (1, 2, 4)
  set xrange [0.8:4.2]
  set yrange [0:*]
  set key below Left reverse samplen 2 maxcols 2 maxrows 4 width -4
  set rmargin 2
  do for [g = first(figure):last(figure)] {
    group = word(groups, g)
    file = data."_speedup_".group.".dat"
    count = blocks(file)
    set title title(group) font ",16" noenhanced
    plot x title "perfect" with lines lc rgb "#999999" dt 2, \
         for [i=0:count-1] file index i using 1:2 title columnheader(1) noenhanced \
           with linespoints lw 1.8 pt ((i % 7) + 1) ps 0.8 dt 1+i%4 lc rgb colour(i)
  }
  unset multiplot
}

# --- the overheads, as bars on a log scale ------------------------------------------
# Each row's name sits above its bar rather than beside it, so that the names do
# not take half the width of a narrow figure.
overheads = data."_overheads.dat"
if (system(sprintf("test -s '%s' && echo yes", overheads)) eq "yes") {
  reset
  rows = system(sprintf("wc -l < '%s'", overheads)) + 0
  eval svg_terminal(190 + 40 * rows)
  set encoding utf8
  set output out."_overheads.svg"
  set title "What one operation costs\n(Google Benchmark, real time)\n".machine font ",16" noenhanced
  stats overheads using 3 nooutput
  set logscale x
  set format x "10^{%L}"
  set xrange [0.1:STATS_max * 15]  # room for the longest bar's label
  set xlabel "nanoseconds per operation (log scale)" offset 0,0.5
  set yrange [rows - 0.5:-0.6]
  unset ytics
  set lmargin 2
  set rmargin 2
  set grid xtics lc rgb "#dddddd"
  set style fill solid 0.8 noborder
  set key below Left reverse samplen 2 maxcols 1
  duration(ns) = ns >= 1e6 ? sprintf(" %.3g ms", ns / 1e6) : ns >= 1e3 ? sprintf(" %.3g µs", ns / 1e3) : sprintf(" %.3g ns", ns)
  plot overheads using (sqrt($3 * 0.1)):($4 == 0 ? $1 + 0.18 : NaN):(0.1):($3):($1):($1 + 0.36) \
         with boxxyerror lc rgb "#1f77b4" title "the abstraction", \
       overheads using (sqrt($3 * 0.1)):($4 == 1 ? $1 + 0.18 : NaN):(0.1):($3):($1):($1 + 0.36) \
         with boxxyerror lc rgb "#ff7f0e" title "the raw call beside it (or another)", \
       overheads using (0.1):($1 - 0.22):2 with labels left offset 0.3,0 noenhanced notitle, \
       overheads using 3:($1 + 0.18):(duration($3)) with labels left noenhanced notitle
}
