package io.bucketprotection.operator.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The CycloneDX SBOM of the image's Debian packages, made from a root filesystem's dpkg status
 * database before hack/build-image.sh removes dpkg from it. Packages the build removes afterwards
 * (apt, dpkg, perl...) are named on the command line and left out, so the SBOM lists what ships.
 * A package's license is the {@code Files: *} license of its machine-readable
 * /usr/share/doc/NAME/copyright, when it has one. Only the JDK: it runs as {@code java DebianSbom.java}
 * inside mmdebstrap's hook, with no Maven and no libraries.
 *
 * <pre>java DebianSbom.java ROOTFS OUTPUT.json [REMOVED-PACKAGE...]</pre>
 */
public final class DebianSbom {

  /** One installed package. {@code license} is null when its copyright file does not say. */
  record Package(String name, String version, String arch, String license) {

    String purl() {
      return "pkg:deb/debian/" + name + "@" + version.replace(":", "%3A") + "?arch=" + arch;
    }
  }

  private DebianSbom() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: java DebianSbom.java ROOTFS OUTPUT.json [REMOVED-PACKAGE...]");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    Set<String> removed = new LinkedHashSet<>(List.of(args).subList(2, args.length));
    List<Package> packages = installed(Files.readString(root.resolve("var/lib/dpkg/status")), removed).stream()
        .map(p -> new Package(p.name(), p.version(), p.arch(), license(root, p.name())))
        .toList();
    Files.writeString(Path.of(args[1]), json(packages), StandardCharsets.UTF_8);
  }

  /** The packages dpkg lists as installed, less {@code removed}, sorted by name. */
  static List<Package> installed(String status, Set<String> removed) {
    Map<String, Package> byName = new TreeMap<>();
    for (String stanza : status.split("\n\n")) {
      Map<String, String> fields = fields(stanza);
      String name = fields.get("Package");
      if (name != null && "install ok installed".equals(fields.get("Status")) && !removed.contains(name)) {
        byName.put(name, new Package(name, fields.get("Version"), fields.getOrDefault("Architecture", "all"), null));
      }
    }
    return new ArrayList<>(byName.values());
  }

  /** The {@code Files: *} license of a DEP-5 copyright file; empty for a free-form one. */
  static Optional<String> dep5License(String copyright) {
    if (!copyright.startsWith("Format:")) {
      return Optional.empty();
    }
    for (String stanza : copyright.split("\n\\s*\n")) {
      Map<String, String> fields = fields(stanza);
      if ("*".equals(fields.getOrDefault("Files", "").trim().split("\\s+")[0]) && fields.containsKey("License")) {
        return Optional.of(fields.get("License").lines().findFirst().orElse("").trim()).filter(s -> !s.isEmpty());
      }
    }
    return Optional.empty();
  }

  private static String license(Path root, String name) {
    Path copyright = root.resolve("usr/share/doc").resolve(name).resolve("copyright");
    try {
      return Files.isRegularFile(copyright)
          ? dep5License(new String(Files.readAllBytes(copyright), StandardCharsets.UTF_8)).orElse(null) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** RFC 822-style fields; a continuation line (leading blank) belongs to the field before it. */
  private static Map<String, String> fields(String stanza) {
    Map<String, String> fields = new LinkedHashMap<>();
    String last = null;
    for (String line : stanza.split("\n")) {
      if (!line.isEmpty() && Character.isWhitespace(line.charAt(0)) && last != null) {
        fields.put(last, fields.get(last) + "\n" + line.trim());
      } else if (line.indexOf(':') > 0) {
        last = line.substring(0, line.indexOf(':'));
        fields.put(last, line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return fields;
  }

  /** CycloneDX 1.5 JSON; no serial number and no timestamp, so the same packages give the same bytes. */
  static String json(List<Package> packages) {
    StringBuilder out = new StringBuilder("{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.5\",\n"
        + "  \"version\": 1,\n  \"metadata\": {\n    \"component\": {\"type\": \"operating-system\","
        + " \"name\": \"debian\", \"version\": \"12\"}\n  },\n  \"components\": [");
    for (int i = 0; i < packages.size(); i++) {
      Package p = packages.get(i);
      out.append(i == 0 ? "\n" : ",\n").append("    {\"type\": \"library\", \"bom-ref\": ").append(quote(p.purl()))
          .append(", \"name\": ").append(quote(p.name())).append(", \"version\": ").append(quote(p.version()))
          .append(", \"purl\": ").append(quote(p.purl()));
      if (p.license() != null) {
        out.append(", \"licenses\": [{\"license\": {\"name\": ").append(quote(p.license())).append("}}]");
      }
      out.append('}');
    }
    return out.append("\n  ]\n}\n").toString();
  }

  static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        q.append('\\').append(c);
      } else if (c < 0x20) {
        q.append(String.format("\\u%04x", (int) c));
      } else {
        q.append(c);
      }
    }
    return q.append('"').toString();
  }
}
