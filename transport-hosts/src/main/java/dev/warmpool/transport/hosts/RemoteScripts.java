package dev.warmpool.transport.hosts;

import java.util.ArrayList;
import java.util.List;

/**
 * The POSIX {@code sh} scripts that run on a remote host, passed as arguments of {@code sh -c}: nothing is
 * installed there. The scripts are constants; the worker's argv, environment and directory only ever reach
 * them as positional parameters, never interpolated.
 */
final class RemoteScripts {
    /**
     * The first stderr line of a remote worker: this prefix, its process group id, " on ", the host's name.
     * Worded for people, since the inner transport's crash messages quote the stderr tail it is in.
     */
    static final String PGID_PREFIX = "warmpool-remote: worker process group ";
    /** The stdout line a remote wrapper prints once the program runs, when asked to (the {@code line} transport). */
    static final String READY_MARKER = "warmpool-remote-ready";
    /** {@code $0} of the remote shells, so they can be recognised in a process list. */
    static final String NAME = "warmpool-remote";

    /**
     * Stage 1, run by the remote login shell: runs stage 2 in a session and process group of its own
     * ({@code setsid}, from a child of this shell, so {@code setsid} never forks and stage 2's pid is the
     * group id) and waits for it, so the session ends with the worker's exit status.
     * {@code $1} is stage 2, the rest its arguments.
     */
    static final String STAGE1 = "s=$1; shift; if command -v setsid >/dev/null 2>&1; then"
            + " setsid /bin/sh -c \"$s\" " + NAME + " 1 \"$@\"; else /bin/sh -c \"$s\" " + NAME + " 0 \"$@\"; fi";

    /**
     * Ends the worker's escapees: sends the signal {@code $1} to every process whose environment holds
     * {@code WARMPOOL_REMOTE_WORKER=$t} (one {@code grep} over {@code /proc/[0-9]*}{@code /environ}), and
     * sets {@code n} to 1 if there was one. Where there is no {@code /proc/self/environ} (not Linux) it
     * finds nothing. Only fixed text and the token, 32 hex digits, reach the command.
     */
    static final String ESCAPEES = "x() { n=0; [ -r /proc/self/environ ] || return 0;"
            + " for f in $(grep -lsF \"" + RemoteLaunch.TOKEN_VARIABLE + "=$t\" /proc/[0-9]*/environ 2>/dev/null); do"
            + " q=${f#/proc/}; q=${q%/environ}; kill -s \"$1\" \"$q\" 2>/dev/null && n=1; done; };";

    /**
     * Stage 2, the group leader: {@code $1} whether it leads its own group (1/0), {@code $2} the grace in
     * tenths of a second, {@code $3} the worker's token, {@code $4} the working directory or empty, then
     * the environment as {@code NAME=value} words, a word {@code --}, the ready marker or empty, and the
     * worker's argv.
     *
     * <p>The worker's own process (a subshell) enters the directory, exports the token and the
     * variables ({@code export "$1"}: the value is never parsed again), and once {@code command -v} found
     * the program prints the ready marker and executes it, so the marker comes before anything the
     * program prints. After the exports it assigns no variable (one of the worker's could have that name)
     * and reads only positional parameters.
     *
     * <p>The worker reads a FIFO (made in a private directory and unlinked at once), which a {@code cat}
     * fills from the session's stdin. When that stdin ends (the pool closed the worker, or its JVM died and
     * with it the ssh client, and sshd closed the session) the watcher waits the grace for the worker to
     * exit, then sends SIGTERM to the whole group and to the worker's escapees ({@link #ESCAPEES}), waits the
     * grace again, then SIGKILL: so a worker that ignores end-of-file and SIGTERM is gone within twice the
     * grace. When the worker exits first, the leader sends SIGTERM to what is left of the group (the
     * watcher, and anything the worker started) and to the escapees, gives escapees still there the grace,
     * SIGKILLs them, and exits with the worker's status. The watcher's stdout and stderr are not the
     * session's, so it never keeps the session open.
     */
    static final String STAGE2 = "own=$1; g=$2; t=$3; shift 3; " + ESCAPEES
            + " d=$(mktemp -d \"${TMPDIR:-/tmp}/warmpool.XXXXXX\") || exit 125;"
            + " mkfifo \"$d/in\" || { rm -rf \"$d\"; exit 125; };"
            + " { if [ -n \"$1\" ]; then cd \"$1\" >/dev/null 2>&1 || { printf \"%s: cannot enter directory %s on %s\\n\" "
            + NAME + " \"$1\" \"$(hostname)\" >&2; exit 126; }; fi; shift;"
            + " export " + RemoteLaunch.TOKEN_VARIABLE + "=\"$t\";"
            + " while [ \"$1\" != -- ]; do export \"$1\" 2>/dev/null || { printf \"%s: cannot set environment variable %s on %s\\n\" "
            + NAME + " \"${1%%=*}\" \"$(hostname)\" >&2; exit 125; }; shift; done; shift;"
            + " command -v \"$2\" >/dev/null 2>&1 || { printf \"%s: %s: command not found on %s\\n\" " + NAME
            + " \"$2\" \"$(hostname)\" >&2; exit 127; };"
            + " if [ -n \"$1\" ]; then printf \"%s\\n\" \"$1\"; fi; shift; exec \"$@\"; } <\"$d/in\" & p=$!;"
            + " exec 4>\"$d/in\" 3<&0; rm -rf \"$d\";"
            + " if [ \"$own\" = 1 ]; then echo \"" + PGID_PREFIX + "$$ on $(hostname)\" >&2; fi;"
            + " ( trap \"\" HUP; cat <&3 >&4; exec 3<&- 4>&-;"
            + " i=0; while kill -0 $p 2>/dev/null && [ $i -lt $g ]; do sleep 0.1; i=$((i+1)); done;"
            + " trap \"\" TERM; kill -TERM 0 2>/dev/null; x TERM;"
            + " i=0; while { kill -0 $p 2>/dev/null || { x 0; [ $n = 1 ]; }; } && [ $i -lt $g ]; do sleep 0.1; i=$((i+1)); done;"
            + " x KILL; kill -KILL 0 ) </dev/null >/dev/null 2>&1 &"
            + " exec 3<&- 4>&-;"
            + " wait $p; s=$?; trap \"\" TERM; kill -TERM 0 2>/dev/null; x TERM;"
            + " i=0; while [ $n = 1 ] && [ $i -lt $g ]; do sleep 0.1; i=$((i+1)); x 0; done;"
            + " if [ $n = 1 ]; then x KILL; fi; exit $s";

