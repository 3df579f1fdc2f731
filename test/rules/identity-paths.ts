/**
 * Reads Azure's own declarations with the TypeScript compiler API and lists every property path,
 * from a request model, that reaches an identity: a property or type whose name says "identity"
 * (`identityReference`, `nodeIdentityReference`, `ComputeNodeIdentityReference`, `identity`,
 * `BatchPoolIdentity`, ...). The walk does not descend below such a property: what is inside an
 * identity reference is its `resourceId`, not another site.
 */
import { join } from "node:path";
import ts from "typescript";
import { repoRoot } from "./compiler.js";

/** One path found: the root model, the path in the SDK model (`[]` every element, `{}` every key), the type there. */
export interface IdentityPath {
  readonly root: string;
  readonly path: string;
  readonly typeName: string;
}

const identityWord = /identity/i;

/** The types a request model is made of, found in one `.d.ts` file. */
export function programFor(files: readonly string[]): ts.Program {
  return ts.createProgram(files as string[], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, skipLibCheck: true, types: [] });
}

export const batchDts = join(repoRoot, "node_modules/@azure/batch/types/src/models/index.d.ts");
export const armBatchDts = join(repoRoot, "node_modules/@azure/arm-batch/types/arm-batch.d.ts");

function typeName(checker: ts.TypeChecker, type: ts.Type): string {
  return type.aliasSymbol?.name ?? type.getSymbol()?.name ?? checker.typeToString(type);
}

/** The declared interface or type alias `name` of `file`. */
export function declaredType(program: ts.Program, file: string, name: string): ts.Type {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (source === undefined) throw new Error(`not loaded: ${file}`);
  for (const statement of source.statements) {
    if ((ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && statement.name.text === name) {
      return checker.getTypeAtLocation(statement.name);
    }
  }
  throw new Error(`no ${name} in ${file}`);
}

/**
 * Every path from `root` that reaches an identity. Optional and nullable wrappers, arrays
 * (`[]`), string-keyed records (`{}`) and unions are followed; a type already on the current path
 * is not entered again (recursive models).
 */
export function identityPaths(program: ts.Program, rootName: string, root: ts.Type, options: { readonly stopAt?: (type: ts.Type) => boolean } = {}): IdentityPath[] {
  const checker = program.getTypeChecker();
  const out: IdentityPath[] = [];
  const visit = (type: ts.Type, path: string, onPath: ReadonlySet<ts.Type>): void => {
    if (type.isUnion()) {
      for (const member of type.types) visit(member, path, onPath);
      return;
    }
    if (!(type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) || onPath.has(type) || options.stopAt?.(type) === true) return;
    const name = typeName(checker, type);
    if (name === "Date" || name === "Uint8Array" || name === "Blob" || name === "ReadableStream") return;
    const next = new Set(onPath).add(type);
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      for (const element of checker.getTypeArguments(type as ts.TypeReference)) visit(element, `${path}[]`, next);
      return;
    }
    const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
    if (index !== undefined) visit(index.type, `${path}{}`, next);
    for (const property of checker.getPropertiesOfType(type)) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      if (declaration === undefined) continue;
      const propertyType = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(property, declaration));
      if ((propertyType.getCallSignatures().length > 0)) continue;
      const propertyPath = path === "" ? property.name : `${path}.${property.name}`;
      const shown = checker.typeToString(propertyType);
      if (identityWord.test(property.name) || identityWord.test(typeName(checker, propertyType)) || identityWord.test(shown.replace(/\[\]$/, ""))) {
        out.push({ root: rootName, path: propertyPath, typeName: shown });
        continue;
      }
      visit(propertyType, propertyPath, next);
    }
  };
  visit(root, "", new Set());
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
