package io.traefikha.demo.kubeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What kubectl needs on top of the fabric8 CRUD mock (the {@link ObjectStore}), which stays the only place objects
 * live:
 * <ul>
 * <li>discovery, OpenAPI v3 and /version, built from the core kinds and the stored CRDs;</li>
 * <li>lists named {@code <Kind>List} (describe drops a plain {@code List} of events), field selectors on any field
 * (describe selects events by {@code involvedObject.*}), and Tables when asked for;</li>
 * <li>writes of custom resources judged as kube-apiserver judges them ({@link CustomResourceWrites}: schema, CEL
 * rules, defaults, unknown fields, no strategic merge patch);</li>
 * <li>other writes with their query string removed (the mock misses the status subresource behind
 * {@code ?fieldManager=}) and strategic merge patches sent as JSON merge patches (kubectl apply of core kinds; the mock
 * knows only JSON and merge patches);</li>
 * <li>watches over plain HTTP ({@link #watch}), next to the mock's own WebSocket watches used by fabric8 clients.</li>
 * </ul>
 */
final class KubectlDispatcher extends Dispatcher {

    private static final String CRD_LIST = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private static final String VERSION = """
            {"major":"1","minor":"32","gitVersion":"v1.32.0-traefikha-embedded","platform":"linux/amd64"}""";

    private final ObjectStore store;
    private final CustomResourceWrites customResourceWrites;
    private final Clock clock;

    KubectlDispatcher(ObjectStore store, Clock clock) {
        this.store = store;
        this.customResourceWrites = new CustomResourceWrites(store);
        this.clock = clock;
    }

    /** Synchronized: a merge patch reads, merges and writes, and nothing may come in between. */
    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        ApiRequest api = ApiRequest.of(request.getPath());
        return switch (request.getMethod()) {
            case "GET" -> get(request, api);
            case "POST", "PUT", "PATCH" -> withStatusBodies(api, customResourceAt(api)
                    .map(resource -> customResourceWrites.write(request, api, resource))
                    .orElseGet(() -> store.dispatch(forStore(request, api))));
            default -> withStatusBodies(api, store.dispatch(request));
        };
    }

    /**
     * Streams a plain-HTTP watch as JSON lines to {@code lines}, from the objects newer than the requested
     * resourceVersion (all of them without one) to the changes that follow; the returned handle ends it.
     * Deletions that happened before the watch started are not replayed: the store keeps no history.
     */
    Runnable watch(RecordedRequest request, Consumer<String> lines) {
        ApiRequest api = ApiRequest.of(request.getPath());
        String collection = api.urlWithout("watch", "fieldSelector", "resourceVersion", "timeoutSeconds",
                "allowWatchBookmarks", "sendInitialEvents", "resourceVersionMatch");
        AttributeSet query = store.getKey(collection);
        FieldSelector selector = FieldSelector.parse(api.parameter("fieldSelector"));
        boolean asTable = Tables.requested(request.getHeader("Accept"));
        Optional<ApiResource> resource = resourceAt(api);
        Consumer<ObjectStore.Change> forward = change -> {
            boolean before = matches(change.beforeKey(), change.before(), query, selector);
            boolean after = matches(change.afterKey(), change.after(), query, selector);
            if (before && after) {
                lines.accept(watchEvent("MODIFIED", change.after(), asTable, resource));
            } else if (before) {
                lines.accept(watchEvent("DELETED", change.before(), asTable, resource));
            } else if (after) {
                lines.accept(watchEvent("ADDED", change.after(), asTable, resource));
            }
        };
        Runnable unsubscribe = store.subscribe(forward); // before reading the current state: no change slips through
        String since = api.parameter("resourceVersion");
        boolean fromScratch = since == null || since.isEmpty() || since.equals("0");
        for (JsonNode object : items(stored(collection))) {
            if (selector.matches(object) && (fromScratch || newer(object, since))) {
                lines.accept(watchEvent(fromScratch ? "ADDED" : "MODIFIED", Json.write(object), asTable, resource));
            }
        }
        return unsubscribe;
    }

    /** The core kinds and every served version of every stored CRD. */
    List<ApiResource> resources() {
        List<ApiResource> resources = new ArrayList<>(ApiResource.CORE);
        resources.addAll(customResources());
        return resources;
    }

    /** Every served version of every stored CRD. */
    private List<ApiResource> customResources() {
        List<ApiResource> resources = new ArrayList<>();
        for (JsonNode crd : items(stored(CRD_LIST))) {
            resources.addAll(ApiResource.fromCrd(Json.MAPPER.convertValue(crd, CustomResourceDefinition.class)));
        }
        return resources;
    }

    private MockResponse get(RecordedRequest request, ApiRequest api) {
        Optional<MockResponse> metadata = metadata(api.path());
        if (metadata.isPresent()) {
            return metadata.get();
        }
        if (api.isWatch()) {
            return store.dispatch(request); // the mock's WebSocket watch; plain-HTTP watches never get here
        }
        Optional<ApiResource> resource = resourceAt(api);
        MockResponse stored = store.handleGet(api.urlWithout("fieldSelector"));
        if (resource.isEmpty() || stored.code() != 200) {
            return withStatusBodies(api, stored);
        }
        JsonNode body = Json.parse(text(stored));
        boolean isList = api.location().map(l -> l.name() == null).orElse(false);
        List<JsonNode> objects = isList ? filtered(items(body), FieldSelector.parse(api.parameter("fieldSelector")))
                : List.of(body);
        String resourceVersion = body.path("metadata").path("resourceVersion").asText();
        if (Tables.requested(request.getHeader("Accept"))) {
            return Responses.json(200, Json.write(Tables.table(objects, resource.get().columns(), resourceVersion, clock.instant())));
        }
        return Responses.json(200, Json.write(isList ? list(resource.get(), objects, resourceVersion) : body));
    }

    /** /version, discovery and OpenAPI, or empty for resource URLs. */
    private Optional<MockResponse> metadata(String path) {
        if (path.equals("/version")) {
            return Optional.of(Responses.json(200, VERSION));
        }
        if (path.equals("/api")) {
            return Optional.of(Responses.json(200, Discovery.apiVersions()));
        }
        if (path.equals("/apis")) {
            return Optional.of(Responses.json(200, Discovery.groups(resources())));
        }
        if (path.equals("/openapi/v2")) {
            return Optional.of(Responses.status(404, "NotFound", "OpenAPI v2 is not served; kubectl reads /openapi/v3", null));
        }
        if (path.equals(OpenApi.ROOT)) {
            return Optional.of(Responses.json(200, Json.write(OpenApi.root(resources()))));
        }
        if (path.startsWith(OpenApi.ROOT + "/")) {
            return Optional.of(OpenApi.document(path.substring(OpenApi.ROOT.length() + 1), resources())
                    .map(document -> Responses.json(200, Json.write(document)))
                    .orElseGet(() -> Responses.status(404, "NotFound", "no OpenAPI document at " + path, null)));
        }
        String[] parts = path.substring(1).split("/");
        boolean groupVersion = parts.length == 2 && parts[0].equals("api") || parts.length == 3 && parts[0].equals("apis");
        if (groupVersion) {
            return Optional.of(Discovery.resourceList(path.substring(1), resources()).map(list -> Responses.json(200, list))
                    .orElseGet(() -> Responses.status(404, "NotFound", "the server could not find the requested resource", null)));
        }
        return Optional.empty();
    }

    private Optional<ApiResource> resourceAt(ApiRequest api) {
        return at(api, resources());
    }

    private Optional<ApiResource> customResourceAt(ApiRequest api) {
        return at(api, customResources());
    }

    private static Optional<ApiResource> at(ApiRequest api, List<ApiResource> resources) {
        return api.location().flatMap(location -> resources.stream()
                .filter(r -> r.groupVersionPath().equals(location.groupVersionPath())
                        && r.plural().equals(location.plural()))
                .findFirst());
    }

    /**
     * A write of a core kind without its query string (only the path and body matter to the mock's writes), merge
     * patches done here (see {@link MergePatch}) and Secrets' stringData folded into data.
     */
    private RecordedRequest forStore(RecordedRequest request, ApiRequest api) {
        String contentType = String.valueOf(request.getHeader("Content-Type"));
        boolean secret = api.location().filter(l -> l.groupVersionPath().equals("api/v1") && l.plural().equals("secrets"))
                .isPresent();
        byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
        boolean mergePatch = contentType.startsWith(CustomResourceWrites.MERGE_PATCH)
                || contentType.startsWith(CustomResourceWrites.STRATEGIC_MERGE_PATCH);
        MockResponse current = request.method() == HttpMethod.PATCH && mergePatch ? store.handleGet(api.path()) : null;
        if (current != null && current.code() == 200) {
            JsonNode stored = Json.parse(text(current));
            JsonNode patch = Json.parse(new String(body, StandardCharsets.UTF_8));
            // strategic merge (kubectl apply on core kinds) minus its directives is a merge patch for these objects
            JsonNode updated = MergePatch.apply(stored, withoutDirectives(patch));
            body = Json.write(MergePatch.asJsonPatch(stored, secret ? MergePatch.foldStringData(updated) : updated))
                    .getBytes(StandardCharsets.UTF_8);
            contentType = CustomResourceWrites.JSON_PATCH;
        } else if (request.method() != HttpMethod.PATCH && secret && body.length > 0) {
            body = Json.write(MergePatch.foldStringData(Json.parse(new String(body, StandardCharsets.UTF_8))))
                    .getBytes(StandardCharsets.UTF_8);
        }
        var headers = request.getHeaders().newBuilder().set("Content-Type", contentType);
        return new RecordedRequest(request.getHttpVersion(), request.method(), api.path(), headers.build(),
                new Buffer(body));
    }

    /** A strategic merge patch minus its {@code $patch}, {@code $setElementOrder/...} directives: a merge patch. */
    private static JsonNode withoutDirectives(JsonNode patch) {
        if (patch.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().startsWith("$")) {
                    fields.remove();
                } else {
                    withoutDirectives(field.getValue());
                }
            }
        } else if (patch.isArray()) {
            patch.forEach(KubectlDispatcher::withoutDirectives);
        }
        return patch;
    }

    /** The mock answers with no Content-Type, and with an empty body where kubectl expects a Status. */
    private MockResponse withStatusBodies(ApiRequest api, MockResponse response) {
        boolean hasBody = bytes(response).length > 0;
        if (response.code() == 404 && !hasBody) {
            Optional<ApiRequest.Location> location = api.location().filter(l -> l.name() != null);
            String resource = location.map(l -> l.plural() + groupSuffix(l)).orElse("resource");
            String name = location.map(ApiRequest.Location::name).orElse(api.path());
            return Responses.status(404, "NotFound", resource + " \"" + name + "\" not found",
                    location.map(l -> JsonNodeFactory.instance.objectNode().put("name", l.name()).put("kind", l.plural()))
                            .orElse(null));
        }
        return hasBody && response.header("Content-Type") == null
                ? response.setHeader("Content-Type", Responses.JSON) : response;
    }

    private static String groupSuffix(ApiRequest.Location location) {
        String[] parts = location.groupVersionPath().split("/");
        return parts[0].equals("apis") ? "." + parts[1] : "";
    }

    private static ObjectNode list(ApiResource resource, List<JsonNode> objects, String resourceVersion) {
        ObjectNode list = JsonNodeFactory.instance.objectNode().put("apiVersion", resource.groupVersion())
                .put("kind", resource.kind() + "List");
        list.putObject("metadata").put("resourceVersion", resourceVersion);
        ArrayNode items = list.putArray("items");
        objects.forEach(items::add);
        return list;
    }

    private String watchEvent(String type, String object, boolean asTable, Optional<ApiResource> resource) {
        JsonNode node = Json.parse(object);
        if (asTable && resource.isPresent()) {
            node = Tables.table(List.of(node), resource.get().columns(),
                    node.path("metadata").path("resourceVersion").asText(), clock.instant());
        }
        ObjectNode event = JsonNodeFactory.instance.objectNode().put("type", type);
        event.set("object", node);
        return Json.write(event);
    }

    private static boolean matches(AttributeSet key, String object, AttributeSet query, FieldSelector selector) {
        return key != null && key.matches(query) && selector.matches(Json.parse(object));
    }

    private static boolean newer(JsonNode object, String resourceVersion) {
        try {
            return Long.parseLong(object.path("metadata").path("resourceVersion").asText("0"))
                    > Long.parseLong(resourceVersion);
        } catch (NumberFormatException e) {
            return true; // not one of the store's counters: better an extra event than a missed one
        }
    }

    private JsonNode stored(String url) {
        return Json.parse(text(store.handleGet(url)));
    }

    private static List<JsonNode> items(JsonNode list) {
        List<JsonNode> items = new ArrayList<>();
        list.path("items").forEach(items::add);
        return items;
    }

    private static List<JsonNode> filtered(List<JsonNode> objects, FieldSelector selector) {
        return objects.stream().filter(selector::matches).toList();
    }

    private static String text(MockResponse response) {
        return new String(bytes(response), StandardCharsets.UTF_8);
    }

    /** The body, empty when the mock set none. */
    static byte[] bytes(MockResponse response) {
        return response.getBody() == null ? new byte[0] : response.getBody().getBytes();
    }

}
