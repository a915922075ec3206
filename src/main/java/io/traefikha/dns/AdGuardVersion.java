package io.traefikha.dns;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An AdGuard Home release number such as v0.107.79, and the rewrite API features that came with releases. */
public record AdGuardVersion(int major, int minor, int patch) implements Comparable<AdGuardVersion> {

    /** {@code PUT /control/rewrite/update} exists from this release on. */
    public static final AdGuardVersion UPDATE_ENDPOINT = new AdGuardVersion(0, 107, 30);
    /** Rewrites carry {@code enabled}, and {@code /control/rewrite/settings} exists, from this release on. */
    public static final AdGuardVersion ENABLED_FIELD = new AdGuardVersion(0, 107, 68);
    /** {@code /control/status} reports {@code start_time} from this release on. */
    public static final AdGuardVersion START_TIME = new AdGuardVersion(0, 107, 70);

    private static final Pattern FORMAT = Pattern.compile("^v?(\\d+)\\.(\\d+)\\.(\\d+)");

    /** @return null for versions that are not releases (development builds say e.g. "edge") */
    public static AdGuardVersion parseOrNull(String text) {
        Matcher m = text == null ? null : FORMAT.matcher(text.trim());
        if (m == null || !m.find()) {
            return null;
        }
        return new AdGuardVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    public static AdGuardVersion parse(String text) {
        AdGuardVersion version = parseOrNull(text);
        if (version == null) {
            throw new IllegalArgumentException("'" + text + "' is not an AdGuard Home version such as v0.107.79");
        }
        return version;
    }

    public boolean atLeast(AdGuardVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(AdGuardVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c == 0 ? Integer.compare(patch, o.patch) : c;
    }

    @Override
    public String toString() {
        return "v" + major + "." + minor + "." + patch;
    }
}
