package dev.warmpool.testkit;

import dev.warmpool.api.spi.WorkerSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Builds the argv and {@link WorkerSpec} to start a worker class of the test class path as a real
 * process: the same {@code java} binary as the running JVM, the same class path, and flags that make
 * a small JVM start fast.
 *
 * {@snippet :
 * WorkerSpec spec = TestWorkers.spec("w-1", TestWorkers.java(EchoWorker.class));
 * Worker worker = JsonRpcTransport.create().start(spec);
 * }
 *
 * <p>Thread-safe (stateless).
 */
public final class TestWorkers {
    /** The JVM flags of a worker: a quick start and a small footprint matter more than peak speed. */
    public static final List<String> JVM_FLAGS = List.of(
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData", "-Xmx256m");

    /** The start timeout of {@link #spec}: generous, because a loaded CI machine starts JVMs slowly. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private TestWorkers() {
    }

    /** {@return the {@code java} binary of the running JVM} */
    public static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Builds the argv that starts a test worker's main class in a new JVM of this JVM's version, with flags that
     * make it start fast.
     *
     * @param mainClass a class with a {@code main} method on the current class path
     * @param args its arguments
     * @return {@code java FLAGS -cp CLASSPATH MAINCLASS ARGS...}
     */
    public static List<String> java(Class<?> mainClass, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(javaBinary());
        argv.addAll(JVM_FLAGS);
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(mainClass.getName());
        argv.addAll(List.of(args));
        return List.copyOf(argv);
    }

    /**
     * Wraps a command so that it starts with SIGTERM ignored: {@code sh -c 'trap "" TERM; exec "$@"' sh
     * COMMAND...}. An ignored signal stays ignored across {@code exec}, and the JVM does not install
     * its own SIGTERM handler when it starts with SIGTERM ignored, so a Java worker started this way
     * can only be stopped with SIGKILL. The command's words are passed as arguments, never parsed
     * by the shell.
     *
     * @param command the argv to wrap
     * @return the wrapped argv
     */
    public static List<String> ignoringTerm(List<String> command) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "trap '' TERM; exec \"$@\"", "sh"));
        argv.addAll(command);
        return List.copyOf(argv);
    }

    /**
     * Gives the environment a test worker starts with, so no test leaks the whole parent environment.
     *
     * @return the few variables a worker needs from this process's environment: {@code PATH},
     *     {@code HOME}, {@code JAVA_HOME}, {@code LANG}, {@code TMPDIR}, {@code USER}, where set
     */
    public static Map<String, String> minimalEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("PATH", "HOME", "JAVA_HOME", "LANG", "TMPDIR", "USER")) {
            String v = System.getenv(name);
            if (v != null) {
                env.put(name, v);
            }
        }
        env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        return env;
    }

    /**
     * Builds a worker spec with the defaults tests use.
     *
     * @param id the worker id, e.g. {@code "w-1"}
     * @param command the argv
     * @return a spec with {@link #minimalEnv()}, no working directory, a start timeout of
     *     {@link #START_TIMEOUT}, 16 MiB frames, lenient output, 50 stderr lines and no settings
     */
    public static WorkerSpec spec(String id, List<String> command) {
        return specBuilder(id, command).build();
    }

    /**
     * Starts a worker spec for a test that changes some of the defaults.
     *
     * @param id the worker id, e.g. {@code "w-1"}
     * @param command the argv
     * @return a builder that starts from the defaults of {@link #spec(String, List)}
     */
    public static SpecBuilder specBuilder(String id, List<String> command) {
        return new SpecBuilder(id, command);
    }

    /** Builds a {@link WorkerSpec} from the defaults of {@link TestWorkers#spec}. Not thread-safe. */
    public static final class SpecBuilder {
        private final String id;
        private final List<String> command;
        private final Map<String, String> environment = new LinkedHashMap<>(minimalEnv());
        private @Nullable Path directory;
        private Duration startTimeout = START_TIMEOUT;
        private int maxFrameBytes = 16 * 1024 * 1024;
        private boolean strictOutput;
        private int stderrTailLines = 50;
        private final Map<String, String> settings = new LinkedHashMap<>();

        private SpecBuilder(String id, List<String> command) {
            this.id = Objects.requireNonNull(id, "id");
            this.command = List.copyOf(command);
        }

        /**
         * Adds a variable to the worker's environment, or replaces it.
         *
         * @param name a variable name
         * @param value its value
         * @return this builder
         */
        public SpecBuilder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /**
         * Sets the directory the worker starts in.
         *
         * @param dir the working directory
         * @return this builder
         */
        public SpecBuilder directory(Path dir) {
            directory = dir;
            return this;
        }

        /**
         * Sets how long the worker has to become ready.
         *
         * @param timeout the start timeout
         * @return this builder
         */
        public SpecBuilder startTimeout(Duration timeout) {
            startTimeout = timeout;
            return this;
        }

        /**
         * Sets the largest frame, in bytes, read from or written to the worker.
         *
         * @param bytes the frame limit
         * @return this builder
         */
        public SpecBuilder maxFrameBytes(int bytes) {
            maxFrameBytes = bytes;
            return this;
        }

        /**
         * Sets whether stdout lines that are not frames break the protocol or are logged and skipped.
         *
         * @param strict whether non-frame stdout lines are protocol errors
         * @return this builder
         */
        public SpecBuilder strictOutput(boolean strict) {
            strictOutput = strict;
            return this;
        }

        /**
         * Sets how many of the worker's last stderr lines are kept for error messages.
         *
         * @param lines how many stderr lines to keep
         * @return this builder
         */
        public SpecBuilder stderrTailLines(int lines) {
            stderrTailLines = lines;
            return this;
        }

        /**
         * Adds a transport setting, or replaces it.
         *
         * @param name a transport setting
         * @param value its value
         * @return this builder
         */
        public SpecBuilder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /** {@return a worker spec with the options set on this builder} */
        public WorkerSpec build() {
            return new WorkerSpec(id, command, environment, Optional.ofNullable(directory), startTimeout,
                    maxFrameBytes, strictOutput, stderrTailLines, settings);
        }
    }
}
