package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** One DNS server of several (spec.dns.adguard.url and its replicas): each gets the same changes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DnsServerStatus {

    @JsonPropertyDescription("The server's URL.")
    public String server;

    @JsonPropertyDescription("Number of wanted records that resolve to the VIP on this server.")
    public Integer inPlace;

    @JsonPropertyDescription("Records on this server that point somewhere the operator does not own and were left alone.")
    public List<String> conflicting = new ArrayList<>();

    @JsonPropertyDescription("With an IPv6 VIP: number of names answering it in AAAA on this server.")
    public Integer aaaaInPlace;

    @JsonPropertyDescription("Why this server could not be read or changed this round; absent when it was.")
    public String error;
}
