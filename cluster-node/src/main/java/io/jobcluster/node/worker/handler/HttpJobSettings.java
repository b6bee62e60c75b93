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
 * @param hosts how calls to one host back off: its circuit breaker, its concurrency, Retry-After
 */
public record HttpJobSettings(AddressPolicy policy, Duration connectTimeout, Duration maxRequestTimeout, int maxRedirects, HostLimits hosts) {

  public HttpJobSettings {
    if (connectTimeout.isNegative() || connectTimeout.isZero() || maxRequestTimeout.isNegative() || maxRequestTimeout.isZero()) {
      throw new IllegalArgumentException("http-jobs timeouts must be positive");
    }
    if (maxRedirects < 0) {
      throw new IllegalArgumentException("http-jobs.max-redirects must not be negative");
    }
  }

  /** With the default host limits. */
  public HttpJobSettings(AddressPolicy policy, Duration connectTimeout, Duration maxRequestTimeout, int maxRedirects) {
    this(policy, connectTimeout, maxRequestTimeout, maxRedirects, HostLimits.defaults());
  }

  /**
   * Per target host ({@code host:port} of the URL) on one node.
   *
   * @param breakerMaxFailures failures in a row (connection errors, timeouts, 5xx, 429) that open the host's breaker
   * @param breakerResetTimeout how long an open breaker fails calls fast before it lets one through (half-open)
   * @param maxCallsPerHost calls in flight to one host at once; more wait for a free place
   * @param maxHosts hosts whose breaker and limit are kept; the least recently called is forgotten beyond
   * @param maxRetryAfter the longest a {@code Retry-After} answer may delay the job's next attempt
   */
  public record HostLimits(int breakerMaxFailures, Duration breakerResetTimeout, int maxCallsPerHost, int maxHosts, Duration maxRetryAfter) {

    public HostLimits {
      if (breakerMaxFailures < 1 || maxCallsPerHost < 1 || maxHosts < 1) {
        throw new IllegalArgumentException("http-jobs breaker-max-failures, max-calls-per-host and max-hosts must be at least 1");
      }
      if (breakerResetTimeout.isNegative() || breakerResetTimeout.isZero()) {
        throw new IllegalArgumentException("http-jobs.breaker-reset-timeout must be positive");
      }
      if (maxRetryAfter.isNegative()) {
        throw new IllegalArgumentException("http-jobs.max-retry-after must not be negative");
      }
    }

    /** 5 failures open a breaker for 30 s; 8 calls per host; 1000 hosts; Retry-After up to 1 h. */
    public static HostLimits defaults() {
      return new HostLimits(5, Duration.ofSeconds(30), 8, 1000, Duration.ofHours(1));
    }

    static HostLimits fromConfig(Config httpJobs) {
      return new HostLimits(httpJobs.getInt("breaker-max-failures"), httpJobs.getDuration("breaker-reset-timeout"),
          httpJobs.getInt("max-calls-per-host"), httpJobs.getInt("max-hosts"), httpJobs.getDuration("max-retry-after"));
    }
  }

  /** Public destinations only, 5 s to connect, 60 s a call, 5 redirects, the default host limits. */
  public static HttpJobSettings defaults() {
    return new HttpJobSettings(AddressPolicy.denyInternal(), Duration.ofSeconds(5), Duration.ofSeconds(60), 5);
  }

  public static HttpJobSettings fromConfig(Config httpJobs) {
    return new HttpJobSettings(AddressPolicy.allowing(NodeConfig.stringList(httpJobs, "allowed-hosts")),
        httpJobs.getDuration("connect-timeout"), httpJobs.getDuration("max-call-time"), httpJobs.getInt("max-redirects"),
        HostLimits.fromConfig(httpJobs));
  }

  public HttpJobSettings withPolicy(AddressPolicy newPolicy) {
    return new HttpJobSettings(newPolicy, connectTimeout, maxRequestTimeout, maxRedirects, hosts);
  }

  public HttpJobSettings withHosts(HostLimits newHosts) {
    return new HttpJobSettings(policy, connectTimeout, maxRequestTimeout, maxRedirects, newHosts);
  }
}
