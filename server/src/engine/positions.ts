// Where each value of a fast-parsed document is, without a `yaml` Document.
// blockLoad.ts builds it itself for the documents it reads; for those read by
// js-yaml it is built here from js-yaml's parse events (its `listener` option)
// while the values are read, so findings can be located (engine `locate`) in documents whose
// Document was never built. Offsets are chunk-relative, like `yaml` node ranges,
// and follow the same conventions: a block collection ends where its last value
// ends, a flow collection after its closing bracket, an empty value is a
// zero-width range after the colon and any spaces. Shapes the events do not
// describe one-to-one (a flow map key without a value, an empty sequence entry)
// give no index: callers then use the Document.

export interface PosNode {
  kind: 'scalar' | 'null' | 'map' | 'seq';
  start: number;
  end: number;
  /** scalars: the value (keys are matched against it, as `yaml` matches key scalars) */
  value?: unknown;
  pairs?: { key: PosNode; value: PosNode }[];
  items?: PosNode[];
}

interface Frame {
  open: number;
  children: PosNode[];
}

/** Collects js-yaml listener events into the root PosNode of each document. */
export class PositionRecorder {
  readonly roots: (PosNode | undefined)[] = [];
  private stack: Frame[] = [];
  private broken = false;

  /** js-yaml drops a leading byte order mark before it counts offsets */
  private readonly shift: number;

  constructor(private readonly text: string) {
    this.shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** js-yaml's `listener` */
  readonly listener = (event: 'open' | 'close', state: { position: number; kind: string | null; result: unknown }): void => {
    if (event === 'open') {
      this.stack.push({ open: state.position + this.shift, children: [] });
      return;
    }
    const frame = this.stack.pop();
    if (!frame) return;
    let node: PosNode | undefined;
    if (!this.broken) {
      node = this.build(frame, state.kind, state.result, state.position + this.shift);
      if (!node) this.broken = true;
    }
    const parent = this.stack[this.stack.length - 1];
    if (parent) {
      if (node) parent.children.push(node);
    } else {
      this.roots.push(this.broken ? undefined : node);
      this.broken = false;
    }
  };

  private build(frame: Frame, kind: string | null, result: unknown, close: number): PosNode | undefined {
    const { children } = frame;
    // js-yaml nests two compose calls for some nodes (block sequence entries, a document's root): one node
    if (children.length === 1 && sameNode(children[0], kind, result)) return children[0];
    const start = skipSeparation(this.text, frame.open);
    switch (kind) {
      case 'scalar':
        if (children.length) return undefined;
        return { kind: 'scalar', start, end: close, value: result };
      case null: {
        if (children.length) return undefined;
        const at = skipSpaces(this.text, frame.open);
        return { kind: 'null', start: at, end: at };
      }
      case 'mapping': {
        if (children.length % 2 !== 0 || children.length / 2 !== Object.keys(result as object).length) return undefined;
        const pairs: { key: PosNode; value: PosNode }[] = [];
        for (let i = 0; i < children.length; i += 2) {
          if (children[i].kind !== 'scalar') return undefined;
          pairs.push({ key: children[i], value: children[i + 1] });
        }
        const end = this.endOf(start, close, children);
        return end === undefined ? undefined : { kind: 'map', start, end, pairs, value: result };
      }
      case 'sequence':
        if (!Array.isArray(result) || children.length !== result.length) return undefined;
        const end = this.endOf(start, close, children);
        return end === undefined ? undefined : { kind: 'seq', start, end, items: children, value: result };
      default:
        return undefined;
    }
  }

  /**
   * A flow collection ends after its bracket (the close event's position); a
   * block one where its last value ends, with a comment on that line (as in
   * `yaml`). Comment lines after it: no index (undefined), `yaml` decides.
   */
  private endOf(start: number, close: number, children: PosNode[]): number | undefined {
    const c = this.text[start];
    if (c === '{' || c === '[') return close;
    if (!children.length) return close;
    let end = children[children.length - 1].end;
    const trailing = /^[ \t]*#[^\n]*/.exec(this.text.slice(end, this.text.indexOf('\n', end) === -1 ? undefined : this.text.indexOf('\n', end)));
    if (trailing) end += trailing[0].length;
    return this.text.slice(end, close).includes('#') ? undefined : end;
  }
}

function sameNode(node: PosNode, kind: string | null, result: unknown): boolean {
  switch (kind) {
    case 'scalar':
      return node.kind === 'scalar' && Object.is(node.value, result);
    case 'mapping':
      return node.kind === 'map' && node.value === result;
    case 'sequence':
      return node.kind === 'seq' && node.value === result;
    default:
      return node.kind === 'null' && result === null;
  }
}

/** Skips white space, line breaks and comments before a node's first character. */
function skipSeparation(text: string, at: number): number {
  let i = at;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) i++;
    else if (c === 0x23 /* # */) {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? text.length : eol + 1;
    } else return i;
  }
}

function skipSpaces(text: string, at: number): number {
  let i = at;
  while (text.charCodeAt(i) === 0x20) i++;
  return i;
}

/** The node at a path (map keys by value, sequence items by index), as far as it exists. */
export function childAt(node: PosNode, seg: string | number): { pair?: { key: PosNode; value: PosNode }; item?: PosNode } | undefined {
  if (node.kind === 'map') {
    const pair = node.pairs!.find((p) => p.key.value === seg);
    return pair ? { pair } : undefined;
  }
  if (node.kind === 'seq' && typeof seg === 'number' && node.items![seg] !== undefined) return { item: node.items![seg] };
  return undefined;
}
