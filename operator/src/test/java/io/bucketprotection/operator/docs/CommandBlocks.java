package io.bucketprotection.operator.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * The ```sh blocks of one section of a Markdown page (from its heading to the next of its level or above);
 * or the blocks of another fence, such as ```sh helm (shown as shell, run by a test of their own).
 */
final class CommandBlocks {

  private CommandBlocks() {
  }

  /** @param heading the section's heading line, exactly, e.g. "## Install on a cluster" */
  static List<String> of(String markdown, String heading) {
    return of(markdown, heading, "```sh");
  }

  /** @param fence the opening line of the blocks wanted, exactly, e.g. "```sh helm" */
  static List<String> of(String markdown, String heading, String fence) {
    String[] lines = markdown.split("\n", -1);
    int level = heading.indexOf(' ');
    List<String> blocks = new ArrayList<>();
    boolean inSection = false;
    StringBuilder block = null;
    for (String line : lines) {
      if (block != null) {
        if (line.equals("```")) {
          blocks.add(block.toString());
          block = null;
        } else {
          block.append(line).append('\n');
        }
      } else if (line.equals(heading)) {
        inSection = true;
      } else if (inSection && line.startsWith("#") && line.indexOf(' ') > 0 && line.indexOf(' ') <= level
          && line.substring(0, line.indexOf(' ')).chars().allMatch(c -> c == '#')) {
        break;
      } else if (inSection && line.equals(fence)) {
        block = new StringBuilder();
      }
    }
    if (!inSection) {
      throw new IllegalArgumentException("no section " + heading);
    }
    return blocks;
  }
}
