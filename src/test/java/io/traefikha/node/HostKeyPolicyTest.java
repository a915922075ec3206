package io.traefikha.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.traefikha.domain.Role;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The policies built from the pins, and what each lets through. */
class HostKeyPolicyTest {

    private static final byte[] OLD = "old key blob".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW = "new key blob".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER = "someone else".getBytes(StandardCharsets.UTF_8);

    @Test
    void whileNewKeysArePendingTheNodeMayPresentItsPinOrOneOfThemAndNothingElse() {
        String old = HostKeyVerifier.fingerprint(OLD);
        String fresh = HostKeyVerifier.fingerprint(NEW);
        Map<Role, HostKeyPolicy> policies = HostKeyPolicy.of(Role.pair(), Optional.empty(), Map.of(Role.PRIMARY, old,
                Role.SECONDARY, old), Map.of(Role.SECONDARY, Set.of(fresh)));

        assertThat(policies.get(Role.PRIMARY)).as("the primary's pin is never widened")
                .isEqualTo(new HostKeyPolicy.TrustOnFirstUse(old));
        HostKeyPolicy secondary = policies.get(Role.SECONDARY);
        assertThat(accepts(secondary, OLD)).as("before the move").isTrue();
        assertThat(accepts(secondary, NEW)).as("after the move").isTrue();
        assertThat(accepts(secondary, OTHER)).isFalse();
        assertThat(accepts(policies.get(Role.PRIMARY), NEW)).isFalse();
    }

    @Test
    void withoutPendingKeysThePinAloneHolds() {
        String old = HostKeyVerifier.fingerprint(OLD);
        HostKeyPolicy secondary = HostKeyPolicy.of(Role.pair(), Optional.empty(), Map.of(Role.SECONDARY, old), Map.of())
                .get(Role.SECONDARY);

        assertThat(accepts(secondary, OLD)).isTrue();
        assertThat(accepts(secondary, NEW)).isFalse();
    }

    @Test
    void knownHostsFromTheSecretWinOverPendingKeys() {
        HostKeyPolicy secondary = HostKeyPolicy.of(Role.pair(), Optional.of("10.0.0.1 ssh-ed25519 AAAA\n"), Map.of(),
                Map.of(Role.SECONDARY, Set.of(HostKeyVerifier.fingerprint(NEW)))).get(Role.SECONDARY);

        assertThat(secondary).isInstanceOf(HostKeyPolicy.KnownHosts.class);
    }

    private static boolean accepts(HostKeyPolicy policy, byte[] key) {
        return new HostKeyVerifier(policy).check("node", key) == com.jcraft.jsch.HostKeyRepository.OK;
    }
}
