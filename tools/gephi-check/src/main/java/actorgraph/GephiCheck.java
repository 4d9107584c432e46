package actorgraph;

import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.gephi.graph.api.Column;
import org.gephi.graph.api.Edge;
import org.gephi.graph.api.Graph;
import org.gephi.graph.api.GraphController;
import org.gephi.graph.api.GraphModel;
import org.gephi.graph.api.Node;
import org.gephi.io.importer.api.Container;
import org.gephi.io.importer.api.ImportController;
import org.gephi.io.importer.api.Issue;
import org.gephi.io.processor.plugin.DefaultProcessor;
import org.gephi.project.api.ProjectController;
import org.gephi.project.api.Workspace;
import org.openide.util.Lookup;

/**
 * Loads a GraphML or GEXF file the way Gephi 0.10 does (its own importers, default import
 * settings, the default processor into a new workspace) and prints, as one JSON object on
 * standard output, what Gephi kept: node and edge counts, every edge with its end points, type
 * label and attributes, the node and edge columns with their types and whether they are dynamic,
 * the time representation, and the import report's issues. The tests compare that with the
 * graph actorgraph exported.
 *
 * <p>Usage: {@code java -cp ... actorgraph.GephiCheck FILE}. Exit status 2 when Gephi cannot
 * read the file at all.
 */
public final class GephiCheck {
    private GephiCheck() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: GephiCheck FILE.graphml|FILE.gexf");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        ProjectController projects = Lookup.getDefault().lookup(ProjectController.class);
        projects.newProject();
        Workspace workspace = projects.getCurrentWorkspace();
        ImportController importer = Lookup.getDefault().lookup(ImportController.class);
        Container container = importer.importFile(new File(args[0]));
        if (container == null) {
            System.err.println("Gephi could not read " + args[0]);
            System.exit(2);
        }
        List<String> issues = new ArrayList<>();
        Iterator<Issue> found = container.getReport().getIssues(100000);
        while (found.hasNext()) {
            Issue issue = found.next();
            issues.add(issue.getLevel() + ": " + issue.getMessage());
        }
        importer.process(container, new DefaultProcessor(), workspace);
        GraphModel model = Lookup.getDefault().lookup(GraphController.class).getGraphModel(workspace);
        Graph graph = model.getGraph();

        StringBuilder out = new StringBuilder("{");
        out.append("\"nodes\":").append(graph.getNodeCount());
        out.append(",\"edges\":").append(graph.getEdgeCount());
        out.append(",\"directed\":").append(model.isDirected());
        out.append(",\"dynamic\":").append(model.isDynamic());
        out.append(",\"time_representation\":").append(json(String.valueOf(model.getConfiguration().getTimeRepresentation())));
        out.append(",\"node_columns\":").append(columns(model.getNodeTable()));
        out.append(",\"edge_columns\":").append(columns(model.getEdgeTable()));
        out.append(",\"issues\":[");
        for (int i = 0; i < issues.size(); i++) {
            out.append(i == 0 ? "" : ",").append(json(issues.get(i)));
        }
        out.append("],\"node_list\":[");
        boolean first = true;
        for (Node node : graph.getNodes()) {
            out.append(first ? "" : ",").append("{\"id\":").append(json(String.valueOf(node.getId())));
            out.append(",\"label\":").append(json(node.getLabel()));
            out.append(",\"intervals\":").append(intervals(node, model.isDynamic()));
            out.append(",\"attributes\":").append(attributes(node, model.getNodeTable())).append("}");
            first = false;
        }
        out.append("],\"edge_list\":[");
        first = true;
        for (Edge edge : graph.getEdges()) {
            out.append(first ? "" : ",").append("{\"id\":").append(json(String.valueOf(edge.getId())));
            out.append(",\"source\":").append(json(String.valueOf(edge.getSource().getId())));
            out.append(",\"target\":").append(json(String.valueOf(edge.getTarget().getId())));
            out.append(",\"kind\":").append(json(String.valueOf(edge.getTypeLabel())));
            out.append(",\"label\":").append(json(edge.getLabel()));
            out.append(",\"directed\":").append(edge.isDirected());
            out.append(",\"intervals\":").append(intervals(edge, model.isDynamic()));
            out.append(",\"attributes\":").append(attributes(edge, model.getEdgeTable())).append("}");
            first = false;
        }
        out.append("]}");
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        stdout.println(out);
        stdout.flush();
        System.exit(0); // Gephi's module system leaves threads running
    }

    private static String columns(org.gephi.graph.api.Table table) {
        StringBuilder out = new StringBuilder("[");
        boolean first = true;
        for (Column column : table) {
            out.append(first ? "" : ",").append("{\"id\":").append(json(column.getId()));
            out.append(",\"title\":").append(json(column.getTitle()));
            out.append(",\"type\":").append(json(column.getTypeClass().getSimpleName()));
            out.append(",\"dynamic\":").append(column.isDynamic()).append("}");
            first = false;
        }
        return out.append("]").toString();
    }

    private static String attributes(org.gephi.graph.api.Element element, org.gephi.graph.api.Table table) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Column column : table) {
            if (column.isProperty()) {
                continue; // id, label, weight, timeset: reported on their own
            }
            Object value = element.getAttribute(column);
            if (value == null) {
                continue;
            }
            out.append(first ? "" : ",").append(json(column.getTitle())).append(":");
            if (value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else {
                out.append(json(value.toString()));
            }
            first = false;
        }
        return out.append("}").toString();
    }

    /** The element's time intervals as ISO dates (UTC), `[]` on a static graph. */
    private static String intervals(org.gephi.graph.api.Element element, boolean dynamic) {
        StringBuilder out = new StringBuilder("[");
        if (dynamic) {
            boolean first = true;
            for (org.gephi.graph.api.Interval interval : element.getIntervals()) {
                out.append(first ? "" : ",").append("[").append(json(day(interval.getLow())));
                out.append(",").append(json(day(interval.getHigh()))).append("]");
                first = false;
            }
        }
        return out.append("]").toString();
    }

    private static String day(double millis) {
        if (Double.isInfinite(millis)) {
            return null;
        }
        return java.time.Instant.ofEpochMilli((long) millis).atZone(java.time.ZoneOffset.UTC).toLocalDate().toString();
    }

    private static String json(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append("\"").toString();
    }
}
