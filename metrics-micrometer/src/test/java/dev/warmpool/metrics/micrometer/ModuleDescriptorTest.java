package dev.warmpool.metrics.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The binder's module exports its one package, opens and provides nothing, and requires the API and
 * Micrometer transitively (both appear in its public API) by names that do not come from file names.
 */
class ModuleDescriptorTest {

    @Test
    void exportsOnePackageAndRequiresTheApiAndMicrometerTransitively() throws IOException {
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertEquals("dev.warmpool.metrics.micrometer", d.name());
        assertEquals(Set.of("dev.warmpool.metrics.micrometer"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.opens().isEmpty());
        assertTrue(d.uses().isEmpty());
        assertTrue(d.provides().isEmpty());
        Map<String, Set<Requires.Modifier>> requires = d.requires().stream()
                .filter(r -> !r.name().equals("java.base"))
                .collect(Collectors.toMap(Requires::name, Requires::modifiers));
        assertEquals(Map.of("dev.warmpool.api", Set.of(Requires.Modifier.TRANSITIVE),
                "micrometer.core", Set.of(Requires.Modifier.TRANSITIVE)), requires);
    }

    @Test
    void micrometerCoreIsAnAutomaticModuleNamedByItsManifestNotByItsFileName()
            throws IOException, URISyntaxException {
        Path jar = Path.of(MeterBinder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleReference ref = ModuleFinder.of(jar).findAll().iterator().next();
        // if Micrometer ships a module-info one day, module-info.java and docs/metrics.md should say so
        assertTrue(ref.descriptor().isAutomatic(), jar + " has a module descriptor now");
        assertEquals("micrometer.core", ref.descriptor().name());
        try (JarFile file = new JarFile(jar.toFile())) {
            assertEquals("micrometer.core", file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"),
                    "the module name of " + jar + " must come from its manifest");
        }
    }
}
