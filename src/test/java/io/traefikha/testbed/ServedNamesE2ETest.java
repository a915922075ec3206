package io.traefikha.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.traefikha.api.v1alpha1.ClusterPhase;
import io.traefikha.api.v1alpha1.Condition;
import io.traefikha.api.v1alpha1.DnsSpec;
import io.traefikha.api.v1alpha1.SecretRef;
import io.traefikha.api.v1alpha1.ServedNameStatus;
import io.traefikha.api.v1alpha1.SpecValidator;
import io.traefikha.api.v1alpha1.TraefikHACluster;
import io.traefikha.api.v1alpha1.TraefikHAClusterSpec;
import io.traefikha.api.v1alpha1.TraefikHAClusterStatus;
import io.traefikha.dns.BindServer;
import io.traefikha.dns.Rfc2136Provider;
import io.traefikha.domain.ConditionTypes;
import io.traefikha.http.TlsTrust;
import io.traefikha.keepalived.ClusterSpecs;
import io.traefikha.node.SshNodeAccess;
import io.traefikha.proxmox.ClientsOnlyProfile;
import io.traefikha.proxmox.ProxmoxClient;
import io.traefikha.proxmox.ProxmoxConnection;
import io.traefikha.proxmox.TaskWaiter;
import io.traefikha.simulator.proxmox.ProxmoxSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-name checks end to end on the real-daemon bed: the operator's reconcile chain ({@link OperatorLoop}: the
 * Proxmox simulator backed by bed hosts, real SSH, real keepalived) makes the pair from CT 110, then moves the names
 * on a real BIND to the VIP, and the production {@link io.traefikha.reconciler.HttpsNameChecker} asks each moved name
 * through the VIP from the bed's client namespace, trusting the homelab CA made here. The stand-in Traefik picks a
 * certificate by SNI from files the test writes. Between two rounds the test serves one name an expired certificate,
 * one a certificate for another name, and takes the last one's away: the first check of each after that is in status,
 * with CertificatesValid, the NameNotServed Event and the held soak. Prints the checks' cost per period beside a bare
 * TCP connect of the same run; asserts on outcomes only.
 */
@QuarkusTest
@TestProfile(ClientsOnlyProfile.class)
@Tag("e2e")
class ServedNamesE2ETest {

    private static final int PRIMARY_VMID = 110;
    private static final int SECONDARY_VMID = 111;
    /** Two seconds: a name is due again a second after its check, so checkedAt (to the second) tells checks apart. */
    private static final Duration PERIOD = Duration.ofSeconds(2);
    private static final Duration BUSY_PERIOD = Duration.ofMillis(250);
    private static final Duration READY_LIMIT = Duration.ofSeconds(60);
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final int STEADY_ROUNDS = 3;
    private static final String ZONE = "home.example";
    private static final String TSIG_KEY = "traefik-ha-operator";
    private static final String VALID = "app." + ZONE;
    private static final String EXPIRED = "expired." + ZONE;
    private static final String WRONG_NAME = "wrong." + ZONE;
    private static final String GONE = "gone." + ZONE;
    private static final String LATER = "later." + ZONE;
    private static final List<String> FIRST_GROUP = List.of(VALID, EXPIRED, WRONG_NAME, GONE);
    private static final String SNI = "/etc/bed-tls/sni/";

    @TempDir
    static Path pki;
    private static TestBed bed;
    private static ProxmoxSimulator simulator;
    private static SimulatorHosts hosts;
    private static ProxmoxClient api;
    private static BindServer bind;
    private static Rfc2136Provider dns;
    private static NamespaceVipProber drillProber;
    private static NamespaceEntryPointProber entryPoints;
    private static NamespaceNameChecker names;
    private static OperatorLoop operator;

