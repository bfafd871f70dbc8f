// The plan-specific half of the loader: told by the scanner where each value starts and ends, it
// enters only the containers whose position matters (sections, resource arrays, module trees, the
// few keys of each resource that name it) and parses whole only the resources of relevant types the
// model reads, and the small sections. `planned_values` is skipped but for its outputs: the model
// reads planned values from `resource_changes`. A managed resource of `prior_state` that
// `resource_changes` already listed is not parsed (see `PlanDocument.priorState`). Duplicate keys
// behave as in JSON.parse: the last one wins.

import type { Buffer } from 'node:buffer';
import type { DeferredChange, InventoryEntry, InventorySection, Json, ResourceChange, ValuesResource } from './types';
import type { Extracted, JsonKind, Listed, ValuesResult } from './extracted';
import { Interned } from './interned';
import { isRelevantType } from './relevant';
import { KEY, keyId, keyName, type KeyId } from './keys';
import { CAPTURE, ENTER, ENTER_CAPTURE, SKIP, type Action, type ScanListener, type Scanner } from './scanner';
import { shapeError, tooLargeError } from './messages';
import { asDeferredChange, asResourceChange, asValuesResource } from './validate';

const LBRACE = 0x7b;
const LBRACKET = 0x5b;
const QUOTE = 0x22;
const NULL = 0x6e;

/** The keys of a resource (or resource change) the inventory needs, read without parsing it. */
interface Element {
  type?: string;
  address?: string;
  mode?: string;
  actions?: string[];
  /** Where the objects of `change` that come in before/after pairs are (global offsets, end exclusive). */
  halves?: Partial<Record<Half, [number, number]>>;
}

/** The members of `change` that come in pairs, which a change that alters nothing writes twice alike. */
type Half = 'before' | 'after' | 'before_sensitive' | 'after_sensitive';
const HALVES: ReadonlyMap<KeyId, Half> = new Map([
  [KEY.before, 'before'],
  [KEY.after, 'after'],
  [KEY.before_sensitive, 'before_sensitive'],
  [KEY.after_sensitive, 'after_sensitive'],
]);
const PAIRS = [
  ['before', 'after'],
  ['before_sensitive', 'after_sensitive'],
] as const;

/** A step of a JSON path: `.key` or an array index; strings are only built for error messages. */
type Segment = string | number;

type ChangesSection = 'resource_changes' | 'resource_drift';
type ValuesSection = 'planned_values' | 'prior_state' | 'values';
/** The values representations whose module trees are read. */
type TreeSection = 'prior_state' | 'values';

type Frame =
  | { role: 'root'; seg: '' }
  | { role: 'changes'; seg: Segment; section: ChangesSection; count: number; list: Listed<ResourceChange> }
  | { role: 'change-element'; seg: Segment; section: InventorySection; nested: boolean; element: Element }
  | { role: 'change'; seg: Segment; element: Element }
  | { role: 'actions'; seg: Segment; element: Element; count: number }
  | { role: 'deferred'; seg: Segment; count: number; list: Listed<DeferredChange> }
  | { role: 'deferred-element'; seg: Segment; element?: Element }
  | { role: 'prior-state'; seg: Segment; values?: ValuesResult | null }
  | { role: 'values'; seg: Segment; section: ValuesSection; result: ValuesResult }
  | { role: 'module'; seg: Segment; section: TreeSection; root: boolean; address?: string; own?: Listed<ValuesResource> | null; children?: Listed<ValuesResource>[] | null }
  | { role: 'child-modules'; seg: Segment; section: TreeSection; count: number; list: Listed<ValuesResource>[] }
  | { role: 'resources'; seg: Segment; section: TreeSection; root: boolean; count: number; list: Listed<ValuesResource> }
  | { role: 'resource'; seg: Segment; section: TreeSection; root: boolean; element: Element };

/** Top-level keys whose value is parsed whole. */
const ROOT_FIELDS = new Set<KeyId>([
  KEY.format_version,
  KEY.terraform_version,
  KEY.variables,
  KEY.configuration,
  KEY.errored,
  KEY.complete,
  KEY.applyable,
]);

function kindOf(first: number): JsonKind {
  if (first === LBRACE) return 'object';
  if (first === LBRACKET) return 'array';
  if (first === QUOTE) return 'string';
  if (first === NULL) return 'null';
  if (first === 0x74 || first === 0x66) return 'boolean';
  return 'number';
}

function stringToken(buf: Buffer, start: number, end: number, escaped: boolean): string {
  return escaped ? (JSON.parse(buf.toString('utf8', start, end)) as string) : buf.toString('utf8', start + 1, end - 1);
}

