# Chapter 7's plots, drawn from the data files ch07_measuring --plot-data writes.
#   gnuplot -e "data='PREFIX'; out='OUT'" plots.gp
# reads PREFIX_machine.txt, PREFIX_time_work0.dat, PREFIX_time_work16.dat, PREFIX_speedup.dat and,
# if present, PREFIX_overheads.dat; writes OUT_time.svg, OUT_speedup.svg and
# OUT_overheads.svg. gnuplot draws them at docs build time from the data, so a
# plot can never disagree with the table beside it.

set terminal svg size 1000,520 dynamic enhanced font "Liberation Sans,13" background rgb "white"
set encoding utf8
set grid lc rgb "#dddddd"
set key outside right top Left reverse samplen 2 font ",11"

# Up to sixteen approaches, each its own colour, point and dash.
array colours[16] = ["#000000", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", \
                     "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#393b79", \
                     "#637939", "#8c6d31", "#843c39", "#7b4173"]
colour(i) = colours[(i % 16) + 1]

machine = system(sprintf("cat '%s_machine.txt'", data))
works = system(sprintf("cat '%s_works.txt'", data))
last_work = word(works, words(works))
blocks(file) = system(sprintf("grep -c '^\"' '%s'", file)) + 0

# --- time against N (log-log), one panel per --work -------------------------------
set output out."_time.svg"
set multiplot layout 1,words(works) title "Time of one run against N (median, bars: fastest–slowest run); ".machine font ",12"
set logscale xy
set format x "10^{%L}"
set format y "10^{%L}"
set xlabel "N"
set ylabel "seconds"
set key inside left top Left reverse samplen 2 font ",9" spacing 0.9
do for [work in works] {
  file = data."_time_work".work.".dat"
  count = blocks(file)
  set title "--work ".work
  plot for [i=0:count-1] file index i using 1:2:3:4 title columnheader(1) \
       with yerrorlines lw 1.5 pt ((i % 7) + 1) ps 0.6 dt 1+i%4 lc rgb colour(i)
}
unset multiplot

# --- speedup against workers -------------------------------------------------------
reset
set terminal svg size 1000,520 dynamic enhanced font "Liberation Sans,13" background rgb "white"
set encoding utf8
set grid lc rgb "#dddddd"
set output out."_speedup.svg"
file = data."_speedup.dat"
count = blocks(file)
set title "Speedup over the same approach with 1 worker, --work ".last_work."; ".machine font ",12"
set xlabel "workers"
set ylabel "speedup (×)"
set xtics (1, 2, 4)
set xrange [0.8:4.2]
set yrange [0:*]
set key outside right top Left reverse samplen 2 font ",11"
plot x title "perfect (speedup = workers)" with lines lc rgb "#999999" dt 2, \
     for [i=0:count-1] file index i using 1:2 title columnheader(1) \
       with linespoints lw 1.5 pt ((i % 7) + 1) dt 1+i%4 lc rgb colour(i)

# --- the overheads, as bars on a log scale ------------------------------------------
overheads = data."_overheads.dat"
if (system(sprintf("test -s '%s' && echo yes", overheads)) eq "yes") {
  reset
  rows = system(sprintf("wc -l < '%s'", overheads)) + 0
  set terminal svg size 960,(120 + 26 * rows) dynamic enhanced font "Liberation Sans,13" background rgb "white"
  set encoding utf8
  set output out."_overheads.svg"
  set title "What one operation costs (Google Benchmark, real time); ".machine font ",12"
  stats overheads using 3 nooutput
  set logscale x
  set format x "10^{%L}"
  set xrange [0.1:STATS_max * 30]
  set xlabel "nanoseconds per operation (log scale)"
  set yrange [rows:-1]
  set ytics scale 0 font ",11" noenhanced
  set grid xtics lc rgb "#dddddd"
  set style fill solid 0.8 noborder
  set key inside right bottom vertical font ",11"
  duration(ns) = ns >= 1e6 ? sprintf(" %.3g ms", ns / 1e6) : ns >= 1e3 ? sprintf(" %.3g µs", ns / 1e3) : sprintf(" %.3g ns", ns)
  plot overheads using (sqrt($3 * 0.1)):($4 == 0 ? $1 : NaN):(0.1):($3):($1 - 0.35):($1 + 0.35) \
         with boxxyerror lc rgb "#1f77b4" title "the abstraction", \
       overheads using (sqrt($3 * 0.1)):($4 == 1 ? $1 : NaN):(0.1):($3):($1 - 0.35):($1 + 0.35) \
         with boxxyerror lc rgb "#ff7f0e" title "the raw call beside it (or another)", \
       overheads using 3:1:(duration($3)):ytic(2) with labels left font ",10" noenhanced notitle
}
