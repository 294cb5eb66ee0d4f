package dev.warmpool.api.spi;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.ProviderNotFoundException;

/**
 * Checks, while a {@link PoolConfig} is built, that the transport and scaling policy it names are on the
 * path and accept its settings, so a typo fails at {@link PoolConfig.Builder#build()} rather than when a
 * pool starts. pool-api finds implementations with {@link java.util.ServiceLoader}; the pool-core module
 * provides the one that matters, backed by the same provider discovery a starting pool uses (priority,
 * availability, broken providers skipped). Without pool-core on the path nothing is checked at build time.
 *
 * <p>Not a plugin point for transports or policies: those are {@link TransportProvider} and
 * {@link ScalingPolicyProvider}. Implementations are stateless and thread-safe.
 */
public interface ProviderCheck {
    /**
     * Resolves the names in {@code config} as a pool started from it would, and discards what it makes.
     *
     * @param config the configuration being built
     * @throws ProviderNotFoundException if no available provider has a name the configuration asks for
     * @throws IllegalArgumentException if a provider rejects its settings, or settings are set that no
     *     provider reads
     */
    void check(PoolConfig config);
}
