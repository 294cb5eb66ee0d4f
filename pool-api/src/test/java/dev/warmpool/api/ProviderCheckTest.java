package dev.warmpool.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.warmpool.api.spi.ProviderCheck;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PoolConfig.Builder#build()} runs the {@link ProviderCheck}s on the path (pool-core's, in an
 * application). Each test lists its own fixture in a {@code META-INF/services} file of a class loader of its
 * own, so nothing else on the test class path takes part.
 */
class ProviderCheckTest {
    @TempDir
    Path dir;

    /** Knows one transport, {@code jsonrpc}, the way pool-core's check knows the providers on the path. */
    public static class KnowsJsonRpc implements ProviderCheck {
        @Override
        public void check(PoolConfig config) {
            if (!config.transportName().equals("jsonrpc")) {
                throw new ProviderNotFoundException("transport", config.transportName(), List.of("jsonrpc"),
                        "Add the module that provides it.");
            }
        }
    }

    /** Stands for a jar whose check cannot even be instantiated. */
    public static class Broken implements ProviderCheck {
        public Broken() {
            throw new IllegalStateException("broken jar");
        }

        @Override
        public void check(PoolConfig config) {
            throw new AssertionError("never made");
        }
    }

    private <T> T with(List<Class<?>> checks, Callable<T> body) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.write(services.resolve(ProviderCheck.class.getName()), checks.stream().map(Class::getName).toList());
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Thread.currentThread().setContextClassLoader(cl);
            return body.call();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void aTypoInATransportNameFailsAtBuildWhenACheckIsOnThePath() throws Exception {
        ProviderNotFoundException e = with(List.of(KnowsJsonRpc.class), () -> assertThrows(
                ProviderNotFoundException.class, () -> PoolConfig.builder().command("cat").transport("jsonrcp").build()));
        assertEquals("no transport named 'jsonrcp'; did you mean 'jsonrpc'? (found jsonrpc)", e.getMessage());
    }

    @Test
    void aNameThatResolvesBuilds() throws Exception {
        PoolConfig c = with(List.of(KnowsJsonRpc.class), () -> PoolConfig.builder().command("cat").build());
        assertEquals("jsonrpc", c.transportName());
    }

    @Test
    void withoutACheckOnThePathNamesAreLeftForThePoolToResolve() throws Exception {
        PoolConfig c = with(List.of(), () -> PoolConfig.builder().command("cat").transport("jsonrcp").build());
        assertEquals("jsonrcp", c.transportName());
    }

    @Test
    void aCheckThatFailsToLoadIsSkipped() throws Exception {
        ProviderNotFoundException e = with(List.of(Broken.class, KnowsJsonRpc.class), () -> assertThrows(
                ProviderNotFoundException.class, () -> PoolConfig.builder().command("cat").transport("line").build()));
        assertEquals("line", e.requested());
    }
}
