package dev.warmpool.transport.hosts;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the {@code hosts} transport reaches its hosts and treats their failures: the OpenSSH client
 * configuration file and identity, connection sharing, the remote cleanup grace, and the backoff of a
 * host that is down. Immutable and thread-safe; made with {@link #builder()}.
 *
 * @param sshConfig an OpenSSH client configuration file given to {@code ssh -F}, or empty for the user's own
 * @param identity a private key given to {@code ssh -i}, or empty for the configuration's
 * @param connectionSharing whether the workers of one ssh host share one connection (a {@code ControlMaster}
 *     the transport starts), so a spawn costs a round trip instead of a handshake
 * @param controlPersist how long a shared connection outlives its last worker ({@code ControlPersist})
 * @param remoteGrace how long a remote worker has after its stdin ended before its group gets SIGTERM, and
 *     again before SIGKILL; a remote worker outlives its pool's JVM by at most twice this
 * @param downBackoff how long a host that failed a start is left out at first; doubled at each failure
 * @param maxDownBackoff the longest a host is left out before a probe start is tried again
 */
public record HostsOptions(Optional<Path> sshConfig, Optional<Path> identity, boolean connectionSharing,
                           Duration controlPersist, Duration remoteGrace, Duration downBackoff, Duration maxDownBackoff) {
    /** The longest remote grace: twice it must stay within the 10 s promised after a JVM's death. */
    public static final Duration MAX_REMOTE_GRACE = Duration.ofMillis(4500);

    /** Checks the components. */
    public HostsOptions {
        Objects.requireNonNull(sshConfig, "sshConfig");
        Objects.requireNonNull(identity, "identity");
        positive("controlPersist", controlPersist);
        positive("remoteGrace", remoteGrace);
        positive("downBackoff", downBackoff);
        positive("maxDownBackoff", maxDownBackoff);
        if (remoteGrace.compareTo(MAX_REMOTE_GRACE) > 0) {
            throw new IllegalArgumentException("remote grace is " + remoteGrace.toMillis() + " ms, but must be at most "
                    + MAX_REMOTE_GRACE.toMillis() + " ms, so a remote worker is gone within 10 s of its pool's death");
        }
        if (maxDownBackoff.compareTo(downBackoff) < 0) {
            throw new IllegalStateException("the longest down backoff (" + maxDownBackoff.toMillis()
                    + " ms) is shorter than the first (" + downBackoff.toMillis() + " ms)");
        }
    }

    private static void positive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " is " + d + ", but must be positive");
        }
    }

    /** {@return the defaults: the user's ssh configuration, sharing on for 60 s, remote grace 2 s, backoff 1 s to 30 s} */
    public static HostsOptions defaults() {
        return builder().build();
    }

    /** {@return a builder with the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link HostsOptions}; not thread-safe. */
    public static final class Builder {
        private Optional<Path> sshConfig = Optional.empty();
        private Optional<Path> identity = Optional.empty();
        private boolean connectionSharing = true;
        private Duration controlPersist = Duration.ofSeconds(60);
        private Duration remoteGrace = Duration.ofSeconds(2);
        private Duration downBackoff = Duration.ofSeconds(1);
        private Duration maxDownBackoff = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * Uses an OpenSSH client configuration file instead of the user's own.
         *
         * @param file the file, given to {@code ssh -F}
         * @return this
         */
        public Builder sshConfig(Path file) {
            sshConfig = Optional.of(file);
            return this;
        }

        /**
         * Uses a private key besides those of the configuration.
         *
         * @param key the key file, given to {@code ssh -i}
         * @return this
         */
        public Builder identity(Path key) {
            identity = Optional.of(key);
            return this;
        }

        /**
         * Turns connection sharing on or off (on by default).
         *
         * @param on whether the workers on one host share one connection
         * @return this
         */
        public Builder connectionSharing(boolean on) {
            connectionSharing = on;
            return this;
        }

        /**
         * Sets how long a shared connection outlives its last worker (60 s by default).
         *
         * @param d the time, rounded to whole seconds
         * @return this
         */
        public Builder controlPersist(Duration d) {
            controlPersist = d;
            return this;
        }

        /**
         * Sets the remote cleanup grace (2 s by default).
         *
         * @param d the grace, at most {@link #MAX_REMOTE_GRACE}
         * @return this
         */
        public Builder remoteGrace(Duration d) {
            remoteGrace = d;
            return this;
        }

        /**
         * Sets how long a host whose start failed is left out (1 s doubling to 30 s by default).
         *
         * @param first how long a failed host is left out at first
         * @param max the longest it is left out
         * @return this
         */
        public Builder downBackoff(Duration first, Duration max) {
            downBackoff = first;
            maxDownBackoff = max;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if a duration is not positive or the grace is too long
         */
        public HostsOptions build() {
            return new HostsOptions(sshConfig, identity, connectionSharing, controlPersist, remoteGrace, downBackoff,
                    maxDownBackoff);
        }
    }
}
