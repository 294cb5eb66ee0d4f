package dev.warmpool.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.spi.WorkerSpec;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The helpers themselves, the raw {@code echo-as-read} worker, and the test kit's module descriptor. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TestWorkersTest {
    @Test
    void javaArgvUsesThisJvmAndClassPath() {
        List<String> argv = TestWorkers.java(EchoWorker.class, "--name", "x");
        assertEquals(TestWorkers.javaBinary(), argv.get(0));
        assertTrue(argv.containsAll(TestWorkers.JVM_FLAGS), argv.toString());
        int cp = argv.indexOf("-cp");
        assertEquals(System.getProperty("java.class.path"), argv.get(cp + 1));
        assertEquals(List.of(EchoWorker.class.getName(), "--name", "x"), argv.subList(cp + 2, argv.size()));
    }

    @Test
    void ignoringTermPassesTheCommandAsArguments() {
        assertEquals(List.of("sh", "-c", "trap '' TERM; exec \"$@\"", "sh", "prog", "an arg with spaces", "$HOME"),
                TestWorkers.ignoringTerm(List.of("prog", "an arg with spaces", "$HOME")));
    }

    @Test
    void specDefaults() {
        WorkerSpec spec = TestWorkers.spec("w-3", List.of("prog"));
        assertEquals("w-3", spec.id());
        assertEquals(TestWorkers.START_TIMEOUT, spec.startTimeout());
        assertEquals(16 * 1024 * 1024, spec.maxFrameBytes());
        assertFalse(spec.strictOutput());
        assertTrue(spec.environment().containsKey("PATH"));
        assertTrue(Set.of("PATH", "HOME", "JAVA_HOME", "LANG", "TMPDIR", "USER").containsAll(spec.environment().keySet()));
        WorkerSpec custom = TestWorkers.specBuilder("w-4", List.of("prog")).maxFrameBytes(1024).strictOutput(true)
                .startTimeout(Duration.ofSeconds(1)).env("A", "b").setting("framing", "content-length").build();
        assertEquals(1024, custom.maxFrameBytes());
        assertTrue(custom.strictOutput());
        assertEquals("b", custom.environment().get("A"));
        assertEquals(Map.of("framing", "content-length"), custom.settings());
    }

    @Test
    void echoAsReadCopiesStdinToStdoutAsItArrives() throws Exception {
        Process p = new ProcessBuilder(TestWorkers.java(BadWorker.class, "echo-as-read"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            OutputStream in = p.getOutputStream();
            InputStream out = p.getInputStream();
            for (String chunk : List.of("first chunk\n", "second, without newline")) {
                byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
                in.write(bytes);
                in.flush();
                assertEquals(chunk, new String(out.readNBytes(bytes.length), StandardCharsets.UTF_8));
            }
            in.close();
            assertEquals(0, p.waitFor());
        } finally {
            p.destroyForcibly();
        }
        assertTrue(ProcessAudit.awaitGone(p.pid(), Duration.ofSeconds(5)));
    }

    @Test
    void moduleDescriptor() throws Exception {
        Path classes = Path.of(TestWorkers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor d = ModuleFinder.of(classes).find("dev.warmpool.testkit").orElseThrow().descriptor();
        assertEquals(Set.of("dev.warmpool.testkit", "dev.warmpool.testkit.sshd"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(java.util.stream.Collectors.toSet()));
        assertTrue(d.opens().isEmpty());
        assertTrue(d.provides().isEmpty());
        Set<ModuleDescriptor.Requires.Modifier> transitive = Set.of(ModuleDescriptor.Requires.Modifier.TRANSITIVE);
        assertEquals(Map.of("dev.warmpool.worker", transitive, "dev.warmpool.api", transitive),
                d.requires().stream().filter(r -> !r.name().equals("java.base"))
                        .collect(java.util.stream.Collectors.toMap(ModuleDescriptor.Requires::name,
                                ModuleDescriptor.Requires::modifiers)));
    }
}
