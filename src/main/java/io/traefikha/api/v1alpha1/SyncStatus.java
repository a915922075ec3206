package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The configuration sync from primary to secondary. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SyncStatus {

    @JsonPropertyDescription("InSync, Syncing, Drifted, Blocked (something cannot reach the secondary: no space, a"
            + " symlinked synced root; see condition ConfigInSync), Off or Unknown.")
    public String state;

    @JsonPropertyDescription("Hash of the synced tree on the primary.")
    public String primaryHash;

    @JsonPropertyDescription("Hash of the synced tree on the secondary.")
    public String secondaryHash;

    @JsonPropertyDescription("When both trees were last seen equal (RFC 3339).")
    public String lastSync;

    @JsonPropertyDescription("Since when the trees differ (RFC 3339); absent while they are equal. A difference that"
            + " outlives the sync delay is drift.")
    public String differentSince;

    @JsonPropertyDescription("Hash of the static configuration every node's Traefik was last restarted with (or found"
            + " running with); a different hash on the primary means a restart is due.")
    public String appliedStaticConfigHash;

    @JsonPropertyDescription("With more than one secondary: each secondary whose files differ from the primary's (secondary,"
            + " secondary-2, ...) and since when (RFC 3339); absent while every secondary is in sync.")
    public Map<String, String> behind;

    @JsonPropertyDescription("Files that differ between primary and secondary (at most 20 listed).")
    public List<String> outOfSync = new ArrayList<>();
}
