/**
 * The ARM template expression language, as far as identity references use it: a string
 * `[...]` (not `[[`) is an expression of function calls, `'strings'`, numbers, `.property` and
 * `[index]`. Evaluated here: `parameters`, `variables`, `resourceId`, `subscriptionResourceId`,
 * `extensionResourceId`, `concat`, `format`, `toLower`, `toUpper`, `string`, `if`, `equals`,
 * `guid`, `uniqueString`, `reference(...)` (its `principalId` stands for the identity's principal),
 * `resourceGroup()` and `subscription()` (placeholder values). Anything else makes the value
 * unknown, never a guess. Source: Microsoft Learn, "Template functions" (ARM template reference).
 */

/** A value that cannot be evaluated offline, with the expression that made it so. */
export class Unknown {
  constructor(readonly expression: string) {}
}

/** The principal id of the identity with this (canonical) resource id, as `reference(id).principalId` gives it. */
export class Principal {
  constructor(readonly identity: string) {}
  toString(): string {
    return `principal-of(${this.identity})`;
  }
}

/** Placeholder deployment scope: the subscription and resource group a template is deployed to are not in it. */
export const placeholderScope = { subscriptionId: "00000000-0000-0000-0000-000000000000", resourceGroup: "resource-group", location: "location" } as const;

/** What an expression can see. */
export interface Scope {
  parameter(name: string): unknown;
  variable(name: string): unknown;
  /** The resource id of a symbolic name (language version 2.0), if it is one. */
  symbol(name: string): string | undefined;
}

type Token = { kind: "ident" | "string" | "number" | "punct"; text: string };

function tokenize(source: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) i++;
    else if (c === "'") {
      let text = "";
      i++;
      for (;;) {
        if (i >= source.length) throw new Error("unterminated string");
        if (source[i] === "'") {
          if (source[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += source[i];
        i++;
      }
      out.push({ kind: "string", text });
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w]*/.exec(source.slice(i)) as RegExpExecArray;
      out.push({ kind: "ident", text: m[0] });
      i += m[0].length;
    } else if (/[-\d]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(source.slice(i));
      if (m === null) throw new Error(`unexpected '${c}'`);
      out.push({ kind: "number", text: m[0] });
      i += m[0].length;
    } else if ("(),.[]".includes(c)) {
      out.push({ kind: "punct", text: c });
      i++;
    } else throw new Error(`unexpected '${c}'`);
  }
  return out;
}

type Node =
  | { type: "literal"; value: unknown }
  | { type: "call"; name: string; args: Node[] }
  | { type: "member"; target: Node; name: string }
  | { type: "index"; target: Node; index: Node };

function parse(tokens: Token[]): Node {
  let at = 0;
  const peek = () => tokens[at];
  const take = (text?: string): Token => {
    const t = tokens[at++];
    if (t === undefined || (text !== undefined && t.text !== text)) throw new Error(`expected ${text ?? "a token"}`);
    return t;
  };
  const primary = (): Node => {
    const t = take();
    if (t.kind === "string") return { type: "literal", value: t.text };
    if (t.kind === "number") return { type: "literal", value: Number(t.text) };
    if (t.kind !== "ident") throw new Error(`unexpected '${t.text}'`);
    take("(");
    const args: Node[] = [];
    if (peek()?.text !== ")") {
      args.push(expression());
      while (peek()?.text === ",") {
        take(",");
        args.push(expression());
      }
    }
    take(")");
    return { type: "call", name: t.text.toLowerCase(), args };
  };
  const expression = (): Node => {
    let node = primary();
    for (;;) {
      if (peek()?.text === ".") {
        take(".");
        node = { type: "member", target: node, name: take().text };
      } else if (peek()?.text === "[") {
        take("[");
        node = { type: "index", target: node, index: expression() };
        take("]");
      } else return node;
    }
  };
  const node = expression();
  if (at !== tokens.length) throw new Error("unexpected trailing text");
  return node;
}

/** True when `value` is an ARM expression string. */
export function isExpression(value: string): boolean {
  return value.length >= 2 && value.startsWith("[") && value.endsWith("]") && !value.startsWith("[[");
}

