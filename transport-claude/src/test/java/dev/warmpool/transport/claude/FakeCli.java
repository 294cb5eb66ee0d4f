package dev.warmpool.transport.claude;

import dev.warmpool.api.spi.WorkerSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Worker specs that start {@link FakeClaudeCli} in a JVM of its own. */
final class FakeCli {
    private String id = "w-1";
    private final Map<String, String> env = new HashMap<>();
    private Duration startTimeout = Duration.ofSeconds(20);
    private int maxFrameBytes = 1 << 20;
    private boolean strict;
    private final Map<String, String> settings = new HashMap<>();

    static FakeCli spec() {
        return new FakeCli();
    }

    static List<String> command() {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a small, quick JVM: the fake only reads and writes lines
        argv.addAll(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m"));
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(FakeClaudeCli.class.getName());
        return argv;
    }

    FakeCli id(String v) {
        id = v;
        return this;
    }

    FakeCli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    FakeCli startTimeout(Duration v) {
        startTimeout = v;
        return this;
    }

    FakeCli maxFrameBytes(int v) {
        maxFrameBytes = v;
        return this;
    }

    FakeCli strict() {
        strict = true;
        return this;
    }

    FakeCli setting(String name, String value) {
        settings.put(name, value);
        return this;
    }

    WorkerSpec build() {
        return new WorkerSpec(id, command(), env, Optional.empty(), startTimeout, maxFrameBytes, strict, 20, settings);
    }
}
