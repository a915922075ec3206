package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * Stands in for a spec the operator cannot read. Its fields keep their defaults and mean nothing: the reconciler reports
 * the resource and acts on nothing for it; the stored JSON is kept and written back as it was.
 */
@JsonSerialize(using = VerbatimJson.Writer.class)
public final class UnreadableSpec extends TraefikHAClusterSpec implements VerbatimJson {

    private final JsonNode json;
    private final Unreadable unreadable;

    UnreadableSpec(JsonNode json, Unreadable unreadable) {
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
