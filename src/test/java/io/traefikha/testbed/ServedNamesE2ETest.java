package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.api.v1alpha1.ExampleSpecs;
import io.traefikha.api.v1alpha1.SecretRef;
import io.traefikha.api.v1alpha1.ServedNameStatus;
import io.traefikha.api.v1alpha1.SpecValidator;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.dns.BindServer;
import io.traefikha.dns.Rfc2136Provider;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.reconciler.FixedConnections;
import io.traefikha.reconciler.MemoryStateStore;
import io.traefikha.reconciler.RecordingEvents;
import io.traefikha.step.DnsStep;
import io.traefikha.step.ReconcileMetrics;
import io.traefikha.step.Round;
import io.traefikha.step.ServedNamesStep;
import io.traefikha.step.StatusAggregator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-name checks on the real-daemon bed: keepalived gives the VIP to the primary, a real BIND holds the names,
 * the DNS step moves them to the VIP as the operator does, and the production {@link io.traefikha.http.HttpsNameChecker}
 * asks each moved name through the VIP from the bed's client namespace, trusting the homelab CA made here. The
 * stand-in Traefik picks a certificate by SNI from files the test writes; the test then serves one name an expired
 * certificate, one a certificate for another name, and takes the last one's away, and one period later status, the
 * condition, the Event and the soak show it. Rounds a period apart on the real clock: the per-name checks step, then
 * the DNS step, as in the chain. Prints the checks' cost per period beside a bare TCP connect of the same run.
 */
class ServedNamesE2ETest extends HaPairE2ETest {

    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final String ZONE = "home.example";
    private static final String TSIG_KEY = "traefik-ha-operator";
    private static final String VALID = "app." + ZONE;
    private static final String EXPIRED = "expired." + ZONE;
    private static final String WRONG_NAME = "wrong." + ZONE;
    private static final String GONE = "gone." + ZONE;
    private static final String LATER = "later." + ZONE;
    private static final String SNI = "/etc/bed-tls/sni/";

    @TempDir
    static Path pki;
    private static BindServer bind;
    private static Rfc2136Provider dns;
    private static NamespaceNameChecker names;
    private static final FixedConnections.MemoryRegistry REGISTRY = new FixedConnections.MemoryRegistry();
    private static final RecordingEvents EVENTS = new RecordingEvents();
    private static final ReconcileMetrics METRICS = new ReconcileMetrics(new SimpleMeterRegistry());
    private static TraefikHACluster resource;
    /** Periods with every certificate valid after the first checks, measured. */
    private static final int STEADY_PERIODS = 3;
    /** How long each round's per-name step took, in microseconds. */
    private static final List<Long> STEP_MICROS = new ArrayList<>();

    /** Both nodes serve every name with a valid certificate; keepalived gives the VIP to the primary. */
    @BeforeAll
    static void namesOnBindAndCertificatesOnBothNodes() throws Exception {
        openssl("req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -subj /CN=homelab-ca -days 60"
                + " -out ca.pem");
        for (String name : List.of(VALID, EXPIRED, WRONG_NAME, GONE, "other." + ZONE, "traefik." + ZONE)) {
            certificate(name, name, 30);
        }
        certificate("expired-" + EXPIRED, EXPIRED, -1);
        for (BedHost host : new BedHost[] {pair.primary, pair.secondary}) {
            host.write("/etc/bed-tls/cert.pem", read("traefik." + ZONE + ".pem"), "644");
            host.write("/etc/bed-tls/key.pem", read("traefik." + ZONE + ".key"), "600");
            for (String name : List.of(VALID, EXPIRED, WRONG_NAME, GONE)) {
                serve(host, name, name);
            }
            host.systemctl("restart traefik").orThrow("restarting traefik on " + host);
        }
        resource = ExampleSpecs.homelab();
        resource.getMetadata().setUid(UUID.randomUUID().toString());
        resource.getMetadata().setGeneration(1L);
        resource.setSpec(HaPair.spec(ClusterSpecs.homelab()));
        resource.getSpec().vip.httpsPort = 8443;
        pair.deploy(resource.getSpec(), null);
        assertThat(HaPair.await(Duration.ofSeconds(10), () -> pair.onlyHolder(pair.primary))).as("the primary holds the VIP")
                .isTrue();

        String secret = randomSecret();
        bind = BindServer.start(E2ePrerequisites.requireExecutable("named", "bind9"), pki, ZONE, TSIG_KEY, "hmac-sha256",
                secret, List.of("app IN A " + HaPair.PRIMARY_ADDRESS, "expired IN A " + HaPair.PRIMARY_ADDRESS,
                        "wrong IN A " + HaPair.PRIMARY_ADDRESS, "gone IN A " + HaPair.PRIMARY_ADDRESS,
                        "later IN A " + HaPair.PRIMARY_ADDRESS));
        dns = new Rfc2136Provider("127.0.0.1", bind.port(), ZONE, new Rfc2136Provider.TsigKey(TSIG_KEY, "hmac-sha256", secret),
                60, Duration.ofSeconds(5));
        resource.getSpec().dns = dnsSpec();
        assertThat(SpecValidator.validate(resource.getSpec())).as("the operator accepts this spec").isEmpty();
        names = NamespaceNameChecker.start(pair.bed.clientNamespace(), HaPair.VIP, resource.getSpec().vip.httpsPort,
                pki.resolve("ca.pem"));
    }

