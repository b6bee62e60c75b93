package io.jobcluster.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireRecordsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readinessIsReadyOnlyWhenEveryCheckHolds() {
    assertEquals(new Readiness("ready", 3, true, true, true), Readiness.of(true, true, true, 3));
    assertTrue(Readiness.of(true, true, true, 3).isReady());
    assertEquals("not_ready", Readiness.of(true, false, true, 1).status());
    assertFalse(Readiness.of(false, true, true, 0).isReady());
    assertFalse(Readiness.of(true, true, false, 1).isReady());
    assertEquals(new Readiness("draining", 3, true, true, true), Readiness.of(true, true, true, 3).draining());
    assertFalse(Readiness.of(true, true, true, 3).draining().isReady());
  }

  @Test
  void statsKeepKnownStatusesInStatusOrderAndCountTheMissingAsZero() {
    Map<JobStatus, Long> counts = new HashMap<>();
    counts.put(JobStatus.FAILED, 2L);
    counts.put(JobStatus.PENDING, 5L);
    counts.put(null, 9L);
    Stats stats = new Stats(7, counts, null, "1h", null);
    assertEquals(List.of(JobStatus.PENDING, JobStatus.FAILED), List.copyOf(stats.byStatus().keySet()));
    assertEquals(0, stats.count(JobStatus.RUNNING));
    assertEquals(List.of(), stats.timings());
    assertEquals(Map.of(), new Stats(0, null, null, null, null).byStatus());
  }

  @Test
  void theSuccessRateIsCompletedAgainstCompletedAndFailed() {
    assertNull(Stats.successRate(0, 0));
    assertEquals(0.75, Stats.successRate(3, 1));
    assertEquals(1.0, Stats.successRate(4, 0));
  }

  @Test
  void anAbsentItemListIsEmpty() throws Exception {
    assertEquals(List.of(), new Items<String>(null).items());
    assertEquals(List.of("a"), JSON.readValue("""
        {"items": ["a"]}""", Items.class).items());
  }

  @Test
  void aPayloadTravelsAsAJsonValueAndIsHeldAsItsText() throws Exception {
    JobRequest request = JSON.readValue("""
        {"type": "ocr", "payload": {"pages": [1, 2]}, "priority": 4}""", JobRequest.class);
    assertEquals("{\"pages\":[1,2]}", request.payload());
    assertEquals(4, request.priority());
    assertEquals("""
        {"type":"ocr","payload":{"pages":[1,2]},"priority":4}""", JSON.writeValueAsString(request));
    assertNull(JSON.readValue("""
        {"type": "ocr", "payload": null}""", JobRequest.class).payload());
  }

  @Test
  void anErrorLeavesOutTheDetailsItHasNot() throws Exception {
    assertEquals("""
        {"error":"not_found","message":"no such job"}""", JSON.writeValueAsString(ApiError.of("not_found", "no such job")));
  }

  @Test
  void invalidInputAndRefusedCommandsBecomeTheirErrorAnswers() {
    assertEquals(new ApiError("invalid_request", "queue: must match [a-z0-9_-]{1,64}", "queue", null, null),
        ApiError.invalid(new InvalidRequestException("queue", "must match [a-z0-9_-]{1,64}")));
    JobReply.Rejected refused = new JobReply.Rejected(ErrorCode.INVALID_TRANSITION, "cannot go", JobStatus.COMPLETED, JobStatus.CANCELLED);
    assertEquals(new ApiError("invalid_transition", "cannot go", null, JobStatus.COMPLETED, JobStatus.CANCELLED), ApiError.rejected(refused));
  }

  @Test
  void readinessIsWrittenWithItsFiveFieldsOnly() throws Exception {
    assertEquals("""
        {"status":"ready","members":3,"clusterJoined":true,"shardingStarted":true,"databaseReachable":true}""",
        JSON.writeValueAsString(Readiness.of(true, true, true, 3)));
  }
}
