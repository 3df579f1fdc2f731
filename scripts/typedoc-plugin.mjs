// @ts-check
/**
 * TypeDoc plugin: documents the entries of `findingCodes` from the table itself.
 *
 * `findingCodes` is an `as const` object: each code's `summary` is already its documentation, so
 * writing a doc comment on every entry (and on every entry's `severity` and `summary`) would say
 * the same thing twice and let the two drift. This plugin copies the summary into the entry's
 * comment when the docs are built, so adding a code to the table stays one edit and the
 * `notDocumented` validation still covers everything else.
 */
import { Comment, Converter, ReflectionKind, ReflectionType, LiteralType } from "typedoc";

/** @param {string} text */
const comment = (text) => new Comment([{ kind: "text", text }]);

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const variable of context.project.getReflectionsByKind(ReflectionKind.Variable)) {
      if (variable.name !== "findingCodes" || !(variable.type instanceof ReflectionType)) continue;
      for (const entry of variable.type.declaration.children ?? []) {
        if (!(entry.type instanceof ReflectionType)) continue;
        const fields = entry.type.declaration.children ?? [];
        const summary = fields.find((f) => f.name === "summary");
        const severity = fields.find((f) => f.name === "severity");
        const text = summary?.type instanceof LiteralType ? String(summary.type.value) : undefined;
        const level = severity?.type instanceof LiteralType ? String(severity.type.value) : undefined;
        if (text !== undefined && !entry.hasComment()) entry.comment = comment(`${text}${level === "warning" ? " (warning)" : ""}`);
        if (summary && !summary.hasComment()) summary.comment = comment(`What \`${entry.name}\` means, in one line.`);
        if (severity && !severity.hasComment()) severity.comment = comment(`Whether \`${entry.name}\` blocks (\`error\`) or only informs (\`warning\`).`);
        const live = fields.find((f) => f.name === "live");
        if (live && !live.hasComment()) live.comment = comment(`\`${entry.name}\` depends on Azure's state: only the live doctor can emit it.`);
      }
    }
  });
}
