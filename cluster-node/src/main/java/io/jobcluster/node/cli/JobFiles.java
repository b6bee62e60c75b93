package io.jobcluster.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobcluster.node.json.NodeJson;
import io.jobcluster.protocol.JobRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Jobs from a JSON file or standard input, in the API's request shape: one job ({@code {"type": ...}}),
 * an array of jobs, or a batch body ({@code {"jobs": [...]}}). Read strictly, as the node reads them:
 * an unknown field is refused here, before anything is sent.
 */
final class JobFiles {
  private JobFiles() {}

  /** What a file held: its jobs, and whether it was a batch (an array or a batch body) even with one job. */
  record Jobs(List<JobRequest> requests, boolean batch) {}

  static Jobs read(String file, InputStream stdin) {
    String name = "-".equals(file) ? "standard input" : file;
    JsonNode root;
    try (InputStream in = "-".equals(file) ? stdin : Files.newInputStream(Path.of(file))) {
      root = NodeJson.mapper().readTree(in);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(name + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + name + ": " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new IllegalArgumentException(name + " is empty: expected a job, an array of jobs or {\"jobs\": [...]}");
    }
    boolean batchBody = root.isObject() && root.size() == 1 && root.has("jobs");
    JsonNode items = batchBody ? root.get("jobs") : root;
    if (!items.isArray()) {
      if (!items.isObject()) {
        throw new IllegalArgumentException(name + " must hold a job object, an array of jobs or {\"jobs\": [...]}");
      }
      return new Jobs(List.of(job(items, name)), false);
    }
    List<JobRequest> jobs = new ArrayList<>();
    for (int index = 0; index < items.size(); index++) {
      jobs.add(job(items.get(index), name + ", job " + index));
    }
    if (jobs.isEmpty()) {
      throw new IllegalArgumentException(name + " holds no jobs");
    }
    return new Jobs(jobs, true);
  }

  private static JobRequest job(JsonNode node, String where) {
    try {
      return NodeJson.mapper().treeToValue(node, JobRequest.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": " + e.getOriginalMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }
}
