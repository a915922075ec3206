package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One preflight check: what was checked before the operator changes anything on Proxmox, and how it came out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PreflightCheckStatus {

    public static final String PASSED = "Passed";
    public static final String FAILED = "Failed";
    public static final String WARNING = "Warning";

    @JsonPropertyDescription("The check, e.g. TokenPrivileges.")
    public String name;

    @JsonPropertyDescription("Passed, Failed (blocks provisioning until fixed) or Warning (reported, does not block).")
    public String result;

    @JsonPropertyDescription("What was found and, for a failure, how to fix it.")
    public String message;

    @JsonPropertyDescription("When the check last ran (RFC 3339).")
    public String lastRun;

    public PreflightCheckStatus() {
    }

    public PreflightCheckStatus(String name, String result, String message, String lastRun) {
        this.name = name;
        this.result = result;
        this.message = message;
        this.lastRun = lastRun;
    }
}
