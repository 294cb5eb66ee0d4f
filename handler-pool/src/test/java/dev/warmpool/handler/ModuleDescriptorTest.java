package dev.warmpool.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The handler module exports its one package, opens nothing, provides and uses nothing, and passes on only the API. */
class ModuleDescriptorTest {
    @Test
    void descriptor() throws IOException {
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertEquals("dev.warmpool.handler", d.name());
        assertEquals(Set.of("dev.warmpool.handler"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.opens().isEmpty());
        assertTrue(d.provides().isEmpty());
        assertTrue(d.uses().isEmpty());
        Map<String, Boolean> transitive = d.requires().stream().collect(Collectors.toMap(Requires::name,
                r -> r.modifiers().contains(Requires.Modifier.TRANSITIVE)));
        assertEquals(Map.of("java.base", false, "dev.warmpool.api", true, "dev.warmpool.core", false,
                "dev.warmpool.transport.claude", false, "dev.warmpool.scaler.queuedepth", false,
                "com.fasterxml.jackson.databind", false, "org.slf4j", false), transitive);
    }
}
