package io.traefikha.demo.kubeapi;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Legacy (unaggregated) discovery: /api, /apis and one resource list per group version. kubectl asks for aggregated
 * discovery first and falls back to these when the answer is plain application/json.
 */
final class Discovery {

    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");
    private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

    private Discovery() {
    }

    /** Without serverAddressByClientCIDRs: clients use the address they already connect to. */
    static String apiVersions() {
        return Json.write(new APIVersionsBuilder().withVersions("v1").build());
    }

    static String groups(List<ApiResource> resources) {
        Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
        resources.stream().filter(r -> !r.group().isEmpty()).forEach(r -> versionsByGroup
                .computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r.version()));
        List<APIGroup> groups = versionsByGroup.entrySet().stream().map(entry -> {
            List<GroupVersionForDiscovery> versions = entry.getValue().stream().distinct()
                    .map(v -> new GroupVersionForDiscovery(entry.getKey() + "/" + v, v)).toList();
            return new APIGroupBuilder().withName(entry.getKey()).withVersions(versions)
                    .withPreferredVersion(versions.get(0)).build();
        }).toList();
        return Json.write(new APIGroupListBuilder().withGroups(groups).build());
    }

    /** The resource list of "api/v1" or "apis/GROUP/VERSION", or empty when nothing is served there. */
    static Optional<String> resourceList(String groupVersionPath, List<ApiResource> resources) {
        List<ApiResource> served = resources.stream().filter(r -> r.groupVersionPath().equals(groupVersionPath)).toList();
        if (served.isEmpty()) {
            return Optional.empty();
        }
        List<APIResource> listed = new ArrayList<>();
        for (ApiResource resource : served) {
            listed.add(new APIResourceBuilder().withName(resource.plural()).withSingularName(resource.singular())
                    .withKind(resource.kind()).withNamespaced(resource.namespaced()).withVerbs(VERBS)
                    .withShortNames(resource.shortNames()).build());
            if (resource.statusSubresource()) {
                listed.add(new APIResourceBuilder().withName(resource.plural() + "/status").withSingularName("")
                        .withKind(resource.kind()).withNamespaced(resource.namespaced()).withVerbs(STATUS_VERBS).build());
            }
        }
        return Optional.of(Json.write(new APIResourceListBuilder().withGroupVersion(served.get(0).groupVersion())
                .withResources(listed).build()));
    }
}
