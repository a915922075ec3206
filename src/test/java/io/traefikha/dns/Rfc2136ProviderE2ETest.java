package io.traefikha.dns;

import static io.traefikha.dns.ServedEvidence.CLEAR;
import io.traefikha.testbed.E2ePrerequisites;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The RFC 2136 provider against a real BIND 9 on loopback, started and stopped by this test. */
@Tag("e2e")
class Rfc2136ProviderE2ETest {

    static final String ZONE = "internal.lakehouse.wtf";
    static final String KEY = "traefik-ha-operator";
    static final String P = "192.168.1.110";
    static final String V = "192.168.1.100";
    static final String X = "192.168.1.50";
    static final String P6 = "fd00:1::110";
    static final String V6 = "fd00:1::100";
    static final String X6 = "fd00:1::50";
    static final int TTL = 120;

    @TempDir
    static Path dir;
    static BindServer bind;
    static String secret;

    @BeforeAll
    static void startBind() throws Exception {
        Path named = E2ePrerequisites.requireExecutable("named", "bind9");
        secret = randomSecret();
        bind = BindServer.start(named, dir, ZONE, KEY, "hmac-sha256", secret, List.of(
                "traefik IN A " + P, "grafana IN A " + P, "wiki IN A " + P, "memos IN A " + P, "nas IN A " + X,
                "docs IN CNAME wiki", "race IN A " + P, "dual IN A " + P, "dual IN AAAA FD00:1:0:0::110",
                "v4only IN A " + P, "foreign6 IN A " + P, "foreign6 IN AAAA " + X6));
    }

    @AfterAll
    static void stopBind() {
        if (bind != null) {
            bind.close();
        }
    }

    static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Rfc2136Provider provider(String keyName, String keySecret) {
        return new Rfc2136Provider("127.0.0.1", bind.port(), ZONE, new Rfc2136Provider.TsigKey(keyName, "hmac-sha256", keySecret),
                TTL, Duration.ofSeconds(5));
    }

    static String fqdn(String label) {
        return label + "." + ZONE;
    }

    @Test
    void lookupReadsTheServersAnswers() {
        var answers = provider(KEY, secret).lookup(List.of(fqdn("traefik"), fqdn("nas"), fqdn("docs"), fqdn("missing")));

        assertThat(answers).isEqualTo(Map.of(fqdn("traefik"), List.of(P), fqdn("nas"), List.of(X),
                fqdn("docs"), List.of(fqdn("wiki")), fqdn("missing"), List.of()));
    }

    @Test
    void aSignedUpdateReplacesTheRrsetWithTheSpecsTtl() throws Exception {
        var provider = provider(KEY, secret);

        provider.replace(fqdn("grafana"), List.of(P), List.of(V));

        assertThat(provider.lookup(List.of(fqdn("grafana")))).isEqualTo(Map.of(fqdn("grafana"), List.of(V)));
        assertThat(ttlOf(fqdn("grafana"))).isEqualTo(TTL);
    }

