package dev.takeover.lab;

import java.io.PrintStream;

public final class Demo {
  public Demo(PrintStream out, JavaLauncher launcher, boolean keepLogs) {}
  public int run() { return 0; }
}
