package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;

/**
 * A part of the resource that could not be read, holding the JSON as it was stored. It is written back unchanged, so the
 * operator's copies and patches (JOSDK clones by serializing, and computes status patches as a JSON diff) never alter
 * what the user stored.
 */
interface VerbatimJson {

    JsonNode json();

    Unreadable unreadable();

    final class Writer extends JsonSerializer<VerbatimJson> {
        @Override
        public void serialize(VerbatimJson value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeTree(value.json());
        }
    }
}
