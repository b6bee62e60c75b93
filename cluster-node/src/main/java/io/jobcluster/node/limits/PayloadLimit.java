package io.jobcluster.node.limits;

import com.typesafe.config.Config;

/**
 * The largest payload one job may carry, in bytes of its JSON text (UTF-8). A job's payload lives in
 * its entity's memory while the job is active and crosses nodes in commands and replies, so the
 * limit also sizes Artery's largest frame ({@link #frameSize}).
 */
public record PayloadLimit(long maxBytes) {
  /** Room in a frame beyond payload and result: the job view's other fields (error and progress up to 8,192 characters each), headers. */
  static final long FRAME_OVERHEAD = 128 * 1024;
  /** Artery's own default, never lowered. */
  static final long DEFAULT_FRAME = 256 * 1024;

  public PayloadLimit {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("jobcluster.limits.max-payload must be positive: " + maxBytes);
    }
  }

  /** {@code jobcluster.limits.max-payload}. */
  public static PayloadLimit fromConfig(Config jobcluster) {
    return new PayloadLimit(jobcluster.getBytes("limits.max-payload"));
  }

  /**
   * Artery's {@code maximum-frame-size} that every job message fits in: a job view carries the
   * payload and a result, which an external worker sends in a body of at most {@code http.max-body}.
   */
  public static long frameSize(Config jobcluster) {
    return Math.max(DEFAULT_FRAME, fromConfig(jobcluster).maxBytes() + jobcluster.getBytes("http.max-body") + FRAME_OVERHEAD);
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
