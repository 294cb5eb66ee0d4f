package dev.warmpool.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The peers benchmark: in one run, on one machine and one payload, warmpool's {@code jsonrpc} pool
 * with the Java SDK, Python and Node workers beside the raw pipe floors of the three languages, the
 * plainest inline Python and Node workers, Node's {@code workerpool} (process and thread mode) and
 * {@code piscina}, and Python's {@code ProcessPoolExecutor} and {@code multiprocessing.Pool}.
 * Latency of one caller (p50, p99, p99.9) and throughput of 2 workers with 8 callers, in rounds that
 * alternate the order of the contenders; the figures are the medians of the rounds, unpinned.
 *
 * <pre>
 * java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar dev.warmpool.benchmarks.Peers \
 *     [--quick | --full | --smoke] [--out DIR] [--repo DIR] [--no-install]
 * </pre>
 *
 * <p>It installs the npm peers at the versions pinned in {@code benchmarks/src/main/peers/package.json}
 * into {@code benchmarks/target/peers} (unless {@code --no-install}), and skips, saying why, what
 * needs a runtime that is missing ({@code python3}, {@code node}, {@code npm}). The Java worker is the
 * SDK as it is in this build ({@link JsonRpcEchoWorker}); the Python and Node workers are the
 * examples, {@code examples/python/worker.py} and {@code examples/node/worker.js}, on their worker
 * libraries. Writes {@code peers-results.md} and {@code peers-results.json} to {@code --out}
 * (default {@code benchmarks/target}). Nothing here asserts a speed: the exit status is non-zero only
 * when a contender fails.
 */
public final class Peers {
    private Peers() {
    }

    /**
     * @param args see the class documentation
     * @throws Exception if the setup fails
     */
    public static void main(String[] args) throws Exception {
        Optional<Options> options = Options.parse(args);
        if (options.isPresent()) {
            System.exit(run(options.get()) ? 0 : 1);
        }
    }

