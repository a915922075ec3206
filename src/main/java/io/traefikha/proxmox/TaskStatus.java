package io.traefikha.proxmox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** GET /nodes/{node}/tasks/{upid}/status. {@code exitstatus} is only set once the task has stopped. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskStatus(String upid, String node, String status, String exitstatus, String type, String id, String user) {

    public boolean running() {
        return "running".equals(status);
    }

    /** OK or "WARNINGS: n" both mean the task did its job. */
    public boolean succeeded() {
        return !running() && exitstatus != null && (exitstatus.equals("OK") || exitstatus.startsWith("WARNINGS: "));
    }
}
