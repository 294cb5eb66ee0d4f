package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The command's module descriptor: only the chart exported, one qualified opens for picocli. */
class ModuleDescriptorTest {
    private static ModuleDescriptor descriptor() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void exportsOnlyTheChartAndOpensOnlyTheCommandsToPicocli() throws IOException {
        ModuleDescriptor d = descriptor();
        assertEquals("dev.warmpool.cli", d.name());
        assertEquals(Set.of("dev.warmpool.cli.plot"), d.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet()), "an application exports nothing but the chart the benchmarks draw too");
        assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified), d.exports().toString());
        assertEquals(1, d.opens().size(), d.opens().toString());
        ModuleDescriptor.Opens opens = d.opens().iterator().next();
        assertEquals("dev.warmpool.cli", opens.source());
        assertEquals(Set.of("info.picocli"), opens.targets());
        assertTrue(d.uses().isEmpty(), "providers are found through pool-core's Providers: " + d.uses());
        assertTrue(d.provides().isEmpty());
    }

    @Test
    void requiresWhatItUses() throws IOException {
        Set<String> requires = descriptor().requires().stream().map(ModuleDescriptor.Requires::name)
                .filter(n -> !n.equals("java.base")).collect(Collectors.toSet());
        assertEquals(Set.of("dev.warmpool.core", "dev.warmpool.transport.jsonrpc", "dev.warmpool.worker",
                "dev.warmpool.handler", "info.picocli", "com.fasterxml.jackson.databind", "HdrHistogram", "jdk.httpserver", "jdk.unsupported"),
                requires);
    }
}
