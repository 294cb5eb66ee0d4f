package dev.warmpool.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;

/**
 * A raw pipe floor: a process that writes every line back, spoken to by the benchmark thread
 * itself over its pipes with the transports' newline framing, no pool and no JSON. The line is the
 * JSON-RPC request the pool would send, so the bytes are those of the pooled contenders.
 *
 * @param command the argv of the echoing process
 */
record FloorContender(String key, String label, List<String> command) implements Contender {
    FloorContender {
        command = List.copyOf(command);
    }

    @Override
    public Percentiles latency(int warmup, int timed) {
        byte[] line = PeerPayload.requestLine(1);
        try (Programs.Bare worker = new Programs.Bare(Programs.spec(key, command))) {
            byte[] answer = worker.roundTrip(line);
            if (!Arrays.equals(answer, line)) {
                throw new IllegalStateException(key + " echoed '" + new String(answer, StandardCharsets.UTF_8)
                        + "' instead of the line it was sent");
            }
            for (int i = 0; i < warmup; i++) {
                worker.roundTrip(line);
            }
            Histogram h = Percentiles.histogram();
            for (int i = 0; i < timed; i++) {
                long start = System.nanoTime();
                worker.roundTrip(line);
                Percentiles.record(h, System.nanoTime() - start);
            }
            return Percentiles.of(h);
        }
    }

    /** A floor is one bare process with one caller: it has no throughput figure. */
    @Override
    public OptionalDouble throughput(int workers, int callers, Duration warmup, Duration measure) {
        return OptionalDouble.empty();
    }
}
