package io.jobcluster.node.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.jobcluster.node.NodeConfig;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.readmodel.FinishedJobs.Cutoffs;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.protocol.JobStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionSettingsTest {

  @Test
  void periodsAreAWholeNumberAndAUnit() {
    assertEquals(Duration.ofSeconds(30), RetentionPeriod.parse("x", "30s"));
    assertEquals(Duration.ofMinutes(15), RetentionPeriod.parse("x", "15m"));
    assertEquals(Duration.ofHours(12), RetentionPeriod.parse("x", "12h"));
    assertEquals(Duration.ofDays(7), RetentionPeriod.parse("x", " 7d "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "7", "7 days", "-1d", "1.5h", "1w", "d", "0s", "7D"})
  void anythingElseIsRefusedNamingTheSettingAndTheForm(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RetentionPeriod.parse("jobcluster.retention.completed", text));
    assertTrue(e.getMessage().startsWith("jobcluster.retention.completed must be"), e.getMessage());
  }

  @Test
  void theDefaultsKeepCompletedJobsSevenDaysAndTheOthersThirty() {
    RetentionSettings settings = RetentionSettings.fromConfig(NodeConfig.settings(ConfigFactory.empty()).getConfig("retention"));
    assertEquals(Duration.ofDays(7), settings.policy().periodsOf("anyone").of(JobStatus.COMPLETED));
    assertEquals(Duration.ofDays(30), settings.policy().periodsOf(null).of(JobStatus.EXPIRED));
    assertEquals(Duration.ofMinutes(1), settings.interval());
    assertEquals(200, settings.batchSize());
  }

  @Test
  void aTenantMayHaveItsOwnPeriodsAndMissesHalfOfThemFromTheDefaults() {
    RetentionSettings settings = RetentionSettings.fromConfig(NodeConfig.settings(ConfigFactory.parseString("""
        jobcluster.retention { completed = 12h, other = 3d, tenants { "acme" { completed = 1d, other = 14d }, "globex.eu" { other = 30s } } }
        """)).getConfig("retention"));
    RetentionPolicy policy = settings.policy();
    assertEquals(Duration.ofDays(1), policy.periodsOf("acme").of(JobStatus.COMPLETED));
    assertEquals(Duration.ofDays(14), policy.periodsOf("acme").of(JobStatus.FAILED));
    assertEquals(Duration.ofHours(12), policy.periodsOf("globex.eu").of(JobStatus.COMPLETED));
    assertEquals(Duration.ofSeconds(30), policy.periodsOf("globex.eu").of(JobStatus.CANCELLED));
    assertEquals(Duration.ofDays(3), policy.periodsOf("initech").of(JobStatus.CANCELLED));
    Instant now = Instant.parse("2026-03-01T00:00:00Z");
    assertEquals(Map.of("acme", new Cutoffs(now.minus(Duration.ofDays(1)), now.minus(Duration.ofDays(14))),
        "globex.eu", new Cutoffs(now.minus(Duration.ofHours(12)), now.minusSeconds(30))), policy.tenantCutoffs(now));
  }

  @Test
  void aNodeWithAMalformedPeriodDoesNotStartAndSaysWhy(@TempDir Path dataDir) {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TestNodes.start(DatabaseSettings.h2(dataDir), "jobcluster.retention.completed = \"7 days\"").close());
    assertEquals("node failed to start: jobcluster.retention.completed must be a whole number followed by s, m, h or d"
        + " (such as 30s, 12h, 7d), not '7 days'", e.getMessage());
  }

  @Test
  void aMalformedPeriodStopsTheStartWithTheSettingsName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RetentionSettings.fromConfig(NodeConfig.settings(
        ConfigFactory.parseString("jobcluster.retention.tenants { \"acme\" { other = 2 weeks } }")).getConfig("retention")));
    assertEquals("jobcluster.retention.tenants.acme.other must be a whole number followed by s, m, h or d (such as 30s, 12h, 7d), "
        + "not '2 weeks'", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RetentionSettings.fromConfig(NodeConfig.settings(
        ConfigFactory.parseString("jobcluster.retention.batch-size = 0")).getConfig("retention")));
  }
}
