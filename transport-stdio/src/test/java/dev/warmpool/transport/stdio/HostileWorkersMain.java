package dev.warmpool.transport.stdio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM by {@link JvmDeathTest}: starts one worker of each hostile kind through
 * {@link WorkerProcess#start} (the JVM's own containment, configured by the system properties the
 * test passes), prints every pid they and their descendants have, then waits to be killed.
 *
 * <p>Output: {@code pids KIND=PID ...} and {@code cgroup DIR} (or {@code cgroup none}).
 */
public final class HostileWorkersMain {
    private HostileWorkersMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> pids = new ArrayList<>();
        // ignores end-of-file and SIGTERM
        WorkerProcess ignoresTerm = WorkerProcess.start(Specs.sh("trap '' TERM; echo up; exec sleep 3600").id("w-term").build());
        firstLine(ignoresTerm);
        pids.add("ignoresTerm=" + ignoresTerm.pid());
        // stops reading stdin, with a writer blocked on the full pipe
        WorkerProcess deaf = WorkerProcess.start(Specs.sh("echo up; exec sleep 3600").id("w-deaf").build());
        firstLine(deaf);
        Thread.ofPlatform().daemon().start(() -> {
            try {
                deaf.stdin().write(new byte[1 << 20]);
                deaf.stdin().flush();
            } catch (IOException e) {
                // the worker is gone
            }
        });
        pids.add("deaf=" + deaf.pid());
        // a grandchild that leaves the session with a double fork and setsid
        WorkerProcess escaping = WorkerProcess.start(Specs.sh(ContainmentTest.ESCAPEE).id("w-escape").build());
        pids.add("escaping=" + escaping.pid());
        pids.add("escapee=" + firstLine(escaping));
        // a compliant worker (cat exits on end-of-file) with a child that does not
        WorkerProcess compliant = WorkerProcess.start(Specs.sh("sleep 3600 & echo $!; exec cat").id("w-cat").build());
        pids.add("compliant=" + compliant.pid());
        pids.add("child=" + firstLine(compliant));
        System.out.println("pids " + String.join(" ", pids));
        System.out.println("cgroup " + Containment.system().cgroup().map(Object::toString).orElse("none"));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static String firstLine(WorkerProcess p) throws IOException {
        return new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8)).readLine().strip();
    }
}
