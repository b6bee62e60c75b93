package io.jobcluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class IdValuesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JOB = "0f8fad5b-d9cb-469f-a165-70867728950e";

  record Typed(JobId jobId, int attempt, LeaseId leaseId) {}

  record Plain(String jobId, int attempt, String leaseId) {}

  @Test
  void aJobIdIsACanonicalUuid() {
    assertEquals(JOB, JobId.of(JOB).value());
    assertEquals(JobId.of(JOB), new JobId(JOB));
    assertThrows(IllegalArgumentException.class, () -> JobId.of(null));
    assertThrows(IllegalArgumentException.class, () -> JobId.of("job-1"));
    assertThrows(IllegalArgumentException.class, () -> JobId.of(JOB.toUpperCase()));
  }

  @Test
  void aLeaseIdIsAnyNonBlankText() {
    assertEquals("lease-1", LeaseId.of("lease-1").value());
    assertThrows(IllegalArgumentException.class, () -> LeaseId.of(null));
    assertThrows(IllegalArgumentException.class, () -> LeaseId.of(""));
    assertThrows(IllegalArgumentException.class, () -> LeaseId.of("  "));
  }

  @Test
  void randomIdsAreValidAndDistinct() {
    assertNotEquals(JobId.random(), JobId.random());
    assertNotEquals(LeaseId.random(), LeaseId.random());
  }

  @Test
  void idsPrintAsTheirPlainValue() {
    assertEquals(JOB, JobId.of(JOB).toString());
    assertEquals("lease-1", LeaseId.of("lease-1").toString());
  }

  @Test
  void aRecordWithIdsSerializesExactlyAsWithStrings() throws Exception {
    String typed = JSON.writeValueAsString(new Typed(JobId.of(JOB), 2, LeaseId.of("lease-1")));
    assertEquals(JSON.writeValueAsString(new Plain(JOB, 2, "lease-1")), typed);
    assertEquals("{\"jobId\":\"" + JOB + "\",\"attempt\":2,\"leaseId\":\"lease-1\"}", typed);
    assertEquals(new Typed(JobId.of(JOB), 2, LeaseId.of("lease-1")), JSON.readValue(typed, Typed.class));
  }
}
