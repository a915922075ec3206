package io.traefikha.demo.kubeapi;

/** One column of a server-side Table: a CRD's additionalPrinterColumn, or one of ours for a core kind. */
record PrinterColumn(String name, String type, String description, int priority, JsonPath path) {

    static PrinterColumn of(String name, String type, String jsonPath) {
        return new PrinterColumn(name, type, "", 0, JsonPath.parse(jsonPath));
    }

    static PrinterColumn age() {
        return new PrinterColumn("Age", "date", "Time since the object was created", 0,
                JsonPath.parse(".metadata.creationTimestamp"));
    }
}
