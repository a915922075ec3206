package io.traefikha.node;

import io.traefikha.domain.FileEntry;
import io.traefikha.sync.FileTree;
import io.traefikha.sync.PushResult;
import io.traefikha.sync.SyncWrite;
import io.traefikha.sync.TreeDiff;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes the secondary's tree equal to the primary's through the operator's own sessions. Files the primary no longer
 * has are deleted first (a file in the way of a directory goes before the copies). A file streams from a channel on the
 * primary ({@code cat}) into a channel on the secondary (temporary file, hash check, then rename: Traefik's watcher
 * never reads a half-written file) through one small buffer, so a file larger than the operator's heap passes; the
 * secondary first checks its free space, so a file that cannot fit is not sent at all. A symlink is made as a symlink.
 * Modes and owners are the primary's.
 */
public final class ConfigPush {

    /** A transfer that moves no byte for this long is given up: the node hangs or the network broke. */
    static final Duration STALL = Duration.ofSeconds(30);
    /** Time on top of {@link #STALL} the secondary gets per byte to hash the file it received before it answers. */
    private static final long HASH_BYTES_PER_SECOND = 20L * 1024 * 1024;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final String READY = "ready";
    private static final ScheduledExecutorService WATCHDOGS = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "config-push-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private ConfigPush() {
    }

    /** @param roots the synced paths; each copied path lies under one */
    public static PushResult apply(NodeSession primary, NodeSession secondary, List<String> roots, FileTree primaryTree,
                               TreeDiff diff) {
        diff.extra().forEach(secondary::remove);
        List<String> copied = new ArrayList<>();
        List<PushResult.NotCopied> notCopied = new ArrayList<>();
        for (String path : diff.toCopy()) {
            FileEntry source = primaryTree.get(path).orElseThrow();
            String root = roots.stream().filter(r -> path.startsWith(r + "/")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(path + " lies in none of the synced paths " + roots));
            SyncWrite outcome = source.isSymlink()
                    ? SyncWrite.parse(secondary.run(NodeScripts.writeSymlink(root, source))
                            .orThrow("writing the link " + path + " on " + secondary.endpoint()).stdout())
                    : stream(primary, secondary, root, source);
            switch (outcome.outcome()) {
                case WRITTEN -> copied.add(path);
                case SOURCE_CHANGED -> { }
                default -> notCopied.add(new PushResult.NotCopied(path, outcome));
            }
        }
        return new PushResult("the secondary " + secondary.endpoint().host(), copied, diff.extra(), notCopied);
    }

    /** One file from the primary's {@code cat} into the secondary's receiving script, never held whole. */
    private static SyncWrite stream(NodeSession primary, NodeSession secondary, String root, FileEntry file) {
        try (RemoteProcess writer = secondary.start(NodeScripts.receiveFile(root, file));
             Watchdog watchdog = new Watchdog(writer)) {
            String first = readLine(writer.stdout());
            if (!READY.equals(first)) {
                return SyncWrite.parse(first + writer.finish(STALL).stdout());
            }
            try (RemoteProcess reader = primary.start(NodeScripts.readFile(file.path()))) {
                watchdog.watch(reader);
                InputStream in = reader.stdout();
                OutputStream out = writer.stdin();
                byte[] buffer = new byte[BUFFER_BYTES];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    watchdog.progress();
                }
                // a failed read ends the content early: the secondary's hash check answers "changed"
                reader.finish(STALL);
            }
            watchdog.close();
            if (watchdog.stalled()) {
                return SyncWrite.failed("the transfer stalled for " + STALL.toSeconds() + " s");
            }
            return SyncWrite.parse(writer.finish(STALL.plusSeconds(file.size() / HASH_BYTES_PER_SECOND)).stdout());
        } catch (IOException e) {
            return SyncWrite.failed("the transfer broke off: " + e.getMessage());
        }
    }

    /** The first line the secondary's script prints, without its newline; what came before the end when there is none. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Ends a transfer's channels when no byte moved for {@link #STALL}, so a blocked read or write returns. */
    private static final class Watchdog implements AutoCloseable {

        private final List<RemoteProcess> watched = new CopyOnWriteArrayList<>();
        private final ScheduledFuture<?> check;
        private volatile long lastProgress = System.nanoTime();
        private volatile boolean stalled;

        Watchdog(RemoteProcess first) {
            watched.add(first);
            check = WATCHDOGS.scheduleAtFixedRate(this::check, 1, 1, TimeUnit.SECONDS);
        }

        void watch(RemoteProcess process) {
            watched.add(process);
        }

        void progress() {
            lastProgress = System.nanoTime();
        }

        boolean stalled() {
            return stalled;
        }

        private void check() {
            if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                stalled = true;
                watched.forEach(RemoteProcess::close);
            }
        }

        @Override
        public void close() {
            check.cancel(false);
        }
    }
}
