package io.traefikha.demo.kubeapi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MergePatchTest {

    @Test
    void mergesObjectsReplacesArraysAndRemovesNulls() {
        var current = Json.parse("""
                {"status": {"phase": "Pending", "conditions": [{"type": "Ready", "status": "False"}], "sync": {"state": "X"}}}""");
        var patch = Json.parse("""
                {"status": {"phase": "Ready", "conditions": [{"type": "Ready", "status": "True"}], "sync": null}}""");

        assertThat(MergePatch.apply(current, patch)).isEqualTo(Json.parse("""
                {"status": {"phase": "Ready", "conditions": [{"type": "Ready", "status": "True"}]}}"""));
    }

    @Test
    void theJsonPatchReplacesChangedTopLevelMembersOnly() {
        var current = Json.parse("{\"spec\": {\"a\": 1}, \"status\": {\"b\": 2}, \"gone\": true}");
        var updated = Json.parse("{\"spec\": {\"a\": 1}, \"status\": {\"b\": 3}}");

        assertThat(MergePatch.asJsonPatch(current, updated)).isEqualTo(Json.parse("""
                [{"op": "add", "path": "/status", "value": {"b": 3}}, {"op": "remove", "path": "/gone"}]"""));
    }

    @Test
    void secretsKeepTheirValuesInDataBase64Encoded() {
        var secret = Json.parse("{\"data\": {\"a\": \"eA==\"}, \"stringData\": {\"password\": \"s3cret\"}}");

        assertThat(MergePatch.foldStringData(secret))
                .isEqualTo(Json.parse("{\"data\": {\"a\": \"eA==\", \"password\": \"czNjcmV0\"}}"));
    }
}
