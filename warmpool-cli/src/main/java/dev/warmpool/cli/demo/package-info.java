/**
 * The handler worker of {@code warmpool demo}: a small Java program, written with warmpool's worker
 * SDK ({@link dev.warmpool.worker.WorkerServer}), that answers
 * {@code execute_handler} — run the handler named {@code handler_name} on {@code event} and answer
 * {@code {"success":..,"output":..,"stderr":..}} — the way the original event listener's handler
 * CLI does for one event per process. It is started as
 * {@code java -cp warmpool.jar dev.warmpool.cli.demo.HandlerWorker}, once per event (cold) or once
 * per pool slot (warm); the handlers are the same either way, so the difference the demo shows is
 * the cost of starting a process alone.
 */
package dev.warmpool.cli.demo;
