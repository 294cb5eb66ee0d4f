package dev.warmpool.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The chart of {@code bench --plot} and the quick benchmarks: valid SVG, the right series and points,
 * and it renders. {@link #series} reads a chart's series back for the tests of those who draw it.
 */
public class LatencyPlotTest {
    /** The rendered colors of the two series. */
    private static final int COLD = 0xd62728;
    private static final int WARM = 0x1f77b4;

    /**
     * One series of the chart as the SVG has it.
     *
     * @param name its data-series name
     * @param points its points, x and y in SVG coordinates
     */
    public record Line(String name, List<double[]> points) {
    }

    /** @return latencies spread evenly from {@code fromMillis} at percentile 0 to {@code toMillis} at 100 */
    private static LatencyPlot.Series evenly(String name, String color, double fromMillis, double toMillis, long n) {
        return LatencyPlot.Series.of(name, color, n, p -> fromMillis + (toMillis - fromMillis) * p / 100);
    }

    private static String chart() {
        return LatencyPlot.svg("warmpool bench: cat <&> (line)",
                List.of(evenly("cold", "#d62728", 80, 400, 30), evenly("warm", "#1f77b4", 0.04, 2, 1000)),
                List.of("cold / warm latency: p50 100x", "Machine: 2 cores"));
    }

    /**
     * Parses an SVG as XML (no DTDs, no external entities) and returns its series.
     *
     * @param svg the document
     * @return its polylines, by their data-series names, in document order
     * @throws Exception if it is not XML
     */
    public static List<Line> series(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getNamespaceURI());
        NodeList polylines = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < polylines.getLength(); i++) {
            Element e = (Element) polylines.item(i);
            List<double[]> points = new ArrayList<>();
            for (String p : e.getAttribute("points").trim().split("\\s+")) {
                String[] xy = p.split(",");
                points.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
            }
            lines.add(new Line(e.getAttribute("data-series"), points));
        }
        return lines;
    }

    @Test
    void percentilesRunFromZeroToFourNinesEvenlyOnTheNinesAxis() {
        double[] p = LatencyPlot.percentiles();

        assertEquals(LatencyPlot.POINTS, p.length);
        assertEquals(0, p[0]);
        assertEquals(90, p[10], 1e-9);
        assertEquals(99, p[20], 1e-9);
        assertEquals(99.9, p[30], 1e-9);
        assertEquals(99.99, p[40]);
    }

    @Test
    void theSvgIsXmlWithBothSeriesAtEveryPercentileColdAboveWarm() throws Exception {
        String svg = chart();

        List<Line> lines = series(svg);

        assertEquals(List.of("cold", "warm"), lines.stream().map(Line::name).toList());
        Line cold = lines.get(0);
        Line warm = lines.get(1);
        for (Line l : lines) {
            assertEquals(LatencyPlot.POINTS, l.points().size(), l.name());
            for (int i = 1; i < l.points().size(); i++) {
                double[] before = l.points().get(i - 1);
                double[] at = l.points().get(i);
                assertTrue(at[0] > before[0], "percentiles go right");
                assertTrue(at[1] <= before[1], "a higher percentile is no faster (up is slower): " + l.name() + " " + i);
                assertTrue(at[0] >= 0 && at[0] <= LatencyPlot.WIDTH && at[1] >= 0 && at[1] <= LatencyPlot.HEIGHT,
                        "inside the picture");
            }
        }
        for (int i = 0; i < LatencyPlot.POINTS; i++) {
            assertTrue(cold.points().get(i)[1] < warm.points().get(i)[1], "cold is slower at every percentile: " + i);
        }
        assertTrue(svg.contains("cat &lt;&amp;&gt; (line)"), "text is escaped");
        assertTrue(svg.contains(">cold / warm latency: p50 100x<") && svg.contains(">Machine: 2 cores<"), "the caption");
        assertTrue(svg.contains("(30 requests)") && svg.contains("(1000 requests)"), "the legend counts the samples");
        assertTrue(svg.contains(">99.99%<") && svg.contains(">90%<"), "the nines are labelled");
    }

    @Test
    void itRendersToAPngOfItsSizeWithBothLinesDrawn(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(rsvgConvert(), "rsvg-convert is not installed (Debian package librsvg2-bin); "
                + "the chart was checked as XML but not rendered");
        Path svg = dir.resolve("chart.svg");
        Path png = dir.resolve("chart.png");
        Files.writeString(svg, chart());

        Process p = new ProcessBuilder("rsvg-convert", "-o", png.toString(), svg.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);

        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(LatencyPlot.WIDTH, image.getWidth());
        assertEquals(LatencyPlot.HEIGHT, image.getHeight());
        assertTrue(pixels(image, COLD) > 500, "the cold line is drawn");
        assertTrue(pixels(image, WARM) > 500, "the warm line is drawn");
    }

    private static int pixels(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean rsvgConvert() {
        try {
            Process p = new ProcessBuilder("rsvg-convert", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void aSeriesWithoutAValueForEachPercentileIsRejectedSayingHowMany() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LatencyPlot.Series("short", "red", 3, List.of(1.0, 2.0, 3.0)));
        assertEquals("a series has 3 values, but must have one for each of the 41 percentiles of "
                + "LatencyPlot.percentiles()", e.getMessage());
    }
}
