package io.jobcluster.node.limits;

import com.typesafe.config.Config;

/**
 * The largest payload one job may carry, and the largest result, in bytes of their JSON text (UTF-8).
 * A job's payload lives in its entity's memory while the job is active; both cross nodes in commands
 * and replies, so the limits also size Artery's largest frame ({@link #frameSize}).
 *
 * @param maxBytes the largest payload, {@code jobcluster.limits.max-payload}
 * @param maxResultBytes the largest result, {@code jobcluster.http.max-body}: what an external worker can send
 */
public record PayloadLimit(long maxBytes, long maxResultBytes) {
  /** Room in a frame beyond payload and result: the job view's other fields (error and progress up to 8,192 characters each), headers. */
  static final long FRAME_OVERHEAD = 128 * 1024;
  /** Artery's own default, never lowered. */
  static final long DEFAULT_FRAME = 256 * 1024;

  public PayloadLimit {
    if (maxBytes < 1 || maxResultBytes < 1) {
      throw new IllegalArgumentException("jobcluster.limits.max-payload and jobcluster.http.max-body must be positive: " + maxBytes + ", "
          + maxResultBytes);
    }
  }

  /** {@code jobcluster.limits.max-payload} and {@code jobcluster.http.max-body}. */
  public static PayloadLimit fromConfig(Config jobcluster) {
    return new PayloadLimit(jobcluster.getBytes("limits.max-payload"), jobcluster.getBytes("http.max-body"));
  }

  /** Artery's {@code maximum-frame-size} that every job message fits in: a job view carries the payload and a result. */
  public static long frameSize(Config jobcluster) {
    PayloadLimit limit = fromConfig(jobcluster);
    return Math.max(DEFAULT_FRAME, limit.maxBytes() + limit.maxResultBytes() + FRAME_OVERHEAD);
  }

  /**
   * Why {@code json} (a result, may be null) cannot be kept, or null when it fits. An external
   * worker's result is bounded by its request body; an in-JVM handler's is checked here.
   */
  public String resultTooLarge(String json) {
    long size = json == null ? 0 : utf8Length(json);
    return size <= maxResultBytes ? null
        : "the result is " + size + " bytes; a job's result may hold at most " + maxResultBytes + " bytes (jobcluster.http.max-body)";
  }

  /** Throws {@link PayloadTooLargeException} when {@code json} (a job's payload, may be null) is larger than the limit. */
  public void check(String json) {
    long size = json == null ? 0 : utf8Length(json);
    if (size > maxBytes) {
      throw new PayloadTooLargeException(size, maxBytes);
    }
  }

  /** The UTF-8 length of {@code text} without encoding it. */
  static long utf8Length(CharSequence text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
