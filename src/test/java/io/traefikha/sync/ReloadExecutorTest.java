package io.traefikha.sync;

import static io.traefikha.keepalived.Role.PRIMARY;
import static io.traefikha.keepalived.Role.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.keepalived.Role;
import io.traefikha.node.CommandResult;
import io.traefikha.node.NodeEndpoint;
import io.traefikha.node.NodeProbeReport;
import io.traefikha.node.NodeSession;
import io.traefikha.node.PackageResult;
import io.traefikha.node.ProbeRequest;
import io.traefikha.node.RemoteFile;
import io.traefikha.node.VrrpState;
import io.traefikha.sync.ReloadPlanner.Action.HandOverVip;
import io.traefikha.sync.ReloadPlanner.Action.Restart;
import io.traefikha.sync.ReloadPlanner.Action.Verify;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReloadExecutorTest {

    static final ProbeRequest PROBE = new ProbeRequest("eth0", "10.0.0.100", "/run/state", List.of("/etc/traefik"), List.of(),
            "http://127.0.0.1:8080/ping", "http://127.0.0.1:8080/api/rawdata", List.of());

    /** Records commands; Traefik is healthy once restarted, unless the node is broken. */
    static final class Node implements NodeSession {
        final List<String> commands = new ArrayList<>();
        final boolean breaksOnRestart;

        Node(boolean breaksOnRestart) {
            this.breaksOnRestart = breaksOnRestart;
        }

        @Override public NodeEndpoint endpoint() { return new NodeEndpoint("10.0.0.1", 22, "root"); }
        @Override public String hostKeyFingerprint() { return "SHA256:x"; }
        @Override public CommandResult run(String command) { commands.add(command); return new CommandResult(0, "", ""); }
        @Override public CommandResult run(String command, byte[] stdin, Duration timeout) { return run(command); }
        @Override public boolean upload(RemoteFile file) { throw new UnsupportedOperationException(); }
        @Override public boolean uploadKeepingOriginal(RemoteFile file) { throw new UnsupportedOperationException(); }
        @Override public PackageResult ensurePackage(String debianPackage) { throw new UnsupportedOperationException(); }
        @Override public void close() { }

        @Override
        public NodeProbeReport probe(ProbeRequest request) {
            boolean up = !breaksOnRestart;
            return new NodeProbeReport("n", true, true, true, up, false, VrrpState.BACKUP, "h", up, up ? 5 : -1, Map.of());
        }
    }

    @Test
    void restartsVerifiesAndHandsTheVipOverInPlanOrder() {
        Node primary = new Node(false);
        Node secondary = new Node(false);
        List<String> handovers = new ArrayList<>();
        List<ReloadPlanner.Action> plan = List.of(new Restart(SECONDARY), new Verify(SECONDARY), new HandOverVip(PRIMARY, SECONDARY),
                new Restart(PRIMARY), new Verify(PRIMARY));

        ReloadExecutor.Result result = ReloadExecutor.execute(plan, Map.of(PRIMARY, primary, SECONDARY, secondary),
                "systemctl restart traefik", PROBE, 1, Duration.ofSeconds(1), (from, to) -> handovers.add(from + "->" + to));

        assertThat(result.complete()).isTrue();
        assertThat(result.done()).isEqualTo(plan);
        assertThat(handovers).containsExactly("PRIMARY->SECONDARY");
        assertThat(primary.commands).containsExactly("systemctl restart traefik");
    }

    @Test
    void stopsBeforeTheHandoverWhenTheRestartedPeerIsUnhealthy() {
        Node secondary = new Node(true);
        Map<Role, NodeSession> sessions = Map.of(PRIMARY, new Node(false), SECONDARY, secondary);
        List<ReloadPlanner.Action> plan = List.of(new Restart(SECONDARY), new Verify(SECONDARY), new HandOverVip(PRIMARY, SECONDARY));

        ReloadExecutor.Result result = ReloadExecutor.execute(plan, sessions, "systemctl restart traefik", PROBE, 1,
                Duration.ofMillis(500), (from, to) -> { throw new AssertionError("must not hand over to an unhealthy peer"); });

        assertThat(result.done()).containsExactly(new Restart(SECONDARY));
        assertThat(result.failure()).contains("not healthy after its restart");
    }
}
