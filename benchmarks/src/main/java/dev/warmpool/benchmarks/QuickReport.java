package dev.warmpool.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * The summary of one {@link Quick} run: the figures read from the JMH results, the ratios computed
 * from them, and the machine they were measured on; as a text table, JSON and Markdown.
 */
final class QuickReport {
    /** Targets from the issue: warm/floor at p50 and p99, cold/warm, 16 idle workers against 1. */
    static final double TARGET_P50 = 1.5;
    static final double TARGET_P99 = 2.0;
    static final double TARGET_COLD_WARM = 1000;
    static final double TARGET_IDLE = 1.10;

    /** One latency distribution, in microseconds. */
    record Latency(double p50, double p90, double p99, double p999, double mean, long samples) {
        static Latency of(Statistics s) {
            return new Latency(s.getPercentile(50), s.getPercentile(90), s.getPercentile(99), s.getPercentile(99.9),
                    s.getMean(), s.getN());
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("p50", round(p50, 2));
            m.put("p90", round(p90, 2));
            m.put("p99", round(p99, 2));
            m.put("p99.9", round(p999, 2));
            m.put("mean", round(mean, 2));
            m.put("samples", samples);
            return m;
        }
    }

    /**
     * A mean with its 99.9% error, in the unit of its benchmark, and what it is the mean of: the
     * iterations of a throughput benchmark, the requests of a sampled (cold) one.
     */
    record Mean(double mean, double error, long n) {
        static Mean of(RunResult r) {
            Statistics s = r.getPrimaryResult().getStatistics();
            double err = r.getPrimaryResult().getScoreError();
            return new Mean(s.getMean(), err, s.getN());
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mean", round(mean, 2));
            m.put("error", round(error, 2));
            m.put("n", n);
            return m;
        }
    }

    /** A ratio and the target it is held against, if any. */
    record Ratio(String key, String label, double value, String comparison, double target) {
        boolean hasTarget() {
            return !Double.isNaN(target);
        }

        Optional<Boolean> met() {
            if (!hasTarget() || Double.isNaN(value)) {
                return Optional.empty();
            }
            return Optional.of(comparison.equals("<=") ? value <= target : value >= target);
        }
    }

    /** A latency row: its key in the JSON, its label, and its figures if the run produced them. */
    record LatencyRow(String key, String label, Optional<Latency> latency) {
    }

    /** A mean row. */
    record MeanRow(String key, String label, Optional<Mean> mean) {
    }

