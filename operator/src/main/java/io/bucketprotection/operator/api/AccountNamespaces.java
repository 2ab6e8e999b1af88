package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/**
 * The namespaces whose BucketProtections may use a ClusterS3Account: those named, and those whose
 * labels the selector matches. Left out, no namespace may. Whoever may label Namespaces can widen
 * a selector: prefer names where that matters.
 */
public class AccountNamespaces extends UnknownFields {

  @JsonPropertyDescription("Names of the namespaces admitted.")
  @Size(max = Limits.NAMESPACES)
  private List<String> names;

  @JsonPropertyDescription("A label selector on Namespaces; {} selects every namespace. Whoever may label"
      + " Namespaces can widen it: prefer names where that matters.")
  private LabelSelector selector;

  public List<String> getNames() {
    return names;
  }

  public void setNames(List<String> names) {
    this.names = names;
  }

  public LabelSelector getSelector() {
    return selector;
  }

  public void setSelector(LabelSelector selector) {
    this.selector = selector;
  }
}
