package dev.warmpool.transport.hosts;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs short commands on a worker's host over a second connection (through the shared one when there is
 * one): signalling the worker's remote process group. Never blocks the caller; thread-safe.
 */
final class RemoteControl {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteControl.class);
    private static final Duration CONNECT = Duration.ofSeconds(5);

    private final Host host;
    private final HostsOptions options;
    private final Map<String, String> env;
    private final Optional<Path> controlPath;
    private final String token;

    RemoteControl(Host host, HostsOptions options, Map<String, String> env, Optional<Path> controlPath, String token) {
        this.host = host;
        this.options = options;
        this.env = Map.copyOf(env);
        this.controlPath = controlPath;
        this.token = token;
    }

    boolean isLocal() {
        return host.isLocal();
    }

    /**
     * Sends SIGTERM to the remote group and the worker's escapees (by its token), and SIGKILL to what is
     * left of them after {@code grace}.
     *
     * @return completes with the control command's exit status (-1 if it could not run or took too long)
     */
    CompletableFuture<Integer> signalGroup(long pgid, Duration grace) {
        List<String> argv = host.launcher().command(RemoteScripts.signalGroup(pgid, grace.toMillis() / 100, token), options,
                CONNECT, controlPath);
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Thread.ofVirtual().name("warmpool-hosts-signal-" + pgid).start(() -> done.complete(run(argv, grace.plus(CONNECT).plusSeconds(2))));
        return done;
    }

    private int run(List<String> argv, Duration limit) {
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                LOG.debug("host {}: signalling a remote group took longer than {} ms", host.uri(), limit.toMillis());
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            LOG.debug("host {}: could not signal a remote group: {}", host.uri(), e.toString());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
