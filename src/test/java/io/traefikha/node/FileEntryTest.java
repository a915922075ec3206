package io.traefikha.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.traefikha.domain.FileEntry;
import org.junit.jupiter.api.Test;

class FileEntryTest {

    static final String HASH = "0123456789abcdef".repeat(4);

    @Test
    void joinsTheTwoPassesByPathAndDropsAFileSeenByOnlyOne() {
        String listing = "M 640 root traefik /etc/traefik/a b.yml\n"
                + "M 644 root root /etc/traefik/deleted-meanwhile.yml\n"
                + "H " + HASH + "  /etc/traefik/a b.yml\n"
                + "H " + HASH + "  /etc/traefik/created-meanwhile.yml\n";

        assertThat(FileEntry.parseListing(listing))
                .containsExactly(new FileEntry("/etc/traefik/a b.yml", HASH, 0640, "root", "traefik"));
        assertThat(FileEntry.parseListing("")).isEmpty();
    }

    @Test
    void refusesALineItCannotRead() {
        assertThatThrownBy(() -> FileEntry.parseListing("H \\" + HASH + "  /etc/traefik/new\\nline\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
