package dev.warmpool.scaler.queuedepth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Checks the compiled module-info: the tests run on the class path, so nothing else would. */
class ModuleDescriptorTest {
    /** Reads the descriptor where this module's classes were loaded from (target/classes or the jar). */
    private static ModuleDescriptor descriptor() throws IOException {
        try {
            Path location = Path.of(QueueDepthPolicy.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return ModuleFinder.of(location).findAll().iterator().next().descriptor();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    @Test
    void nameAndExports() throws IOException {
        ModuleDescriptor d = descriptor();

        assertEquals("dev.warmpool.scaler.queuedepth", d.name());
        assertEquals(Set.of("dev.warmpool.scaler.queuedepth"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified));
        assertTrue(d.opens().isEmpty(), "opens " + d.opens());
        assertFalse(d.isOpen());
    }

    @Test
    void requiresTheApiTransitively() throws IOException {
        ModuleDescriptor.Requires api = descriptor().requires().stream()
                .filter(r -> r.name().equals("dev.warmpool.api")).findFirst().orElseThrow();

        assertTrue(api.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
        assertEquals(Set.of("dev.warmpool.api", "java.base"),
                descriptor().requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
    }

    @Test
    void providesTheScalingPolicyProviderAndUsesNothing() throws IOException {
        ModuleDescriptor d = descriptor();

        assertEquals(1, d.provides().size());
        ModuleDescriptor.Provides p = d.provides().iterator().next();
        assertEquals("dev.warmpool.api.spi.ScalingPolicyProvider", p.service());
        assertEquals(List.of(QueueDepthPolicyProvider.class.getName()), p.providers());
        assertTrue(d.uses().isEmpty());
    }
}
