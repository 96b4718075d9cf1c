package dev.takeover.lab;

import picocli.CommandLine.IVersionProvider;

/** The lab jar's version and the Java runtime, for the test bed's {@code --version}. */
public final class LabVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = LabVersion.class.getPackage().getImplementationVersion();
    return new String[] {
      "takeover-lab " + (v == null ? "development build" : v),
      "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
