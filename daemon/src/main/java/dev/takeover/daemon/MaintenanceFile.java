package dev.takeover.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Maintenance as a file in the state directory, so that it survives a restart (and a reboot, when
 * {@code state-dir} is on persistent storage such as {@code /var/lib/takeover}): the file {@value
 * #NAME} exists exactly while the node is in maintenance. Its presence is what counts; its one line
 * says since when, for the operator. Written to a temporary file, synced and renamed into place,
 * then the directory synced, so a crash leaves either the old state or the new one.
 */
final class MaintenanceFile {
  static final String NAME = "maintenance";

  private MaintenanceFile() {}

  static Path path(Path stateDir) {
    return stateDir.resolve(NAME);
  }

  /** Whether the node was left in maintenance. */
  static boolean read(Path stateDir) {
    return Files.exists(path(stateDir));
  }

  /** Records {@code on} durably; throws when it cannot (the caller reports it). */
  static void write(Path stateDir, boolean on, Instant at) throws IOException {
    Path file = path(stateDir);
    if (on) {
      Files.createDirectories(stateDir);
      Path temp = stateDir.resolve(NAME + ".tmp");
      byte[] text =
          ("on since "
                  + at
                  + "\n# written by takeover maintenance on; removed by takeover maintenance off\n")
              .getBytes(StandardCharsets.UTF_8);
      try (FileChannel ch =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(text);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.deleteIfExists(file);
    }
    syncDirectory(stateDir);
  }

  /** Makes the rename or removal durable; best effort, as not every file system allows it. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // The file itself was synced; nothing more to do.
    }
  }
}
