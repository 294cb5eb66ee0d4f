package dev.warmpool.transport.jsonrpc;

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

/** The module descriptor as compiled: exactly these exports, requires and provides, and nothing opened. */
class ModuleDescriptorTest {
    private static ModuleDescriptor descriptor() throws Exception {
        Path classes = Path.of(JsonRpcTransport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(classes).find("dev.warmpool.transport.jsonrpc").orElseThrow().descriptor();
    }

    @Test
    void exportsTheTransportUnqualified() throws Exception {
        Map<String, Set<String>> exports = descriptor().exports().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
        assertEquals(Map.of("dev.warmpool.transport.jsonrpc", Set.of()), exports);
    }

    @Test
    void opensNothing() throws Exception {
        ModuleDescriptor d = descriptor();
        assertTrue(d.opens().isEmpty(), d.opens().toString());
        assertTrue(!d.isOpen());
    }

    @Test
    void requires() throws Exception {
        Map<String, Set<ModuleDescriptor.Requires.Modifier>> requires = descriptor().requires().stream()
                .filter(r -> !r.name().equals("java.base"))
                .collect(Collectors.toMap(ModuleDescriptor.Requires::name, ModuleDescriptor.Requires::modifiers));
        Set<ModuleDescriptor.Requires.Modifier> transitive = Set.of(ModuleDescriptor.Requires.Modifier.TRANSITIVE);
        assertEquals(Map.of(
                "dev.warmpool.api", transitive,
                "dev.warmpool.transport.stdio", transitive,
                "com.fasterxml.jackson.databind", transitive,
                "dev.warmpool.worker", Set.of(),
                "org.slf4j", Set.of()), requires);
    }

    @Test
    void providesTheTransportProviderInStepWithMetaInfServices() throws Exception {
        ModuleDescriptor d = descriptor();
        assertEquals(1, d.provides().size());
        ModuleDescriptor.Provides p = d.provides().iterator().next();
        assertEquals("dev.warmpool.api.spi.TransportProvider", p.service());
        assertEquals(List.of(JsonRpcTransportProvider.class.getName()), p.providers());
        assertTrue(d.uses().isEmpty());
        try (InputStream in = JsonRpcTransport.class.getResourceAsStream(
                "/META-INF/services/dev.warmpool.api.spi.TransportProvider")) {
            List<String> listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            assertEquals(p.providers(), listed);
        }
    }
}
