package io.bucketprotection.operator.testsupport;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Secret in the Kubernetes protobuf encoding, read into fabric8's model, for {@link KubectlFront}:
 * helm writes its release record (a Secret) with client-go's typed client, in protobuf, which the
 * mock cannot read. Only the fields a Secret carries are read: metadata's name, namespace, labels,
 * annotations and resourceVersion; data, stringData and type. The envelope is the "k8s\0" magic and a
 * runtime.Unknown whose field 2 holds the object (k8s.io/apimachinery/pkg/runtime/serializer/protobuf).
 */
final class ProtobufSecret {

  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private ProtobufSecret() {
  }

  static Secret read(byte[] body) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (body.length < MAGIC.length || body[i] != MAGIC[i]) {
        throw new IllegalArgumentException("not a Kubernetes protobuf message");
      }
    }
    Reader unknown = new Reader(body, MAGIC.length, body.length);
    byte[] raw = null;
    while (unknown.more()) {
      int tag = unknown.varint();
      if (tag >>> 3 == 2 && (tag & 7) == 2) {
        raw = unknown.bytes();
      } else {
        unknown.skip(tag);
      }
    }
    if (raw == null) {
      throw new IllegalArgumentException("no object in the protobuf envelope");
    }
    Reader secret = new Reader(raw, 0, raw.length);
    SecretBuilder builder = new SecretBuilder();
    Map<String, String> data = new LinkedHashMap<>();
    Map<String, String> stringData = new LinkedHashMap<>();
    while (secret.more()) {
      int tag = secret.varint();
      switch (tag >>> 3) {
        case 1 -> builder.withMetadata(metadata(secret.bytes()));
        case 2 -> {
          String[] entry = entry(secret.bytes(), true);
          data.put(entry[0], entry[1]);
        }
        case 3 -> builder.withType(new String(secret.bytes(), StandardCharsets.UTF_8));
        case 4 -> {
          String[] entry = entry(secret.bytes(), false);
          stringData.put(entry[0], entry[1]);
        }
        default -> secret.skip(tag);
      }
    }
    return builder.withData(data.isEmpty() ? null : data).withStringData(stringData.isEmpty() ? null : stringData)
        .build();
  }

  /** ObjectMeta: 1 name, 3 namespace, 6 resourceVersion, 11 labels, 12 annotations. */
  private static io.fabric8.kubernetes.api.model.ObjectMeta metadata(byte[] bytes) {
    Reader meta = new Reader(bytes, 0, bytes.length);
    ObjectMetaBuilder builder = new ObjectMetaBuilder();
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    while (meta.more()) {
      int tag = meta.varint();
      switch (tag >>> 3) {
        case 1 -> builder.withName(meta.string());
        case 3 -> builder.withNamespace(meta.string());
        case 6 -> builder.withResourceVersion(meta.string());
        case 11 -> {
          String[] entry = entry(meta.bytes(), false);
          labels.put(entry[0], entry[1]);
        }
        case 12 -> {
          String[] entry = entry(meta.bytes(), false);
          annotations.put(entry[0], entry[1]);
        }
        default -> meta.skip(tag);
      }
    }
    return builder.withLabels(labels.isEmpty() ? null : labels)
        .withAnnotations(annotations.isEmpty() ? null : annotations).build();
  }

  /** A map entry (1 key, 2 value); a bytes value comes back base64-encoded, as JSON carries it. */
  private static String[] entry(byte[] bytes, boolean binaryValue) {
    Reader entry = new Reader(bytes, 0, bytes.length);
    String key = "";
    String value = "";
    while (entry.more()) {
      int tag = entry.varint();
      if (tag >>> 3 == 1) {
        key = entry.string();
      } else if (tag >>> 3 == 2) {
        byte[] v = entry.bytes();
        value = binaryValue ? Base64.getEncoder().encodeToString(v) : new String(v, StandardCharsets.UTF_8);
      } else {
        entry.skip(tag);
      }
    }
    return new String[] {key, value};
  }

  /** The wire format: varints and length-delimited fields. */
  private static final class Reader {
    private final byte[] buffer;
    private final int end;
    private int at;

    Reader(byte[] buffer, int from, int end) {
      this.buffer = buffer;
      this.at = from;
      this.end = end;
    }

    boolean more() {
      return at < end;
    }

    int varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = buffer[at++];
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return (int) value;
        }
      }
      throw new IllegalArgumentException("malformed varint");
    }

    byte[] bytes() {
      int length = varint();
      byte[] out = java.util.Arrays.copyOfRange(buffer, at, at + length);
      at += length;
      return out;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> at += 8;
        case 2 -> {
          int length = varint(); // not "at += varint()": that adds to the position before the length
          at += length;
        }
        case 5 -> at += 4;
        default -> throw new IllegalArgumentException("unsupported wire type " + (tag & 7));
      }
    }
  }
}
