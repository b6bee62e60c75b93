package io.jobcluster.node.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jobcluster.protocol.JobIds;
import java.util.List;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.junit.jupiter.api.Test;

class JobShardsTest {

  @Test
  void picksOneEntityIdForEachShardThatNoRequestCanName() {
    HashCodeMessageExtractor<JobEntity.Command> extractor = new HashCodeMessageExtractor<>(100);
    List<String> ids = JobShards.entityIdPerShard(100);

    assertEquals(100, ids.size());
    for (int shard = 0; shard < ids.size(); shard++) {
      assertEquals(String.valueOf(shard), extractor.shardId(ids.get(shard)), ids.get(shard));
      assertFalse(JobIds.isValid(ids.get(shard)), ids.get(shard) + " must not be a job id");
    }
  }
}
