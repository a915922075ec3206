package io.traefikha.keepalived;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * The VRRP PASS password (VRRP version 2 only; VRRPv3 has no authentication at all). keepalived uses only the first 8
 * characters and silently drops the rest, so a longer password is refused rather than truncated, and generated ones
 * are exactly 8 characters. PASS authentication is sent in clear text: it keeps a neighbour's misconfigured keepalived
 * out, not an attacker.
 */
public final class VrrpPassword {

    public static final int MAX_LENGTH = 8;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private VrrpPassword() {
    }

    /** 8 random letters and digits (no look-alikes), for a Secret the operator owns. */
    public static String generate() {
        StringBuilder password = new StringBuilder(MAX_LENGTH);
        for (int i = 0; i < MAX_LENGTH; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }

    /** @return why the password cannot be used, or empty when it can; never echoes the password */
    public static Optional<String> problem(String password) {
        if (password == null || password.isEmpty()) {
            return Optional.of("is empty");
        }
        if (password.length() > MAX_LENGTH) {
            return Optional.of("has " + password.length() + " characters; keepalived would silently use only the first "
                    + MAX_LENGTH);
        }
        if (!password.chars().allMatch(c -> c > ' ' && c < 127 && c != '"' && c != '\\' && c != '#' && c != '!')) {
            return Optional.of("may only contain printable ASCII without spaces, quotes, backslashes, '#' or '!'"
                    + " (keepalived's config syntax)");
        }
        return Optional.empty();
    }
}
