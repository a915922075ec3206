package io.traefikha.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The AAAA answers of the moved names, with an IPv6 VIP: they follow the A answers, name by name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DnsAaaaStatus {

    @JsonPropertyDescription("The IPv6 VIP the AAAA answers are moved to.")
    public String vip;

    @JsonPropertyDescription("Number of names whose A answer is at the VIP: each should answer the IPv6 VIP in AAAA too.")
    public Integer wanted;

    @JsonPropertyDescription("Number of those names answering exactly the IPv6 VIP in AAAA.")
    public Integer inPlace;

    @JsonPropertyDescription("Names whose AAAA answers point somewhere the operator does not own and were left alone.")
    public List<String> conflicting = new ArrayList<>();
}
