package dev.warmpool.cli;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows how far a phase of {@code bench} has got, on stderr: a bar redrawn in place on a terminal,
 * a plain line at each quarter otherwise (a log file or CI gets no carriage returns), nothing when
 * quiet. Thread-safe.
 */
final class Progress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final boolean quiet;
    private String phase = "";
    private long total;
    private long done;
    private long startedAt;
    private long drawnAt;
    private int quartersShown;

    /**
     * @param out where it goes (stderr)
     * @param terminal whether to draw a bar in place
     * @param quiet whether to show nothing
     */
    Progress(PrintStream out, boolean terminal, boolean quiet) {
        this.out = out;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    /**
     * @return whether this process runs on a terminal: {@link System#console()} is not {@code null}
     *     and, on JDK 22 and later, where a console may stand for redirected streams, it says it is one
     */
    @SuppressWarnings("SystemConsoleNull") // JDK 22+'s isTerminal() is asked below, by reflection (release 21)
    static boolean onTerminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true; // JDK 21: a console is only there for a terminal
        }
    }

    /**
     * Starts a phase.
     *
     * @param name e.g. "cold"
     * @param steps how many steps it has
     */
    synchronized void start(String name, long steps) {
        phase = name;
        total = steps;
        done = 0;
        quartersShown = 0;
        startedAt = System.nanoTime();
        drawnAt = 0;
        if (quiet) {
            return;
        }
        if (terminal) {
            draw();
        } else {
            out.printf(Locale.ROOT, "%s: %d requests%n", phase, total);
        }
    }

    /** One step is done. */
    synchronized void step() {
        done++;
        if (quiet) {
            return;
        }
        if (terminal) {
            long now = System.nanoTime();
            if (now - drawnAt >= REDRAW_NANOS || done == total) {
                draw();
            }
        } else {
            int quarter = total == 0 ? 4 : (int) (done * 4 / total);
            if (quarter > quartersShown && quarter < 4) {
                quartersShown = quarter;
                out.printf(Locale.ROOT, "%s: %d/%d%n", phase, done, total);
            }
        }
    }

    /** Ends the phase. */
    synchronized void finish() {
        if (quiet) {
            return;
        }
        if (terminal) {
            draw();
            out.println();
        } else {
            out.printf(Locale.ROOT, "%s: %d/%d in %s%n", phase, done, total, elapsed());
        }
        out.flush();
    }

    private void draw() {
        drawnAt = System.nanoTime();
        int filled = total == 0 ? WIDTH : (int) (done * WIDTH / total);
        out.printf(Locale.ROOT, "\r  %-5s [%s%s] %d/%d  %s ", phase, "#".repeat(filled), "-".repeat(WIDTH - filled),
                done, total, elapsed());
        out.flush();
    }

    private String elapsed() {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startedAt) / 1e9);
    }
}
