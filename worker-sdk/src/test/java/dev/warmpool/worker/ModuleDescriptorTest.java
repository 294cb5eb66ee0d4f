package dev.warmpool.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module descriptor as compiled: the SDK and the wire exported to everyone, Jackson's databind
 * required transitively, JSpecify's annotations at compile time only, nothing opened, provided or used.
 */
class ModuleDescriptorTest {
    private static ModuleDescriptor descriptor() throws Exception {
        Path classes = Path.of(WorkerServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(classes).find("dev.warmpool.worker").orElseThrow().descriptor();
    }

    @Test
    void exportsTheSdkAndTheWireUnqualified() throws Exception {
        assertEquals(Map.of("dev.warmpool.worker", Set.of(), "dev.warmpool.worker.wire", Set.of()),
                descriptor().exports().stream()
                        .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets)));
    }

    @Test
    void requiresJacksonDatabindTransitivelyAndJSpecifyOnlyAtCompileTime() throws Exception {
        assertEquals(Map.of("com.fasterxml.jackson.databind", Set.of(ModuleDescriptor.Requires.Modifier.TRANSITIVE),
                        "org.jspecify", Set.of(ModuleDescriptor.Requires.Modifier.STATIC,
                                ModuleDescriptor.Requires.Modifier.TRANSITIVE)),
                descriptor().requires().stream().filter(r -> !r.name().equals("java.base"))
                        .collect(Collectors.toMap(ModuleDescriptor.Requires::name, ModuleDescriptor.Requires::modifiers)));
    }

    @Test
    void opensProvidesAndUsesNothing() throws Exception {
        ModuleDescriptor d = descriptor();
        assertFalse(d.isOpen());
        assertTrue(d.opens().isEmpty(), d.opens().toString());
        assertTrue(d.provides().isEmpty(), d.provides().toString());
        assertTrue(d.uses().isEmpty(), d.uses().toString());
        assertEquals(Set.of("dev.warmpool.worker", "dev.warmpool.worker.wire"), d.packages());
    }
}
