package dev.warmpool.benchmarks;

import dev.warmpool.testkit.sshd.Sshd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The quick mode: runs the key benchmarks with short iterations (one fork each; JSON-RPC latency
 * 7 × 1 s warmup, line latency 3 × 1 s, 3 × 1 s measurement; the others 1–2 × 1 s warmup and
 * 2 × 1 s measurement), then prints one summary table computed from that run — the floor, the warm
 * pool, the cold start, their ratios, throughput by pool size and the cost of idle workers — and
 * writes it as {@code quick-results.json} and {@code quick-results.md} next to the benchmarks jar
 * (or to {@code --out DIR}), with {@code latency.svg}, the chart of {@code warmpool bench --plot}
 * for this run ({@link QuickPlot}). The cold benchmarks time each request here (JMH's sample mode),
 * so that the chart has their distribution. Takes under two minutes on a 2-core machine.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.warmpool.benchmarks.Quick [--smoke] [--pin-cpu N] [--out DIR]
 * </pre>
 *
 * <p>{@code --pin-cpu N} runs the latency benchmarks (their JMH forks and the workers these start)
 * on CPU {@code N} only, through {@code taskset}. On a virtual machine where waking a thread on
 * another virtual CPU is slow, this takes the scheduler's placement out of the latency figures, so
 * they show the software's own cost; the unpinned run shows what a user of such a machine sees.
 *
 * <p>{@code --smoke} runs every benchmark method (the {@link PathCostBenchmark} diagnostics too, and
 * {@link HostsBenchmark} where a local OpenSSH server can run) once
 * with minimal iterations (no warmup, one 200 ms measurement, the smallest parameters), to keep the benchmarks compiling and running in CI
 * in well under a minute. Its numbers mean nothing, and nothing here ever asserts a speed: the exit
 * status is non-zero only when a benchmark fails.
 */
public final class Quick {
    private Quick() {
    }

    /**
     * @param args {@code --smoke}, {@code --out DIR}
     * @throws RunnerException if a benchmark fails
     * @throws IOException if the results cannot be written
     */
    public static void main(String[] args) throws RunnerException, IOException {
        boolean smoke = false;
        String pinCpu = null;
        Path out = Programs.jar().map(Path::getParent).orElse(Path.of("target"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--pin-cpu" -> {
                    if (i + 1 == args.length || !args[i + 1].matches("\\d+")) {
                        usage("--pin-cpu needs a CPU number");
                    }
                    pinCpu = args[++i];
                }
                case "--out" -> {
                    if (i + 1 == args.length) {
                        usage("--out needs a directory");
                    }
                    out = Path.of(args[++i]);
                }
                case "-h", "--help" -> {
                    usage(null);
                    return;
                }
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        Optional<Double> loadBefore = Machine.loadAverage();
        long started = System.nanoTime();
        List<RunResult> results = new ArrayList<>();
        for (ChainedOptionsBuilder latency : List.of(jsonRpcLatency(smoke), lineLatency(smoke))) {
            if (pinCpu != null) {
                latency.jvm(pinnedJava(pinCpu).toString());
            }
            results.addAll(run(latency));
        }
        results.addAll(run(cold(smoke)));
        results.addAll(run(throughput(smoke)));
        if (smoke) {
            results.addAll(run(base(true).include(name(PathCostBenchmark.class, ".+")).param("bystanders", "1")
                    .timeUnit(TimeUnit.MICROSECONDS)));
            Optional<String> noSshd = Sshd.unavailable();
            if (noSshd.isEmpty()) {
                results.addAll(run(base(true).include(name(HostsBenchmark.class, ".+"))
                        .param("host", "local", "ssh-shared").param("sharing", "true")));
            } else {
                System.out.println("HostsBenchmark skipped: it needs a local OpenSSH server, and " + noSshd.get());
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        QuickReport report = QuickReport.of(results, smoke, took, loadBefore, Machine.loadAverage(),
                Optional.ofNullable(pinCpu));
        System.out.println();
        System.out.println(report.text());
        Path json = report.writeJson(out);
        Path md = report.writeMarkdown(out);
        Path svg = QuickPlot.write(out, "warmpool quick benchmark" + (smoke ? " (smoke)" : "")
                + ": one request to a JSON-RPC worker", QuickPlot.lines(results), report.caption());
        System.out.println("wrote " + json.toAbsolutePath() + ", " + md.toAbsolutePath() + " and " + svg.toAbsolutePath());
    }

    private static void usage(String problem) {
        String text = "usage: java -cp benchmarks.jar " + Quick.class.getName() + " [--smoke] [--pin-cpu N] [--out DIR]";
        if (problem == null) {
            System.out.println(text);
            return;
        }
        System.err.println(problem);
        System.err.println(text);
        System.exit(2);
    }

    /** @return a script that runs this JVM's {@code java} under {@code taskset -c cpu}, for JMH's {@code jvm} option */
    private static Path pinnedJava(String cpu) throws IOException {
        Path script = Files.createTempFile("warmpool-java-cpu" + cpu + "-", ".sh");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(script, "#!/bin/sh\nexec taskset -c " + cpu + " '" + java + "' \"$@\"\n");
        script.toFile().setExecutable(true);
        script.toFile().deleteOnExit();
        return script;
    }

    private static Collection<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
        return new Runner(options.build()).run();
    }

    private static ChainedOptionsBuilder base(boolean smoke) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .forks(1)
                .shouldFailOnError(true);
        if (smoke) {
            b.warmupIterations(0)
                    .measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(200));
        } else {
            b.warmupIterations(2)
                    .warmupTime(TimeValue.seconds(1))
                    .measurementIterations(2)
                    .measurementTime(TimeValue.seconds(1));
        }
        return b;
    }

    private static ChainedOptionsBuilder jsonRpcLatency(boolean smoke) {
        ChainedOptionsBuilder b = base(smoke)
                .include(name(LatencyBenchmark.class, "floorJsonRpc|warmJsonRpc"))
                .param("workers", smoke ? new String[] {"1"} : new String[] {"1", "16"})
                .timeUnit(TimeUnit.MICROSECONDS);
        if (!smoke) {
            // two JVMs (the pool's and the worker's) compile the JSON path: with both on one core that
            // takes 6-8 s; earlier iterations measure the compilers, not the pool
            b.warmupIterations(7).measurementIterations(3);
        }
        return b;
    }

    private static ChainedOptionsBuilder lineLatency(boolean smoke) {
        ChainedOptionsBuilder b = base(smoke)
                .include(name(LatencyBenchmark.class, "floorLine|warmLine|warmCat"))
                .timeUnit(TimeUnit.MICROSECONDS);
        if (!smoke) {
            b.warmupIterations(3).measurementIterations(3);
        }
        return b;
    }

    private static ChainedOptionsBuilder cold(boolean smoke) {
        ChainedOptionsBuilder b = base(smoke)
                .include(name(ColdBenchmark.class, smoke ? "jvmJsonRpc|jvmLine|cat|catPlain" : "jvmJsonRpc|cat|catPlain"))
                // each request timed, not only their mean: the latency chart draws the cold distribution
                .mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MILLISECONDS);
        if (!smoke) {
            // a cold start has nothing to warm up but the page cache: one warmup iteration is enough
            b.warmupIterations(1);
        }
        return b;
    }

    private static ChainedOptionsBuilder throughput(boolean smoke) {
        return base(smoke)
                .include(name(ThroughputBenchmark.class, smoke ? "oneCaller|fourCallers|sixteenCallers" : "fourCallers"))
                .param("poolSize", smoke ? new String[] {"1"} : new String[] {"1", "2", "4"})
                .timeUnit(TimeUnit.SECONDS);
    }

    private static String name(Class<?> benchmark, String methods) {
        return "^" + benchmark.getName().replace(".", "\\.") + "\\.(" + methods + ")$";
    }
}
