package actorgraph;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Starts an in-process Neo4j 5 for actorgraph's tests: Bolt on a free loopback port, no HTTP,
 * auth off. Prints exactly one line {@code BOLT_URI=bolt://127.0.0.1:PORT} on standard output
 * when ready and stops when standard input closes or on SIGTERM (a shutdown hook).
 *
 * <p>Arguments: {@code [WORKDIR] [--auth] [--copy-from DIR]}. WORKDIR holds the database and its
 * logs (a fresh temporary directory by default); {@code --auth} turns authentication on, leaving
 * the built-in user {@code neo4j} with its initial, expired password, so tests can see a wrong
 * password refused by a real server; {@code --copy-from} starts from a copy of an earlier
 * server's folder (a subdirectory of its WORKDIR), so tests can restart a killed server and see
 * what it recovers. {@code --pagecache-mb N} sets the page cache (64 MB by default: test-sized;
 * the benchmarks give it more, with a larger Java heap). {@code --tx-memory-mb N} caps the memory of
 * all transactions together ({@code db.memory.transaction.total.max}, unlimited by default), as
 * docker-compose.yml does with 768 MB, so benchmarks can prove a build fits a stock server.
 *
 * <p>Bolt advertises the port it listens on, so a {@code neo4j://} (routing) URI works: a single
 * instance answers routing requests with its advertised address.
 */
public final class Neo4jTestServer {
    private Neo4jTestServer() {}

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        boolean auth = false;
        Path copyFrom = null;
        long pageCacheMb = 64;
        long txMemoryMb = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--auth")) {
                auth = true;
            } else if (args[i].equals("--copy-from") && i + 1 < args.length) {
                copyFrom = Path.of(args[++i]);
            } else if (args[i].equals("--pagecache-mb") && i + 1 < args.length) {
                pageCacheMb = Long.parseLong(args[++i]);
            } else if (args[i].equals("--tx-memory-mb") && i + 1 < args.length) {
                txMemoryMb = Long.parseLong(args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        Path workDir = positional.isEmpty()
                ? Files.createTempDirectory("actorgraph-neo4j-")
                : Path.of(positional.get(0));
        var builder = Neo4jBuilders.newInProcessBuilder(workDir);
        if (copyFrom != null) {
            builder = builder.copyFrom(copyFrom);
        }
        if (txMemoryMb > 0) {
            builder = builder.withConfig(GraphDatabaseSettings.memory_transaction_global_max_size, txMemoryMb * 1024 * 1024);
        }
        int port = freePort();
        Neo4j neo4j = builder.withDisabledServer()
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .withConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .withConfig(GraphDatabaseSettings.auth_enabled, auth)
                // test-sized memory: the machine's RAM is not ours
                .withConfig(GraphDatabaseSettings.pagecache_memory, pageCacheMb * 1024 * 1024)
                // stop in well under a second instead of Netty's default quiet period of seconds
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(neo4j::close, "neo4j-test-server-stop"));
        URI bolt = neo4j.boltURI();
        System.out.println("BOLT_URI=bolt://" + bolt.getHost() + ":" + bolt.getPort());
        System.out.flush();
        waitForStdinToClose(System.in);
        System.exit(0); // runs the shutdown hook, which closes Neo4j
    }

    /** A loopback port free now (asked of the OS), so Bolt can advertise the port it listens on. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void waitForStdinToClose(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // nobody writes here; reading only tells us when the parent goes away
            }
        } catch (IOException ignored) {
            // a broken pipe means the parent is gone: stop
        }
    }
}
