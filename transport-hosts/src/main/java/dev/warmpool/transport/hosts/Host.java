package dev.warmpool.transport.hosts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One place where workers run, with its share of them: {@code local} (this machine, the worker's argv
 * unchanged), {@code ssh://[user@]host[:port]} (OpenSSH), or {@code exec:WORD WORD ...}, a launcher
 * template such as {@code exec:docker exec -i box} or {@code exec:kubectl exec -i pod --} whose words
 * come before the worker's argv (or replace a word {@code {}}).
 *
 * <p>{@code local} and {@code ssh://} take a query for their share: {@code ssh://h1?weight=2&max=8}.
 * The weight (1 by default) says how many workers the host takes for one on a host of weight 1; the
 * maximum (none by default) is never exceeded.
 *
 * <p>Immutable and thread-safe.
 */
public final class Host {
    private final String uri;
    private final Launcher launcher;
    private final int weight;
    private final int maxWorkers;

    private Host(String uri, Launcher launcher, int weight, int maxWorkers) {
        this.uri = uri;
        this.launcher = launcher;
        this.weight = weight;
        this.maxWorkers = maxWorkers;
    }

    /** {@return this machine, with weight 1 and no maximum} */
    public static Host local() {
        return new Host("local", new Launcher.Local(), 1, 0);
    }

    /**
     * Reads one host.
     *
     * @param text {@code local}, {@code ssh://[user@]host[:port]}, or {@code exec:WORDS}, the first two
     *     optionally with {@code ?weight=N&max=N}
     * @return the host
     * @throws IllegalArgumentException if the text is none of these, echoing it
     */
    public static Host parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        if (t.startsWith("exec:")) {
            List<String> words = Arrays.stream(t.substring(5).strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
            if (words.isEmpty()) {
                throw new IllegalArgumentException("host '" + text + "' has no launcher words after exec:, e.g. exec:docker exec -i box");
            }
            return new Host(t, new Launcher.Template(words), 1, 0);
        }
        String base = t;
        String query = "";
        int q = t.indexOf('?');
        if (q >= 0) {
            base = t.substring(0, q);
            query = t.substring(q + 1);
        }
        Host h;
        if (base.equals("local")) {
            h = local();
        } else if (base.startsWith("ssh://")) {
            h = new Host(base, Launcher.Ssh.parse(base, text), 1, 0);
        } else {
            throw new IllegalArgumentException("host '" + text + "' is not local, ssh://[user@]host[:port] or exec:WORDS");
        }
        for (String kv : query.isEmpty() ? new String[0] : query.split("&")) {
            int eq = kv.indexOf('=');
            String key = eq < 0 ? kv : kv.substring(0, eq);
            int value = number(text, key, eq < 0 ? "" : kv.substring(eq + 1));
            h = switch (key) {
                case "weight" -> h.withWeight(value);
                case "max" -> h.withMaxWorkers(value);
                default -> throw new IllegalArgumentException("host '" + text + "' has an unknown option '" + key
                        + "'; known options: max, weight");
            };
        }
        return h;
    }

    /**
     * Reads a comma-separated list of hosts, as in {@code WARMPOOL_HOSTS} or the setting {@code hosts}.
     *
     * @param text e.g. {@code local,ssh://deploy@10.0.0.2,ssh://10.0.0.3:2222?weight=2}
     * @return the hosts, in order
     * @throws IllegalArgumentException if the list is empty, a host is bad, or a host is listed twice
     */
    public static List<Host> parseList(String text) {
        List<Host> hosts = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                Host h = parse(part);
                if (hosts.stream().anyMatch(o -> o.uri.equals(h.uri))) {
                    throw new IllegalArgumentException("host '" + h.uri + "' is listed twice in '" + text + "'");
                }
                hosts.add(h);
            }
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("the host list '" + text + "' names no host; e.g. local,ssh://user@host");
        }
        return List.copyOf(hosts);
    }

    private static int number(String text, String key, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("host '" + text + "' has " + key + "='" + value + "', but it must be a whole number of at least 1");
    }

    /**
     * Gives this host a weight: it takes {@code w} workers for one on a host of weight 1.
     *
     * @param w the host's weight, at least 1
     * @return this host with that weight
     * @throws IllegalArgumentException if {@code w} is below 1
     */
    public Host withWeight(int w) {
        if (w < 1) {
            throw new IllegalArgumentException("weight of host " + uri + " is " + w + ", but must be at least 1");
        }
        return new Host(uri, launcher, w, maxWorkers);
    }

    /**
     * Limits how many workers this host runs at once.
     *
     * @param max the most workers this host may run at once, at least 1
     * @return this host with that maximum
     * @throws IllegalArgumentException if {@code max} is below 1
     */
    public Host withMaxWorkers(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maximum of host " + uri + " is " + max + ", but must be at least 1");
        }
        return new Host(uri, launcher, weight, max);
    }

    /** {@return how the host was given, without its query: {@code local}, {@code ssh://user@h1:2222}, {@code exec:...}} */
    public String uri() {
        return uri;
    }

    /** {@return the host's weight, 1 by default} */
    public int weight() {
        return weight;
    }

    /** {@return the most workers this host runs at once, if limited} */
    public OptionalInt maxWorkers() {
        return maxWorkers == 0 ? OptionalInt.empty() : OptionalInt.of(maxWorkers);
    }

    /** {@return whether workers run on this machine, without a launcher} */
    public boolean isLocal() {
        return launcher instanceof Launcher.Local;
    }

    Launcher launcher() {
        return launcher;
    }

    /** {@return the short name used in worker ids and messages: {@code user@h1:2222}, {@code local}, {@code exec:...}} */
    String label() {
        return uri.startsWith("ssh://") ? uri.substring(6) : uri;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Host h && h.uri.equals(uri) && h.weight == weight && h.maxWorkers == maxWorkers;
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, weight, maxWorkers);
    }

    @Override
    public String toString() {
        return uri + (weight == 1 && maxWorkers == 0 ? "" : "?weight=" + weight + (maxWorkers == 0 ? "" : "&max=" + maxWorkers));
    }
}
