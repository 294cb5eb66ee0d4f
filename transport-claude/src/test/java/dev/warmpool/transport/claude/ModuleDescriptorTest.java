package dev.warmpool.transport.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.spi.TransportProvider;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Checks the compiled module-info and the class-path registration: the tests run on the class path. */
class ModuleDescriptorTest {
    private static ModuleDescriptor descriptor() throws IOException {
        try {
            Path location = Path.of(ClaudeTransport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return ModuleFinder.of(location).findAll().iterator().next().descriptor();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    @Test
    void nameAndExports() throws IOException {
        ModuleDescriptor d = descriptor();

        assertEquals("dev.warmpool.transport.claude", d.name());
        assertEquals(Set.of("dev.warmpool.transport.claude"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified));
        assertTrue(d.opens().isEmpty(), "opens " + d.opens());
        assertFalse(d.isOpen());
    }

    @Test
    void requiresTheApiTransitivelyAndTheRestPlainly() throws IOException {
        Map<String, Set<ModuleDescriptor.Requires.Modifier>> requires = descriptor().requires().stream()
                .filter(r -> !r.name().equals("java.base"))
                .collect(Collectors.toMap(ModuleDescriptor.Requires::name, ModuleDescriptor.Requires::modifiers));

        assertEquals(Map.of("dev.warmpool.api", Set.of(ModuleDescriptor.Requires.Modifier.TRANSITIVE),
                "dev.warmpool.transport.stdio", Set.of(),
                "com.fasterxml.jackson.databind", Set.of(),
                "org.slf4j", Set.of()), requires);
    }

    @Test
    void providesTheClaudeTransportAndUsesNothing() throws IOException {
        ModuleDescriptor d = descriptor();

        assertEquals(1, d.provides().size());
        ModuleDescriptor.Provides p = d.provides().iterator().next();
        assertEquals(TransportProvider.class.getName(), p.service());
        assertEquals(List.of(ClaudeTransportProvider.class.getName()), p.providers());
        assertTrue(d.uses().isEmpty());
    }

    @Test
    void theServiceLoaderFindsItOnTheClassPathByName() {
        List<TransportProvider> claude = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(t -> t.name().equals("claude"))
                .toList();

        assertEquals(1, claude.size());
        TransportProvider provider = claude.get(0);
        assertInstanceOf(ClaudeTransportProvider.class, provider);
        assertTrue(provider.isAvailable());
        assertEquals(5, provider.priority());
        assertEquals("claude", provider.create(Map.of("reset", "keep")).name());
    }
}
