package io.bucketprotection.operator.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelReference;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The CEL rules ({@code x-kubernetes-validations}) of one committed CRD, evaluated with cel-java
 * the way the API server evaluates them.
 *
 * <p>Why: the CRUD mock API server the other tests use evaluates no CEL, so without this nothing
 * would notice a rule that rejects good objects, lets bad ones through, or does not compile.
 *
 * <p>What it does like the API server:
 * <ul>
 *   <li>{@code self} is the value at the rule's schema path, as plain JSON-like data: objects are
 *       {@code Map<String, Object>}, arrays {@code List<Object>}, integers {@code Long}, numbers
 *       {@code Double}, strings, booleans ({@code null} only where the schema says nullable);
 *   <li>before evaluating, schema defaults are applied and a rule is skipped where its path is
 *       absent from the object;
 *   <li>rules that use {@code oldSelf} (transition rules) run only on updates, where the path is in
 *       both the old and the new object (array items are correlated only in
 *       {@code x-kubernetes-list-type: map} lists, by their keys);
 *   <li>at the root, {@code metadata} has only {@code name} and {@code generateName};
 *   <li>the environment has the standard library and macros ({@code has}, {@code all},
 *       {@code exists}, {@code exists_one}, {@code map}, {@code filter}; {@code size()},
 *       {@code matches()}, {@code startsWith()}...) and the {@code strings}, {@code cel.bind} and
 *       {@code sets} extensions.
 * </ul>
 *
 * <p>What it does differently, on purpose, so a mistake fails loudly instead of passing quietly:
 * <ul>
 *   <li>a rule that does not compile fails {@link #load} (Kubernetes would refuse the CRD);
 *   <li>{@code self} is declared {@code dyn}, so a misspelt field in a rule is found by fixtures,
 *       not at compile time as the API server's schema-typed check would;
 *   <li>Kubernetes' own libraries ({@code isSorted()}, {@code indexOf()} on lists, {@code url()},
 *       {@code quantity()}, {@code ip()}, {@code cidr()}, regex {@code find()}...) are absent: a
 *       rule that uses one does not compile here, and this class must be taught the function;
 *   <li>an object with a field its schema does not declare, a missing required field or a value of
 *       the wrong type is refused (the API server would prune or reject it; in a fixture it is a
 *       typo that would make the fixture test nothing);
 *   <li>a rule whose evaluation errors (for example reads a field the object lacks without
 *       {@code has()}) throws instead of counting as a violation;
 *   <li>{@code optionalOldSelf}, strings with {@code format} byte/date/date-time/duration (bound
 *       to other CEL types by Kubernetes) and rules under {@code allOf}/{@code anyOf}/{@code oneOf}/
 *       {@code not} are refused with a message saying so; ratcheting of unchanged values on update
 *       is not modelled.
 * </ul>
 */
public final class CrdCel {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String VALIDATIONS = "x-kubernetes-validations";
  private static final String ITEMS = "[]";
  private static final String VALUES = "{}";

