package dev.warmpool.core;

import dev.warmpool.api.PoolConfig;
import dev.warmpool.api.ProviderNotFoundException;
import dev.warmpool.api.spi.ProviderCheck;
import dev.warmpool.api.spi.ScalingPolicy;
import dev.warmpool.api.spi.ScalingPolicyProvider;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.TransportProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds {@link TransportProvider}s and {@link ScalingPolicyProvider}s with {@link ServiceLoader}: the one
 * discovery mechanism of warmpool, used by a starting pool, by {@link PoolConfig.Builder#build()} (through
 * {@link Check}) and by the {@code warmpool} command.
 *
 * <p>Discovery is deterministic: a provider that fails to load is logged, skipped and named in the
 * not-found message, unavailable providers are dropped, and among providers of one name the highest
 * {@code priority()} wins, ties going to the class name that sorts first. A name that is not found but
 * close to one that is gets a suggestion; a name warmpool ships gets the artifact to add. Thread-safe;
 * every call loads afresh.
 */
public final class Providers {
    private static final Logger LOG = LoggerFactory.getLogger(Providers.class);

    /** The policy a pool uses when none is chosen, if its provider is on the path. */
    static final String DEFAULT_SCALING_POLICY = "queue-depth";

    /** Which artifact provides the names warmpool ships. */
    private static final Map<String, String> ARTIFACTS = Map.of(
            "jsonrpc", "dev.warmpool:transport-jsonrpc (module dev.warmpool.transport.jsonrpc)",
            "line", "dev.warmpool:transport-stdio (module dev.warmpool.transport.stdio)",
            "oneshot", "dev.warmpool:transport-stdio (module dev.warmpool.transport.stdio)",
            "claude", "dev.warmpool:transport-claude (module dev.warmpool.transport.claude)",
            "hosts", "dev.warmpool:transport-hosts (module dev.warmpool.transport.hosts)",
            DEFAULT_SCALING_POLICY, "dev.warmpool:scaler-queue-depth (module dev.warmpool.scaler.queuedepth)");

    private Providers() {
    }

    /**
     * Creates the transport that the best available provider named {@code name} makes.
     *
     * @param name the provider name, e.g. {@code "jsonrpc"}
     * @param settings transport settings
     * @return a new transport
     * @throws ProviderNotFoundException if no available provider has that name; the message suggests a
     *     close name, or names the artifact to add, and lists the names found
     * @throws IllegalArgumentException if the provider rejects a setting
     */
    public static Transport transport(String name, Map<String, String> settings) {
        return find(TransportProvider.class, name, "transport", TransportProvider::name,
                TransportProvider::priority, TransportProvider::isAvailable)
                .create(settings);
    }

    /**
     * Creates the scaling policy that the best available provider named {@code name} makes.
     *
     * @param name the provider name, e.g. {@code "queue-depth"}
     * @param settings policy settings
     * @return a new policy
     * @throws ProviderNotFoundException if no available provider has that name; the message suggests a
     *     close name, or names the artifact to add, and lists the names found
     * @throws IllegalArgumentException if the provider rejects a setting
     */
    public static ScalingPolicy scalingPolicy(String name, Map<String, String> settings) {
        return find(ScalingPolicyProvider.class, name, "scaling policy", ScalingPolicyProvider::name,
                ScalingPolicyProvider::priority, ScalingPolicyProvider::isAvailable)
                .create(settings);
    }

    /**
     * Makes the scaling policy for one pool started from {@code config}: a new one from the configuration's
     * supplier, or from the provider it names, or else from {@value #DEFAULT_SCALING_POLICY} when that
     * provider is on the path. Call once per pool. When there is none although the pool could grow, says
     * so in the log (at INFO), naming the artifact that brings scaling.
     *
     * @param config the pool's configuration
     * @return the policy, or empty for a pool of fixed size
     * @throws ProviderNotFoundException if the named provider is not found
     * @throws IllegalArgumentException if the provider rejects a setting, or scaling settings are set that
     *     no policy reads
     */
    public static Optional<ScalingPolicy> scalingPolicy(PoolConfig config) {
        // a pool that finds none but could grow says so once at start (WarmPool.noScalingWarning)
        return config.scalingPolicy().map(Supplier::get).or(() -> providedPolicy(config));
    }

