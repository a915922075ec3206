package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The VIP as observed on the nodes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VipStatus {

    @JsonPropertyDescription("The virtual IP (without prefix length).")
    public String address;

    @JsonPropertyDescription("Host name of the node that holds the VIP; empty when none does; both names when split.")
    public String holder;

    @JsonPropertyDescription("When the current holder was first seen holding the VIP (RFC 3339).")
    public String since;

    @JsonPropertyDescription("Host name of the node that last held the VIP alone. Another node holding it alone is a failover,"
            + " also when a moment with no holder or with both was seen in between.")
    public String lastHolder;

    @JsonPropertyDescription("The IPv6 VIP (without prefix length), with an IPv6 address in vip.addresses.")
    public String address6;

    @JsonPropertyDescription("Host name of the node that holds the IPv6 VIP; empty when none does; both names when both do."
            + " Another node than holder means the families are split (condition IPv6VIPHeld).")
    public String holder6;

    @JsonPropertyDescription("What Traefik's entry points answered on the VIP at the last reconcile, requested from where the"
            + " operator runs (spec.vip.httpPort and httpsPort).")
    public List<EntryPointStatus> entryPoints;
}
