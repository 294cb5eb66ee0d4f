package dev.warmpool.transport.hosts;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.core.WarmPool;
import dev.warmpool.transport.stdio.LineTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Run in a child JVM by {@link RemoteJvmDeathTest}: a pool of {@code line} workers on the hosts given,
 * each one a shell that ignores end-of-file and SIGTERM (and so does its {@code sleep} child), and that
 * first starts another such shell outside its process group ({@code setsid}, double fork). Prints
 * {@code started} once every worker is ready, then waits to be killed.
 *
 * <p>Arguments: the ssh client configuration, a token the workers carry in their argv, the hosts.
 */
public final class RemotePoolMain {
    /** A shell that ignores end-of-file and SIGTERM (and so does its {@code sleep} child). */
    private static final String HOSTILE = "trap '' TERM; while :; do sleep 1; done";

    private RemotePoolMain() {
    }

    /** @param args the ssh client configuration, the token, then the host URIs */
    public static void main(String[] args) throws Exception {
        List<Host> hosts = java.util.Arrays.stream(args).skip(2).map(Host::parse).toList();
        HostsTransport t = HostsTransport.wrap(new LineTransport(), hosts,
                HostsOptions.builder().sshConfig(Path.of(args[0])).remoteGrace(Duration.ofSeconds(2)).build());
        WarmPool pool = WarmPool.start(PoolConfig.builder().transport(t).size(2 * hosts.size())
                .command("sh", "-c", "(setsid sh -c \"$1\" \"$0\" &); " + HOSTILE, args[1], HOSTILE)
                .startTimeout(Duration.ofSeconds(20)).healthCheckInterval(Duration.ZERO).build());
        System.out.println("started " + t.status());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
        pool.close();
    }
}
