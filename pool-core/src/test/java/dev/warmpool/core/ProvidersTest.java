package dev.warmpool.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.ProviderNotFoundException;
import dev.warmpool.api.spi.ScalingPolicy;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.Worker;
import dev.warmpool.api.spi.WorkerSpec;
import dev.warmpool.api.spi.ScalingPolicyProvider;
import dev.warmpool.api.spi.TransportProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hermetic discovery tests: each scenario puts its own {@code META-INF/services} file in a class
 * loader of its own, so the providers it lists are the only fixtures found.
 */
class ProvidersTest {
    @TempDir
    Path dir;

    /** A transport that only names itself; these tests never start it. */
    record NamedTransport(String name) implements Transport {
        @Override
        public Worker start(WorkerSpec spec) {
            throw new UnsupportedOperationException();
        }
    }

    public static class Low implements TransportProvider {
        @Override public String name() { return "fixture"; }
        @Override public int priority() { return 3; }
        @Override public Transport create(Map<String, String> s) { return new NamedTransport("low"); }
    }

    public static class High implements TransportProvider {
        @Override public String name() { return "fixture"; }
        @Override public int priority() { return 7; }
        @Override public Transport create(Map<String, String> s) { return new NamedTransport("high"); }
    }

    /** Same priority as {@link High}: the tie goes to the class name that sorts first (AHigh). */
    public static class AHigh extends High {
        @Override public Transport create(Map<String, String> s) { return new NamedTransport("a-high"); }
    }

    public static class Unavailable implements TransportProvider {
        @Override public String name() { return "gone"; }
        @Override public boolean isAvailable() { return false; }
        @Override public Transport create(Map<String, String> s) { throw new AssertionError("unavailable"); }
    }

    public static class FailsAtInit implements TransportProvider {
        public FailsAtInit() {
            throw new IllegalStateException("broken jar");
        }
        @Override public String name() { return "broken"; }
        @Override public Transport create(Map<String, String> s) { throw new AssertionError(); }
    }

    public static class AvailabilityThrows implements TransportProvider {
        @Override public String name() { return "flaky"; }
        @Override public boolean isAvailable() { throw new NoClassDefFoundError("com/example/Missing"); }
        @Override public Transport create(Map<String, String> s) { throw new AssertionError(); }
    }

    public static class Fixed implements ScalingPolicyProvider {
        @Override public String name() { return "fixed"; }
        @Override public ScalingPolicy create(Map<String, String> s) {
            int n = Integer.parseInt(s.getOrDefault("size", "2"));
            return ctx -> n;
        }
    }

    private <T> T with(Class<?> service, List<Class<?>> providers, Callable<T> body) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.write(services.resolve(service.getName()), providers.stream().map(Class::getName).toList());
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Thread.currentThread().setContextClassLoader(cl);
            return body.call();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void highestPriorityWins() throws Exception {
        Transport t = with(TransportProvider.class, List.of(Low.class, High.class),
                () -> Providers.transport("fixture", Map.of()));
        assertEquals("high", t.name());
    }

    @Test
    void tiesGoToTheClassNameThatSortsFirst() throws Exception {
        Transport t = with(TransportProvider.class, List.of(High.class, AHigh.class, Low.class),
                () -> Providers.transport("fixture", Map.of()));
        assertEquals("a-high", t.name());
    }

    @Test
    void unavailableProvidersAreNotFound() throws Exception {
        ProviderNotFoundException e = with(TransportProvider.class, List.of(Unavailable.class, Low.class),
                () -> assertThrows(ProviderNotFoundException.class, () -> Providers.transport("gone", Map.of())));
        assertEquals("gone", e.requested());
        assertFalse(e.available().contains("gone"));
        assertTrue(e.available().contains("fixture"));
    }

    @Test
    void aProviderThatFailsAtInitIsSkippedNotFatal() throws Exception {
        Transport t = with(TransportProvider.class, List.of(FailsAtInit.class, AvailabilityThrows.class, Low.class),
                () -> Providers.transport("fixture", Map.of()));
        assertEquals("low", t.name());
    }

    @Test
    void noneFoundNamesTheArtifactAndListsWhatWasFound() throws Exception {
        ProviderNotFoundException e = with(TransportProvider.class, List.of(Low.class),
                () -> assertThrows(ProviderNotFoundException.class, () -> Providers.transport("claude", Map.of())));
        assertTrue(e.getMessage().startsWith("no transport named 'claude' was found; found "), e.getMessage());
        assertTrue(e.getMessage().contains("fixture"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Add dev.warmpool:transport-claude (module dev.warmpool.transport.claude)"
                + " to the class path or module path."), e.getMessage());
    }

    @Test
    void anUnknownNameSaysHowToProvideIt() throws Exception {
        ProviderNotFoundException e = with(TransportProvider.class, List.of(Low.class),
                () -> assertThrows(ProviderNotFoundException.class, () -> Providers.transport("grpc", Map.of())));
        assertTrue(e.getMessage().contains("'provides dev.warmpool.api.spi.TransportProvider'"), e.getMessage());
        assertTrue(e.getMessage().contains("META-INF/services/dev.warmpool.api.spi.TransportProvider"), e.getMessage());
    }

    @Test
    void scalingPoliciesAreFoundTheSameWay() throws Exception {
        ScalingPolicy p = with(ScalingPolicyProvider.class, List.of(Fixed.class),
                () -> Providers.scalingPolicy("fixed", Map.of("size", "4")));
        assertEquals(4, p.desiredSize(null));
        ProviderNotFoundException e = with(ScalingPolicyProvider.class, List.of(Fixed.class),
                () -> assertThrows(ProviderNotFoundException.class, () -> Providers.scalingPolicy("nope", Map.of())));
        assertInstanceOf(ProviderNotFoundException.class, e);
        assertTrue(e.getMessage().startsWith("no scaling policy named 'nope' was found; found "), e.getMessage());
    }

    @Test
    void theShippedProvidersAreFoundByName() throws IOException {
        assertTrue(Providers.transportNames().containsAll(List.of("jsonrpc", "line", "oneshot")),
                Providers.transportNames().toString());
        assertTrue(Providers.scalingPolicyNames().contains("queue-depth"), Providers.scalingPolicyNames().toString());
    }
}
