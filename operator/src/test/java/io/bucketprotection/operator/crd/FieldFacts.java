package io.bucketprotection.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** What the reference says of one schema node: its type, its default and its constraints. */
final class FieldFacts {

  private FieldFacts() {
  }

  /** The type, such as {@code string (date-time)}, {@code []object} or {@code map[string]integer}, then enum values. */
  static String type(JSONSchemaProps node) {
    String type = Markdown.cell(baseType(node));
    if (node.getFormat() != null) {
      type += " (" + Markdown.cell(node.getFormat()) + ")";
    }
    if (node.getEnum() != null && !node.getEnum().isEmpty()) {
      type += "<br>one of: " + values(node.getEnum());
    }
    return type;
  }

  private static String baseType(JSONSchemaProps node) {
    if (Boolean.TRUE.equals(node.getXKubernetesIntOrString())) {
      return "int-or-string";
    }
    if ("array".equals(node.getType()) && node.getItems() != null && node.getItems().getSchema() != null) {
      return "[]" + baseType(node.getItems().getSchema());
    }
    if ("object".equals(node.getType()) && node.getAdditionalProperties() != null
        && node.getAdditionalProperties().getSchema() != null) {
      return "map[string]" + baseType(node.getAdditionalProperties().getSchema());
    }
    if (node.getType() == null) {
      return Boolean.TRUE.equals(node.getXKubernetesPreserveUnknownFields()) ? "any" : "unspecified";
    }
    return node.getType();
  }

  /** The default as a code span, or "". */
  static String defaultValue(JSONSchemaProps node) {
    return node.getDefault() == null ? "" : Markdown.code(text(node.getDefault()));
  }

  /**
   * The constraints, one per line: lengths, bounds, pattern, counts, and those of a list's items
   * ("items (...)") and a map's values ("values (...)").
   */
  static String constraints(JSONSchemaProps node) {
    return String.join("<br>", constraintList(node));
  }

  private static List<String> constraintList(JSONSchemaProps node) {
    List<String> out = new ArrayList<>();
    add(out, "minLength", node.getMinLength());
    add(out, "maxLength", node.getMaxLength());
    if (node.getPattern() != null) {
      out.add("pattern: " + Markdown.code(node.getPattern()));
    }
    add(out, "minimum", node.getMinimum());
    add(out, "exclusiveMinimum", node.getExclusiveMinimum());
    add(out, "maximum", node.getMaximum());
    add(out, "exclusiveMaximum", node.getExclusiveMaximum());
    add(out, "multipleOf", node.getMultipleOf());
    add(out, "minItems", node.getMinItems());
    add(out, "maxItems", node.getMaxItems());
    add(out, "uniqueItems", node.getUniqueItems());
    add(out, "minProperties", node.getMinProperties());
    add(out, "maxProperties", node.getMaxProperties());
    add(out, "nullable", node.getNullable());
    add(out, "listType", node.getXKubernetesListType());
    if (node.getXKubernetesListMapKeys() != null && !node.getXKubernetesListMapKeys().isEmpty()) {
      out.add("listMapKeys: " + String.join(", ", node.getXKubernetesListMapKeys()));
    }
    if (node.getItems() != null && node.getItems().getSchema() != null) {
      nested(out, "items", node.getItems().getSchema());
    }
    if (node.getAdditionalProperties() != null && node.getAdditionalProperties().getSchema() != null) {
      nested(out, "values", node.getAdditionalProperties().getSchema());
    }
    return out;
  }

  /** Constraints of list items or map values: their own row only exists for their properties. */
  private static void nested(List<String> out, String what, JSONSchemaProps node) {
    List<String> inner = new ArrayList<>();
    if (node.getFormat() != null) {
      inner.add("format: " + Markdown.cell(node.getFormat()));
    }
    if (node.getEnum() != null && !node.getEnum().isEmpty()) {
      inner.add("one of: " + values(node.getEnum()));
    }
    inner.addAll(constraintList(node));
    if (!inner.isEmpty()) {
      out.add(what + " (" + String.join(", ", inner) + ")");
    }
  }

  private static void add(List<String> out, String name, Object value) {
    if (value == null) {
      return;
    }
    String shown = value instanceof Double number
        ? BigDecimal.valueOf(number).stripTrailingZeros().toPlainString() : String.valueOf(value);
    out.add(name + ": " + Markdown.cell(shown));
  }

  private static String values(List<JsonNode> values) {
    return values.stream().map(v -> Markdown.code(text(v))).collect(Collectors.joining(", "));
  }

  private static String text(JsonNode node) {
    return node.isValueNode() ? node.asText() : node.toString();
  }
}
