package io.jobcluster.node;

import java.util.concurrent.ForkJoinPool;

/** Run in a fresh JVM by {@link MainCommonPoolTest}: loads {@link Main}, then prints the common pool's parallelism. */
final class CommonPoolProbe {
  private CommonPoolProbe() {}

  public static void main(String[] args) throws ClassNotFoundException {
    Class.forName(Main.class.getName());
    System.out.println(ForkJoinPool.getCommonPoolParallelism());
  }
}
