package io.jobcluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobStatusAndErrorsTest {
  @Test
  void terminalStatusesAllowNoTransition() {
    for (JobStatus status : JobStatus.values()) {
      assertEquals(status.isTerminal(), JobTransitions.allowedFrom(status).isEmpty(), status.name());
    }
    assertEquals(EnumSet.of(JobStatus.SCHEDULED, JobStatus.PENDING), JobTransitions.INITIAL);
  }

  @Test
  void failedIsNeitherActiveNorTerminalBecauseItCanBeRedriven() {
    assertFalse(JobStatus.FAILED.isActive());
    assertFalse(JobStatus.FAILED.isTerminal());
    assertEquals(Set.of(JobStatus.PENDING), JobTransitions.allowedFrom(JobStatus.FAILED));
    assertTrue(JobStatus.RETRYING.isActive());
  }

  @Test
  void errorCodesCarryTheirWireNameAndHttpStatus() {
    assertEquals("invalid_transition", ErrorCode.INVALID_TRANSITION.code());
    assertEquals(409, ErrorCode.INVALID_TRANSITION.httpStatus());
    assertEquals(503, ErrorCode.UNAVAILABLE.httpStatus());
    assertEquals(400, ErrorCode.INVALID_REQUEST.httpStatus());
    for (ErrorCode code : ErrorCode.values()) {
      assertEquals(code.name().toLowerCase(), code.code());
    }
  }

  @Test
  void rejectionsNameTheTransition() {
    JobReply.Rejected rejected = JobReply.Rejected.invalidTransition(JobStatus.COMPLETED, JobStatus.PENDING);
    assertEquals(ErrorCode.INVALID_TRANSITION, rejected.error());
    assertEquals(JobStatus.COMPLETED, rejected.from());
    assertEquals(JobStatus.PENDING, rejected.to());
  }
}
