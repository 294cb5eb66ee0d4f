package dev.warmpool.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The examples module exports its one package, opens nothing, provides nothing. */
class ModuleDescriptorTest {

    @Test
    @Timeout(10)
    void descriptor() throws IOException {
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(Processes.moduleDir().resolve("target/classes/module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertEquals("dev.warmpool.examples", d.name());
        assertEquals(Set.of("dev.warmpool.examples"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.opens().isEmpty());
        assertTrue(d.provides().isEmpty());
        assertEquals(Set.of("java.base", "dev.warmpool.core", "dev.warmpool.transport.jsonrpc", "dev.warmpool.worker",
                        "dev.warmpool.handler", "com.fasterxml.jackson.databind"),
                d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
    }
}
