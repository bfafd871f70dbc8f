// The one asynchronous step: reads the `.tf` text the shell collected into plain data the synchronous
// recovery uses. Block positions come from our own scan (cheap, always). hcl2json — a Go WebAssembly
// module that takes most of a second to start and milliseconds per expression — is loaded only when
// the plan has a policy it knows only after apply, and asked only for the blocks those policies need:
// the resource itself, then what its expressions name (locals, variables and the module arguments
// behind them, module outputs, other policy documents), transitively.

import type { SourceLocation } from '../finding';
import { configAddress, isObject, isUnknown, type Model, type ModelValue, type Resource } from '../model';
import { DOCUMENT_ATTRIBUTES, POLICY_ATTRIBUTES, POLICY_DOCUMENT } from './attributes';
import { joinDir, pathKey, sourceDirectories } from './directories';
import { firstBody, readBody, traversals } from './hcl/body';
import { ExpressionReader, type Hcl2Json } from './hcl/convert';
import { scanBlocks, type ScannedBlock } from './hcl/scan';
import type { Body, Expr, PreparedSources, SourceModule, SourceProblem } from './types';

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

/** A CommonJS module: its functions are named exports, or only on `default` where Node's detection misses them. */
const defaultParser = async (): Promise<Hcl2Json> => {
  const module = (await import('@cdktf/hcl2json')) as unknown as Partial<Hcl2Json> & { default?: Hcl2Json };
  return typeof module.parse === 'function' && typeof module.getExpressionAst === 'function' ? (module as Hcl2Json) : module.default!;
};

const dirname = (path: string): string => {
  const cut = path.lastIndexOf('/');
  return cut === -1 ? '.' : path.slice(0, cut);
};

const location = (l: Located): SourceLocation => ({ path: l.file, line: l.block.line });

const holdsUnknown = (value: ModelValue | undefined): boolean =>
  isUnknown(value) ||
  (Array.isArray(value) ? value.some(holdsUnknown) : isObject(value) ? Object.values(value as Record<string, ModelValue>).some(holdsUnknown) : false);

/** Does the plan hold a policy the recovery may need the source for? */
function needsSource(resource: Resource): boolean {
  if (resource.deposed) return false;
  if (resource.type === POLICY_DOCUMENT && resource.mode === 'data') {
    return Object.keys(DOCUMENT_ATTRIBUTES).some((a) => isUnknown(resource.values[a]));
  }
  const attributes = POLICY_ATTRIBUTES[resource.type];
  if (!attributes || resource.mode !== 'managed') return false;
  return Object.keys(attributes).some((a) => {
    const head = a.split('.')[0]!;
    // Unset, the attribute is AWS's default, not a policy to rebuild.
    if (resource.config && !(head in resource.config.expressions)) return false;
    return holdsUnknown(resource.values[head]);
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
    if (!picked) return undefined;
    try {
      return await readBody(this.reader(located.file), picked, located.block);
    } catch (error) {
      // Only a stack overflow on absurdly nested text lands here; the block is skipped, not the run.
      if (!(error instanceof RangeError)) throw error;
      this.problems.push({ path: located.file, line: located.block.line, message: 'the block nests too deep to read' });
      return undefined;
    }
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
        const child = this.drafts.get(pathKey([...path, name]));
        // `module.m` as a whole (iterated, say) needs every output.
        for (const each of output ? [output] : [...(child?.outputs.keys() ?? [])]) {
          this.enqueue({ kind: 'output', path: [...path, name], name: each });
        }
      } else if (root === 'data' && name === POLICY_DOCUMENT) {
        const target = steps[1] && 'name' in steps[1] ? steps[1].name : undefined;
        if (target) this.enqueue({ kind: 'block', path, name: configAddress('data', POLICY_DOCUMENT, target) });
      } else if (root === 'each' && path.length > 0) {
        this.enqueue({ kind: 'call', path: path.slice(0, -1), name: path[path.length - 1]! });
      }
    }
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
  const seeds = model.resources
    .filter(needsSource)
    .map((r) => ({ path: r.modulePath, name: configAddress(r.mode, r.type, r.name) }))
    .filter((seed) => drafts.get(pathKey(seed.path))?.blocks.has(seed.name));
  let expressions = 0;
  let parser = false;
  if (seeds.length > 0) {
    const reader = new Reader(await (options.parser ?? defaultParser)(), drafts);
    parser = true;
    for (const seed of seeds) reader.enqueue({ kind: 'block', ...seed });
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
