package dev.warmpool.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.Request;
import dev.warmpool.cli.demo.HandlerWorker;
import dev.warmpool.cli.demo.Handlers;
import dev.warmpool.core.WarmPool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code warmpool demo}: the event listener that warmpool was made for. An orchestrator takes a
 * stream of events and dispatches each to a named handler — {@code execute_handler} with
 * {@code {"handler_name":..,"event":{..}}}, answered {@code {"success":..,"output":..,"stderr":..}}
 * — once with a new handler process per event (cold: what the listener did) and once through a
 * warm pool of the same handler program, and shows the two side by side.
 *
 * <p>The handler program is {@link HandlerWorker}, a JVM started from this command's own class path,
 * so the demo needs nothing but the warmpool jar. Nothing is simulated: the cold numbers are the
 * real cost of starting a JVM and its handler for every event.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpWidth = 100,
        header = "The event-listener demo: handlers cold (a JVM per event) against warm (a pool).",
        description = {
                "The event-listener scenario: an orchestrator dispatches each event of a stream to a named",
                "handler (execute_handler with handler_name and event; the answer has success, output and",
                "stderr), first with a new handler process per event (cold), then through a warm pool of",
                "the same handler program, and shows per-event latency, total time, processes started",
                "and the speed-up side by side. The handlers (say-something-nice, summarize-event,",
                "count-words, echo-event) are Java workers bundled in the warmpool jar.",
                ""},
        footer = {"",
                "Examples:",
                "  ./warmpool demo",
                "  ./warmpool demo --count 30 --size 2",
                "  ./warmpool demo --events my-events.jsonl --handler summarize-event",
                "",
                "An events file has one JSON object per line: {\"handler\":\"count-words\",\"event\":{...}},",
                "or just the event {...}, which goes to --handler.",
                "Exit status: 0 every event was handled, 1 one failed, 2 bad arguments."})
final class DemoCommand implements Callable<Integer> {
    /** The JVM options of the handler workers, cold and warm alike: the usual ones for a short-lived JVM. */
    static final List<String> WORKER_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @Option(names = "--events", paramLabel = "FILE",
            description = "Read the events from FILE (JSON lines) instead of the built-in sample of 12.")
    Path events;

    @Option(names = {"-n", "--count"}, paramLabel = "N",
            description = "Dispatch N events (default: all of them; the events repeat if N is larger).")
    Integer count;

    @Option(names = "--handler", paramLabel = "NAME", defaultValue = "say-something-nice",
            description = "The handler of events that name none (default: ${DEFAULT-VALUE}).")
    String handler;

    @Option(names = "--no-cold", description = "Skip the cold run (a process per event); show the warm pool only.")
    boolean noCold;

    @Mixin
    PoolOptions pool;

    private final ObjectMapper mapper = Json.mapper();

    /**
     * One event and the handler it goes to.
     *
     * @param handler the handler's name
     * @param event the event
     */
    record Dispatch(String handler, JsonNode event) {
        String describe() {
            String type = event.path("type").asText("event");
            String actor = event.path("actor").asText("");
            return actor.isEmpty() ? type : type + " (" + actor + ")";
        }
    }

