package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The DNS records that must point at the VIP. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DnsStatus {

    @JsonPropertyDescription("Number of records the spec asks for.")
    public Integer wanted;

    @JsonPropertyDescription("Number of records that resolve to the VIP.")
    public Integer inPlace;

    @JsonPropertyDescription("Records that point somewhere the operator does not own and were left alone.")
    public List<String> conflicting = new ArrayList<>();

    @JsonPropertyDescription("Names dns.discover found that records does not list (they move last, in the group"
            + " 'discovered'), and names it found earlier that the operator has moved.")
    public List<String> discovered;

    @JsonPropertyDescription("Name of the migration group currently live (the last one moved).")
    public String livePhase;

    @JsonPropertyDescription("When the live migration group was first seen fully in place (RFC 3339); the next group moves"
            + " soakTime after this, while the cluster is Ready.")
    public String livePhaseSince;

    @JsonPropertyDescription("Moved names that did not answer through the VIP at their last check: while any does, the"
            + " live group's soak starts again every reconcile and the next group waits.")
    public List<String> soakHeldBy;

    @JsonPropertyDescription("The migration group that moves next, if any.")
    public String nextPhase;

    @JsonPropertyDescription("Earliest time the next group may move (RFC 3339).")
    public String nextPhaseNotBefore;

    @JsonPropertyDescription("With an IPv6 VIP in vip.addresses: the AAAA answers of the names whose A answer is at the VIP.")
    public DnsAaaaStatus aaaa;

    @JsonPropertyDescription("Each server, with spec.dns.adguard.replicas. inPlace above is then the lowest of the servers'"
            + " counts, conflicting lists a name that conflicts on any server, and the live phase is that of the least"
            + " advanced server.")
    public List<DnsServerStatus> servers;
}
