package io.traefikha.domain;

import java.util.Map;
import java.util.Set;

/** The API token the operator uses and the privileges Proxmox grants it on each path asked about. */
public record TokenGrants(String tokenId, Map<String, Set<String>> byPath) {

    public TokenGrants {
        byPath = Map.copyOf(byPath);
    }
}
