package io.bucketprotection.operator.check;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.aws.ServerText;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads multi-document YAML from files, folders (recursively, *.yaml and *.yml) and standard
 * input, and keeps the documents of this operator's API group. Everything else is dropped as it
 * is parsed: a Secret's values are never kept, let alone used or printed.
 */
final class ManifestReader {

  /** The input cannot be read at all (a missing file, broken YAML, one object defined twice). */
  static final class InputException extends Exception {
    InputException(String message) {
      super(ServerText.clean(message, 1000));
    }
  }

  private static final String API_VERSION = BucketProtection.GROUP + "/" + BucketProtection.VERSION;
  private static final String KIND_PROTECTION = "BucketProtection";

  /** fabric8's own mapping, as the operator's informers read these kinds (unknown fields kept, not fatal). */
  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
  /**
   * SnakeYAML's default limits, kept: 3 MB per document (large scalars parse slowly, so a larger
   * limit would let one document stall a CI job), 50 aliases, bounded nesting.
   */
  private static final YAMLFactory FACTORY = new YAMLFactory();
  private static final YAMLMapper YAML = new YAMLMapper(FACTORY);

  private final String defaultNamespace;

  /** @param defaultNamespace the namespace of a namespaced manifest that names none */
  ManifestReader(String defaultNamespace) {
    this.defaultNamespace = defaultNamespace;
  }

  /** @param paths files, folders and "-"; empty means standard input */
  List<Manifest> read(List<String> paths, InputStream stdin) throws InputException {
    List<Manifest> manifests = new ArrayList<>();
    for (String path : paths.isEmpty() ? List.of("-") : paths) {
      if ("-".equals(path)) {
        parse("-", stdin, manifests);
      } else {
        for (Path file : files(Path.of(path))) {
          try (InputStream in = Files.newInputStream(file)) {
            parse(file.toString(), in, manifests);
          } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getClass().getSimpleName());
          }
        }
      }
    }
    refuseDuplicates(manifests);
    return manifests;
  }

  private static List<Path> files(Path path) throws InputException {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      throw new InputException("no such file or folder: " + path);
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new InputException("cannot list " + path + ": " + e.getClass().getSimpleName());
    }
  }

  private void parse(String file, InputStream in, List<Manifest> out) throws InputException {
    int document = 0;
    try (JsonParser parser = FACTORY.createParser(in)) {
      var documents = YAML.readValues(parser, JsonNode.class);
      while (documents.hasNextValue()) {
        JsonNode node = documents.nextValue();
        document++;
        collect(file, document, node, out);
      }
    } catch (JsonProcessingException e) {
      // The location, not the parser's message: that quotes the document, which may be a Secret.
      throw new InputException(file + ": not valid YAML"
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr())
          + " (document " + (document + 1) + ")");
    } catch (RuntimeException e) {
      // SnakeYAML's own limits (aliases, nesting, size) may surface unwrapped; same rule for the message.
      throw new InputException(file + ": not valid YAML, or past the parser's limits (document " + (document + 1)
          + ", " + e.getClass().getSimpleName() + ")");
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e.getClass().getSimpleName());
    }
  }

  private void collect(String file, int document, JsonNode node, List<Manifest> out) {
    if (node == null || !node.isObject()) {
      return; // an empty document (a trailing ---), or a scalar: nothing kubectl would apply either
    }
    String kind = node.path("kind").asText("");
    String apiVersion = node.path("apiVersion").asText("");
    if ("List".equals(kind) && node.path("items").isArray()) {
      node.path("items").forEach(item -> collect(file, document, item, out));
      return;
    }
    if (!apiVersion.startsWith(BucketProtection.GROUP + "/")) {
      return;
    }
    String name = node.path("metadata").path("name").asText(null);
    Class<? extends HasMetadata> type = type(kind);
    boolean namespaced = type != ClusterS3Account.class;
    String namespace = null;
    if (namespaced) {
      namespace = node.path("metadata").path("namespace").asText("");
      namespace = namespace.isBlank() ? defaultNamespace : namespace;
    }
    if (type == null || !API_VERSION.equals(apiVersion)) {
      out.add(new Manifest(file, document, kind, namespace, name, null, apiVersion + " " + kind
          + " is not a kind this operator version serves (it serves " + API_VERSION + " BucketProtection,"
          + " BucketProtectionPolicy, ClusterS3Account, S3Account and ObjectVersionDeletion)."));
      return;
    }
    if (name == null || name.isBlank()) {
      out.add(new Manifest(file, document, kind, namespace, name, null, "metadata.name is required."));
      return;
    }
    HasMetadata object;
    try {
      object = KUBERNETES.convertValue(node, type);
    } catch (RuntimeException e) {
      out.add(new Manifest(file, document, kind, namespace, name, null, "The document does not match the "
          + kind + " schema: " + firstLine(e.getMessage()) + "."));
      return;
    }
    if (namespaced) {
      object.getMetadata().setNamespace(namespace);
    }
    out.add(new Manifest(file, document, kind, namespace, name, object, null));
  }

  private static Class<? extends HasMetadata> type(String kind) {
    if (KIND_PROTECTION.equals(kind)) {
      return BucketProtection.class;
    }
    if (BucketProtectionPolicy.KIND.equals(kind)) {
      return BucketProtectionPolicy.class;
    }
    if (ClusterS3Account.KIND.equals(kind)) {
      return ClusterS3Account.class;
    }
    if (ObjectVersionDeletion.KIND.equals(kind)) {
      return ObjectVersionDeletion.class;
    }
    return S3Account.KIND.equals(kind) ? S3Account.class : null;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int cut = message.indexOf('\n');
    return ServerText.clean(cut < 0 ? message : message.substring(0, cut), 300);
  }

  /** One object defined twice: a cluster would hold only the last one, and the check would guess. */
  private static void refuseDuplicates(List<Manifest> manifests) throws InputException {
    Map<String, Manifest> seen = new HashMap<>();
    for (Manifest manifest : manifests) {
      if (manifest.object() == null) {
        continue;
      }
      Manifest first = seen.putIfAbsent(manifest.key(), manifest);
      if (first != null) {
        throw new InputException(manifest.key() + " is defined twice: " + first.origin() + " and "
            + manifest.origin() + ".");
      }
    }
  }
}
