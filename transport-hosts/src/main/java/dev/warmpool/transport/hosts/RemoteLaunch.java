package dev.warmpool.transport.hosts;

import dev.warmpool.api.PoolConfig;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the remote wrapper sets up for one worker before it runs the program: the working directory, the
 * environment variables the pool configured, and the worker's token, which every process the worker starts
 * inherits and by which the wrapper finds those that left its process group. Immutable.
 *
 * <p><b>Which variables go.</b> The worker's spec holds its complete local environment: what the pool
 * configured, and the variables it inherited from this JVM by default ({@link
 * PoolConfig#DEFAULT_INHERITED_ENVIRONMENT}: {@code PATH}, {@code HOME}, {@code USER}, ...), which describe
 * this machine. A remote host has its own of those (its login environment), so a variable is forwarded
 * unless it is one of those names (or {@code SSH_AUTH_SOCK}, a local socket) with this JVM's own value:
 * every variable set with {@code environment(name, value)} or named in {@code inheritEnvironment(...)}
 * goes, and so does {@code PATH} when the pool set it to a value of its own. With {@code inheritAllEnvironment()}
 * the whole local environment is the spec's and goes too: name the variables instead.
 *
 * @param directory the working directory on the host, or empty for the login directory
 * @param environment the variables to set there, sorted by name
 * @param token the worker's token, the value of {@value #TOKEN_VARIABLE} there
 */
record RemoteLaunch(Optional<String> directory, Map<String, String> environment, String token) {
    /** The variable that marks every process of one remote worker, its value the worker's token. */
    static final String TOKEN_VARIABLE = "WARMPOOL_REMOTE_WORKER";
    /** What a POSIX shell's {@code export} takes as a name. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** The local variables a remote host has its own of, when they carry this JVM's value. */
    private static final List<String> HOST_LOCAL = hostLocal();
    private static final SecureRandom RANDOM = new SecureRandom();

    RemoteLaunch {
        environment = Collections.unmodifiableMap(new TreeMap<>(environment));
    }

    private static List<String> hostLocal() {
        List<String> names = new ArrayList<>(PoolConfig.DEFAULT_INHERITED_ENVIRONMENT);
        names.add("SSH_AUTH_SOCK");
        return List.copyOf(names);
    }

    /**
     * Works out what a worker takes to its host.
     *
     * @param directory the spec's working directory, a path on the host; a relative one is taken from the
     *     login directory
     * @param specEnvironment the spec's complete environment
     * @param parent this JVM's environment, to tell inherited variables from configured ones
     * @param host the host, for messages
     * @return the launch, with a new random token
     * @throws IllegalArgumentException if a variable to forward has a name a POSIX shell cannot set,
     *     naming it and the host
     */
    static RemoteLaunch of(Optional<Path> directory, Map<String, String> specEnvironment, Map<String, String> parent,
                           String host) {
        Map<String, String> env = new LinkedHashMap<>();
        specEnvironment.forEach((name, value) -> {
            boolean inherited = HOST_LOCAL.contains(name) && value.equals(parent.get(name));
            if (inherited || name.equals(TOKEN_VARIABLE)) {
                return; // the host's own; the token is the wrapper's
            }
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("environment variable '" + name + "' cannot be set on host " + host
                        + ": a POSIX shell takes only names of letters, digits and '_' that do not start with a digit");
            }
            env.put(name, value);
        });
        // "./" keeps a relative directory from being looked up in the remote shell's CDPATH
        Optional<String> dir = directory.map(Path::toString).map(d -> d.startsWith("/") ? d : "./" + d);
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return new RemoteLaunch(dir, env, HexFormat.of().formatHex(random));
    }
}
