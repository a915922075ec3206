package io.traefikha.demo.kubeapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of Kubernetes JSONPath that printer columns and field selectors use: {@code .a.b}, {@code ['a.b']},
 * {@code [0]}, {@code [*]} and filters {@code [?(@.type=="Ready")]} with {@code ==}, {@code !=} or bare existence.
 * The surrounding braces ({@code {.status.phase}}) are optional. Anything else is rejected when parsed, not
 * silently misread.
 */
final class JsonPath {

    private sealed interface Step permits Field, Index, Wildcard, Filter {
    }

    private record Field(String name) implements Step {
    }

    private record Index(int index) implements Step {
    }

    private record Wildcard() implements Step {
    }

    /** {@code operator} is "==", "!=" or null (the path must exist); {@code literal} is a string, number or boolean. */
    private record Filter(JsonPath left, String operator, String literal) implements Step {
        boolean accepts(JsonNode element) {
            List<JsonNode> values = left.select(element);
            if (operator == null) {
                return !values.isEmpty();
            }
            boolean equal = values.stream()
                    .anyMatch(value -> (value.isValueNode() ? value.asText() : value.toString()).equals(literal));
            return equal == operator.equals("==");
        }
    }

    private final String expression;
    private final List<Step> steps;

    private JsonPath(String expression, List<Step> steps) {
        this.expression = expression;
        this.steps = steps;
    }

    static JsonPath parse(String expression) {
        String body = expression.strip();
        if (body.startsWith("{") && body.endsWith("}")) {
            body = body.substring(1, body.length() - 1).strip();
        }
        if (body.startsWith("$") || body.startsWith("@")) {
            body = body.substring(1);
        }
        return new Parser(expression, body).parse();
    }

    /** Every node the path reaches, in document order; empty when it reaches none. */
    List<JsonNode> select(JsonNode root) {
        List<JsonNode> current = List.of(root);
        for (Step step : steps) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                apply(step, node, next);
            }
            current = next;
        }
        return current.stream().filter(node -> !node.isMissingNode() && !node.isNull()).toList();
    }

    private static void apply(Step step, JsonNode node, List<JsonNode> out) {
        if (step instanceof Field field) {
            out.add(node.path(field.name()));
        } else if (step instanceof Index index) {
            if (node.isArray()) {
                out.add(node.path(index.index() < 0 ? node.size() + index.index() : index.index()));
            }
        } else if (step instanceof Wildcard) {
            if (node.isArray() || node.isObject()) {
                node.elements().forEachRemaining(out::add);
            }
        } else if (step instanceof Filter filter && node.isArray()) {
            node.elements().forEachRemaining(element -> {
                if (filter.accepts(element)) {
                    out.add(element);
                }
            });
        }
    }

    @Override
    public String toString() {
        return expression;
    }

    private static final class Parser {
        private final String expression;
        private final String text;
        private int position;

        Parser(String expression, String text) {
            this.expression = expression;
            this.text = text;
        }

        JsonPath parse() {
            List<Step> steps = new ArrayList<>();
            while (position < text.length()) {
                char c = text.charAt(position);
                if (c == '.') {
                    position++;
                    if (peek('*')) {
                        position++;
                        steps.add(new Wildcard());
                    } else {
                        steps.add(new Field(name()));
                    }
                } else if (c == '[') {
                    steps.add(bracket());
                } else {
                    throw invalid("unexpected '" + c + "'");
                }
            }
            return new JsonPath(expression, List.copyOf(steps));
        }

        private Step bracket() {
            position++; // '['
            Step step;
            if (peek('\'') || peek('"')) {
                step = new Field(quoted());
            } else if (peek('*')) {
                position++;
                step = new Wildcard();
            } else if (peek('?')) {
                step = filter();
            } else {
                int start = position;
                while (position < text.length() && (Character.isDigit(text.charAt(position)) || text.charAt(position) == '-')) {
                    position++;
                }
                try {
                    step = new Index(Integer.parseInt(text.substring(start, position)));
                } catch (NumberFormatException e) {
                    throw invalid("expected an index, a quoted name, '*' or a filter after '['");
                }
            }
            expect(']');
            return step;
        }

        private Filter filter() {
            position++; // '?'
            expect('(');
            int close = text.indexOf(')', position);
            if (close < 0) {
                throw invalid("unclosed filter");
            }
            String condition = text.substring(position, close).strip();
            position = close + 1;
            for (String operator : List.of("==", "!=")) {
                int at = condition.indexOf(operator);
                if (at > 0) {
                    String literal = unquote(condition.substring(at + operator.length()).strip());
                    return new Filter(JsonPath.parse(condition.substring(0, at)), operator, literal);
                }
            }
            return new Filter(JsonPath.parse(condition), null, null);
        }

        private String name() {
            int start = position;
            while (position < text.length() && (Character.isLetterOrDigit(text.charAt(position))
                    || text.charAt(position) == '_' || text.charAt(position) == '-')) {
                position++;
            }
            if (start == position) {
                throw invalid("expected a field name");
            }
            return text.substring(start, position);
        }

        private String quoted() {
            char quote = text.charAt(position++);
            int end = text.indexOf(quote, position);
            if (end < 0) {
                throw invalid("unclosed quote");
            }
            String name = text.substring(position, end);
            position = end + 1;
            return name;
        }

        private boolean peek(char c) {
            return position < text.length() && text.charAt(position) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw invalid("expected '" + c + "'");
            }
            position++;
        }

        private IllegalArgumentException invalid(String why) {
            return new IllegalArgumentException("unsupported JSONPath " + expression + ": " + why + " at " + position);
        }
    }

    private static String unquote(String literal) {
        boolean quoted = literal.length() >= 2 && (literal.startsWith("\"") && literal.endsWith("\"")
                || literal.startsWith("'") && literal.endsWith("'"));
        return quoted ? literal.substring(1, literal.length() - 1) : literal;
    }
}
