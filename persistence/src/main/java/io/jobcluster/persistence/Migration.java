package io.jobcluster.persistence;

/**
 * One schema migration: the classpath script {@code resource}, named
 * {@code V<version>__<description>.sql}, and the SHA-256 of its text that is recorded when it
 * is applied and checked on every later start.
 */
public record Migration(int version, String description, String resource, String checksum) {}
