package io.traefikha.proxmox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Arrays;

/**
 * One storage on one node as GET /cluster/resources?type=storage lists it: an entry for every node the storage is
 * enabled on ({@code nodes} in storage.cfg), {@code shared} from its config, {@code content} the content types it
 * holds ({@code rootdir} for container disks), {@code status} "available" once the node reported it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StorageResource(String id, String type, String storage, String node, String status, Integer shared,
        String content, String plugintype) {

    public boolean isShared() {
        return shared != null && shared == 1;
    }

    public boolean holdsContainers() {
        return content != null && Arrays.asList(content.split(",")).contains("rootdir");
    }
}
