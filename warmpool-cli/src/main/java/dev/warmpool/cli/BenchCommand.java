package dev.warmpool.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.Request;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.cli.plot.LatencyPlot;
import dev.warmpool.core.WarmPool;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code warmpool bench}: the same request, first with a new process each time (cold), then
 * through a warm pool, for the user's own program; prints the latency percentiles side by side and
 * their ratio, or JSON with {@code --json}.
 *
 * <p>Cold uses the {@code oneshot} transport for a {@code line} program (the program gets the line on
 * stdin and its whole output is the answer) and, for a {@code jsonrpc} worker, starts the worker,
 * does the handshake and sends the request, once per request. Warm latencies do not include the
 * pool's start, which is reported on its own.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpWidth = 100,
        header = "Measure your program cold (a process per request) against warm (a pool).",
        description = {
                "Measures CMD cold (a new process per request) against warm (a pool of warm processes):",
                "latency percentiles p50, p90, p99 and max side by side, and their ratio.",
                "",
                "jsonrpc: cold starts the worker, does the handshake and sends the request, each time.",
                "line:    cold runs the program once per request (the oneshot transport: the line on",
                "         stdin, its whole stdout is the answer).",
                "The warm pool's start is reported on its own and is not in the warm latencies.",
                "A progress bar goes to stderr on a terminal, plain lines otherwise.",
                ""},
        footer = {"",
                "Examples:",
                "  ./warmpool bench -- python3 -u examples/python/worker.py",
                "  ./warmpool bench --transport line --requests 500 -- cat",
                "  ./warmpool bench --json --concurrency 4 --method upper --params '{\"text\":\"hi\"}' \\",
                "      -- node examples/node/worker.js",
                "",
                "Exit status: 0 every request succeeded, 1 a request failed, 2 bad arguments."})
