package io.jobcluster.node.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

/**
 * The JVM's and the process's meters on a node's registry: memory, garbage collection, threads,
 * classes, CPU, uptime, open files, and the common pool, which runs the continuations of every
 * ask (see {@code Main}). Close it when the node stops: the GC meters listen to JVM notifications.
 */
public final class RuntimeMetrics implements AutoCloseable {
  /** The {@code name} tag of the common pool's {@code executor_*} series. */
  static final String COMMON_POOL = "common";

  private final JvmGcMetrics gc;

  private RuntimeMetrics(JvmGcMetrics gc) {
    this.gc = gc;
  }

  public static RuntimeMetrics bindTo(MeterRegistry registry) {
    JvmGcMetrics gc = new JvmGcMetrics();
    List<MeterBinder> binders = List.of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ClassLoaderMetrics(),
        new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics(),
        new ExecutorServiceMetrics(ForkJoinPool.commonPool(), COMMON_POOL, Tags.empty()));
    binders.forEach(binder -> binder.bindTo(registry));
    return new RuntimeMetrics(gc);
  }

  @Override
  public void close() {
    gc.close();
  }
}
