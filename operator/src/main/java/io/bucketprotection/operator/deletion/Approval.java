package io.bucketprotection.operator.deletion;

import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.bucketprotection.operator.spec.AccountId;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/**
 * The second key of a deletion: an annotation on the account, which only whoever may edit the
 * account can add, naming the request by uid (its key) and by namespace/name (its value). An
 * approval naming another uid, or the right uid with another namespace/name, approves nothing.
 */
public final class Approval {

  private Approval() {
  }

  /** The annotation key that approves {@code request}. */
  public static String key(ObjectVersionDeletion request) {
    return ObjectVersionDeletion.APPROVAL_PREFIX + request.getMetadata().getUid();
  }

  /** The annotation value that approves {@code request}. */
  public static String value(ObjectVersionDeletion request) {
    return request.getMetadata().getNamespace() + "/" + request.getMetadata().getName();
  }

  /** Whether {@code account} carries the approval of exactly this request. */
  public static boolean approves(HasMetadata account, ObjectVersionDeletion request) {
    Map<String, String> annotations = account.getMetadata().getAnnotations();
    return request.getMetadata().getUid() != null && annotations != null
        && value(request).equals(annotations.get(key(request)));
  }

  /** "key=value", as the audit lines record the approval. */
  public static String describe(ObjectVersionDeletion request) {
    return key(request) + "=" + value(request);
  }

  /** The command that approves {@code request} on {@code account}, for the waiting message. */
  public static String command(AccountId account, ObjectVersionDeletion request) {
    String target = account.kind() == AccountId.Kind.ClusterS3Account ? "clusters3account " + account.name()
        : "s3account " + account.name() + " -n " + account.namespace();
    return "kubectl annotate " + target + " " + key(request) + "=" + value(request);
  }
}
