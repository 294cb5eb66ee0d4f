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
 * JSON-RPC request the pool would send, so the bytes are those of the pooled contenders. The
 * process is started at the first measurement and serves every round.
 */
final class FloorContender extends Contender {
    private final List<String> command;
    private final byte[] line = PeerPayload.requestLine(1);
    private Programs.Bare worker;

    /** @param command the argv of the echoing process */
    FloorContender(String key, String label, List<String> command) {
        super(key, label);
        this.command = List.copyOf(command);
    }

    private Programs.Bare worker() {
        if (worker == null) {
            Programs.Bare w = new Programs.Bare(Programs.spec(key(), command));
            byte[] answer = w.roundTrip(line);
            if (!Arrays.equals(answer, line)) {
                w.close();
                throw new IllegalStateException(key() + " echoed '" + new String(answer, StandardCharsets.UTF_8)
                        + "' instead of the line it was sent");
            }
            worker = w;
        }
        return worker;
    }

    @Override
    Percentiles latency(int warmup, int timed) {
        Programs.Bare w = worker();
        for (int i = 0; i < warmup; i++) {
            w.roundTrip(line);
        }
        Histogram h = Percentiles.histogram();
        for (int i = 0; i < timed; i++) {
            long start = System.nanoTime();
            w.roundTrip(line);
            Percentiles.record(h, System.nanoTime() - start);
        }
        return Percentiles.of(h);
    }

    /** A floor is one bare process with one caller: it has no throughput figure. */
    @Override
    OptionalDouble throughput(int workers, int callers, Duration warmup, Duration measure) {
        return OptionalDouble.empty();
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }
}
