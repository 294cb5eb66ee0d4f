package dev.warmpool.benchmarks;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.warmpool.api.spi.Call;
import dev.warmpool.api.NotificationListener;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.worker.wire.JsonRpcProtocol;
import dev.warmpool.transport.jsonrpc.JsonRpcTransport;
import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.core.WarmPool;
import java.util.OptionalLong;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the time between the floor and the warm pool goes: diagnostics that add one piece of the
 * {@code jsonrpc} path at a time to {@link LatencyBenchmark#floorJsonRpc}'s bare round trip, all
 * on the JSON-RPC echo worker.
 * <ul>
 *   <li>{@code handOff}: the bare round trip, but a reader thread of its own reads the answer and
 *       completes a future the caller waits on (the threading of {@code JsonRpcWorker}, no JSON);</li>
 *   <li>{@code codecTree}: the bare round trip on the caller's thread with the transport's JSON work:
 *       encode the request with a new generator, parse the answer to a tree and convert its result
 *       ({@code readTree} + {@code treeToValue}, as {@code JsonRpcWorker} does);</li>
 *   <li>{@code codecStreaming}: the same, but the answer is parsed once, straight into the result
 *       with a streaming parser (a proposed change);</li>
 *   <li>{@code transportOnly}: the real {@code jsonrpc} transport's worker, called without a pool:
 *       the transport's reader thread reads the answer and hands it to the waiting caller;</li>
 *   <li>{@code floorInlineSdk}: the bare round trip to the worker SDK told to run handlers on its
 *       reading thread: what the SDK's hand-off to a virtual thread per request costs;</li>
 *   <li>{@code floorBesideIdle}: the bare round trip while 15 more JSON-RPC workers ({@code bystanders}) sit idle beside
 *       it, with no pool: what idle worker processes cost by themselves (their JVMs' periodic
 *       housekeeping), as against what a pool of 16 costs ({@code warmJsonRpc} with 16 workers);</li>
 *   <li>{@code poolOnly}: a pool whose worker lives in the benchmark's JVM and answers at once: the
 *       pool's own work per request, without a process or a pipe.</li>
 * </ul>
 * Warm minus {@code transportOnly} is what the pool adds on the real path; {@code poolOnly} is the
 * part of that which is the pool's own code.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
public class PathCostBenchmark {
    private static final byte[] REQUEST = Programs.requestFrame(1);

    /** A bare worker whose answers a reader thread of its own hands to the caller. */
    @State(Scope.Benchmark)
    public static class HandOff {
        Programs.Bare worker;
        final AtomicReference<CompletableFuture<byte[]>> waiting = new AtomicReference<>();
        Thread reader;

        /** Starts the worker and the reader thread. */
        @Setup(Level.Trial)
        public void start() {
            worker = new Programs.Bare(Programs.spec("handoff", Programs.jsonRpcWorker()));
            worker.handshake();
            reader = new Thread(this::read, "handoff-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try {
                byte[] frame;
                while ((frame = worker.in.read()) != null) {
                    CompletableFuture<byte[]> f = waiting.getAndSet(null);
                    if (f != null) {
                        f.complete(frame);
                    }
                }
            } catch (IOException e) {
                // the worker is gone: the trial is over
            }
        }

        byte[] call() {
            CompletableFuture<byte[]> f = new CompletableFuture<>();
            waiting.set(f);
            try {
                worker.out.write(REQUEST);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return f.join();
        }

        /** Stops the worker; the reader ends at its end-of-file. */
        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            worker.close();
            reader.join(2000);
        }
    }

    /** A bare worker spoken to with the transport's JSON work on the caller's thread. */
    @State(Scope.Benchmark)
    public static class Codec {
        Programs.Bare worker;
        ObjectMapper mapper;
        /** Binds a value in the middle of a message: the mapper fails on trailing tokens, this must not. */
        ObjectReader resultReader;
        long ids;

        /** Starts the worker. */
        @Setup(Level.Trial)
        public void start() {
            worker = new Programs.Bare(Programs.spec("codec", Programs.jsonRpcWorker()));
            worker.handshake();
            mapper = JsonRpcProtocol.newObjectMapper(Programs.MAX_FRAME_BYTES);
            resultReader = mapper.readerFor(Object.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        }

        /** As {@code JsonRpcWorker.encode}: a new stream and generator per request. */
        byte[] encode() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            try (JsonGenerator g = mapper.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("jsonrpc", "2.0");
                g.writeNumberField("id", ++ids);
                g.writeStringField("method", Programs.METHOD);
                g.writeFieldName("params");
                mapper.writeValue(g, Programs.PARAMS);
                g.writeEndObject();
            }
            return out.toByteArray();
        }

        /** As {@code JsonRpcWorker.handleFrame} and {@code complete}: a tree, then the result converted. */
        Object decodeTree(byte[] frame) throws IOException {
            JsonNode msg = mapper.readTree(frame);
            if (!msg.has("result") || msg.get("id").longValue() != ids) {
                throw new IllegalStateException("unexpected answer " + msg);
            }
            return mapper.treeToValue(msg.get("result"), Object.class);
        }

        /** One pass: the envelope's members with a streaming parser, the result bound straight from it. */
        Object decodeStreaming(byte[] frame) throws IOException {
            try (JsonParser p = mapper.createParser(frame)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new IllegalStateException("not an object");
                }
                Object result = null;
                long id = -1;
                String field;
                while ((field = p.nextFieldName()) != null) {
                    JsonToken t = p.nextToken();
                    switch (field) {
                        case "id" -> id = p.getLongValue();
                        case "result" -> result = t == JsonToken.VALUE_NULL ? null : resultReader.readValue(p);
                        default -> p.skipChildren();
                    }
                }
                if (id != ids) {
                    throw new IllegalStateException("answer to " + id + " instead of " + ids);
                }
                return result;
            }
        }

        /** Stops the worker. */
        @TearDown(Level.Trial)
        public void stop() {
            worker.close();
        }
    }

    /** The {@code jsonrpc} transport's worker, without a pool. */
    @State(Scope.Benchmark)
    public static class TransportOnly {
        Worker worker;
        Call<Object> call;

        /** Starts the worker through the transport (handshake included). */
        @Setup(Level.Trial)
        public void start() {
            worker = JsonRpcTransport.create().start(Programs.spec("transport", Programs.jsonRpcWorker()));
            call = new Call<>(Programs.METHOD, Programs.PARAMS, Object.class, NotificationListener.NONE);
        }

        /** Stops the worker. */
        @TearDown(Level.Trial)
        public void stop() {
            worker.stop(Duration.ofSeconds(2)).join();
        }
    }

    /** The worker SDK running its handlers inline, without a pool. */
    @State(Scope.Benchmark)
    public static class InlineSdk {
        Programs.Bare worker;

        /** Starts the worker. */
        @Setup(Level.Trial)
        public void start() {
            worker = new Programs.Bare(Programs.spec("inline", Programs.jsonRpcWorkerInline()));
            worker.handshake();
        }

        /** Stops the worker. */
        @TearDown(Level.Trial)
        public void stop() {
            worker.close();
        }
    }

    /**
     * A pool whose one worker lives in this JVM and answers at once: what the pool itself costs a
     * request (submit, dispatch, completion, metrics), with no process and no pipe.
     */
    @State(Scope.Benchmark)
    public static class InMemoryPool {
        WarmPool pool;

        /** Starts the pool. */
        @Setup(Level.Trial)
        public void start() {
            pool = WarmPool.start(PoolConfig.builder().command(List.of("in-memory")).size(1)
                    .transport(new InMemoryTransport()).noShutdownHook().build());
        }

        /** Shuts the pool down. */
        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
        }
    }

    /** Starts workers that answer each call with its params, in this JVM. */
    static final class InMemoryTransport implements Transport {
        @Override
        public String name() {
            return "in-memory";
        }

        @Override
        public Worker start(WorkerSpec spec) {
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            return new Worker() {
                @Override
                public String id() {
                    return spec.id();
                }

                @Override
                public OptionalLong pid() {
                    return OptionalLong.empty();
                }

                @Override
                @SuppressWarnings("unchecked")
                public <T> CompletableFuture<T> call(Call<T> call) {
                    return CompletableFuture.completedFuture((T) call.params());
                }

                @Override
                public boolean cancel() {
                    return false;
                }

                @Override
                public CompletableFuture<Void> ping() {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public boolean isUsable() {
                    return !exit.isDone();
                }

                @Override
                public CompletableFuture<Integer> onExit() {
                    return exit.copy();
                }

                @Override
                public CompletableFuture<Integer> stop(Duration grace) {
                    exit.complete(0);
                    return exit.copy();
                }

                @Override
                public void kill() {
                    exit.complete(137);
                }

                @Override
                public List<String> stderrTail() {
                    return List.of();
                }
            };
        }
    }

    /** A bare worker and more that sit idle beside it. */
    @State(Scope.Benchmark)
    public static class BesideIdle {
        /** How many workers sit idle beside the one spoken to. */
        @Param({"15"})
        public int bystanders;
        Programs.Bare worker;
        final List<Programs.Bare> idle = new ArrayList<>();

        /** Starts the workers. */
        @Setup(Level.Trial)
        public void start() {
            for (int i = 0; i < bystanders; i++) {
                idle.add(new Programs.Bare(Programs.spec("idle", Programs.jsonRpcWorker())));
            }
            worker = new Programs.Bare(Programs.spec("busy", Programs.jsonRpcWorker()));
            worker.handshake();
            for (Programs.Bare b : idle) {
                b.handshake();
            }
            List<Long> pids = new ArrayList<>();
            pids.add(worker.process.pid());
            idle.forEach(b -> pids.add(b.process.pid()));
            Programs.settle(pids);
        }

        /** Stops them. */
        @TearDown(Level.Trial)
        public void stop() {
            worker.close();
            idle.forEach(Programs.Bare::close);
        }
    }

    /**
     * @param s the in-memory pool
     * @return the result
     */
    @Benchmark
    public Object poolOnly(InMemoryPool s) {
        return s.pool.submit(Programs.METHOD, Programs.PARAMS).join();
    }

    /**
     * @param s the workers
     * @return the answer frame
     */
    @Benchmark
    public byte[] floorBesideIdle(BesideIdle s) {
        return s.worker.roundTrip(REQUEST);
    }

    /**
     * @param s the worker and its reader thread
     * @return the answer frame
     */
    @Benchmark
    public byte[] handOff(HandOff s) {
        return s.call();
    }

    /**
     * @param s the worker and a mapper
     * @return the result
     * @throws IOException if the pipe fails
     */
    @Benchmark
    public Object codecTree(Codec s) throws IOException {
        return s.decodeTree(s.worker.roundTrip(s.encode()));
    }

    /**
     * @param s the worker and a mapper
     * @return the result
     * @throws IOException if the pipe fails
     */
    @Benchmark
    public Object codecStreaming(Codec s) throws IOException {
        return s.decodeStreaming(s.worker.roundTrip(s.encode()));
    }

    /**
     * @param s the transport's worker
     * @return the result
     */
    @Benchmark
    public Object transportOnly(TransportOnly s) {
        return s.worker.call(s.call).join(); // the reader thread reads the answer and hands it over
    }

    /**
     * @param s the inline worker
     * @return the answer frame
     */
    @Benchmark
    public byte[] floorInlineSdk(InlineSdk s) {
        return s.worker.roundTrip(REQUEST);
    }
}
