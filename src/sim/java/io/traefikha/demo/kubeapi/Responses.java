package io.traefikha.demo.kubeapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

/** The embedded API's own answers: JSON bodies, and failures as the Status objects a real API server sends. */
final class Responses {

    static final String JSON = "application/json";

    private Responses() {
    }

    static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", JSON).setBody(body);
    }

    /** A Status of kind Status with {@code reason} (NotFound, Invalid, ...); {@code details} may be null. */
    static MockResponse status(int code, String reason, String message, ObjectNode details) {
        ObjectNode status = JsonNodeFactory.instance.objectNode().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
        if (details != null) {
            status.set("details", details);
        }
        return json(code, Json.write(status));
    }
}
