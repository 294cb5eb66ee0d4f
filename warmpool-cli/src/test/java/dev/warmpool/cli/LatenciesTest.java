package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warmpool.cli.plot.LatencyPlot;
import org.junit.jupiter.api.Test;

/** The bench chart's caption line and series, read off recorded latencies. */
class LatenciesTest {
    private static Latencies every(long nanos, int n) {
        Latencies l = new Latencies();
        for (int i = 0; i < n; i++) {
            l.record(nanos);
        }
        return l;
    }

    @Test
    void theRatioLineGivesColdOverWarmAtP50P90AndP99WithBothMedians() {
        assertEquals("cold / warm latency: p50 400x, p90 400x, p99 400x (cold p50 80.0 ms, warm p50 0.200 ms)",
                Latencies.ratioLine(every(80_000_000L, 10), every(200_000L, 10)));
    }

    @Test
    void theSeriesHasTheLatencyAtEachPercentileOfTheChartInMilliseconds() {
        LatencyPlot.Series s = every(3_000_000L, 7).series("warm", "#1f77b4");
        assertEquals(7, s.samples());
        assertEquals(LatencyPlot.POINTS, s.millis().size());
        s.millis().forEach(ms -> assertEquals(3.0, ms, 0.01));
    }
}
