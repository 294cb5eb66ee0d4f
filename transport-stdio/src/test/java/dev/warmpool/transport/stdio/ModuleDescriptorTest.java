package dev.warmpool.transport.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Checks the module descriptor itself: the tests run on the class path, so nothing else does. */
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ModuleDescriptorTest {
    private static final String SPI = "dev.warmpool.api.spi.TransportProvider";

    private static ModuleDescriptor descriptor() throws URISyntaxException {
        Path classes = Path.of(WorkerProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(classes).find("dev.warmpool.transport.stdio").orElseThrow().descriptor();
    }

    @Test
    void exportsOnlyItsPackageAndOpensNothing() throws Exception {
        ModuleDescriptor d = descriptor();
        assertEquals(Set.of("dev.warmpool.transport.stdio"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified));
        assertTrue(d.opens().isEmpty());
        assertTrue(!d.isOpen());
        assertTrue(d.uses().isEmpty());
    }

    @Test
    void requiresTheApiTransitivelyAndJacksonCoreAndSlf4jPlainly() throws Exception {
        Map<String, Set<ModuleDescriptor.Requires.Modifier>> requires = descriptor().requires().stream()
                .filter(r -> !r.name().equals("java.base"))
                .collect(Collectors.toMap(ModuleDescriptor.Requires::name, ModuleDescriptor.Requires::modifiers));
        assertEquals(Set.of("dev.warmpool.api", "com.fasterxml.jackson.core", "org.slf4j"), requires.keySet());
        assertTrue(requires.get("dev.warmpool.api").contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
        assertTrue(requires.get("com.fasterxml.jackson.core").isEmpty(), "no Jackson type is in the API");
        assertTrue(requires.get("org.slf4j").isEmpty());
    }

    @Test
    void providesBothTransportsInStepWithMetaInfServices() throws Exception {
        List<String> expected = List.of(LineTransportProvider.class.getName(), OneshotTransportProvider.class.getName());
        ModuleDescriptor.Provides p = descriptor().provides().stream().filter(x -> x.service().equals(SPI))
                .findFirst().orElseThrow();
        assertEquals(1, descriptor().provides().size());
        assertEquals(expected, p.providers());
        try (InputStream in = WorkerProcess.class.getResourceAsStream("/META-INF/services/" + SPI)) {
            List<String> listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            assertEquals(expected, listed);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
