package dev.warmpool.transport.stdio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small {@code sh} process that kills this JVM's workers when the JVM dies, however it dies
 * (SIGKILL, a crash, the OOM killer), without help from the workers.
 *
 * <p>The JVM holds the only write end of a pipe to the watchdog's stdin (the JVM gives a child only
 * its own three descriptors, so no worker inherits it). The watchdog reads lines from it: the
 * JVM's cgroup directory, and each worker process group as it starts ({@code + PGID}) and when it is
 * confirmed empty ({@code - PGID}, so a reused group id is never killed). End-of-file means the
 * JVM is gone: the watchdog then, five times 0.1 s apart to catch forks, writes {@code cgroup.kill}
 * of the JVM's cgroup, SIGKILLs every process whose environment carries this JVM's marker
 * ({@code WARMPOOL_WORKER=TOKEN.*}, one {@code grep -z} over the {@code environ} file of every process
 * in {@code /proc}) and
 * every tracked process group, then removes the cgroup directories and exits.
 *
 * <p>The watchdog runs in its own session ({@code setsid}) and ignores SIGINT and SIGHUP, so a
 * Ctrl-C or a closed terminal that kills the JVM's process group does not kill it too; its
 * environment is only {@code PATH}, without the marker, so it never finds itself. It lives only
 * while this JVM has workers: {@link #retire()} tells it {@code bye} and it exits without killing
 * anything, and the next worker starts a new one, which is told the current state again. That
 * keeps the promise that a JVM with no pool running has no process of the pool's left, the watchdog
 * included.
 *
 * <p>Thread-safe. No method blocks on the watchdog: lines go through a queue to a writer thread, so
 * a watchdog that stops reading delays only that thread. Starting the process (fork and exec) is the
 * only slow step, done by the first {@link #open()} after a {@link #retire()}.
 */
final class Watchdog {
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

    /**
     * The watchdog itself. {@code $1} is the marker token ({@code -} for none). Only fixed text and
     * numbers that the JVM wrote reach a command; the cgroup path is only ever quoted.
     */
    static final String SCRIPT = """
            trap '' INT HUP
            token=$1 cg= groups=
            while IFS= read -r line; do
              case $line in
                bye) exit 0 ;;
                'cgroup '*) cg=${line#cgroup } ;;
                '+ '*) groups="$groups ${line#+ }" ;;
                '- '*) g=${line#- } left=
                  for x in $groups; do [ "$x" = "$g" ] || left="$left $x"; done
                  groups=$left ;;
              esac
            done
            for round in 1 2 3 4 5; do
              if [ -n "$cg" ] && [ -d "$cg" ]; then
                if [ -e "$cg/cgroup.kill" ]; then echo 1 > "$cg/cgroup.kill"
                else for f in $(find "$cg" -name cgroup.procs); do for p in $(cat "$f"); do kill -9 "$p"; done; done
                fi
              fi
              if [ "$token" != - ]; then
                for f in $(grep -lz "^WARMPOOL_WORKER=$token\\." /proc/[0-9]*/environ); do
                  p=${f#/proc/} p=${p%/environ}
                  [ "$p" = $$ ] || kill -9 "$p"
                done
              fi
              for g in $groups; do kill -9 -"$g"; done
              sleep 0.1 || sleep 1
            done 2>/dev/null
            [ -n "$cg" ] && [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} \\; 2>/dev/null
            exit 0
            """;

    private final String token;
    private final Path sh;
    private final Optional<Path> setsid;
    private Optional<Path> cgroup = Optional.empty();
    private final Set<Long> groups = new LinkedHashSet<>();
    /** The running watchdog and the queue of lines for it, or null while there is none. */
    private @Nullable Running running;
    private boolean failedOnce;

    private record Running(Process process, BlockingQueue<String> lines, Sent sent) {
        void add(String line) {
            sent.queued++;
            lines.add(line);
        }
    }

    /** How many lines were queued for a watchdog (under the watchdog's lock) and how many it was sent. */
    private static final class Sent {
        long queued;
        private long written;

        synchronized void wrote() {
            written++;
            notifyAll();
        }

        /** @return whether {@code n} lines were written within {@code nanos} */
        synchronized boolean await(long n, long nanos) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            for (long left = nanos; written < n; left = deadline - System.nanoTime()) {
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    /**
     * @param token the marker token whose processes the watchdog kills, or empty for none
     * @param sh the shell
     * @param setsid {@code setsid}, to give the watchdog its own session, if there is one
     */
    Watchdog(Optional<String> token, Path sh, Optional<Path> setsid) {
        this.token = token.orElse("-");
        this.sh = sh;
        this.setsid = setsid;
    }

    /** Tells the watchdog (now and after any restart) which cgroup to kill. */
    synchronized void cgroup(Path dir) {
        if (dir.toString().indexOf('\n') >= 0) {
            return;
        }
        cgroup = Optional.of(dir);
        send("cgroup " + dir);
    }

    /** Makes sure a watchdog runs, starting one if none does; a start failure is logged once. */
    synchronized void open() {
        if (running != null && running.process().isAlive()) {
            return;
        }
        List<String> argv = new ArrayList<>();
        setsid.ifPresent(p -> argv.add(p.toString()));
        argv.addAll(List.of(sh.toString(), "-c", SCRIPT, "warmpool-watchdog", token));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            running = null;
            if (!failedOnce) {
                failedOnce = true;
                LOG.warn("cannot start the watchdog that kills workers if this JVM dies ({}); workers that do "
                        + "not exit on end-of-file will outlive a killed JVM", e.toString());
            }
            return;
        }
        Running r = new Running(p, new LinkedBlockingQueue<>(), new Sent());
        running = r;
        cgroup.ifPresent(d -> r.add("cgroup " + d));
        groups.forEach(g -> r.add("+ " + g));
        Thread.ofPlatform().daemon().name("warmpool-watchdog-" + p.pid()).start(() -> feed(p, r.lines(), r.sent()));
        LOG.debug("started watchdog pid {}", p.pid());
    }

    /** Writes the lines to the watchdog until {@code bye} or an end marker, then closes its stdin. */
    private static void feed(Process p, BlockingQueue<String> lines, Sent sent) {
        try (OutputStream out = p.getOutputStream()) {
            while (true) {
                String line = lines.take();
                if (line.isEmpty()) {
                    return;
                }
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                sent.wrote();
                if (line.equals("bye")) {
                    return;
                }
            }
        } catch (IOException e) {
            LOG.warn("the watchdog (pid {}) stopped reading: {}; a new one starts with the next worker",
                    p.pid(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(String line) {
        if (running != null) {
            running.add(line);
        }
    }

    /** The watchdog kills this process group if the JVM dies. */
    synchronized void track(long pgid) {
        if (pgid > 1 && groups.add(pgid)) {
            send("+ " + pgid);
        }
    }

    /**
     * Waits, at most {@code max}, until every line queued so far was written to the watchdog: after
     * {@link #track}, a JVM killed from then on leaves no process of that group behind. Bounded, so a
     * watchdog that stopped reading delays a start by {@code max} at most.
     */
    void awaitSent(Duration max) {
        Running r;
        long n;
        synchronized (this) {
            r = running;
            if (r == null) {
                return;
            }
            n = r.sent().queued;
        }
        try {
            if (!r.sent().await(n, max.toNanos())) {
                LOG.debug("the watchdog (pid {}) was not sent its lines within {}", r.process().pid(), max);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The process group is empty: its id may be reused by someone else from now on. */
    synchronized void untrack(long pgid) {
        if (groups.remove(pgid)) {
            send("- " + pgid);
        }
    }

    /** No worker is left: the watchdog exits without killing anything. */
    synchronized void retire() {
        if (running != null) {
            running.add("bye");
            running = null;
        }
    }

    /**
     * Closes the watchdog's stdin as the JVM's death would: it kills everything it tracks and exits.
     * For tests, and for a {@link Containment} that is closed.
     */
    synchronized void closeInput() {
        if (running != null) {
            running.add("");
            running = null;
        }
    }

    /** @return the running watchdog's pid, for tests and diagnostics */
    synchronized Optional<Long> pid() {
        return running == null || !running.process().isAlive() ? Optional.empty()
                : Optional.of(running.process().pid());
    }
}
