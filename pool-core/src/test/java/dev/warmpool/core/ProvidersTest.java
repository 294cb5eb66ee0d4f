package dev.warmpool.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolConfig;
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
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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

    /** Hides the named service files from its parent, as if the modules that list them were not on the path. */
    private static final class Hiding extends ClassLoader {
        private final Set<String> hidden;

        Hiding(ClassLoader parent, Class<?>... services) {
            super(parent);
            hidden = Arrays.stream(services).map(c -> "META-INF/services/" + c.getName()).collect(Collectors.toSet());
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return hidden.contains(name) ? Collections.emptyEnumeration() : super.getResources(name);
        }
    }

    private static <T> T hiding(Callable<T> body, Class<?>... services) throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try {
            Thread.currentThread().setContextClassLoader(new Hiding(ProvidersTest.class.getClassLoader(), services));
            return body.call();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void aTypoGetsTheNearestNameInsteadOfAdviceToAddAModule() throws Exception {
        ProviderNotFoundException e = with(TransportProvider.class, List.of(Low.class),
                () -> assertThrows(ProviderNotFoundException.class, () -> Providers.transport("fixtrue", Map.of())));
        assertTrue(e.getMessage().startsWith("no transport named 'fixtrue'; did you mean 'fixture'? (found fixture, "),
                e.getMessage());
    }

    @Test
    void aProviderThatFailedToLoadIsNamedWhenNothingIsFound() throws Exception {
        ProviderNotFoundException e = with(TransportProvider.class, List.of(FailsAtInit.class, Low.class),
                () -> assertThrows(ProviderNotFoundException.class, () -> Providers.transport("broken", Map.of())));
        assertTrue(e.getMessage().contains("Skipped because they failed to load: ")
                && e.getMessage().contains(FailsAtInit.class.getName()), e.getMessage());
    }

    @Test
    void buildResolvesTheTransportNameWithTheseProviders() {
        ProviderNotFoundException e = assertThrows(ProviderNotFoundException.class,
                () -> PoolConfig.builder().command("cat").transport("jsonrcp").build());
        assertEquals("jsonrcp", e.requested());
        assertTrue(e.getMessage().startsWith("no transport named 'jsonrcp'; did you mean 'jsonrpc'? (found "),
                e.getMessage());
    }

    @Test
    void buildChecksTransportAndScalingSettingsWithTheirProviders() {
        IllegalArgumentException transport = assertThrows(IllegalArgumentException.class,
                () -> PoolConfig.builder().command("cat").transport("line").transportSetting("nope", "1").build());
        assertTrue(transport.getMessage().contains("nope"), transport.getMessage());
        IllegalArgumentException scaling = assertThrows(IllegalArgumentException.class,
                () -> PoolConfig.builder().command("cat").scalingSetting("mode", "bogus").build());
        assertEquals("queue-depth scaling setting mode is 'bogus', but must be one of step, proportional",
                scaling.getMessage());
        ProviderNotFoundException policy = assertThrows(ProviderNotFoundException.class,
                () -> PoolConfig.builder().command("cat").scalingPolicy("queue-dept").build());
        assertEquals(Optional.of("queue-depth"), policy.suggestion());
    }

    @Test
    void scalingSettingsAreAnErrorWithoutAPolicyModuleToo() throws Exception {
        IllegalArgumentException e = hiding(() -> assertThrows(IllegalArgumentException.class,
                () -> PoolConfig.builder().command("cat").scalingSetting("mode", "bogus").build()),
                ScalingPolicyProvider.class);
        assertEquals("scaling settings {mode=bogus} are set, but no scaling policy is on the class path or module"
                + " path to read them; add dev.warmpool:scaler-queue-depth (module dev.warmpool.scaler.queuedepth),"
                + " or choose a policy with scalingPolicy(\"name\")", e.getMessage());
    }

    @Test
    void withoutAPolicyModuleAPoolGetsNoPolicy() throws Exception {
        PoolConfig config = PoolConfig.builder().command("cat").build();
        assertEquals(Optional.empty(), hiding(() -> Providers.scalingPolicy(config), ScalingPolicyProvider.class));
        assertTrue(Providers.scalingPolicy(config).isPresent(), "queue-depth is the default when it is on the path");
    }

    @Test
    void eachPoolGetsANewPolicy() {
        PoolConfig named = PoolConfig.builder().command("cat").scalingPolicy("queue-depth").build();
        assertNotSame(Providers.scalingPolicy(named).orElseThrow(), Providers.scalingPolicy(named).orElseThrow());
        PoolConfig supplied = PoolConfig.builder().command("cat").scalingPolicy(() -> new Fixed().create(Map.of())).build();
        assertNotSame(Providers.scalingPolicy(supplied).orElseThrow(), Providers.scalingPolicy(supplied).orElseThrow());
    }
}
