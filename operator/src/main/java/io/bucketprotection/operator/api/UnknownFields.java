package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A part of a spec that keeps the names of the fields this operator version does not know,
 * instead of failing to read the whole resource (which would stop the informer, and with it the
 * operator) or silently dropping them (an old operator that ignored a new safety field would act
 * on half a spec). The validators turn them into an UnsupportedField condition: the bucket is
 * observed, never written (an account with them is not used). They are written back out as they
 * came (JOSDK hands the reconciler a serialized copy of the cached resource, which must not lose
 * them). The CRD schema is not affected.
 */
public abstract class UnknownFields {

  @JsonIgnore
  private final Map<String, Object> unknownFields = new TreeMap<>();

  @JsonAnySetter
  void unknownField(String name, Object value) {
    unknownFields.put(name, value);
  }

  @JsonAnyGetter
  @JsonIgnore // for the CRD generator, which would list it as a property; Jackson still writes them
  Map<String, Object> unknownFieldValues() {
    return unknownFields;
  }

  /** The names of the fields of this part the operator does not know (its own level only). */
  @JsonIgnore
  public Set<String> unknownFields() {
    return unknownFields.keySet();
  }
}
