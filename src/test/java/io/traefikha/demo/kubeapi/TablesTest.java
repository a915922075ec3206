package io.traefikha.demo.kubeapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablesTest {

    @Test
    void agesReadLikeKubectls() {
        assertThat(Tables.humanDuration(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Tables.humanDuration(Duration.ofSeconds(330))).isEqualTo("5m30s");
        assertThat(Tables.humanDuration(Duration.ofMinutes(42))).isEqualTo("42m");
        assertThat(Tables.humanDuration(Duration.ofMinutes(192))).isEqualTo("3h12m");
        assertThat(Tables.humanDuration(Duration.ofHours(30))).isEqualTo("30h");
        assertThat(Tables.humanDuration(Duration.ofHours(52))).isEqualTo("2d4h");
        assertThat(Tables.humanDuration(Duration.ofDays(400))).isEqualTo("400d");
    }

    @Test
    void cellsAreTypedMissingValuesNullAndSeveralValuesJoined() {
        var object = Json.parse("""
                {"metadata": {"name": "traefik", "creationTimestamp": "2026-01-01T00:00:00Z"},
                 "spec": {"records": ["a", "b"]}, "status": {"failovers": {"count": 2}}}""");
        List<PrinterColumn> columns = List.of(PrinterColumn.age(), PrinterColumn.of("Failovers", "integer",
                ".status.failovers.count"), PrinterColumn.of("Phase", "string", ".status.phase"),
                new PrinterColumn("Records", "string", "", 1, JsonPath.parse(".spec.records[*]")));

        var table = Tables.table(List.of(object), columns, "7", Instant.parse("2026-01-01T00:01:30Z"));

        assertThat(table.get("columnDefinitions").findValuesAsText("name"))
                .containsExactly("Name", "Age", "Failovers", "Phase", "Records");
        assertThat(table.get("columnDefinitions").get(4).get("priority").asInt()).isEqualTo(1);
        assertThat(table.get("rows").get(0).get("cells")).isEqualTo(Json.parse("[\"traefik\", \"90s\", 2, null, \"a,b\"]"));
        assertThat(table.get("rows").get(0).get("object")).isEqualTo(object);
    }
}
