package dev.warmpool.transport.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Checks the module descriptor itself: the tests run on the class path, so nothing else does. */
class ModuleDescriptorTest {
    private static final String SPI = "dev.warmpool.api.spi.TransportProvider";

    private static ModuleDescriptor descriptor() throws Exception {
        Path classes = Path.of(HostsTransport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(classes).find("dev.warmpool.transport.hosts").orElseThrow().descriptor();
    }

    @Test
    void exportsOnlyItsPackageOpensNothingAndUsesNothing() throws Exception {
        ModuleDescriptor d = descriptor();
        assertEquals(Set.of("dev.warmpool.transport.hosts"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified));
        assertTrue(d.opens().isEmpty() && !d.isOpen());
        assertTrue(d.uses().isEmpty());
    }

    @Test
    void requiresTheApiTransitivelyAndCoreAndSlf4jPlainly() throws Exception {
        Map<String, Set<ModuleDescriptor.Requires.Modifier>> requires = descriptor().requires().stream()
                .filter(r -> !r.name().equals("java.base"))
                .collect(Collectors.toMap(ModuleDescriptor.Requires::name, ModuleDescriptor.Requires::modifiers));
        assertEquals(Map.of("dev.warmpool.api", Set.of(ModuleDescriptor.Requires.Modifier.TRANSITIVE),
                "dev.warmpool.core", Set.of(), "org.slf4j", Set.of()), requires);
    }

    @Test
    void providesTheHostsTransportInStepWithMetaInfServices() throws Exception {
        List<String> expected = List.of(HostsTransportProvider.class.getName());
        assertEquals(1, descriptor().provides().size());
        ModuleDescriptor.Provides p = descriptor().provides().iterator().next();
        assertEquals(SPI, p.service());
        assertEquals(expected, p.providers());
        try (InputStream in = HostsTransport.class.getResourceAsStream("/META-INF/services/" + SPI)) {
            assertEquals(expected, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
        }
    }
}
