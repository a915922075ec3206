package io.traefikha.node;

import io.traefikha.domain.PrimaryChecks;
import io.traefikha.domain.PrimaryChecks.AddressProbe;
import io.traefikha.domain.PrimaryChecks.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what {@link NodeScripts#checkPrimary} prints, one answer per address asked about, in the order asked. */
final class PrimaryCheckReport {

    private static final Pattern ANSWER = Pattern.compile("^addr (\\S+) rc=(\\d+) mac=(\\S*) out=(.*)$");
    private static final Pattern HERE = Pattern.compile("^addr (\\S+) here$");

    private PrimaryCheckReport() {
    }

    static PrimaryChecks parse(String stdout, List<String> asked) {
        boolean arping = false;
        Long capEff = null;
        Map<String, AddressProbe> byAddress = new HashMap<>();
        for (String line : stdout.split("\n")) {
            String text = line.strip();
            Matcher answer = ANSWER.matcher(text);
            Matcher here = HERE.matcher(text);
            if (text.equals("arping=iputils")) {
                arping = true;
            } else if (text.startsWith("capeff=")) {
                capEff = parseHex(text.substring("capeff=".length()));
            } else if (here.matches()) {
                byAddress.put(here.group(1), new AddressProbe(here.group(1), Outcome.HELD_BY_PRIMARY, null, null));
            } else if (answer.matches()) {
                byAddress.put(answer.group(1), probe(answer.group(1), Integer.parseInt(answer.group(2)), answer.group(3),
                        answer.group(4).strip()));
            }
        }
        List<AddressProbe> probes = new ArrayList<>();
        if (arping) {
            for (String address : asked) {
                probes.add(byAddress.getOrDefault(address, new AddressProbe(address, Outcome.ERROR, null,
                        "arping gave no answer for it")));
            }
        }
        return new PrimaryChecks(arping, probes, capEff);
    }

    /**
     * iputils' arping -D: 0 nobody answered, 1 someone did (its MAC in the reply line), anything else an error. For an
     * IPv6 address the same from neighbour discovery and ping -6, where an answer without a MAC came through a router.
     */
    private static AddressProbe probe(String address, int exitCode, String mac, String output) {
        boolean ipv6 = address.contains(":");
        if (exitCode == 0) {
            return new AddressProbe(address, Outcome.FREE, null, null);
        }
        if (exitCode == 1 && (!mac.isEmpty() || ipv6)) {
            return new AddressProbe(address, Outcome.ANSWERED, mac.isEmpty() ? null : mac.toUpperCase(java.util.Locale.ROOT),
                    null);
        }
        return new AddressProbe(address, Outcome.ERROR, null, (ipv6 ? "ping -6 (or curl)" : "arping") + " exited " + exitCode
                + ": " + output);
    }

    private static Long parseHex(String value) {
        try {
            return Long.parseUnsignedLong(value.strip(), 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
