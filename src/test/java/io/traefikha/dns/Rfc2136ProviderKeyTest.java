package io.traefikha.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the provider refuses before sending anything: each fault of the TSIG key named (never the secret), a server name
 * that does not resolve as an unavailable server. The name is under the reserved .invalid, so no public name is looked up.
 */
class Rfc2136ProviderKeyTest {

    private static final String SECRET = "c2VjcmV0LWtleS1mb3ItdGVzdHM=";

    private static Rfc2136Provider provider(String server, String algorithm, String secret) {
        return new Rfc2136Provider(server, 53, "lakehouse.wtf", new Rfc2136Provider.TsigKey("traefikha", algorithm, secret),
                300, Duration.ofSeconds(1));
    }

    @Test
    void aValidKeyAndAnAddressAreAccepted() {
        assertThat(provider("127.0.0.1", "hmac-sha256", SECRET).server()).isEqualTo("127.0.0.1:53");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64: s3cr3t!", "this is not base64!", "c2VjcmV0LWtleS1mb3Itd*VzdHM="})
    void aSecretThatIsNotBase64IsNamedWithoutBeingQuoted(String secret) {
        assertThatThrownBy(() -> provider("127.0.0.1", "hmac-sha256", secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TSIG key 'traefikha': the secret is not base64");
    }

    @Test
    void whitespaceInTheSecretIsAllowedAsBindWritesIt() {
        assertThat(provider("127.0.0.1", "hmac-sha256", "c2VjcmV0LWtl eS1mb3Itd\nGVzdHM=").server()).isEqualTo("127.0.0.1:53");
    }

    @Test
    void anUnknownAlgorithmIsNamed() {
        assertThatThrownBy(() -> provider("127.0.0.1", "hmac-sha3", SECRET)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TSIG key 'traefikha': unknown algorithm 'hmac-sha3' (e.g. hmac-sha256)");
    }

    @Test
    void aServerNameThatDoesNotResolveIsAnUnavailableServer() {
        assertThatThrownBy(() -> provider("ns1.traefikha.invalid", "hmac-sha256", SECRET))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("DNS server 'ns1.traefikha.invalid' cannot be resolved");
                });
    }
}
