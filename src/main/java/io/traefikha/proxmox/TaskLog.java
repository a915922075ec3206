package io.traefikha.proxmox;

import java.util.List;

/** A page of a task log: lines numbered from 1, and how many lines the whole log has. */
public record TaskLog(List<Line> lines, int total) {

    public record Line(int n, String t) {
    }

    public List<String> texts() {
        return lines.stream().map(Line::t).toList();
    }
}
