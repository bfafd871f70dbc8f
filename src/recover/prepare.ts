// The one asynchronous step: reads the `.tf` text the shell collected into plain data the synchronous
// recovery uses. Block positions come from our own scan (cheap, always). hcl2json — a Go WebAssembly
// module that takes most of a second to start and milliseconds per expression — is loaded only when
// the plan has a policy it knows only after apply, and asked only for the blocks those policies need:
// the resource itself, then what its expressions name (locals, variables and the module arguments
// behind them, module outputs, other policy documents), transitively.

import type { SourceLocation } from '../finding';
import { configAddress, isUnknown, type Model, type Resource } from '../model';
import { DOCUMENT_ATTRIBUTES, POLICY_ATTRIBUTES, POLICY_DOCUMENT } from './attributes';
import { joinDir, pathKey, sourceDirectories } from './directories';
import { ExpressionReader, type Hcl2Json } from './hcl/convert';
import { scanBlocks, type ScannedBlock } from './hcl/scan';
import type { Body, Expr, NestedBlock, PreparedSources, SourceModule, SourceProblem, TraversalStep } from './types';

export interface SourceFile {
  /** Relative to the working directory, POSIX separators. */
  path: string;
  text: string;
}

export interface PrepareOptions {
  /** The root module's folder, relative to the working directory (POSIX). */
  rootDir: string;
  /** Loads hcl2json; tests may pass a stand-in. Default: `import('@cdktf/hcl2json')`. */
  parser?: () => Promise<Hcl2Json>;
}

interface Located {
  file: string;
  text: string;
  block: ScannedBlock;
}

interface Draft {
  path: readonly string[];
  dir: string | null;
  blocks: Map<string, Located>;
  calls: Map<string, Located>;
  variables: Map<string, Located>;
  outputs: Map<string, Located>;
  locals: Located[];
  providers: Located[];
  bodies: Map<string, Body>;
  localExprs?: Record<string, Expr>;
}

const defaultParser = async (): Promise<Hcl2Json> => (await import('@cdktf/hcl2json')) as unknown as Hcl2Json;

const dirname = (path: string): string => {
  const cut = path.lastIndexOf('/');
  return cut === -1 ? '.' : path.slice(0, cut);
};

const location = (l: Located): SourceLocation => ({ path: l.file, line: l.block.line });

/** Does the plan hold a policy the recovery may need the source for? */
function needsSource(resource: Resource): boolean {
  if (resource.deposed) return false;
  if (resource.type === POLICY_DOCUMENT && resource.mode === 'data') {
    return Object.keys(DOCUMENT_ATTRIBUTES).some((a) => isUnknown(resource.values[a]));
  }
  const attributes = POLICY_ATTRIBUTES[resource.type];
  if (!attributes || resource.mode !== 'managed') return false;
  return Object.keys(attributes).some((a) => {
    const [head] = a.split('.');
    const value = resource.values[head!];
    return isUnknown(value) || (Array.isArray(value) && JSON.stringify(value) !== JSON.stringify(value.filter((v) => !isUnknown(v))));
  });
}

function index(drafts: Map<string, Draft>, files: readonly { path: string; text: string }[], problems: SourceProblem[]): number {
  const byDir = new Map<string, Draft[]>();
  for (const draft of drafts.values()) {
    if (draft.dir === null) continue;
    const list = byDir.get(draft.dir);
    if (list) list.push(draft);
    else byDir.set(draft.dir, [draft]);
  }
  let count = 0;
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const owners = byDir.get(joinDir(dirname(file.path), '.'));
    if (!owners) continue;
    const scanned = scanBlocks(file.text);
    if (scanned.problem) problems.push({ path: file.path, line: scanned.problem.line, message: scanned.problem.message });
    for (const block of scanned.blocks) {
      count += 1;
      const located: Located = { file: file.path, text: file.text, block };
      const [first, second] = block.labels;
      for (const draft of owners) {
        if ((block.type === 'resource' || block.type === 'data') && first && second) {
          const key = configAddress(block.type === 'data' ? 'data' : 'managed', first, second);
          if (!draft.blocks.has(key)) draft.blocks.set(key, located);
        } else if (block.type === 'module' && first) draft.calls.set(first, located);
        else if (block.type === 'variable' && first) draft.variables.set(first, located);
        else if (block.type === 'output' && first) draft.outputs.set(first, located);
        else if (block.type === 'locals') draft.locals.push(located);
        else if (block.type === 'provider' && first === 'aws') draft.providers.push(located);
      }
    }
  }
  return count;
}

