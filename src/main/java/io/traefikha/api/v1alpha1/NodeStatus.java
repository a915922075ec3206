package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One container as last observed through Proxmox and its node probe. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeStatus {

    @JsonPropertyDescription("primary, secondary, then secondary-2, secondary-3, ... for further secondaries.")
    public String role;

    @JsonPropertyDescription("Proxmox VMID.")
    public Integer vmid;

    @JsonPropertyDescription("Proxmox node the container runs on.")
    public String node;

    @JsonPropertyDescription("Container IPv4 address.")
    public String address;

    @JsonPropertyDescription("Container state from Proxmox: running, stopped, missing or unknown.")
    public String containerState;

    @JsonPropertyDescription("VRRP state written by keepalived's notify script: MASTER, BACKUP, FAULT, STOP or unknown.")
    public String vrrpState;

    @JsonPropertyDescription("Whether Traefik answers its ping with at least healthCheck.minRouters routers loaded.")
    public Boolean healthy;

    @JsonPropertyDescription("The Traefik version the node's Traefik reports (spec.traefik.versionUrl).")
    public String traefikVersion;

    @JsonPropertyDescription("HTTP routers the node's Traefik has loaded.")
    public Integer routers;

    @JsonPropertyDescription("SHA-256 of the HTTP routers the node's Traefik has loaded, over their sorted names and status"
            + " (the same on every node when they serve the same routes, see RoutesMatch).")
    public String routersHash;

    @JsonPropertyDescription("SHA-256 of the node's synced configuration tree.")
    public String configHash;

    @JsonPropertyDescription("Pinned SSH host key fingerprint (SHA256:...) of this node.")
    public String hostKeyFingerprint;

    @JsonPropertyDescription("Secondary only: Own once it has its own SSH host keys and machine id (the operator regenerates"
            + " those a clone copies, once), Regenerating while it does, CopiedFromPrimary when it still has the primary's"
            + " and the SSH Secret's knownHosts keeps the operator from replacing them.")
    public HostIdentityState hostIdentity;

    @JsonPropertyDescription("When the node last answered a probe (RFC 3339).")
    public String lastSeen;

    /** Ready to serve the VIP: the container runs and answers, its Traefik is healthy, keepalived MASTER or BACKUP. */
    public boolean ready() {
        return "running".equals(containerState) && Boolean.TRUE.equals(healthy)
                && ("MASTER".equals(vrrpState) || "BACKUP".equals(vrrpState));
    }
}
