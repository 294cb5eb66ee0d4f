/**
 * The latency chart of {@code warmpool bench --plot}, exported so that the benchmarks' quick mode
 * draws the same chart of its own run: {@link dev.warmpool.cli.plot.LatencyPlot} turns latency
 * distributions into a self-contained SVG with a log latency axis and a "nines" percentile axis.
 * It needs nothing but the JDK, so a user of the chart need not bring the command's dependencies.
 */
package dev.warmpool.cli.plot;
