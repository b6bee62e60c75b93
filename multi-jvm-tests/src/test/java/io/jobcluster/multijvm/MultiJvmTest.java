package io.jobcluster.multijvm;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** Marks a test class that starts node processes: their logs on failure, no process left behind. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("multi-jvm")
@ExtendWith(NodeProcessGuard.class)
public @interface MultiJvmTest {
}
