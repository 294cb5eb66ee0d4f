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

/**
 * The API module exports exactly its two packages, opens nothing, needs the JDK alone at run time (JSpecify's
 * annotations only when compiling against it) and uses one service.
 */
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
        assertEquals(Set.of("java.base", "org.jspecify"),
                d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
        ModuleDescriptor.Requires jspecify = d.requires().stream().filter(r -> r.name().equals("org.jspecify"))
                .findFirst().orElseThrow();
        assertEquals(Set.of(ModuleDescriptor.Requires.Modifier.STATIC, ModuleDescriptor.Requires.Modifier.TRANSITIVE),
                jspecify.modifiers(), "the annotations must not be needed at run time");
        // pool-core discovers the transport and policy providers; this module loads only the build-time check
        assertEquals(Set.of("dev.warmpool.api.spi.ProviderCheck"), d.uses());
        assertTrue(d.provides().isEmpty());
    }
}
