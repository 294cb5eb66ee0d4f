package dev.warmpool.api;

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

/** The API module exports exactly its two packages, opens nothing, and needs the JDK alone. */
class ModuleDescriptorTest {

    @Test
    void descriptor() throws IOException {
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertEquals("dev.warmpool.api", d.name());
        assertEquals(Set.of("dev.warmpool.api", "dev.warmpool.api.spi"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified));
        assertTrue(d.opens().isEmpty());
        assertEquals(Set.of("java.base"),
                d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
        assertEquals(Set.of("dev.warmpool.api.spi.TransportProvider", "dev.warmpool.api.spi.ScalingPolicyProvider"),
                d.uses());
        assertTrue(d.provides().isEmpty());
    }
}
