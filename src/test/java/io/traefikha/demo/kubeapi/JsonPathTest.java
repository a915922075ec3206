package io.traefikha.demo.kubeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonPathTest {

    private static final JsonNode OBJECT = Json.parse("""
            {"metadata": {"name": "traefik", "labels": {"app.kubernetes.io/name": "traefik-ha"}},
             "spec": {"vip": {"address": "192.168.1.100/24"}, "records": ["traefik", "memos", "grafana"]},
             "status": {"failovers": {"count": 2},
                        "conditions": [{"type": "Valid", "status": "True"},
                                       {"type": "Ready", "status": "False", "reason": "Provisioning"}]}}""");

    private static List<String> select(String expression) {
        return JsonPath.parse(expression).select(OBJECT).stream().map(JsonNode::asText).toList();
    }

    @Test
    void followsFieldsWithOrWithoutBracesAndRoot() {
        assertThat(select(".spec.vip.address")).containsExactly("192.168.1.100/24");
        assertThat(select("{.spec.vip.address}")).containsExactly("192.168.1.100/24");
        assertThat(select("$.status.failovers.count")).containsExactly("2");
        assertThat(JsonPath.parse(".status.failovers.count").select(OBJECT).get(0).isInt()).isTrue();
    }

    @Test
    void quotedNamesMayContainDots() {
        assertThat(select(".metadata.labels['app.kubernetes.io/name']")).containsExactly("traefik-ha");
    }

    @Test
    void indexesCountFromEitherEndAndTheWildcardTakesAll() {
        assertThat(select(".spec.records[0]")).containsExactly("traefik");
        assertThat(select(".spec.records[-1]")).containsExactly("grafana");
        assertThat(select(".spec.records[*]")).containsExactly("traefik", "memos", "grafana");
        assertThat(select(".status.conditions[*].type")).containsExactly("Valid", "Ready");
    }

    @Test
    void filtersSelectArrayElementsByEqualityInequalityOrPresence() {
        assertThat(select(".status.conditions[?(@.type==\"Ready\")].status")).containsExactly("False");
        assertThat(select(".status.conditions[?(@.type == 'Valid')].status")).containsExactly("True");
        assertThat(select(".status.conditions[?(@.type!=\"Ready\")].type")).containsExactly("Valid");
        assertThat(select(".status.conditions[?(@.reason)].type")).containsExactly("Ready");
    }

    @Test
    void reachingNothingIsEmptyNotAnError() {
        assertThat(select(".status.sync.state")).isEmpty();
        assertThat(select(".spec.records[7]")).isEmpty();
        assertThat(select(".spec.vip.address[0]")).isEmpty();
        assertThat(select(".status.conditions[?(@.type==\"Absent\")].status")).isEmpty();
    }

    @Test
    void unsupportedSyntaxIsRejectedWhenParsed() {
        assertThatThrownBy(() -> JsonPath.parse(".spec..vip")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(".spec..vip");
        assertThatThrownBy(() -> JsonPath.parse(".spec.records[0:2]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonPath.parse(".status.conditions[?(@.type==\"Ready\"]"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
