package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A declared maintenance of one node: the VIP stays on the other node while it lasts. */
public class MaintenanceSpec {

    /** The node under maintenance, as written in status.nodes[].role. */
    public enum Node {
        primary,
        secondary
    }

    @Required
    @JsonPropertyDescription("The node under maintenance (primary or secondary). The operator hands the VIP to the other"
            + " node (only when that one is healthy) and keeps it there; the maintained node's keepalived stays up, so a"
            + " failure of the other node still fails over. Removing spec.maintenance hands the VIP back.")
    public Node node;
}
