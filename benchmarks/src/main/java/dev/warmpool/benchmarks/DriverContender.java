package dev.warmpool.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Another runtime's worker pool, measured by a driver script in that runtime
 * ({@code src/main/peers/node_peers.js}, {@code python_peers.py}): the script's own caller times
 * each call with the runtime's clock and prints the latencies (or the count of answers) as one JSON
 * line, which lands in the same kind of histogram as the Java-side figures.
 * A driver starts its runtime's pool for each measurement and warms it up with the same number of
 * requests as the others.
 */
final class DriverContender extends Contender {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STDERR_TAIL_BYTES = 4096;

    private final List<String> argv;
    private final Map<String, String> environment;
    private String version;

    /**
     * @param argv the interpreter, the driver script and the peer's name; the payload, mode and
     *     counts are appended
     * @param environment the driver's whole environment
     */
    DriverContender(String key, String label, List<String> argv, Map<String, String> environment) {
        super(key, label);
        this.argv = List.copyOf(argv);
        this.environment = Map.copyOf(environment);
    }

    @Override
    Optional<String> version() {
        return Optional.ofNullable(version);
    }

    @Override
    Percentiles latency(int warmup, int timed) throws IOException, InterruptedException {
        // a minute to start and stop, and 5 ms a call, which even a loaded machine beats
        Duration timeout = Duration.ofSeconds(60).plusMillis(5L * (warmup + timed));
        JsonNode result = run(timeout, "latency", Integer.toString(warmup), Integer.toString(timed));
        JsonNode ns = result.path("latenciesNs");
        if (!ns.isArray() || ns.size() != timed) {
            throw new IllegalStateException(key() + "'s driver reported " + ns.size() + " latencies instead of " + timed);
        }
        Histogram h = Percentiles.histogram();
        for (JsonNode n : ns) {
            Percentiles.record(h, n.asLong());
        }
        return Percentiles.of(h);
    }

    @Override
    OptionalDouble throughput(int workers, int callers, Duration warmup, Duration measure)
            throws IOException, InterruptedException {
        Duration timeout = Duration.ofSeconds(60).plus(warmup).plus(measure);
        JsonNode result = run(timeout, "throughput", Integer.toString(workers), Integer.toString(callers),
                Long.toString(warmup.toMillis()), Long.toString(measure.toMillis()));
        double seconds = result.path("seconds").asDouble();
        if (seconds <= 0) {
            throw new IllegalStateException(key() + "'s driver reported a measurement of " + seconds + " s: " + result);
        }
        return OptionalDouble.of(result.path("requests").asLong() / seconds);
    }

    private JsonNode run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(argv);
        command.add(PeerPayload.JSON);
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command);
        b.environment().clear();
        b.environment().putAll(environment);
        Process p = b.start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> stdout = drain(p.getInputStream(), Integer.MAX_VALUE);
        CompletableFuture<byte[]> stderr = drain(p.getErrorStream(), STDERR_TAIL_BYTES);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new IllegalStateException(key() + "'s driver did not finish within " + timeout.toSeconds() + " s: "
                    + String.join(" ", command));
        }
        String err = new String(stderr.join(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new IllegalStateException(key() + "'s driver exited with status " + p.exitValue() + ": " + err);
        }
        String out = new String(stdout.join(), StandardCharsets.UTF_8).strip();
        JsonNode result = JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
        if (result.hasNonNull("version")) {
            version = result.get("version").asText();
        }
        return result;
    }

    /** Reads {@code in} on a thread of its own (pipes are always drained, whatever the other one does). */
    private static CompletableFuture<byte[]> drain(InputStream in, int keep) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("peer-driver-output").start(() -> {
            try {
                f.complete(readAll(in, keep));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** @return what {@code in} holds until end-of-file, keeping the last {@code keep} bytes */
    private static byte[] readAll(InputStream in, int keep) {
        try (in) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
                if (all.size() > 2 * keep && keep < Integer.MAX_VALUE / 2) {
                    byte[] tail = Arrays.copyOfRange(all.toByteArray(), all.size() - keep, all.size());
                    all.reset();
                    all.write(tail);
                }
            }
            return all.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
