package io.jobcluster.multijvm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the last lines of a node log without loading a long log whole. */
final class LogTail {
  private static final int BLOCK = 8 * 1024;
  // A stack trace line is rarely this long; the cap keeps one pathological line from eating memory.
  private static final long MAX_BYTES = 4L * 1024 * 1024;

  private LogTail() {}

  static List<String> lastLines(Path file, int count) {
    if (count <= 0 || !Files.isRegularFile(file)) {
      return List.of();
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long end = in.length();
      long start = end;
      byte[] tail = new byte[0];
      while (start > 0 && newlines(tail) <= count && end - start < MAX_BYTES) {
        long from = Math.max(0, start - BLOCK);
        byte[] block = new byte[(int) (start - from)];
        in.seek(from);
        in.readFully(block);
        tail = concat(block, tail);
        start = from;
      }
      List<String> lines = new String(tail, StandardCharsets.UTF_8).lines().toList();
      if (start > 0 && !lines.isEmpty()) {
        lines = lines.subList(1, lines.size()); // began mid-line
      }
      return lines.subList(Math.max(0, lines.size() - count), lines.size());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static int newlines(byte[] bytes) {
    int n = 0;
    for (byte b : bytes) {
      if (b == '\n') {
        n++;
      }
    }
    return n;
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] all = new byte[first.length + second.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
