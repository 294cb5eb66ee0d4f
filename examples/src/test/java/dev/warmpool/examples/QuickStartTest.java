package dev.warmpool.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The quick start as a user runs it: in a JVM of its own, on the module path, on the class path,
 * and from a {@code jlink} image of the examples module. Each must print exactly what the README
 * shows ({@link #EXPECTED}, which {@code ReadmeTest} compares with the README).
 */
class QuickStartTest {
    /** What the quick start prints on stdout; the README shows the same lines. */
    static final String EXPECTED = """
            warm -> WARM
            workers -> WORKERS
            answer -> ANSWER
            processes started: 3
            """;
    private static final String MAIN = "dev.warmpool.examples/dev.warmpool.examples.QuickStart";

    @AfterEach
    void noProcessLeftBehind() throws InterruptedException {
        Processes.assertNoDescendantsLeft();
    }

    @Test
    @Timeout(60)
    void quickStartRunsOnTheModulePath() throws Exception {
        assertEquals(EXPECTED, run(List.of(java(), "--module-path", runtimePath(), "-m", MAIN)));
    }

    @Test
    @Timeout(60)
    void quickStartRunsOnTheClassPath() throws Exception {
        assertEquals(EXPECTED, run(List.of(java(), "-cp", runtimePath(), QuickStart.class.getName())));
    }

    @Test
    @Timeout(120)
    void quickStartRunsFromAJlinkImageOfTheExamplesModule() throws Exception {
        Path image = Path.of("target", "quickstart-image");
        deleteRecursively(image);
        ToolProvider jlink = ToolProvider.findFirst("jlink").orElseThrow(() -> new IllegalStateException(
                "the JDK running the tests has no jlink; run them on a full JDK"));
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out);
        int code = jlink.run(w, w, "--module-path", runtimePath(),
                "--add-modules", "dev.warmpool.examples,org.slf4j.simple",
                "--no-header-files", "--no-man-pages", "--output", image.toString());
        w.flush();
        assertEquals(0, code, "jlink failed: " + out);
        Path imageJava = image.resolve("bin").resolve("java");
        assertEquals(EXPECTED, run(List.of(imageJava.toString(), "-m", MAIN)));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The examples' classes and their runtime dependencies, as Maven resolved them (see the pom). */
    private static String runtimePath() throws IOException {
        String deps = Files.readString(Path.of("target", "runtime-path.txt"), StandardCharsets.UTF_8).trim();
        return Path.of("target", "classes").toAbsolutePath() + (deps.isEmpty() ? "" : File.pathSeparator + deps);
    }

    /** Runs {@code argv}, returns its stdout; fails with its stderr if it does not exit 0. */
    private static String run(List<String> argv) throws IOException, InterruptedException {
        Path err = Files.createTempFile("quickstart", ".err");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(argv)).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(50, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("still running after 50 s: " + argv);
            }
            assertEquals(0, p.exitValue(), () -> "exit status of " + argv + "; stdout:\n" + out + "stderr:\n"
                    + readQuietly(err));
            return out.replace("\r\n", "\n");
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
