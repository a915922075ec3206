package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * Stands in for a status the operator cannot read (written by another version of it, or edited by hand). It holds what
 * the operator remembered about the nodes, so it is neither trusted nor overwritten: the stored JSON is kept and written
 * back as it was.
 */
@JsonSerialize(using = VerbatimJson.Writer.class)
public final class UnreadableStatus extends TraefikHAClusterStatus implements VerbatimJson {

    private final JsonNode json;
    private final Unreadable unreadable;

    UnreadableStatus(JsonNode json, Unreadable unreadable) {
        this.json = json;
        this.unreadable = unreadable;
    }

    @Override
    public JsonNode json() {
        return json;
    }

    @Override
    public Unreadable unreadable() {
        return unreadable;
    }
}
