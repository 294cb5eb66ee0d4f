/**
 * The {@code warmpool} command, built with picocli.
 *
 * <p>{@link dev.warmpool.cli.Main} is the entry point; its subcommands are {@code run} (answer JSON
 * lines from stdin through a warm pool of any worker program), {@code bench} (a process per request
 * against the warm pool, for the user's own program) and {@code demo} (the event-listener scenario
 * with the handler workers of {@link dev.warmpool.cli.demo}). Everything a program reads goes to
 * stdout (answers, the bench table or its JSON); everything a person reads while it runs goes to
 * stderr (the summary, progress, logs). Exit status: 0 when every request succeeded, 1 when one
 * failed or the pool could not start, 2 for bad arguments or a bad {@code HANDLER_POOL_*} variable.
 */
package dev.warmpool.cli;