final class BenchCommand implements Callable<Integer> {
    /** The most cold requests sent unless --cold-requests says otherwise. */
    static final int DEFAULT_MAX_COLD = 30;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @Option(names = {"-n", "--requests"}, paramLabel = "N", defaultValue = "100",
            description = "Requests to send warm (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--cold-requests", paramLabel = "N",
            description = "Requests to send cold (default: --requests, at most " + DEFAULT_MAX_COLD
                    + ": a process per request is slow).")
    Integer coldRequests;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "C", defaultValue = "1",
            description = "Requests in flight at once (default: ${DEFAULT-VALUE}). The pool's size defaults to C.")
    int concurrency;

    @Option(names = {"-m", "--method"}, paramLabel = "M",
            description = "jsonrpc and claude: the method to call (default: echo; claude: prompt).")
    String method;

    @Option(names = {"-p", "--params"}, paramLabel = "JSON|TEXT",
            description = "jsonrpc: the params, a JSON object or array (default {\"text\":\"hello from warmpool bench\"}); "
                    + "claude: any JSON (default {\"prompt\":\"hello from warmpool bench\"}); "
                    + "line: the line to send (default 'hello from warmpool bench').")
    String params;

    @Option(names = "--json", description = "Print the results as one JSON object instead of a table.")
    boolean json;

    @Option(names = "--plot", paramLabel = "FILE",
            description = "Also write the latency percentile distribution, cold and warm on one log-scaled chart "
                    + "with their ratio and this machine in the caption, to FILE as a self-contained SVG.")
    Path plot;

    @Option(names = {"-q", "--quiet"}, description = "No progress on stderr.")
    boolean quiet;

    @Mixin
    PoolOptions pool;

    @Mixin
    WorkerOptions worker;

    @Parameters(paramLabel = "CMD", arity = "0..*",
            description = "The worker program and its arguments, after -- (run directly, no shell).")
    List<String> command;

    private final ObjectMapper mapper = Json.mapper();

    /** What one phase measured. */
    private static final class Phase {
        final Latencies latencies = new Latencies();
        final AtomicLong errors = new AtomicLong();
        final AtomicReference<String> firstError = new AtomicReference<>();
        long requests;
        double seconds;
        long processes;

        void failed(Throwable t) {
            errors.incrementAndGet();
            Failure f = Failure.of(t);
            firstError.compareAndSet(null, f.kind().label() + ": " + f.message());
        }

        double throughput() {
            return seconds > 0 ? latencies.count() / seconds : 0;
        }
    }

    @Override
    public Integer call() throws Exception {
        pool.applyLogging();
        if (requests < 1) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--requests': " + requests
                    + ", but must be at least 1");
        }
        if (coldRequests != null && coldRequests < 0) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--cold-requests': "
                    + coldRequests + ", but must not be negative");
        }
        if (concurrency < 1) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--concurrency': " + concurrency
                    + ", but must be at least 1");
        }
        if (plot != null && Files.isDirectory(plot)) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--plot': '" + plot
                    + "' is a directory; give the SVG file to write");
        }
        if (worker.transport.equals("oneshot")) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--transport': oneshot is "
                    + "what bench measures as cold already; give the program's warm transport, jsonrpc or line");
        }
        Map<String, String> env = parent.environment();
        if (pool.size == null && env.get(PoolConfig.ENV_SIZE) == null) {
            pool.size = concurrency;
            if (pool.max == null && env.get(PoolConfig.ENV_MAX) == null && concurrency > 10) {
                pool.max = concurrency;
            }
        }
        PoolConfig config = PoolOptions.build(spec, worker.apply(spec, pool.builder(spec, env, Optional.of(worker.hosts)),
                command));
        boolean lines = worker.lineProtocol();
        boolean claude = worker.transport.equals("claude");
        String method = this.method != null ? this.method : claude ? "prompt" : "echo";
        Object payload = payload(lines, claude);
        Class<?> resultType = worker.transport.equals("jsonrpc") ? JsonNode.class : Object.class;
        // on hosts, a cold request is a new process on the same hosts: the warm transport through the hosts
        // transport, started and stopped per request (oneshot would read the remote wrapper's ready marker as output)
        String coldTransportName = config.hosts().isEmpty() && lines ? "oneshot" : config.transportName();
        Transport coldTransport = Pools.transport(spec, coldTransportName, config.transportSettings());
        int coldN = coldRequests == null ? Math.min(requests, DEFAULT_MAX_COLD) : coldRequests;

        PrintStream err = System.err;
        Progress progress = new Progress(err, Progress.onTerminal(), quiet);

        Phase cold = new Phase();
        cold.requests = coldN;
        ColdWorkers coldWorkers = new ColdWorkers(coldTransport, config);
        if (coldN > 0) {
            progress.start("cold", coldN);
            cold.seconds = lanes(coldN, i -> {
                ColdWorkers.Outcome o = coldWorkers.call(method, payload, resultType);
                cold.latencies.record(o.nanos());
                if (o.error() != null) {
                    cold.failed(o.error());
                }
                progress.step();
            });
            progress.finish();
        }
        cold.processes = coldWorkers.processesStarted();

        Phase warm = new Phase();
        warm.requests = requests;
        long poolStart = System.nanoTime();
        WarmPool wp = Pools.start(spec, config);
        if (wp == null) {
            return 1;
        }
        double poolStartSeconds;
        try {
            poolStartSeconds = (System.nanoTime() - poolStart) / 1e9;
            progress.start("warm", requests);
            Request<?> request = Request.of(method, payload).returning(resultType);
            warm.seconds = lanes(requests, i -> {
                long t = System.nanoTime();
                try {
                    wp.submit(request).get();
                    warm.latencies.record(System.nanoTime() - t);
                } catch (ExecutionException e) {
                    warm.latencies.record(System.nanoTime() - t);
                    warm.failed(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    warm.failed(e);
                }
                progress.step();
            });
            progress.finish();
            warm.processes = wp.metrics().totalSpawns();
        } finally {
            wp.shutdown(Duration.ofSeconds(5));
        }

        if (json) {
            System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(
                    json(config, coldTransportName, cold, warm, poolStartSeconds)));
        } else {
            table(System.out, config, coldTransportName, cold, warm, poolStartSeconds);
        }
        System.out.flush();
        if (plot != null) {
            writePlot(config, coldTransportName, cold, warm, poolStartSeconds);
        }
        for (Phase p : List.of(cold, warm)) {
            if (p.firstError.get() != null) {
                err.println("warmpool bench: " + p.errors.get() + " " + (p == cold ? "cold" : "warm")
                        + " requests failed; the first: " + p.firstError.get());
            }
        }
        return cold.errors.get() + warm.errors.get() == 0 ? 0 : 1;
    }

    private Object payload(boolean lines, boolean claude) {
        if (lines) {
            String text = params == null ? "hello from warmpool bench" : params;
            if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
                throw new ParameterException(spec.commandLine(), "invalid value for option '--params': the line "
                        + "transport sends one line, but the text holds a line break");
            }
            return text;
        }
        if (params == null) {
            return mapper.createObjectNode().put(claude ? "prompt" : "text", "hello from warmpool bench");
        }
        JsonNode node;
        try {
            node = mapper.readTree(params);
        } catch (JsonProcessingException e) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--params': not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (node == null || (!claude && !node.isContainerNode())) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--params': " + params
                    + " is not a JSON object or array, which JSON-RPC 2.0 requires");
        }
        return node;
    }

    /** Runs {@code n} steps on {@code concurrency} threads; returns the wall time in seconds. */
    private double lanes(int n, IntConsumer step) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int lane = 0; lane < Math.min(concurrency, n); lane++) {
            threads.add(Thread.ofPlatform().name("warmpool-bench-" + lane).start(() -> {
                int i;
                while ((i = next.getAndIncrement()) < n) {
                    step.accept(i);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private ObjectNode json(PoolConfig config, String coldTransport, Phase cold, Phase warm, double poolStart) {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode cmd = root.putArray("command");
        config.command().forEach(cmd::add);
        root.put("transport", worker.transport);
        root.put("cold_transport", coldTransport);
        ArrayNode hosts = root.putArray("hosts");
        config.hosts().forEach(hosts::add);
        root.put("concurrency", concurrency);
        root.set("cold", phase(cold));
        ObjectNode w = phase(warm);
        w.put("pool_size", config.size());
        w.put("pool_start_ms", round(poolStart * 1000));
        root.set("warm", w);
        ObjectNode ratio = root.putObject("ratio");
        if (cold.latencies.count() > 0 && warm.latencies.count() > 0) {
            for (double p : new double[] {50, 90, 99}) {
                ratio.put("p" + (int) p, round(cold.latencies.millis(p) / warm.latencies.millis(p)));
            }
            ratio.put("max", round(cold.latencies.maxMillis() / warm.latencies.maxMillis()));
            ratio.put("throughput", round(warm.throughput() / cold.throughput()));
        }
        return root;
    }

    private ObjectNode phase(Phase p) {
        ObjectNode n = mapper.createObjectNode();
        n.put("requests", p.requests);
        n.put("errors", p.errors.get());
        if (p.firstError.get() != null) {
            n.put("first_error", p.firstError.get());
        }
        n.put("processes_started", p.processes);
        n.put("seconds", round(p.seconds));
        n.put("throughput_per_s", round(p.throughput()));
        ObjectNode l = n.putObject("latency_ms");
        l.put("p50", round(p.latencies.millis(50)));
        l.put("p90", round(p.latencies.millis(90)));
        l.put("p99", round(p.latencies.millis(99)));
        l.put("max", round(p.latencies.maxMillis()));
        l.put("mean", round(p.latencies.meanMillis()));
        return n;
    }

    private static double round(double v) {
        if (!Double.isFinite(v)) {
            return 0;
        }
        return Math.round(v * 1000) / 1000.0;
    }

    private void table(PrintStream out, PoolConfig config, String coldTransport, Phase cold, Phase warm, double poolStart) {
        out.printf(Locale.ROOT, "warmpool bench: %s (%s), concurrency %d%n", String.join(" ", config.command()),
                worker.transport, concurrency);
        out.println();
        String coldTitle = "cold (" + (coldTransport.equals("oneshot") ? "oneshot" : "new process") + " per request)";
        String warmTitle = "warm (pool of " + config.size() + ")";
        String row = "  %-18s %28s %22s %14s%n";
        out.printf(Locale.ROOT, row, "", coldTitle, warmTitle, "cold / warm");
        boolean both = cold.latencies.count() > 0 && warm.latencies.count() > 0;
        for (double p : new double[] {50, 90, 99}) {
            double c = cold.latencies.millis(p);
            double w = warm.latencies.millis(p);
            out.printf(Locale.ROOT, row, "p" + (int) p, cell(cold, c), cell(warm, w),
                    both ? Latencies.formatRatio(c / w) : "-");
        }
        double cMax = cold.latencies.maxMillis();
        double wMax = warm.latencies.maxMillis();
        out.printf(Locale.ROOT, row, "max", cell(cold, cMax), cell(warm, wMax), both ? Latencies.formatRatio(cMax / wMax) : "-");
        out.printf(Locale.ROOT, row, "throughput", rate(cold), rate(warm),
                both ? Latencies.formatRatio(warm.throughput() / cold.throughput()) : "-");
        out.printf(Locale.ROOT, row, "requests", cold.requests, warm.requests, "");
        out.printf(Locale.ROOT, row, "errors", cold.errors.get(), warm.errors.get(), "");
        out.printf(Locale.ROOT, row, "processes started", cold.processes, warm.processes, "");
        out.printf(Locale.ROOT, row, "wall time", Latencies.formatSeconds(cold.seconds),
                Latencies.formatSeconds(warm.seconds), "");
        out.println();
        out.printf(Locale.ROOT, "The warm pool took %s to start its %d %s, once; that is not in the warm numbers.%n",
                Latencies.formatSeconds(poolStart), config.size(), config.size() == 1 ? "worker" : "workers");
    }

    /** Writes --plot: the SVG of both phases' percentile distributions. */
    private void writePlot(PoolConfig config, String coldTransport, Phase cold, Phase warm, double poolStart)
            throws IOException {
        List<LatencyPlot.Series> series = new ArrayList<>();
        if (cold.latencies.count() > 0) {
            series.add(cold.latencies.series("cold: " + (coldTransport.equals("oneshot") ? "oneshot" : "new process")
                    + " per request", "#d62728"));
        }
        if (warm.latencies.count() > 0) {
            series.add(warm.latencies.series("warm: pool of " + config.size(), "#1f77b4"));
        }
        List<String> caption = new ArrayList<>();
        caption.add(cold.latencies.count() > 0 && warm.latencies.count() > 0
                ? Latencies.ratioLine(cold.latencies, warm.latencies) : "cold / warm latency: not measured");
        caption.add("Concurrency " + concurrency + "; the warm pool took " + Latencies.formatSeconds(poolStart)
                + " to start, once, which is not in the warm line.");
        caption.add("Machine: " + Machine.current().describe());
        String program = Argv.display(config.command());
        String title = "warmpool bench: " + (program.length() <= 80 ? program : program.substring(0, 77) + "...")
                + " (" + worker.transport + ")";
        Path parent = plot.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(plot, LatencyPlot.svg(title, series, caption), StandardCharsets.UTF_8);
        System.err.println("warmpool bench: wrote the latency chart to " + plot);
    }

    private static String cell(Phase p, double ms) {
        return p.latencies.count() == 0 ? "-" : Latencies.formatMillis(ms);
    }

    private static String rate(Phase p) {
        return p.latencies.count() == 0 ? "-" : String.format(Locale.ROOT, "%,.1f req/s", p.throughput());
    }
}
