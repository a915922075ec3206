package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Certificate verification for an https API the operator calls (Proxmox, and AdGuard Home): verified by default,
 * insecure only by explicit choice.
 */
@ValidationRule(value = "(has(self.caSecretRef) ? 1 : 0) + (has(self.fingerprint) ? 1 : 0)"
        + " + (has(self.insecureSkipVerify) && self.insecureSkipVerify ? 1 : 0) <= 1",
        message = "set at most one of tls.caSecretRef, tls.fingerprint and tls.insecureSkipVerify")
public class ProxmoxTlsSpec {

    @JsonPropertyDescription("Secret whose key 'ca.crt' holds the PEM CA that signed the server's certificate"
            + " (for a default Proxmox install: /etc/pve/pve-root-ca.pem).")
    public SecretRef caSecretRef;

    @Pattern(Patterns.SHA256_FINGERPRINT)
    @JsonPropertyDescription("SHA-256 fingerprint of the server's certificate, e.g. AB:CD:... as the Proxmox GUI shows it"
            + " (Node > System > Certificates) or openssl x509 -noout -fingerprint -sha256 prints it; pins exactly that"
            + " certificate.")
    public String fingerprint;

    @Default("false")
    @JsonPropertyDescription("Skip certificate verification entirely. Only for a lab you fully trust; prefer fingerprint."
            + " Reported by the InsecureTransport condition.")
    public boolean insecureSkipVerify;
}
