package dev.warmpool.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.PoolMetrics;
import dev.warmpool.api.ProtocolException;
import dev.warmpool.api.ProviderNotFoundException;
import dev.warmpool.api.Request;
import dev.warmpool.api.WorkerPoolException;
import dev.warmpool.core.WarmPool;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
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
 * <p>Reads stdin (or {@code --input}) line by line on a thread of its own and hands each request to
 * the pool as soon as it is read (through {@link Submitter}, so a send that blocks never stops the
 * reading); writes one JSON line per input line to stdout — {@code {"id":..,"result":..}} or
 * {@code {"id":..,"error":{"kind":..,"message":..,"code":..}}} — in completion order, or input
 * order with {@code --ordered}. Every line read is answered exactly once ({@link Ledger}): a line
 * that is not a request with {@code bad-input}, every request with {@code rejected} when the pool
 * cannot start, and the requests read before a signal before the command exits. The summary goes
 * to stderr.
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
                "Every line read is answered exactly once; blank lines between JSON requests are skipped.",
                "For --transport line and oneshot a line is the text to send: a plain line as it is, a",
                "JSON string line as its text, or {\"id\":..,\"params\":\"text\"}.",
                "Input must be UTF-8. A summary goes to stderr: requests, errors by kind, processes",
                "started, p50/p99 latency, throughput.",
                ""},
        footer = {"",
                "Environment: HANDLER_POOL_SIZE, HANDLER_POOL_MIN, HANDLER_POOL_MAX, HANDLER_REQUEST_TIMEOUT",
                "(seconds) are the defaults of --size, --min, --max and --timeout.",
                "Exit status: 0 every request succeeded, 1 a request failed or the pool could not start,",
                "2 bad arguments, 128+N after signal N.",
                "",
                "Examples:",
                "  printf '%%s\\n' hello world | ./warmpool run --transport line -- cat",
                "  echo '{\"id\":1,\"params\":{\"n\":2}}' \\",
                "      | ./warmpool run --transport line --json-results -- jq --unbuffered -c '{twice: (.n * 2)}'",
                "  echo '{\"id\":1,\"method\":\"upper\",\"params\":{\"text\":\"hi\"}}' \\",
                "      | ./warmpool run -- python3 -u examples/python/worker.py",
                "  ./warmpool run --ordered --size 4 --input requests.jsonl -- node examples/node/worker.js",
                "  ./warmpool run --metrics-port 9400 --input requests.jsonl -- python3 -u worker.py"})
final class RunCommand implements Callable<Integer> {
    /**
     * The drain grace when the input has ended and every request is answered: nothing is left to
     * wait for (a request the command answered itself, its send stuck, must not hold the exit).
     */
    private static final Duration CLOSE_GRACE = Duration.ZERO;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @Mixin
    PoolOptions pool;

    @Mixin
    WorkerOptions worker;

