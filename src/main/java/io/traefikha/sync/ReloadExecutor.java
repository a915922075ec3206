package io.traefikha.sync;

import io.traefikha.keepalived.Role;
import io.traefikha.node.CommandResult;
import io.traefikha.node.NodeProbeReport;
import io.traefikha.node.NodeSession;
import io.traefikha.node.ProbeRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Carries out a {@link ReloadPlanner} plan over the nodes' sessions, stopping at the first step that fails. */
public final class ReloadExecutor {

    /** Traefik needs a moment to bind and load its providers after a restart: probed this often, within a bound. */
    static final Duration VERIFY_INTERVAL = Duration.ofMillis(250);

    private ReloadExecutor() {
    }

    /** Moves the VIP from one node to the other and returns once the other holds it (or throws). */
    @FunctionalInterface
    public interface VipHandover {
        void handOver(Role from, Role to);
    }

    /**
     * @param done    steps that succeeded, in order
     * @param failure why the next step failed or was deferred; null when all succeeded (then keep the applied static hash)
     */
    public record Result(List<ReloadPlanner.Action> done, String failure) {
        public Result {
            done = List.copyOf(done);
        }

        public boolean complete() {
            return failure == null;
        }
    }

    /**
     * @param minRouters   the least number of routers a verified Traefik has loaded (at least 1)
     * @param verifyWithin how long a restarted Traefik gets to become healthy (10 s suits Traefik 3 with file providers)
     */
    public static Result execute(List<ReloadPlanner.Action> plan, Map<Role, NodeSession> sessions, String reloadCommand,
                                 ProbeRequest probe, int minRouters, Duration verifyWithin, VipHandover handover) {
        List<ReloadPlanner.Action> done = new ArrayList<>();
        for (ReloadPlanner.Action action : plan) {
            String failure = step(action, sessions, reloadCommand, probe, Math.max(1, minRouters), verifyWithin, handover);
            if (failure != null) {
                return new Result(done, failure);
            }
            done.add(action);
        }
        return new Result(done, null);
    }

    /** @return why the step failed, or null */
    private static String step(ReloadPlanner.Action action, Map<Role, NodeSession> sessions, String reloadCommand,
                               ProbeRequest probe, int minRouters, Duration verifyWithin, VipHandover handover) {
        if (action instanceof ReloadPlanner.Action.Restart restart) {
            return restart(sessions.get(restart.node()), reloadCommand);
        }
        if (action instanceof ReloadPlanner.Action.Verify verify) {
            return verify(sessions.get(verify.node()), probe, minRouters, verifyWithin);
        }
        if (action instanceof ReloadPlanner.Action.HandOverVip move) {
            handover.handOver(move.from(), move.to());
            return null;
        }
        return ((ReloadPlanner.Action.Defer) action).reason();
    }

    private static String restart(NodeSession session, String reloadCommand) {
        CommandResult result = session.run(reloadCommand);
        return result.succeeded() ? null
                : "'" + reloadCommand + "' on " + session.endpoint() + " exited " + result.exitCode() + ": " + result.stderr().strip();
    }

    private static String verify(NodeSession session, ProbeRequest probe, int minRouters, Duration within) {
        NodeProbeReport report = null;
        long attempts = Math.max(1, within.toMillis() / VERIFY_INTERVAL.toMillis());
        for (long attempt = 0; attempt < attempts; attempt++) {
            report = session.probe(probe);
            if (report.traefikActive() && report.traefikPingOk() && report.routerCount() >= minRouters) {
                return null;
            }
            sleep(VERIFY_INTERVAL);
        }
        return "Traefik on " + session.endpoint() + " is not healthy after its restart: active=" + report.traefikActive()
                + ", ping=" + report.traefikPingOk() + ", routers=" + report.routerCount() + " (want at least " + minRouters + ") after "
                + within.toMillis() + " ms";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying Traefik", e);
        }
    }
}
