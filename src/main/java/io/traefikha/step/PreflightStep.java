package io.traefikha.step;

import io.traefikha.api.v1alpha1.PreflightCheckStatus;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.domain.ExternalSystemException;
import io.traefikha.domain.TokenGrants;
import io.traefikha.planner.PrivilegePlanner;
import io.traefikha.planner.PrivilegePlanner.Missing;
import io.traefikha.planner.PrivilegePlanner.Requirement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Checks before the operator changes anything on Proxmox: the API token may do everything the spec's pair needs,
 * on each path ({@link PrivilegePlanner}). Runs until it passes for the spec's current addresses, nodes, storage and
 * Proxmox connection (the hash of those is kept in status.preflightPassedSpecHash), so a pair in steady state costs
 * no call. A failure blocks every Proxmox change this round and says how to fix it; the node work of a pair that is
 * already provisioned goes on.
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
        TokenGrants grants;
        List<Requirement> required;
        try {
            required = PrivilegePlanner.required(round.spec(), round.connections().proxmox().primaryStorages());
            grants = round.connections().proxmox().tokenGrants(PrivilegePlanner.paths(required));
        } catch (ExternalSystemException e) {
            LOG.warnf("%s: preflight cannot read Proxmox: %s", round.id(), e.getMessage());
            round.unreachable(ConditionTypes.PROXMOX_REACHABLE, e);
            return Next.STOP;
        }
        List<Missing> missing = PrivilegePlanner.missing(required, grants.byPath(), grants.tokenId());
        if (missing.isEmpty()) {
            String message = "the API token " + grants.tokenId() + " has every privilege the operator needs ("
                    + required.size() + " on " + PrivilegePlanner.paths(required).size() + " paths)";
            round.status().preflight(List.of(check(round, PreflightCheckStatus.PASSED, message)), hash)
                    .condition(ConditionTypes.PREFLIGHT_PASSED, true, "Passed", message);
            return Next.CONTINUE;
        }
        String message = failureMessage(grants.tokenId(), missing);
        LOG.warnf("%s: preflight failed: %s", round.id(), message);
        round.status().preflight(List.of(check(round, PreflightCheckStatus.FAILED, message)), null)
                .condition(ConditionTypes.PREFLIGHT_PASSED, false, "MissingPrivileges", message);
        if (!round.dryRun()) { // a dry run records no Events; status says it all
            events.warning(round.resource(), "PreflightFailed", message);
        }
        round.blockProxmoxChanges();
        return Next.CONTINUE;
    }

    private static PreflightCheckStatus check(Round round, String result, String message) {
        return new PreflightCheckStatus(TOKEN_PRIVILEGES, result, message, round.timestamp());
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

    /** The spec fields the checks depend on: which containers, where, on which storage and bridge, through which API. */
    static String specHash(TraefikHAClusterSpec spec) {
        String fields = String.join("|", spec.proxmox.url, String.valueOf(spec.proxmox.credentialsSecretRef == null ? null
                        : spec.proxmox.credentialsSecretRef.name), String.valueOf(spec.proxmox.manageFirewall),
                spec.primary.node, String.valueOf(spec.primary.vmid), spec.primary.address,
                spec.secondary.node, String.valueOf(spec.secondary.vmid), spec.secondary.address,
                String.valueOf(spec.secondary.storage), String.valueOf(spec.secondary.pool),
                String.valueOf(spec.secondary.cloneStrategy), spec.network.bridge, spec.vip.address,
                String.valueOf(spec.backupOrDefault().mode), spec.backupOrDefault().storage);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(fields.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