    @Mixin
    MetricsOptions metrics;

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
    private final RunState state = new RunState();
    private volatile long firstReadNanos;
    private volatile long linesRead;
    private volatile String readError;

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
        PoolConfig config = PoolOptions.build(spec, worker.apply(spec, pool.builder(spec, parent.environment(),
                Optional.of(worker.hosts)), command));
        InputLines in = new InputLines(open(), config.maxFrameBytes(), FrameLimit.source());
        RequestParser parser = new RequestParser(mapper, worker.lineProtocol(), worker.transport.equals("jsonrpc"),
                raw, method);
        warmUp(parser);
        Answers answers = new Answers(new FileOutputStream(FileDescriptor.out), ordered);
        Ledger ledger = new Ledger(mapper, answers);
        Optional<MetricsServer> server = metrics.start(spec, () -> prometheus(ledger), state::health);
        server.ifPresent(s -> System.err.println("warmpool run: serving /metrics and /health on " + s.url()));
        Signals.install((name, count) -> signalled(name, count, ledger, answers));
        try {
            return serve(config, in, parser, answers, ledger);
        } finally {
            server.ifPresent(MetricsServer::close);
        }
    }

    private int serve(PoolConfig config, InputLines in, RequestParser parser, Answers answers, Ledger ledger)
            throws InterruptedException {
        PrintStream err = System.err;
        long startedAt = System.nanoTime();
        WarmPool wp = null;
        String startFailure = null;
        try {
            wp = WarmPool.start(config);
        } catch (ProviderNotFoundException e) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--transport': " + e.getMessage());
        } catch (WorkerPoolException | IllegalArgumentException e) {
            startFailure = e.getMessage();
            err.println("warmpool run: cannot start the pool of " + Argv.display(config.command()) + ": " + startFailure);
        }
        double poolStartSeconds = (System.nanoTime() - startedAt) / 1e9;
        FrameLimit frames = new FrameLimit(mapper, worker.transport, config.maxFrameBytes());
        Submitter submitter = null;
        BiConsumer<Ledger.Ticket, RequestParser.Call> dispatch;
        if (wp == null) {
            state.failed();
            String why = "not sent: the pool could not start: " + startFailure;
            dispatch = (ticket, call) -> ticket.fail(Failure.rejected(why));
        } else {
            // one ping per worker before the first request: checks they answer, and runs this side's
            // send and receive code once, so the first requests' latency is the pool's, not class loading's
            wp.healthCheck();
            state.running(wp);
            Submitter s = new Submitter(wp, this::complete, config.maxQueueSize() + config.maxSize(),
                    Submitter.sendLimit(config.requestTimeout(), config.cancelGrace(), config.stopGrace()));
            submitter = s;
            boolean jsonRpc = worker.transport.equals("jsonrpc");
            dispatch = (ticket, call) -> {
                Request<?> request = jsonRpc
                        ? Request.of(call.method(), call.params()).returning(JsonNode.class)
                        : Request.of(call.method(), call.params());
                if (state.stopping() || !s.submit(ticket, request)) {
                    ticket.fail(Failure.rejected(notReadAfterSignal()));
                }
            };
        }
        BiConsumer<Ledger.Ticket, RequestParser.Call> send = dispatch;
        Thread.ofPlatform().name("warmpool-input").daemon().start(() -> read(in, parser, frames, ledger, send));

        Optional<String> signal = awaitEndOrSignal(ledger);
        long answeredNanos = System.nanoTime();
        if (signal.isPresent()) {
            ledger.close();
            if (submitter != null) {
                submitter.stop();
            }
            if (wp != null) {
                // lets the requests already read finish within the grace, then answers the rest rejected
                wp.shutdown(config.shutdownGrace());
            }
            long bound = Submitter.sendLimit(config.requestTimeout(), config.cancelGrace(), config.stopGrace()).toNanos();
            if (!ledger.awaitAllAnswered(bound)) {
                ledger.failAllUnanswered(Failure.rejected("not answered: warmpool run stopped after SIG"
                        + signal.get() + " and the pool did not end the request"));
            }
            answeredNanos = System.nanoTime();
        } else if (wp != null) {
            wp.shutdown(CLOSE_GRACE);
        }
        // from the first line read to the last answer: the workers' stop is not the requests' time
        double seconds = firstReadNanos == 0 ? 0 : (answeredNanos - firstReadNanos) / 1e9;
        if (submitter != null) {
            submitter.close();
        }
        answers.close();
        if (readError != null) {
            err.println("warmpool run: " + readError);
        }
        if (answers.broken() != null) {
            err.println("warmpool run: stdout went away (" + answers.broken().getMessage()
                    + "); the answers after that were not written");
        }
        if (!quiet) {
            new RunSummary(ledger, worker.transport, config).print(err, seconds, poolStartSeconds,
                    wp == null ? Optional.empty() : Optional.of(wp.metrics()));
            signal.ifPresent(name -> err.printf("  stopped by SIG%s after input line %d; the input after it was not read%n",
                    name, linesRead));
        }
        if (signal.isPresent()) {
            return Signals.exitStatus(signal.get());
        }
        boolean allOk = wp != null && ledger.succeeded() == ledger.requests() && readError == null
                && answers.broken() == null;
        return allOk ? 0 : 1;
    }

    /**
     * Waits until the input has ended and every request read is answered, or a signal comes.
     *
     * @return the signal, if one came
     */
    private Optional<String> awaitEndOrSignal(Ledger ledger) throws InterruptedException {
        long tick = TimeUnit.MILLISECONDS.toNanos(100);
        while (!state.awaitInputDoneOrSignal(tick)) {
            // the input is still being read
        }
        while (state.signal().isEmpty() && !ledger.awaitAllAnswered(tick)) {
            // requests are still running
        }
        return state.signal();
    }

    /** Reads every line and answers or dispatches it; runs on the input thread. */
    private void read(InputLines in, RequestParser parser, FrameLimit frames, Ledger ledger,
                      BiConsumer<Ledger.Ticket, RequestParser.Call> dispatch) {
        try (in) {
            for (Optional<InputLines.Line> next = in.next(); next.isPresent(); next = in.next()) {
                InputLines.Line line = next.get();
                linesRead = line.number();
                if (firstReadNanos == 0) {
                    firstReadNanos = System.nanoTime();
                }
                if (!answer(line, parser, frames, ledger, dispatch)) {
                    break; // stopped: the ledger takes no more requests
                }
            }
        } catch (IOException | UncheckedIOException e) {
            readError = "reading " + (input == null ? "stdin" : input) + " failed after line " + linesRead + ": "
                    + e.getMessage();
        } finally {
            state.inputDone();
        }
    }

    /** @return {@code false} if the ledger is closed and reading should stop */
    private boolean answer(InputLines.Line line, RequestParser parser, FrameLimit frames, Ledger ledger,
                           BiConsumer<Ledger.Ticket, RequestParser.Call> dispatch) {
        long number = line.number();
        RequestParser.Parsed parsed = switch (line) {
            case InputLines.Invalid invalid -> new RequestParser.Bad(LongNode.valueOf(number), invalid.message());
            case InputLines.Text text -> parser.parse(text.text(), number);
        };
        if (parsed instanceof RequestParser.Call c) {
            Optional<String> tooLarge = frames.check(c, number);
            if (tooLarge.isPresent()) {
                parsed = new RequestParser.Bad(c.id(), tooLarge.get());
            }
        }
        return switch (parsed) {
            case RequestParser.Skip s -> true;
            case RequestParser.Bad bad -> ledger.open(bad.id()).map(t -> t.fail(Failure.badInput(bad.message()))).isPresent();
            case RequestParser.Call c -> ledger.open(c.id()).map(t -> {
                dispatch.accept(t, c);
                return true;
            }).isPresent();
        };
    }

    /** Answers a request the pool has ended; with --json-results a text answer must be JSON. */
    private void complete(Ledger.Ticket ticket, Object result, Throwable error) {
        if (error != null) {
            ticket.fail(Failure.of(error));
            return;
        }
        if (jsonResults && result instanceof String text) {
            try {
                ticket.succeed(mapper.readTree(text));
            } catch (JsonProcessingException e) {
                ticket.fail(Failure.of(new ProtocolException("the answer is not JSON (--json-results): "
                        + e.getOriginalMessage() + "; the answer was: " + text)));
            }
            return;
        }
        ticket.succeed(result);
    }

    /**
     * A signal: the first stops reading and lets the requests read finish (the main thread does
     * that), a second one stops at once. Runs on the JVM's signal thread.
     */
    private void signalled(String name, int count, Ledger ledger, Answers answers) {
        if (count == 1) {
            state.signalled(name);
            System.err.println("warmpool run: SIG" + name + ": reading no more input; the requests read get up to "
                    + RunHelp.seconds(RunHelp.shutdownGrace())
                    + " to finish (a second signal stops at once)");
            return;
        }
        ledger.close();
        // every process this command started is a worker or a worker's descendant
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        long before = ledger.outstanding();
        ledger.failAllUnanswered(Failure.rejected("not answered: warmpool run was stopped at once by a second signal "
                + "(SIG" + name + "); the workers were killed"));
        answers.close();
        System.err.println("warmpool run: stopped at once by a second signal (SIG" + name + "); " + before
                + (before == 1 ? " request not yet answered was" : " requests not yet answered were") + " answered rejected");
        System.err.flush();
        Runtime.getRuntime().halt(Signals.exitStatus(state.signal().orElse(name)));
    }

    private String notReadAfterSignal() {
        return "not sent: warmpool run is stopping after SIG" + state.signal().orElse("TERM");
    }

    private String prometheus(Ledger ledger) {
        Map<String, Long> answered = new LinkedHashMap<>();
        answered.put("ok", ledger.succeeded());
        for (Failure.Kind k : Failure.Kind.values()) {
            answered.put(k.label(), ledger.errors(k));
        }
        Optional<PoolMetrics> m = state.pool().map(p -> p.metrics());
        return PrometheusText.render(m, new PrometheusText.Command(state.health().healthy() ? 1 : 0,
                ledger.requests(), answered));
    }

    /**
     * Parses and writes a request and answers once, before any timing: loading Jackson's classes
     * takes this JVM a good part of a second, which belongs to the command's start, not to the first
     * request's latency.
     */
    private void warmUp(RequestParser parser) {
        parser.parse("{\"id\":0,\"method\":\"m\",\"params\":{\"a\":[1,2.5,\"x\"]}}", 0);
        parser.parse("text", 0);
        try {
            mapper.writeValueAsString(mapper.valueToTree(Map.of("id", 0, "result", Map.of("a", List.of(1, "x")))));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private InputStream open() {
        if (input == null) {
            return System.in;
        }
        if (!Files.isReadable(input) || Files.isDirectory(input)) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--input': cannot read '"
                    + input + "'" + (Files.exists(input) ? "" : ": no such file"));
        }
        try {
            return Files.newInputStream(input);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--input': cannot read '"
                    + input + "': " + e.getMessage());
        }
    }
}
