import type { SourceLocation } from '../finding';
import type { Json } from '../plan/types';

/** What a symbolic value stands for: the IAM stage reads principals and accounts from it. */
export const SYMBOL_TYPES = [
  'role',
  'user',
  'group',
  'federated',
  'account',
  'organization',
  'organization-root',
  'organizational-unit',
  'policy',
  'key',
  'key-id',
  'alias',
  'endpoint',
  'vpc',
  'value',
] as const;
export type SymbolType = (typeof SYMBOL_TYPES)[number];

export interface SymbolInfo {
  type: SymbolType;
  /** The 12-digit account the named resource lives in, when it can be told. */
  account?: string;
  /** The resource instance the value comes from (full address), e.g. the endpoint a `aws:SourceVpce` names. */
  address?: string;
}

export type SymbolTable = Readonly<Record<string, SymbolInfo>>;

/** Where the rebuilt text came from: the plan's own values, its `configuration` view, or the HCL source. */
export type DocumentOrigin = 'plan' | 'configuration' | 'source';

export interface RecoveredDocument {
  /** The attribute's value as the plan would show it once known, with `${tf:…}` for values known after apply. */
  text: string;
  /** `JSON.parse(text)`, or undefined when the text is not JSON (a broken heredoc, say). */
  value: unknown;
  /** One entry per symbolic value in `text`, keyed by its reference. */
  symbols: SymbolTable;
  origin: DocumentOrigin;
}

/** A step of a traversal in a source expression: an attribute name or an index key. */
export type TraversalStep = { name: string } | { key: string | number };

/** A Terraform expression from the HCL source, as plain data (built once, evaluated synchronously). */
export type Expr =
  | { kind: 'literal'; value: Json }
  | { kind: 'template'; parts: readonly Expr[] }
  | { kind: 'wrap'; inner: Expr }
  | { kind: 'traversal'; root: string; steps: readonly TraversalStep[] }
  | { kind: 'relative'; source: Expr; steps: readonly TraversalStep[] }
  | { kind: 'index'; collection: Expr; key: Expr }
  | { kind: 'splat'; source: Expr; steps: readonly TraversalStep[] }
  | { kind: 'tuple'; items: readonly Expr[] }
  | { kind: 'object'; items: readonly { key: Expr; value: Expr }[] }
  | { kind: 'call'; name: string; args: readonly Expr[]; expand: boolean }
  | { kind: 'conditional'; condition: Expr; then: Expr; else: Expr }
  | {
      kind: 'for';
      keyVar?: string;
      valueVar: string;
      collection: Expr;
      key?: Expr;
      value: Expr;
      condition?: Expr;
      object: boolean;
      group: boolean;
    }
  | { kind: 'binary'; operator: string; left: Expr; right: Expr }
  | { kind: 'unary'; operator: string; operand: Expr }
  | { kind: 'unsupported'; text: string; reason: string };

/** A block body from the source: arguments, nested blocks and `dynamic` blocks in source order. */
export interface Body {
  attributes: Readonly<Record<string, Expr>>;
  /** Nested blocks and dynamic blocks, in the order they are written. */
  blocks: readonly NestedBlock[];
}

export type NestedBlock =
  | { kind: 'static'; type: string; body: Body }
  | { kind: 'dynamic'; type: string; forEach: Expr; iterator: string; content: Body };

export interface SourceBlock {
  location: SourceLocation;
  /** Present when the block's expressions were needed and parsed. */
  body?: Body;
}

/** One module of the configuration tree (by call path) as read from its folder. */
export interface SourceModule {
  /** Call names from the root down; [] for the root module. */
  path: readonly string[];
  /** Folder relative to the working directory (POSIX); null for a remote module (not on disk). */
  dir: string | null;
  /** The `module` block that calls it, in its parent's folder. */
  callSite?: SourceLocation;
  /** `resource`/`data` blocks by module-relative address (`aws_kms_key.k`, `data.x.y`). */
  blocks: Readonly<Record<string, SourceBlock>>;
  /** `module` blocks by call name. */
  calls: Readonly<Record<string, SourceBlock>>;
  variables: Readonly<Record<string, SourceBlock>>;
  outputs: Readonly<Record<string, SourceBlock>>;
  /** Every local value of the module, when one was needed. */
  locals?: Readonly<Record<string, Expr>>;
}

export interface SourceProblem {
  path: string;
  line?: number;
  message: string;
}

/** What `prepareSources` hands to `recover`: plain data, no promises, no file access. */
export interface PreparedSources {
  /** The folder of the root module, relative to the working directory (POSIX). */
  rootDir: string;
  modules: readonly SourceModule[];
  /** Account ids the source's `provider "aws"` blocks pin (allowed_account_ids, assume_role ARNs). */
  providerAccounts: readonly string[];
  problems: readonly SourceProblem[];
  /** What the preparation cost (for `--verbose` and the bench): files, expressions parsed, WebAssembly used. */
  stats: { files: number; blocks: number; expressions: number; parser: boolean };
}
