package dev.warmpool.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.PoolRejectedException;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.Request;
import dev.warmpool.core.WarmPool;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code warmpool run}: answers requests read as JSON lines through a warm pool of any program.
 *
 * <p>Reads stdin (or {@code --input}) line by line, submits each request as soon as it is read,
 * and writes one JSON line per request to stdout — {@code {"id":..,"result":..}} or
 * {@code {"id":..,"error":{"kind":..,"message":..,"code":..}}} — in completion order, or input
 * order with {@code --ordered}. A line that is not a request is answered with a {@code bad-input}
 * error and the rest are still served. When the pool's queue is full, reading pauses until a
 * request completes, so an input of any length is served without rejections. The summary goes to
 * stderr.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpWidth = 100,
        header = "Answer JSON-line requests from stdin through a warm pool of any program.",
        description = {
                "Answers requests read as JSON lines (stdin, or --input) through a warm pool of CMD.",
                "",
                "Each input line is a request, answered by one JSON line on stdout, in completion order",
                "(--ordered: input order):",
                "  {\"id\":1,\"method\":\"echo\",\"params\":{\"text\":\"hi\"}}  ->  {\"id\":1,\"result\":{\"text\":\"hi\"}}",
                "  a failure               ->  {\"id\":1,\"error\":{\"kind\":\"timeout\",\"message\":\"...\"}}",
                "Error kinds: timeout, crashed, protocol, worker-error (with the worker's \"code\"),",
                "rejected, bad-input (a line that is not a request; its id is the line number).",
                "For --transport line and oneshot a line is the text to send: a plain line as it is, a",
                "JSON string line as its text, or {\"id\":..,\"params\":\"text\"}.",
                "A summary goes to stderr: requests, errors by kind, processes started, p50/p99",
                "latency, throughput.",
                ""},
        footer = {"",
                "Examples:",
                "  printf '%%s\\n' hello world | ./warmpool run --transport line -- cat",
                "  echo '{\"id\":1,\"params\":{\"n\":2}}' \\",
                "      | ./warmpool run --transport line --json-results -- jq --unbuffered -c '{twice: (.n * 2)}'",
                "  echo '{\"id\":1,\"method\":\"upper\",\"params\":{\"text\":\"hi\"}}' \\",
                "      | ./warmpool run -- python3 -u examples/python/worker.py",
                "  ./warmpool run --ordered --size 4 --input requests.jsonl -- node examples/node/worker.js",
                "",
                "Environment: HANDLER_POOL_SIZE, HANDLER_POOL_MIN, HANDLER_POOL_MAX, HANDLER_REQUEST_TIMEOUT",
                "(seconds) are the defaults of --size, --min, --max and --timeout.",
                "Exit status: 0 every request succeeded, 1 a request failed or the pool could not start,",
                "2 bad arguments."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @Mixin
    PoolOptions pool;

    @Mixin
    WorkerOptions worker;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Read the requests from FILE instead of stdin.")
    Path input;

    @Option(names = "--ordered", description = "Answer in input order instead of completion order.")
    boolean ordered;

    @Option(names = {"-m", "--method"}, paramLabel = "M",
            description = "The method of requests that name none.")
    String method;

    @Option(names = "--raw", description = "line and oneshot: send every input line as it is, never read as JSON.")
    boolean raw;

    @Option(names = "--json-results",
            description = "line and oneshot: the program answers JSON (jq, a JSON filter); put each answer in "
                    + "\"result\" as JSON rather than as a string. An answer that is not JSON is a protocol error.")
    boolean jsonResults;

    @Option(names = {"-q", "--quiet"}, description = "No summary on stderr.")
    boolean quiet;

    @Parameters(paramLabel = "CMD", arity = "0..*",
            description = "The worker program and its arguments, after -- (run directly, no shell).")
    List<String> command;

    private final ObjectMapper mapper = Json.mapper();
    private final Map<Failure.Kind, AtomicLong> errors = new EnumMap<>(Failure.Kind.class);
    private final AtomicLong succeeded = new AtomicLong();
    private final Latencies latencies = new Latencies();
    private final InFlight inFlight = new InFlight();

    @Override
    public Integer call() throws Exception {
        pool.applyLogging();
        if (raw && !worker.lineProtocol()) {
            throw new ParameterException(spec.commandLine(),
                    "--raw is for --transport line and oneshot; a " + worker.transport + " request is a JSON object");
        }
        if (jsonResults && !worker.lineProtocol()) {
            throw new ParameterException(spec.commandLine(), "--json-results is for --transport line and oneshot; "
                    + "a " + worker.transport + " worker answers JSON already");
        }
        PoolConfig config = PoolOptions.build(spec, worker.apply(spec, pool.builder(spec, parent.environment()), command));
        BufferedReader in = open();
        for (Failure.Kind k : Failure.Kind.values()) {
            errors.put(k, new AtomicLong());
        }
        PrintStream err = System.err;
        RequestParser parser = new RequestParser(mapper, worker.lineProtocol(), raw, method);
        warmUp(parser);
        long startedAt = System.nanoTime();
        WarmPool wp = Pools.start(spec, config);
        if (wp == null) {
            return 1;
        }
        // one ping per worker before the first request: checks they answer, and runs this side's
        // send and receive code once, so the first requests' latency is the pool's, not class loading's
        wp.healthCheck();
        double poolStartSeconds = (System.nanoTime() - startedAt) / 1e9;
        boolean jsonRpc = worker.transport.equals("jsonrpc");
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        long requests = 0;
        long firstRead = 0;
        long number = 0;
        String readError = null;
        double seconds;
        PoolMetrics metrics;
        Answers answers = new Answers(stdout, ordered);
        try {
            try (in) {
                String line;
                while ((line = in.readLine()) != null) {
                    number++;
                    if (firstRead == 0) {
                        firstRead = System.nanoTime();
                    }
                    switch (parser.parse(line, number)) {
                        case RequestParser.Skip s -> {
                            continue;
                        }
                        case RequestParser.Bad bad -> {
                            errors.get(Failure.Kind.BAD_INPUT).incrementAndGet();
                            answers.answer(requests, errorLine(bad.id(), Failure.badInput(bad.message())));
                        }
                        case RequestParser.Call c -> submit(wp, c, requests, answers, jsonRpc);
                    }
                    requests++;
                }
            } catch (IOException | UncheckedIOException e) {
                readError = "reading " + (input == null ? "stdin" : input) + " failed after line " + number + ": " + e;
            }
            inFlight.awaitNone();
            seconds = firstRead == 0 ? 0 : (System.nanoTime() - firstRead) / 1e9;
            metrics = wp.metrics();
        } finally {
            wp.shutdown(Duration.ofSeconds(5));
            answers.close();
        }
        if (readError != null) {
            err.println("warmpool run: " + readError);
        }
        if (answers.broken() != null) {
            err.println("warmpool run: stdout went away (" + answers.broken().getMessage()
                    + "); the answers after that were not written");
        }
        if (!quiet) {
            summary(err, config, requests, seconds, poolStartSeconds, metrics);
        }
        boolean allOk = succeeded.get() == requests && readError == null && answers.broken() == null;
        return allOk ? 0 : 1;
    }

    /**
     * Parses and writes a request and answers once, before any timing: loading Jackson's classes
     * takes this JVM a good part of a second, which belongs to the command's start, not to the first
     * request's latency.
     */
    private void warmUp(RequestParser parser) {
        parser.parse("{\"id\":0,\"method\":\"m\",\"params\":{\"a\":[1,2.5,\"x\"]}}", 0);
        parser.parse("text", 0);
        resultLine(LongNode.valueOf(0), java.util.Map.of("a", java.util.List.of(1, "x")));
        errorLine(LongNode.valueOf(0), Failure.badInput("warm-up"));
    }

    private BufferedReader open() {
        if (input == null) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        if (!Files.isReadable(input) || Files.isDirectory(input)) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--input': cannot read '"
                    + input + "'" + (Files.exists(input) ? "" : ": no such file"));
        }
        try {
            return Files.newBufferedReader(input, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--input': cannot read '"
                    + input + "': " + e.getMessage());
        }
    }

    private void submit(WarmPool wp, RequestParser.Call c, long seq, Answers answers, boolean jsonRpc) {
        long start = System.nanoTime();
        Request<?> request = jsonRpc
                ? Request.of(c.method(), c.params()).returning(JsonNode.class)
                : Request.of(c.method(), c.params());
        CompletableFuture<?> future;
        while (true) {
            long seen = inFlight.completions();
            future = wp.submit(request);
            if (!queueFull(future)) {
                break;
            }
            // the pool's queue is full: wait for a request to finish, then offer this one again
            inFlight.awaitCompletionAfter(seen);
        }
        inFlight.add();
        future.whenComplete((result, error) -> {
            try {
                latencies.record(System.nanoTime() - start);
                Object value = result;
                Throwable failure = error;
                if (failure == null && jsonResults && result instanceof String text) {
                    try {
                        value = mapper.readTree(text);
                    } catch (JsonProcessingException e) {
                        failure = new ProtocolException("the answer is not JSON (--json-results): "
                                + e.getOriginalMessage() + "; the answer was: " + text);
                    }
                }
                if (failure == null) {
                    succeeded.incrementAndGet();
                    answers.answer(seq, resultLine(c.id(), value));
                } else {
                    Failure f = Failure.of(failure);
                    errors.get(f.kind()).incrementAndGet();
                    answers.answer(seq, errorLine(c.id(), f));
                }
            } finally {
                inFlight.done();
            }
        });
    }

    private static boolean queueFull(CompletableFuture<?> f) {
        if (!f.isCompletedExceptionally()) {
            return false;
        }
        Throwable t = f.exceptionNow();
        return Failure.unwrap(t) instanceof PoolRejectedException r && r.reason() == PoolRejectedException.Reason.QUEUE_FULL;
    }

    private String resultLine(JsonNode id, Object result) {
        ObjectNode n = mapper.createObjectNode();
        n.set("id", id);
        n.set("result", mapper.valueToTree(result));
        return write(n);
    }

    private String errorLine(JsonNode id, Failure f) {
        ObjectNode n = mapper.createObjectNode();
        n.set("id", id);
        ObjectNode e = n.putObject("error");
        e.put("kind", f.kind().label());
        e.put("message", f.message());
        f.code().ifPresent(code -> e.put("code", code));
        if (f.data() != null) {
            e.set("data", mapper.valueToTree(f.data()));
        }
        return write(n);
    }

    private String write(ObjectNode n) {
        try {
            return mapper.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void summary(PrintStream err, PoolConfig config, long requests, double seconds, double poolStart,
                         PoolMetrics metrics) {
        long failed = requests - succeeded.get();
        StringJoiner kinds = new StringJoiner(", ", " (", ")").setEmptyValue("");
        errors.forEach((kind, n) -> {
            if (n.get() > 0) {
                kinds.add(kind.label() + " " + n.get());
            }
        });
        long served = latencies.count();
        boolean oneshot = worker.transport.equals("oneshot");
        long processes = oneshot ? served - errors.get(Failure.Kind.REJECTED).get() : metrics.totalSpawns();
        err.printf(Locale.ROOT, "warmpool run: %d requests, %d ok, %d failed%s%n", requests, succeeded.get(), failed, kinds);
        err.printf(Locale.ROOT, "  processes started: %d (%s; pool size %d, min %d, max %d)%n", processes,
                oneshot ? "oneshot: one per request" : worker.transport, config.size(), config.minSize(), config.maxSize());
        if (served > 0) {
            err.printf(Locale.ROOT, "  latency: p50 %s, p99 %s, max %s (read to answer)%n",
                    Latencies.formatMillis(latencies.millis(50)), Latencies.formatMillis(latencies.millis(99)),
                    Latencies.formatMillis(latencies.maxMillis()));
            err.printf(Locale.ROOT, "  throughput: %s requests/s (%d in %s; the pool started in %s)%n",
                    seconds > 0 ? String.format(Locale.ROOT, "%,.0f", served / seconds) : "-", served,
                    Latencies.formatSeconds(seconds), Latencies.formatSeconds(poolStart));
        }
    }

    /** Counts the requests in flight and their completions, for back-pressure and the final wait. */
    private static final class InFlight {
        private long outstanding;
        private long completions;

        synchronized void add() {
            outstanding++;
        }

        synchronized void done() {
            outstanding--;
            completions++;
            notifyAll();
        }

        synchronized long completions() {
            return completions;
        }

        /** Waits until a request completes after {@code seen} completions, or 50 ms. */
        synchronized void awaitCompletionAfter(long seen) {
            if (completions == seen) {
                try {
                    wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for room in the queue", e);
                }
            }
        }

        synchronized void awaitNone() throws InterruptedException {
            while (outstanding > 0) {
                wait();
            }
        }
    }
}