/** Account ids pinned by `allowed_account_ids` or an `assume_role` ARN in the root module's providers. */
function providerAccounts(root: Draft | undefined): string[] {
  const found = new Set<string>();
  for (const provider of root?.providers ?? []) {
    const text = provider.text.slice(provider.block.start, provider.block.end);
    const allowed = /allowed_account_ids\s*=\s*\[([^\]]*)\]/.exec(text)?.[1] ?? '';
    for (const id of allowed.match(/[0-9]{12}/g) ?? []) found.add(id);
    for (const match of text.matchAll(/role_arn\s*=\s*"arn:[^:"]+:iam::([0-9]{12}):role\//g)) found.add(match[1]!);
  }
  return [...found].sort();
}

type Task = { kind: 'block' | 'call' | 'variable' | 'output'; path: readonly string[]; name: string } | { kind: 'locals'; path: readonly string[] };

class Reader {
  readonly problems: SourceProblem[] = [];
  private readonly readers = new Map<string, ExpressionReader>();
  private readonly queue: Task[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly parser: Hcl2Json,
    private readonly drafts: Map<string, Draft>,
  ) {}

  get expressions(): number {
    return [...this.readers.values()].reduce((n, r) => n + r.parsed, 0);
  }

  enqueue(task: Task): void {
    const key = JSON.stringify(task);
    if (this.seen.has(key) || !this.drafts.has(pathKey(task.path))) return;
    this.seen.add(key);
    this.queue.push(task);
  }

  async run(): Promise<void> {
    for (let task = this.queue.shift(); task; task = this.queue.shift()) await this.read(task);
  }

  private reader(file: string): ExpressionReader {
    let reader = this.readers.get(file);
    if (!reader) {
      reader = new ExpressionReader(this.parser, file);
      this.readers.set(file, reader);
    }
    return reader;
  }

  private async read(task: Task): Promise<void> {
    const draft = this.drafts.get(pathKey(task.path))!;
    if (task.kind === 'locals') {
      const exprs: Record<string, Expr> = {};
      for (const located of draft.locals) {
        const body = await this.body(located, (json) => firstBody(json['locals']));
        Object.assign(exprs, body?.attributes ?? {});
      }
      draft.localExprs = exprs;
      for (const expr of Object.values(exprs)) this.follow(expr, task.path);
      return;
    }
    const located = { block: draft.blocks, call: draft.calls, variable: draft.variables, output: draft.outputs }[task.kind].get(task.name);
    if (!located) return;
    const [first, second] = located.block.labels;
    const body = await this.body(located, (json) => {
      const top = json[located.block.type] as Record<string, unknown> | undefined;
      return firstBody(second === undefined ? top?.[first ?? ''] : (top?.[first ?? ''] as Record<string, unknown> | undefined)?.[second]);
    });
    if (!body) return;
    draft.bodies.set(`${task.kind}:${task.name}`, body);
    // A module call's arguments are written in the calling module.
    this.followBody(body, task.path);
  }

  private async body(located: Located, pick: (json: Record<string, unknown>) => Record<string, unknown> | undefined): Promise<Body | undefined> {
    const text = located.text.slice(located.block.start, located.block.end);
    let json: Record<string, unknown>;
    try {
      json = await this.parser.parse(located.file, text);
    } catch (error) {
      this.problems.push({ path: located.file, line: located.block.line, message: `cannot parse the block: ${String((error as Error).message ?? error).split('\n')[0]}` });
      return undefined;
    }
    const picked = pick(json);
    return picked ? readBody(this.reader(located.file), picked, located.block) : undefined;
  }

