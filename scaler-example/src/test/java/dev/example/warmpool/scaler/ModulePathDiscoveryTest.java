package dev.example.warmpool.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.spi.ScalingPolicyProvider;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the plugin the way a modular application meets it. The tests run on the class path, where the
 * module descriptor is ignored; so this test compiles a tiny named module, {@code probe}, that
 * {@code requires dev.warmpool.api} and {@code uses ScalingPolicyProvider}, and runs it in a child JVM
 * with only the module path: this module's classes, pool-api and the probe. The probe selects the policy
 * by name through {@link java.util.ServiceLoader}, as the pool does, and prints what it found.
 */
class ModulePathDiscoveryTest {
    private static final String PROBE_MODULE_INFO = """
            module probe {
                requires dev.warmpool.api;
                uses dev.warmpool.api.spi.ScalingPolicyProvider;
            }
            """;

    private static final String PROBE_MAIN = """
            package probe;

            import dev.warmpool.api.LatencySummary;
            import dev.warmpool.api.PoolMetrics;
            import dev.warmpool.api.spi.ScalingContext;
            import dev.warmpool.api.spi.ScalingPolicy;
            import dev.warmpool.api.spi.ScalingPolicyProvider;
            import java.time.Duration;
            import java.time.Instant;
            import java.util.Map;
            import java.util.ServiceLoader;

            public final class Main {
                public static void main(String[] args) {
                    System.out.println("probe in named module " + Main.class.getModule().isNamed());
                    for (ScalingPolicyProvider p : ServiceLoader.load(ScalingPolicyProvider.class)) {
                        System.out.println("found " + p.name() + " in module " + p.getClass().getModule().getName());
                    }
                    ScalingPolicyProvider chosen = ServiceLoader.load(ScalingPolicyProvider.class).stream()
                            .map(ServiceLoader.Provider::get)
                            .filter(p -> p.isAvailable() && p.name().equals(args[0]))
                            .findFirst()
                            .orElseThrow(() -> new IllegalStateException("no scaling policy named " + args[0]));
                    ScalingPolicy policy = chosen.create(Map.of("target-wait", "50ms"));
                    LatencySummary waits = new LatencySummary(100, Duration.ofMillis(20), Duration.ofMillis(40),
                            Duration.ofMillis(80), Duration.ofMillis(90), Duration.ofMillis(95));
                    PoolMetrics metrics = new PoolMetrics(2, 0, 2, 0, 5, 100, 100, Map.of(), Map.of(), waits,
                            LatencySummary.EMPTY);
                    System.out.println("desired " + policy.desiredSize(new ScalingContext(metrics, 1, 10, Instant.EPOCH)));
                }
            }
            """;

    @Test
    void selectsTheProviderByNameOnTheModulePath(@TempDir Path tmp) throws Exception {
        Path plugin = location(LatencyTargetPolicyProvider.class);
        Path api = location(ScalingPolicyProvider.class);
        Path probe = compileProbe(tmp, api);

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "--module-path", String.join(File.pathSeparator, plugin.toString(), api.toString(), probe.toString()),
                "-m", "probe/probe.Main", LatencyTargetPolicyProvider.NAME);
        Path output = tmp.resolve("probe.out");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().remove("CLASSPATH");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process child = pb.start();
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);

        assertTrue(exited, "the probe JVM did not exit in 60 s; it printed:\n" + out);
        assertEquals(0, child.exitValue(), "probe failed: " + command + "\n" + out);
        assertEquals(List.of(
                "probe in named module true",
                "found latency-target in module dev.example.warmpool.scaler",
                // 2 busy, 5 queued, p99 80 ms above the 50 ms target: one more worker
                "desired 3"), out.lines().toList());
    }

    @Test
    void descriptorProvidesThePolicyAndExportsOnlyItsPackage() throws Exception {
        ModuleDescriptor d = ModuleFinder.of(location(LatencyTargetPolicyProvider.class))
                .find("dev.example.warmpool.scaler").orElseThrow().descriptor();

        assertEquals(Set.of("dev.example.warmpool.scaler"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.opens().isEmpty(), "opens " + d.opens());
        assertEquals(Set.of("dev.warmpool.api", "java.base"),
                d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
        ModuleDescriptor.Provides p = d.provides().iterator().next();
        assertEquals(1, d.provides().size());
        assertEquals(ScalingPolicyProvider.class.getName(), p.service());
        assertEquals(List.of(LatencyTargetPolicyProvider.class.getName()), p.providers());
    }

    /** @return the directory or jar a class was loaded from */
    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Path compileProbe(Path tmp, Path api) throws IOException, URISyntaxException {
        Path src = tmp.resolve("probe-src");
        Path classes = tmp.resolve("probe");
        Files.createDirectories(src.resolve("probe"));
        Files.writeString(src.resolve("module-info.java"), PROBE_MODULE_INFO);
        Files.writeString(src.resolve("probe/Main.java"), PROBE_MAIN);

        // java.util.spi.ToolProvider lives in java.base, so the test needs no "requires java.compiler".
        ToolProvider javac = ToolProvider.findFirst("javac").orElse(null);
        assertNotNull(javac, "this test compiles a probe module, so it needs a JDK, not a JRE: "
                + System.getProperty("java.home"));
        StringWriter diagnostics = new StringWriter();
        PrintWriter out = new PrintWriter(diagnostics);
        // pool-api's nullness annotations (JSpecify): compiling against it on the module path needs them,
        // running does not (the probe runs above without them)
        Path annotations = location(org.jspecify.annotations.NullMarked.class);
        int rc = javac.run(out, out, "--release", "21", "-Xlint:all", "-Werror",
                "--module-path", api + File.pathSeparator + annotations, "-d", classes.toString(),
                src.resolve("module-info.java").toString(), src.resolve("probe/Main.java").toString());
        out.flush();
        assertEquals(0, rc, "compiling the probe failed:\n" + diagnostics);
        return classes;
    }
}
