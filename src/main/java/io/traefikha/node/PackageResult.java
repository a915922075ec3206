package io.traefikha.node;

/** Outcome of {@link NodeSession#ensurePackage(String)}. */
public enum PackageResult {
    /** It was installed already; nothing was done. */
    ALREADY_INSTALLED,
    /** It was missing and apt-get installed it. */
    INSTALLED
}
