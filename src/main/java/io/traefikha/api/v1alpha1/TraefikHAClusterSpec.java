package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.traefikha.domain.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** What the user wants: the containers, the VIP in front of them, how configuration and DNS follow. */
@ValidationRule(value = "has(self.secondary) != has(self.secondaries)",
        message = "give either secondary (a pair) or secondaries (a list of them), not both and not neither")
@ValidationRule(value = CelRules.MAINTAINED_NODE_EXISTS, message = "maintenance.node must name a replica there is:"
        + " primary, secondary, or secondary-N for N up to the number of secondaries")
@ValidationRule(value = CelRules.EVERY_VMID_DIFFERS, message = "every secondary's vmid must differ from primary.vmid and"
        + " from the other secondaries'")
@ValidationRule(value = CelRules.EVERY_ADDRESS_DIFFERS, message = "every secondary's address must differ from"
        + " primary.address and from the other secondaries'")
@ValidationRule(value = "self.vip.address.split('/')[0] != self.primary.address.split('/')[0] && "
        + CelRules.VIP_DIFFERS_FROM_SECONDARIES,
        message = "vip.address must differ from primary.address and every secondary's address")
// vip.priorities may be omitted (its fields have defaults, the object itself has none), so the gap is then the default one.
@ValidationRule(value = "!has(self.healthCheck) || !has(self.healthCheck.weight) || self.healthCheck.weight == 0"
        + " || [(has(self.vip.priorities) ? self.vip.priorities.primary - self.vip.priorities.secondary : "
        + (VipSpec.PrioritiesSpec.DEFAULT_PRIMARY - VipSpec.PrioritiesSpec.DEFAULT_SECONDARY) + ") + "
        + VipSpec.PrioritiesSpec.STEP + " * " + CelRules.FURTHER_SECONDARIES + "].all(gap,"
        + " self.healthCheck.weight > gap || -self.healthCheck.weight > gap)",
        message = "healthCheck.weight must be 0 or larger in magnitude than vip.priorities.primary minus the last secondary's"
                + " priority, otherwise a failed health check never moves the VIP")
@ValidationRule(value = "(has(self.vip.priorities) ? self.vip.priorities.secondary : " + VipSpec.PrioritiesSpec.DEFAULT_SECONDARY
        + ") - " + VipSpec.PrioritiesSpec.STEP + " * " + CelRules.FURTHER_SECONDARIES + " >= 1",
        message = "vip.priorities.secondary is too low for this many secondaries: each further one has "
                + VipSpec.PrioritiesSpec.STEP + " less and the last needs at least 1")
@ValidationRule(value = "!has(self.healthCheck) || !has(self.healthCheck.weight) || self.healthCheck.weight <= 0"
        + " || (has(self.vip.priorities) ? self.vip.priorities.secondary : " + VipSpec.PrioritiesSpec.DEFAULT_SECONDARY
        + ") + self.healthCheck.weight < 254",
        message = "a positive healthCheck.weight must keep vip.priorities.secondary + weight below 254 (keepalived's cap),"
                + " otherwise both healthy nodes tie and the primary is no longer preferred")
@ValidationRule(value = CelRules.PREFIX_IN_RANGE,
        message = "primary.address must have a prefix length from /" + CelRules.MIN_PREFIX + " to /" + CelRules.MAX_PREFIX
                + " (the subnet must hold primary, secondary, VIP and gateway)")
@ValidationRule(value = CelRules.SAME_PREFIX,
        message = "primary.address, every secondary's address and vip.address must have the same prefix length (one subnet)")
@ValidationRule(value = CelRules.GATEWAY_IS_A_HOST,
        message = "network.gateway must not be the network or broadcast address of its subnet (at the prefix length of"
                + " primary.address)")
@ValidationRule(value = CelRules.ADDRESSES_ARE_HOSTS_ON_THE_LAN,
        message = "primary.address, every secondary's address and vip.address must be host addresses in the subnet of network.gateway"
                + " (at the prefix length of primary.address): not outside it, not its network or broadcast address, not the"
                + " gateway")
@ValidationRule(value = "!has(self.vip.addresses) || !self.vip.addresses.exists(a, a.contains(':'))"
        + " || (has(self.vip.unicast) && !self.vip.unicast) || has(self.primary.address6) && "
        + CelRules.EVERY_SECONDARY_HAS_ADDRESS6,
        message = "an IPv6 VIP in vip.addresses with unicast adverts needs primary.address6 and every secondary's address6"
                + " (the IPv6 unicast peers)")
public class TraefikHAClusterSpec {

    /** At most as many secondaries as a homelab cluster has other nodes to put them on. */
    public static final int MAX_SECONDARIES = 8;

    @Required
    @JsonPropertyDescription("How to reach the Proxmox VE API that hosts both containers.")
    public ProxmoxSpec proxmox;

    @Required
    @JsonPropertyDescription("The existing Traefik container. The operator never stops, deletes or reconfigures it beyond"
            + " the keepalived and sync files it manages.")
    public PrimarySpec primary;

