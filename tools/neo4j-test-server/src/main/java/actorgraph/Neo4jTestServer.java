package actorgraph;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Starts an in-process Neo4j for actorgraph's tests: Bolt on a free loopback port, no HTTP,
 * auth off. Prints one line {@code BOLT_URI=bolt://127.0.0.1:PORT} when ready and stops when
 * standard input closes or on SIGTERM. An optional first argument names the working directory.
 */
public final class Neo4jTestServer {
    private Neo4jTestServer() {}

    public static void main(String[] args) throws Exception {
        Path workDir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("actorgraph-neo4j-");
        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(workDir)
                .withDisabledServer()
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", 0))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread stop = new Thread(() -> {
            neo4j.close();
            stopped.countDown();
        }, "neo4j-test-server-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        System.out.println("BOLT_URI=" + neo4j.boltURI());
        System.out.flush();
        waitForStdinToClose(System.in);
        System.exit(0); // runs the shutdown hook, which closes Neo4j
    }

    private static void waitForStdinToClose(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the tests never write; reading only tells us when the parent goes away
            }
        } catch (IOException ignored) {
            // a broken pipe means the parent is gone: stop
        }
    }
}
