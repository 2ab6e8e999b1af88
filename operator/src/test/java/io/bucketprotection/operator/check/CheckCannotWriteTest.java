package io.bucketprotection.operator.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.mfa.MfaCodeLedger;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.reconcile.act.Actor;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.secrets.SecretLookup;
import io.bucketprotection.operator.secrets.SecretReader;
import io.bucketprotection.operator.secrets.SecretResolver;
import io.bucketprotection.operator.secrets.SecretsManagerReader;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The check cannot write to a bucket, make an MFA code, read a secret or talk to Kubernetes,
 * because nothing in its package can hold what would: its S3 interface has two reads, and no class
 * of the package has a field, parameter or return value of a type that writes or reads secrets.
 * (RgwCheckTest shows, at the wire, that no write is sent.)
 */
class CheckCannotWriteTest {

  private static final List<Class<?>> FORBIDDEN = List.of(BucketStore.class, S3Client.class, SecretResolver.class,
      SecretReader.class, SecretLookup.class, SecretsManagerReader.class, MfaCodeLedger.class,
      TotpCodeGenerator.class, TotpSeed.class, Actor.class, KubernetesClient.class);

  @Test
  void theS3InterfaceOfTheCheckOnlyReads() {
    Set<String> methods = new TreeSet<>();
    for (Method m : BucketReader.class.getMethods()) {
      methods.add(m.getName());
    }
    assertEquals(Set.of("close", "hasLifecycleRules", "listBuckets", "observe"), methods);
    assertTrue(!BucketStore.class.isAssignableFrom(AwsBucketReader.class), "the reader is not a store");
  }

  @Test
  void noClassOfTheCheckHoldsOrPassesAnythingThatWritesOrReadsSecrets() throws Exception {
    List<Class<?>> classes = checkClasses();
    assertTrue(classes.size() >= 10, "found the package's classes: " + classes);
    List<String> found = new ArrayList<>();
    for (Class<?> type : classes) {
      for (Field f : type.getDeclaredFields()) {
        forbidden(f.getType()).forEach(bad -> found.add(type.getName() + "." + f.getName() + ": " + bad));
      }
      for (Method m : type.getDeclaredMethods()) {
        Stream.concat(Stream.of(m.getReturnType()), Arrays.stream(m.getParameterTypes()))
            .forEach(t -> forbidden(t).forEach(bad -> found.add(type.getName() + "." + m.getName() + "(): " + bad)));
      }
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        Arrays.stream(c.getParameterTypes())
            .forEach(t -> forbidden(t).forEach(bad -> found.add(type.getName() + " constructor: " + bad)));
      }
    }
    assertEquals(List.of(), found);
  }

  private static List<String> forbidden(Class<?> type) {
    return FORBIDDEN.stream().filter(f -> f.isAssignableFrom(type) || type.isAssignableFrom(f) && type != Object.class
        && type != AutoCloseable.class).map(Class::getSimpleName).toList();
  }

  /** Every class compiled into the check package, nested ones included (main classes only). */
  private static List<Class<?>> checkClasses() throws URISyntaxException, java.io.IOException, ClassNotFoundException {
    Path root = Path.of(CheckCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = root.resolve(CheckCommand.class.getPackageName().replace('.', '/'));
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
        String simple = file.getFileName().toString().replace(".class", "");
        classes.add(Class.forName(CheckCommand.class.getPackageName() + "." + simple, false,
            CheckCommand.class.getClassLoader()));
      }
    }
    return classes;
  }
}
