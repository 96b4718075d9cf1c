package dev.takeover.lab;

import dev.takeover.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the AsciiDoc sources of the operator's man pages from the same command model that prints
 * {@code --help}: {@code takeover(8)} and one page per operator command ({@code takeover-run(8)},
 * ...), so a page can never list an option the CLI lacks. Run by the build (lab module,
 * process-classes); {@code packaging/build-deb} turns them into troff with asciidoctor and adds
 * {@code takeover.yaml(5)} from docs/CONFIG.md.
 *
 * <p>Section 8 (system administration), not picocli's default 1: the daemon runs as root and its
 * commands act on the host's interfaces.
 */
public final class ManPages {
  private static final String SECTION = "8";

  private ManPages() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: ManPages OUTPUT_DIR");
    }
    write(Path.of(args[0]));
  }

  /** Writes {@code takeover.adoc} and {@code takeover-COMMAND.adoc} for every visible command. */
  public static List<Path> write(Path dir) throws IOException {
    Files.createDirectories(dir);
    CommandLine root = Main.commandLine();
    List<String> commands = new ArrayList<>();
    for (var e : root.getSubcommands().entrySet()) {
      CommandSpec spec = e.getValue().getCommandSpec();
      if (!spec.usageMessage().hidden()
          && !(spec.userObject() instanceof CommandLine.HelpCommand)) {
        commands.add(e.getKey());
      }
    }
    List<Path> written = new ArrayList<>();
    List<String> related = new ArrayList<>();
    commands.forEach(c -> related.add("takeover-" + c));
    related.add("takeover.yaml(5)");
    written.add(page(dir, "takeover", root.getCommandSpec(), related));
    for (String c : commands) {
      written.add(
          page(
              dir,
              "takeover-" + c,
              root.getSubcommands().get(c).getCommandSpec(),
              List.of("takeover", "takeover.yaml(5)")));
    }
    return written;
  }

  private static Path page(Path dir, String name, CommandSpec spec, List<String> seeAlso)
      throws IOException {
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      ManPageGenerator.writeSingleManPage(out, spec);
    }
    String adoc = text.toString().replace("= " + name + "(1)", "= " + name + "(" + SECTION + ")");
    if (adoc.equals(text.toString())) {
      throw new IllegalStateException(
          "no '= " + name + "(1)' header in picocli's page for " + name);
    }
    StringBuilder page = new StringBuilder(adoc);
    page.append("\n== See also\n\n");
    for (int i = 0; i < seeAlso.size(); i++) {
      String ref = seeAlso.get(i);
      page.append(
              ref.contains("(") ? "*" + ref.replace("(", "*(") : "*" + ref + "*(" + SECTION + ")")
          .append(i + 1 < seeAlso.size() ? ", " : "\n");
    }
    Path file = dir.resolve(name + ".adoc");
    Files.writeString(file, page, StandardCharsets.UTF_8);
    return file;
  }
}