/** The canonical id stand-in of the principal a role assignment names, if it is one. */
function text(value: unknown): string {
  if (value instanceof Principal) return value.toString();
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function resourceIdOf(args: unknown[], subscriptionLevel: boolean): string {
  const strings = args.map(text);
  const typeAt = strings.findIndex((s) => s.includes("/"));
  if (typeAt < 0) throw new Error("resourceId needs a resource type");
  const before = strings.slice(0, typeAt);
  const [namespace, ...types] = (strings[typeAt] as string).split("/");
  const names = strings.slice(typeAt + 1);
  const sub = before.length >= 2 ? before[0] : before.length === 1 && subscriptionLevel ? before[0] : placeholderScope.subscriptionId;
  const group = before.length >= 2 ? before[1] : before.length === 1 && !subscriptionLevel ? before[0] : placeholderScope.resourceGroup;
  const pairs = types.map((t, i) => `${t}/${names[i] ?? ""}`).join("/");
  return subscriptionLevel ? `/subscriptions/${sub}/providers/${namespace}/${pairs}` : `/subscriptions/${sub}/resourceGroups/${group}/providers/${namespace}/${pairs}`;
}

const hash = (s: string) => {
  let h = 5381;
  for (let i = 0; i < s.length; i++) h = ((h * 33) ^ s.charCodeAt(i)) >>> 0;
  return h.toString(36);
};

/** Evaluates one parsed node; throws on anything it does not know. */
function evaluate(node: Node, scope: Scope): unknown {
  if (node.type === "literal") return node.value;
  if (node.type === "member") {
    const target = evaluate(node.target, scope);
    if (target instanceof Unknown) return target;
    if (typeof target !== "object" || target === null || !Object.prototype.hasOwnProperty.call(target, node.name)) throw new Error(`no property '${node.name}'`);
    return (target as Record<string, unknown>)[node.name];
  }
  if (node.type === "index") {
    const target = evaluate(node.target, scope);
    const index = evaluate(node.index, scope);
    if (target instanceof Unknown) return target;
    if (index instanceof Unknown) return index;
    const value = (target as Record<string, unknown>)[String(index)];
    if (value === undefined) throw new Error("index out of range");
    return value;
  }
  const args = node.args.map((a) => evaluate(a, scope));
  const unknown = args.find((a): a is Unknown => a instanceof Unknown);
  if (unknown !== undefined && node.name !== "if") return unknown;
  switch (node.name) {
    case "parameters":
      return scope.parameter(text(args[0]));
    case "variables":
      return scope.variable(text(args[0]));
    case "concat":
      return args.every(Array.isArray) ? (args as unknown[][]).flat() : args.map(text).join("");
    case "format":
      return text(args[0]).replace(/\{(\d+)(:[^}]*)?\}/g, (_m, i: string) => text(args[Number(i) + 1]));
    case "tolower":
      return text(args[0]).toLowerCase();
    case "toupper":
      return text(args[0]).toUpperCase();
    case "string":
      return text(args[0]);
    case "equals":
      return text(args[0]) === text(args[1]);
    case "if":
      if (args[0] instanceof Unknown) return args[0];
      return args[0] === true ? args[1] : args[2];
    case "guid":
      return `guid-${hash(args.map(text).join("|"))}`;
    case "uniquestring":
      return `u${hash(args.map(text).join("|"))}`;
    case "resourceid":
      return resourceIdOf(args, false);
    case "subscriptionresourceid":
      return resourceIdOf(args, true);
    case "extensionresourceid": {
      const [scopeId, ...rest] = args;
      return `${text(scopeId)}${resourceIdOf([placeholderScope.subscriptionId, "x", ...rest], false).replace(/^\/subscriptions\/[^/]+\/resourceGroups\/x/, "")}`;
    }
    case "resourcegroup":
      return { id: `/subscriptions/${placeholderScope.subscriptionId}/resourceGroups/${placeholderScope.resourceGroup}`, name: placeholderScope.resourceGroup, location: placeholderScope.location };
    case "subscription":
      return { id: `/subscriptions/${placeholderScope.subscriptionId}`, subscriptionId: placeholderScope.subscriptionId };
    case "reference": {
      const target = text(args[0]);
      const id = scope.symbol(target) ?? target;
      if (!/\/providers\/microsoft\.managedidentity\/userassignedidentities\//i.test(id)) throw new Error("reference to a resource whose properties are not known offline");
      return { principalId: new Principal(id.toLowerCase()) };
    }
    default:
      throw new Error(`function '${node.name}' is not evaluated offline`);
  }
}

/**
 * Evaluates a template string: an expression's value, the string itself when it is not one
 * (`[[` escapes a literal `[`), or {@link Unknown} naming the expression.
 *
 * @example
 * ```ts
 * evaluateString("[toLower(parameters('name'))]", scope); // "render"
 * ```
 */
export function evaluateString(value: string, scope: Scope): unknown {
  if (!isExpression(value)) return value.startsWith("[[") ? value.slice(1) : value;
  try {
    return evaluate(parse(tokenize(value.slice(1, -1))), scope);
  } catch {
    return new Unknown(value);
  }
}