    /** The command line. */
    private record Options(PeersMode mode, Optional<Path> out, Optional<Path> repo, boolean install) {
        /** @return the options, or empty after printing the usage for --help; exits with status 2 on a bad argument */
        static Optional<Options> parse(String[] args) {
            PeersMode mode = PeersMode.QUICK;
            Optional<Path> out = Optional.empty();
            Optional<Path> repo = Optional.empty();
            boolean install = true;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> mode = PeersMode.QUICK;
                    case "--full" -> mode = PeersMode.FULL;
                    case "--smoke" -> mode = PeersMode.SMOKE;
                    case "--no-install" -> install = false;
                    case "--out", "--repo" -> {
                        if (i + 1 == args.length) {
                            usage(args[i] + " needs a directory");
                        }
                        Path dir = Path.of(args[i + 1]);
                        if (args[i].equals("--out")) {
                            out = Optional.of(dir);
                        } else {
                            repo = Optional.of(dir);
                        }
                        i++;
                    }
                    case "-h", "--help" -> {
                        usage(null);
                        return Optional.empty();
                    }
                    default -> usage("unknown argument '" + args[i] + "'");
                }
            }
            return Optional.of(new Options(mode, out, repo, install));
        }
    }

    /** @return whether every measurement succeeded */
    private static boolean run(Options options) throws Exception {
        PeersMode mode = options.mode();
        PeerSetup setup = PeerSetup.locate(options.repo());
        PeersReport report = new PeersReport(mode);
        List<Contender> contenders = contenders(setup, report, options.install());
        Optional<Double> loadBefore = Machine.loadAverage();
        long started = System.nanoTime();
        boolean failed = false;
        System.out.println(mode.describe());
        try {
            failed = !rounds(mode, report, contenders);
        } finally {
            contenders.forEach(Contender::close);
        }
        for (Contender c : contenders) {
            c.version().ifPresent(v -> report.runtime(c.key(), v));
        }
        report.finish(Duration.ofNanos(System.nanoTime() - started), loadBefore, Machine.loadAverage());
        System.out.println();
        System.out.println(report.markdown());
        List<Path> written = report.write(options.out().orElse(setup.repo().resolve("benchmarks/target")));
        System.out.println("wrote " + written.get(0).toAbsolutePath() + " and " + written.get(1).toAbsolutePath());
        return !failed;
    }

    /** Runs the rounds; returns whether every measurement succeeded. */
    private static boolean rounds(PeersMode mode, PeersReport report, List<Contender> contenders) {
        boolean failed = false;
        for (int round = 0; round < mode.rounds(); round++) {
            List<Contender> order = rotated(contenders, round);
            for (Contender c : order) {
                failed |= !measure(report, c, round, "latency", () -> {
                    Percentiles p = c.latency(mode.warmup(), mode.timed());
                    report.latency(c.key(), p);
                    return String.format(Locale.ROOT, "p50 %.1f us, p99 %.1f us, p99.9 %.1f us", p.p50(), p.p99(), p.p999());
                });
            }
            for (Contender c : order) {
                failed |= !measure(report, c, round, "throughput", () -> {
                    OptionalDouble rps = c.throughput(mode.workers(), mode.callers(), mode.throughputWarmup(),
                            mode.throughputWindow());
                    rps.ifPresent(r -> report.throughput(c.key(), r));
                    return rps.isPresent() ? String.format(Locale.ROOT, "%,.0f requests/s", rps.getAsDouble()) : null;
                });
            }
        }
        return !failed;
    }

    /** One measurement; prints its outcome and returns false if it failed. */
    private static boolean measure(PeersReport report, Contender c, int round, String what, Measurement m) {
        if (report.skipped(c.key())) {
            return true;
        }
        long start = System.nanoTime();
        try {
            String result = m.run();
            if (result != null) {
                System.out.printf(Locale.ROOT, "round %d %-10s %-22s %s (%.1f s)%n", round + 1, what, c.key(), result,
                        (System.nanoTime() - start) / 1e9);
            }
            return true;
        } catch (Exception e) {
            String why = what + " failed in round " + (round + 1) + ": " + e.getMessage();
            System.out.printf(Locale.ROOT, "round %d %-10s %-22s FAILED: %s%n", round + 1, what, c.key(), e);
            report.skip(c.key(), why);
            c.close(); // a failed contender is measured no more: nothing of it stays running
            return false;
        }
    }

    @FunctionalInterface
    private interface Measurement {
        String run() throws Exception;
    }

    private static List<Contender> rotated(List<Contender> contenders, int round) {
        List<Contender> order = new ArrayList<>(contenders);
        if (!order.isEmpty()) {
            java.util.Collections.rotate(order, -(round % order.size()));
        }
        return order;
    }

    /** Lists the contenders in the report's order, with their ratios; skips what cannot run, saying why. */
    private static List<Contender> contenders(PeerSetup setup, PeersReport report, boolean install) throws Exception {
        List<Contender> list = new ArrayList<>();
        Optional<String> noPython = setup.python().isPresent() ? Optional.empty()
                : Optional.of("python3 not found on PATH (or it did not run)");
        Optional<String> noNode = setup.node().isPresent() ? Optional.empty()
                : Optional.of("node not found on PATH (or it did not run)");
        Optional<String> noNodePeers = setup.installNodePeers(install);
        setup.python().ifPresent(p -> report.runtime("python", p.version()));
        setup.node().ifPresent(n -> report.runtime("node", n.version()));
        report.runtime("java worker", "the SDK on this branch (JsonRpcEchoWorker), JDK " + Runtime.version());
        String python = setup.python().map(PeerSetup.Runtime::executable).orElse("python3");
        String node = setup.node().map(PeerSetup.Runtime::executable).orElse("node");
        Map<String, String> nodeEnv = PeerSetup.environment(Map.of("NODE_PATH",
                setup.peersHome().resolve("node_modules").toString()));
        Map<String, String> pythonEnv = PeerSetup.environment(Map.of());

        add(list, report, Optional.empty(), new FloorContender("floor-java", "raw pipe floor, Java (line echo, no pool, no JSON)",
                Programs.lineWorker()));
        add(list, report, noPython, new FloorContender("floor-python", "raw pipe floor, Python",
                List.of(python, setup.script("line_echo.py"))));
        add(list, report, noNode, new FloorContender("floor-node", "raw pipe floor, Node",
                List.of(node, setup.script("line_echo.js"))));
        add(list, report, Optional.empty(), new PoolContender("warmpool-java", "warmpool `jsonrpc`, Java SDK worker",
                Programs.jsonRpcWorker()));
        report.ratio("÷ Java floor", "warmpool-java", "floor-java");
        add(list, report, noPython, new PoolContender("warmpool-python",
                "warmpool `jsonrpc`, Python worker (`warmpool_worker.py`)", List.of(python, setup.example("python/worker.py"))));
        report.ratio("÷ Python floor", "warmpool-python", "floor-python");
        report.ratio("÷ plainest inline Python worker", "warmpool-python", "plain-python");
        add(list, report, noPython, new PoolContender("plain-python", "warmpool `jsonrpc`, plainest inline Python worker",
                List.of(python, setup.script("plain_worker.py"))));
        report.ratio("÷ Python floor", "plain-python", "floor-python");
        add(list, report, noNode, new PoolContender("warmpool-node", "warmpool `jsonrpc`, Node worker (`warmpool_worker.js`)",
                List.of(node, setup.example("node/worker.js"))));
        report.ratio("÷ Node floor", "warmpool-node", "floor-node");
        report.ratio("÷ plainest inline Node worker", "warmpool-node", "plain-node");
        add(list, report, noNode, new PoolContender("plain-node", "warmpool `jsonrpc`, plainest inline Node worker",
                List.of(node, setup.script("plain_worker.js"))));
        report.ratio("÷ Node floor", "plain-node", "floor-node");

        Optional<String> nodePeers = noNode.or(() -> noNodePeers);
        Map<String, String> pinned = setup.pinnedNodePeers();
        for (String peer : List.of("workerpool-process", "workerpool-thread", "piscina")) {
            String name = peer.startsWith("workerpool") ? "workerpool" : "piscina";
            String label = "Node `" + name + "` " + pinned.getOrDefault(name, "?")
                    + (peer.equals("workerpool-process") ? ", process mode" : peer.equals("workerpool-thread") ? ", thread mode" : ", threads");
            add(list, report, nodePeers, new DriverContender(peer, label, List.of(node, setup.script("node_peers.js"), peer), nodeEnv));
            report.ratio("warmpool Java SDK ÷ this", "warmpool-java", peer);
            report.ratio("warmpool Node worker ÷ this", "warmpool-node", peer);
        }
        for (String peer : List.of("process-pool-executor", "multiprocessing-pool")) {
            String label = peer.equals("process-pool-executor") ? "Python `concurrent.futures.ProcessPoolExecutor`"
                    : "Python `multiprocessing.Pool`";
            add(list, report, noPython, new DriverContender(peer, label, List.of(python, setup.script("python_peers.py"), peer),
                    pythonEnv));
            report.ratio("warmpool Java SDK ÷ this", "warmpool-java", peer);
            report.ratio("warmpool Python worker ÷ this", "warmpool-python", peer);
        }
        return list;
    }

    private static void add(List<Contender> list, PeersReport report, Optional<String> missing, Contender c) {
        report.row(c.key(), c.label());
        if (missing.isPresent()) {
            report.skip(c.key(), missing.get());
            System.out.println("skipping " + c.key() + ": " + missing.get());
        } else {
            list.add(c);
        }
    }

    private static void usage(String problem) {
        String text = "usage: java -cp benchmarks.jar " + Peers.class.getName()
                + " [--quick | --full | --smoke] [--out DIR] [--repo DIR] [--no-install]";
        if (problem == null) {
            System.out.println(text);
            return;
        }
        System.err.println(problem);
        System.err.println(text);
        System.exit(2);
    }
}
