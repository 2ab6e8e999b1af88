package io.bucketprotection.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.spec.AccountValidator;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.spec.SpecValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Random hostile specs, of the right JSON types (the CRD schema sees to types) but with any
 * content: huge, empty, control characters, lone surrogates, glob and regex metacharacters, URL
 * tricks, numbers out of range, fields this version does not know. Whatever comes in, the
 * validators answer with an InvalidSpecException or a result, and the informer's indexers with a
 * list; nothing else escapes. Messages stay short and on one line (they go to status, events
 * and logs, where a newline would forge a line).
 */
class HostileSpecFuzzTest {

  private static final int CASES = 10_000;
  private static final int MAX_MESSAGE = 2_000;
  private static final OperatorConfig CONFIG = OperatorConfig.fromEnvironment(Map.of(
      "BPO_ALLOWED_ENDPOINTS", "https://s3.example.com"));

  private static final String[] STRINGS = {
      "", " ", "a", "Enabled", "Disabled", "Suspended", "Observe", "Enforce", "S3Account", "ClusterS3Account",
      "my-bucket", "us-east-1", "123456789012", "5m", "10s", "24h", "1h30m", "0s", "-5m", "9999999999999999h",
      "1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s", "*", "**", "?*?*?*?*", "[a-z]", ".*", "(a+)+$", "\\", "%",
      "a\nb", "a\r\nInjected: log line", "\u0000", "\u001b[31mred", "\ud800", "\udfff", "\u202e", "ü", "日本",
      "../../etc/passwd", "kube-system", "default", "root-mfa", "seed", "AWS_SECRET_ACCESS_KEY",
      "http://169.254.169.254", "http://user:pass@s3.example.com", "https://s3.example.com", "https://s3.example.com/",
      "https://s3.example.com:99999", "http://[::1]:8080", "javascript:alert(1)", "file:///etc/passwd",
      "https://s3.example.com#frag", "https://s3.example.com?x=1", "http://%00", "ftp://x", "https://",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:x", "arn:aws:iam::123456789012:mfa/root",
      "arn:aws:secretsmanager:::", "arn:::::::", "xn--s3-alias", "bucket--ol-s3", "192.168.0.1", "a.b..c",
  };

