import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step (daemon/pom.xml, after the shade): rewrites every class of the shaded jar whose class
 * file version is older than 50 (Java 6) to version 52 (Java 8), with stack maps computed by the
 * JDK's ClassFile API. Nothing else in a class changes.
 *
 * <p>Why: the JDK's AOT cache (JEP 483/514) cannot hold a class older than version 50, and every
 * such class is checked by the old type-inferring verifier at each start. picocli 4.7.7 ships
 * version 49 (Java 5) classes, so every {@code takeover status} or {@code check} loaded and
 * verified its ~200 classes from the jar: measured here, {@code new CommandLine} of a trivial
 * command took 280-480 ms with them and 120-150 ms retargeted and cached (docs/DECISIONS.md 60).
 *
 * <p>Usage: {@code java RetargetOldClasses.java JAR} (rewrites JAR in place).
 */
public final class RetargetOldClasses {
  private static final int OLDEST_CACHEABLE = 50;
  private static final int TARGET = 52;

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java RetargetOldClasses.java JAR");
      System.exit(2);
    }
    Path jar = Path.of(args[0]);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    Map<String, ZipEntry> headers = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        entries.put(e.getName(), in.readAllBytes());
        headers.put(e.getName(), e);
      }
    }
    // Stack maps need the superclass of every type on a merge point: the jar's own classes first,
    // then the JDK's.
    ClassHierarchyResolver jarClasses =
        ClassHierarchyResolver.ofResourceParsing(
            desc -> {
              String d = desc.descriptorString();
              byte[] b = entries.get(d.substring(1, d.length() - 1) + ".class");
              return b == null ? null : new ByteArrayInputStream(b);
            });
    ClassFile classFile =
        ClassFile.of(
            ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
            ClassFile.ConstantPoolSharingOption.NEW_POOL,
            ClassFile.ClassHierarchyResolverOption.of(
                jarClasses.orElse(ClassHierarchyResolver.defaultResolver())));
    ClassTransform newVersion =
        (builder, element) -> {
          if (element instanceof ClassFileVersion) {
            builder.withVersion(TARGET, 0);
          } else {
            builder.with(element);
          }
        };
    ClassTransform retarget =
        newVersion.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL));
    int rewritten = 0;
    for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
      String name = entry.getKey();
      byte[] bytes = entry.getValue();
      if (!name.endsWith(".class") || name.startsWith("META-INF/") || bytes.length < 8) {
        continue;
      }
      int major = ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
      if (major >= OLDEST_CACHEABLE) {
        continue;
      }
      ClassModel model = classFile.parse(bytes);
      entry.setValue(classFile.transformClass(model, retarget));
      rewritten++;
    }
    if (rewritten == 0) {
      System.out.println("RetargetOldClasses: " + jar.getFileName() + ": nothing older than 50");
      return;
    }
    Path tmp = jar.resolveSibling(jar.getFileName() + ".retarget");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        ZipEntry header = new ZipEntry(entry.getKey());
        header.setTime(headers.get(entry.getKey()).getTime());
        out.putNextEntry(header);
        out.write(entry.getValue());
        out.closeEntry();
      }
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.println(
        "RetargetOldClasses: " + jar.getFileName() + ": " + rewritten + " classes to version 52");
  }
}
