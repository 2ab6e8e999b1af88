package io.bucketprotection.operator.deletion;

import io.bucketprotection.operator.api.Limits;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a deletion manifest as a stream, one line at a time, never holding it whole: the S3 Batch
 * Operations CSV format, {@code bucket,key,versionId} per line, keys URL-encoded (a {@code +} is a
 * space, as S3 writes them), fields optionally in double quotes. Blank lines are skipped. Every
 * problem names its line number and never the line's content (a manifest may hold personal data).
 * It counts the bytes it consumed, so a batch can start reading where the previous one ended.
 */
public final class ManifestLines implements Closeable {

  /** The longest line accepted: a 1,024-byte key URL-encoded, a bucket, a version id, and room. */
  static final int MAX_LINE_BYTES = 8192;

  /** A manifest that cannot be used, and why (with a line number, never content). */
  public static final class InvalidManifest extends Exception {
    InvalidManifest(String message) {
      super(message);
    }
  }

  private final InputStream in;
  private final String bucket;
  private long line;
  private long offset;
  private long versions;

  /**
   * @param in the object's bytes from {@code offset} on
   * @param bucket every line's bucket must be this one (the request's spec.bucket)
   * @param line the number of lines before {@code offset}
   */
  ManifestLines(InputStream in, String bucket, long line, long offset) {
    this.in = new BufferedInputStream(in, 64 * 1024);
    this.bucket = bucket;
    this.line = line;
    this.offset = offset;
  }

  /**
   * Reads a whole manifest, checking every line as pinning it does, and hands each listed version
   * to {@code each} in order; closes {@code in}. For readers outside this package (check's preview).
   *
   * @param bucket every line's bucket must be this one (the request's spec.bucket)
   * @return how many versions it lists (at least one)
   */
  public static long read(InputStream in, String bucket, Consumer<ObjectVersion> each)
      throws InvalidManifest, IOException {
    try (ManifestLines lines = new ManifestLines(in, bucket, 0, 0)) {
      ObjectVersion version;
      while ((version = lines.next()) != null) {
        each.accept(version);
      }
      if (lines.versions() == 0) {
        throw new InvalidManifest("the manifest lists no version");
      }
      return lines.versions();
    }
  }

  /** The next listed version, or null at the end of the object. */
  ObjectVersion next() throws InvalidManifest, IOException {
    while (true) {
      byte[] raw = readLine();
      if (raw == null) {
        return null;
      }
      line++;
      String text = decode(raw).strip();
      if (text.isEmpty()) {
        continue;
      }
      versions++;
      if (line > Limits.MANIFEST_LINES) {
        throw new InvalidManifest("the manifest has more than " + Limits.MANIFEST_LINES + " lines");
      }
      return parse(text);
    }
  }

  /** Lines read so far (from the start of the object), blank ones included. */
  long line() {
    return line;
  }

  /** Bytes of the object consumed so far: where the next line starts. */
  long offset() {
    return offset;
  }

  /** Versions read by this reader (not counting those before its start). */
  long versions() {
    return versions;
  }

  private ObjectVersion parse(String text) throws InvalidManifest {
    String[] fields = text.split(",", -1);
    if (fields.length != 3) {
      throw new InvalidManifest("line " + line + " has " + fields.length + " fields, not 3 (bucket,key,versionId)");
    }
    String lineBucket = unquote(fields[0]);
    if (!bucket.equals(lineBucket)) {
      throw new InvalidManifest("line " + line + " names another bucket than spec.bucket");
    }
    String key;
    try {
      key = URLDecoder.decode(unquote(fields[1]), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidManifest("line " + line + " has a key that is not URL-encoded correctly");
    }
    String problem = DeletionSpec.versionProblem(key, unquote(fields[2]));
    if (problem != null) {
      throw new InvalidManifest("line " + line + ": " + problem);
    }
    return new ObjectVersion(key, unquote(fields[2]));
  }

  private static String unquote(String field) {
    String f = field.strip();
    return f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"") ? f.substring(1, f.length() - 1) : f;
  }

  private String decode(byte[] raw) throws InvalidManifest {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidManifest("line " + line + " is not UTF-8 text");
    }
  }

  /** The next line's bytes without its end of line, or null at the end of the object. */
  private byte[] readLine() throws IOException, InvalidManifest {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    int b = in.read();
    if (b < 0) {
      return null;
    }
    while (b >= 0) {
      offset++;
      if (b == '\n') {
        break;
      }
      if (bytes.size() >= MAX_LINE_BYTES) {
        throw new InvalidManifest("line " + (line + 1) + " is longer than " + MAX_LINE_BYTES + " bytes");
      }
      bytes.write(b);
      b = in.read();
    }
    byte[] raw = bytes.toByteArray();
    return raw.length > 0 && raw[raw.length - 1] == '\r' ? java.util.Arrays.copyOf(raw, raw.length - 1) : raw;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