  @Test
  void noHostileBucketProtectionMakesTheValidatorOrTheIndexersThrow() {
    Random random = new Random(20261130L);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < CASES && failures.size() < 5; i++) {
      Map<String, Object> spec = bucketProtectionSpec(random);
      BucketProtection resource;
      try {
        resource = Serialization.jsonMapper().convertValue(Map.of("apiVersion", "bucketprotection.io/v1alpha1",
            "kind", "BucketProtection", "metadata", metadata(random, true), "spec", spec), BucketProtection.class);
      } catch (IllegalArgumentException e) {
        fail("the generator made a spec of the wrong types: " + e.getMessage());
        return;
      }
      try {
        SpecValidator.validate(resource, CONFIG);
      } catch (InvalidSpecException e) {
        checkMessage(e.getMessage(), spec, failures);
      } catch (RuntimeException e) {
        failures.add("SpecValidator threw " + e + " for " + abbreviate(spec));
      }
      for (Map.Entry<String, Function<BucketProtection, List<String>>> indexer : Map.<String,
          Function<BucketProtection, List<String>>>of(
          "referencedSecrets", BucketProtectionReconciler::referencedSecrets,
          "ownership", BucketOwnership::indexKeys,
          "accounts", TenancyCaches::accountKeys,
          "inlineSerials", CacheNeighbours::inlineSerials).entrySet()) {
        try {
          indexer.getValue().apply(resource);
        } catch (RuntimeException e) {
          failures.add(indexer.getKey() + " threw " + e + " for " + abbreviate(spec));
        }
      }
    }
    assertTrue(failures.isEmpty(), failures.toString());
  }

  @Test
  void noHostileAccountMakesTheValidatorThrow() {
    Random random = new Random(11302026L);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < CASES && failures.size() < 5; i++) {
      Map<String, Object> spec = accountSpec(random);
      boolean cluster = random.nextBoolean();
      if (cluster && random.nextBoolean()) {
        spec.put("namespaces", namespaces(random));
      }
      Map<String, Object> object = Map.of("apiVersion", "bucketprotection.io/v1alpha1",
          "kind", cluster ? "ClusterS3Account" : "S3Account", "metadata", metadata(random, !cluster), "spec", spec);
      try {
        if (cluster) {
          AccountValidator.validate(Serialization.jsonMapper().convertValue(object, ClusterS3Account.class), CONFIG);
        } else {
          AccountValidator.validate(Serialization.jsonMapper().convertValue(object, S3Account.class), CONFIG);
        }
      } catch (InvalidSpecException e) {
        checkMessage(e.getMessage(), spec, failures);
      } catch (RuntimeException e) {
        failures.add("AccountValidator threw " + e + " for " + abbreviate(spec));
      }
    }
    assertTrue(failures.isEmpty(), failures.toString());
  }

  private static void checkMessage(String message, Map<String, Object> spec, List<String> failures) {
    if (message == null || message.length() > MAX_MESSAGE) {
      failures.add("message of " + (message == null ? "null" : message.length() + " chars") + " for " + abbreviate(spec));
    } else if (message.chars().anyMatch(c -> Character.isISOControl(c) || (c >= 0xD800 && c <= 0xDFFF)
        || c == 0x202E)) {
      failures.add("message with control or bidi characters: " + message.replaceAll("\\p{Cntrl}", "?"));
    }
  }

  private static Map<String, Object> metadata(Random random, boolean namespaced) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", "fuzz");
    metadata.put("uid", "uid-" + random.nextInt(1000));
    if (namespaced) {
      metadata.put("namespace", random.nextInt(4) == 0 ? string(random) : "team");
    }
    if (random.nextBoolean()) {
      metadata.put("annotations", Map.of("bucketprotection.io/allow-weakening", string(random)));
    }
    return metadata;
  }

  private static Map<String, Object> bucketProtectionSpec(Random random) {
    Map<String, Object> spec = new LinkedHashMap<>();
    maybe(random, spec, "bucket");
    maybe(random, spec, "versioning");
    maybe(random, spec, "mfaDelete");
    maybe(random, spec, "mode");
    maybe(random, spec, "region");
    maybe(random, spec, "endpoint");
    maybe(random, spec, "expectedBucketOwner");
    maybe(random, spec, "checkInterval");
    if (random.nextBoolean()) {
      Map<String, Object> ref = new LinkedHashMap<>();
      maybe(random, ref, "kind");
      maybe(random, ref, "name");
      spec.put("accountRef", ref);
    }
    if (random.nextBoolean()) {
      spec.put("credentials", credentials(random, false));
    }
    if (random.nextBoolean()) {
      spec.put("mfa", mfa(random));
    }
    unknown(random, spec);
    return spec;
  }

  private static Map<String, Object> accountSpec(Random random) {
    Map<String, Object> spec = new LinkedHashMap<>();
    maybe(random, spec, "endpoint");
    maybe(random, spec, "region");
    maybe(random, spec, "expectedBucketOwner");
    maybe(random, spec, "weakening");
    if (random.nextBoolean()) {
      spec.put("buckets", strings(random));
    }
    if (random.nextBoolean()) {
      spec.put("credentials", credentials(random, true));
    }
    if (random.nextBoolean()) {
      spec.put("mfa", mfa(random));
    }
    unknown(random, spec);
    return spec;
  }

  private static Map<String, Object> namespaces(Random random) {
    Map<String, Object> namespaces = new LinkedHashMap<>();
    if (random.nextBoolean()) {
      namespaces.put("names", strings(random));
    }
    if (random.nextBoolean()) {
      Map<String, Object> selector = new LinkedHashMap<>();
      if (random.nextBoolean()) {
        selector.put("matchLabels", Map.of(string(random), string(random)));
      }
      if (random.nextBoolean()) {
        Map<String, Object> expression = new LinkedHashMap<>();
        maybe(random, expression, "key");
        maybe(random, expression, "operator");
        if (random.nextBoolean()) {
          expression.put("values", strings(random));
        }
        selector.put("matchExpressions", List.of(expression));
      }
      namespaces.put("selector", selector);
    }
    return namespaces;
  }

  private static Map<String, Object> credentials(Random random, boolean account) {
    Map<String, Object> credentials = new LinkedHashMap<>();
    if (random.nextBoolean()) {
      Map<String, Object> ref = new LinkedHashMap<>();
      maybe(random, ref, "name");
      credentials.put("secretRef", ref);
    }
    if (random.nextBoolean()) {
      credentials.put("secretsManager", secretsManager(random));
    }
    if (account && random.nextBoolean()) {
      credentials.put("operatorIdentity", Map.of());
    }
    return credentials;
  }

  private static Map<String, Object> secretsManager(Random random) {
    Map<String, Object> ref = new LinkedHashMap<>();
    maybe(random, ref, "secretId");
    maybe(random, ref, "key");
    maybe(random, ref, "region");
    return ref;
  }

  private static Map<String, Object> mfa(Random random) {
    Map<String, Object> mfa = new LinkedHashMap<>();
    maybe(random, mfa, "serialNumber");
    if (random.nextBoolean()) {
      mfa.put("periodSeconds", number(random));
    }
    if (random.nextBoolean()) {
      mfa.put("lookAheadSteps", number(random));
    }
    if (random.nextBoolean()) {
      Map<String, Object> seed = new LinkedHashMap<>();
      if (random.nextBoolean()) {
        Map<String, Object> ref = new LinkedHashMap<>();
        maybe(random, ref, "name");
        maybe(random, ref, "key");
        seed.put("secretKeyRef", ref);
      }
      if (random.nextBoolean()) {
        seed.put("secretsManager", secretsManager(random));
      }
      mfa.put("totpSeed", seed);
    }
    return mfa;
  }

  private static void unknown(Random random, Map<String, Object> part) {
    if (random.nextInt(8) == 0) {
      part.put(string(random), random.nextBoolean() ? string(random) : Map.of("x", 1));
    }
  }

  private static void maybe(Random random, Map<String, Object> part, String field) {
    if (random.nextInt(4) != 0) {
      part.put(field, string(random));
    }
  }

  private static List<String> strings(Random random) {
    int size = random.nextInt(10) == 0 ? 5_000 : random.nextInt(4);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      values.add(string(random));
    }
    return values;
  }

  private static int number(Random random) {
    int[] numbers = {Integer.MIN_VALUE, -1, 0, 1, 2, 30, 60, 3600, Integer.MAX_VALUE};
    return random.nextInt(3) == 0 ? random.nextInt() : numbers[random.nextInt(numbers.length)];
  }

  private static String string(Random random) {
    switch (random.nextInt(6)) {
      case 0:
        return STRINGS[random.nextInt(STRINGS.length)].repeat(1 + random.nextInt(random.nextInt(20) == 0 ? 20_000 : 3));
      case 1: {
        StringBuilder any = new StringBuilder();
        int length = random.nextInt(80);
        for (int i = 0; i < length; i++) {
          any.append((char) random.nextInt(random.nextBoolean() ? 128 : 0x10000));
        }
        return any.toString();
      }
      case 2:
        return STRINGS[random.nextInt(STRINGS.length)] + STRINGS[random.nextInt(STRINGS.length)];
      default:
        return STRINGS[random.nextInt(STRINGS.length)];
    }
  }

  private static String abbreviate(Object value) {
    String text = String.valueOf(value).replaceAll("\\p{Cntrl}", "?");
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
