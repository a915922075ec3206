package io.traefikha.api.v1alpha1;

/** The existing Traefik container; read and configured, never created, stopped or destroyed by the operator. */
public class PrimarySpec extends ContainerSpec {
}
