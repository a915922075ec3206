package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.traefikha.domain.Role;

/** A declared maintenance of one node: the VIP stays on another node while it lasts. */
public class MaintenanceSpec {

    /** A replica as status.nodes[].role writes it: the primary, the secondary, secondary-2 and on. */
    static final String NODE_PATTERN = "^(primary|secondary(-[2-9])?)$";

    @Required
    @Pattern(NODE_PATTERN)
    @JsonPropertyDescription("The node under maintenance, as status.nodes[].role names it: primary, secondary, or"
            + " secondary-2 and on for spec.secondaries[1] and on. The operator hands the VIP to the healthy node with"
            + " the highest priority among the others (refused when none is healthy) and keeps it there; the maintained"
            + " node's keepalived stays up, so a failure of the node serving still fails over. Removing"
            + " spec.maintenance hands the VIP back.")
    public String node;

    /** The replica under maintenance. */
    public Role role() {
        return Role.fromLabel(node);
    }
}
