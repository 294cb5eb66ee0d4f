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
        return run(stdin.getBytes(StandardCharsets.UTF_8), env, args);
    }

    /**
     * @param stdin the bytes to write to the command's stdin (then closed); need not be UTF-8
     * @param env variables to set (a {@code null} value removes the variable)
     * @param args the command's arguments
     * @return how it ended
     */
    static Result run(byte[] stdin, Map<String, String> env, List<String> args) {
        List<String> cmd = command(args);
        try {
            Process p = builder(env, args).start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // the command may exit without reading stdin (bad arguments)
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
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

    /**
     * Starts the command and leaves its stdin open, for tests that talk to it while it runs.
     *
     * @param args the command's arguments
     * @return the running command
     */
    static Running start(List<String> args) {
        return start(Map.of(), args);
    }

    /**
     * Like {@link #start(List)}, with variables set ({@code null} removes one).
     *
     * @param env the variables to set or remove
     * @param args the command's arguments
     * @return the running command
     */
    static Running start(Map<String, String> env, List<String> args) {
        try {
            return new Running(builder(env, args).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", CLASS_PATH, Main.class.getName()));
        cmd.addAll(args);
        return cmd;
    }

    private static ProcessBuilder builder(Map<String, String> env, List<String> args) {
        ProcessBuilder pb = new ProcessBuilder(command(args));
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
        return pb;
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

    /**
     * A command that is still running: write lines to its stdin, read its stdout line by line as it
     * answers, and collect its stderr. Its lines are kept so a test can wait for one.
     */
    static final class Running implements AutoCloseable {
        private final Process process;
        private final OutputStream stdin;
        private final List<String> out = new ArrayList<>();
        private final StringBuffer err = new StringBuffer();
        private final Thread outReader;
        private final Thread errReader;

        Running(Process process) {
            this.process = process;
            this.stdin = process.getOutputStream();
            this.outReader = Thread.ofPlatform().daemon().start(() -> {
                try (var r = process.inputReader(StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (out) {
                            out.add(line);
                            out.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the process went away
                }
            });
            this.errReader = Thread.ofPlatform().daemon().start(() -> {
                try (var r = process.errorReader(StandardCharsets.UTF_8)) {
                    int c;
                    while ((c = r.read()) >= 0) {
                        err.append((char) c);
                    }
                } catch (IOException e) {
                    // the process went away
                }
            });
        }

        /** @return the command's process */
        Process process() {
            return process;
        }

        /** Writes one line to its stdin and flushes it. */
        void send(String line) {
            try {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Closes its stdin: the end of the input. */
        void endInput() {
            try {
                stdin.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** @return the stdout lines so far */
        List<String> lines() {
            synchronized (out) {
                return List.copyOf(out);
            }
        }

        /** @return the stderr so far */
        String stderr() {
            return err.toString();
        }

        /** Waits until a stdout line contains {@code text}; fails after 60 s. */
        String awaitLine(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            synchronized (out) {
                while (true) {
                    for (String line : out) {
                        if (line.contains(text)) {
                            return line;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("no stdout line with '" + text + "': " + out + "\n" + stderr());
                    }
                    TimeUnit.NANOSECONDS.timedWait(out, left);
                }
            }
        }

        /** Waits until stderr contains {@code text}; fails after 60 s. */
        void awaitStderr(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!stderr().contains(text)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no '" + text + "' on stderr: " + stderr());
                }
                Thread.sleep(20);
            }
        }

        /** Waits for the exit; fails after {@code seconds}. */
        Result awaitExit(int seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("the command did not exit within " + seconds + " s:\n" + lines() + "\n" + stderr());
            }
            outReader.join(5_000);
            errReader.join(5_000);
            return new Result(process.exitValue(), String.join("\n", lines()) + (lines().isEmpty() ? "" : "\n"), stderr());
        }

        /** Sends a signal to the command with the {@code kill} program. */
        void signal(String name) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new AssertionError("kill -" + name + " failed");
            }
        }

        /** Kills the command and every process it started, if a test left it running. */
        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
