package io.traefikha.simulator.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The schema's {@code permissions.check} expressions ({@code perm}, {@code and}, {@code or}) with path parameters
 * filled in, judged against {@link PveAccess} for the authenticated token, before parameter validation as
 * pve-http-server does; a failure is 403 "Permission check failed (&lt;path&gt;, &lt;privilege&gt;)".
 */
final class Permissions {

    private final PveAccess access;
    private final String authid;

    Permissions(PveAccess access, String authid) {
        this.access = access;
        this.authid = authid;
    }

    private boolean has(String path, String privilege) {
        return access.has(authid, path, privilege);
    }

    /** Throws the 403 Proxmox answers when {@code check} fails for these parameters. */
    void check(JsonNode permissions, Map<String, String> params) {
        JsonNode check = permissions.path("check");
        if (check.isArray()) {
            failure(check, params).ifPresent(what -> {
                throw PveError.status(403, "Permission check failed (" + what + ")");
            });
        }
    }

    /** Empty when the expression holds, else "path, privilege" naming what is missing. */
    private Optional<String> failure(JsonNode expression, Map<String, String> params) {
        switch (expression.path(0).asText()) {
            case "perm" -> {
                return permFailure(expression, params);
            }
            case "and" -> {
                for (int i = 1; i < expression.size(); i++) {
                    Optional<String> failed = failure(expression.get(i), params);
                    if (failed.isPresent()) {
                        return failed;
                    }
                }
                return Optional.empty();
            }
            case "or" -> {
                Optional<String> first = Optional.empty();
                for (int i = 1; i < expression.size(); i++) {
                    Optional<String> failed = failure(expression.get(i), params);
                    if (failed.isEmpty()) {
                        return failed;
                    }
                    first = first.isPresent() ? first : failed;
                }
                return first;
            }
            default -> {
                // userid-param, userid-group and the like do not occur on the endpoints simulated
                return Optional.empty();
            }
        }
    }

    /** ["perm", path, [privileges], ("any", 1 | "require_param", name)...]: all privileges needed unless "any". */
    private Optional<String> permFailure(JsonNode perm, Map<String, String> params) {
        boolean any = false;
        for (int i = 3; i + 1 < perm.size(); i += 2) {
            String option = perm.get(i).asText();
            if (option.equals("any")) {
                any = perm.get(i + 1).asInt() == 1;
            } else if (option.equals("require_param") && !params.containsKey(perm.get(i + 1).asText())) {
                return Optional.of(perm.get(1).asText() + ", " + perm.get(2).path(0).asText());
            }
        }
        String path = perm.get(1).asText();
        for (Map.Entry<String, String> param : params.entrySet()) {
            path = path.replace("{" + param.getKey() + "}", param.getValue());
        }
        int missing = 0;
        String firstMissing = null;
        for (JsonNode privilege : perm.get(2)) {
            if (!has(path, privilege.asText())) {
                missing++;
                firstMissing = firstMissing == null ? privilege.asText() : firstMissing;
            }
        }
        if (any) {
            // check_any names every privilege it would have accepted
            List<String> all = new ArrayList<>();
            perm.get(2).forEach(p -> all.add(p.asText()));
            return missing < all.size() ? Optional.empty() : Optional.of(path + ", " + String.join("|", all));
        }
        return missing == 0 ? Optional.empty() : Optional.of(path + ", " + firstMissing);
    }
}
