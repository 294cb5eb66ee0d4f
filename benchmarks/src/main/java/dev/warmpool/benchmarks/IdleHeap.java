package dev.warmpool.benchmarks;

import dev.warmpool.core.WarmPool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an idle worker costs the pool's heap (not JMH: a heap is measured, not a time).
 *
 * <p>Starts a pool of {@code small} workers and one of {@code large} workers of the same program
 * (by default {@code line} pools of {@code cat}, 1 and 64 workers), each after the previous is
 * closed, lets them settle, and takes the live-object class histogram of this JVM with
 * {@code jcmd PID GC.class_histogram} (which runs a full GC first) into a file, so the histograms
 * themselves are not in the heap they measure. The difference
 * between the two histograms, divided by {@code large - small}, is what one more idle worker holds:
 * printed in total and by class, largest first.
 *
 * <pre>
 * java -Xms512m -Xmx512m -cp benchmarks/target/benchmarks.jar dev.warmpool.benchmarks.IdleHeap [line|jsonrpc] [small] [large]
 * </pre>
 */
public final class IdleHeap {
    private IdleHeap() {
    }

    /** One line of a class histogram: instances and bytes of one class. */
    record Row(long instances, long bytes) {
        Row minus(Row o) {
            return new Row(instances - o.instances, bytes - o.bytes);
        }
    }

    /**
     * @param args the transport ({@code line}: {@code cat}, or {@code jsonrpc}: the Java SDK echo
     *     worker), and the two pool sizes
     * @throws Exception if the diagnostic command fails
     */
    public static void main(String[] args) throws Exception {
        String transport = args.length > 0 ? args[0] : "line";
        int small = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int large = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        List<String> command = "jsonrpc".equals(transport) ? Programs.jsonRpcWorker() : Programs.cat();
        // the classes of a pool are loaded once, so the first histogram does not count them
        measure(transport, command, small);
        Path fileA = measure(transport, command, small);
        Path fileB = measure(transport, command, large);
        Map<String, Row> a = parse(fileA);
        Map<String, Row> b = parse(fileB);
        Map<String, Row> diff = new HashMap<>();
        b.forEach((k, v) -> diff.put(k, v.minus(a.getOrDefault(k, new Row(0, 0)))));
        a.forEach((k, v) -> diff.putIfAbsent(k, new Row(-v.instances, -v.bytes)));
        int n = large - small;
        long total = diff.values().stream().mapToLong(Row::bytes).sum();
        System.out.printf(Locale.ROOT, "%s pool of %s: %d workers vs %d workers: %+,d bytes live, %,.1f KiB per idle worker%n",
                transport, command.get(0).contains("java") ? "the Java SDK echo worker" : String.join(" ", command),
                large, small, total, total / 1024.0 / n);
        System.out.printf(Locale.ROOT, "%12s %10s  %s%n", "bytes/worker", "obj/worker", "class");
        List<Map.Entry<String, Row>> rows = new ArrayList<>(diff.entrySet());
        rows.sort(Comparator.comparingLong((Map.Entry<String, Row> e) -> -Math.abs(e.getValue().bytes())));
        for (Map.Entry<String, Row> e : rows) {
            double per = e.getValue().bytes() / (double) n;
            if (Math.abs(per) < 64) {
                break;
            }
            System.out.printf(Locale.ROOT, "%,12.0f %10.1f  %s%n", per, e.getValue().instances() / (double) n, e.getKey());
        }
    }

    private static Path measure(String transport, List<String> command, int workers) throws Exception {
        Path h;
        try (WarmPool pool = Programs.startPool(transport, command, workers)) {
            for (int i = 0; i < 1000; i++) {
                call(pool, transport);
            }
            Programs.settle(pool.workerPids());
            Thread.sleep(500);
            h = histogram();
        }
        return h;
    }

    private static Object call(WarmPool pool, String transport) {
        return "jsonrpc".equals(transport) ? pool.submit(Programs.METHOD, Programs.PARAMS).join()
                : pool.submit(Programs.METHOD, Programs.TEXT).join();
    }

    /** @return a file with this JVM's live objects by class, after a full GC, as {@code jcmd} prints them */
    static Path histogram() throws IOException, InterruptedException {
        Path out = Files.createTempFile("warmpool-histogram-", ".txt");
        out.toFile().deleteOnExit();
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                .redirectOutput(out.toFile())
                .redirectErrorStream(true)
                .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd GC.class_histogram failed: " + Files.readString(out));
        }
        return out;
    }

    private static Map<String, Row> parse(Path file) throws IOException {
        Map<String, Row> out = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.trim().split("\\s+");
            // " 1:   1234   56789  java.lang.String (java.base@25)"
            if (f.length >= 4 && f[0].endsWith(":")) {
                out.merge(f[3], new Row(Long.parseLong(f[1]), Long.parseLong(f[2])),
                        (x, y) -> new Row(x.instances + y.instances, x.bytes + y.bytes));
            }
        }
        return out;
    }
}