  private static final CelOptions OPTIONS = CelOptions.current().build();
  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setOptions(OPTIONS)
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addLibraries(CelExtensions.strings(), CelExtensions.bindings(), CelExtensions.sets(OPTIONS))
      .addVar("self", SimpleType.DYN)
      .addVar("oldSelf", SimpleType.DYN)
      .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.plannerRuntimeBuilder()
      .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS))
      .build();

  /**
   * One {@code x-kubernetes-validations} entry of one CRD version.
   *
   * @param steps the schema path: property names, {@code []} for array items, {@code {}} for the
   *     values of an {@code additionalProperties} map; empty for the schema root
   * @param message the rule's {@code message}, or Kubernetes' default {@code failed rule: RULE}
   *     ({@code messageExpression}, {@code reason} and {@code fieldPath} are not used)
   * @param transition whether the rule uses {@code oldSelf}
   */
  public record Rule(String crd, String version, List<String> steps, String rule, String message,
      boolean transition) {

    /** {@code spec.mfa.totpSeed}, {@code spec.items[].name}, {@code spec.tags{}}; "" for the root. */
    public String path() {
      return CrdCel.path(steps);
    }

    @Override
    public String toString() {
      return crd + " " + version + " " + (steps.isEmpty() ? "(root)" : path()) + ": \"" + message
          + "\" (rule: " + rule + ")";
    }
  }

  /** A rule that did not hold for the value at {@code at}, a concrete path such as {@code spec.items[2]}. */
  public record Violation(Rule rule, String at) {

    public String message() {
      return rule.message();
    }
  }

  /** The rules that were evaluated (their path was present) and those that did not hold. */
  public record Result(Set<Rule> evaluated, List<Violation> violations) {

    /** The messages of the violated rules, each once, in rule order. */
    public List<String> messages() {
      Set<String> messages = new LinkedHashSet<>();
      for (Violation violation : violations) {
        messages.add(violation.message());
      }
      return List.copyOf(messages);
    }
  }

  private final String name;
  private final String group;
  private final String kind;
  private final Map<String, JsonNode> schemas = new LinkedHashMap<>();
  private final List<Rule> rules = new ArrayList<>();
  private final Map<Rule, CelRuntime.Program> programs = new HashMap<>();

  private CrdCel(String name, JsonNode crd) {
    this.name = name;
    if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
      throw new IllegalArgumentException(name + " is not a CustomResourceDefinition");
    }
    this.group = crd.path("spec").path("group").asText();
    this.kind = crd.path("spec").path("names").path("kind").asText();
    for (JsonNode version : crd.path("spec").path("versions")) {
      String versionName = version.path("name").asText();
      JsonNode schema = version.path("schema").path("openAPIV3Schema");
      schemas.put(versionName, schema);
      int walked = collect(versionName, schema, List.of());
      int present = schema.findValues(VALIDATIONS).size();
      if (walked != present) {
        throw new IllegalStateException(name + " " + versionName + " has " + present + " " + VALIDATIONS
            + " lists but only " + walked + " sit under properties/items/additionalProperties; CrdCel does not"
            + " evaluate rules elsewhere (allOf, anyOf, oneOf, not): teach it before relying on those rules");
      }
    }
  }

  /** Reads a CRD YAML file and compiles every rule in it; a rule that does not compile throws. */
  public static CrdCel load(Path file) throws IOException {
    String fileName = file.getFileName().toString();
    return new CrdCel(fileName.replaceFirst("\\.ya?ml$", ""), YAML.readTree(Files.readString(file)));
  }

  /** The CRD file's name without {@code .yml}/{@code .yaml}: the folder name of its fixtures. */
  public String name() {
    return name;
  }

  public String kind() {
    return kind;
  }

  /** Every rule of every version, in schema order. */
  public List<Rule> rules() {
    return Collections.unmodifiableList(rules);
  }

  /**
   * Applies the rules to a whole custom resource being created ({@code apiVersion}, {@code kind},
   * {@code metadata}, {@code spec}...): the rules of the version its {@code apiVersion} names, each
   * at every place its path is present. Transition rules are not evaluated on create.
   */
  public Result validate(JsonNode object) {
    return validate(null, object);
  }

  /**
   * Applies the rules to an update from {@code oldObject} (null for a create) to {@code newObject}.
   */
  public Result validate(JsonNode oldObject, JsonNode newObject) {
    String version = versionOf(newObject);
    if (oldObject != null && !version.equals(versionOf(oldObject))) {
      throw new IllegalArgumentException("the old and the new object have different apiVersions");
    }
    JsonNode schema = schemas.get(version);
    Object newValue = prepare(newObject, schema, "", true);
    Object oldValue = oldObject == null ? null : prepare(oldObject, schema, "", true);
    Set<Rule> evaluated = new LinkedHashSet<>();
    List<Violation> violations = new ArrayList<>();
    for (Rule rule : rules) {
      if (!rule.version().equals(version)) {
        continue;
      }
      List<Place> places = new ArrayList<>();
      if (!rule.transition()) {
        find(null, newValue, schema, rule.steps(), 0, "", places, false);
      } else if (oldValue != null) {
        find(oldValue, newValue, schema, rule.steps(), 0, "", places, true);
      }
      for (Place place : places) {
        evaluated.add(rule);
        String where = rule + " at " + (place.at().isEmpty() ? "(root)" : place.at());
        if (!holds(programs.get(rule), rule.rule(), place.self(), place.oldSelf(), where)) {
          violations.add(new Violation(rule, place.at()));
        }
      }
    }
    return new Result(evaluated, violations);
  }

  /**
   * Compiles a rule in the Kubernetes-like environment; a rule that does not compile throws
   * {@link IllegalArgumentException} with cel-java's error, position included.
   */
  public static CelAbstractSyntaxTree compile(String rule) {
    CelValidationResult result = COMPILER.compile(rule);
    try {
      return result.getAst();
    } catch (CelValidationException e) {
      throw new IllegalArgumentException("CEL rule does not compile: " + rule + "\n" + result.getErrorString(), e);
    }
  }

  /** Evaluates a rule with {@code self} bound to a value (a {@link JsonNode} or JSON-like data). */
  public static boolean evaluate(String rule, Object self) {
    CelAbstractSyntaxTree ast = compile(rule);
    if (usesOldSelf(ast)) {
      throw new IllegalArgumentException("the rule uses oldSelf; pass the old value too: " + rule);
    }
    return holds(program(ast, rule), rule, json(self), null, rule);
  }

  /** Evaluates a transition rule with {@code self} and {@code oldSelf} bound. */
  public static boolean evaluate(String rule, Object self, Object oldSelf) {
    return holds(program(compile(rule), rule), rule, json(self), json(oldSelf), rule);
  }

  /** Schema-less JSON to CEL data: object, array, integer, number, string, boolean, null. */
  public static Object toCel(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NullValue.NULL_VALUE;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> field = it.next();
        map.put(field.getKey(), toCel(field.getValue()));
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      for (JsonNode item : node) {
        list.add(toCel(item));
      }
      return list;
    }
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) {
        throw new IllegalArgumentException("integer out of CEL's int range: " + node);
      }
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    throw new IllegalArgumentException("not JSON data: " + node);
  }

  private int collect(String version, JsonNode schema, List<String> steps) {
    int lists = 0;
    if (schema.has(VALIDATIONS)) {
      lists++;
      for (JsonNode entry : schema.get(VALIDATIONS)) {
        String where = name + " " + version + " " + (steps.isEmpty() ? "(root)" : path(steps));
        if (!entry.path("rule").isTextual()) {
          throw new IllegalArgumentException(where + ": a validation without a rule: " + entry);
        }
        if (entry.path("optionalOldSelf").asBoolean(false)) {
          throw new UnsupportedOperationException(where + ": optionalOldSelf is not supported by CrdCel yet");
        }
        String text = entry.get("rule").asText();
        CelAbstractSyntaxTree ast;
        try {
          ast = compile(text);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        String message = entry.path("message").isTextual() ? entry.get("message").asText() : "failed rule: " + text;
        Rule rule = new Rule(name, version, steps, text, message, usesOldSelf(ast));
        rules.add(rule);
        programs.put(rule, program(ast, text));
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> property = it.next();
      lists += collect(version, property.getValue(), append(steps, property.getKey()));
    }
    if (schema.path("items").isObject()) {
      lists += collect(version, schema.get("items"), append(steps, ITEMS));
    }
    if (schema.path("additionalProperties").isObject()) {
      lists += collect(version, schema.get("additionalProperties"), append(steps, VALUES));
    }
    return lists;
  }

  private static String path(List<String> steps) {
    StringBuilder path = new StringBuilder();
    for (String step : steps) {
      if (!step.equals(ITEMS) && !step.equals(VALUES) && path.length() > 0) {
        path.append('.');
      }
      path.append(step);
    }
    return path.toString();
  }

  private static List<String> append(List<String> steps, String step) {
    List<String> longer = new ArrayList<>(steps);
    longer.add(step);
    return List.copyOf(longer);
  }

  private static boolean usesOldSelf(CelAbstractSyntaxTree ast) {
    for (CelReference reference : ast.getReferenceMap().values()) {
      if ("oldSelf".equals(reference.name())) {
        return true;
      }
    }
    return false;
  }

  private static CelRuntime.Program program(CelAbstractSyntaxTree ast, String rule) {
    try {
      return RUNTIME.createProgram(ast);
    } catch (CelEvaluationException e) {
      throw new IllegalArgumentException("CEL rule cannot be planned: " + rule, e);
    }
  }

  private static Object json(Object value) {
    return value instanceof JsonNode node ? toCel(node) : value;
  }

  private static boolean holds(CelRuntime.Program program, String rule, Object self, Object oldSelf, String where) {
    Map<String, Object> bindings = new HashMap<>();
    bindings.put("self", self);
    if (oldSelf != null) {
      bindings.put("oldSelf", oldSelf);
    }
    Object result;
    try {
      result = program.eval(bindings);
    } catch (CelEvaluationException e) {
      throw new IllegalStateException("CEL evaluation failed (the API server would reject the object with this"
          + " error; use has() for optional fields): " + where + ": " + e.getMessage(), e);
    }
    if (!(result instanceof Boolean)) {
      throw new IllegalStateException("CEL rule must give a bool, gave " + result + ": " + rule);
    }
    return (Boolean) result;
  }

  private String versionOf(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText();
    int slash = apiVersion.indexOf('/');
    String version = apiVersion.substring(slash + 1);
    if (slash < 0 || !apiVersion.substring(0, slash).equals(group) || !schemas.containsKey(version)) {
      throw new IllegalArgumentException("apiVersion " + apiVersion + " is not one of " + name + "'s: " + group + "/"
          + schemas.keySet());
    }
    if (!kind.equals(object.path("kind").asText())) {
      throw new IllegalArgumentException("kind " + object.path("kind").asText() + " is not " + name + "'s " + kind);
    }
    return version;
  }

  /** Where a rule applies: the concrete path, and what {@code oldSelf} (null on create) and {@code self} are. */
  private record Place(String at, Object oldSelf, Object self) {
  }

  /**
   * Collects every place the path is present: in the new value, and for a transition rule also in
   * the old one.
   */
  private static void find(Object oldValue, Object newValue, JsonNode schema, List<String> steps, int i, String at,
      List<Place> places, boolean transition) {
    if (transition && oldValue == null) {
      return;
    }
    if (i == steps.size()) {
      places.add(new Place(at, oldValue, newValue));
      return;
    }
    String step = steps.get(i);
    if (step.equals(ITEMS)) {
      if (!(newValue instanceof List<?> list)) {
        return;
      }
      JsonNode items = schema.path("items");
      for (int index = 0; index < list.size(); index++) {
        Object element = list.get(index);
        Object oldElement = transition ? correlate(oldValue, element, schema) : null;
        find(oldElement, element, items, steps, i + 1, at + "[" + index + "]", places, transition);
      }
    } else if (step.equals(VALUES)) {
      if (!(newValue instanceof Map<?, ?> map)) {
        return;
      }
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        Object oldEntry = oldValue instanceof Map<?, ?> oldMap ? oldMap.get(entry.getKey()) : null;
        find(oldEntry, entry.getValue(), schema.path("additionalProperties"), steps, i + 1,
            at + "[" + entry.getKey() + "]", places, transition);
      }
    } else {
      if (!(newValue instanceof Map<?, ?> map) || !map.containsKey(step)) {
        return;
      }
      Object oldField = oldValue instanceof Map<?, ?> oldMap ? oldMap.get(step) : null;
      find(oldField, map.get(step), schema.path("properties").path(step), steps, i + 1,
          at.isEmpty() ? step : at + "." + step, places, transition);
    }
  }

  /** The old item a new item of a list-type=map list corresponds to (same keys); none for other lists. */
  private static Object correlate(Object oldList, Object element, JsonNode listSchema) {
    if (!(oldList instanceof List<?> old) || !"map".equals(listSchema.path("x-kubernetes-list-type").asText())
        || !(element instanceof Map<?, ?> item)) {
      return null;
    }
    for (Object candidate : old) {
      if (candidate instanceof Map<?, ?> oldItem) {
        boolean same = true;
        for (JsonNode key : listSchema.path("x-kubernetes-list-map-keys")) {
          same &= Objects.equals(oldItem.get(key.asText()), item.get(key.asText()));
        }
        if (same) {
          return oldItem;
        }
      }
    }
    return null;
  }

  /**
   * JSON to CEL data guided by the schema: defaults applied, types checked, unknown fields and
   * missing required fields refused, nulls of non-nullable fields dropped.
   */
  private static Object prepare(JsonNode value, JsonNode schema, String at, boolean root) {
    String where = at.isEmpty() ? "(root)" : at;
    if (schema == null || schema.isMissingNode() || schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      return toCel(value);
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "object":
        if (!value.isObject()) {
          throw new IllegalArgumentException(where + ": expected an object, got " + value);
        }
        return prepareObject(value, schema, at, root);
      case "array":
        if (!value.isArray()) {
          throw new IllegalArgumentException(where + ": expected an array, got " + value);
        }
        List<Object> list = new ArrayList<>();
        int index = 0;
        for (JsonNode item : value) {
          list.add(item.isNull() ? NullValue.NULL_VALUE : prepare(item, schema.path("items"), at + "[" + index + "]",
              false));
          index++;
        }
        return list;
      case "string":
        if (!value.isTextual()) {
          throw new IllegalArgumentException(where + ": expected a string, got " + value);
        }
        String format = schema.path("format").asText("");
        if (List.of("byte", "date", "date-time", "datetime", "duration").contains(format)) {
          throw new UnsupportedOperationException(where + ": Kubernetes binds format " + format
              + " to a CEL bytes/timestamp/duration; CrdCel does not yet");
        }
        return value.textValue();
      case "integer":
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
          throw new IllegalArgumentException(where + ": expected an integer, got " + value);
        }
        return value.longValue();
      case "number":
        if (!value.isNumber()) {
          throw new IllegalArgumentException(where + ": expected a number, got " + value);
        }
        return value.doubleValue();
      case "boolean":
        if (!value.isBoolean()) {
          throw new IllegalArgumentException(where + ": expected a boolean, got " + value);
        }
        return value.booleanValue();
      default:
        return toCel(value);
    }
  }

  private static Object prepareObject(JsonNode value, JsonNode schema, String at, boolean root) {
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
        || additional.asBoolean(false);
    Map<String, Object> map = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      JsonNode child = field.getValue();
      String childAt = at.isEmpty() ? key : at + "." + key;
      if (root && (key.equals("apiVersion") || key.equals("kind"))) {
        map.put(key, toCel(child));
      } else if (root && key.equals("metadata")) {
        // Only these two are visible to rules at the root.
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (String visible : List.of("name", "generateName")) {
          if (child.path(visible).isTextual()) {
            metadata.put(visible, child.get(visible).asText());
          }
        }
        map.put(key, metadata);
      } else if (properties.has(key) || additional.isObject()) {
        JsonNode childSchema = properties.has(key) ? properties.get(key) : additional;
        if (child.isNull()) {
          if (childSchema.path("nullable").asBoolean(false)) {
            map.put(key, NullValue.NULL_VALUE);
          }
        } else {
          map.put(key, prepare(child, childSchema, childAt, false));
        }
      } else if (preserve) {
        map.put(key, toCel(child));
      } else {
        throw new IllegalArgumentException(childAt + ": field not in the schema (the API server would prune or"
            + " reject it; a typo?)");
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> property = it.next();
      if (!map.containsKey(property.getKey()) && property.getValue().has("default")) {
        String childAt = at.isEmpty() ? property.getKey() : at + "." + property.getKey();
        map.put(property.getKey(), prepare(property.getValue().get("default"), property.getValue(), childAt, false));
      }
    }
    for (JsonNode required : schema.path("required")) {
      if (!map.containsKey(required.asText())) {
        throw new IllegalArgumentException((at.isEmpty() ? "" : at + ".") + required.asText()
            + ": required field missing (the API server would reject the object)");
      }
    }
    return map;
  }

  /** A copy of a CRD's YAML tree, for tests that change a rule to prove the harness notices. */
  public static ObjectNode readTree(Path file) throws IOException {
    return (ObjectNode) YAML.readTree(Files.readString(file));
  }

  /** Writes a CRD tree as YAML (the counterpart of {@link #readTree}). */
  public static void writeTree(Path file, JsonNode crd) throws IOException {
    Files.writeString(file, YAML.writeValueAsString(crd));
  }
}
