package dev.warmpool.cli;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM for a long-running command: the first asks it to stop gracefully, a
 * second one (either signal) asks it to stop at once.
 *
 * <p>The JVM's own handling would start its shutdown at the first signal and ignore the second, so
 * a command that drains for 30 s could not be hurried. {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}, in every JDK since 6 and kept on purpose for this use) replaces it. Where a
 * signal cannot be handled (a platform without it) the JVM's default stays.
 *
 * <p>The listener runs on the JVM's signal-dispatch thread; it must return quickly or hand off.
 */
final class Signals {
    /** What a signal asks for. */
    @FunctionalInterface
    interface Listener {
        /**
         * @param name the signal's name, {@code INT} or {@code TERM}
         * @param count 1 for the first signal, 2 for the second, and so on
         */
        void signalled(String name, int count);
    }

    /** The signals a command stops on. */
    static final List<String> NAMES = List.of("INT", "TERM");

    private Signals() {
    }

    /**
     * Installs the handlers for {@link #NAMES}.
     *
     * @param listener told of each signal
     */
    static void install(Listener listener) {
        AtomicInteger count = new AtomicInteger();
        for (String name : NAMES) {
            try {
                Signal.handle(new Signal(name), s -> listener.signalled(s.getName(), count.incrementAndGet()));
            } catch (IllegalArgumentException e) {
                // this platform does not let this signal be handled (or the JVM was started with -Xrs)
            }
        }
    }

    /**
     * @param name a signal's name
     * @return the exit status a shell reports for a process ended by it: 128 plus its number
     */
    static int exitStatus(String name) {
        return 128 + switch (name) {
            case "INT" -> 2;
            case "TERM" -> 15;
            default -> 1;
        };
    }
}
