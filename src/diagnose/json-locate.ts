/**
 * Finds where values sit in JSON text, for SARIF's line and column: one pass over the text that
 * descends only into the containers on the requested paths and skips everything else, so many
 * findings in a 75 MB file cost one scan, not one each. Paths are the findings' own syntax:
 * `pools[0].properties.startTask`, `identity.userAssignedIdentities["/subscriptions/..."]`.
 */

/** A 1-based line and column (UTF-16 code units). */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

type Segment = string | number;

const segmentPattern = /\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\.?([^.[\]]+)/g;

/** The segments of a finding path (`a.b[2]["k"]` → `a`, `b`, 2, `k`). */
export function pathSegments(path: string): Segment[] {
  const out: Segment[] = [];
  segmentPattern.lastIndex = 0;
  for (let m = segmentPattern.exec(path); m !== null; m = segmentPattern.exec(path)) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(`"${m[2]}"`) as string);
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

interface Node {
  readonly children: Map<Segment, Node>;
  offset: number;
}

const newNode = (): Node => ({ children: new Map(), offset: -1 });

class Scanner {
  i = 0;
  constructor(readonly text: string) {}

  space(): void {
    const t = this.text;
    let i = this.i;
    for (let c = t.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff; c = t.charCodeAt(++i));
    this.i = i;
  }

  /** Skips a string at `i` (an opening quote); returns its raw body. */
  string(): string {
    const t = this.text;
    const start = this.i + 1;
    let i = start;
    let escaped = false;
    for (; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 0x5c) {
        escaped = true;
        i++;
      } else if (c === 0x22) break;
    }
    this.i = i + 1;
    const raw = t.slice(start, i);
    return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  /** Skips any value. */
  skip(): void {
    const t = this.text;
    this.space();
    const c = t[this.i];
    if (c === '"') {
      this.string();
      return;
    }
    if (c !== "{" && c !== "[") {
      while (this.i < t.length && !",}] \n\r\t".includes(t[this.i] as string)) this.i++;
      return;
    }
    let depth = 0;
    for (let i = this.i; i < t.length; i++) {
      const ch = t.charCodeAt(i);
      if (ch === 0x22) {
        this.i = i;
        this.string();
        i = this.i - 1;
      } else if (ch === 0x7b || ch === 0x5b) depth++;
      else if (ch === 0x7d || ch === 0x5d) {
        depth--;
        if (depth === 0) {
          this.i = i + 1;
          return;
        }
      }
    }
    this.i = t.length;
  }

  /** Reads the value at `i` for `node`: records its offset and descends into requested children. */
  visit(node: Node): void {
    this.space();
    node.offset = this.i;
    if (node.children.size === 0) return this.skip();
    const t = this.text;
    const open = t[this.i];
    if (open !== "{" && open !== "[") return this.skip();
    // Objects and arrays walk alike: a member is found by its key, an element by its index.
    this.i++;
    for (let index = 0; ; index++) {
      this.space();
      let key: string | number = index;
      if (open === "{") {
        if (t[this.i] !== '"') break;
        key = this.string();
        this.space();
        this.i++; // ':'
      } else if (t[this.i] === "]") break;
      const child = node.children.get(key);
      if (child === undefined) this.skip();
      else this.visit(child);
      this.space();
      if (t[this.i] !== ",") break;
      this.i++;
    }
    this.i++;
  }
}

/**
 * Positions of `paths` in `text`: each path's value, or its deepest ancestor found (the document
 * itself at worst).
 *
 * @example
 * ```ts
 * locateAll('{\n  "pools": [ { "name": "a" } ]\n}', ["pools[0].name"]).get("pools[0].name"); // { line: 2, column: 26 }
 * ```
 */
export function locateAll(text: string, paths: Iterable<string>): Map<string, TextPosition> {
  const root = newNode();
  const wanted: [string, Segment[]][] = [];
  for (const path of paths) {
    const segments = pathSegments(path);
    wanted.push([path, segments]);
    let node = root;
    for (const s of segments) {
      let next = node.children.get(s);
      if (next === undefined) node.children.set(s, (next = newNode()));
      node = next;
    }
  }
  new Scanner(text).visit(root);
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const position = (offset: number): TextPosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] as number) + 1 };
  };
  const out = new Map<string, TextPosition>();
  for (const [path, segments] of wanted) {
    let node = root;
    let offset = Math.max(root.offset, 0);
    for (const s of segments) {
      const next = node.children.get(s);
      if (next === undefined || next.offset < 0) break;
      node = next;
      offset = next.offset;
    }
    out.set(path, position(offset));
  }
  return out;
}