export class Extractor implements ScanListener {
  readonly result: Extracted = { keys: new Set(), fields: new Map() };
  private readonly stack: Frame[] = [];
  private key: KeyId = -1;
  private scanner!: Scanner;
  private readonly interned = new Interned();
  /** Addresses of the current objects (relevant types) `resource_changes` and `deferred_changes` listed. */
  private readonly listed = { resource_changes: new Set<string>(), deferred_changes: new Set<string>() };
  /** Whether a `prior_state` resource was left unparsed because that section listed it. */
  private readonly reliedOn = { resource_changes: false, deferred_changes: false };

  constructor(
    private readonly file: string,
    /** The most bytes parsed as one value (the V8 string limit). */
    private readonly limit: number,
  ) {}

  attach(scanner: Scanner): void {
    this.scanner = scanner;
  }

  onKey(buf: Buffer, start: number, end: number, escaped: boolean): void {
    this.key = keyId(buf, start, end, escaped);
  }

  onValue(first: number, _at: number): Action {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) {
      this.result.topLevel = kindOf(first);
      if (first !== LBRACE) return SKIP;
      this.stack.push({ role: 'root', seg: '' });
      return ENTER;
    }
    const key = this.key;
    switch (top.role) {
      case 'root':
        return this.rootValue(key, first);
      case 'changes': {
        const seg = top.count++;
        this.expect(first, 'object', seg);
        this.stack.push({ role: 'change-element', seg, section: top.section, nested: false, element: {} });
        return ENTER_CAPTURE;
      }
      case 'change-element':
        return this.elementValue(top.element, key, first, true);
      case 'change': {
        const half = HALVES.get(key);
        if (half !== undefined) {
          // Objects of a resource that will be parsed are located, so that `before` can share the
          // object of an identical `after` (Terraform writes `type` first; if not, nothing is shared).
          const halves = (top.element.halves ??= {});
          delete halves[half];
          const parsed = top.element.type !== undefined && isRelevantType(top.element.type);
          return first === LBRACE && parsed ? CAPTURE : SKIP;
        }
        if (key !== KEY.actions) return SKIP;
        this.expect(first, 'array', '.actions');
        top.element.actions = [];
        this.stack.push({ role: 'actions', seg: '.actions', element: top.element, count: 0 });
        return ENTER;
      }
      case 'actions':
        this.expect(first, 'string', top.count++);
        return CAPTURE;
      case 'deferred': {
        const seg = top.count++;
        this.expect(first, 'object', seg);
        this.stack.push({ role: 'deferred-element', seg });
        return ENTER_CAPTURE;
      }
      case 'deferred-element': {
        if (key !== KEY.resource_change) return SKIP;
        this.expect(first, 'object', '.resource_change');
        const element: Element = {};
        top.element = element;
        this.stack.push({ role: 'change-element', seg: '.resource_change', section: 'deferred_changes', nested: true, element });
        return ENTER;
      }
      case 'prior-state':
        if (key !== KEY.values) return SKIP;
        if (this.nullable(first, 'object', '.values')) {
          top.values = null;
          return SKIP;
        }
        this.stack.push({ role: 'values', seg: '.values', section: 'prior_state', result: {} });
        return ENTER;
      case 'values':
        if (key === KEY.root_module) {
          if (top.section === 'planned_values') return SKIP;
          if (this.nullable(first, 'object', '.root_module')) {
            top.result.root = null;
            return SKIP;
          }
          this.stack.push({ role: 'module', seg: '.root_module', section: top.section === 'values' ? 'values' : 'prior_state', root: true });
          return ENTER;
        }
        if (key === KEY.outputs && top.section !== 'prior_state') {
          if (this.nullable(first, 'object', '.outputs')) {
            top.result.outputs = null;
            return SKIP;
          }
          return CAPTURE;
        }
        return SKIP;
      case 'module':
        return this.moduleValue(top, key, first);
      case 'child-modules': {
        const seg = top.count++;
        this.expect(first, 'object', seg);
        this.stack.push({ role: 'module', seg, section: top.section, root: false });
        return ENTER;
      }
      case 'resources': {
        const seg = top.count++;
        this.expect(first, 'object', seg);
        this.stack.push({ role: 'resource', seg, section: top.section, root: top.root, element: {} });
        return ENTER_CAPTURE;
      }
      case 'resource':
        return this.elementValue(top.element, key, first, false);
    }
  }

  onScalar(buf: Buffer, start: number, end: number, escaped: boolean): void {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) return;
    if (end - start > this.limit) throw tooLargeError(this.file, this.path(), this.limit);
    switch (top.role) {
      case 'root':
        this.result.fields.set(this.key, JSON.parse(buf.toString('utf8', start, end)) as Json);
        return;
      case 'change-element':
      case 'resource':
        this.elementField(top.element, stringToken(buf, start, end, escaped));
        return;
      case 'actions':
        top.element.actions?.push(stringToken(buf, start, end, escaped));
        return;
      case 'module':
        top.address = stringToken(buf, start, end, escaped);
        return;
      default:
        throw new Error(`extract: unexpected scalar in ${top.role}`);
    }
  }

  onCaptured(start: number, end: number): void {
    const top = this.stack[this.stack.length - 1];
    if (top?.role === 'change') {
      const half = HALVES.get(this.key);
      if (half !== undefined && top.element.halves) top.element.halves[half] = [start, end];
      return;
    }
    const value = this.parse(start, end);
    if (top?.role === 'root') this.result.fields.set(this.key, value);
    else if (top?.role === 'values') top.result.outputs = value;
    else throw new Error(`extract: unexpected capture in ${top?.role ?? 'the top level'}`);
  }

  onClose(start: number, end: number): void {
    const top = this.stack.pop();
    const parent = this.stack[this.stack.length - 1];
    if (top === undefined) throw new Error('extract: close without a frame');
    switch (top.role) {
      case 'root':
      case 'change':
      case 'actions':
        return;
      case 'changes':
        if (top.section === 'resource_changes') this.result.resourceChanges = top.list;
        else this.result.resourceDrift = top.list;
        return;
      case 'deferred':
        this.result.deferredChanges = top.list;
        return;
      case 'change-element': {
        if (top.nested) return;
        const entry = this.inventoryEntry(top.element, top.section, true, top.seg);
        if (parent?.role !== 'changes') throw new Error('extract: change outside its array');
        parent.list.inventory.push(entry);
        if (!isRelevantType(entry.type)) return;
        const change = asResourceChange(this.file, () => this.path(top.seg), this.parseChange(start, end, top.seg, top.element.halves));
        parent.list.entries.push(change);
        if (top.section === 'resource_changes' && change.deposed === undefined) this.listed.resource_changes.add(change.address);
        return;
      }
      case 'deferred-element': {
        if (parent?.role !== 'deferred') throw new Error('extract: deferred change outside its array');
        if (top.element === undefined) throw shapeError(this.file, this.path(top.seg), 'a deferred change without `resource_change`');
        const entry = this.inventoryEntry(top.element, 'deferred_changes', true, top.seg, '.resource_change');
        parent.list.inventory.push(entry);
        if (!isRelevantType(entry.type)) return;
        const deferred = asDeferredChange(this.file, () => this.path(top.seg), this.parse(start, end, top.seg));
        parent.list.entries.push(deferred);
        if (deferred.resource_change.deposed === undefined) this.listed.deferred_changes.add(deferred.resource_change.address);
        return;
      }
      case 'prior-state':
        this.result.priorState = top.values ?? null;
        return;
      case 'values':
        if (parent?.role === 'prior-state') parent.values = top.result;
        else if (top.section === 'planned_values') this.result.plannedValues = top.result;
        else this.result.values = top.result;
        return;
      case 'module':
        return this.closeModule(top, parent);
      case 'child-modules':
        if (parent?.role === 'module') parent.children = top.list;
        return;
      case 'resources':
        if (parent?.role === 'module') parent.own = top.list;
        return;
      case 'resource': {
        if (parent?.role !== 'resources') throw new Error('extract: resource outside its array');
        const entry = this.inventoryEntry(top.element, top.section, false, top.seg);
        parent.list.inventory.push(entry);
        if (isRelevantType(entry.type) && !this.listedBefore(top.section, top.root, entry)) {
          parent.list.entries.push(asValuesResource(this.file, () => this.path(top.seg), this.parse(start, end, top.seg)));
        }
        return;
      }
    }
  }

  /**
   * A managed resource of `prior_state` whose current object an earlier `resource_changes` or
   * `deferred_changes` entry listed. Its address is compared only where it is absolute: in the root
   * module, or starting with `module.` (Terraform 0.12 wrote child modules' addresses relative).
   */
  private listedBefore(section: TreeSection, root: boolean, entry: InventoryEntry): boolean {
    if (section !== 'prior_state' || entry.mode !== 'managed' || !(root || entry.address.startsWith('module.'))) return false;
    for (const by of ['resource_changes', 'deferred_changes'] as const) {
      if (this.listed[by].has(entry.address)) return (this.reliedOn[by] = true);
    }
    return false;
  }

  /**
   * A section whose addresses decide what `prior_state` keeps starts. A second one replaces the first
   * (the last duplicate key wins), which a `prior_state` read in between may already have relied on.
   */
  private listing(section: 'resource_changes' | 'deferred_changes'): void {
    if (this.reliedOn[section]) throw shapeError(this.file, section, `a second \`${section}\` after \`prior_state\` (each section appears once)`);
    this.listed[section] = new Set();
  }

  onTooLarge(limit: number): never {
    throw tooLargeError(this.file, this.path(), limit);
  }

  /** The value at global offsets `[start, end)`; `seg`: its step of the path when its frame is already closed. */
  private parse(start: number, end: number, seg?: Segment): Json {
    if (end - start > this.limit) throw tooLargeError(this.file, seg === undefined ? this.path() : this.path(seg), this.limit);
    return JSON.parse(this.scanner.bytes(start, end).toString('utf8')) as Json;
  }

  /**
   * A resource change whose `before` (or `before_sensitive`) is written exactly as its `after` (or
   * `after_sensitive`), as in every change that alters nothing, is parsed once: the second copy is
   * left out of the text and shares the first one's object (nothing downstream mutates parsed values).
   * Most changes of a large plan are such no-ops, so this saves a quarter of the parsing and memory.
   */
  private parseChange(start: number, end: number, seg: Segment, halves: Element['halves']): Json {
    if (halves === undefined) return this.parse(start, end, seg);
    const shared: (typeof PAIRS)[number][] = [];
    for (const pair of PAIRS) {
      const [copy, kept] = [halves[pair[0]], halves[pair[1]]];
      if (copy === undefined || kept === undefined || copy[1] - copy[0] !== kept[1] - kept[0]) continue;
      if (this.scanner.bytes(copy[0], copy[1]).equals(this.scanner.bytes(kept[0], kept[1]))) shared.push(pair);
    }
    if (shared.length === 0) return this.parse(start, end, seg);
    if (end - start > this.limit) throw tooLargeError(this.file, this.path(seg), this.limit);
    const bytes = this.scanner.bytes(start, end);
    const cuts = shared.map(([copy]) => halves[copy]!).sort((a, b) => a[0] - b[0]);
    let text = '';
    let at = start;
    for (const [from, to] of cuts) {
      text += `${bytes.toString('utf8', at - start, from - start)}null`;
      at = to;
    }
    text += bytes.toString('utf8', at - start);
    const value = JSON.parse(text) as Json;
    const change = (value as { change?: Record<string, Json> }).change;
    if (change !== undefined) for (const [copy, kept] of shared) change[copy] = change[kept]!;
    return value;
  }

  /** Where the scan is, as a JSON path (`resource_changes[3].change`). */
  path(...last: Segment[]): string {
    return [...this.stack.map((frame) => frame.seg), ...last]
      .map((seg) => (typeof seg === 'number' ? `[${seg}]` : seg))
      .join('')
      .replace(/^\./, '');
  }

  private rootValue(key: KeyId, first: number): Action {
    if (key < 0) return SKIP;
    this.result.keys.add(key);
    if (ROOT_FIELDS.has(key)) return CAPTURE;
    const seg = `.${keyName(key)}`;
    switch (key) {
      case KEY.resource_changes:
      case KEY.resource_drift: {
        const section: ChangesSection = key === KEY.resource_changes ? 'resource_changes' : 'resource_drift';
        if (section === 'resource_changes') this.listing(section);
        if (this.nullable(first, 'array', seg)) {
          if (section === 'resource_changes') this.result.resourceChanges = null;
          else this.result.resourceDrift = null;
          return SKIP;
        }
        this.stack.push({ role: 'changes', seg, section, count: 0, list: { entries: [], inventory: [] } });
        return ENTER;
      }
      case KEY.deferred_changes:
        this.listing('deferred_changes');
        if (this.nullable(first, 'array', seg)) {
          this.result.deferredChanges = null;
          return SKIP;
        }
        this.stack.push({ role: 'deferred', seg, count: 0, list: { entries: [], inventory: [] } });
        return ENTER;
      case KEY.planned_values:
      case KEY.values: {
        const section: ValuesSection = key === KEY.values ? 'values' : 'planned_values';
        if (this.nullable(first, 'object', seg)) {
          if (section === 'values') this.result.values = null;
          else this.result.plannedValues = null;
          return SKIP;
        }
        this.stack.push({ role: 'values', seg, section, result: {} });
        return ENTER;
      }
      case KEY.prior_state:
        if (this.nullable(first, 'object', seg)) {
          this.result.priorState = null;
          return SKIP;
        }
        this.stack.push({ role: 'prior-state', seg });
        return ENTER;
      default:
        return SKIP;
    }
  }

  private elementValue(element: Element, key: KeyId, first: number, change: boolean): Action {
    if (key === KEY.type || key === KEY.address || key === KEY.mode) {
      if (first !== QUOTE) this.expect(first, 'string', `.${keyName(key)}`);
      return CAPTURE;
    }
    if (change && key === KEY.change) {
      this.expect(first, 'object', '.change');
      element.actions = undefined;
      element.halves = undefined;
      this.stack.push({ role: 'change', seg: '.change', element });
      return ENTER;
    }
    return SKIP;
  }

  private elementField(element: Element, value: string): void {
    if (this.key === KEY.address) element.address = value;
    else if (this.key === KEY.mode) element.mode = this.interned.string(value);
    else if (this.key === KEY.type) {
      element.type = this.interned.string(value);
      if (!isRelevantType(value)) this.scanner.mayDrop();
      else if (!this.scanner.keep()) throw shapeError(this.file, this.path('.type'), 'a large resource with a second `type` key');
    }
  }

  private moduleValue(top: Extract<Frame, { role: 'module' }>, key: KeyId, first: number): Action {
    if (key === KEY.resources) {
      if (this.nullable(first, 'array', '.resources')) {
        top.own = null;
        return SKIP;
      }
      this.stack.push({ role: 'resources', seg: '.resources', section: top.section, root: top.root, count: 0, list: { entries: [], inventory: [] } });
      return ENTER;
    }
    if (key === KEY.child_modules) {
      if (this.nullable(first, 'array', '.child_modules')) {
        top.children = null;
        return SKIP;
      }
      this.stack.push({ role: 'child-modules', seg: '.child_modules', section: top.section, count: 0, list: [] });
      return ENTER;
    }
    if (key === KEY.address && !top.root) {
      this.expect(first, 'string', '.address');
      return CAPTURE;
    }
    return SKIP;
  }

  private closeModule(top: Extract<Frame, { role: 'module' }>, parent: Frame | undefined): void {
    let address = '';
    if (!top.root) {
      if (top.address === undefined) throw shapeError(this.file, this.path(top.seg), 'a child module without `address`');
      address = top.address;
    }
    const entries: ValuesResource[] = [];
    const inventory: InventoryEntry[] = [];
    for (const resource of top.own?.entries ?? []) {
      resource.module_address = address;
      entries.push(resource);
    }
    // Element by element: a module may hold more resources than a call can take arguments.
    for (const entry of top.own?.inventory ?? []) inventory.push(entry);
    for (const child of top.children ?? []) {
      for (const resource of child.entries) entries.push(resource);
      for (const entry of child.inventory) inventory.push(entry);
    }
    const flattened = { entries, inventory };
    if (parent?.role === 'values') parent.result.root = flattened;
    else if (parent?.role === 'child-modules') parent.list.push(flattened);
    else throw new Error('extract: module outside a values representation');
  }

  /** `seg`, `sub`: the steps of the path to the resource, whose frame is closed. */
  private inventoryEntry(element: Element, section: InventorySection, change: boolean, seg: Segment, sub?: Segment): InventoryEntry {
    const missing = (name: string): never => {
      throw shapeError(this.file, sub === undefined ? this.path(seg) : this.path(seg, sub), `a resource without \`${name}\``);
    };
    const address = element.address ?? missing('address');
    const type = element.type ?? missing('type');
    const mode = element.mode ?? missing('mode');
    if (!change) return { section, address, type, mode };
    const actions = this.interned.list(element.actions ?? missing('change.actions'));
    return { section, address, type, mode, actions };
  }

  /** Whether the value is `null` (accepted for Terraform's omitempty fields); throws unless it is of `kind`. */
  private nullable(first: number, kind: 'object' | 'array', seg: Segment): boolean {
    if (first === NULL) return true;
    this.expect(first, kind, seg);
    return false;
  }

  private expect(first: number, kind: JsonKind, seg: Segment): void {
    const found = kindOf(first);
    if (found !== kind) throw shapeError(this.file, this.path(seg), `expected ${kind === 'array' || kind === 'object' ? 'an' : 'a'} ${kind}, found ${found === 'array' || found === 'object' ? 'an' : 'a'} ${found}`);
  }
}