    @AfterAll
    static void stop() {
        if (names != null) {
            names.close();
        }
        if (bind != null) {
            bind.close();
        }
    }

    @Test
    void anExpiredAWrongNameAndAMissingCertificateShowInStatusOnePeriodAfterTheyAreServed() throws Exception {
        round(); // moves the first group on BIND
        round(); // sees it in place: live, and its names are asked from the next round on
        assertThat(resource.getStatus().dns.livePhase).as("the first group moved to the VIP on BIND: "
                + condition(ConditionTypes.DNS_READY).message).isEqualTo("first");
        assertThat(dns.lookup(List.of(VALID)).get(VALID)).containsExactly(HaPair.VIP);

        round();
        assertThat(resource.getStatus().served).extracting(s -> s.name + "=" + s.served)
                .containsExactly(VALID + "=true", EXPIRED + "=true", WRONG_NAME + "=true", GONE + "=true");
        assertThat(served(VALID).issuer).isEqualTo("CN=homelab-ca");
        assertThat(served(VALID).certificateProblem).isNull();
        assertThat(condition(ConditionTypes.CERTIFICATES_VALID).status).isEqualTo("True");
        assertThat(condition(ConditionTypes.CERTIFICATES_VALID).reason).isEqualTo("Valid");
        assertThat(resource.getStatus().dns.soakHeldBy).isNullOrEmpty();
        String soakingSince = resource.getStatus().dns.livePhaseSince;
        List<List<Long>> steadyPeriods = new ArrayList<>();
        for (int i = 0; i < STEADY_PERIODS; i++) {
            int before = names.checkMicros().size();
            round();
            steadyPeriods.add(names.checkMicros().subList(before, names.checkMicros().size()));
        }
        assertThat(condition(ConditionTypes.CERTIFICATES_VALID).reason).isEqualTo("Valid");

        for (BedHost host : new BedHost[] {pair.primary, pair.secondary}) {
            serve(host, EXPIRED, "expired-" + EXPIRED);
            serve(host, WRONG_NAME, "other." + ZONE);
            host.exec("rm " + SNI + GONE + ".pem " + SNI + GONE + ".key").orThrow("taking " + GONE + "'s certificate away");
        }
        int checksBefore = names.checkMicros().size();
        round();
        List<Long> brokenPeriod = names.checkMicros().subList(checksBefore, names.checkMicros().size());

        assertThat(served(VALID).served).isTrue();
        assertThat(served(VALID).certificateProblem).isNull();
        assertThat(served(EXPIRED).served).as("an expired certificate is still served").isTrue();
        assertThat(served(EXPIRED).certificateProblem).as(resource.getStatus().served.stream().map(n -> n.name + " "
                + n.served + " " + n.error + " " + n.notAfter + " " + n.certificateProblem + " " + n.checkedAt).toList().toString())
                .startsWith("expired ");
        assertThat(served(WRONG_NAME).served).isTrue();
        assertThat(served(WRONG_NAME).certificateProblem).isEqualTo("does not cover " + WRONG_NAME + " (it names other."
                + ZONE + ")");
        assertThat(served(GONE).served).as("a refused handshake is not served").isFalse();
        assertThat(served(GONE).error).startsWith("TLS handshake failed");
        Condition certificates = condition(ConditionTypes.CERTIFICATES_VALID);
        assertThat(certificates.status).isEqualTo("False");
        assertThat(certificates.reason).isEqualTo("Invalid");
        assertThat(certificates.message).contains("2 of 3 certificates would be refused by a client", EXPIRED + ": expired ",
                WRONG_NAME + ": does not cover " + WRONG_NAME).doesNotContain(VALID + ":");
        assertThat(EVENTS.recorded).filteredOn(e -> e.reason().equals("NameNotServed")).singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("no answer through the VIP for " + GONE + " (TLS handshake"));
        assertThat(resource.getStatus().dns.soakHeldBy).containsExactly(GONE);
        assertThat(resource.getStatus().dns.livePhaseSince).as("the soak starts again").isGreaterThan(soakingSince);
        assertThat(resource.getStatus().dns.nextPhase).isEqualTo("second");
        assertThat(EVENTS.recorded).filteredOn(e -> e.reason().equals("DNSSoakReset")).singleElement()
                .satisfies(e -> assertThat(e.message()).endsWith("group second waits: not answering through the VIP: " + GONE));
        assertThat(dns.lookup(List.of(LATER)).get(LATER)).as("the next group stays").containsExactly(HaPair.PRIMARY_ADDRESS);

