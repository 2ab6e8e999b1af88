package io.bucketprotection.operator.testsupport;

import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.VersioningStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * S3's versioning semantics written out by hand, row by row, from the S3 documentation
 * (UsingMFADelete, MultiFactorAuthenticationDelete, PutBucketVersioning): never computed from a
 * rule, so a wrong rule in the operator cannot also be wrong here.
 *
 * <p>It is the expected value of the decider's tests, the behaviour the fake S3 enforces, and
 * {@code RgwVersioningRulesTest} checks every row against a real RadosGW.
 *
 * <p>States: U unversioned, E enabled, EM enabled + MFA Delete, S suspended, SM suspended + MFA Delete.
 */
public final class S3VersioningTable {

  public static final BucketState U = BucketState.UNVERSIONED;
  public static final BucketState E = new BucketState(VersioningStatus.ENABLED, false);
  public static final BucketState EM = new BucketState(VersioningStatus.ENABLED, true);
  public static final BucketState S = new BucketState(VersioningStatus.SUSPENDED, false);
  public static final BucketState SM = new BucketState(VersioningStatus.SUSPENDED, true);

  private static final Map<String, BucketState> STATES = Map.of("U", U, "E", E, "EM", EM, "S", S, "SM", SM);

  /**
   * One PutBucketVersioning that changes something.
   *
   * @param needsCode S3 refuses it without an x-amz-mfa header: MFA Delete changes, or the
   *     versioning status changes while MFA Delete is on
   * @param weakens it suspends versioning where it is on, or switches MFA Delete off
   */
  public record Transition(BucketState from, BucketState to, boolean needsCode, boolean weakens) {
    @Override
    public String toString() {
      return name(from) + " -> " + name(to);
    }
  }

  // from -> to | code needed | weakens
  private static final String[] TRANSITIONS = {
      "U  -> E  | no  | no ",  // first enabling: no MFA involved
      "U  -> EM | yes | no ",  // switching MFA Delete on always takes a code
      "U  -> S  | no  | no ",  // a never-versioned bucket may go straight to Suspended; nothing was on
      "E  -> EM | yes | no ",
      "E  -> S  | no  | yes",  // suspending without MFA Delete: no code, but protection drops
      "EM -> E  | yes | yes",  // switching MFA Delete off takes a code
      "EM -> SM | yes | yes",  // changing the status while MFA Delete is on takes a code
      "EM -> S  | yes | yes",
      "S  -> E  | no  | no ",
      "S  -> EM | yes | no ",
      "SM -> EM | yes | no ",  // re-enabling while MFA Delete is on: a code, and stronger after
      "SM -> E  | yes | yes",
      "SM -> S  | yes | yes",
  };

  /**
   * What the operator writes: (observed, spec versioning, spec mfaDelete) -> target, where "-"
   * is an unmanaged MFA Delete (it keeps its observed value) and "=" means nothing to write.
   * Spec versioning Suspended with mfaDelete Enabled is refused by validation, so it has no row.
   */
  // observed | versioning | mfaDelete | target
  private static final String[] TARGETS = {
      "U  | Enabled   | -        | E ",
      "U  | Enabled   | Enabled  | EM",
      "U  | Enabled   | Disabled | E ",
      "U  | Suspended | -        | S ",
      "U  | Suspended | Disabled | S ",
      "E  | Enabled   | -        | = ",
      "E  | Enabled   | Enabled  | EM",
      "E  | Enabled   | Disabled | = ",
      "E  | Suspended | -        | S ",
      "E  | Suspended | Disabled | S ",
      "EM | Enabled   | -        | = ",
      "EM | Enabled   | Enabled  | = ",
      "EM | Enabled   | Disabled | E ",
      "EM | Suspended | -        | SM",
      "EM | Suspended | Disabled | S ",
      "S  | Enabled   | -        | E ",
      "S  | Enabled   | Enabled  | EM",
      "S  | Enabled   | Disabled | E ",
      "S  | Suspended | -        | = ",
      "S  | Suspended | Disabled | = ",
      "SM | Enabled   | -        | EM",
      "SM | Enabled   | Enabled  | EM",
      "SM | Enabled   | Disabled | E ",
      "SM | Suspended | -        | = ",
      "SM | Suspended | Disabled | S ",
  };

  /**
   * One row of the target table.
   *
   * @param mfaDelete the spec's mfaDelete: null (unmanaged), true or false
   * @param transition the write, or empty when the bucket already matches
   */
  public record Target(BucketState observed, VersioningStatus versioning, Boolean mfaDelete,
      Optional<Transition> transition) {
    @Override
    public String toString() {
      return name(observed) + " with spec " + versioning.displayName() + "/"
          + (mfaDelete == null ? "-" : mfaDelete ? "Enabled" : "Disabled");
    }
  }

  private S3VersioningTable() {
  }

  public static List<Transition> transitions() {
    List<Transition> rows = new ArrayList<>();
    for (String line : TRANSITIONS) {
      String[] cells = cells(line);
      String[] fromTo = cells[0].split("->");
      rows.add(new Transition(state(fromTo[0]), state(fromTo[1]), yes(cells[1]), yes(cells[2])));
    }
    return rows;
  }

  public static List<Target> targets() {
    List<Target> rows = new ArrayList<>();
    for (String line : TARGETS) {
      String[] cells = cells(line);
      BucketState observed = state(cells[0]);
      VersioningStatus versioning = VersioningStatus.valueOf(cells[1].toUpperCase());
      Boolean mfaDelete = "-".equals(cells[2]) ? null : "Enabled".equals(cells[2]);
      Optional<Transition> transition = "=".equals(cells[3]) ? Optional.empty()
          : Optional.of(transition(observed, state(cells[3])));
      rows.add(new Target(observed, versioning, mfaDelete, transition));
    }
    return rows;
  }

  /** The table's row for a change; fails for a change the table does not hold. */
  public static Transition transition(BucketState from, BucketState to) {
    return transitions().stream().filter(t -> t.from().equals(from) && t.to().equals(to)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("S3VersioningTable has no row " + name(from) + " -> " + name(to)));
  }

  /** Whether S3 asks for a code to go from {@code from} to {@code to}: never for an unchanged state. */
  public static boolean needsCode(BucketState from, BucketState to) {
    return !from.equals(to) && transition(from, to).needsCode();
  }

  public static String name(BucketState state) {
    return STATES.entrySet().stream().filter(e -> e.getValue().equals(state)).map(Map.Entry::getKey)
        .findFirst().orElseThrow();
  }

  private static BucketState state(String name) {
    BucketState state = STATES.get(name.trim());
    if (state == null) {
      throw new IllegalArgumentException("no state " + name);
    }
    return state;
  }

  private static String[] cells(String line) {
    String[] cells = line.split("\\|");
    for (int i = 0; i < cells.length; i++) {
      cells[i] = cells[i].trim();
    }
    return cells;
  }

  private static boolean yes(String cell) {
    return switch (cell) {
      case "yes" -> true;
      case "no" -> false;
      default -> throw new IllegalArgumentException("yes or no, not " + cell);
    };
  }
}
