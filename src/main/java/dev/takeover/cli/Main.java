package dev.takeover.cli;

/** Entry point of the takeover launcher. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("takeover");
  }
}
