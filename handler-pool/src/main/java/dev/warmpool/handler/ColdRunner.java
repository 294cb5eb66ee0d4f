package dev.warmpool.handler;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs events cold, the way the plan did before warmpool: {@code <command> -p "<prompt>"
 * --output-format json}, one process per event, started from an argv (no shell) with exactly the
 * workers' environment, in the project directory, with stdin from {@code /dev/null} (with an open
 * stdin pipe the CLI first waits three seconds for input).
 *
 * <p>At most {@code maxRunning} processes run at once; an event waits for a slot up to the request
 * timeout, and the timeout applies again to the run. A process that outlives it is killed with
 * every descendant it has at that moment. stdout is read up to a limit, stderr drained into its last
 * lines, both on virtual threads, so neither pipe fills. Thread-safe; {@link #run} never blocks.
 */
final class ColdRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ColdRunner.class);
    private static final File NO_INPUT = new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
    /** How long to wait for the pipes to close after the process is gone (a leftover child may hold them). */
    private static final long PIPE_WAIT_MILLIS = 2_000;
    private static final int MAX_LINE_BYTES = 1_000;

    private final List<String> command;
    private final Map<String, String> environment;
    private final Path directory;
    private final Duration timeout;
    private final int maxOutputBytes;
    private final int stderrLines;
    private final int maxRunning;
    private final Semaphore slots;
    private final AtomicInteger threadIds = new AtomicInteger();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private final Set<Process> killedAtShutdown = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param command the CLI's argv before {@code -p}: the program and the user's options
     * @param environment the process's whole environment
     * @param directory the project directory
     * @param timeout the longest wait for a slot, and the longest run
     * @param maxRunning how many processes may run at once
     * @param maxOutputBytes the most of stdout kept
     * @param stderrLines how many of the last stderr lines are kept
     */
    ColdRunner(List<String> command, Map<String, String> environment, Path directory, Duration timeout,
               int maxRunning, int maxOutputBytes, int stderrLines) {
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.directory = directory;
        this.timeout = timeout;
        this.maxRunning = maxRunning;
        this.maxOutputBytes = maxOutputBytes;
        this.stderrLines = stderrLines;
        this.slots = new Semaphore(maxRunning, true);
    }

    /** @return the argv of the cold run of {@code event} */
    List<String> argv(HandlerEvent event) {
        List<String> argv = new ArrayList<>(command);
        argv.addAll(List.of("-p", event.prompt(), "--output-format", "json"));
        return argv;
    }

    /** @return processes running now */
    int running() {
        return running.size();
    }

    /** @return how many may run at once */
    int maxRunning() {
        return maxRunning;
    }

    /**
     * Runs {@code event} cold on a virtual thread of its own.
     *
     * @return completes with how the run went; never fails. Cancelling it interrupts the run: an
     *     event waiting for a slot is not run, a running CLI is killed with its descendants
     */
    CompletableFuture<ColdRun> run(HandlerEvent event) {
        CompletableFuture<ColdRun> f = new CompletableFuture<>();
        if (closed) {
            f.complete(ColdRun.notRun(ColdRun.End.SHUT_DOWN, "the handler pool is shut down"));
            return f;
        }
        Thread t = Thread.ofVirtual().name("warmpool-cold-" + threadIds.incrementAndGet()).unstarted(() -> {
            try {
                if (!f.isCancelled()) {
                    f.complete(runNow(event));
                }
            } catch (RuntimeException | Error e) {
                LOG.error("a cold run failed unexpectedly", e);
                f.complete(ColdRun.notRun(ColdRun.End.NOT_STARTED, "the cold run failed: " + e));
            } finally {
                threads.remove(Thread.currentThread());
            }
        });
        threads.add(t);
        t.start();
        // an interrupt ends the slot wait or the wait for the process, which then kills it
        f.whenComplete((run, thrown) -> {
            if (f.isCancelled()) {
                t.interrupt();
            }
        });
        return f;
    }

    private ColdRun runNow(HandlerEvent event) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!slots.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return ColdRun.notRun(ColdRun.End.NO_SLOT, "no cold slot came free within " + seconds(timeout)
                        + " (HANDLER_REQUEST_TIMEOUT): " + maxRunning + " cold claude -p were running (HANDLER_POOL_MAX)");
            }
        } catch (InterruptedException e) {
            return ColdRun.notRun(ColdRun.End.SHUT_DOWN, "the handler pool shut down before the event ran");
        }
        try {
            if (closed) {
                return ColdRun.notRun(ColdRun.End.SHUT_DOWN, "the handler pool shut down before the event ran");
            }
            return start(event, deadline);
        } finally {
            slots.release();
        }
    }

    private ColdRun start(HandlerEvent event, long deadline) {
        List<String> argv = argv(event);
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().putAll(environment);
        pb.directory(directory.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return ColdRun.notRun(ColdRun.End.NOT_STARTED, "'" + argv.get(0) + "' could not be started: " + e.getMessage());
        }
        running.add(p);
        try {
            if (closed) {
                killedAtShutdown.add(p);
                killTree(p);
            }
            return follow(p, deadline);
        } finally {
            running.remove(p);
            killedAtShutdown.remove(p);
        }
    }

    private ColdRun follow(Process p, long deadline) {
        StderrLines err = new StderrLines(stderrLines);
        CompletableFuture<String> out = new CompletableFuture<>();
        Thread.ofVirtual().name("warmpool-cold-out-" + p.pid()).start(() -> out.complete(readLimited(p.getInputStream())));
        Thread errReader = Thread.ofVirtual().name("warmpool-cold-err-" + p.pid()).start(() -> err.drain(p.getErrorStream()));
        boolean exited;
        try {
            exited = p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            exited = false;
        }
        if (!exited) {
            killTree(p);
        }
        String stdout = "";
        try {
            p.waitFor(PIPE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            stdout = out.get(PIPE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            errReader.join(Duration.ofMillis(PIPE_WAIT_MILLIS));
        } catch (Exception e) {
            // a leftover child holds a pipe open: report what was read
            LOG.debug("cold run (pid {}): its pipes did not close: {}", p.pid(), e.toString());
        }
        if (killedAtShutdown.contains(p)) {
            return new ColdRun(ColdRun.End.SHUT_DOWN, -1, stdout, err.lines(),
                    "the handler pool shut down while the event ran cold; the CLI (pid " + p.pid() + ") was killed");
        }
        if (!exited) {
            return new ColdRun(ColdRun.End.TIMED_OUT, -1, stdout, err.lines(), "the request timeout of "
                    + seconds(timeout) + " (HANDLER_REQUEST_TIMEOUT) passed; the CLI (pid " + p.pid() + ") was killed");
        }
        return new ColdRun(ColdRun.End.EXITED, p.exitValue(), stdout, err.lines(), "");
    }

    private String readLimited(InputStream in) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                // read to the end whatever the limit, so the CLI never blocks on a full pipe
                int room = maxOutputBytes - kept.size();
                if (room > 0) {
                    kept.write(buf, 0, Math.min(n, room));
                }
            }
        } catch (IOException e) {
            LOG.debug("reading a cold run's stdout ended: {}", e.toString());
        }
        return kept.toString(StandardCharsets.UTF_8);
    }

    /** Kills {@code p} and every descendant it has now (a snapshot first: once it is gone they are reparented). */
    private static void killTree(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Stops taking events, lets running ones finish within {@code grace}, then kills what still runs
     * and ends the events still waiting for a slot. Blocks until every cold run has ended.
     *
     * @return whether every run finished within the grace
     */
    boolean shutdown(Duration grace) {
        closed = true;
        long end = System.nanoTime() + grace.toNanos();
        while (!running.isEmpty() && System.nanoTime() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boolean finished = running.isEmpty();
        for (Process p : List.copyOf(running)) {
            killedAtShutdown.add(p);
            killTree(p);
        }
        for (Thread t : List.copyOf(threads)) {
            t.interrupt(); // those waiting for a slot
        }
        for (Thread t : List.copyOf(threads)) {
            try {
                t.join(Duration.ofMillis(PIPE_WAIT_MILLIS * 3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return finished;
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** The last lines of a stream, each cut to {@value #MAX_LINE_BYTES} bytes. Thread-safe. */
    private static final class StderrLines {
        private final int max;
        private final ArrayDeque<String> lines = new ArrayDeque<>();
        private long dropped;

        StderrLines(int max) {
            this.max = max;
        }

        /** Reads to the end; memory stays bounded whatever the process writes (long lines are cut). */
        void drain(InputStream in) {
            byte[] buf = new byte[8192];
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean cut = false;
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            add(line, cut);
                            line.reset();
                            cut = false;
                        } else if (line.size() < MAX_LINE_BYTES) {
                            line.write(buf[i]);
                        } else {
                            cut = true;
                        }
                    }
                }
            } catch (IOException e) {
                LOG.debug("reading a cold run's stderr ended: {}", e.toString());
            }
            if (line.size() > 0) {
                add(line, cut);
            }
        }

        private void add(ByteArrayOutputStream line, boolean cut) {
            String s = line.toString(StandardCharsets.UTF_8);
            if (s.endsWith("\r")) {
                s = s.substring(0, s.length() - 1);
            }
            add(cut ? s + "…" : s);
        }

        private synchronized void add(String line) {
            lines.addLast(line);
            if (lines.size() > max) {
                lines.removeFirst();
                dropped++;
            }
        }

        synchronized List<String> lines() {
            List<String> out = new ArrayList<>(lines.size() + 1);
            if (dropped > 0) {
                out.add("[" + dropped + " earlier lines not kept]");
            }
            out.addAll(lines);
            return out;
        }
    }
}