    @JsonPropertyDescription("The standby container of a pair: the one-element case of secondaries (give one of the two)."
            + " The operator clones it from the primary when it does not exist and owns it.")
    public SecondarySpec secondary;

    @Size(min = 1, max = MAX_SECONDARIES)
    @JsonPropertyDescription("The standby containers, one per Proxmox node (instead of secondary): each cloned from the primary"
            + " when it does not exist, owned by the operator, synced from the primary and a VRRP peer of every other"
            + " replica. Their VRRP priorities descend in list order: the first has vip.priorities.secondary, each next one"
            + " " + VipSpec.PrioritiesSpec.STEP + " less. Status and messages name them secondary, secondary-2, secondary-3, ...")
    public List<SecondarySpec> secondaries;

    @Required
    @JsonPropertyDescription("The network both containers and the VIP live on.")
    public NetworkSpec network;

    @Required
    @JsonPropertyDescription("How the operator logs in to both containers over SSH.")
    public SshSpec ssh;

    @Required
    @JsonPropertyDescription("The virtual IP that keepalived (VRRP) keeps on exactly one healthy container.")
    public VipSpec vip;

    @JsonPropertyDescription("How keepalived decides that Traefik on a node is healthy enough to hold the VIP.")
    public HealthCheckSpec healthCheck = new HealthCheckSpec();

    @JsonPropertyDescription("Optional: each node pushes up or down and its VRRP state to a URL per node (an Uptime Kuma push"
            + " monitor) from keepalived's health check, so an alert comes even while the operator or Kubernetes is down.")
    public HeartbeatSpec heartbeat;

    @JsonPropertyDescription("How the primary's Traefik configuration is copied to the secondary.")
    public SyncSpec sync = new SyncSpec();

    @JsonPropertyDescription("DNS names that must resolve to the VIP, and the DNS server that holds them.")
    public DnsSpec dns = new DnsSpec();

    @JsonPropertyDescription("Scheduled failover drills (the runbook's monthly failover test). Absent: drills only on demand,"
            + " through the annotation traefikha.io/drill.")
    public DrillSpec drill;

    @JsonPropertyDescription("Traefik on every node: its version endpoint and rolling upgrades.")
    public TraefikSpec traefik = new TraefikSpec();

    @JsonPropertyDescription("A declared maintenance of one node: the VIP is handed to another node and kept there until"
            + " this is removed. kubectl get traefikha then shows the phase Maintenance.")
    public MaintenanceSpec maintenance;

    @JsonPropertyDescription("The backup of the primary taken once, before the operator changes anything on it (default: a"
            + " vzdump to the storage local, kept when this resource is deleted).")
    public BackupSpec backup = new BackupSpec();

    @Default("Retain")
    @JsonPropertyDescription("What happens when this resource is deleted: Retain leaves everything running; Rollback points DNS"
            + " back at the primary, stops keepalived on every node and stops every secondary; Delete does Rollback and then"
            + " destroys every secondary the operator created (never a container another resource or nobody owns).")
    public DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

    @Default("false")
    @JsonPropertyDescription("When true the operator observes and plans but changes nothing on Proxmox, the nodes or DNS;"
            + " the plan is written to status.plannedActions and to Events.")
    public boolean dryRun;

    /** {@link #backup}, or its defaults when the field is given as null. */
    public BackupSpec backupOrDefault() {
        return backup != null ? backup : new BackupSpec();
    }

    /** The secondaries: {@link #secondaries}, or {@link #secondary} as its one element; empty when neither is given. */
    public List<SecondarySpec> secondaryList() {
        if (secondaries != null && !secondaries.isEmpty()) {
            return secondaries;
        }
        return secondary != null ? List.of(secondary) : List.of();
    }

    /** Every replica, the primary first, then the secondaries in list order (their VRRP priorities descend so). */
    public List<Role> roles() {
        List<Role> roles = new ArrayList<>();
        roles.add(Role.PRIMARY);
        roles.addAll(secondaryRoles());
        return roles;
    }

    /** The secondaries' roles: secondary, secondary-2, ... */
    public List<Role> secondaryRoles() {
        return IntStream.rangeClosed(1, secondaryList().size()).mapToObj(Role::of).toList();
    }

    /** The secondary of this role (not the primary). */
    public SecondarySpec secondary(Role role) {
        if (role == Role.PRIMARY) {
            throw new IllegalArgumentException("the primary is not a secondary");
        }
        return secondaryList().get(role.index() - 1);
    }

    /** The container of this role: {@link #primary} or one of the secondaries. */
    public ContainerSpec container(Role role) {
        return role == Role.PRIMARY ? primary : secondary(role);
    }

    /** Where the spec gives this role's container, for messages naming the field: spec.primary, spec.secondaries[1], ... */
    public String field(Role role) {
        if (role == Role.PRIMARY) {
            return "spec.primary";
        }
        return secondaries != null && !secondaries.isEmpty() ? "spec.secondaries[" + (role.index() - 1) + "]"
                : "spec.secondary";
    }
}