    /** CT 110 serves every name with a valid certificate; BIND has them on its address; the operator starts. */
    @BeforeAll
    static void start() throws Exception {
        openssl("req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -subj /CN=homelab-ca -days 60"
                + " -out ca.pem");
        for (String name : List.of(VALID, EXPIRED, WRONG_NAME, GONE, "other." + ZONE, "traefik." + ZONE)) {
            certificate(name, name, 30);
        }
        certificate("expired-" + EXPIRED, EXPIRED, -1);
        bed = TestBed.create();
        BedHost primary = bed.addHost("traefik", HaPair.PRIMARY_ADDRESS);
        primary.write("/etc/bed-tls/cert.pem", read("traefik." + ZONE + ".pem"), "644");
        primary.write("/etc/bed-tls/key.pem", read("traefik." + ZONE + ".key"), "600");
        for (String name : FIRST_GROUP) {
            serve(primary, name, name);
        }
        primary.systemctl("enable traefik").orThrow("enabling traefik");
        primary.startTraefik();

        simulator = ProxmoxSimulator.builder().node("proxmox").node("proxmox2")
                .storage("local", false, false, false).storage("local-lvm", false, true, true)
                .container(PRIMARY_VMID, "proxmox", true, OperatorE2ETest.primaryContainer())
                .taskDuration(Duration.ofMillis(50)).start();
        hosts = new SimulatorHosts(bed, PRIMARY_VMID);
        hosts.adopt(PRIMARY_VMID, primary);
        simulator.addListener(hosts);
        api = ProxmoxClient.create(ProxmoxConnection.of(simulator.baseUrl(), simulator.tokenId(), simulator.tokenSecret(),
                TlsTrust.fingerprint(simulator.fingerprint())).withRequestTimeout(Duration.ofSeconds(10)));

        String secret = randomSecret();
        bind = BindServer.start(E2ePrerequisites.requireExecutable("named", "bind9"), pki, ZONE, TSIG_KEY, "hmac-sha256",
                secret, List.of("app IN A " + HaPair.PRIMARY_ADDRESS, "expired IN A " + HaPair.PRIMARY_ADDRESS,
                        "wrong IN A " + HaPair.PRIMARY_ADDRESS, "gone IN A " + HaPair.PRIMARY_ADDRESS,
                        "later IN A " + HaPair.PRIMARY_ADDRESS));
        dns = new Rfc2136Provider("127.0.0.1", bind.port(), ZONE, new Rfc2136Provider.TsigKey(TSIG_KEY, "hmac-sha256", secret),
                60, Duration.ofSeconds(5));

        TraefikHACluster resource = resource();
        assertThat(SpecValidator.validate(resource.getSpec())).as("the operator accepts this spec").isEmpty();
        drillProber = bed.vipProber(HaPair.VIP);
        entryPoints = NamespaceEntryPointProber.start(bed.clientNamespace(), HaPair.VIP);
        names = NamespaceNameChecker.start(bed.clientNamespace(), HaPair.VIP, resource.getSpec().vip.httpsPort,
                pki.resolve("ca.pem"));
        operator = new OperatorLoop(resource, api, new TaskWaiter(api, Duration.ofMillis(25), Duration.ofMillis(200), 20),
                new SshNodeAccess(Duration.ofSeconds(3), Duration.ofSeconds(15), bed.transport()), bed.ed25519Key(), PERIOD,
                BUSY_PERIOD, drillProber, entryPoints, Optional.of(dns), Optional.of(names)).start();
    }

    @AfterAll
    static void stop() {
        OperatorE2ETest.closeAll(operator, names, entryPoints, drillProber, bind, api, simulator, bed);
    }

    @Test
    void anExpiredAWrongNameAndAMissingCertificateEachShowAtTheFirstCheckAfterTheyAreServed() throws Exception {
        awaitStatus("Ready", READY_LIMIT, s -> s.phase == ClusterPhase.Ready);
        awaitStatus("the first group moved and each of its names checked", LIMIT, s -> s.served != null
                && s.served.size() == FIRST_GROUP.size() && s.served.stream().allMatch(n -> Boolean.TRUE.equals(n.served)));
        assertThat(dns.lookup(List.of(VALID)).get(VALID)).as("moved on BIND").containsExactly(HaPair.VIP);
        assertThat(status().dns.livePhase).isEqualTo("first");
        assertThat(served(status(), VALID).issuer).isEqualTo("CN=homelab-ca");
        assertThat(status().served).allSatisfy(n -> assertThat(n.certificateProblem).as(n.name).isNull());
        assertThat(condition(ConditionTypes.CERTIFICATES_VALID).status).isEqualTo("True");
        assertThat(condition(ConditionTypes.CERTIFICATES_VALID).reason).isEqualTo("Valid");

        // the cost of the checks in steady state, round by round
        int checksBefore = names.checked().size();
        int roundsBefore = operator.roundMillis().size();
        await("steady rounds").atMost(LIMIT).until(() -> operator.roundMillis().size() >= roundsBefore + STEADY_ROUNDS);
        List<Long> steady = names.checkMicros().subList(checksBefore, names.checkMicros().size());
        List<Long> connects = new ArrayList<>();
        for (int i = 0; i < FIRST_GROUP.size(); i++) {
            connects.add(names.connectMicros());
        }

        Map<String, String> checkedBefore = new HashMap<>();
        int[] mark = new int[2]; // rounds and checks when the certificates changed
        operator.betweenRounds(() -> {
            for (int vmid : new int[] {PRIMARY_VMID, SECONDARY_VMID}) {
                BedHost host = hosts.host(vmid);
                serve(host, EXPIRED, "expired-" + EXPIRED);
                serve(host, WRONG_NAME, "other." + ZONE);
                host.exec("rm " + SNI + GONE + ".pem " + SNI + GONE + ".key").orThrow("taking " + GONE + "'s certificate away");
            }
            status().served.forEach(n -> checkedBefore.put(n.name, n.checkedAt));
            mark[0] = operator.roundMillis().size();
            mark[1] = names.checked().size();
        }, state -> state);
        long changed = System.nanoTime();
        awaitStatus("each name checked again", LIMIT, s -> s.served.stream()
                .allMatch(n -> !n.checkedAt.equals(checkedBefore.get(n.name))));
        long shownMillis = (System.nanoTime() - changed) / 1_000_000;
        TraefikHAClusterStatus shown = status();
        int roundsToShow = operator.roundMillis().size() - mark[0];
        List<String> checksToShow = names.checked().subList(mark[1], names.checked().size());

        assertThat(checksToShow).as("the first check of each name after the change is in status")
                .containsExactlyInAnyOrderElementsOf(FIRST_GROUP);
        assertThat(served(shown, VALID).served).isTrue();
        assertThat(served(shown, VALID).certificateProblem).isNull();
        assertThat(served(shown, EXPIRED).served).as("an expired certificate is still served").isTrue();
        assertThat(served(shown, EXPIRED).certificateProblem).startsWith("expired ");
        assertThat(served(shown, WRONG_NAME).served).isTrue();
        assertThat(served(shown, WRONG_NAME).certificateProblem).isEqualTo("does not cover " + WRONG_NAME + " (it names other."
                + ZONE + ")");
        assertThat(served(shown, GONE).served).as("a refused handshake is not served").isFalse();
        assertThat(served(shown, GONE).error).startsWith("TLS handshake failed");
        Condition certificates = shown.condition(ConditionTypes.CERTIFICATES_VALID);
        assertThat(certificates.status).isEqualTo("False");
        assertThat(certificates.reason).isEqualTo("Invalid");
        assertThat(certificates.message).contains("2 of 3 certificates would be refused by a client", EXPIRED + ": expired ",
                WRONG_NAME + ": does not cover " + WRONG_NAME).doesNotContain(VALID + ":");
        assertThat(shown.dns.soakHeldBy).containsExactly(GONE);
        assertThat(shown.dns.nextPhase).isEqualTo("second");
        assertThat(operator.events.recorded).filteredOn(e -> e.reason().equals("NameNotServed")).singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("no answer through the VIP for " + GONE + " (TLS handshake"));
        assertThat(operator.events.recorded).filteredOn(e -> e.reason().equals("DNSSoakReset")).singleElement()
                .satisfies(e -> assertThat(e.message()).endsWith("group second waits: not answering through the VIP: " + GONE));
        assertThat(dns.lookup(List.of(LATER)).get(LATER)).as("the next group stays").containsExactly(HaPair.PRIMARY_ADDRESS);
        assertThat(operator.failures()).isEmpty();

