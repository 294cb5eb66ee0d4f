package dev.warmpool.api;

import static dev.warmpool.api.ConfigOption.HOSTS;
import static dev.warmpool.api.ConfigOption.TRANSPORT;
import static dev.warmpool.api.ConfigOption.TRANSPORT_NAME;
import static dev.warmpool.api.ConfigOption.TRANSPORT_SETTINGS;

import dev.warmpool.api.spi.Transport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code hosts} option: checks the shape of each host and turns a configuration with hosts into one
 * whose transport is the {@code hosts} transport (module {@code transport-hosts}), by name and settings,
 * with the configured transport as its {@code inner} setting. pool-api cannot see that module, so the
 * shape is all it checks here; the {@code hosts} provider reads ports, {@code ?weight=&max=} and
 * duplicates when the pool resolves its transport, which {@link PoolConfig.Builder#build()} already does
 * when pool-core is on the path.
 */
final class HostList {
    /** The provider name of the {@code hosts} transport. */
    static final String TRANSPORT_HOSTS = "hosts";

    private HostList() {
    }

    /**
     * Checks a list of hosts given to the builder or read from {@value PoolConfig#ENV_HOSTS}.
     *
     * @param what how a message names the source, e.g. {@code hosts} or {@code environment variable WARMPOOL_HOSTS}
     * @param uris the hosts
     * @return the hosts, stripped, unmodifiable
     * @throws IllegalArgumentException if the list is empty or a host has none of the known shapes, echoing it
     */
    static List<String> check(String what, List<String> uris) {
        Objects.requireNonNull(uris, what);
        if (uris.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty: give at least one host, e.g. local or ssh://user@host");
        }
        List<String> out = new ArrayList<>();
        for (String uri : uris) {
            Objects.requireNonNull(uri, what + " contains null");
            String u = uri.strip();
            if (u.indexOf(',') >= 0) {
                throw new IllegalArgumentException(what + ": host '" + uri + "' contains a comma; give each host"
                        + " separately (a comma separates hosts only in " + PoolConfig.ENV_HOSTS + ")");
            }
            if (!shapeIsKnown(u)) {
                throw new IllegalArgumentException(what + ": host '" + uri + "' is not local, ssh://[user@]host[:port]"
                        + " or exec:WORDS (a launcher such as exec:docker exec -i box)");
            }
            if (out.contains(u)) {
                throw new IllegalArgumentException(what + ": host '" + u + "' is listed twice in " + uris);
            }
            out.add(u);
        }
        return List.copyOf(out);
    }

    /**
     * Reads {@value PoolConfig#ENV_HOSTS}: hosts separated by commas.
     *
     * @param what how a message names the variable
     * @param text its value
     * @return the hosts
     * @throws IllegalArgumentException as {@link #check}
     */
    static List<String> parse(String what, String text) {
        List<String> parts = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                parts.add(part);
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException(what + " is '" + text + "', which names no host; e.g. local,ssh://user@host");
        }
        return check(what, parts);
    }

    private static boolean shapeIsKnown(String u) {
        String base = u.contains("?") ? u.substring(0, u.indexOf('?')) : u;
        if (u.startsWith("exec:")) {
            return !u.substring(5).isBlank();
        }
        return base.equals("local") || (base.startsWith("ssh://") && base.length() > "ssh://".length());
    }

    /**
     * With hosts set, makes the configuration's transport {@code hosts}: the configured transport's name
     * becomes its {@code inner} setting and the hosts its {@code hosts} setting; the other transport settings
     * stay (the {@code hosts} provider keeps its own, such as {@code identity}, and passes the rest on).
     *
     * @param settings every option's final value; replaced in place
     * @throws IllegalStateException if the transport is an instance, or the transport settings name the hosts
     *     or the inner transport too
     */
    @SuppressWarnings("unchecked") // settings hold each option's value with the option's type
    static void applyTo(Map<ConfigOption<?>, Setting> settings) {
        Setting hosts = Setting.in(settings, HOSTS);
        List<String> uris = (List<String>) hosts.value();
        if (uris.isEmpty()) {
            return;
        }
        String joined = String.join(",", uris);
        String name = (String) Setting.in(settings, TRANSPORT_NAME).value();
        Optional<Transport> instance = (Optional<Transport>) Setting.in(settings, TRANSPORT).value();
        if (instance.isPresent()) {
            throw new IllegalStateException("hosts " + joined + hosts.suffix() + " are set, but the transport was given"
                    + " as an instance (" + name + "), which the pool cannot put on hosts by name: wrap the instance"
                    + " with HostsTransport.wrap(instance, Host.parseList(\"" + joined + "\"), HostsOptions.defaults())"
                    + " from module dev.warmpool.transport.hosts and leave hosts unset, or choose the transport by name");
        }
        Map<String, String> transportSettings = new TreeMap<>((Map<String, String>) Setting.in(settings, TRANSPORT_SETTINGS).value());
        if (transportSettings.containsKey("hosts")) {
            throw new IllegalStateException("hosts " + joined + hosts.suffix() + " are set, and the transport setting"
                    + " hosts=" + transportSettings.get("hosts") + " too; keep one of them");
        }
        if (!name.equals(TRANSPORT_HOSTS)) {
            if (transportSettings.containsKey("inner")) {
                throw new IllegalStateException("transport setting inner=" + transportSettings.get("inner") + " is set,"
                        + " but hosts " + joined + hosts.suffix() + " make " + name + " the inner transport of the hosts"
                        + " transport; remove the setting, or choose transport(\"hosts\") and set inner there");
            }
            transportSettings.put("inner", name);
            settings.put(TRANSPORT_NAME, new Setting(TRANSPORT_HOSTS, hosts.origin(), "hosts wrapping " + name));
        }
        transportSettings.put("hosts", joined);
        settings.put(TRANSPORT_SETTINGS, new Setting(Collections.unmodifiableMap(transportSettings), hosts.origin(),
                hosts.source()));
    }
}