  private followBody(body: Body, path: readonly string[]): void {
    for (const expr of Object.values(body.attributes)) this.follow(expr, path);
    for (const block of body.blocks) {
      if (block.kind === 'dynamic') {
        this.follow(block.forEach, path);
        this.followBody(block.content, path);
      } else this.followBody(block.body, path);
    }
  }

  /** Queues the blocks an expression's references lead to. */
  private follow(expr: Expr, path: readonly string[]): void {
    for (const { root, steps } of traversals(expr)) {
      const name = steps[0] && 'name' in steps[0] ? steps[0].name : undefined;
      if (root === 'local') this.enqueue({ kind: 'locals', path });
      else if (root === 'var' && name) {
        this.enqueue({ kind: 'variable', path, name });
        if (path.length > 0) this.enqueue({ kind: 'call', path: path.slice(0, -1), name: path[path.length - 1]! });
      } else if (root === 'module' && name) {
        this.enqueue({ kind: 'call', path, name });
        const rest = steps.slice(1).filter((s) => 'name' in s);
        const output = rest[0] && 'name' in rest[0] ? rest[0].name : undefined;
        if (output) this.enqueue({ kind: 'output', path: [...path, name], name: output });
      } else if (root === 'data' && name === POLICY_DOCUMENT) {
        const target = steps[1] && 'name' in steps[1] ? steps[1].name : undefined;
        if (target) this.enqueue({ kind: 'block', path, name: configAddress('data', POLICY_DOCUMENT, target) });
      } else if (root === 'each' && path.length > 0) {
        this.enqueue({ kind: 'call', path: path.slice(0, -1), name: path[path.length - 1]! });
      }
    }
  }
}

function firstBody(value: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(value) ? value[0] : undefined;
  return typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : undefined;
}

/** hcl2json's JSON of a block body, with the nested blocks in the order our scan found them. */
async function readBody(reader: ExpressionReader, json: Record<string, unknown>, scanned: ScannedBlock): Promise<Body> {
  const nestedTypes = new Set(scanned.children.map((c) => c.type));
  const attributes: Record<string, Expr> = {};
  for (const [key, value] of Object.entries(json)) {
    if (!nestedTypes.has(key)) attributes[key] = await reader.value(value);
  }
  const used = new Map<string, number>();
  const take = (list: unknown, key: string): Record<string, unknown> | undefined => {
    const i = used.get(key) ?? 0;
    used.set(key, i + 1);
    const item = Array.isArray(list) ? list[i] : undefined;
    return typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : undefined;
  };
  const blocks: NestedBlock[] = [];
  for (const child of scanned.children) {
    if (child.type === 'dynamic') {
      const label = child.labels[0] ?? '';
      const dynamic = (json['dynamic'] as Record<string, unknown> | undefined)?.[label];
      const entry = take(dynamic, `dynamic:${label}`);
      const contentScan = child.children.find((c) => c.type === 'content');
      const content = firstBody(entry?.['content']);
      if (!entry || !content || !contentScan) continue;
      const iterator = await reader.value(entry['iterator'] ?? label);
      blocks.push({
        kind: 'dynamic',
        type: label,
        forEach: await reader.value(entry['for_each'] ?? null),
        iterator: iterator.kind === 'literal' && typeof iterator.value === 'string' ? iterator.value : iterator.kind === 'wrap' && iterator.inner.kind === 'traversal' ? iterator.inner.root : label,
        content: await readBody(reader, content, contentScan),
      });
    } else {
      const entry = take(json[child.type], child.type);
      if (entry) blocks.push({ kind: 'static', type: child.type, body: await readBody(reader, entry, child) });
    }
  }
  return { attributes, blocks };
}