    @Test
    void aWrongSecretOrUnknownKeyIsRefusedWithAClearErrorAndChangesNothing() {
        var wrongSecret = provider(KEY, randomSecret());
        var unknownKey = provider("someone-else", secret);

        for (var provider : List.of(wrongSecret, unknownKey)) {
            assertThatThrownBy(() -> provider.replace(fqdn("wiki"), List.of(P), List.of(V)))
                    .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind())
                            .isEqualTo(ProviderException.Kind.AUTHENTICATION))
                    .hasMessageContaining("NOTAUTH").hasMessageContaining("TSIG key")
                    .hasMessageNotContaining(secret);
        }
        assertThat(provider(KEY, secret).lookup(List.of(fqdn("wiki")))).isEqualTo(Map.of(fqdn("wiki"), List.of(P)));
    }

    @Test
    void discoveryTransfersTheZoneSignedAndKeepsTheNamesAnsweringTheAddress() {
        assertThat(provider(KEY, secret).namesAnswering(P, ZONE)).contains(fqdn("traefik"), fqdn("memos"))
                .doesNotContain(fqdn("nas"), fqdn("docs"), fqdn("ns")).isSorted();
        assertThat(provider(KEY, secret).namesAnswering(P, "memos." + ZONE)).containsExactly(fqdn("memos"));

        assertThatThrownBy(() -> provider("someone-else", secret).namesAnswering(P, ZONE))
                .isInstanceOf(ProviderException.class).hasMessageContaining("zone transfer")
                .hasMessageContaining("someone-else").hasMessageNotContaining(secret);
    }

    @Test
    void theExpectedRrsetIsAPrerequisiteSoAConcurrentChangeIsNotOverwritten() {
        var provider = provider(KEY, secret);
        provider.replace(fqdn("race"), List.of(P), List.of(X)); // someone else's change

        assertThatThrownBy(() -> provider.replace(fqdn("race"), List.of(P), List.of(V)))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind())
                        .isEqualTo(ProviderException.Kind.CONCURRENT_CHANGE))
                .hasMessageContaining("NXRRSET");
        assertThatThrownBy(() -> provider.replace(fqdn("race"), List.of(), List.of(V)))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind())
                        .isEqualTo(ProviderException.Kind.CONCURRENT_CHANGE));
        assertThat(provider.lookup(List.of(fqdn("race")))).isEqualTo(Map.of(fqdn("race"), List.of(X)));
    }

    @Test
    void migrationAndRollbackRestoreExactlyWhatWasThere() {
        var provider = provider(KEY, secret);
        List<OwnershipRegistry> saved = new ArrayList<>();
        var migration = new DnsMigration(provider, saved::add);
        var spec = new MigrationSpec(List.of(new MigrationSpec.Group("all",
                List.of(fqdn("traefik"), fqdn("memos"), fqdn("created"), fqdn("nas")))), Duration.ZERO, false, P, V);

        var moved = migration.reconcile(spec, OwnershipRegistry.empty(), MigrationProgress.NONE, true, CLEAR, Instant.now(), false);

        assertThat(moved.failure()).isNull();
        assertThat(moved.plan().conflicts()).extracting(DnsPlan.DnsConflict::name).containsExactly(fqdn("nas"));
        assertThat(provider.lookup(List.of(fqdn("traefik"), fqdn("memos"), fqdn("created"), fqdn("nas")))).isEqualTo(Map.of(
                fqdn("traefik"), List.of(V), fqdn("memos"), List.of(V), fqdn("created"), List.of(V), fqdn("nas"), List.of(X)));

        var rolledBack = migration.rollback(moved.registry(), V, false);

        assertThat(rolledBack.failure()).isNull();
        assertThat(provider.lookup(List.of(fqdn("traefik"), fqdn("memos"), fqdn("created"), fqdn("nas")))).isEqualTo(Map.of(
                fqdn("traefik"), List.of(P), fqdn("memos"), List.of(P), fqdn("created"), List.of(), fqdn("nas"), List.of(X)));
        assertThat(saved).last().isEqualTo(OwnershipRegistry.empty());
    }

    @Test
    void aaaaRecordsAreReadInTheirCanonicalTextAndMovedBesideTheARecordsAndRolledBack() {
        var provider = provider(KEY, secret);
        List<String> names = List.of(fqdn("dual"), fqdn("v4only"), fqdn("foreign6"));
        assertThat(provider.lookup(names, RecordType.AAAA)).isEqualTo(Map.of(fqdn("dual"), List.of(P6),
                fqdn("v4only"), List.of(), fqdn("foreign6"), List.of(X6)));
        List<OwnershipRegistry> saved = new ArrayList<>();
        var migration = new DnsMigration(provider, saved::add);
        var spec = new MigrationSpec(List.of(new MigrationSpec.Group("all", names)), Duration.ZERO, false, P, V)
                .withIpv6(V6, List.of(P6));

        var moved = migration.reconcile(spec, OwnershipRegistry.empty(), MigrationProgress.NONE, true, CLEAR, Instant.now(), false);

        assertThat(moved.failure()).isNull();
        assertThat(moved.plan().aaaa().conflicts()).extracting(DnsPlan.DnsConflict::name).containsExactly(fqdn("foreign6"));
        assertThat(provider.lookup(names, RecordType.A)).isEqualTo(Map.of(fqdn("dual"), List.of(V), fqdn("v4only"), List.of(V),
                fqdn("foreign6"), List.of(V)));
        assertThat(provider.lookup(names, RecordType.AAAA)).isEqualTo(Map.of(fqdn("dual"), List.of(V6),
                fqdn("v4only"), List.of(V6), fqdn("foreign6"), List.of(X6)));

        var rolledBack = migration.rollback(moved.registry(), V, false);

        assertThat(rolledBack.failure()).isNull();
        assertThat(provider.lookup(names, RecordType.A)).isEqualTo(Map.of(fqdn("dual"), List.of(P), fqdn("v4only"), List.of(P),
                fqdn("foreign6"), List.of(P)));
        assertThat(provider.lookup(names, RecordType.AAAA)).isEqualTo(Map.of(fqdn("dual"), List.of(P6),
                fqdn("v4only"), List.of(), fqdn("foreign6"), List.of(X6)));
        assertThat(saved).last().isEqualTo(OwnershipRegistry.empty());
    }

    @Test
    void anAaaaUpdateHasTheExpectedAaaaRrsetAsItsPrerequisite() {
        var provider = provider(KEY, secret);

        assertThatThrownBy(() -> provider.replace(fqdn("foreign6"), RecordType.AAAA, List.of(P6), List.of(V6)))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind())
                        .isEqualTo(ProviderException.Kind.CONCURRENT_CHANGE));
        assertThat(provider.lookup(List.of(fqdn("foreign6")), RecordType.AAAA)).isEqualTo(Map.of(fqdn("foreign6"), List.of(X6)));
    }

    /** TTL of a name's A record, read with a plain unsigned query, as any client would. */
    private static long ttlOf(String name) throws Exception {
        var resolver = new SimpleResolver("127.0.0.1");
        resolver.setPort(bind.port());
        resolver.setTimeout(Duration.ofSeconds(5));
        Message response = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN)));
        return response.getSection(Section.ANSWER).get(0).getTTL();
    }
}
