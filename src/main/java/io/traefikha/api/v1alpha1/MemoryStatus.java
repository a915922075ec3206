package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Facts the operator must remember between reconciles that no other status field holds. Written and read only by the
 * operator: conditions explain the same facts to people, but no decision is taken from a condition's reason.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MemoryStatus {

    @JsonPropertyDescription("When the operator shut the primary down for a clone (cloneStrategy StopPrimary), RFC 3339;"
            + " present while it owes the primary a start.")
    public String primaryStoppedForCloneSince;

    @JsonPropertyDescription("True after the primary's storage refused a snapshot: a running primary is then not cloned"
            + " without spec.secondary.cloneStrategy StopPrimary. Kept while the secondary does not exist.")
    public Boolean snapshotUnsupported;

    @JsonPropertyDescription("The cause of the split brain last found (e.g. TwoMastersUnconfirmed,"
            + " AdvertsBlockedByFirewall); absent when there is none. A cause that stops keepalived on one node keeps it"
            + " stopped until the cause goes, or for a while.")
    public String splitBrainCause;

    @JsonPropertyDescription("Since when the split brain of splitBrainCause is seen (RFC 3339); a node held back for it is"
            + " tried again 5 minutes after.")
    public String splitBrainSince;

    @JsonPropertyDescription("True while the operator runs lsyncd on the primary (sync mode Lsyncd); when the mode changes"
            + " it stops the lsyncd it ran, and never one it did not.")
    public Boolean lsyncdRunByOperator;
}
