// @ts-check
/**
 * TypeDoc plugin. (1) Documents the entries of `findingCodes` from the table itself. (2) Files each
 * export of the API reference under a concept (identities, builders, client, checks, testing),
 * read from the folder it is declared in, so the reference is not one flat list and a new export
 * lands in its folder's category without a tag. (3) Titles every guide by its first heading when
 * it has no front-matter title, and (4) drops the README's own `# typed-batch` heading from the
 * index page, which already carries the project name.
 *
 * (1) in detail:
 *
 * `findingCodes` is an `as const` object: each code's `summary` is already its documentation, so
 * writing a doc comment on every entry (and on every entry's `severity` and `summary`) would say
 * the same thing twice and let the two drift. This plugin copies the summary into the entry's
 * comment when the docs are built, so adding a code to the table stays one edit and the
 * `notDocumented` validation still covers everything else.
 */
import { Comment, CommentTag, Converter, ReflectionKind, ReflectionType, LiteralType } from "typedoc";

/** Concepts of the API reference, by the source folder (under src/) an export is declared in. */
const categoryOfFolder = [
  [/^src\/identity\//, "Identities"],
  [/^src\/node\/node-credential/, "Identities"],
  [/^src\/(account|pool|job|job-schedule|task)\//, "Builders"],
  [/^src\/client\//, "Client"],
  [/^src\/(rules|diagnose|doctor|errors|node)\//, "Checks"],
  [/^src\/testing\//, "Testing"],
];

/** @param {string} fileName */
const categoryOf = (fileName) => {
  const relative = fileName.replace(/\\/g, "/").replace(/^.*?\/(src\/)/, "$1");
  return categoryOfFolder.find(([pattern]) => /** @type {RegExp} */ (pattern).test(relative))?.[1];
};

/** Markdown heading text of a document's first `# ` line. @param {import("typedoc").CommentDisplayPart[]} content */
const firstHeading = (content) => /^#\s+(.+)$/m.exec(content.map((p) => p.text).join(""))?.[1]?.replace(/`/g, "").trim();

/** @param {string} text */
const comment = (text) => new Comment([{ kind: "text", text }]);

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DOCUMENT, (_context, document) => {
    if (typeof document.frontmatter["title"] === "string") return;
    const heading = firstHeading(document.content);
    if (heading !== undefined) document.name = heading;
  });
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const project = context.project;
    if (project.readme?.[0]?.kind === "text") project.readme[0] = { ...project.readme[0], text: project.readme[0].text.replace(/^#\s+typed-batch\s*\n/, "") };
    for (const module of project.getReflectionsByKind(ReflectionKind.Module)) {
      for (const child of /** @type {import("typedoc").DeclarationReflection} */ (module).children ?? []) {
        const fileName = project.getSymbolIdFromReflection(child)?.fileName;
        const category = fileName === undefined ? undefined : categoryOf(fileName);
        if (category === undefined) continue;
        const target = child.comment ?? child.signatures?.[0]?.comment ?? (child.comment = new Comment());
        if (!target.blockTags.some((t) => t.tag === "@category")) target.blockTags.push(new CommentTag("@category", [{ kind: "text", text: category }]));
      }
    }
  });
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
