package dev.warmpool.core;

import dev.warmpool.api.ProviderNotFoundException;
import dev.warmpool.api.spi.ScalingPolicy;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.ScalingPolicyProvider;
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
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds {@link TransportProvider}s and {@link ScalingPolicyProvider}s with {@link ServiceLoader}.
 *
 * <p>Discovery is deterministic: a provider that fails to load is logged and skipped, unavailable
 * providers are dropped, and among providers of one name the highest {@code priority()} wins, ties
 * going to the class name that sorts first. Thread-safe; every call loads afresh.
 */
public final class Providers {
    private static final Logger LOG = LoggerFactory.getLogger(Providers.class);

    /** Which artifact provides the names warmpool ships. */
    private static final Map<String, String> ARTIFACTS = Map.of(
            "jsonrpc", "dev.warmpool:transport-jsonrpc (module dev.warmpool.transport.jsonrpc)",
            "line", "dev.warmpool:transport-stdio (module dev.warmpool.transport.stdio)",
            "oneshot", "dev.warmpool:transport-stdio (module dev.warmpool.transport.stdio)",
            "claude", "dev.warmpool:transport-claude (module dev.warmpool.transport.claude)",
            "queue-depth", "dev.warmpool:scaler-queue-depth (module dev.warmpool.scaler.queuedepth)");

    private Providers() {
    }

    /**
     * Creates the transport that the best available provider named {@code name} makes.
     *
     * @param name the provider name, e.g. {@code "jsonrpc"}
     * @param settings transport settings
     * @return a new transport
     * @throws ProviderNotFoundException if no available provider has that name; the message lists the names found
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
     * @throws ProviderNotFoundException if no available provider has that name; the message lists the names found
     */
    public static ScalingPolicy scalingPolicy(String name, Map<String, String> settings) {
        return find(ScalingPolicyProvider.class, name, "scaling policy", ScalingPolicyProvider::name,
                ScalingPolicyProvider::priority, ScalingPolicyProvider::isAvailable)
                .create(settings);
    }

    /** @return the names of the available transport providers, sorted */
    public static List<String> transportNames() {
        return names(load(TransportProvider.class, TransportProvider::isAvailable), TransportProvider::name);
    }

    /** @return the names of the available scaling policy providers, sorted */
    public static List<String> scalingPolicyNames() {
        return names(load(ScalingPolicyProvider.class, ScalingPolicyProvider::isAvailable), ScalingPolicyProvider::name);
    }

    /**
     * @param name a scaling policy provider name
     * @return whether an available provider has it
     */
    static boolean hasScalingPolicy(String name) {
        return scalingPolicyNames().contains(name);
    }

    private static <P> P find(Class<P> type, String name, String kind, Function<P, String> nameOf,
                              ToIntFunction<P> priority, Predicate<P> available) {
        List<P> found = load(type, available);
        Optional<P> best = found.stream()
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
        throw new ProviderNotFoundException(kind, name, names(found, nameOf), hint);
    }

    private static <P> List<String> names(List<P> providers, Function<P, String> nameOf) {
        TreeSet<String> names = new TreeSet<>();
        for (P p : providers) {
            names.add(nameOf.apply(p));
        }
        return List.copyOf(names);
    }

    /** Loads every provider of {@code type}, skipping (and logging) the ones that fail or are unavailable. */
    private static <P> List<P> load(Class<P> type, Predicate<P> available) {
        List<P> out = new ArrayList<>();
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
            }
        }
        return out;
    }

    private static ClassLoader classLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : Providers.class.getClassLoader();
    }
}
