package io.bucketprotection.operator.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionNames;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The section of the reference for one kind: its heading (the anchor {@code #<kind in lower case>}),
 * what it is, its names, the columns of {@code kubectl get}, its CEL rules and the fields of its spec
 * and status.
 */
final class KindSection {

  private final CustomResourceDefinition crd;
  private final CustomResourceDefinitionVersion version;
  private final String kind;

  KindSection(CustomResourceDefinition crd) {
    this.crd = crd;
    this.version = onlyVersion(crd);
    this.kind = crd.getSpec().getNames().getKind();
  }

  /** The one version of a CRD; a second would need its own section, which nothing writes yet. */
  static CustomResourceDefinitionVersion onlyVersion(CustomResourceDefinition crd) {
    List<CustomResourceDefinitionVersion> versions = crd.getSpec().getVersions();
    if (versions.size() != 1) {
      throw new IllegalStateException(crd.getMetadata().getName() + " has " + versions.size()
          + " versions: ApiReference documents one version per CRD; teach it to document each");
    }
    return versions.get(0);
  }

  String kind() {
    return kind;
  }

  String apiVersion() {
    return crd.getSpec().getGroup() + "/" + version.getName();
  }

  String scope() {
    return crd.getSpec().getScope();
  }

  String shortNames() {
    List<String> shortNames = crd.getSpec().getNames().getShortNames();
    return shortNames == null || shortNames.isEmpty() ? "none"
        : String.join(", ", shortNames.stream().map(Markdown::code).toList());
  }

  String plural() {
    return crd.getSpec().getNames().getPlural();
  }

  String render() {
    JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
    Map<String, JSONSchemaProps> top = root.getProperties() == null ? Map.of() : root.getProperties();
    StringBuilder out = new StringBuilder();
    out.append("## ").append(kind).append("\n\n");
    out.append(Markdown.cell(root.getDescription())).append("\n\n");
    out.append(names());
    out.append("\n### ").append(kind).append(" printer columns\n\n");
    out.append(columns());
    out.append("\n### ").append(kind).append(" validation rules\n\n");
    out.append(rules(root, top));
    for (String part : List.of("spec", "status")) {
      out.append("\n### ").append(kind).append(' ').append(part).append("\n\n");
      out.append(fields(top.get(part), part));
    }
    return out.toString();
  }

  private String names() {
    CustomResourceDefinitionNames names = crd.getSpec().getNames();
    List<String> subresources = new ArrayList<>();
    if (version.getSubresources() != null && version.getSubresources().getStatus() != null) {
      subresources.add("status");
    }
    if (version.getSubresources() != null && version.getSubresources().getScale() != null) {
      subresources.add("scale");
    }
    return "- apiVersion: " + Markdown.code(apiVersion()) + "\n"
        + "- Scope: " + scope() + "\n"
        + "- Short names: " + shortNames() + "\n"
        + "- Plural and singular: " + Markdown.code(names.getPlural()) + ", " + Markdown.code(names.getSingular())
        + "\n"
        + "- Subresources: " + (subresources.isEmpty() ? "none" : String.join(", ", subresources)) + "\n";
  }

  private String columns() {
    List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
    if (columns == null || columns.isEmpty()) {
      return "None: `kubectl get` shows Name and Age.\n";
    }
    List<List<String>> rows = columns.stream().map(column -> List.of(
        Markdown.cell(column.getName()),
        Markdown.code(column.getJsonPath()),
        Markdown.cell(column.getType()),
        Objects.requireNonNullElse(column.getPriority(), 0) == 0 ? "always" : "`-o wide`",
        Markdown.cell(column.getDescription()))).toList();
    return Markdown.table(List.of("Column", "JSON path", "Type", "Shown", "Description"), rows);
  }

  private String rules(JSONSchemaProps root, Map<String, JSONSchemaProps> top) {
    List<SchemaRows.Rule> rules = new ArrayList<>(SchemaRows.rulesOf(root, ""));
    for (String part : List.of("spec", "status")) {
      if (top.get(part) != null) {
        rules.addAll(SchemaRows.of(top.get(part), part).rules());
      }
    }
    if (rules.isEmpty()) {
      return "None.\n";
    }
    List<List<String>> rows = rules.stream().map(rule -> List.of(
        rule.path().isEmpty() ? "(the resource)" : Markdown.code(rule.path()),
        Markdown.cell(rule.message()),
        Markdown.code(rule.rule()))).toList();
    return "The API server refuses a change that breaks one of these, with its message.\n\n"
        + Markdown.table(List.of("Path", "Message", "Rule (CEL)"), rows);
  }

  private String fields(JSONSchemaProps part, String path) {
    if (part == null) {
      return "None.\n";
    }
    List<SchemaRows.Field> fields = SchemaRows.of(part, path).fields();
    String intro = part.getDescription() == null ? "" : Markdown.cell(part.getDescription()) + "\n\n";
    if (fields.isEmpty()) {
      return intro + "No fields.\n";
    }
    List<List<String>> rows = fields.stream().map(field -> List.of(
        Markdown.code(field.path()),
        FieldFacts.type(field.schema()),
        field.required() ? "yes" : "",
        FieldFacts.defaultValue(field.schema()),
        FieldFacts.constraints(field.schema()),
        Markdown.cell(field.schema().getDescription()))).toList();
    return intro + Markdown.table(List.of("Field", "Type", "Required", "Default", "Constraints", "Description"), rows);
  }
}
