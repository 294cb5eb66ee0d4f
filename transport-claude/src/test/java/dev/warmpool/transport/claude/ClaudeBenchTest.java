package dev.warmpool.transport.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.core.WarmPool;
import dev.warmpool.transport.claude.testing.ClaudeCliLocator;
import dev.warmpool.transport.claude.testing.FakeMessagesApi;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a test: a cold {@code claude -p} per event against a warm pool of {@code claude}
 * workers, in the same run, on the same {@link FakeMessagesApi} (which answers at once, so what is
 * measured is what the CLI and the pool add to an event, not a model's time). Off unless the system
 * property {@code warmpool.claude.bench} is {@code true}; run it with
 *
 * <pre>
 * ./mvnw -B -q -pl transport-claude test -Dwarmpool.claude.bench=true
 * </pre>
 *
 * (the {@code claude-bench} profile in this module's pom then runs only this class and shows its
 * output). It prints, and writes to {@code target/claude-bench.md}, p50/p90/max per event of:
 * <ul>
 *   <li>cold: {@code claude -p "/triage {event}" --output-format json} per event, stdin from
 *       {@code /dev/null} (with an open stdin pipe the CLI first waits 3 s for input: a few of those
 *       are measured too), after one untimed run;
 *   <li>warm: {@code execute_handler} through a {@link WarmPool} of 2 workers, after warm-up events,
 *       timed from {@code submit} to the result: {@code reset=clear} with events spaced out (the
 *       listener's case: the {@code /clear} after each turn is done before the next event comes),
 *       {@code reset=clear} back to back (the pool gives the next event to the worker freed last,
 *       which is still running its {@code /clear}, so the event waits for it), the same alternating
 *       between two one-worker pools (what picking the other, settled worker would give), and
 *       {@code reset=keep} both ways (no {@code /clear}; one conversation that grows by two messages
 *       per event);
 *   <li>a {@code /clear} on its own.
 * </ul>
 * The cases run in rounds (each round: one cold event and a few events of every warm case, in an
 * order that shifts from round to round), so that the load of a shared machine falls on all alike.
 * Properties: {@code warmpool.claude.bench.cold} (10 events), {@code .warm} (30 per warm case),
 * {@code .warmup} (6), {@code .gapMillis} (100), {@code .openStdin} (2). Nothing about timing is asserted.
 */
@EnabledIfSystemProperty(named = "warmpool.claude.bench", matches = "true",
        disabledReason = "a benchmark: run it with -Dwarmpool.claude.bench=true")
class ClaudeBenchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HANDLER = "triage";

    @TempDir
    Path home;
    @TempDir
    Path project;

    private FakeMessagesApi api;
    private final StringBuilder report = new StringBuilder();

    private static int prop(String name, int def) {
        return Integer.getInteger("warmpool.claude.bench." + name, def);
    }

    /** p50, p90, max of a sample, in nanoseconds; nearest rank. */
    private record Stats(int n, long p50, long p90, long max) {
        static Stats of(long[] nanos) {
            long[] s = nanos.clone();
            Arrays.sort(s);
            return new Stats(s.length, rank(s, 0.50), rank(s, 0.90), s[s.length - 1]);
        }

        private static long rank(long[] sorted, double p) {
            int i = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }
    }

    private static String ms(long nanos) {
        double v = nanos / 1e6;
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private void line(String s) {
        System.out.println(s);
        report.append(s).append('\n');
    }

    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin"));
        env.putAll(api.claudeEnvironment(home));
        return env;
    }

    private static Map<String, Object> event(int n) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", n);
        e.put("kind", "push");
        e.put("repo", "example/app");
        return e;
    }

    private static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** One warm case: the pools its events go to (in turn), how they are spaced, and what was measured. */
    private static final class Case {
        final String name;
        final List<WarmPool> pools;
        final boolean paced;
        final boolean clearOnly;
        final List<Long> wall = new ArrayList<>();
        final List<Long> cli = new ArrayList<>();
        int sent;

        Case(String name, List<WarmPool> pools, boolean paced, boolean clearOnly) {
            this.name = name;
            this.pools = pools;
            this.paced = paced;
            this.clearOnly = clearOnly;
        }

        WarmPool nextPool() {
            return pools.get(sent++ % pools.size());
        }
    }

    private int eventIds = 10_000;

    @Test
    @Timeout(1800)
    void coldClaudePerEventAgainstAWarmPool() throws Exception {
        Path claude = ClaudeCliLocator.find().orElse(null);
        Assumptions.assumeTrue(claude != null, ClaudeCliLocator::notFound);
        Path commands = Files.createDirectories(project.resolve(".claude/commands"));
        Files.writeString(commands.resolve(HANDLER + ".md"), "---\ndescription: triages an event\n---\n"
                + "Triage this event: $ARGUMENTS\n");
        int coldN = prop("cold", 10);
        int warmN = prop("warm", 30);
        int warmup = prop("warmup", 6);
        int gap = prop("gapMillis", 100);
        int openStdin = prop("openStdin", 2);
        // the cases run in rounds, so that the load of a shared machine falls on all of them alike
        int perRound = Math.max(1, Math.round((float) warmN / coldN));

        try (FakeMessagesApi fake = new FakeMessagesApi()) {
            api = fake;
            String version = new String(new ProcessBuilder(claude.toString(), "--version")
                    .redirectErrorStream(true).start().getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            line("# claude: cold `claude -p` per event vs a warm pool of 2 workers");
            line("");
            line("CLI " + version + "; fake Messages API on loopback (answers at once); "
                    + Runtime.getRuntime().availableProcessors() + " CPUs; load average at start: " + loadavg() + ".");
            line("");

            List<String> readiness = new ArrayList<>();
            List<WarmPool> pools = new ArrayList<>();
            try {
                WarmPool clear2 = startPool(claude, "clear", 2, readiness, pools);
                // By default the pool hands an event to the worker freed last, so back-to-back events
                // go to the worker still running its /clear; least-recently-used dispatch picks the
                // other, settled worker.
                WarmPool clearLru = startPool(claude, "clear", 2, readiness, pools,
                        PoolConfig.DispatchOrder.LEAST_RECENTLY_USED);
                WarmPool keep2 = startPool(claude, "keep", 2, readiness, pools);
                WarmPool clearOnly = startPool(claude, "keep", 1, readiness, pools);
                for (WarmPool p : pools) {
                    warmUp(p, p.config().size() == 1 ? 2 : warmup);
                }
                List<Case> cases = List.of(
                        new Case("warm pool, reset=clear, events " + gap + " ms apart", List.of(clear2), true, false),
                        new Case("warm pool, reset=clear, back to back", List.of(clear2), false, false),
                        new Case("warm pool, reset=clear, back to back, least-recently-used dispatch",
                                List.of(clearLru), false, false),
                        new Case("warm pool, reset=keep, events " + gap + " ms apart", List.of(keep2), true, false),
                        new Case("warm pool, reset=keep, back to back", List.of(keep2), false, false),
                        new Case("a `/clear` alone (a prompt to a reset=keep worker), back to back",
                                List.of(clearOnly), false, true));

                coldEvent(claude, -1, true); // untimed: page cache, first-run files in HOME
                long[] cold = new long[coldN];
                long[] coldCli = new long[coldN];
                for (int round = 0; round < coldN; round++) {
                    // cold first in one round, then second, …: no case always follows the same one
                    for (int step = 0; step <= cases.size(); step++) {
                        int which = (step + round) % (cases.size() + 1);
                        if (which == cases.size()) {
                            long[] r = coldEvent(claude, round, true);
                            cold[round] = r[0];
                            coldCli[round] = r[1];
                        } else {
                            run(cases.get(which), perRound, gap);
                        }
                    }
                }
                long[] openPipe = new long[openStdin];
                for (int i = 0; i < openStdin; i++) {
                    openPipe[i] = coldEvent(claude, 1000 + i, false)[0];
                }
                for (WarmPool p : pools) {
                    PoolMetrics m = p.metrics();
                    assertEquals(p.config().size(), m.totalSpawns(), "no worker was replaced: " + m);
                }
                report(cold, coldCli, cases, openPipe, readiness);
            } finally {
                for (WarmPool p : pools) {
                    p.close();
                }
            }
            Path out = Path.of("target", "claude-bench.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        }
    }

    private void report(long[] cold, long[] coldCli, List<Case> cases, long[] openPipe, List<String> readiness) {
        Stats c = Stats.of(cold);
        line("| per event (ms) | n | p50 | p90 | max | cold p50 / p50 |");
        line("|---|---:|---:|---:|---:|---:|");
        line("| cold `claude -p … --output-format json < /dev/null` | " + c.n + " | " + ms(c.p50) + " | "
                + ms(c.p90) + " | " + ms(c.max) + " | 1.0× |");
        for (Case k : cases) {
            Stats w = Stats.of(k.wall.stream().mapToLong(Long::longValue).toArray());
            line("| " + k.name + " | " + w.n + " | " + ms(w.p50) + " | " + ms(w.p90) + " | " + ms(w.max)
                    + " | " + (k.clearOnly ? "–" : String.format(Locale.ROOT, "%.1f×", (double) c.p50 / w.p50)) + " |");
        }
        if (openPipe.length > 0) {
            Stats o = Stats.of(openPipe);
            line("| cold `claude -p …` with stdin an open pipe (ProcessBuilder's default) | " + o.n + " | "
                    + ms(o.p50) + " | " + ms(o.p90) + " | " + ms(o.max) + " | "
                    + String.format(Locale.ROOT, "%.2f×", (double) c.p50 / o.p50) + " |");
        }
        line("");
        line("The CLI's own `duration_ms` of the turn, p50: cold " + ms(Stats.of(coldCli).p50) + " ms (of "
                + ms(c.p50) + " ms wall); " + String.join("; ", cases.stream().filter(k -> !k.clearOnly)
                .map(k -> k.name.replace("warm pool, ", "") + " "
                        + ms(Stats.of(k.cli.stream().mapToLong(Long::longValue).toArray()).p50) + " ms").toList())
                + ".");
        line("Pools started (ready once every CLI answered `initialize`): " + String.join(", ", readiness) + ".");
        line("Load average at end: " + loadavg() + ".");
    }

    /** Runs {@code n} timed events of a case; a back-to-back case first sends one untimed event. */
    private void run(Case k, int n, int gapMillis) throws Exception {
        if (!k.paced) {
            send(k);
        }
        for (int i = 0; i < n; i++) {
            if (k.paced) {
                Thread.sleep(gapMillis);
            }
            long t0 = System.nanoTime();
            ClaudeResult r = send(k);
            k.wall.add(System.nanoTime() - t0);
            k.cli.add(TimeUnit.MILLISECONDS.toNanos(r.durationMs()));
        }
    }

    private ClaudeResult send(Case k) throws Exception {
        WarmPool pool = k.nextPool();
        if (k.clearOnly) {
            return pool.submit("prompt", "/clear", ClaudeResult.class).get(60, TimeUnit.SECONDS);
        }
        ClaudeResult r = submit(pool, eventIds++).get(60, TimeUnit.SECONDS);
        assertTrue(r.success() && r.output().startsWith("fake answer"), r.toString());
        return r;
    }

    /**
     * One cold {@code claude -p} for an event.
     *
     * @return {wall time from start to exit, the CLI's own duration_ms}, in nanoseconds
     */
    private long[] coldEvent(Path claude, int n, boolean devNull) throws Exception {
        String prompt = "/" + HANDLER + " " + JSON.writeValueAsString(event(n));
        ProcessBuilder pb = new ProcessBuilder(claude.toString(), "-p", prompt, "--output-format", "json");
        pb.environment().clear();
        pb.environment().putAll(environment());
        pb.directory(project.toFile());
        Path err = Files.createTempFile(home, "cold", ".err");
        pb.redirectError(err.toFile());
        if (devNull) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        long t0 = System.nanoTime();
        Process p = pb.start();
        byte[] out;
        OutputStream stdin = p.getOutputStream(); // open, and left open, unless stdin is /dev/null
        try {
            out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "cold claude -p exits");
        } finally {
            stdin.close();
            p.destroyForcibly();
        }
        long wall = System.nanoTime() - t0;
        JsonNode r = JSON.readTree(out);
        assertEquals(0, p.exitValue(), new String(out, StandardCharsets.UTF_8) + Files.readString(err));
        assertEquals(false, r.path("is_error").asBoolean(true), r.toString());
        assertTrue(r.path("result").asText().startsWith("fake answer"), r.toString());
        return new long[] {wall, TimeUnit.MILLISECONDS.toNanos(r.path("duration_ms").asLong())};
    }

    private WarmPool startPool(Path claude, String reset, int size, List<String> readiness, List<WarmPool> pools) {
        return startPool(claude, reset, size, readiness, pools, PoolConfig.DispatchOrder.MOST_RECENTLY_USED);
    }

    private WarmPool startPool(Path claude, String reset, int size, List<String> readiness, List<WarmPool> pools,
                               PoolConfig.DispatchOrder order) {
        PoolConfig.Builder b = PoolConfig.builder()
                .dispatchOrder(order)
                .transport("claude")
                .transportSetting("reset", reset)
                .command(claude.toString())
                .directory(project)
                .inheritEnvironment();
        environment().forEach(b::environment);
        PoolConfig config = b.size(size).minSize(size).maxSize(size)
                .startTimeout(Duration.ofSeconds(60))
                .requestTimeout(Duration.ofSeconds(60))
                .noShutdownHook()
                .build();
        long t0 = System.nanoTime();
        WarmPool pool = WarmPool.start(config);
        pools.add(pool);
        readiness.add(size + " × reset=" + reset + " in " + ms(System.nanoTime() - t0) + " ms");
        return pool;
    }

    private static CompletableFuture<ClaudeResult> submit(WarmPool pool, int n) {
        return pool.submit("execute_handler", Map.of("handler_name", HANDLER, "event", event(n)), ClaudeResult.class);
    }

    /** Events in pairs, so both workers of a pool of 2 have served their first turns (the pool gives work to the last freed worker). */
    private static void warmUp(WarmPool pool, int events) throws Exception {
        for (int i = 0; i < events; i += 2) {
            CompletableFuture<ClaudeResult> a = submit(pool, 5000 + i);
            CompletableFuture<ClaudeResult> b = submit(pool, 5001 + i);
            assertTrue(a.get(60, TimeUnit.SECONDS).success());
            assertTrue(b.get(60, TimeUnit.SECONDS).success());
        }
    }
}
