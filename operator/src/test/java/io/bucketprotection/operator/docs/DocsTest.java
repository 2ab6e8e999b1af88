package io.bucketprotection.operator.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation a newcomer follows: README.md stays short, every relative link in README.md,
 * CONTRIBUTING.md and docs/ leads to a file (and, with an anchor, to a heading of it, as GitHub
 * names headings), and every ```yaml block parses, every document of it.
 */
class DocsTest {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final int README_MAX_LINES = 200;

  /**
   * Pages other people write in their own branches; a link to one passes while it is absent, and is
   * checked like any other once it exists.
   */
  static final Set<String> WRITTEN_ELSEWHERE = Set.of("docs/image.md", "docs/reference/api.md");

  /** On the line before a ```yaml fence, marks a block that is a fragment on purpose. */
  static final String FRAGMENT_MARKER = "<!-- yaml-fragment -->";

  private static final Pattern FENCE = Pattern.compile("^(\\s*)```(\\S*).*$");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void theReadmeIsShort() throws IOException {
    int lines = Files.readAllLines(ROOT.resolve("README.md")).size();
    assertTrue(lines <= README_MAX_LINES, "README.md has " + lines + " lines, at most " + README_MAX_LINES
        + ": move the detail to a page under docs/ and link it");
  }

  @Test
  void everyRelativeLinkLeadsToAFileAndHeading() throws IOException {
    List<String> broken = new ArrayList<>();
    Map<Path, Set<String>> anchors = new HashMap<>();
    for (Path page : pages()) {
      Markdown doc = Markdown.read(page);
      Matcher m = LINK.matcher(doc.prose());
      while (m.find()) {
        String problem = problem(page, m.group(1), anchors);
        if (problem != null) {
          broken.add(ROOT.relativize(page) + ": " + m.group(1) + " (" + problem + ")");
        }
      }
    }
    assertEquals(List.of(), broken, "links that lead nowhere");
  }

  @Test
  void everyYamlBlockParses() throws IOException {
    List<String> problems = new ArrayList<>();
    int blocks = 0;
    for (Path page : pages()) {
      for (Block block : Markdown.read(page).blocks()) {
        if (!block.language().equals("yaml") || block.fragment()) {
          continue;
        }
        blocks++;
        try {
          YAML.readerFor(JsonNode.class).readValues(block.text()).readAll();
        } catch (IOException | RuntimeException e) {
          problems.add(ROOT.relativize(page) + " line " + block.line() + ": " + e.getMessage().lines().findFirst()
              .orElse("") + " (a deliberate fragment is marked " + FRAGMENT_MARKER + " on the line before)");
        }
      }
    }
    assertTrue(blocks >= 10, "only " + blocks + " yaml blocks found: is the fence parser broken?");
    assertEquals(List.of(), problems, "```yaml blocks that do not parse");
  }

  /** README.md, CONTRIBUTING.md and every page under docs/. */
  static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md")));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  /** Why the link from page to target leads nowhere, or null when it leads somewhere. */
  private static String problem(Path page, String target, Map<Path, Set<String>> anchors) throws IOException {
    if (target.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
      return null; // https:, mailto: ...: not this repository's
    }
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
    if (!file.startsWith(ROOT)) {
      return "outside the repository";
    }
    if (!Files.exists(file)) {
      return WRITTEN_ELSEWHERE.contains(ROOT.relativize(file).toString().replace('\\', '/')) ? null : "no such file";
    }
    if (anchor == null || !file.toString().endsWith(".md")) {
      return null;
    }
    Set<String> headings = anchors.computeIfAbsent(file, f -> Markdown.read(f).anchors());
    return headings.contains(anchor) ? null : "no heading with the anchor #" + anchor;
  }

  /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
  static String slug(String heading) {
    String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1"); // a link counts as its text
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{Mn}\\p{Pc} -]", "")
        .replace(' ', '-');
  }

  /** A fenced code block: its language, its text (indentation of the fence removed) and where it starts. */
  record Block(String language, String text, int line, boolean fragment) {
  }

  /** A Markdown file split into prose (outside fences) and fenced blocks. */
  record Markdown(String prose, List<Block> blocks, List<String> headings) {

    static Markdown read(Path file) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      StringBuilder prose = new StringBuilder();
      List<Block> blocks = new ArrayList<>();
      List<String> headings = new ArrayList<>();
      Matcher open = null;
      StringBuilder body = null;
      int start = 0;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        Matcher fence = FENCE.matcher(line);
        if (open == null && fence.matches()) {
          open = fence;
          body = new StringBuilder();
          start = i + 1;
        } else if (open != null && line.strip().equals("```")) {
          boolean fragment = start >= 2 && lines.get(start - 2).strip().equals(FRAGMENT_MARKER);
          blocks.add(new Block(open.group(2), body.toString(), start, fragment));
          open = null;
        } else if (open != null) {
          String indent = open.group(1);
          body.append(line.startsWith(indent) ? line.substring(indent.length()) : line).append('\n');
        } else {
          prose.append(line).append('\n');
          Matcher heading = HEADING.matcher(line);
          if (heading.matches()) {
            headings.add(heading.group(1));
          }
        }
      }
      assertTrue(open == null, file + ": a fence opened on line " + start + " is never closed");
      return new Markdown(prose.toString(), blocks, headings);
    }

    /** The anchors GitHub gives the headings: a repeated one gets -1, -2 ... */
    Set<String> anchors() {
      Set<String> anchors = new LinkedHashSet<>();
      Map<String, Integer> seen = new HashMap<>();
      for (String heading : headings) {
        String slug = slug(heading);
        int n = seen.merge(slug, 1, Integer::sum) - 1;
        anchors.add(n == 0 ? slug : slug + "-" + n);
      }
      return anchors;
    }
  }

  @Test
  void slugsAreGithubs() {
    assertEquals("mfa-codes-one-per-step-per-device-ever", slug("MFA codes: one per step per device, ever"));
    assertEquals("what-deploy-installs", slug("What deploy/ installs"));
    assertEquals("pull-requests-check-in-ci", slug("Pull requests: `check` in CI"));
    assertEquals("on-aws-eks-with-irsa-secrets-manager-and-a-device-of-its-own",
        slug("On AWS: EKS with IRSA, Secrets Manager and a device of its own"));
    assertEquals(new TreeSet<>(List.of("a", "a-1", "a-2")),
        new TreeSet<>(new Markdown("", List.of(), List.of("A", "A", "a")).anchors()));
  }
}
