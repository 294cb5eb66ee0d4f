package dev.warmpool.cli.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * A latency percentile distribution as a self-contained SVG, the chart of {@code warmpool bench
 * --plot} and of the benchmarks' quick mode: one chart, a line per series (cold and warm, say), percentile on the x axis on a "nines" scale (0, 90, 99, 99.9,
 * 99.99 % equally spaced: x = -log10(1 - p/100)), latency on a log y axis, and a caption with the
 * ratio and the machine. Plain SVG 1.1 with no script, no external font or stylesheet, so a
 * browser, an image viewer, {@code rsvg-convert} or a GitHub page shows it as it is.
 *
 * <p>Each series has {@link #POINTS} points, evenly spaced on the nines axis from 0 to 99.99 %;
 * a series with few samples repeats its largest value toward the right (what those percentiles
 * are). Each {@code polyline} of a series carries its name in a {@code data-series} attribute, so
 * a test or a script can read the series back from the XML. Stateless and thread-safe.
 */
public final class LatencyPlot {
    /** Points per series, from percentile 0 to 99.99 evenly on the nines axis (one per tenth of a nine). */
    public static final int POINTS = 41;
    /** The largest nines value: 4 is 99.99 %. */
    public static final double MAX_NINES = 4;
    /** The width of the picture, in SVG user units (pixels when rendered at 1x). */
    public static final int WIDTH = 860;
    /** The height of the picture, in SVG user units. */
    public static final int HEIGHT = 540;

    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 56;
    private static final int BOTTOM = 130;
    /** Latencies below a microsecond are drawn at a microsecond: a log axis has no zero. */
    private static final double FLOOR_MS = 0.001;

    /**
     * One line of the chart.
     *
     * @param name its name in the legend and the {@code data-series} attribute
     * @param color an SVG color
     * @param samples how many latencies it summarizes
     * @param millis the latency at each of {@link #percentiles()}, in milliseconds
     */
    public record Series(String name, String color, long samples, List<Double> millis) {
        /**
         * Checks the number of values and copies them.
         *
         * @throws IllegalArgumentException if there are not {@link #POINTS} values
         */
        public Series {
            millis = List.copyOf(millis);
            if (millis.size() != POINTS) {
                throw new IllegalArgumentException("a series has " + millis.size() + " values, but must have one "
                        + "for each of the " + POINTS + " percentiles of LatencyPlot.percentiles()");
            }
        }

        /**
         * Reads a series off a latency distribution at {@link #percentiles()}.
         *
         * @param name its name
         * @param color its color
         * @param samples how many latencies the distribution holds
         * @param millisAt the latency at a percentile (0 to 100), in milliseconds
         * @return the series
         */
        public static Series of(String name, String color, long samples, DoubleUnaryOperator millisAt) {
            List<Double> ms = new ArrayList<>();
            for (double p : percentiles()) {
                ms.add(millisAt.applyAsDouble(p));
            }
            return new Series(name, color, samples, ms);
        }
    }

    private LatencyPlot() {
    }

    /**
     * Tells where each series is drawn.
     *
     * @return the percentiles each series is drawn at, 0 to 99.99, evenly spaced on the nines axis
     */
    public static double[] percentiles() {
        double[] p = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            p[i] = 100 * (1 - Math.pow(10, -MAX_NINES * i / (POINTS - 1)));
        }
        p[POINTS - 1] = 99.99; // exactly, not 99.99000000000001
        return p;
    }

    /**
     * Draws the chart.
     *
     * @param title the heading
     * @param series the lines
     * @param caption lines under the chart (the ratio, the machine)
     * @return the SVG document
     */
    public static String svg(String title, List<Series> series, List<String> caption) {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Series s : series) {
            for (double v : s.millis()) {
                lo = Math.min(lo, Math.max(v, FLOOR_MS));
                hi = Math.max(hi, Math.max(v, FLOOR_MS));
            }
        }
        if (series.isEmpty()) {
            lo = 1;
            hi = 10;
        }
        int minDecade = (int) Math.floor(Math.log10(lo));
        int maxDecade = (int) Math.ceil(Math.log10(hi));
        if (maxDecade <= minDecade) {
            maxDecade = minDecade + 1;
        }
        Axes axes = new Axes(minDecade, maxDecade);
        StringBuilder b = new StringBuilder(16_384);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
                + "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
                + "font-size=\"13\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        b.append("<title>").append(escape(title)).append("</title>\n");
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(b, WIDTH / 2.0, 28, "middle", "font-size=\"16\" font-weight=\"bold\"", title);
        grid(b, axes);
        for (Series s : series) {
            line(b, axes, s);
        }
        legend(b, series);
        double y = TOP + axes.height() + 62;
        for (String c : caption) {
            text(b, LEFT, y, "start", "fill=\"#333\"", c);
            y += 18;
        }
        b.append("</svg>\n");
        return b.toString();
    }

    /** The plot area and the mapping of values to it. */
    private record Axes(int minDecade, int maxDecade) {
        double width() {
            return WIDTH - LEFT - RIGHT;
        }

        double height() {
            return HEIGHT - TOP - BOTTOM;
        }

        double x(double nines) {
            return LEFT + nines / MAX_NINES * width();
        }

        double y(double millis) {
            double v = Math.log10(Math.max(millis, FLOOR_MS));
            return TOP + height() - (v - minDecade) / (maxDecade - minDecade) * height();
        }
    }

    private static void grid(StringBuilder b, Axes a) {
        b.append("<g stroke=\"#ddd\" stroke-width=\"1\">\n");
        for (int d = a.minDecade(); d <= a.maxDecade(); d++) {
            double y = a.y(Math.pow(10, d));
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>%n",
                    (double) LEFT, y, LEFT + a.width(), y));
        }
        for (double[] tick : xTicks()) {
            double x = a.x(tick[0]);
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\"/>%n",
                    x, TOP, x, TOP + a.height()));
        }
        b.append("</g>\n");
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                + "stroke=\"#888\"/>%n", LEFT, TOP, a.width(), a.height()));
        for (int d = a.minDecade(); d <= a.maxDecade(); d++) {
            text(b, LEFT - 8, a.y(Math.pow(10, d)) + 4, "end", "", millisLabel(d));
        }
        for (double[] tick : xTicks()) {
            text(b, a.x(tick[0]), TOP + a.height() + 18, "middle", "", percentLabel(tick[1]));
        }
        text(b, LEFT + a.width() / 2, TOP + a.height() + 38, "middle", "fill=\"#333\"",
                "percentile (log scale of nines: each step right is ten times rarer)");
        b.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#333\" "
                + "transform=\"rotate(-90 18 %.1f)\">latency (log scale)</text>%n",
                TOP + a.height() / 2, TOP + a.height() / 2));
    }

    /** @return {nines, percentile} of each labelled x tick */
    private static double[][] xTicks() {
        return new double[][] {{0, 0}, {Math.log10(2), 50}, {1, 90}, {2, 99}, {3, 99.9}, {4, 99.99}};
    }

    private static void line(StringBuilder b, Axes a, Series s) {
        double[] p = percentiles();
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < p.length; i++) {
            points.append(String.format(Locale.ROOT, "%s%.2f,%.2f", i == 0 ? "" : " ",
                    a.x(-Math.log10(1 - p[i] / 100)), a.y(s.millis().get(i))));
        }
        b.append("<polyline class=\"series\" data-series=\"").append(escape(s.name())).append("\" fill=\"none\" stroke=\"")
                .append(escape(s.color())).append("\" stroke-width=\"2.5\" stroke-linejoin=\"round\" points=\"")
                .append(points).append("\"/>\n");
    }

    private static void legend(StringBuilder b, List<Series> series) {
        double y = TOP + 22;
        for (Series s : series) {
            double x = LEFT + 16;
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                    + "stroke-width=\"3\"/>%n", x, y - 4, x + 26, y - 4, escape(s.color())));
            text(b, x + 34, y, "start", "", s.name() + " (" + s.samples() + " requests)");
            y += 20;
        }
    }

    private static String millisLabel(int decade) {
        if (decade >= 3) {
            return String.format(Locale.ROOT, "%.0f s", Math.pow(10, decade - 3));
        }
        if (decade >= 0) {
            return String.format(Locale.ROOT, "%.0f ms", Math.pow(10, decade));
        }
        if (decade >= -3) {
            return String.format(Locale.ROOT, "%.0f µs", Math.pow(10, decade + 3));
        }
        return String.format(Locale.ROOT, "1e%d ms", decade);
    }

    private static String percentLabel(double p) {
        return (p == Math.rint(p) ? String.format(Locale.ROOT, "%.0f", p) : String.valueOf(p)) + "%";
    }

    private static void text(StringBuilder b, double x, double y, String anchor, String attributes, String content) {
        b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>", x, y, anchor,
                attributes.isEmpty() ? "" : " " + attributes));
        b.append(escape(content)).append("</text>\n");
    }

    /** Escapes text for XML content and attribute values, dropping characters XML 1.0 cannot hold. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000) {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }
}