    @Override
    public Integer call() throws Exception {
        pool.applyLogging();
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--count': " + count
                    + ", but must be at least 1");
        }
        if (Handlers.description(handler).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--handler': no handler named '"
                    + handler + "'; the handlers are " + String.join(", ", Handlers.names()));
        }
        List<Dispatch> stream = repeat(load(), count);
        List<String> command = handlerCommand();
        PoolConfig.Builder b = pool.builder(spec, parent.environment());
        b.command(command).transport("jsonrpc");
        PoolConfig config = PoolOptions.build(spec, b);

        PrintStream out = System.out;
        out.printf(Locale.ROOT, "warmpool demo: an event listener dispatches %d events to handler workers%n", stream.size());
        out.println("  handler worker: a JVM running " + HandlerWorker.class.getName() + " from the warmpool jar");
        out.println("  handlers: " + String.join(", ", Handlers.names()));
        if (!noCold) {
            out.println("  cold: a new handler process for every event, as a listener that runs the handler CLI per event");
        }
        out.printf(Locale.ROOT, "  warm: the same handler program, kept warm in a pool of %d%n", config.size());
        out.println();

        long poolStart = System.nanoTime();
        WarmPool wp = Pools.start(spec, config);
        if (wp == null) {
            return 1;
        }
        double poolStartSeconds = (System.nanoTime() - poolStart) / 1e9;
        out.printf(Locale.ROOT, "warm pool ready: %d %s started in %s (once, before the first event)%n%n",
                config.size(), config.size() == 1 ? "worker" : "workers", Latencies.formatSeconds(poolStartSeconds));

        ColdWorkers cold = new ColdWorkers(Pools.transport(spec, "jsonrpc", config.transportSettings()), config);
        Latencies coldLatency = new Latencies();
        Latencies warmLatency = new Latencies();
        long coldTotal = 0;
        long warmTotal = 0;
        int failures = 0;
        String row = "%4s  %-19s %-30s %10s %10s %9s%n";
        out.printf(Locale.ROOT, row, "#", "handler", "event", noCold ? "" : "cold", "warm", noCold ? "" : "speed-up");
        long warmSpawns;
        try {
            for (int i = 0; i < stream.size(); i++) {
                Dispatch d = stream.get(i);
                ObjectNode params = mapper.createObjectNode().put("handler_name", d.handler());
                params.set("event", d.event());

                String coldCell = "";
                long coldNanos = 0;
                String problem = null;
                if (!noCold) {
                    ColdWorkers.Outcome o = cold.call("execute_handler", params, JsonNode.class);
                    coldNanos = o.nanos();
                    coldLatency.record(coldNanos);
                    coldTotal += coldNanos;
                    coldCell = Latencies.formatMillis(coldNanos / 1e6);
                    if (o.error() != null) {
                        problem = "cold: " + Failure.of(o.error()).message();
                    } else if (!((JsonNode) o.result()).path("success").asBoolean()) {
                        problem = "cold: the handler failed: " + ((JsonNode) o.result()).path("stderr").asText().strip();
                    }
                }

                long t = System.nanoTime();
                JsonNode result = null;
                try {
                    result = wp.submit(Request.of("execute_handler", params).returning(JsonNode.class)).get();
                } catch (ExecutionException e) {
                    problem = (problem == null ? "" : problem + "; ") + "warm: " + Failure.of(e.getCause()).message();
                }
                long warmNanos = System.nanoTime() - t;
                warmLatency.record(warmNanos);
                warmTotal += warmNanos;
                if (result != null && !result.path("success").asBoolean() && problem == null) {
                    problem = "the handler failed: " + result.path("stderr").asText().strip();
                }

                out.printf(Locale.ROOT, row, i + 1, d.handler(), clip(d.describe(), 30), coldCell,
                        Latencies.formatMillis(warmNanos / 1e6),
                        noCold ? "" : Latencies.formatRatio((double) coldNanos / warmNanos));
                if (problem != null) {
                    failures++;
                    out.println("      !! " + problem.lines().collect(Collectors.joining(" / ")));
                } else if (result != null) {
                    out.println("      " + result.path("output").asText());
                }
                out.flush();
            }
            warmSpawns = wp.metrics().totalSpawns();
        } finally {
            wp.shutdown(Duration.ofSeconds(5));
        }
        summary(out, stream.size(), config, coldLatency, warmLatency, coldTotal, warmTotal,
                cold.processesStarted(), warmSpawns, poolStartSeconds);
        if (failures > 0) {
            System.err.println("warmpool demo: " + failures + " of " + stream.size() + " events failed");
        }
        return failures == 0 ? 0 : 1;
    }

    private void summary(PrintStream out, int events, PoolConfig config, Latencies cold, Latencies warm,
                         long coldTotal, long warmTotal, long coldProcesses, long warmProcesses, double poolStart) {
        String row = "  %-24s %26s %22s%n";
        out.println();
        out.printf(Locale.ROOT, row, "", noCold ? "" : "cold: process per event", "warm: pool of " + config.size());
        out.printf(Locale.ROOT, row, "events", noCold ? "" : events, events);
        out.printf(Locale.ROOT, row, "time for all events", noCold ? "" : Latencies.formatSeconds(coldTotal / 1e9),
                Latencies.formatSeconds(warmTotal / 1e9));
        out.printf(Locale.ROOT, row, "per event, p50", noCold ? "" : Latencies.formatMillis(cold.millis(50)),
                Latencies.formatMillis(warm.millis(50)));
        out.printf(Locale.ROOT, row, "per event, max", noCold ? "" : Latencies.formatMillis(cold.maxMillis()),
                Latencies.formatMillis(warm.maxMillis()));
        out.printf(Locale.ROOT, row, "processes started", noCold ? "" : coldProcesses, warmProcesses);
        out.println("  (the first warm event also pays for the first run of the code on both sides of the pipe:");
        out.println("   class loading, nothing compiled yet; the events after it show what warm costs)");
        out.println();
        if (!noCold) {
            double warmWithStart = warmTotal / 1e9 + poolStart;
            out.printf(Locale.ROOT, "speed-up: %s per event (p50); all %d events took %s cold and %s warm%n",
                    Latencies.formatRatio(cold.millis(50) / warm.millis(50)), events,
                    Latencies.formatSeconds(coldTotal / 1e9), Latencies.formatSeconds(warmTotal / 1e9));
            out.printf(Locale.ROOT, "          (%s warm counting the pool's one-time start of %s: %s overall)%n",
                    Latencies.formatSeconds(warmWithStart), Latencies.formatSeconds(poolStart),
                    Latencies.formatRatio(coldTotal / 1e9 / warmWithStart));
        }
        out.flush();
    }

    /** @return the handler worker's command line: this JVM's java, on this JVM's class or module path */
    static List<String> handlerCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(WORKER_JVM_OPTIONS);
        Module self = DemoCommand.class.getModule();
        if (self.isNamed()) {
            cmd.addAll(List.of("--module-path", absolute(System.getProperty("jdk.module.path", "")),
                    "-m", self.getName() + "/" + HandlerWorker.class.getName()));
        } else {
            cmd.addAll(List.of("-cp", absolute(System.getProperty("java.class.path")), HandlerWorker.class.getName()));
        }
        return cmd;
    }

    private static String absolute(String path) {
        return Arrays.stream(path.split(java.io.File.pathSeparator))
                .filter(s -> !s.isEmpty())
                .map(s -> Path.of(s).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    private List<Dispatch> load() {
        String source = events == null ? "the built-in sample events" : events.toString();
        List<Dispatch> list = new ArrayList<>();
        try (BufferedReader in = open()) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                list.add(parse(line, n, source));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
        if (list.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--events': " + source
                    + " holds no events");
        }
        return list;
    }

    private BufferedReader open() throws IOException {
        if (events == null) {
            InputStream in = DemoCommand.class.getResourceAsStream("sample-events.jsonl");
            if (in == null) {
                throw new IOException("sample-events.jsonl is missing from the jar");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        if (!Files.isReadable(events) || Files.isDirectory(events)) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--events': cannot read '"
                    + events + "'" + (Files.exists(events) ? "" : ": no such file"));
        }
        return Files.newBufferedReader(events, StandardCharsets.UTF_8);
    }

    private Dispatch parse(String line, int n, String source) {
        JsonNode node;
        try {
            node = mapper.readTree(line);
        } catch (JsonProcessingException e) {
            throw new ParameterException(spec.commandLine(), source + " line " + n + " is not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw new ParameterException(spec.commandLine(), source + " line " + n
                    + " is not a JSON object: give {\"handler\":\"count-words\",\"event\":{...}} or the event itself");
        }
        JsonNode event = node.get("event");
        if (event == null) {
            return new Dispatch(handler, node);
        }
        if (!event.isObject()) {
            throw new ParameterException(spec.commandLine(), source + " line " + n + ": \"event\" must be a JSON object");
        }
        String name = node.path("handler").asText(handler);
        if (Handlers.description(name).isEmpty()) {
            throw new ParameterException(spec.commandLine(), source + " line " + n + ": no handler named '" + name
                    + "'; the handlers are " + String.join(", ", Handlers.names()));
        }
        return new Dispatch(name, event);
    }

    private static List<Dispatch> repeat(List<Dispatch> events, Integer count) {
        if (count == null) {
            return events;
        }
        List<Dispatch> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(events.get(i % events.size()));
        }
        return out;
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 3) + "...";
    }
}
