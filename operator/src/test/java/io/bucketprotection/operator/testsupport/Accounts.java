package io.bucketprotection.operator.testsupport;

import io.bucketprotection.operator.api.AccountCredentials;
import io.bucketprotection.operator.api.AccountNamespaces;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.ClusterS3AccountSpec;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.ObserverSpec;
import io.bucketprotection.operator.api.OperatorIdentity;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.api.S3AccountSpec;
import io.bucketprotection.operator.api.SecretKeyReference;
import io.bucketprotection.operator.api.SecretReference;
import io.bucketprotection.operator.api.TotpSeedSource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;

/** Builders for the account objects tests create. */
public final class Accounts {

  private Accounts() {
  }

  /**
   * The ClusterS3Account "default" lending the operator's own identity for every bucket to every
   * namespace (selector {}): what a resource without accountRef or credentials uses, so tests of
   * other things can create bare resources.
   */
  public static ClusterS3Account defaultForEveryone() {
    ClusterS3Account account = cluster("default", List.of("*"));
    account.getSpec().setCredentials(operatorIdentity());
    AccountNamespaces namespaces = new AccountNamespaces();
    namespaces.setSelector(new LabelSelector());
    account.getSpec().setNamespaces(namespaces);
    return account;
  }

  public static ClusterS3Account cluster(String name, List<String> buckets) {
    ClusterS3Account account = new ClusterS3Account();
    account.setMetadata(new ObjectMetaBuilder().withName(name).build());
    ClusterS3AccountSpec spec = new ClusterS3AccountSpec();
    spec.setBuckets(buckets);
    account.setSpec(spec);
    return account;
  }

  public static S3Account namespaced(String namespace, String name, List<String> buckets, String keysSecret) {
    S3Account account = new S3Account();
    account.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    S3AccountSpec spec = new S3AccountSpec();
    spec.setBuckets(buckets);
    spec.setCredentials(secretRef(keysSecret));
    account.setSpec(spec);
    return account;
  }

  public static AccountCredentials operatorIdentity() {
    AccountCredentials credentials = new AccountCredentials();
    credentials.setOperatorIdentity(new OperatorIdentity());
    return credentials;
  }

  /** spec.observer: the operator's own identity signs everything that carries no code. */
  public static ObserverSpec operatorObserver() {
    ObserverSpec observer = new ObserverSpec();
    observer.setOperatorIdentity(new OperatorIdentity());
    return observer;
  }

  /** spec.observer: the keys in a labelled Secret of the account's Secret namespace sign everything without a code. */
  public static ObserverSpec observerSecret(String name) {
    ObserverSpec observer = new ObserverSpec();
    observer.setSecretRef(new io.bucketprotection.operator.api.ObserverSecretReference(name));
    return observer;
  }

  /** Root keys kept in Secrets Manager as JSON with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. */
  public static AccountCredentials rootInSecretsManager(String secretId) {
    AccountCredentials credentials = new AccountCredentials();
    credentials.setSecretsManager(new io.bucketprotection.operator.api.SecretsManagerReference(secretId, null, null));
    return credentials;
  }

  /** A Secrets Manager value holding root keys, for {@link #rootInSecretsManager}. */
  public static String rootKeysJson(String accessKeyId, String secretAccessKey) {
    return "{\"AWS_ACCESS_KEY_ID\":\"" + accessKeyId + "\",\"AWS_SECRET_ACCESS_KEY\":\"" + secretAccessKey + "\"}";
  }

  public static AccountCredentials secretRef(String name) {
    AccountCredentials credentials = new AccountCredentials();
    credentials.setSecretRef(new SecretReference(name));
    return credentials;
  }

  public static MfaSpec mfa(String serial, String seedSecret, int periodSeconds) {
    return new MfaSpec(serial, new TotpSeedSource(new SecretKeyReference(seedSecret, "seed")), periodSeconds);
  }

  public static AccountNamespaces names(String... names) {
    AccountNamespaces namespaces = new AccountNamespaces();
    namespaces.setNames(List.of(names));
    return namespaces;
  }
}
