package io.traefikha.node;

import io.traefikha.domain.RemoteFile;
import io.traefikha.sync.FileTree;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * One connection to one node, used for a whole reconcile and closed at its end. Everything the operator does inside a
 * container goes through here, so the reconciler can be tested against an in-memory implementation.
 */
public interface NodeSession extends AutoCloseable {

    NodeEndpoint endpoint();

    /** Fingerprint of the host key this connection verified ("SHA256:..."), to be pinned on first use. */
    String hostKeyFingerprint();

    /** Runs a shell command with the session's command timeout. */
    CommandResult run(String command);

    /** Runs a shell command, feeding stdin to it, giving up after timeout. */
    CommandResult run(String command, byte[] stdin, Duration timeout);

    /**
     * Writes the file atomically (temporary file, then rename) with its mode and owner, unless the node already has
     * exactly that content, mode and owner.
     *
     * @return true when the file was written, false when it was already up to date
     */
    boolean upload(RemoteFile file);

    /**
     * {@link #upload(RemoteFile)} for a file the operator takes charge of: before its first change the previous content
     * is kept on the node ({@link Originals}), so {@link #restoreOriginal} can put it back.
     */
    boolean uploadKeepingOriginal(RemoteFile file);

    /** Puts back what {@link #uploadKeepingOriginal} kept: the earlier content, or no file when there was none. */
    default Originals.Restored restoreOriginal(String path) {
        return Originals.parse(run(NodeScripts.restoreOriginal(path)).orThrow("restoring " + path + " on " + endpoint())
                .stdout(), path);
    }

    /** Installs a Debian package when dpkg does not have it. */
    PackageResult ensurePackage(String debianPackage);

    /** Everything the reconciler needs to know about the node, in one round trip. */
    NodeProbeReport probe(ProbeRequest request);

    /**
     * Every regular file and symlink under the paths, excluded names left out, and what cannot be synced (a root that is a
     * symlink): the tree the probe reports. One round trip.
     */
    default FileTree listFiles(List<String> paths, List<String> excludes) {
        String listing = run(NodeScripts.fileList(paths, excludes)).orThrow("listing " + paths + " on " + endpoint()).stdout();
        return FileTree.parseListing(Base64.getDecoder().decode(listing.strip()));
    }

    /** Starts a command with its stdin and stdout as streams and returns at once; for content too large to hold. */
    RemoteProcess start(String command);

    /** Deletes the file; nothing happens when it does not exist. */
    default void remove(String path) {
        run(NodeScripts.remove(path)).orThrow("deleting " + path + " on " + endpoint());
    }

    /**
     * Starts a command detached under an id and returns at once; the probe reports "ID running", then "ID exit=N"
     * ({@link NodeProbeReport#job()}).
     */
    default void startJob(String id, String command) {
        run(NodeScripts.startJob(id, command)).orThrow("starting job " + id + " on " + endpoint());
    }

    /** Closes the connection; never throws. */
    @Override
    void close();
}
