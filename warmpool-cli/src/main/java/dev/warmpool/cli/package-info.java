/**
 * The {@code warmpool} command, built with picocli.
 *
 * <p>{@link dev.warmpool.cli.Main} is the entry point; its subcommands are {@code run} (answer JSON
 * lines from stdin through a warm pool of any worker program), {@code bench} (a process per request
 * against the warm pool, for the user's own program) and {@code demo} (the event-listener scenario
 * with the handler workers of {@code dev.warmpool.cli.demo}). Everything a program reads goes to
 * stdout (answers, the bench table or its JSON); everything a person reads while it runs goes to
 * stderr (the summary, progress, logs). Exit status: 0 when every request succeeded, 1 when one
 * failed or the pool could not start, 2 for bad arguments or a bad {@code HANDLER_POOL_*} variable,
 * 128 plus the signal's number after SIGINT or SIGTERM.
 *
 * <p>{@code run} keeps its threads apart so that no one of them can stall the others: one reads the
 * input ({@code InputLines}), sender threads hand requests to the pool
 * ({@code Submitter}), one writes the answers ({@code Answers}),
 * and the {@code Ledger} makes sure every request is answered exactly once, by
 * whoever answers first. Its optional HTTP endpoint ({@code MetricsServer}) serves
 * Prometheus metrics and a health check, for {@code run} and {@code listen};
 * {@code bench --plot} draws with {@link dev.warmpool.cli.plot.LatencyPlot}, the one package the
 * module exports. The command's reference is {@code docs/command.md}.
 */
package dev.warmpool.cli;
