package io.bucketprotection.operator.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/reference/api.md is what ApiReference writes from the committed CRDs, and what it writes
 * leaves nothing out: every field of every spec and status, at every depth, every CEL rule and every
 * printer column of every kind. The completeness check walks the schemas on its own and reads the
 * Markdown back, so a bug in the generator's walk cannot hide a field. The last tests prove both
 * checks can fail.
 */
class ApiReferenceTest {

  /** Tests run in operator/. */
  private static final Path CRDS = Path.of("../crds");
  private static final Path REFERENCE = Path.of("../docs/reference/api.md");
  private static final String STALE = "docs/reference/api.md is not what the CRDs in crds/ generate:"
      + " run hack/update-crds.sh and commit docs/reference/api.md (never edit it by hand)";

  /** A row of a field table: its first cell is the field's path as a code span. */
  private static final Pattern FIELD_ROW = Pattern.compile("^\\| `([^`]+)` \\|");

  @Test
  void theCommittedReferenceIsWhatTheCrdsGenerate() throws IOException {
    assertTrue(Files.exists(REFERENCE), STALE);
    String committed = Files.readString(REFERENCE, StandardCharsets.UTF_8);
    String difference = firstDifference(committed, ApiReference.render(CRDS));
    if (difference != null) {
      fail(STALE + "; the first difference, at " + difference);
    }
  }

  @Test
  void theReferenceListsEveryFieldOfEverySpecAndStatus() throws IOException {
    String reference = ApiReference.render(CRDS);
    List<CustomResourceDefinition> crds = ApiReference.load(CRDS);
    assertEquals(5, crds.size(), "crds/ holds the five CRDs");
    for (CustomResourceDefinition crd : crds) {
      String kind = crd.getSpec().getNames().getKind();
      for (String part : List.of("spec", "status")) {
        List<String> declared = declaredFields(crd, part);
        List<String> rows = rowsOf(reference, kind + " " + part);
        assertEquals(List.of(), declared.stream().filter(path -> !rows.contains(path)).toList(),
            kind + " " + part + ": fields the CRD declares that the reference leaves out (a bug in ApiReference)");
        assertEquals(declared, rows, kind + " " + part + ": the reference's rows, one per field in the CRD's order");
      }
    }
  }

  @Test
  void theReferenceListsEveryRuleAndColumnOfEveryKind() throws IOException {
    String reference = ApiReference.render(CRDS);
    for (CustomResourceDefinition crd : ApiReference.load(CRDS)) {
      String kind = crd.getSpec().getNames().getKind();
      assertTrue(reference.contains("\n## " + kind + "\n"), "a section, anchor #" + Markdown.anchor(kind));
      String rules = subsection(reference, kind + " validation rules");
      for (String message : declaredRuleMessages(crd)) {
        assertTrue(rules.contains("| " + Markdown.cell(message) + " |"), kind + ": rule " + message);
      }
      String columns = subsection(reference, kind + " printer columns");
      for (CustomResourceColumnDefinition column : KindSection.onlyVersion(crd).getAdditionalPrinterColumns()) {
        assertTrue(columns.contains("\n| " + column.getName() + " | `" + column.getJsonPath() + "` |"),
            kind + ": column " + column.getName());
      }
    }
  }

  @Test
  void theSameCrdsGiveTheSameText() throws IOException {
    assertEquals(ApiReference.render(CRDS), ApiReference.render(CRDS));
  }

  @Test
  void aCellKeepsItsPipesAndLineBreaksInside() {
    assertEquals("a \\| b<br>c &lt;bucket&gt; \\*", Markdown.cell("a | b\nc <bucket> *"));
    assertEquals("`a \\|\\| b`", Markdown.code("a || b"));
  }

  // The checks above can fail.

  @Test
  void aHandEditedOrStaleReferenceIsFound() throws IOException {
    String generated = ApiReference.render(CRDS);
    String edited = generated.replace("| `spec.bucket` | string | yes |", "| `spec.bucket` | string |  |");
    assertNotEquals(generated, edited);
    String difference = firstDifference(edited, generated);
    assertTrue(difference != null && difference.contains("spec.bucket"), String.valueOf(difference));
    assertTrue(firstDifference(generated + "\n", generated) != null, "an extra line at the end");
  }

