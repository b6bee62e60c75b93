package io.jobcluster.bench;

/** A running count at a moment (epoch milliseconds): jobs accepted or completed so far. */
public record CountAt(long epochMillis, long count) {}
