package io.jobcluster.node.worker.handler;

import com.typesafe.config.Config;
import io.jobcluster.node.NodeConfig;
import java.time.Duration;

/**
 * How the {@code http} job type calls out ({@code jobcluster.http-jobs}).
 *
 * @param policy which destinations it may call
 * @param connectTimeout how long establishing a connection may take
 * @param maxRequestTimeout the longest a call may take, redirects included; a shorter lease timeout
 *     shortens it, so a call never outlives the lease it runs under
 * @param maxRedirects how many redirects a call follows, each checked like the first destination
 */
public record HttpJobSettings(AddressPolicy policy, Duration connectTimeout, Duration maxRequestTimeout, int maxRedirects) {

  public HttpJobSettings {
    if (connectTimeout.isNegative() || connectTimeout.isZero() || maxRequestTimeout.isNegative() || maxRequestTimeout.isZero()) {
      throw new IllegalArgumentException("http-jobs timeouts must be positive");
    }
    if (maxRedirects < 0) {
      throw new IllegalArgumentException("http-jobs.max-redirects must not be negative");
    }
  }

  /** Public destinations only, 5 s to connect, 60 s a call, 5 redirects. */
  public static HttpJobSettings defaults() {
    return new HttpJobSettings(AddressPolicy.denyInternal(), Duration.ofSeconds(5), Duration.ofSeconds(60), 5);
  }

  public static HttpJobSettings fromConfig(Config httpJobs) {
    return new HttpJobSettings(AddressPolicy.allowing(NodeConfig.stringList(httpJobs, "allowed-hosts")),
        httpJobs.getDuration("connect-timeout"), httpJobs.getDuration("max-call-time"), httpJobs.getInt("max-redirects"));
  }

  public HttpJobSettings withPolicy(AddressPolicy newPolicy) {
    return new HttpJobSettings(newPolicy, connectTimeout, maxRequestTimeout, maxRedirects);
  }
}
