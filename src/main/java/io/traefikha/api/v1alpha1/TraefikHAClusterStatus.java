package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** What the operator last observed and did. Written only by the status aggregator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TraefikHAClusterStatus {

    @JsonPropertyDescription("metadata.generation of the spec this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Summary: Pending (not yet acted on), Provisioning (creating or configuring), Ready (VIP served by"
            + " a healthy MASTER, every node configured), Degraded (serving, but redundancy or sync is impaired), Failed"
            + " (invalid spec or an error the operator cannot repair by itself), Maintenance (spec.maintenance is declared).")
    public ClusterPhase phase;

    @JsonPropertyDescription("The virtual IP and who holds it.")
    public VipStatus vip;

    @JsonPropertyDescription("One entry per container (primary, secondary, secondary-2, ...) as last observed.")
    public List<NodeStatus> nodes = new ArrayList<>();

    @JsonPropertyDescription("Replicas ready to serve the VIP out of all, e.g. 3/3 (kubectl's REPLICAS column): the container"
            + " runs, answers its probe, its Traefik is healthy and keepalived is MASTER or BACKUP.")
    public String replicas;

    @JsonPropertyDescription("State of the configuration sync from the primary to the secondaries.")
    public SyncStatus sync;

    @JsonPropertyDescription("State of the DNS records that must point at the VIP.")
    public DnsStatus dns;

    @JsonPropertyDescription("Each DNS name moved to the VIP, as requested through the VIP with its SNI and Host header: served"
            + " or not, and the certificate presented.")
    public List<ServedNameStatus> served;

    @JsonPropertyDescription("VIP moves observed between nodes.")
    public FailoverStatus failovers;

    @JsonPropertyDescription("The last failover drill: when, what, the measured service gaps and the result.")
    public DrillStatus lastDrill;

    @JsonPropertyDescription("Where an operation (maintenance, a rolling upgrade or restart) wants the VIP, and why.")
    public HandoverStatus handover;

    @JsonPropertyDescription("The last rolling upgrade or restart of Traefik: its step, or which step failed and why.")
    public RolloutStatus rollout;

    @JsonPropertyDescription("VRRP master-down interval the settings imply: the longest the VIP is unanswered after the MASTER"
            + " dies (3 x advertInterval + skew time), e.g. 0.367s.")
    public String masterDownInterval;

    @JsonPropertyDescription("Facts the operator remembers between reconciles (a primary stopped for a clone, storage"
            + " that cannot snapshot, a split brain being handled, the lsyncd it runs).")
    public MemoryStatus memory;

    @JsonPropertyDescription("The checks run before the operator changes anything on Proxmox (again whenever the spec"
            + " changes an address, node, storage or the Proxmox connection): name, result (Passed, Failed, Warning),"
            + " message, lastRun. A Failed check blocks provisioning; see the condition PreflightPassed.")
    public List<PreflightCheckStatus> preflight = new ArrayList<>();

    @JsonPropertyDescription("Hash of the spec fields preflight depends on, as of the last preflight that passed; preflight"
            + " runs again when they change.")
    public String preflightPassedSpecHash;

    @JsonPropertyDescription("The backup of the primary the operator took before its first change: mode, volid, storage,"
            + " node, when, and the vzdump task. Kept until the resource is deleted (spec.backup.keepOnDelete).")
    public BackupStatus backup;

    @JsonPropertyDescription("Actions the operator would take (dry run) or is about to take, in order.")
    public List<String> plannedActions = new ArrayList<>();

    @JsonPropertyDescription("Kubernetes-style conditions: Valid, ProxmoxReachable, SecondaryProvisioned, KeepalivedConfigured,"
            + " VIPHealthy, ConfigInSync, DNSReady, Ready, and problem conditions such as Conflict or SplitBrain.")
    public List<Condition> conditions = new ArrayList<>();

    /** The condition of this type, or null when none is reported. */
    public Condition condition(String type) {
        return conditions == null ? null
                : conditions.stream().filter(c -> type.equals(c.type)).findFirst().orElse(null);
    }

    /** Whether the condition of this type is reported True. */
    public boolean isTrue(String type) {
        Condition condition = condition(type);
        return condition != null && Condition.TRUE.equals(condition.status);
    }
}