    private static Optional<ScalingPolicy> providedPolicy(PoolConfig config) {
        Map<String, String> settings = config.scalingSettings();
        Optional<String> name = config.scalingPolicyName();
        if (name.isPresent()) {
            return Optional.of(scalingPolicy(name.get(), settings));
        }
        if (hasScalingPolicy(DEFAULT_SCALING_POLICY)) {
            return Optional.of(scalingPolicy(DEFAULT_SCALING_POLICY, settings));
        }
        if (!settings.isEmpty()) {
            throw new IllegalArgumentException("scaling settings " + settings + " are set, but no scaling policy is"
                    + " on the class path or module path to read them; add " + ARTIFACTS.get(DEFAULT_SCALING_POLICY)
                    + ", or choose a policy with scalingPolicy(\"name\")");
        }
        return Optional.empty();
    }

    /** {@return the names of the available transport providers, sorted} */
    public static List<String> transportNames() {
        return names(load(TransportProvider.class, TransportProvider::isAvailable).found(), TransportProvider::name);
    }

    /** {@return the names of the available scaling policy providers, sorted} */
    public static List<String> scalingPolicyNames() {
        return names(load(ScalingPolicyProvider.class, ScalingPolicyProvider::isAvailable).found(),
                ScalingPolicyProvider::name);
    }

    /**
     * Tells whether a scaling policy provider is on the path.
     *
     * @param name a scaling policy provider name
     * @return whether an available provider has it
     */
    static boolean hasScalingPolicy(String name) {
        return scalingPolicyNames().contains(name);
    }

    private static <P> P find(Class<P> type, String name, String kind, Function<P, String> nameOf,
                              ToIntFunction<P> priority, Predicate<P> available) {
        Loaded<P> loaded = load(type, available);
        Optional<P> best = loaded.found().stream()
                .filter(p -> name.equals(nameOf.apply(p)))
                .min(Comparator.<P>comparingInt(p -> -priority.applyAsInt(p))
                        .thenComparing(p -> p.getClass().getName()));
        if (best.isPresent()) {
            return best.get();
        }
        String artifact = ARTIFACTS.get(name);
        String hint = artifact != null
                ? "Add " + artifact + " to the class path or module path."
                : "Add the module that provides it to the class path or module path (it must declare 'provides "
                        + type.getName() + "' in module-info.java and list the class in META-INF/services/"
                        + type.getName() + ").";
        if (!loaded.skipped().isEmpty()) {
            hint += " Skipped because they failed to load: " + String.join("; ", loaded.skipped()) + ".";
        }
        throw new ProviderNotFoundException(kind, name, names(loaded.found(), nameOf), hint);
    }

    private static <P> List<String> names(List<P> providers, Function<P, String> nameOf) {
        TreeSet<String> names = new TreeSet<>();
        for (P p : providers) {
            names.add(nameOf.apply(p));
        }
        return List.copyOf(names);
    }

    /** What a load found: the available providers, and a description of each one that failed. */
    private record Loaded<P>(List<P> found, List<String> skipped) {
    }

    /** Loads every provider of {@code type}, skipping (and logging) the ones that fail or are unavailable. */
    private static <P> Loaded<P> load(Class<P> type, Predicate<P> available) {
        List<P> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Iterator<P> it = ServiceLoader.load(type, classLoader()).iterator();
        while (true) {
            P p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError e) {
                LOG.warn("skipping a {} that failed to load: {}", type.getSimpleName(), e.getMessage());
                skipped.add(e.getMessage());
                continue;
            }
            try {
                if (available.test(p)) {
                    out.add(p);
                } else {
                    LOG.debug("skipping {}: it reports itself unavailable", p.getClass().getName());
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("skipping {}: its availability check failed: {}", p.getClass().getName(), e.toString());
                skipped.add(p.getClass().getName() + ": " + e);
            }
        }
        return new Loaded<>(out, skipped);
    }

    private static ClassLoader classLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : Providers.class.getClassLoader();
    }

    /**
     * Resolves a configuration's transport and scaling policy names when it is built, the way a starting
     * pool does, so that a typo fails at {@link PoolConfig.Builder#build()}. Found by pool-api with
     * {@link ServiceLoader}; not meant to be called directly. Stateless and thread-safe.
     */
    public static final class Check implements ProviderCheck {
        /** Called by {@link ServiceLoader}. */
        public Check() {
        }

        @Override
        public void check(PoolConfig config) {
            if (config.transport().isEmpty()) {
                transport(config.transportName(), config.transportSettings());
            }
            if (config.scalingPolicy().isEmpty()) {
                providedPolicy(config);
            }
        }
    }
}
