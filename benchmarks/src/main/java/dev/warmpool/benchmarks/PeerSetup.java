package dev.warmpool.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the peers benchmark needs around it: the repository (for the worker libraries in
 * {@code examples/} and the scripts in {@code benchmarks/src/main/peers/}), the Python and Node
 * runtimes on the PATH, and the npm peers at their pinned versions, installed into
 * {@code benchmarks/target/peers} with npm. What is missing is named, so its contenders can be
 * skipped with a reason instead of failing the run.
 */
final class PeerSetup {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The variables of this process that the workers and drivers get; nothing else leaks. */
    private static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "TMPDIR");
    private static final long INSTALL_TIMEOUT_SECONDS = 180;

    /** A runtime found on the PATH: the executable to start and its version. */
    record Runtime(String executable, String version) {
    }

    private final Path repo;
    private final Optional<Runtime> python;
    private final Optional<Runtime> node;

    private PeerSetup(Path repo) {
        this.repo = repo;
        this.python = probe("python3", "-c", "import sys, platform; print(sys.executable); print(platform.python_version())");
        this.node = probe("node", "-e", "console.log(process.execPath); console.log(process.version)");
    }

    /**
     * @param repo the repository's root, if given; else found from the benchmarks jar's place
     *     ({@code benchmarks/target/benchmarks.jar}) or the working directory
     * @throws IllegalArgumentException if no folder holding {@code benchmarks/src/main/peers} is found
     */
    static PeerSetup locate(Optional<Path> repo) {
        List<Path> candidates = new ArrayList<>();
        repo.ifPresent(candidates::add);
        Programs.jar().ifPresent(jar -> candidates.add(jar.toAbsolutePath().getParent().getParent().getParent()));
        Path cwd = Path.of("").toAbsolutePath();
        candidates.add(cwd);
        if (cwd.getParent() != null) {
            candidates.add(cwd.getParent());
        }
        for (Path c : candidates) {
            if (Files.isDirectory(c.resolve("benchmarks/src/main/peers")) && Files.isDirectory(c.resolve("examples"))) {
                return new PeerSetup(c);
            }
        }
        throw new IllegalArgumentException("cannot find the warmpool repository (a folder with benchmarks/src/main/peers "
                + "and examples) in " + candidates + "; run from the repository or pass --repo DIR");
    }

    Path repo() {
        return repo;
    }

    /** @param name a file in {@code benchmarks/src/main/peers} */
    String script(String name) {
        return repo.resolve("benchmarks/src/main/peers").resolve(name).toString();
    }

    /** @param path a file under {@code examples/} */
    String example(String path) {
        return repo.resolve("examples").resolve(path).toString();
    }

    Optional<Runtime> python() {
        return python;
    }

    Optional<Runtime> node() {
        return node;
    }

    /** @return where the npm peers are installed */
    Path peersHome() {
        return repo.resolve("benchmarks/target/peers");
    }

    /** @return the environment of a driver or a bare worker: a few variables of this process, plus {@code extra} */
    static Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : INHERITED) {
            String v = System.getenv(name);
            if (v != null) {
                env.put(name, v);
            }
        }
        env.putAll(extra);
        return env;
    }

    /** @return the pinned versions of the npm peers, from {@code benchmarks/src/main/peers/package.json} */
    Map<String, String> pinnedNodePeers() throws IOException {
        JsonNode deps = JSON.readTree(repo.resolve("benchmarks/src/main/peers/package.json").toFile()).path("dependencies");
        Map<String, String> pinned = new LinkedHashMap<>();
        deps.fieldNames().forEachRemaining(name -> pinned.put(name, deps.get(name).asText()));
        return pinned;
    }

    /**
     * Makes sure the npm peers are installed at their pinned versions, installing them with npm if
     * they are not (and {@code install} allows it).
     *
     * @return why they cannot be used, or empty when they can
     */
    Optional<String> installNodePeers(boolean install) throws IOException, InterruptedException {
        if (node.isEmpty()) {
            return Optional.of("node not found on PATH");
        }
        Map<String, String> pinned = pinnedNodePeers();
        Optional<String> wrong = wrongVersions(pinned);
        if (wrong.isEmpty()) {
            return Optional.empty();
        }
        if (!install) {
            return Optional.of(wrong.get() + " in " + peersHome() + ", and --no-install was given");
        }
        Optional<Path> npm = onPath("npm");
        if (npm.isEmpty()) {
            return Optional.of("npm not found on PATH, so " + pinned + " cannot be installed");
        }
        Files.createDirectories(peersHome());
        Files.copy(repo.resolve("benchmarks/src/main/peers/package.json"), peersHome().resolve("package.json"),
                StandardCopyOption.REPLACE_EXISTING);
        System.out.println("installing " + pinned + " into " + peersHome() + " with npm");
        // bounded fetches, so an unreachable registry ends the install in minutes rather than hanging a run
        ProcessBuilder b = new ProcessBuilder(npm.get().toString(), "install", "--no-audit", "--no-fund",
                "--loglevel=error", "--fetch-timeout=60000", "--fetch-retries=1")
                .directory(peersHome().toFile())
                .redirectErrorStream(true)
                .redirectOutput(peersHome().resolve("npm-install.log").toFile());
        // npm reaches the registry; it needs the proxy settings a user may have, and nothing else of ours
        Map<String, String> env = environment(Map.of());
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("npm_config_") || k.equalsIgnoreCase("https_proxy") || k.equalsIgnoreCase("http_proxy")
                    || k.equalsIgnoreCase("no_proxy")) {
                env.put(k, v);
            }
        });
        b.environment().clear();
        b.environment().putAll(env);
        Process p = b.start();
        p.getOutputStream().close();
        if (!p.waitFor(INSTALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            return Optional.of("npm install " + pinned + " did not finish within " + INSTALL_TIMEOUT_SECONDS
                    + " s; see " + peersHome().resolve("npm-install.log"));
        }
        if (p.exitValue() != 0) {
            return Optional.of("npm install " + pinned + " failed with status " + p.exitValue() + ": "
                    + Files.readString(peersHome().resolve("npm-install.log")).strip());
        }
        return wrongVersions(pinned).map(w -> w + " after npm install in " + peersHome());
    }

    private Optional<String> wrongVersions(Map<String, String> pinned) throws IOException {
        List<String> wrong = new ArrayList<>();
        for (var e : pinned.entrySet()) {
            Path manifest = peersHome().resolve("node_modules").resolve(e.getKey()).resolve("package.json");
            String installed = Files.isRegularFile(manifest) ? JSON.readTree(manifest.toFile()).path("version").asText() : "none";
            if (!installed.equals(e.getValue())) {
                wrong.add(e.getKey() + " " + installed + " instead of " + e.getValue());
            }
        }
        return wrong.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", wrong));
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = dir.isEmpty() ? null : Path.of(dir, program);
            if (p != null && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code program args}, which prints its executable's path and version on two lines. */
    private static Optional<Runtime> probe(String program, String... args) {
        Optional<Path> exe = onPath(program);
        if (exe.isEmpty()) {
            return Optional.empty();
        }
        try {
            List<String> command = new ArrayList<>(List.of(exe.get().toString()));
            command.addAll(List.of(args));
            ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
            b.environment().clear();
            b.environment().putAll(environment(Map.of()));
            Process p = b.start();
            p.getOutputStream().close();
            String[] lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split("\\R");
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || lines.length < 2) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(new Runtime(lines[lines.length - 2].strip(), lines[lines.length - 1].strip()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