    private final boolean smoke;
    private Optional<String> pinCpu = Optional.empty();
    private final Duration took;
    private final ZonedDateTime date = ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS);
    private final Map<String, Object> machine = Machine.describe();
    private final List<LatencyRow> latency = new ArrayList<>();
    private final List<MeanRow> cold = new ArrayList<>();
    private final List<MeanRow> throughput = new ArrayList<>();
    private final List<Ratio> ratios = new ArrayList<>();

    private QuickReport(boolean smoke, Duration took, Optional<Double> loadBefore, Optional<Double> loadAfter) {
        this.smoke = smoke;
        this.took = took;
        loadBefore.ifPresent(l -> machine.put("loadAverageBefore", l));
        loadAfter.ifPresent(l -> machine.put("loadAverageAfter", l));
    }

    /**
     * @param loadBefore the 1-minute load average when the run began: on a shared machine, a load
     *     above the number of CPUs means other work competed with the benchmarks
     */
    static QuickReport of(Collection<RunResult> results, boolean smoke, Duration took, Optional<Double> loadBefore,
            Optional<Double> loadAfter, Optional<String> pinCpu) {
        QuickReport q = new QuickReport(smoke, took, loadBefore, loadAfter);
        q.pinCpu = pinCpu;
        Optional<Latency> floor = latency(results, "LatencyBenchmark.floorJsonRpc", null, null);
        Optional<Latency> warm1 = latency(results, "LatencyBenchmark.warmJsonRpc", "workers", "1");
        Optional<Latency> warm16 = latency(results, "LatencyBenchmark.warmJsonRpc", "workers", "16");
        Optional<Latency> floorLine = latency(results, "LatencyBenchmark.floorLine", null, null);
        Optional<Latency> warmLine = latency(results, "LatencyBenchmark.warmLine", null, null);
        Optional<Latency> warmCat = latency(results, "LatencyBenchmark.warmCat", null, null);
        q.latency.add(new LatencyRow("floorJsonRpc", "floor: JSON-RPC worker over a bare pipe, no pool", floor));
        q.latency.add(new LatencyRow("warmJsonRpc", "warm: jsonrpc pool, 1 worker", warm1));
        q.latency.add(new LatencyRow("warmJsonRpc16", "warm: jsonrpc pool, 16 workers (15 idle)", warm16));
        q.latency.add(new LatencyRow("floorLine", "floor: Java line worker over a bare pipe, no pool", floorLine));
        q.latency.add(new LatencyRow("warmLine", "warm: line pool, Java line worker", warmLine));
        q.latency.add(new LatencyRow("warmCat", "warm: line pool, cat", warmCat));
        Map<String, String> diagnostics = new LinkedHashMap<>();
        diagnostics.put("transportOnly", "diagnostic: jsonrpc transport's worker, no pool");
        diagnostics.put("handOff", "diagnostic: bare pipe + reader-thread hand-off");
        diagnostics.put("codecTree", "diagnostic: bare pipe + transport's JSON (tree)");
        diagnostics.put("codecStreaming", "diagnostic: bare pipe + streaming JSON");
        diagnostics.put("floorInlineSdk", "diagnostic: bare pipe, SDK runs handler inline");
        diagnostics.put("floorBesideIdle", "diagnostic: bare pipe, 15 idle workers beside, no pool");
        diagnostics.forEach((method, label) -> latency(results, "PathCostBenchmark." + method, null, null)
                .ifPresent(l -> q.latency.add(new LatencyRow(method, label, Optional.of(l)))));

        Optional<Mean> coldJvm = mean(results, "ColdBenchmark.jvmJsonRpc", null, null);
        Optional<Mean> coldJvmLine = mean(results, "ColdBenchmark.jvmLine", null, null);
        Optional<Mean> coldCat = mean(results, "ColdBenchmark.cat", null, null);
        Optional<Mean> coldCatPlain = mean(results, "ColdBenchmark.catPlain", null, null);
        q.cold.add(new MeanRow("jvmJsonRpc", "cold: JSON-RPC worker JVM per request (start, handshake, request, exit)",
                coldJvm));
        if (coldJvmLine.isPresent()) {
            q.cold.add(new MeanRow("jvmLine", "cold: Java line worker per request (oneshot)", coldJvmLine));
        }
        q.cold.add(new MeanRow("cat", "cold: cat per request (oneshot transport)", coldCat));
        q.cold.add(new MeanRow("catPlain", "cold: cat per request (plain ProcessBuilder)", coldCatPlain));

        for (String size : List.of("1", "2", "4")) {
            q.throughput.add(new MeanRow("poolSize" + size, "pool size " + size + ", 4 callers",
                    mean(results, "ThroughputBenchmark.fourCallers", "poolSize", size)));
        }
        if (smoke) {
            q.throughput.add(new MeanRow("oneCaller", "pool size 1, 1 caller",
                    mean(results, "ThroughputBenchmark.oneCaller", "poolSize", "1")));
            q.throughput.add(new MeanRow("sixteenCallers", "pool size 1, 16 callers",
                    mean(results, "ThroughputBenchmark.sixteenCallers", "poolSize", "1")));
        }

        q.ratios.add(new Ratio("warmOverFloorP50", "warm/floor p50, jsonrpc", div(p50(warm1), p50(floor)),
                "<=", TARGET_P50));
        q.ratios.add(new Ratio("warmOverFloorP99", "warm/floor p99, jsonrpc", div(p99(warm1), p99(floor)),
                "<=", TARGET_P99));
        q.ratios.add(new Ratio("warmOverFloorP50Line", "warm/floor p50, line (Java worker)",
                div(p50(warmLine), p50(floorLine)), "", Double.NaN));
        q.ratios.add(new Ratio("warmOverFloorP99Line", "warm/floor p99, line (Java worker)",
                div(p99(warmLine), p99(floorLine)), "", Double.NaN));
        q.ratios.add(new Ratio("coldOverWarmJvm", "cold/warm, JVM JSON-RPC worker (means)",
                div(coldJvm.map(m -> m.mean() * 1000).orElse(Double.NaN), warm1.map(Latency::mean).orElse(Double.NaN)),
                ">=", TARGET_COLD_WARM));
        q.ratios.add(new Ratio("coldOverWarmCat", "cold (plain ProcessBuilder)/warm, cat (means)",
                div(coldCatPlain.map(m -> m.mean() * 1000).orElse(Double.NaN), warmCat.map(Latency::mean).orElse(Double.NaN)),
                "", Double.NaN));
        q.ratios.add(new Ratio("idle16OverIdle1P50", "16 workers / 1 worker, p50", div(p50(warm16), p50(warm1)),
                "<=", TARGET_IDLE));
        q.ratios.add(new Ratio("idle16OverIdle1Mean", "16 workers / 1 worker, mean",
                div(warm16.map(Latency::mean).orElse(Double.NaN), warm1.map(Latency::mean).orElse(Double.NaN)),
                "", Double.NaN));
        return q;
    }

    private static double p50(Optional<Latency> l) {
        return l.map(Latency::p50).orElse(Double.NaN);
    }

    private static double p99(Optional<Latency> l) {
        return l.map(Latency::p99).orElse(Double.NaN);
    }

    private static double div(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? Double.NaN : a / b;
    }

    private static Optional<RunResult> find(Collection<RunResult> results, String benchmark, String param, String value) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + benchmark))
                .filter(r -> param == null || value.equals(r.getParams().getParam(param)))
                .findFirst();
    }

    private static Optional<Latency> latency(Collection<RunResult> results, String benchmark, String param, String value) {
        return find(results, benchmark, param, value).map(r -> Latency.of(r.getPrimaryResult().getStatistics()));
    }

    private static Optional<Mean> mean(Collection<RunResult> results, String benchmark, String param, String value) {
        return find(results, benchmark, param, value).map(Mean::of);
    }

    // ------------------------------------------------------------------ text

    String settings() {
        String pin = pinCpu.map(c -> "; latency benchmarks pinned to CPU " + c + " (taskset)").orElse("");
        return (smoke ? "smoke: one fork, no warmup, one 200 ms measurement (the numbers mean nothing)"
                : "one fork per benchmark; latency: 7 (JSON-RPC) or 3 (line) x 1 s warmup, 3 x 1 s measurement; throughput: 2 x 1 s warmup, "
                        + "2 x 1 s measurement; cold: 1 x 1 s warmup, 2 x 1 s measurement") + pin;
    }

    String text() {
        StringBuilder b = new StringBuilder();
        b.append("warmpool quick benchmark, ").append(date.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        b.append(machineLine()).append('\n');
        b.append(settings()).append("; took ").append(took.toSeconds()).append(" s").append(loadText()).append("\n\n");
        b.append(String.format(Locale.ROOT, "%-58s %9s %9s %9s %9s %9s%n", "Latency of one request, one caller (us)",
                "p50", "p99", "p99.9", "mean", "samples"));
        for (LatencyRow r : latency) {
            b.append(String.format(Locale.ROOT, "%-58s", r.label()));
            if (r.latency().isPresent()) {
                Latency l = r.latency().get();
                b.append(String.format(Locale.ROOT, " %9.1f %9.1f %9.1f %9.1f %9d%n", l.p50(), l.p99(), l.p999(), l.mean(),
                        l.samples()));
            } else {
                b.append(String.format(Locale.ROOT, " %9s%n", "n/a"));
            }
        }
        b.append('\n');
        meanRows(b, "A process per request (ms)", cold, 78, 9, 2);
        b.append('\n');
        meanRows(b, "Throughput, jsonrpc pool (requests/s)", throughput, 58, 12, 0);
        b.append('\n');
        b.append(String.format(Locale.ROOT, "%-58s %12s %12s %s%n", "Ratios", "value", "target", ""));
        for (Ratio r : ratios) {
            b.append(String.format(Locale.ROOT, "%-58s %12s %12s %s%n", r.label(), ratio(r.value()),
                    r.hasTarget() ? (r.comparison().equals("<=") ? "<= " : ">= ") + ratio(r.target()) : "",
                    verdict(r).map(m -> m ? "met" : "NOT met").orElse("")));
        }
        return b.toString();
    }

    /** @return whether the ratio meets its target; nothing for a smoke run, whose numbers mean nothing */
    private Optional<Boolean> verdict(Ratio r) {
        return smoke ? Optional.empty() : r.met();
    }

    private String loadText() {
        Object before = machine.get("loadAverageBefore");
        Object after = machine.get("loadAverageAfter");
        if (before == null || after == null) {
            return "";
        }
        return String.format(Locale.ROOT, "; load average %.2f before, %.2f after", (Double) before, (Double) after);
    }

    /** @return the lines under the latency chart: how the run went, and the machine (short enough to fit) */
    List<String> caption() {
        String pin = pinCpu.map(c -> "; latency pinned to CPU " + c + " (taskset)").orElse("");
        return List.of((smoke ? "Smoke run" : "Quick mode") + ", one JMH fork per benchmark" + pin + "; took "
                + took.toSeconds() + " s" + loadText() + ".", "Machine: JDK " + machine.get("jdk") + ", "
                + machine.get("nproc") + " CPUs (" + machine.get("cpu") + "), " + machine.get("memory") + ", "
                + machine.get("os") + ".");
    }

    private String machineLine() {
        return "JDK " + machine.get("jdk") + " (" + machine.get("vm") + "), " + machine.get("nproc") + " CPUs ("
                + machine.get("cpu") + "), " + machine.get("memory") + ", " + machine.get("os");
    }

    /** Appends a titled table of means: label column {@code labelWidth} wide, values {@code width} wide. */
    private static void meanRows(StringBuilder b, String title, List<MeanRow> rows, int labelWidth, int width,
            int decimals) {
        String label = "%-" + labelWidth + "s";
        String cell = " %" + width + "s";
        b.append(String.format(Locale.ROOT, label + cell + " %9s%n", title, "mean", "+-"));
        for (MeanRow r : rows) {
            b.append(String.format(Locale.ROOT, label, r.label()));
            b.append(r.mean().map(m -> String.format(Locale.ROOT, " %" + width + "." + decimals + "f %9s%n", m.mean(),
                    fixed(m.error(), decimals))).orElse(String.format(Locale.ROOT, cell + "%n", "n/a")));
        }
    }

    private static String fixed(double v, int places) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + places + "f", v);
    }

    private static String ratio(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%,.0fx", v);
        }
        return String.format(Locale.ROOT, "%.2fx", v);
    }

    private static Double round(double v, int places) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return null;
        }
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    // ------------------------------------------------------------------ JSON

    Path writeJson(Path dir) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("date", date.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        root.put("mode", smoke ? "smoke" : "quick");
        root.put("settings", settings());
        root.put("seconds", took.toSeconds());
        root.put("machine", machine);
        Map<String, Object> lat = new LinkedHashMap<>();
        latency.forEach(r -> lat.put(r.key(), r.latency().map(Latency::json).orElse(null)));
        root.put("latencyMicros", lat);
        Map<String, Object> c = new LinkedHashMap<>();
        cold.forEach(r -> c.put(r.key(), r.mean().map(Mean::json).orElse(null)));
        root.put("coldMillis", c);
        Map<String, Object> t = new LinkedHashMap<>();
        throughput.forEach(r -> t.put(r.key(), r.mean().map(Mean::json).orElse(null)));
        root.put("throughputPerSecond", t);
        Map<String, Object> rs = new LinkedHashMap<>();
        for (Ratio r : ratios) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", round(r.value(), 3));
            if (r.hasTarget()) {
                m.put("target", r.comparison() + " " + r.target());
                m.put("met", verdict(r).orElse(null));
            }
            rs.put(r.key(), m);
        }
        root.put("ratios", rs);
        Files.createDirectories(dir);
        Path file = dir.resolve("quick-results.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
        return file;
    }

    // ------------------------------------------------------------------ Markdown

    Path writeMarkdown(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("quick-results.md");
        Files.writeString(file, markdown());
        return file;
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("Measured ").append(date.toLocalDate()).append(" with the quick mode (").append(settings())
                .append(") on JDK ").append(machine.get("jdk")).append(" (").append(machine.get("vm")).append("), ")
                .append(machine.get("nproc")).append(" CPUs (").append(machine.get("cpu")).append("), ")
                .append(machine.get("memory")).append(", ").append(machine.get("os")).append(loadText()).append(".\n\n");
        b.append("| one request, one caller (µs) | p50 | p99 | p99.9 | mean |\n");
        b.append("|---|---:|---:|---:|---:|\n");
        for (LatencyRow r : latency) {
            b.append("| ").append(r.label()).append(" | ");
            b.append(r.latency().map(l -> String.format(Locale.ROOT, "%.1f | %.1f | %.1f | %.1f |", l.p50(), l.p99(),
                    l.p999(), l.mean())).orElse("n/a | | | |")).append('\n');
        }
        b.append('\n');
        b.append("| a process per request | mean (ms) |\n|---|---:|\n");
        for (MeanRow r : cold) {
            b.append("| ").append(r.label()).append(" | ")
                    .append(r.mean().map(m -> String.format(Locale.ROOT, "%.1f", m.mean())).orElse("n/a"))
                    .append(" |\n");
        }
        b.append('\n');
        b.append("| throughput, jsonrpc pool | requests/s |\n|---|---:|\n");
        for (MeanRow r : throughput) {
            b.append("| ").append(r.label()).append(" | ")
                    .append(r.mean().map(m -> String.format(Locale.ROOT, "%,.0f", m.mean()))
                            .orElse("n/a"))
                    .append(" |\n");
        }
        b.append('\n');
        b.append("| ratio | value | target |\n|---|---:|---|\n");
        for (Ratio r : ratios) {
            b.append("| ").append(r.label()).append(" | ").append(ratio(r.value())).append(" | ");
            if (r.hasTarget()) {
                b.append(r.comparison().equals("<=") ? "≤ " : "≥ ").append(ratio(r.target()))
                        .append(verdict(r).map(m -> m ? " (met)" : " (not met)").orElse(""));
            }
            b.append(" |\n");
        }
        return b.toString();
    }
}
