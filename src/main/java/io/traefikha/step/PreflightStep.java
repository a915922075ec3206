package io.traefikha.step;

import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.PreflightCheckStatus;
import io.traefikha.api.v1alpha1.SecondarySpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.Cidr;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.NodeObservation;
import io.traefikha.domain.PrimaryChecks;
import io.traefikha.domain.ProxmoxReadiness;
import io.traefikha.domain.Role;
import io.traefikha.domain.TokenGrants;
import io.traefikha.gateway.NodeGateway;
import io.traefikha.planner.PreflightPlanner;
import io.traefikha.planner.PreflightPlanner.Check;
import io.traefikha.planner.PreflightPlanner.NodeChecks;
import io.traefikha.planner.PrivilegePlanner;
import io.traefikha.planner.PrivilegePlanner.Missing;
import io.traefikha.planner.PrivilegePlanner.Requirement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Checks before the operator changes anything: the API token may do everything the spec's replicas need, on each path
 * ({@link PrivilegePlanner}); each secondary's node is online with room for it, its address and the VIP are free on the
 * LAN, Traefik answers on the primary and the primary can run keepalived ({@link PreflightPlanner}). Each check is one
 * entry of status.preflight[]; all feed PreflightPassed. Runs until it passes for the spec's current addresses,
 * nodes, storage and Proxmox connection (the hash of those is kept in status.preflightPassedSpecHash), so a pair in
 * steady state costs no call. A failure blocks every Proxmox change this round, and the first configuration of
 * keepalived, and says how to fix it; the node work of a pair that is already provisioned goes on.
 */
public final class PreflightStep implements ReconcileStep {

    static final String TOKEN_PRIVILEGES = "TokenPrivileges";
    private static final Logger LOG = Logger.getLogger(PreflightStep.class);
    private final EventRecorder events;

    public PreflightStep(EventRecorder events) {
        this.events = events;
    }

    @Override
    public Next apply(Round round) {
        String hash = specHash(round.spec());
        if (hash.equals(round.status().previous().preflightPassedSpecHash)) {
            return Next.CONTINUE;
        }
        ProxmoxReadiness facts;
        TokenGrants grants;
        List<Requirement> required;
        try {
            facts = round.connections().proxmox().readiness();
            required = PrivilegePlanner.required(round.spec(), facts.primary().diskBytes().keySet());
            grants = round.connections().proxmox().tokenGrants(PrivilegePlanner.paths(required));
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: preflight cannot read Proxmox: %s", round.id(), e.getMessage());
            round.unreachable(ConditionTypes.PROXMOX_REACHABLE, e);
            return Next.STOP;
        }
        List<Missing> missing = PrivilegePlanner.missing(required, grants.byPath(), grants.tokenId());
        List<Check> checks = new ArrayList<>();
        checks.add(missing.isEmpty()
                ? new Check(TOKEN_PRIVILEGES, false, "the API token " + grants.tokenId() + " has every privilege the"
                        + " operator needs (" + required.size() + " on " + PrivilegePlanner.paths(required).size() + " paths)")
                : new Check(TOKEN_PRIVILEGES, true, failureMessage(grants.tokenId(), missing)));
        checks.add(PreflightPlanner.targetNode(round.spec(), facts));
        checks.addAll(onThePrimary(round, facts));

        List<Check> failed = checks.stream().filter(Check::failed).toList();
        round.status().preflight(checks.stream().map(c -> status(round, c)).toList(), failed.isEmpty() ? hash : null);
        if (failed.isEmpty()) {
            round.status().condition(ConditionTypes.PREFLIGHT_PASSED, true, "Passed", checks.size() + " checks passed: "
                    + checks.stream().map(Check::name).collect(Collectors.joining(", ")));
            return Next.CONTINUE;
        }
        String message = failed.stream().map(c -> c.name() + ": " + c.message()).collect(Collectors.joining(" | "));
        LOG.warnf("%s: preflight failed: %s", round.id(), message);
        String reason = failed.get(0).name().equals(TOKEN_PRIVILEGES) ? "MissingPrivileges" : failed.get(0).name() + "Failed";
        round.status().condition(ConditionTypes.PREFLIGHT_PASSED, false, reason, message);
        if (!round.dryRun()) { // a dry run records no Events; status says it all
            events.warning(round.resource(), "PreflightFailed", message);
        }
        round.blockProxmoxChanges();
        if (failed.stream().anyMatch(c -> c.name().equals(PreflightPlanner.ADDRESSES_FREE)
                || c.name().equals(PreflightPlanner.KEEPALIVED_CAPABLE))) {
            round.blockKeepalivedSetup(); // the VIP is not claimed while someone else answers for it
        }
        return Next.CONTINUE;
    }