function* traversals(expr: Expr): Generator<{ root: string; steps: readonly TraversalStep[] }> {
  switch (expr.kind) {
    case 'traversal':
      yield { root: expr.root, steps: expr.steps };
      return;
    case 'template':
      for (const p of expr.parts) yield* traversals(p);
      return;
    case 'wrap':
      yield* traversals(expr.inner);
      return;
    case 'relative':
    case 'splat':
      yield* traversals(expr.source);
      return;
    case 'index':
      yield* traversals(expr.collection);
      yield* traversals(expr.key);
      return;
    case 'tuple':
      for (const i of expr.items) yield* traversals(i);
      return;
    case 'object':
      for (const { key, value } of expr.items) {
        yield* traversals(key);
        yield* traversals(value);
      }
      return;
    case 'call':
      for (const a of expr.args) yield* traversals(a);
      return;
    case 'conditional':
      yield* traversals(expr.condition);
      yield* traversals(expr.then);
      yield* traversals(expr.else);
      return;
    case 'for':
      for (const part of [expr.collection, expr.key, expr.value, expr.condition]) if (part) yield* traversals(part);
      return;
    case 'binary':
      yield* traversals(expr.left);
      yield* traversals(expr.right);
      return;
    case 'unary':
      yield* traversals(expr.operand);
      return;
    case 'literal':
    case 'unsupported':
      return;
  }
}

/** Reads the Terraform source for one plan. `files` are the `*.tf` files of the module folders. */
export async function prepareSources(model: Model, files: readonly SourceFile[], options: PrepareOptions): Promise<PreparedSources> {
  const drafts = new Map<string, Draft>();
  for (const { path, dir } of sourceDirectories(model.configuration, options.rootDir)) {
    drafts.set(pathKey(path), {
      path,
      dir,
      blocks: new Map(),
      calls: new Map(),
      variables: new Map(),
      outputs: new Map(),
      locals: [],
      providers: [],
      bodies: new Map(),
    });
  }
  const problems: SourceProblem[] = [];
  const blocks = index(drafts, files, problems);
  const seeds = model.resources.filter(needsSource);
  let expressions = 0;
  let parser = false;
  if (seeds.length > 0 && blocks > 0) {
    const reader = new Reader(await (options.parser ?? defaultParser)(), drafts);
    parser = true;
    for (const resource of seeds) {
      reader.enqueue({ kind: 'block', path: resource.modulePath, name: configAddress(resource.mode, resource.type, resource.name) });
    }
    await reader.run();
    problems.push(...reader.problems);
    expressions = reader.expressions;
  }
  const modules: SourceModule[] = [...drafts.values()].map((draft) => toModule(draft, drafts));
  return {
    rootDir: drafts.get(pathKey([]))?.dir ?? options.rootDir,
    modules,
    providerAccounts: providerAccounts(drafts.get(pathKey([]))),
    problems: problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0))),
    stats: { files: files.length, blocks, expressions, parser },
  };
}

function toModule(draft: Draft, drafts: ReadonlyMap<string, Draft>): SourceModule {
  const entries = (map: Map<string, Located>, kind: string) =>
    Object.fromEntries(
      [...map].map(([name, located]) => {
        const body = draft.bodies.get(`${kind}:${name}`);
        return [name, { location: location(located), ...(body ? { body } : {}) }];
      }),
    );
  const parent = draft.path.length > 0 ? drafts.get(pathKey(draft.path.slice(0, -1))) : undefined;
  const call = parent?.calls.get(draft.path[draft.path.length - 1] ?? '');
  const calls = Object.fromEntries(
    [...draft.calls].map(([name, located]) => {
      const body = draft.bodies.get(`call:${name}`);
      return [name, { location: location(located), ...(body ? { body } : {}) }];
    }),
  );
  return {
    path: draft.path,
    dir: draft.dir,
    ...(call ? { callSite: location(call) } : {}),
    blocks: entries(draft.blocks, 'block'),
    calls,
    variables: entries(draft.variables, 'variable'),
    outputs: entries(draft.outputs, 'output'),
    ...(draft.localExprs ? { locals: draft.localExprs } : {}),
  };
}
