package dev.warmpool.transport.hosts;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** How a host's workers are started: unchanged, through {@code ssh}, or through a launcher template. */
sealed interface Launcher {
    /**
     * @param remote the argv to run there (the remote wrapper and the worker's argv)
     * @param options the transport's options
     * @param connectTimeout how long connecting may take
     * @param controlPath the shared connection's socket, if connections are shared
     * @return the local argv that runs {@code remote} on the host
     */
    List<String> command(List<String> remote, HostsOptions options, Duration connectTimeout, Optional<Path> controlPath);

    /** This machine: the argv is not wrapped. */
    record Local() implements Launcher {
        @Override
        public List<String> command(List<String> remote, HostsOptions o, Duration t, Optional<Path> controlPath) {
            return remote;
        }
    }

    /**
     * A launcher template, e.g. {@code docker exec -i box}: its words, then the remote argv as separate
     * arguments (no remote shell parses them); a word {@code {}} marks where they go instead.
     *
     * @param words the template's words
     */
    record Template(List<String> words) implements Launcher {
        public Template {
            words = List.copyOf(words);
        }

        @Override
        public List<String> command(List<String> remote, HostsOptions o, Duration t, Optional<Path> controlPath) {
            List<String> out = new ArrayList<>();
            boolean placed = false;
            for (String w : words) {
                if (w.equals("{}") && !placed) {
                    out.addAll(remote);
                    placed = true;
                } else {
                    out.add(w);
                }
            }
            if (!placed) {
                out.addAll(remote);
            }
            return out;
        }
    }

    /**
     * OpenSSH: {@code ssh -T -o BatchMode=yes ... host -- COMMAND}, where COMMAND is the remote argv with
     * each word quoted for the remote login shell (ssh joins its arguments into one command line).
     *
     * @param user the user to log in as, if given in the URI
     * @param host the host name or address
     * @param port the port, if given
     */
    record Ssh(Optional<String> user, String host, OptionalInt port) implements Launcher {
        public Ssh {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(port, "port");
        }

        /** Reads {@code ssh://[user@]host[:port]}; {@code text} is the whole host text, for messages. */
        static Ssh parse(String uri, String text) {
            String rest = uri.substring("ssh://".length());
            if (rest.endsWith("/")) {
                rest = rest.substring(0, rest.length() - 1);
            }
            Optional<String> user = Optional.empty();
            int at = rest.lastIndexOf('@');
            if (at >= 0) {
                user = Optional.of(rest.substring(0, at));
                rest = rest.substring(at + 1);
            }
            OptionalInt port = OptionalInt.empty();
            int colon = rest.lastIndexOf(':');
            if (colon >= 0 && !rest.endsWith("]")) {
                String p = rest.substring(colon + 1);
                try {
                    int n = Integer.parseInt(p);
                    if (n < 1 || n > 65535) {
                        throw new NumberFormatException();
                    }
                    port = OptionalInt.of(n);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("host '" + text + "' has port '" + p + "', but it must be 1..65535", e);
                }
                rest = rest.substring(0, colon);
            }
            if (rest.startsWith("[") && rest.endsWith("]")) {
                rest = rest.substring(1, rest.length() - 1);
            }
            if (rest.isEmpty() || rest.startsWith("-") || !rest.chars().allMatch(c -> Character.isLetterOrDigit(c) || ".-_:%".indexOf(c) >= 0)
                    || user.filter(u -> u.isEmpty() || u.startsWith("-")).isPresent()) {
                throw new IllegalArgumentException("host '" + text + "' is not ssh://[user@]host[:port]");
            }
            return new Ssh(user, rest, port);
        }

        /** The ssh options and destination, without a command: for workers, the shared connection and control commands. */
        List<String> base(HostsOptions o, Duration connectTimeout) {
            List<String> a = new ArrayList<>(List.of("ssh", "-T", "-o", "BatchMode=yes",
                    "-o", "ConnectTimeout=" + Math.max(1, (connectTimeout.toMillis() + 999) / 1000)));
            o.sshConfig().ifPresent(f -> a.addAll(List.of("-F", f.toString())));
            o.identity().ifPresent(f -> a.addAll(List.of("-i", f.toString())));
            port.ifPresent(p -> a.addAll(List.of("-p", Integer.toString(p))));
            user.ifPresent(u -> a.addAll(List.of("-l", u)));
            return a;
        }

        @Override
        public List<String> command(List<String> remote, HostsOptions o, Duration t, Optional<Path> controlPath) {
            List<String> a = base(o, t);
            // a worker never becomes a master itself: a master inside a worker would die with that worker
            a.addAll(List.of("-o", "ControlMaster=no", "-o", "ControlPath=" + controlPath.map(Path::toString).orElse("none")));
            a.addAll(List.of(host, "--", RemoteScripts.commandLine(remote)));
            return a;
        }
    }
}
