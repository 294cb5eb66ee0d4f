package dev.warmpool.benchmarks;

import dev.warmpool.core.WarmPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Where the time goes under load (not JMH: it reads the kernel's counters around a window of
 * load). A {@code jsonrpc} pool of {@code workers} Java SDK echo workers ({@link JsonRpcEchoWorker}),
 * or a {@code line} pool of {@code cat} (the pool side with a worker that costs next to nothing),
 * and {@code callers} platform threads that each send the next request as soon as they have their
 * answer. After a warm-up it counts the answers of a window and, from {@code /proc}, for every
 * thread of this JVM and of the workers, the context switches (voluntary: the thread blocked;
 * involuntary: it was preempted) and the CPU time spent in the window, grouped by thread name
 * (the kernel keeps 15 characters of it; digits are dropped, so {@code caller-3} counts as
 * {@code caller-}). Printed per request: how often each kind of thread blocked, woke and was
 * preempted, and how many microseconds of CPU it used.
 *
 * <pre>
 * java -Xms512m -Xmx512m -cp benchmarks/target/benchmarks.jar dev.warmpool.benchmarks.LoadProfile [jsonrpc|line] [workers] [callers] [seconds] [rounds]
 * </pre>
 * Linux only ({@code /proc}).
 */
public final class LoadProfile {
    private LoadProfile() {
    }

    /** The counters of one group of threads. */
    record Counters(long voluntary, long involuntary, long cpuTicks) {
        Counters plus(Counters o) {
            return new Counters(voluntary + o.voluntary, involuntary + o.involuntary, cpuTicks + o.cpuTicks);
        }

        Counters minus(Counters o) {
            return new Counters(voluntary - o.voluntary, involuntary - o.involuntary, cpuTicks - o.cpuTicks);
        }
    }

    /**
     * @param args transport ({@code jsonrpc}), workers (2), callers (8), seconds of the window (5), rounds (3)
     * @throws Exception if the pool fails
     */
    public static void main(String[] args) throws Exception {
        String transport = args.length > 0 ? args[0] : "jsonrpc";
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int callers = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        boolean line = "line".equals(transport);
        Object params = line ? Programs.TEXT : Programs.PARAMS;
        try (WarmPool pool = Programs.startPool(transport, line ? Programs.cat() : Programs.jsonRpcWorker(), workers)) {
            run(pool, params, callers, Duration.ofSeconds(3), null); // the workers' JIT
            for (int r = 1; r <= rounds; r++) {
                System.out.printf(Locale.ROOT, "%s, %d workers, %d callers, round %d, load average %s%n", transport,
                        workers, callers, r, loadAverage());
                run(pool, params, callers, Duration.ofSeconds(seconds), pool.workerPids());
            }
        }
    }

    private static void run(WarmPool pool, Object params, int callers, Duration window, List<Long> workerPids)
            throws Exception {
        LongAdder answered = new LongAdder();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Flags flags = new Flags();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            threads.add(Thread.ofPlatform().name("caller-" + i).start(() -> {
                try {
                    while (!flags.stop) {
                        pool.submit(Programs.METHOD, params).join();
                        if (flags.counting) {
                            answered.increment();
                        }
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        Thread.sleep(500);
        long self = ProcessHandle.current().pid();
        Map<String, Counters> poolBefore = threads(self);
        Map<String, Counters> workersBefore = workerPids == null ? Map.of() : threads(workerPids);
        flags.counting = true;
        long start = System.nanoTime();
        Thread.sleep(window);
        flags.counting = false;
        long elapsed = System.nanoTime() - start;
        long count = answered.sum();
        Map<String, Counters> poolAfter = threads(self);
        Map<String, Counters> workersAfter = workerPids == null ? Map.of() : threads(workerPids);
        flags.stop = true;
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        if (workerPids == null) {
            return;
        }
        System.out.printf(Locale.ROOT, "%,.0f requests/s (%,d in %.2f s)%n", count / (elapsed / 1e9), count, elapsed / 1e9);
        print("pool JVM", poolBefore, poolAfter, count);
        print("workers", workersBefore, workersAfter, count);
    }

    private static void print(String what, Map<String, Counters> before, Map<String, Counters> after, long requests) {
        long hz = 100; // USER_HZ: the unit of utime and stime in /proc/PID/task/TID/stat on Linux
        System.out.printf(Locale.ROOT, "  %-10s %-18s %10s %10s %10s%n", what, "threads", "blocks/req", "preempt/req", "cpu µs/req");
        Counters total = new Counters(0, 0, 0);
        for (Map.Entry<String, Counters> e : after.entrySet()) {
            Counters d = e.getValue().minus(before.getOrDefault(e.getKey(), new Counters(0, 0, 0)));
            total = total.plus(d);
            if (d.voluntary() + d.involuntary() + d.cpuTicks() == 0) {
                continue;
            }
            System.out.printf(Locale.ROOT, "  %-10s %-18s %10.2f %10.2f %10.1f%n", "", e.getKey(),
                    d.voluntary() / (double) requests, d.involuntary() / (double) requests,
                    d.cpuTicks() * 1e6 / hz / requests);
        }
        System.out.printf(Locale.ROOT, "  %-10s %-18s %10.2f %10.2f %10.1f%n", "", "(all)",
                total.voluntary() / (double) requests, total.involuntary() / (double) requests,
                total.cpuTicks() * 1e6 / hz / requests);
    }

    private static Map<String, Counters> threads(long pid) throws IOException {
        return threads(List.of(pid));
    }

    /** @return the counters of every thread of these processes, summed by thread name without digits */
    private static Map<String, Counters> threads(List<Long> pids) throws IOException {
        Map<String, Counters> out = new TreeMap<>();
        for (long pid : pids) {
            Path tasks = Path.of("/proc", Long.toString(pid), "task");
            List<Path> list;
            try (Stream<Path> s = Files.list(tasks)) {
                list = s.toList();
            }
            for (Path task : list) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]", "");
                    long vol = 0;
                    long invol = 0;
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            vol = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            invol = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                        }
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // after the name: state(0) ... utime(11) stime(12)
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    out.merge(name, new Counters(vol, invol, ticks), Counters::plus);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** What the callers look at between requests. */
    private static final class Flags {
        volatile boolean counting;
        volatile boolean stop;
    }
}
