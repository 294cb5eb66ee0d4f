package dev.warmpool.transport.hosts;

import java.util.List;

/**
 * The POSIX {@code sh} scripts that run on a remote host, passed as arguments of {@code sh -c}: nothing is
 * installed there. The scripts are constants; the worker's argv only ever reaches them as positional
 * parameters, never interpolated.
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
     * Stage 2, the group leader: {@code $1} whether it leads its own group (1/0), {@code $2} the ready
     * marker or empty, {@code $3} the grace in tenths of a second, then the worker's argv.
     *
     * <p>The ready marker is printed by the worker's own process just before it executes the program (which
     * {@code command -v} found), so it comes before anything the program prints.
     *
     * <p>The worker reads a FIFO (made in a private directory and unlinked at once), which a {@code cat}
     * fills from the session's stdin. When that stdin ends (the pool closed the worker, or its JVM died and
     * with it the ssh client, and sshd closed the session) the watcher waits the grace for the worker to
     * exit, then sends SIGTERM to the whole group, waits the grace again, then SIGKILL: so a worker that
     * ignores end-of-file and SIGTERM is gone within twice the grace. When the worker exits first, the
     * leader sends SIGTERM to what is left of the group (the watcher, and anything the worker started)
     * and exits with the worker's status. The watcher's stdout and stderr are not the session's, so it
     * never keeps the session open.
     */
    static final String STAGE2 = "own=$1; r=$2; g=$3; shift 3;"
            + " command -v \"$1\" >/dev/null 2>&1 || { echo \"" + NAME + ": $1: command not found on $(hostname)\" >&2; exit 127; };"
            + " d=$(mktemp -d \"${TMPDIR:-/tmp}/warmpool.XXXXXX\") || exit 125;"
            + " mkfifo \"$d/in\" || { rm -rf \"$d\"; exit 125; };"
            + " { if [ -n \"$r\" ]; then printf \"%s\\n\" \"$r\"; fi; exec \"$@\"; } <\"$d/in\" & p=$!;"
            + " exec 4>\"$d/in\" 3<&0; rm -rf \"$d\";"
            + " if [ \"$own\" = 1 ]; then echo \"" + PGID_PREFIX + "$$ on $(hostname)\" >&2; fi;"
            + " ( trap \"\" HUP; cat <&3 >&4; exec 3<&- 4>&-;"
            + " i=0; while kill -0 $p 2>/dev/null && [ $i -lt $g ]; do sleep 0.1; i=$((i+1)); done;"
            + " trap \"\" TERM; kill -TERM 0 2>/dev/null;"
            + " i=0; while kill -0 $p 2>/dev/null && [ $i -lt $g ]; do sleep 0.1; i=$((i+1)); done;"
            + " kill -KILL 0 ) </dev/null >/dev/null 2>&1 &"
            + " exec 3<&- 4>&-;"
            + " wait $p; s=$?; trap \"\" TERM; kill -TERM 0 2>/dev/null; exit $s";

    /**
     * Signals a remote process group over a second connection: SIGTERM, then SIGKILL if anything of the
     * group is left after the grace. {@code $1} the group id, {@code $2} the grace in tenths of a second.
     * Written {@code kill -s SIG -- -PGID}, the one form dash, bash and busybox all read as a group.
     */
    static final String SIGNAL_GROUP = "kill -s 0 -- -$1 2>/dev/null || exit 0; kill -s TERM -- -$1 2>/dev/null; i=0;"
            + " while kill -s 0 -- -$1 2>/dev/null; do if [ $i -ge $2 ]; then kill -s KILL -- -$1 2>/dev/null; exit 0; fi;"
            + " sleep 0.1; i=$((i+1)); done";

    private RemoteScripts() {
    }

    /**
     * @param readyMarker the line to print once the program runs, or "" for none
     * @param graceTenths the grace of the remote cleanup, in tenths of a second
     * @param argv the worker's argv
     * @return the argv to run on the remote host: {@code sh -c STAGE1 ...}
     */
    static List<String> wrap(String readyMarker, long graceTenths, List<String> argv) {
        List<String> out = new java.util.ArrayList<>(List.of("sh", "-c", STAGE1, NAME, STAGE2, readyMarker,
                Long.toString(graceTenths)));
        out.addAll(argv);
        return out;
    }

    /**
     * @param pgid the remote process group
     * @param graceTenths how long SIGTERM has before SIGKILL, in tenths of a second
     * @return the argv that signals the group on the remote host
     */
    static List<String> signalGroup(long pgid, long graceTenths) {
        return List.of("sh", "-c", SIGNAL_GROUP, NAME, Long.toString(pgid), Long.toString(graceTenths));
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
