package io.jobcluster.bench.scenario;

/**
 * The search for the highest sustainable rate: double from a first rate while probes hold, halve
 * while they fail, then bisect between the best rate that held and the lowest that failed until
 * they are within {@link #PRECISION} of each other or the probes are used up.
 *
 * @param held the highest rate that held so far, 0 if none
 * @param failed the lowest rate that failed so far, 0 if none
 * @param next the rate to probe next
 */
record RateSearch(int held, int failed, int next, int probes, int maxProbes) {
  /** Bisecting stops when the failing rate is within this fraction above the held one. */
  static final double PRECISION = 0.10;
  /** Below this a probe is not worth a run: the system is broken, not slow. */
  static final int MIN_RATE = 25;

  static RateSearch startingAt(int rate, int maxProbes) {
    return new RateSearch(0, 0, rate, 0, maxProbes);
  }

  /** The search after probing {@link #next()}. */
  RateSearch after(boolean probeHeld) {
    int heldNow = probeHeld ? Math.max(held, next) : held;
    int failedNow = probeHeld ? failed : (failed == 0 ? next : Math.min(failed, next));
    int nextRate;
    if (failedNow == 0) {
      nextRate = heldNow * 2;
    } else if (heldNow == 0) {
      nextRate = failedNow / 2;
    } else {
      nextRate = round((heldNow + failedNow) / 2);
    }
    return new RateSearch(heldNow, failedNow, nextRate, probes + 1, maxProbes);
  }

  boolean done() {
    boolean narrowed = held > 0 && failed > 0 && failed <= held * (1 + PRECISION);
    return probes >= maxProbes || narrowed || next < MIN_RATE;
  }

  /** Rates to the nearest 10, so reports show round figures. */
  private static int round(int rate) {
    return Math.max(10, Math.round(rate / 10f) * 10);
  }
}