    /**
     * The checks that ask the primary over SSH, one probe and one round trip of read-only commands, only when one of
     * them applies (nothing is asked of the nodes of a pair that is set up). Host keys first seen here are pinned as
     * the keepalived step pins them.
     */
    private static List<Check> onThePrimary(Round round, ProxmoxReadiness facts) {
        if (round.durable().primaryStoppedForClone()) {
            return PreflightPlanner.primaryStoppedForClone(round.spec());
        }
        NodeChecks wanted = PreflightPlanner.nodeChecks(round.spec(), facts, keepalivedConfigured(round));
        NodeObservation probe = NodeObservation.unreachable(Role.PRIMARY, "not asked");
        PrimaryChecks primary = null;
        String unreachable = null;
        if (wanted.any()) {
            try {
                NodeGateway nodes = round.connections().nodes();
                probe = nodes.probe(Role.PRIMARY, List.of());
                if (!probe.reachable()) {
                    unreachable = probe.problem();
                } else {
                    primary = nodes.checkPrimary(wanted.hosts());
                }
                KeepalivedStep.pinFirstSeenHostKeys(round, nodes.learnedHostKeys());
            } catch (ExternalSystemException e) {
                unreachable = e.getMessage();
                probe = NodeObservation.unreachable(Role.PRIMARY, e.getMessage());
                primary = null;
            }
        }
        return List.of(PreflightPlanner.addresses(wanted, primary, unreachable),
                PreflightPlanner.traefik(round.spec(), wanted, probe),
                PreflightPlanner.keepalived(round.spec(), wanted, facts.primary(), primary, unreachable));
    }

    /**
     * keepalived was configured, or a node held the VIP, for the spec's VIP as the last status said: that VIP is the
     * pair's own by now (its holder would answer the probe). A new VIP in the spec is probed again.
     */
    private static boolean keepalivedConfigured(Round round) {
        TraefikHAClusterStatus previous = round.status().previous();
        if (previous.vip == null || !Cidr.hostOf(round.spec().vip.address).equals(previous.vip.address)) {
            return false;
        }
        Condition configured = previous.condition(ConditionTypes.KEEPALIVED_CONFIGURED);
        return configured != null && Condition.TRUE.equals(configured.status)
                || previous.vip.holder != null && !previous.vip.holder.isEmpty();
    }

    private static PreflightCheckStatus status(Round round, Check check) {
        return new PreflightCheckStatus(check.name(), check.failed() ? PreflightCheckStatus.FAILED
                : PreflightCheckStatus.PASSED, check.message(), round.timestamp());
    }

    /** Every missing privilege with its path and why, then the commands that grant them. */
    static String failureMessage(String tokenId, List<Missing> missing) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, List<Missing>> path : PrivilegePlanner.byPath(missing).entrySet()) {
            lines.add(path.getKey() + ": " + path.getValue().stream()
                    .map(m -> m.requirement().privilege() + " (" + m.requirement().purpose() + ")")
                    .collect(Collectors.joining(", ")));
        }
        Set<String> commands = missing.stream().map(Missing::grantCommand).collect(Collectors.toCollection(LinkedHashSet::new));
        return "the API token " + tokenId + " lacks " + missing.size() + " privilege(s), nothing is changed on Proxmox until"
                + " it has them: " + String.join("; ", lines) + ". Grant them on the Proxmox host: "
                + String.join(" ; ", commands);
    }

    /**
     * The spec fields the checks depend on: which containers, where, on which storage and bridge, through which API (a
     * pair's hash is what it was before spec.secondaries, so an upgrade does not run preflight again).
     */
    static String specHash(TraefikHAClusterSpec spec) {
        String credentials = spec.proxmox.credentialsSecretRef == null ? null : spec.proxmox.credentialsSecretRef.name;
        List<String> fields = new ArrayList<>(Arrays.asList(spec.proxmox.url, String.valueOf(credentials),
                String.valueOf(spec.proxmox.manageFirewall), spec.primary.node, String.valueOf(spec.primary.vmid), spec.primary.address));
        for (Role role : spec.secondaryRoles()) {
            SecondarySpec secondary = spec.secondary(role);
            fields.addAll(Arrays.asList(secondary.node, String.valueOf(secondary.vmid), secondary.address,
                    String.valueOf(secondary.storage), String.valueOf(secondary.pool), String.valueOf(secondary.cloneStrategy)));
        }
        fields.addAll(Arrays.asList(spec.network.bridge, spec.network.interfaceName, spec.vip.address, spec.healthCheck.url,
                spec.healthCheck.apiUrl, String.valueOf(spec.healthCheck.minRouters), String.valueOf(spec.backupOrDefault().mode),
                spec.backupOrDefault().storage));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("|", fields).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
