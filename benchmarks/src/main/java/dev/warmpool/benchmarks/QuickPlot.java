package dev.warmpool.benchmarks;

import dev.warmpool.cli.plot.LatencyPlot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * The latency chart of a {@link Quick} run, drawn as {@code warmpool bench --plot} draws its own
 * ({@link LatencyPlot}): the percentile distributions of one request to the JSON-RPC worker — a cold
 * JVM per request, the warm pool, and the bare pipe under it — on one log-scaled chart, with the
 * ratios and the machine in the caption. Written as {@code latency.svg} beside the run's other results.
 */
final class QuickPlot {
    /** The file's name in the output directory. */
    static final String FILE = "latency.svg";

    /**
     * One line of the chart: a benchmark's sampled latencies.
     *
     * @param name its name in the legend
     * @param color an SVG color
     * @param samples the benchmark's distribution, in the unit of its score
     * @param millisPerUnit what one unit of the score is in milliseconds
     */
    record Line(String name, String color, Statistics samples, double millisPerUnit) {
        double millis(double percentile) {
            return samples.getPercentile(percentile) * millisPerUnit;
        }

        LatencyPlot.Series series() {
            return LatencyPlot.Series.of(name, color, samples.getN(), this::millis);
        }
    }

    private QuickPlot() {
    }

    /**
     * @param results the run's results
     * @return the lines of the chart that the run measured (all three, unless a benchmark failed), cold first
     */
    static List<Line> lines(Collection<RunResult> results) {
        List<Line> lines = new ArrayList<>();
        line(results, "ColdBenchmark.jvmJsonRpc", null, "cold: a JVM worker per request", "#d62728").ifPresent(lines::add);
        line(results, "LatencyBenchmark.warmJsonRpc", "1", "warm: jsonrpc pool, 1 worker", "#1f77b4").ifPresent(lines::add);
        line(results, "LatencyBenchmark.floorJsonRpc", null, "floor: the same worker over a bare pipe, no pool",
                "#7f7f7f").ifPresent(lines::add);
        return lines;
    }

    private static Optional<Line> line(Collection<RunResult> results, String benchmark, String workers, String name,
                                       String color) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + benchmark))
                .filter(r -> workers == null || workers.equals(r.getParams().getParam("workers")))
                .findFirst()
                .map(r -> new Line(name, color, r.getPrimaryResult().getStatistics(),
                        millisPerUnit(r.getPrimaryResult().getScoreUnit())));
    }

    /** @return what one unit of a JMH time score ({@code "us/op"}) is in milliseconds */
    static double millisPerUnit(String scoreUnit) {
        return switch (scoreUnit.substring(0, scoreUnit.indexOf('/'))) {
            case "ns" -> 1e-6;
            case "us" -> 1e-3;
            case "ms" -> 1;
            case "s" -> 1e3;
            case "min" -> 60e3;
            default -> throw new IllegalArgumentException("score unit '" + scoreUnit + "' is not a time per operation");
        };
    }

    /**
     * The caption's ratio lines: cold over warm at p50, p90 and p99 and warm over the floor at p50;
     * then the medians.
     *
     * @param lines the chart's lines, as {@link #lines} returns them
     * @return the two lines, or one saying the ratio was not measured unless the cold and the warm
     *     line are both there
     */
    static List<String> ratios(List<Line> lines) {
        Optional<Line> cold = named(lines, "cold");
        Optional<Line> warm = named(lines, "warm");
        Optional<Line> floor = named(lines, "floor");
        if (cold.isEmpty() || warm.isEmpty()) {
            return List.of("cold / warm latency: not measured in this run");
        }
        Line c = cold.get();
        Line w = warm.get();
        StringBuilder b = new StringBuilder("cold / warm latency:");
        for (int p : new int[] {50, 90, 99}) {
            b.append(p == 50 ? " p" : ", p").append(p).append(' ').append(ratio(c.millis(p) / w.millis(p)));
        }
        floor.ifPresent(f -> b.append("; warm / floor p50 ").append(ratio(w.millis(50) / f.millis(50))));
        String medians = String.format(Locale.ROOT, "p50: cold %.1f ms, warm %.1f µs", c.millis(50), w.millis(50) * 1000)
                + floor.map(f -> String.format(Locale.ROOT, ", floor %.1f µs", f.millis(50) * 1000)).orElse("");
        return List.of(b.toString(), medians);
    }

    private static Optional<Line> named(List<Line> lines, String prefix) {
        return lines.stream().filter(l -> l.name().startsWith(prefix + ":")).findFirst();
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, r >= 100 ? "%,.0fx" : "%.2fx", r);
    }

    /**
     * Writes the chart.
     *
     * @param dir the output directory
     * @param title the heading
     * @param lines the lines, as {@link #lines} returns them
     * @param caption more lines under the ratios: how it was run, the machine
     * @return the file written
     * @throws IOException if it cannot be written
     */
    static Path write(Path dir, String title, List<Line> lines, List<String> caption) throws IOException {
        List<String> all = new ArrayList<>(ratios(lines));
        all.addAll(caption);
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        Files.writeString(file, LatencyPlot.svg(title, lines.stream().map(Line::series).toList(), all),
                StandardCharsets.UTF_8);
        return file;
    }
}
