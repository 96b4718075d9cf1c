package dev.takeover.it;

import dev.takeover.lab.Lab;

/** A process that builds a lab, prints its prefix and waits to be killed (for {@link LabIT}). */
public final class LabHolder {
  private LabHolder() {}

  public static void main(String[] args) throws InterruptedException {
    Lab lab = Lab.create(1);
    System.out.println("prefix " + lab.prefix());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
