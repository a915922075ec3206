package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.traefikha.domain.Role;

/** What the user wants: the containers, the VIP in front of them, how configuration and DNS follow. */
@ValidationRule(value = "self.primary.vmid != self.secondary.vmid",
        message = "secondary.vmid must differ from primary.vmid")
@ValidationRule(value = "self.primary.address.split('/')[0] != self.secondary.address.split('/')[0]",
        message = "secondary.address must differ from primary.address")
@ValidationRule(value = "self.vip.address.split('/')[0] != self.primary.address.split('/')[0]"
        + " && self.vip.address.split('/')[0] != self.secondary.address.split('/')[0]",
        message = "vip.address must differ from primary.address and secondary.address")
@ValidationRule(value = "!has(self.healthCheck) || !has(self.healthCheck.weight) || self.healthCheck.weight == 0"
        + " || self.healthCheck.weight > self.vip.priorities.primary - self.vip.priorities.secondary"
        + " || -self.healthCheck.weight > self.vip.priorities.primary - self.vip.priorities.secondary",
        message = "healthCheck.weight must be 0 or larger in magnitude than vip.priorities.primary - vip.priorities.secondary,"
                + " otherwise a failed health check never moves the VIP")
public class TraefikHAClusterSpec {

    @Required
    @JsonPropertyDescription("How to reach the Proxmox VE API that hosts both containers.")
    public ProxmoxSpec proxmox;

    @Required
    @JsonPropertyDescription("The existing Traefik container. The operator never stops, deletes or reconfigures it beyond"
            + " the keepalived and sync files it manages.")
    public PrimarySpec primary;

    @Required
    @JsonPropertyDescription("The standby container. The operator clones it from the primary when it does not exist and owns it.")
    public SecondarySpec secondary;

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

    @JsonPropertyDescription("How the primary's Traefik configuration is copied to the secondary.")
    public SyncSpec sync = new SyncSpec();

    @JsonPropertyDescription("DNS names that must resolve to the VIP, and the DNS server that holds them.")
    public DnsSpec dns = new DnsSpec();

    @JsonPropertyDescription("Scheduled failover drills (the runbook's monthly failover test). Absent: drills only on demand,"
            + " through the annotation traefikha.io/drill.")
    public DrillSpec drill;

    @JsonPropertyDescription("Traefik on both nodes: its version endpoint and rolling upgrades.")
    public TraefikSpec traefik = new TraefikSpec();

    @JsonPropertyDescription("A declared maintenance of one node: the VIP is handed to the other node and kept there until"
            + " this is removed. kubectl get traefikha then shows the phase Maintenance.")
    public MaintenanceSpec maintenance;

    @Default("Retain")
    @JsonPropertyDescription("What happens when this resource is deleted: Retain leaves everything running; Rollback points DNS"
            + " back at the primary, stops keepalived on both nodes and stops the secondary; Delete does Rollback and then"
            + " destroys the secondary the operator created.")
    public DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

    @Default("false")
    @JsonPropertyDescription("When true the operator observes and plans but changes nothing on Proxmox, the nodes or DNS;"
            + " the plan is written to status.plannedActions and to Events.")
    public boolean dryRun;

    /** The container of this role: {@link #primary} or {@link #secondary}. */
    public ContainerSpec container(Role role) {
        return role == Role.PRIMARY ? primary : secondary;
    }
}
