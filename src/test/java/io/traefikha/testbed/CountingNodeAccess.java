package io.traefikha.testbed;

import io.traefikha.domain.RemoteFile;
import io.traefikha.node.CommandResult;
import io.traefikha.node.HostKeyPolicy;
import io.traefikha.node.NodeAccess;
import io.traefikha.node.NodeEndpoint;
import io.traefikha.node.NodeProbeReport;
import io.traefikha.node.NodeSession;
import io.traefikha.node.PackageResult;
import io.traefikha.node.ProbeRequest;
import io.traefikha.node.RemoteProcess;
import io.traefikha.node.SshKey;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the SSH round trips (one remote command each) made to every node through the sessions it opens. Every method
 * of {@link NodeSession} that is not a default one sends exactly one command; the defaults go through {@link #run}.
 */
public final class CountingNodeAccess implements NodeAccess {

    private final NodeAccess real;
    private final Map<String, AtomicInteger> roundTrips = new ConcurrentHashMap<>();

    public CountingNodeAccess(NodeAccess real) {
        this.real = real;
    }

    /** Round trips to the node at this address so far. */
    public int roundTrips(String host) {
        return roundTrips.getOrDefault(host, new AtomicInteger()).get();
    }

    public void reset() {
        roundTrips.clear();
    }

    @Override
    public NodeSession open(NodeEndpoint endpoint, SshKey key, HostKeyPolicy hostKeyPolicy) {
        NodeSession session = real.open(endpoint, key, hostKeyPolicy);
        AtomicInteger count = roundTrips.computeIfAbsent(endpoint.host(), h -> new AtomicInteger());
        return new NodeSession() {
            @Override
            public NodeEndpoint endpoint() {
                return session.endpoint();
            }

            @Override
            public String hostKeyFingerprint() {
                return session.hostKeyFingerprint();
            }

            @Override
            public CommandResult run(String command) {
                count.incrementAndGet();
                return session.run(command);
            }

            @Override
            public CommandResult run(String command, byte[] stdin, Duration timeout) {
                count.incrementAndGet();
                return session.run(command, stdin, timeout);
            }

            @Override
            public RemoteProcess start(String command) {
                count.incrementAndGet();
                return session.start(command);
            }

            @Override
            public boolean upload(RemoteFile file) {
                count.incrementAndGet();
                return session.upload(file);
            }

            @Override
            public boolean uploadKeepingOriginal(RemoteFile file) {
                count.incrementAndGet();
                return session.uploadKeepingOriginal(file);
            }

            @Override
            public PackageResult ensurePackage(String debianPackage) {
                count.incrementAndGet();
                return session.ensurePackage(debianPackage);
            }

            @Override
            public NodeProbeReport probe(ProbeRequest request) {
                count.incrementAndGet();
                return session.probe(request);
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }
}