    /**
     * Signals a remote worker over a second connection: SIGTERM to its process group and its escapees,
     * then SIGKILL if anything of either is left after the grace. {@code $1} the group id, {@code $2} the
     * grace in tenths of a second, {@code $3} the worker's token. Written {@code kill -s SIG -- -PGID}, the
     * one form dash, bash and busybox all read as a group.
     */
    static final String SIGNAL_GROUP = "t=$3; " + ESCAPEES + " kill -s TERM -- -$1 2>/dev/null; x TERM; i=0;"
            + " while kill -s 0 -- -$1 2>/dev/null || { x 0; [ $n = 1 ]; }; do if [ $i -ge $2 ]; then"
            + " kill -s KILL -- -$1 2>/dev/null; x KILL; exit 0; fi; sleep 0.1; i=$((i+1)); done";

    private RemoteScripts() {
    }

    /**
     * Builds the remote argv of one worker.
     *
     * @param readyMarker the line to print once the program runs, or "" for none
     * @param graceTenths the grace of the remote cleanup, in tenths of a second
     * @param launch the worker's directory, environment and token
     * @param argv the worker's argv
     * @return the argv to run on the remote host: {@code sh -c STAGE1 ...}
     */
    static List<String> wrap(String readyMarker, long graceTenths, RemoteLaunch launch, List<String> argv) {
        List<String> out = new ArrayList<>(List.of("sh", "-c", STAGE1, NAME, STAGE2, Long.toString(graceTenths),
                launch.token(), launch.directory().orElse("")));
        launch.environment().forEach((name, value) -> out.add(name + "=" + value));
        out.add("--");
        out.add(readyMarker);
        out.addAll(argv);
        return out;
    }

    /**
     * Builds the argv that ends a remote worker from a second connection.
     *
     * @param pgid the remote process group
     * @param graceTenths how long SIGTERM has before SIGKILL, in tenths of a second
     * @param token the worker's token, which its escapees carry
     * @return the argv that signals the group and the escapees on the remote host
     */
    static List<String> signalGroup(long pgid, long graceTenths, String token) {
        return List.of("sh", "-c", SIGNAL_GROUP, NAME, Long.toString(pgid), Long.toString(graceTenths), token);
    }

    /**
     * Quotes one word for a POSIX shell: inside single quotes, each {@code '} as {@code '\''}.
     *
     * @param word any text
     * @return the word as the remote shell will read it back
     */
    static String quote(String word) {
        if (!word.isEmpty() && word.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,@%+".indexOf(c) >= 0)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * @param argv words
     * @return one command line for the remote login shell, each word quoted
     */
    static String commandLine(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String w : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(quote(w));
        }
        return sb.toString();
    }
}
