package dev.warmpool.transport.hosts;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One host as the transport named {@code "hosts"} sees it at one moment, for health reports and metrics.
 *
 * @param host the host as configured, e.g. {@code ssh://deploy@10.0.0.2}
 * @param workers how many workers run there (or are starting)
 * @param up whether starts go there; {@code false} after a failed start, until a probe start succeeds
 * @param downFor how long until a probe start may be tried ({@link Duration#ZERO} when up or due)
 * @param lastError why the last start there failed, while the host is down
 */
public record HostStatus(String host, int workers, boolean up, Duration downFor, Optional<String> lastError) {
    /** Checks the components. */
    public HostStatus {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(downFor, "downFor");
        Objects.requireNonNull(lastError, "lastError");
    }
}
