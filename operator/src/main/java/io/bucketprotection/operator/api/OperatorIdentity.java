package io.bucketprotection.operator.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;

/**
 * Marker for {@code credentials.operatorIdentity: {}}: the operator's own default AWS credential
 * chain (IRSA, Pod Identity, environment). Only a ClusterS3Account, written by an admin, may
 * lend it. It has no fields, so it is written as {@code {}} explicitly.
 */
@JsonSerialize(using = OperatorIdentity.AsEmptyObject.class)
public class OperatorIdentity extends UnknownFields {

  /** Its schema: an object with no fields (the serializer above would make the generator give up on it). */
  public static final class Schema {
  }

  /** Writes {@code {}} (Jackson refuses a bean without properties otherwise). */
  static final class AsEmptyObject extends JsonSerializer<OperatorIdentity> {
    @Override
    public void serialize(OperatorIdentity value, JsonGenerator generator, SerializerProvider provider)
        throws IOException {
      generator.writeStartObject();
      generator.writeEndObject();
    }
  }
}
