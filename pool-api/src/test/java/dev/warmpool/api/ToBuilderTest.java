package dev.warmpool.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolConfig.DispatchOrder;
import dev.warmpool.api.spi.ScalingPolicy;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.spi.WorkerSpec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every builder option changed through {@link PoolConfig#toBuilder()}: the accessor shows the new value and
 * every other accessor keeps the copied one. A new option without a row here fails
 * {@link #everyBuilderOptionHasARow()}.
 */
class ToBuilderTest {
    private static final Transport TRANSPORT = new Transport() {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public Worker start(WorkerSpec spec) {
            throw new UnsupportedOperationException("never started");
        }
    };
    private static final ScalingPolicy POLICY = ctx -> 4;
    private static final Executor EXECUTOR = Runnable::run;

    /** One option method, what it is called with, and the accessors it changes with their new values. */
    private record Row(String signature, UnaryOperator<PoolConfig.Builder> change, Map<String, Object> expected) {
    }

    private static Row row(String signature, UnaryOperator<PoolConfig.Builder> change, Object... accessorsAndValues) {
        Map<String, Object> expected = new LinkedHashMap<>();
        for (int i = 0; i < accessorsAndValues.length; i += 2) {
            expected.put((String) accessorsAndValues[i], accessorsAndValues[i + 1]);
        }
        return new Row(signature, change, expected);
    }

    private static final List<Row> ROWS = List.of(
            row("command(List)", b -> b.command(List.of("sort", "-n")), "command", List.of("sort", "-n")),
            row("command(String[])", b -> b.command("tr", "a", "b"), "command", List.of("tr", "a", "b")),
            row("environment(String,String)", b -> b.environment("MODE", "fast"), "environment", Map.of("MODE", "fast")),
            row("inheritEnvironment(String[])", b -> b.inheritEnvironment("PATH"), "inheritedEnvironment", Set.of("PATH")),
            row("inheritAllEnvironment()", PoolConfig.Builder::inheritAllEnvironment, "inheritAllEnvironment", true),
            row("directory(Path)", b -> b.directory(Path.of("/tmp")), "directory", Optional.of(Path.of("/tmp"))),
            row("transport(String)", b -> b.transport("line"), "transportName", "line"),
            row("transport(Transport)", b -> b.transport(TRANSPORT),
                    "transport", Optional.of(TRANSPORT), "transportName", "fake"),
            row("transportSetting(String,String)", b -> b.transportSetting("framing", "newline"),
                    "transportSettings", Map.of("framing", "newline")),
            row("hosts(List)", b -> b.hosts(List.of("local", "ssh://h1")), "hosts", List.of("local", "ssh://h1"),
                    "transportName", "hosts", "transportSettings", Map.of("inner", "jsonrpc", "hosts", "local,ssh://h1")),
            row("hosts(String[])", b -> b.hosts("exec:docker exec -i box"), "hosts", List.of("exec:docker exec -i box"),
                    "transportName", "hosts",
                    "transportSettings", Map.of("inner", "jsonrpc", "hosts", "exec:docker exec -i box")),
            row("scalingPolicy(String)", b -> b.scalingPolicy("latency-target"),
                    "scalingPolicyName", Optional.of("latency-target")),
            row("scalingPolicy(Supplier)", b -> b.scalingPolicy(() -> POLICY), "scalingPolicy", POLICY),
            row("scalingPolicy(ScalingPolicy)", b -> b.scalingPolicy(POLICY), "scalingPolicy", POLICY),
            row("scalingSetting(String,String)", b -> b.scalingSetting("mode", "step"),
                    "scalingSettings", Map.of("mode", "step")),
            row("size(int)", b -> b.size(5), "size", 5),
            row("minSize(int)", b -> b.minSize(2), "minSize", 2),
            row("maxSize(int)", b -> b.maxSize(20), "maxSize", 20),
            row("requestTimeout(Duration)", b -> b.requestTimeout(Duration.ofSeconds(7)),
                    "requestTimeout", Duration.ofSeconds(7)),
            row("queueTimeout(Duration)", b -> b.queueTimeout(Duration.ofSeconds(8)),
                    "queueTimeout", Optional.of(Duration.ofSeconds(8))),
            row("maxQueueSize(int)", b -> b.maxQueueSize(9), "maxQueueSize", 9),
            row("startTimeout(Duration)", b -> b.startTimeout(Duration.ofSeconds(11)),
                    "startTimeout", Duration.ofSeconds(11)),
            row("cancelGrace(Duration)", b -> b.cancelGrace(Duration.ofSeconds(12)), "cancelGrace", Duration.ofSeconds(12)),
            row("stopGrace(Duration)", b -> b.stopGrace(Duration.ofSeconds(13)), "stopGrace", Duration.ofSeconds(13)),
            row("shutdownGrace(Duration)", b -> b.shutdownGrace(Duration.ofSeconds(14)),
                    "shutdownGrace", Duration.ofSeconds(14)),
            row("maxRequestsPerWorker(int)", b -> b.maxRequestsPerWorker(15), "maxRequestsPerWorker", 15),
            row("maxRequestsJitter(int)", b -> b.maxRequestsJitter(16), "maxRequestsJitter", 16),
            row("maxWorkerAge(Duration)", b -> b.maxWorkerAge(Duration.ofMinutes(17)),
                    "maxWorkerAge", Optional.of(Duration.ofMinutes(17))),
            row("healthCheckInterval(Duration)", b -> b.healthCheckInterval(Duration.ZERO),
                    "healthCheckInterval", Duration.ZERO),
            row("healthCheckTimeout(Duration)", b -> b.healthCheckTimeout(Duration.ofSeconds(19)),
                    "healthCheckTimeout", Duration.ofSeconds(19)),
            row("scalingInterval(Duration)", b -> b.scalingInterval(Duration.ofSeconds(20)),
                    "scalingInterval", Duration.ofSeconds(20)),
            row("maxFrameBytes(int)", b -> b.maxFrameBytes(4096), "maxFrameBytes", 4096),
            row("strictOutput()", PoolConfig.Builder::strictOutput, "strictOutput", true),
            row("stderrTailLines(int)", b -> b.stderrTailLines(21), "stderrTailLines", 21),
            row("restartBackoff(Duration,Duration)", b -> b.restartBackoff(Duration.ofMillis(22), Duration.ofSeconds(23)),
                    "restartBackoff", Duration.ofMillis(22), "maxRestartBackoff", Duration.ofSeconds(23)),
            row("crashLoop(int,Duration)", b -> b.crashLoop(24, Duration.ofSeconds(25)),
                    "crashLoopThreshold", 24, "crashLoopWindow", Duration.ofSeconds(25)),
            row("noShutdownHook()", PoolConfig.Builder::noShutdownHook, "shutdownHook", false),
            row("dispatchOrder(DispatchOrder)", b -> b.dispatchOrder(DispatchOrder.LEAST_RECENTLY_USED),
                    "dispatchOrder", DispatchOrder.LEAST_RECENTLY_USED),
            row("callbackExecutor(Executor)", b -> b.callbackExecutor(EXECUTOR), "callbackExecutor", Optional.of(EXECUTOR)));

    @Test
    void everyOptionCanBeChangedThroughToBuilder() throws ReflectiveOperationException {
        PoolConfig original = PoolConfig.builder().command("cat").build();
        Map<String, Object> before = accessors(original);
        for (Row row : ROWS) {
            Map<String, Object> after = accessors(row.change().apply(original.toBuilder()).build());
            Map<String, Object> expected = new LinkedHashMap<>(before);
            expected.putAll(row.expected());
            assertEquals(expected, after, row.signature());
            assertTrue(row.expected().keySet().stream().anyMatch(a -> !row.expected().get(a).equals(before.get(a))),
                    row.signature() + " must change something from the default");
        }
    }

    @Test
    void everyBuilderOptionHasARow() {
        Set<String> methods = Arrays.stream(PoolConfig.Builder.class.getMethods())
                .filter(m -> m.getReturnType() == PoolConfig.Builder.class)
                .map(ToBuilderTest::signature)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(methods, ROWS.stream().map(Row::signature).collect(Collectors.toCollection(TreeSet::new)));
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(",", "(", ")"));
    }

    /** Every public accessor's value; a scaling policy supplier is called, so the rows compare what it makes. */
    private static Map<String, Object> accessors(PoolConfig c) throws ReflectiveOperationException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Method m : PoolConfig.class.getMethods()) {
            if (m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
                    && m.getDeclaringClass() == PoolConfig.class
                    && !Set.of("toString", "toBuilder", "hashCode").contains(m.getName())) {
                values.put(m.getName(), unwrap(invoke(m, c)));
            }
        }
        return values;
    }

    private static Object invoke(Method m, PoolConfig c) throws ReflectiveOperationException {
        try {
            return m.invoke(c);
        } catch (InvocationTargetException e) {
            throw new AssertionError(m.getName(), e.getCause());
        }
    }

    private static Object unwrap(Object value) {
        if (value instanceof Optional<?> o && o.isPresent() && o.get() instanceof Supplier<?> s) {
            return s.get();
        }
        return value instanceof Optional<?> o && o.isEmpty() ? Optional.empty() : value;
    }
}
