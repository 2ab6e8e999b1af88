package io.bucketprotection.operator.deletion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.ObjectVersionDeletionStatus;
import io.bucketprotection.operator.s3.VersionStore.DeleteReceipt;
import io.bucketprotection.operator.s3.VersionStore.Deleted;
import io.bucketprotection.operator.s3.VersionStore.Failed;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeletionProgressTest {

  @Test
  void batchesOfAThousandAndTheLastPartial() {
    assertEquals(1, DeletionProgress.batches(1));
    assertEquals(1, DeletionProgress.batches(1000));
    assertEquals(2, DeletionProgress.batches(1001));
    assertEquals(10, DeletionProgress.batches(10_000));
    ObjectVersionDeletionStatus status = new ObjectVersionDeletionStatus();
    assertEquals(0, DeletionProgress.next(status, 1500).index());
    status.setBatchesDone(1L);
    assertEquals(1, DeletionProgress.next(status, 1500).index());
    status.setBatchesDone(2L);
    assertNull(DeletionProgress.next(status, 1500));
  }

  @Test
  void markersAreCountedApartAndPassingErrorsAreSentAgainThreeTimesInAll() {
    ObjectVersionDeletionStatus status = new ObjectVersionDeletionStatus();
    status.setSending(0L);
    List<ObjectVersion> sent = List.of(new ObjectVersion("a", "1"), new ObjectVersion("b", "2"),
        new ObjectVersion("c", "3"), new ObjectVersion("d", "4"));
    DeletionProgress.Next first = DeletionProgress.next(status, 4);
    DeletionProgress.fold(status, first, sent, new DeleteReceipt("r1", null,
        List.of(new Deleted("a", "1", false), new Deleted("b", "2", true)),
        List.of(new Failed("c", "3", "InternalError"), new Failed("d", "4", "AccessDenied"))), null);
    assertEquals(1, status.getDeleted());
    assertEquals(1, status.getDeleteMarkersRemoved());
    assertEquals(1, status.getFailed(), "AccessDenied is final");
    assertEquals(1L, status.getBatchesDone());
    assertNull(status.getSending());
    assertEquals(List.of("c"), status.getRetrying().stream().map(r -> r.getKey()).toList());
    // c fails twice more: then it is failed, and nothing is left.
    for (int attempt = 2; attempt <= 3; attempt++) {
      DeletionProgress.Next retry = DeletionProgress.next(status, 4);
      assertEquals(0, retry.index());
      DeletionProgress.fold(status, retry, List.of(new ObjectVersion("c", "3")), new DeleteReceipt("r", null,
          List.of(), List.of(new Failed("c", "3", "InternalError"))), null);
    }
    assertEquals(2, status.getFailed());
    assertNull(status.getRetrying());
    assertEquals(List.of(1, 3), status.getFailures().stream().map(f -> f.getAttempts()).toList());
    assertEquals(1L, status.getBatchesDone(), "a retry is not another batch");
    assertTrue(DeletionProgress.allSent(status, 4));
  }

  @Test
  void aRetryThatSucceedsCountsItsVersionDeleted() {
    ObjectVersionDeletionStatus status = new ObjectVersionDeletionStatus();
    DeletionProgress.fold(status, DeletionProgress.next(status, 2), List.of(), new DeleteReceipt("r", null,
        List.of(new Deleted("a", "1", false)), List.of(new Failed("b", "2", "SlowDown"))), null);
    DeletionProgress.fold(status, DeletionProgress.next(status, 2), List.of(), new DeleteReceipt("r", null,
        List.of(new Deleted("b", "2", false)), List.of()), null);
    assertEquals(2, status.getDeleted());
    assertEquals(0, status.getFailed());
    assertNull(status.getFailures());
    assertTrue(DeletionProgress.allSent(status, 2));
  }

  @Test
  void atMostTwentyFailuresAreListedAndAllAreCounted() {
    ObjectVersionDeletionStatus status = new ObjectVersionDeletionStatus();
    List<Failed> failed = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      failed.add(new Failed("k" + i, "v", "AccessDenied"));
    }
    DeletionProgress.fold(status, DeletionProgress.next(status, 30), List.of(), new DeleteReceipt("r", null,
        List.of(), failed), null);
    assertEquals(30, status.getFailed());
    assertEquals(20, status.getFailures().size());
  }
}
