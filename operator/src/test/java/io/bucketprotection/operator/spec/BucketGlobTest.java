package io.bucketprotection.operator.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BucketGlobTest {

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
      "*, anything.at-all, true",
      "acme-*-logs, acme-payments-logs, true",
      "acme-*-logs, acme--logs, true",
      "acme-*-logs, acme-logs, false",
      "acme-*-logs, acme-payments-logs-old, false",
      "acme-*, acme-a.b.c, true",
      "*.example.com, logs.example.com, true",
      "*.example.com, example.com, false",
      "team-?, team-a, true",
      "team-?, team-ab, false",
      "a*b*c, abc, true",
      "a*b*c, aXbYc, true",
      "a*b*c, acb, false",
      "exact-name, exact-name, true",
      "exact-name, exact-names, false",
      "*a*a*a*b, aaaaaaaaaaaaaaaaaaaaaaaab, true",
      "*a*a*a*b, aaaaaaaaaaaaaaaaaaaaaaaaa, false",
      "??*??, abcd, true",
      "??*??, abc, false"})
  void matchesAnchoredAtBothEnds(String glob, String name, boolean expected) {
    assertEquals(expected, BucketGlob.parse(glob).matches(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "UPPER-*", "a_b", "a/b", "[abc]", "a+b"})
  void refusesWhatIsNotABucketGlob(String glob) {
    assertThrows(IllegalArgumentException.class, () -> BucketGlob.parse(glob));
  }

  @Test
  void agreesWithAPlainRecursiveMatcherOnRandomGlobsAndNames() {
    Random random = new Random(42);
    String alphabet = "ab.-";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder glob = new StringBuilder();
      for (int j = random.nextInt(8); j >= 0; j--) {
        int pick = random.nextInt(6);
        glob.append(pick == 0 ? '*' : pick == 1 ? '?' : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      StringBuilder name = new StringBuilder();
      for (int j = random.nextInt(10); j >= 0; j--) {
        name.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      assertEquals(reference(glob.toString(), 0, name.toString(), 0),
          BucketGlob.parse(glob.toString()).matches(name.toString()), glob + " ~ " + name);
    }
  }

  @Test
  void anAdversarialGlobIsReadOnceNotBacktracked() {
    // A backtracking matcher takes exponential time here; this one reads the name once per run.
    String glob = "*a".repeat(60) + "*b";
    String name = "a".repeat(63);
    assertFalse(BucketGlob.parse(glob).matches(name));
    assertTrue(BucketGlob.parse("*a*a*a*a*a*a*a*a*a*a").matches(name));
  }

  /** The textbook recursive definition, used only as the expected value. */
  private static boolean reference(String glob, int g, String name, int n) {
    if (g == glob.length()) {
      return n == name.length();
    }
    char c = glob.charAt(g);
    if (c == '*') {
      for (int k = n; k <= name.length(); k++) {
        if (reference(glob, g + 1, name, k)) {
          return true;
        }
      }
      return false;
    }
    return n < name.length() && (c == '?' || c == name.charAt(n)) && reference(glob, g + 1, name, n + 1);
  }
}
