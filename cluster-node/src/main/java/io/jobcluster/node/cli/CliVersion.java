package io.jobcluster.node.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code jobcluster --version}: the version the jar was built as. */
final class CliVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = JobclusterCli.class.getPackage().getImplementationVersion();
    return new String[] {"jobcluster " + (version == null ? "(development build)" : version)};
  }
}
