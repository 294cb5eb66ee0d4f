package dev.warmpool.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.cli.plot.LatencyPlot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.util.ListStatistics;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The quick mode's latency chart: written beside the results, SVG that parses, the run's series and ratios. */
class QuickPlotTest {
    private static final String SVG = "http://www.w3.org/2000/svg";

    /** @return {@code n} samples spread evenly from {@code from} to {@code to}, in the benchmark's unit */
    private static ListStatistics samples(double from, double to, int n) {
        ListStatistics s = new ListStatistics();
        for (int i = 0; i < n; i++) {
            s.addValue(from + (to - from) * i / (n - 1));
        }
        return s;
    }

    private static List<QuickPlot.Line> run() {
        return List.of(
                new QuickPlot.Line("cold: a JVM worker per request", "#d62728", samples(300, 400, 11), 1), // ms/op
                new QuickPlot.Line("warm: jsonrpc pool, 1 worker", "#1f77b4", samples(30, 130, 1001), 1e-3), // us/op
                new QuickPlot.Line("floor: the same worker over a bare pipe, no pool", "#7f7f7f",
                        samples(20, 100, 1001), 1e-3));
    }

    @Test
    void theChartIsWrittenBesideTheResultsAsSvgWithTheRunsSeriesRatiosAndMachine(@TempDir Path dir) throws Exception {
        Path file = QuickPlot.write(dir.resolve("out"), "warmpool quick benchmark", run(),
                List.of("Quick mode, one JMH fork per benchmark.", "Machine: JDK 25, 2 CPUs."));

        assertEquals(dir.resolve("out").resolve("latency.svg"), file);
        Document doc = parse(Files.readString(file));
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        NodeList polylines = doc.getElementsByTagNameNS(SVG, "polyline");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < polylines.getLength(); i++) {
            Element e = (Element) polylines.item(i);
            names.add(e.getAttribute("data-series"));
            assertEquals(LatencyPlot.POINTS, e.getAttribute("points").trim().split("\\s+").length, names.toString());
        }
        assertEquals(List.of("cold: a JVM worker per request", "warm: jsonrpc pool, 1 worker",
                "floor: the same worker over a bare pipe, no pool"), names);
        List<String> texts = new ArrayList<>();
        NodeList t = doc.getElementsByTagNameNS(SVG, "text");
        for (int i = 0; i < t.getLength(); i++) {
            texts.add(t.item(i).getTextContent());
        }
        // the medians of evenly spread samples: cold 350 ms, warm 80 µs, floor 60 µs
        List<QuickPlot.Line> lines = run();
        String p90 = String.format(java.util.Locale.ROOT, "%,.0fx",
                lines.get(0).samples().getPercentile(90) / (lines.get(1).samples().getPercentile(90) * 1e-3));
        assertTrue(texts.stream().anyMatch(x -> x.startsWith("cold / warm latency: p50 4,375x, p90 " + p90 + ", p99 ")),
                texts.toString());
        assertTrue(texts.stream().anyMatch(x -> x.endsWith("; warm / floor p50 1.33x")), texts.toString());
        assertTrue(texts.contains("p50: cold 350.0 ms, warm 80.0 µs, floor 60.0 µs"), texts.toString());
        assertTrue(texts.contains("Machine: JDK 25, 2 CPUs."), texts.toString());
        assertTrue(texts.contains("cold: a JVM worker per request (11 requests)"), "the legend: " + texts);
    }

    @Test
    void aRunWithoutItsColdBenchmarkSaysTheRatioWasNotMeasured(@TempDir Path dir) throws Exception {
        Path file = QuickPlot.write(dir, "warmpool quick benchmark", run().subList(1, 3), List.of());
        assertTrue(Files.readString(file).contains(">cold / warm latency: not measured in this run<"));
        assertEquals(2, parse(Files.readString(file)).getElementsByTagNameNS(SVG, "polyline").getLength());
    }

    @Test
    void scoreUnitsAreReadAsMillisecondsAndANonTimeUnitIsRejected() {
        assertEquals(1e-3, QuickPlot.millisPerUnit("us/op"));
        assertEquals(1, QuickPlot.millisPerUnit("ms/op"));
        assertEquals(1e3, QuickPlot.millisPerUnit("s/op"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuickPlot.millisPerUnit("ops/s"));
        assertEquals("score unit 'ops/s' is not a time per operation", e.getMessage());
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(svg.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
    }
}
