package dev.warmpool.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code warmpool} command as a real process — {@code java -cp <the test class path>
 * dev.warmpool.cli.Main ...} — so the tests see its exit status, stdout and stderr exactly as a shell
 * does. The test class path rather than the shaded jar: during a build the tests run before the jar
 * is made, and a jar left from an earlier build would test old code.
 */
final class Cli {
    /** This JVM's java. */
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** The test class path: the command, its dependencies and the test workers. */
    static final String CLASS_PATH = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));

    /**
     * What a run of the command left.
     *
     * @param exit its exit status
     * @param stdout everything it wrote to stdout
     * @param stderr everything it wrote to stderr
     */
    record Result(int exit, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private Cli() {
    }

    /** @return the command line that starts {@link TestWorker} */
    static List<String> testWorker() {
        return List.of(JAVA, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", CLASS_PATH,
                TestWorker.class.getName());
    }

    /**
     * @param stdin what to write to the command's stdin (then closed)
     * @param env variables to set (a {@code null} value removes the variable)
     * @param args the command's arguments
     * @return how it ended
     */
    static Result run(String stdin, Map<String, String> env, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", CLASS_PATH, Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        for (String v : List.of("HANDLER_POOL_SIZE", "HANDLER_POOL_MIN", "HANDLER_POOL_MAX", "HANDLER_REQUEST_TIMEOUT")) {
            pb.environment().remove(v);
        }
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        try {
            Process p = pb.start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the command may exit without reading stdin (bad arguments)
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the command did not finish: " + cmd);
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static Result run(String stdin, List<String> args) {
        return run(stdin, Map.of(), args);
    }

    static Result run(String... args) {
        return run("", Map.of(), List.of(args));
    }

    /** @return {@code args} followed by {@code --} and {@code command} */
    static List<String> with(List<String> command, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--");
        all.addAll(command);
        return all;
    }

    private static CompletableFuture<String> drain(InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try (s) {
                return new String(s.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, r -> Thread.ofPlatform().daemon().start(r));
    }
}
