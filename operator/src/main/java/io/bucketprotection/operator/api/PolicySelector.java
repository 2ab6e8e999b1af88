package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Which of the account's buckets a policy covers. */
public class PolicySelector extends UnknownFields {

  @JsonPropertyDescription("Bucket-name globs (* matches any run of characters, ? one character): a bucket is"
      + " covered when one matches, no exclude glob matches, and the account's spec.buckets admits it.")
  @Required
  @Size(min = 1, max = Limits.BUCKET_GLOBS)
  private List<String> include;

  @JsonPropertyDescription("Bucket-name globs never covered, even when an include glob matches.")
  @Size(max = Limits.BUCKET_GLOBS)
  private List<String> exclude;

  public PolicySelector() {
  }

  public PolicySelector(List<String> include, List<String> exclude) {
    this.include = include;
    this.exclude = exclude;
  }

  public List<String> getInclude() {
    return include;
  }

  public void setInclude(List<String> include) {
    this.include = include;
  }

  public List<String> getExclude() {
    return exclude;
  }

  public void setExclude(List<String> exclude) {
    this.exclude = exclude;
  }
}
