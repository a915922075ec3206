package io.traefikha.demo.kubeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.List;
import java.util.Optional;

/**
 * One kind the embedded API serves, with what kubectl learns about it from discovery (names, scope, the status
 * subresource), from Tables (columns) and from OpenAPI (schema).
 *
 * @param group   "" for the core group
 * @param schema  the openAPIV3Schema of a CRD version; a bare object schema for core kinds
 */
record ApiResource(String group, String version, String plural, String singular, String kind, boolean namespaced,
                   List<String> shortNames, boolean statusSubresource, List<PrinterColumn> columns, JsonNode schema) {

    /** The core kinds the demo shows with kubectl, with columns like a real API server's (fewer of them). */
    static final List<ApiResource> CORE = List.of(
            core("", "namespaces", "Namespace", false, List.of("ns"), true,
                    List.of(PrinterColumn.of("Status", "string", ".status.phase"), PrinterColumn.age())),
            core("", "secrets", "Secret", true, List.of(), false,
                    List.of(PrinterColumn.of("Type", "string", ".type"), PrinterColumn.age())),
            core("", "configmaps", "ConfigMap", true, List.of("cm"), false, List.of(PrinterColumn.age())),
            core("", "events", "Event", true, List.of("ev"), false, List.of(
                    PrinterColumn.of("Last Seen", "date", ".lastTimestamp"),
                    PrinterColumn.of("Type", "string", ".type"),
                    PrinterColumn.of("Reason", "string", ".reason"),
                    PrinterColumn.of("Object", "string", ".involvedObject.name"),
                    PrinterColumn.of("Message", "string", ".message"))),
            core("apiextensions.k8s.io", "customresourcedefinitions", "CustomResourceDefinition", false,
                    List.of("crd", "crds"), true,
                    List.of(PrinterColumn.of("Created At", "date", ".metadata.creationTimestamp"))));

    private static ApiResource core(String group, String plural, String kind, boolean namespaced, List<String> shortNames,
            boolean statusSubresource, List<PrinterColumn> columns) {
        return new ApiResource(group, "v1", plural, kind.toLowerCase(java.util.Locale.ROOT), kind, namespaced, shortNames,
                statusSubresource, columns, JsonNodeFactory.instance.objectNode().put("type", "object"));
    }

    /** One resource per served version of the CRD. */
    static List<ApiResource> fromCrd(CustomResourceDefinition crd) {
        var spec = crd.getSpec();
        var names = spec.getNames();
        return spec.getVersions().stream().filter(CustomResourceDefinitionVersion::getServed)
                .map(version -> new ApiResource(spec.getGroup(), version.getName(), names.getPlural(),
                        Optional.ofNullable(names.getSingular()).orElse(names.getKind().toLowerCase(java.util.Locale.ROOT)),
                        names.getKind(), "Namespaced".equals(spec.getScope()),
                        Optional.ofNullable(names.getShortNames()).orElse(List.of()),
                        version.getSubresources() != null && version.getSubresources().getStatus() != null,
                        columns(version), schema(version)))
                .toList();
    }

    private static List<PrinterColumn> columns(CustomResourceDefinitionVersion version) {
        List<CustomResourceColumnDefinition> declared = version.getAdditionalPrinterColumns();
        if (declared == null || declared.isEmpty()) {
            return List.of(PrinterColumn.age()); // what a real API server shows for a CRD without columns
        }
        return declared.stream().map(column -> new PrinterColumn(column.getName(), column.getType(),
                Optional.ofNullable(column.getDescription()).orElse(""),
                Optional.ofNullable(column.getPriority()).orElse(0), JsonPath.parse(column.getJsonPath()))).toList();
    }

    private static JsonNode schema(CustomResourceDefinitionVersion version) {
        if (version.getSchema() == null || version.getSchema().getOpenAPIV3Schema() == null) {
            return JsonNodeFactory.instance.objectNode().put("type", "object");
        }
        return Json.MAPPER.valueToTree(version.getSchema().getOpenAPIV3Schema());
    }

    String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** "api/v1" or "apis/GROUP/VERSION", as in URLs and OpenAPI v3 paths. */
    String groupVersionPath() {
        return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }
}
