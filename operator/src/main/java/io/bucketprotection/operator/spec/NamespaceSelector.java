package io.bucketprotection.operator.spec;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Kubernetes label-selector semantics, for a ClusterS3Account's namespace selector. */
public final class NamespaceSelector {

  private NamespaceSelector() {
  }

  /** An empty selector matches every namespace; an unknown operator matches none. */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> actual = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
        if (!Objects.equals(wanted.getValue(), actual.get(wanted.getKey()))) {
          return false;
        }
      }
    }
    for (LabelSelectorRequirement requirement : selector.getMatchExpressions() == null
        ? List.<LabelSelectorRequirement>of() : selector.getMatchExpressions()) {
      if (!holds(requirement, actual)) {
        return false;
      }
    }
    return true;
  }

  private static boolean holds(LabelSelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    return switch (String.valueOf(requirement.getOperator())) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> labels.containsKey(requirement.getKey());
      case "DoesNotExist" -> !labels.containsKey(requirement.getKey());
      default -> false;
    };
  }
}
