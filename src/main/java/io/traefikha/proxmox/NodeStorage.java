package io.traefikha.proxmox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Arrays;

/**
 * One entry of GET /nodes/{node}/storage: a storage enabled on that node the token may see, with its use in bytes
 * ({@code avail}, {@code total} are absent while the storage is not active).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeStorage(String storage, String type, String content, Integer shared, Integer enabled, Integer active,
        Long total, Long used, Long avail) {

    public boolean isActive() {
        return active != null && active == 1;
    }

    public boolean holdsContainers() {
        return content != null && Arrays.asList(content.split(",")).contains("rootdir");
    }
}