        List<Long> connects = new ArrayList<>();
        for (int i = 0; i < brokenPeriod.size(); i++) {
            connects.add(names.connectMicros());
        }
        for (List<Long> period : steadyPeriods) {
            System.out.printf("ServedNamesE2ETest | steady period, 4 valid names | %d requests, %s%n", period.size(),
                    micros(period));
        }
        System.out.printf("ServedNamesE2ETest | the period after the breakage | %d requests, %s (expired, wrong name,"
                + " refused)%n", brokenPeriod.size(), micros(brokenPeriod));
        System.out.printf("ServedNamesE2ETest | baseline, same run | %d bare TCP connects to the VIP, %s%n", connects.size(),
                micros(connects));
        List<Long> steps = STEP_MICROS.subList(STEP_MICROS.size() - STEADY_PERIODS - 1, STEP_MICROS.size() - 1);
        System.out.printf("ServedNamesE2ETest | the per-name step of a steady period, as the round sees it (pipe to the"
                + " namespace included) | %s | period %d ms%n", micros(steps), PERIOD.toMillis());
    }

    /** One period: the per-name checks, then the DNS migration on what they found, as the chain runs them. */
    private static void round() throws InterruptedException {
        Thread.sleep(PERIOD.toMillis());
        Clock clock = Clock.systemUTC();
        StatusAggregator status = new StatusAggregator(resource, clock);
        // these steps talk to DNS and to the names only: no Proxmox, no node sessions, no VIP prober
        FixedConnections connections = new FixedConnections(null, null, pin -> Map.of(), Optional.of(dns), REGISTRY, null,
                running -> { }, new MemoryStateStore(), null, names);
        Round round = new Round(resource, status, connections, clock, PERIOD);
        long started = System.nanoTime();
        new ServedNamesStep(EVENTS, METRICS).apply(round);
        STEP_MICROS.add((System.nanoTime() - started) / 1_000);
        new DnsStep(EVENTS, METRICS).migrate(round, pair.onlyHolder(pair.primary), clock.instant());
        resource.setStatus(status.build());
    }

    private static DnsSpec dnsSpec() {
        DnsSpec spec = new DnsSpec();
        spec.provider = DnsSpec.DnsProvider.RFC2136;
        spec.rfc2136 = new DnsSpec.Rfc2136Spec();
        spec.rfc2136.server = "127.0.0.1";
        spec.rfc2136.port = bind.port();
        spec.rfc2136.zone = ZONE;
        spec.rfc2136.tsigSecretRef = new SecretRef("bind-tsig"); // the operator reads it; here the provider has the key
        spec.domain = ZONE;
        spec.records = new ArrayList<>(List.of("app", "expired", "wrong", "gone", "later"));
        spec.phases = new ArrayList<>(List.of(phase("first", "app", "expired", "wrong", "gone"), phase("second", "later")));
        spec.soakTime = "1h";
        return spec;
    }

    private static DnsSpec.DnsPhaseSpec phase(String name, String... records) {
        DnsSpec.DnsPhaseSpec phase = new DnsSpec.DnsPhaseSpec();
        phase.name = name;
        phase.records = new ArrayList<>(List.of(records));
        return phase;
    }

    private static ServedNameStatus served(String name) {
        return resource.getStatus().served.stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow();
    }

    private static Condition condition(String type) {
        return resource.getStatus().condition(type);
    }

    /** HOST's Traefik presents the certificate made as FILE when asked for NAME. */
    private static void serve(BedHost host, String name, String file) {
        host.write(SNI + name + ".key", read(file + ".key"), "600");
        host.write(SNI + name + ".pem", read(file + ".pem"), "644");
    }

    /** FILE.pem and FILE.key: a certificate for NAME from the homelab CA, valid for DAYS (negative: already expired). */
    private static void certificate(String file, String name, int days) throws IOException {
        openssl("req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + file + ".key -subj /CN=" + name
                + " -out " + file + ".csr");
        Files.writeString(pki.resolve(file + ".ext"), "subjectAltName=DNS:" + name + "\n");
        openssl("x509 -req -in " + file + ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days " + days + " -extfile " + file
                + ".ext -out " + file + ".pem");
    }

    private static String read(String file) {
        try {
            return Files.readString(pki.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openssl(String arguments) {
        Exec.run(List.of("sh", "-c", "cd " + pki + " && openssl " + arguments), Duration.ofSeconds(30))
                .orThrow("openssl " + arguments);
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Sum and each, in ms with a tenth. */
    private static String micros(List<Long> each) {
        return String.format("%.1f ms in all (each %s ms)", each.stream().mapToLong(Long::longValue).sum() / 1000.0,
                each.stream().map(m -> String.format("%.1f", m / 1000.0)).toList());
    }
}