        System.out.printf("ServedNamesE2ETest | steady state, 4 moved names | %d requests in %d rounds (a round every"
                + " %d ms period after the last ended), %.1f ms of checks a round, %s%n", steady.size(), STEADY_ROUNDS,
                PERIOD.toMillis(), steady.stream().mapToLong(Long::longValue).sum() / 1000.0 / STEADY_ROUNDS, micros(steady));
        System.out.printf("ServedNamesE2ETest | baseline, same run | %d bare TCP connects to the VIP, %s%n", connects.size(),
                micros(connects));
        System.out.printf("ServedNamesE2ETest | expired, wrong-name and refused certificates served between two rounds |"
                + " in status after %d ms, %d rounds, checks %s%n", shownMillis, roundsToShow, checksToShow);
        List<Long> rounds = operator.roundMillis().stream().sorted().toList();
        System.out.printf("ServedNamesE2ETest | reconciles | %d, median %d / max %d ms%n", rounds.size(),
                rounds.get(rounds.size() / 2), rounds.get(rounds.size() - 1));
    }

    private static TraefikHACluster resource() {
        TraefikHAClusterSpec spec = HaPair.spec(ClusterSpecs.homelab());
        spec.vip.httpsPort = 8443; // the stand-in's TLS entry point
        spec.proxmox.url = simulator.baseUrl();
        spec.dns = dnsSpec();
        TraefikHACluster resource = new TraefikHACluster();
        resource.setMetadata(new ObjectMetaBuilder().withName("traefik").withNamespace("traefik-ha")
                .withUid("5f1e0c3a-0000-4000-8000-0000000e2e16").withGeneration(1L).build());
        resource.setSpec(spec);
        return resource;
    }

    private static TraefikHAClusterStatus status() {
        return operator.status();
    }

    private static void awaitStatus(String what, Duration limit, Predicate<TraefikHAClusterStatus> wanted) {
        try {
            await(what).atMost(limit).pollInterval(Duration.ofMillis(50)).until(() -> wanted.test(status()));
        } catch (ConditionTimeoutException e) {
            TraefikHAClusterStatus s = status();
            throw new AssertionError(what + " not seen within " + limit + "; phase " + s.phase + ", served "
                    + (s.served == null ? null : s.served.stream().map(n -> n.name + "=" + n.served + " " + n.error + " "
                            + n.certificateProblem + " " + n.checkedAt).toList())
                    + ", conditions " + (s.conditions == null ? null : s.conditions.stream()
                            .map(c -> c.type + "=" + c.status + " " + c.reason + " (" + c.message + ")")
                            .collect(Collectors.joining("; ")))
                    + ", failures " + operator.failures(), e);
        }
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

    private static ServedNameStatus served(TraefikHAClusterStatus status, String name) {
        return status.served.stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow();
    }

    private static Condition condition(String type) {
        return status().condition(type);
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
