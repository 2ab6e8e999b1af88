package io.bucketprotection.operator.check;

import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.s3.VersionStore.Presence;
import java.util.ArrayList;
import java.util.List;

/**
 * What the check found of a version deletion's versions: how many the request lists, how many of
 * the first of them it looked up (one HeadObject each), and what those answers were.
 *
 * @param listed the versions the request lists (inline, or every line of its manifest)
 * @param manifest "s3://bucket/key" of the manifest read, or null for inline versions
 * @param lookedUp the first {@code lookedUp} listed versions were looked up
 * @param missingVersions the first {@link #MISSING_KEPT} missing ones, in the request's order
 */
record VersionLookup(long listed, String manifest, int lookedUp, int present, int deleteMarkers, int missing,
    List<ObjectVersion> missingVersions) {

  /** Missing versions kept for the JSON report; {@link #missing} counts them all. */
  static final int MISSING_KEPT = 1000;
  /** Missing versions named in the text report. */
  static final int MISSING_SHOWN = 20;

  VersionLookup {
    manifest = CheckResult.clean(manifest);
    missingVersions = missingVersions.stream()
        .map(v -> new ObjectVersion(CheckResult.clean(v.key()), CheckResult.clean(v.versionId()))).toList();
  }

  /** Only the first of the listed versions were looked up. */
  boolean sampled() {
    return lookedUp < listed;
  }

  /** Adds up the answers, one version at a time. */
  static final class Tally {
    private int lookedUp;
    private int present;
    private int deleteMarkers;
    private final List<ObjectVersion> missing = new ArrayList<>();
    private int missingCount;

    void add(ObjectVersion version, Presence presence) {
      lookedUp++;
      switch (presence) {
        case PRESENT -> present++;
        case DELETE_MARKER -> deleteMarkers++;
        case MISSING -> {
          missingCount++;
          if (missing.size() < MISSING_KEPT) {
            missing.add(version);
          }
        }
      }
    }

    VersionLookup result(long listed, String manifest) {
      return new VersionLookup(listed, manifest, lookedUp, present, deleteMarkers, missingCount, missing);
    }
  }
}
