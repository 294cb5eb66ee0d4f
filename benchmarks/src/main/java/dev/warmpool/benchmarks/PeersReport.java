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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * The figures of one {@link Peers} run: every round's latency distribution and throughput of every
 * contender, their medians over the rounds, and one table of them with the ratios beside — each
 * warmpool worker against its language's raw pipe floor (and the Python and Node libraries against
 * the plainest inline worker of their language), and warmpool against each peer. As Markdown and
 * JSON.
 *
 * <p>Latency ratios are "this ÷ that" of the medians: below 1 means the first is faster.
 * Throughput ratios likewise: above 1 means the first serves more. Not thread-safe.
 */
final class PeersReport {
    /** One ratio row: {@code numerator ÷ denominator}, both contender keys. */
    private record Ratio(String label, String numerator, String denominator) {
    }

    /** A contender's row and the ratios printed under it. */
    private record Row(String key, String label, List<Ratio> ratios) {
    }

    private final PeersMode mode;
    private final ZonedDateTime date = ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS);
    private final Map<String, Object> machine = Machine.describe();
    private final Map<String, String> runtimes = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, List<Percentiles>> latency = new LinkedHashMap<>();
    private final Map<String, List<Double>> throughput = new LinkedHashMap<>();
    private final Map<String, String> skipped = new LinkedHashMap<>();
    private Duration took = Duration.ZERO;

    PeersReport(PeersMode mode) {
        this.mode = mode;
    }

    /** Adds a contender's row; its ratios are added with {@link #ratio}. */
    void row(String key, String label) {
        rows.add(new Row(key, label, new ArrayList<>()));
    }

    /** Adds a ratio under the last row. */
    void ratio(String label, String numerator, String denominator) {
        rows.getLast().ratios().add(new Ratio(label, numerator, denominator));
    }

    void runtime(String name, String version) {
        runtimes.put(name, version);
    }

    void latency(String key, Percentiles p) {
        latency.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
    }

    void throughput(String key, double perSecond) {
        throughput.computeIfAbsent(key, k -> new ArrayList<>()).add(perSecond);
    }

    /** Marks a contender as not measured (or no longer measured), with the reason. */
    void skip(String key, String reason) {
        skipped.putIfAbsent(key, reason);
    }

    boolean skipped(String key) {
        return skipped.containsKey(key);
    }

    void finish(Duration took, Optional<Double> loadBefore, Optional<Double> loadAfter) {
        this.took = took;
        loadBefore.ifPresent(l -> machine.put("loadAverageBefore", l));
        loadAfter.ifPresent(l -> machine.put("loadAverageAfter", l));
    }

    private OptionalDouble median(String key, ToDoubleFunction<Percentiles> f) {
        return median(latency.getOrDefault(key, List.of()).stream().mapToDouble(f).toArray());
    }

    private OptionalDouble medianThroughput(String key) {
        return median(throughput.getOrDefault(key, List.of()).stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static OptionalDouble median(double[] values) {
        if (values.length == 0) {
            return OptionalDouble.empty();
        }
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int n = v.length;
        return OptionalDouble.of(n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
    }

    private static OptionalDouble divide(OptionalDouble a, OptionalDouble b) {
        return a.isPresent() && b.isPresent() && b.getAsDouble() > 0 ? OptionalDouble.of(a.getAsDouble() / b.getAsDouble())
                : OptionalDouble.empty();
    }

    private List<OptionalDouble> figures(String key) {
        return List.of(median(key, Percentiles::p50), median(key, Percentiles::p99), median(key, Percentiles::p999),
                medianThroughput(key));
    }

    private List<OptionalDouble> ratios(Ratio r) {
        List<OptionalDouble> a = figures(r.numerator());
        List<OptionalDouble> b = figures(r.denominator());
        List<OptionalDouble> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(divide(a.get(i), b.get(i)));
        }
        return out;
    }

    private static String number(OptionalDouble v, String format) {
        return v.isPresent() ? String.format(Locale.ROOT, format, v.getAsDouble()) : "—";
    }

    /** @return the table, with a header saying what, where and how */
    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("Peers benchmark, ").append(date.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append(", unpinned. ")
                .append(mode.describe()).append("; medians of the rounds; took ").append(took.toSeconds()).append(" s.\n\n");
        b.append("Machine: ").append(machine.get("cpu")).append(", ").append(machine.get("nproc")).append(" CPUs, ")
                .append(machine.get("memory")).append(", ").append(machine.get("os")).append("; JDK ")
                .append(machine.get("jdk"));
        if (machine.containsKey("loadAverageBefore")) {
            b.append("; load average ").append(machine.get("loadAverageBefore")).append(" before, ")
                    .append(machine.getOrDefault("loadAverageAfter", "?")).append(" after");
        }
        b.append(".\n");
        if (!runtimes.isEmpty()) {
            List<String> r = new ArrayList<>();
            runtimes.forEach((k, v) -> r.add(k + " " + v));
            b.append("Runtimes: ").append(String.join(", ", r)).append(".\n");
        }
        b.append("\nPayload `").append(PeerPayload.JSON).append("`, answered with itself. Latency in µs (one caller); ")
                .append("req/s with ").append(mode.workers()).append(" workers and ").append(mode.callers())
                .append(" callers. Ratios are medians divided: latency below 1 and req/s above 1 favour the left side.\n\n");
        b.append("| what answers | p50 | p99 | p99.9 | req/s | ratio | p50 | p99 | p99.9 | req/s |\n");
        b.append("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            List<OptionalDouble> f = figures(row.key());
            String label = row.label() + (skipped.containsKey(row.key()) && f.get(0).isEmpty() ? " (skipped)" : "");
            b.append("| ").append(label).append(" | ").append(number(f.get(0), "%.1f")).append(" | ")
                    .append(number(f.get(1), "%.1f")).append(" | ").append(number(f.get(2), "%.1f")).append(" | ")
                    .append(number(f.get(3), "%,.0f")).append(" | ");
            if (row.ratios().isEmpty()) {
                b.append(" | | | | |\n");
                continue;
            }
            for (int i = 0; i < row.ratios().size(); i++) {
                Ratio r = row.ratios().get(i);
                if (i > 0) {
                    b.append("| | | | | | ");
                }
                List<OptionalDouble> q = ratios(r);
                b.append(r.label()).append(" | ").append(number(q.get(0), "%.2f×")).append(" | ")
                        .append(number(q.get(1), "%.2f×")).append(" | ").append(number(q.get(2), "%.2f×")).append(" | ")
                        .append(number(q.get(3), "%.2f×")).append(" |\n");
            }
        }
        if (!skipped.isEmpty()) {
            b.append("\nNot measured:\n");
            skipped.forEach((k, why) -> b.append("- ").append(k).append(": ").append(why).append('\n'));
        }
        return b.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", date.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        m.put("mode", mode.name());
        m.put("settings", mode.describe());
        m.put("tookSeconds", took.toSeconds());
        m.put("machine", machine);
        m.put("runtimes", runtimes);
        m.put("payload", PeerPayload.JSON);
        Map<String, Object> contenders = new LinkedHashMap<>();
        for (Row row : rows) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("label", row.label());
            List<OptionalDouble> f = figures(row.key());
            Map<String, Object> medians = new LinkedHashMap<>();
            f.get(0).ifPresent(v -> medians.put("p50", Percentiles.round(v)));
            f.get(1).ifPresent(v -> medians.put("p99", Percentiles.round(v)));
            f.get(2).ifPresent(v -> medians.put("p99.9", Percentiles.round(v)));
            f.get(3).ifPresent(v -> medians.put("requestsPerSecond", Math.round(v)));
            c.put("medians", medians);
            c.put("rounds", latency.getOrDefault(row.key(), List.of()).stream().map(Percentiles::json).toList());
            c.put("throughputRounds", throughput.getOrDefault(row.key(), List.of()).stream().map(Math::round).toList());
            Map<String, Object> ratios = new LinkedHashMap<>();
            for (Ratio r : row.ratios()) {
                List<OptionalDouble> q = ratios(r);
                Map<String, Object> values = new LinkedHashMap<>();
                String[] names = {"p50", "p99", "p99.9", "requestsPerSecond"};
                for (int i = 0; i < names.length; i++) {
                    int k = i;
                    q.get(i).ifPresent(v -> values.put(names[k], Math.round(v * 1000) / 1000.0));
                }
                ratios.put(r.numerator() + " / " + r.denominator(), values);
            }
            c.put("ratios", ratios);
            if (skipped.containsKey(row.key())) {
                c.put("skipped", skipped.get(row.key()));
            }
            contenders.put(row.key(), c);
        }
        m.put("contenders", contenders);
        return m;
    }

    /** Writes {@code peers-results.md} and {@code peers-results.json} into {@code dir}. */
    List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path md = dir.resolve("peers-results.md");
        Path json = dir.resolve("peers-results.json");
        Files.writeString(md, markdown());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), json());
        return List.of(md, json);
    }
}
