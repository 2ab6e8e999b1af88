package io.bucketprotection.operator.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of the reference for one schema: a field per named property, at every depth, and a rule
 * per CEL validation, in the order the schema lists them (the fabric8 generator writes properties
 * alphabetically). Paths are dotted; {@code []} stands for the items of a list and {@code {}} for
 * the values of a map, as in CrdFinisher and CrdDocumentationTest.
 */
final class SchemaRows {

  /** One named property. */
  record Field(String path, JSONSchemaProps schema, boolean required) {
  }

  /** One {@code x-kubernetes-validations} entry; path "" is the resource itself. */
  record Rule(String path, String rule, String message) {
  }

  private final List<Field> fields = new ArrayList<>();
  private final List<Rule> rules = new ArrayList<>();

  private SchemaRows() {
  }

  /** The rows under {@code root} (spec or status), whose own path is {@code path}. */
  static SchemaRows of(JSONSchemaProps root, String path) {
    SchemaRows rows = new SchemaRows();
    if (root != null) {
      rows.below(root, path);
    }
    return rows;
  }

  /** Only the rules the root schema itself carries (not those of spec or status). */
  static List<Rule> rulesOf(JSONSchemaProps root, String path) {
    SchemaRows rows = new SchemaRows();
    rows.collectRules(root, path);
    return rows.rules;
  }

  List<Field> fields() {
    return List.copyOf(fields);
  }

  List<Rule> rules() {
    return List.copyOf(rules);
  }

  private void below(JSONSchemaProps node, String path) {
    collectRules(node, path);
    if (node.getProperties() != null) {
      List<String> required = node.getRequired() == null ? List.of() : node.getRequired();
      node.getProperties().forEach((name, child) -> {
        fields.add(new Field(path + "." + name, child, required.contains(name)));
        below(child, path + "." + name);
      });
    }
    if (node.getItems() != null && node.getItems().getSchema() != null) {
      below(node.getItems().getSchema(), path + "[]");
    }
    if (node.getAdditionalProperties() != null && node.getAdditionalProperties().getSchema() != null) {
      below(node.getAdditionalProperties().getSchema(), path + "{}");
    }
  }

  private void collectRules(JSONSchemaProps node, String path) {
    if (node.getXKubernetesValidations() != null) {
      for (ValidationRule rule : node.getXKubernetesValidations()) {
        rules.add(new Rule(path, rule.getRule(), rule.getMessage()));
      }
    }
  }
}
