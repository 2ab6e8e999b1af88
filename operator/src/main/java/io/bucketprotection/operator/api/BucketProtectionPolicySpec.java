package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Which buckets of an account a policy covers, and the protection each gets. */
public class BucketProtectionPolicySpec extends UnknownFields {

  @JsonPropertyDescription("The account whose buckets are listed and whose keys and device the children use: a"
      + " ClusterS3Account that admits this namespace, or an S3Account of this namespace. Its spec.buckets globs"
      + " bound what the policy may cover.")
  @Required
  private AccountReference accountRef;

  @JsonPropertyDescription("Which buckets are covered: include globs, minus exclude globs.")
  @Required
  private PolicySelector selector;

  @JsonPropertyDescription("The protection each covered bucket gets, validated exactly like a BucketProtection's"
      + " spec.")
  @Required
  private PolicyTemplate template;

  @JsonPropertyDescription("How often the account's buckets are listed again to find new ones: s, m and h parts,"
      + " at least 1m (default 10m).")
  @Default("10m")
  @Pattern("^([0-9]+[smh])+$")
  @Size(max = Limits.DURATION)
  private String scanInterval;

  public AccountReference getAccountRef() {
    return accountRef;
  }

  public void setAccountRef(AccountReference accountRef) {
    this.accountRef = accountRef;
  }

  public PolicySelector getSelector() {
    return selector;
  }

  public void setSelector(PolicySelector selector) {
    this.selector = selector;
  }

  public PolicyTemplate getTemplate() {
    return template;
  }

  public void setTemplate(PolicyTemplate template) {
    this.template = template;
  }

  public String getScanInterval() {
    return scanInterval;
  }

  public void setScanInterval(String scanInterval) {
    this.scanInterval = scanInterval;
  }
}
