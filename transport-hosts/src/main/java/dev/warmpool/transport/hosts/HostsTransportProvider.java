package dev.warmpool.transport.hosts;

import dev.warmpool.api.spi.PluginSettings;
import dev.warmpool.api.spi.Transport;
import dev.warmpool.api.spi.TransportProvider;
import dev.warmpool.core.Providers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Provides the {@code hosts} transport ({@link HostsTransport}) to {@link java.util.ServiceLoader}.
 *
 * <p>Its settings: {@code inner} (the transport that speaks to the workers, {@code jsonrpc} by default,
 * found by name), {@code hosts} (the host list; {@code WARMPOOL_HOSTS} when not set), {@code ssh-config},
 * {@code identity}, {@code max-per-host} (every host's maximum unless the host gives its own),
 * {@code weights} (one per host, in order), {@code connection-sharing} ({@code true}/{@code false}),
 * {@code control-persist} and {@code remote-grace} (durations). Every other setting goes to the inner
 * transport, which rejects what it does not know. Stateless and thread-safe.
 */
public final class HostsTransportProvider implements TransportProvider {
    static final List<String> SETTINGS = List.of("inner", "hosts", "ssh-config", "identity", "max-per-host", "weights",
            "connection-sharing", "control-persist", "remote-grace");

    /** Called by {@link java.util.ServiceLoader}. */
    public HostsTransportProvider() {
    }

    /** @return {@value HostsTransport#NAME} */
    @Override
    public String name() {
        return HostsTransport.NAME;
    }

    /**
     * @throws IllegalArgumentException if a setting is bad, no host list is given, or the inner transport
     *     rejects a setting; the message names the setting and echoes the value
     * @throws dev.warmpool.api.ProviderNotFoundException if the inner transport is not found
     */
    @Override
    public Transport create(Map<String, String> settings) {
        return create(settings, System.getenv());
    }

    /** {@link #create(Map)} with the environment to read {@value HostsTransport#ENV_HOSTS} from. */
    static HostsTransport create(Map<String, String> settings, Map<String, String> env) {
        Map<String, String> own = new HashMap<>();
        Map<String, String> rest = new HashMap<>();
        settings.forEach((k, v) -> (SETTINGS.contains(k) ? own : rest).put(k, v));
        PluginSettings s = PluginSettings.forTransport(HostsTransport.NAME, own).allowOnly(SETTINGS);
        String list = s.text("hosts").or(() -> Optional.ofNullable(env.get(HostsTransport.ENV_HOSTS)))
                .orElseThrow(() -> new IllegalArgumentException("the hosts transport has no hosts: set the transport setting"
                        + " hosts (e.g. hosts=local,ssh://user@host) or the environment variable " + HostsTransport.ENV_HOSTS));
        List<Host> hosts = new ArrayList<>(Host.parseList(list));
        s.wholeNumber("max-per-host", 1, Integer.MAX_VALUE).ifPresent(max -> hosts.replaceAll(
                h -> h.maxWorkers().isPresent() ? h : h.withMaxWorkers(max)));
        Optional<String> weights = s.text("weights");
        if (weights.isPresent()) {
            String[] w = weights.get().split(",", -1); // a trailing comma is an empty weight, not none
            if (w.length != hosts.size()) {
                throw new IllegalArgumentException("hosts transport setting weights is '" + weights.get() + "' with "
                        + w.length + " weights, but there are " + hosts.size() + " hosts (" + list + ")");
            }
            for (int i = 0; i < w.length; i++) {
                hosts.set(i, hosts.get(i).withWeight(PluginSettings.parseWholeNumber(
                        "hosts transport setting weights (host " + hosts.get(i).uri() + ")", w[i].strip(), 1, 1000)));
            }
        }
        HostsOptions.Builder b = HostsOptions.builder();
        s.text("ssh-config").map(Path::of).ifPresent(b::sshConfig);
        s.text("identity").map(Path::of).ifPresent(b::identity);
        s.oneOf("connection-sharing", List.of(true, false), String::valueOf).ifPresent(b::connectionSharing);
        s.positiveDuration("control-persist").ifPresent(b::controlPersist);
        s.positiveDuration("remote-grace").ifPresent(b::remoteGrace);
        String innerName = s.text("inner").orElse("jsonrpc");
        if (innerName.equals(HostsTransport.NAME)) {
            throw new IllegalArgumentException("hosts transport setting inner is 'hosts', but must name the transport"
                    + " that speaks to the workers, e.g. jsonrpc or line");
        }
        Transport inner = Providers.transport(innerName, rest);
        return HostsTransport.wrap(inner, hosts, b.build(), Set.copyOf(SETTINGS));
    }
}
