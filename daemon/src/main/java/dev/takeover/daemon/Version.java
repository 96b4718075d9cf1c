package dev.takeover.daemon;

/** The version of this build, from the jar's manifest. */
public final class Version {
  private Version() {}

  /** {@code 0.1.0-SNAPSHOT}, or "development build" when run from a classes directory. */
  public static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }
}
