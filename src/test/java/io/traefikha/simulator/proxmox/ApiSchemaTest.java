package io.traefikha.simulator.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Request validation with pve-common's texts, and the returns check the contract tests rely on. */
class ApiSchemaTest {

    private final ApiSchema schema = ApiSchema.bundled();
    private final ApiSchema.Endpoint clone = schema.match("POST", "/nodes/proxmox/lxc/110/clone").orElseThrow().endpoint();

    @Test
    void matchesTemplatesAndDecodesPathParameters() {
        var match = schema.match("GET", "/nodes/pve1/tasks/UPID%3Apve1%3A00000001%3A00000002%3A00000003%3Avzstart%3A105%3Aroot%40pam%3A/status");
        assertThat(match).get().satisfies(m -> assertThat(m.pathParameters())
                .containsEntry("upid", "UPID:pve1:00000001:00000002:00000003:vzstart:105:root@pam:"));
        assertThat(schema.match("GET", "/nodes/pve1/qemu")).isEmpty();
        assertThat(schema.match("PATCH", "/version")).isEmpty();
    }

    @Test
    void reportsEachWrongParameterWithProxmoxTexts() {
        Map<String, String> errors = schema.validateParameters(clone, Map.of("node", "proxmox", "vmid", "50", "full", "true",
                "hostname", "bad_name", "color", "red"));
        assertThat(errors).containsEntry("vmid", "invalid format - value does not look like a valid VM ID\n")
                .containsEntry("full", "type check ('boolean') failed - got 'true'")
                .containsEntry("hostname", "invalid format - value does not look like a valid DNS name\n")
                .containsEntry("color", "property is not defined in schema and the schema does not allow additional properties")
                .containsEntry("newid", "property is missing and it is not optional");
        assertThat(schema.validateParameters(clone, Map.of("node", "proxmox", "vmid", "110", "newid", "111", "full", "1"))).isEmpty();
        assertThat(schema.validateParameters(clone, Map.of("node", "proxmox", "vmid", "110", "newid", "111", "bwlimit", "-1")))
                .containsEntry("bwlimit", "value must have a minimum value of 0");
    }

    @Test
    void checksPropertyStringsKeyByKey() {
        ApiSchema.Endpoint put = schema.match("PUT", "/nodes/proxmox/lxc/110/config").orElseThrow().endpoint();
        assertThat(schema.validateParameters(put, Map.of("node", "proxmox", "vmid", "110",
                "net0", "name=eth0,bridge=vmbr0,ip=192.168.1.300/24"))).hasEntrySatisfying("net0",
                        why -> assertThat(why).contains("ip: invalid format - value does not look like a valid ipv4 network configuration"));
        assertThat(schema.validateParameters(put, Map.of("node", "proxmox", "vmid", "110",
                "net0", "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01,ip=192.168.1.30/24,gw=192.168.1.1,type=veth"))).isEmpty();
    }

    @Test
    void returnsCheckCatchesWrongShapes() throws Exception {
        ApiSchema.Endpoint status = schema.match("GET", "/nodes/n/tasks/x/status").orElseThrow().endpoint();
        var bad = new ObjectMapper().readTree("{\"upid\":\"u\",\"node\":\"n\",\"pid\":1,\"pstart\":1,\"starttime\":1,"
                + "\"type\":\"t\",\"id\":\"1\",\"user\":\"u\",\"status\":\"done\"}");
        assertThat(schema.validateReturns(status, bad)).singleElement().asString().contains("'done' not in");
        ApiSchema.Endpoint nextid = schema.match("GET", "/cluster/nextid").orElseThrow().endpoint();
        assertThat(schema.validateReturns(nextid, new ObjectMapper().readTree("\"105\""))).isEmpty();
    }
}
