package dev.kiai.core.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiai.core.error.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a {@link PromptSource} into a registry plus every finding: per-file problems, duplicates, label
 * problems and lock mismatches. The registry is only built when there is no error, so that loading and
 * linting agree on what is an error.
 */
final class PromptLoader {
  private static final List<String> LABEL_FILES = List.of("labels.yaml", "labels.yml", "labels.json");

  /**
   * @param registry the registry, or null when there are errors
   * @param findings every finding, sorted by file (stable within a file)
   */
  record Result(PromptRegistry registry, List<LintFinding> findings) {}

  private PromptLoader() {}

  static PromptRegistry loadOrThrow(PromptSource source, boolean checkLock) {
    Result result = load(source, checkLock);
    List<LintFinding> errors = result.findings().stream().filter(LintFinding::isError).toList();
    if (!errors.isEmpty()) {
      throw new ConfigurationException(errors.stream()
          .map(f -> f.file() + ": " + f.message())
          .collect(Collectors.joining("\n  ", "cannot load prompt templates from " + source.description()
              + " (" + errors.size() + (errors.size() == 1 ? " error" : " errors") + "):\n  ", "")));
    }
    return result.registry();
  }

  static Result load(PromptSource source, boolean checkLock) {
    List<LintFinding> findings = new ArrayList<>();
    PromptRegistry.Builder builder = PromptRegistry.builder();
    Map<TemplateRef, String> fileOf = new HashMap<>();
    List<String> labelFiles = new ArrayList<>();
    source.files().forEach((file, content) -> {
      if (file.equals(PromptLock.FILE_NAME)) {
        return;
      }
      if (LABEL_FILES.contains(file)) {
        labelFiles.add(file);
        return;
      }
      PromptFileReader.Result read = PromptFileReader.read(file, content);
      findings.addAll(read.findings());
      PromptTemplate template = read.template();
      if (template == null) {
        return;
      }
      String previous = fileOf.putIfAbsent(template.ref(), file);
      if (previous != null) {
        findings.add(LintFinding.error(file, "duplicate " + template.ref() + ": also defined in " + previous));
        return;
      }
      try {
        builder.add(template);
      } catch (ConfigurationException e) {
        findings.add(LintFinding.error(file, e.getMessage()));
      }
    });

    if (labelFiles.size() > 1) {
      findings.add(LintFinding.error(labelFiles.get(1), "only one labels file is allowed, found "
          + String.join(" and ", labelFiles)));
    } else if (labelFiles.size() == 1) {
      String file = labelFiles.get(0);
      applyLabels(file, source.files().get(file), builder, findings);
      builder.problems().forEach(p -> findings.add(LintFinding.error(file, p)));
    }

    byte[] lockContent = source.files().get(PromptLock.FILE_NAME);
    if (lockContent != null && checkLock) {
      PromptLock lock = PromptLock.parse(new String(lockContent, StandardCharsets.UTF_8), PromptLock.FILE_NAME,
          findings);
      checkLock(lock, builder, fileOf, findings);
    }

    List<LintFinding> sorted = new ArrayList<>(findings);
    sorted.sort(Comparator.comparing(LintFinding::file));
    boolean ok = sorted.stream().noneMatch(LintFinding::isError);
    return new Result(ok ? builder.build() : null, List.copyOf(sorted));
  }

  private static void checkLock(PromptLock lock, PromptRegistry.Builder builder, Map<TemplateRef, String> fileOf,
      List<LintFinding> findings) {
    Map<TemplateRef, String> current = new HashMap<>();
    builder.templates().forEach(t -> current.put(t.ref(), t.contentHash()));
    lock.entries().forEach((ref, locked) -> {
      String now = current.get(ref);
      if (now == null) {
        if (!fileOf.containsKey(ref)) {
          findings.add(LintFinding.warning(PromptLock.FILE_NAME, ref + " is locked but no longer exists"));
        }
      } else if (!now.equals(locked)) {
        findings.add(LintFinding.error(fileOf.get(ref), PromptLock.changedMessage(ref, locked, now)));
      }
    });
  }

  private static void applyLabels(String file, byte[] content, PromptRegistry.Builder builder,
      List<LintFinding> findings) {
    JsonNode root = PromptFileReader.parse(file, content, findings);
    if (root == null) {
      return;
    }
    if (!root.isObject()) {
      findings.add(LintFinding.error(file, "top level must be a mapping of template id to labels"));
      return;
    }
    root.fields().forEachRemaining(entry -> {
      String id = entry.getKey();
      JsonNode labels = entry.getValue();
      if (!labels.isObject()) {
        findings.add(LintFinding.error(file, "labels of '" + id + "' must be a mapping of label to version"));
        return;
      }
      labels.fields().forEachRemaining(label -> {
        try {
          JsonNode value = label.getValue();
          if (label.getKey().equals(Labels.CANARY_PERCENT)) {
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
              throw new IllegalArgumentException(Labels.CANARY_PERCENT + " of " + id
                  + " must be an integer from 0 to 100, was " + value);
            }
            builder.canaryPercent(id, value.intValue());
          } else {
            if (!value.isValueNode() || value.isNull()) {
              throw new IllegalArgumentException(
                  "label '" + label.getKey() + "' of " + id + " must name a version such as 1.2.0");
            }
            SemVer version;
            try {
              version = SemVer.parse(value.asText());
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("label '" + label.getKey() + "' of " + id + ": " + e.getMessage(), e);
            }
            builder.label(id, label.getKey(), version);
          }
        } catch (IllegalArgumentException | ConfigurationException e) {
          findings.add(LintFinding.error(file, e.getMessage()));
        }
      });
    });
  }
}
