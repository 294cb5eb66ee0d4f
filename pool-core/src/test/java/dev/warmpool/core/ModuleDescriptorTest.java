package dev.warmpool.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The engine exports one package, opens nothing, uses both provider interfaces, provides the
 * build-time check, and requires no automatic module.
 */
class ModuleDescriptorTest {

    @Test
    void descriptor() throws IOException {
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertEquals("dev.warmpool.core", d.name());
        assertEquals(Set.of("dev.warmpool.core"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.opens().isEmpty());
        assertEquals(Set.of("dev.warmpool.api.spi.TransportProvider", "dev.warmpool.api.spi.ScalingPolicyProvider"),
                d.uses());
        assertTrue(d.requires().stream().anyMatch(r -> r.name().equals("dev.warmpool.api")
                && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)));
        assertEquals(Set.of("dev.warmpool.api.spi.ProviderCheck"),
                d.provides().stream().map(ModuleDescriptor.Provides::service).collect(Collectors.toSet()));
        assertEquals(List.of("dev.warmpool.core.Providers$Check"), d.provides().iterator().next().providers());
        // only modules with a name of their own: an automatic module (HdrHistogram's jar has none)
        // makes every modular consumer build warn and jlink refuse the application
        assertEquals(Set.of("java.base", "dev.warmpool.api", "org.slf4j", "jdk.jfr"),
                d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
    }
}