  @Test
  void aFieldTheGeneratorDropsIsFound() throws IOException {
    String generated = ApiReference.render(CRDS);
    String dropped = generated.replaceFirst("\\| `spec\\.mfa\\.periodSeconds` \\|[^\n]*\n", "");
    CustomResourceDefinition bucketProtection = ApiReference.load(CRDS).get(0);
    assertEquals("BucketProtection", bucketProtection.getSpec().getNames().getKind());
    List<String> declared = declaredFields(bucketProtection, "spec");
    assertTrue(declared.contains("spec.mfa.periodSeconds"));
    assertEquals(declared, rowsOf(generated, "BucketProtection spec"));
    assertNotEquals(declared, rowsOf(dropped, "BucketProtection spec"));
  }

  /** "line N: ..." for the first line where the committed text differs, or null when none does. */
  static String firstDifference(String committed, String generated) {
    String[] left = committed.split("\n", -1);
    String[] right = generated.split("\n", -1);
    for (int i = 0; i < Math.max(left.length, right.length); i++) {
      String l = i < left.length ? left[i] : "(end of file)";
      String r = i < right.length ? right[i] : "(end of file)";
      if (!l.equals(r)) {
        return "line " + (i + 1) + ": committed\n  " + l + "\nbut the CRDs give\n  " + r;
      }
    }
    return null;
  }

  /** The paths of the named properties under spec or status, walked apart from the generator. */
  private static List<String> declaredFields(CustomResourceDefinition crd, String part) {
    JSONSchemaProps schema = KindSection.onlyVersion(crd).getSchema().getOpenAPIV3Schema().getProperties().get(part);
    List<String> paths = new ArrayList<>();
    if (schema != null) {
      walk(schema, part, paths);
    }
    return paths;
  }

  private static void walk(JSONSchemaProps node, String path, List<String> paths) {
    if (node.getProperties() != null) {
      node.getProperties().forEach((name, child) -> {
        paths.add(path + "." + name);
        walk(child, path + "." + name, paths);
      });
    }
    if (node.getItems() != null && node.getItems().getSchema() != null) {
      walk(node.getItems().getSchema(), path + "[]", paths);
    }
    if (node.getAdditionalProperties() != null && node.getAdditionalProperties().getSchema() != null) {
      walk(node.getAdditionalProperties().getSchema(), path + "{}", paths);
    }
  }

  private static List<String> declaredRuleMessages(CustomResourceDefinition crd) {
    List<String> messages = new ArrayList<>();
    collectRuleMessages(KindSection.onlyVersion(crd).getSchema().getOpenAPIV3Schema(), messages);
    return messages;
  }

  private static void collectRuleMessages(JSONSchemaProps node, List<String> messages) {
    if (node.getXKubernetesValidations() != null) {
      node.getXKubernetesValidations().stream().map(ValidationRule::getMessage).forEach(messages::add);
    }
    if (node.getProperties() != null) {
      node.getProperties().values().forEach(child -> collectRuleMessages(child, messages));
    }
    if (node.getItems() != null && node.getItems().getSchema() != null) {
      collectRuleMessages(node.getItems().getSchema(), messages);
    }
    if (node.getAdditionalProperties() != null && node.getAdditionalProperties().getSchema() != null) {
      collectRuleMessages(node.getAdditionalProperties().getSchema(), messages);
    }
  }

  /** The field paths of the table under the heading "### {heading}", in the order of its rows. */
  private static List<String> rowsOf(String reference, String heading) {
    List<String> paths = new ArrayList<>();
    for (String line : subsection(reference, heading).split("\n")) {
      Matcher row = FIELD_ROW.matcher(line);
      if (row.find() && !line.startsWith("| ---")) {
        paths.add(row.group(1));
      }
    }
    return paths;
  }

  /** The text under the heading "### {heading}", up to the next heading. */
  private static String subsection(String reference, String heading) {
    int start = reference.indexOf("\n### " + heading + "\n");
    assertTrue(start >= 0, "the reference has a heading ### " + heading);
    int end = reference.indexOf("\n#", start + 1);
    return reference.substring(start, end < 0 ? reference.length() : end);
  }
}
