package io.traefikha.domain;

/** A condition a planning step reports: what it found, in the status aggregator's terms. */
public record Finding(String type, boolean status, String reason, String message) {
}
