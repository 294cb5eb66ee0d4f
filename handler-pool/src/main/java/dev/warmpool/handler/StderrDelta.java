package dev.warmpool.handler;

import java.util.List;

/**
 * Finds the lines a worker wrote to stderr between two snapshots of its bounded stderr tail.
 *
 * <p>A tail is a window on the worker's stderr: the snapshot taken later ends with the new lines,
 * and, while the window is not full, starts with the earlier snapshot. Once it is full, old lines
 * leave at the front: the new lines are what follows the longest run at the front of the later
 * snapshot that ends the earlier one. Lines that repeat exactly can make that run look longer than
 * it was, so repeated lines may be missed, never invented; a turn that wrote more lines than the
 * window holds yields the window.
 */
final class StderrDelta {
    private StderrDelta() {
    }

    /**
     * @param before the tail when the event was handed to the worker
     * @param after the tail when its result came
     * @return the lines written in between, oldest first
     */
    static List<String> since(List<String> before, List<String> after) {
        for (int overlap = Math.min(before.size(), after.size()); overlap > 0; overlap--) {
            if (after.subList(0, overlap).equals(before.subList(before.size() - overlap, before.size()))) {
                return List.copyOf(after.subList(overlap, after.size()));
            }
        }
        return List.copyOf(after);
    }
}
