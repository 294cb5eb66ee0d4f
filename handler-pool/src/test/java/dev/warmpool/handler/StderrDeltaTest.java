package dev.warmpool.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StderrDeltaTest {
    @Test
    void whileTheWindowIsNotFullTheNewLinesAreWhatFollowsTheEarlierSnapshot() {
        assertEquals(List.of("c", "d"), StderrDelta.since(List.of("a", "b"), List.of("a", "b", "c", "d")));
        assertEquals(List.of("a"), StderrDelta.since(List.of(), List.of("a")));
    }

    @Test
    void nothingWrittenIsNothing() {
        assertEquals(List.of(), StderrDelta.since(List.of("a", "b"), List.of("a", "b")));
        assertEquals(List.of(), StderrDelta.since(List.of(), List.of()));
    }

    @Test
    void onceTheWindowSlidesTheOverlapIsFoundAtItsFront() {
        assertEquals(List.of("d", "e"), StderrDelta.since(List.of("a", "b", "c"), List.of("c", "d", "e")));
    }

    @Test
    void aTurnThatWroteMoreThanTheWindowYieldsTheWindow() {
        assertEquals(List.of("f", "g", "h"), StderrDelta.since(List.of("a", "b", "c"), List.of("f", "g", "h")));
    }

    @Test
    void repeatedLinesMayBeMissedButNeverInvented() {
        // a window of 3; the turn wrote one more "x": the longest overlap takes it for an old line
        assertEquals(List.of(), StderrDelta.since(List.of("x", "x", "x"), List.of("x", "x", "x")));
        // the turn wrote "x" then "y": the repeated line is lost, the other is found
        assertEquals(List.of("y"), StderrDelta.since(List.of("a", "x", "x"), List.of("x", "x", "y")));
    }
}
