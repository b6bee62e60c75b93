package io.jobcluster.bench.report;

/** One of the targets beside what the run measured. */
public record TargetCheck(String scenario, String target, String measured, Verdict verdict) {
  public enum Verdict {
    MET("met"), MISSED("missed"), NOT_MEASURED("not measured");

    private final String text;

    Verdict(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }

    public static Verdict of(boolean met) {
      return met ? MET : MISSED;
    }
  }

  /** A target whose figure the run could not produce (its scenario failed or did not finish). */
  public static TargetCheck notMeasured(String scenario, String target, String why) {
    return new TargetCheck(scenario, target, why, Verdict.NOT_MEASURED);
  }
}
