// Shared copies of the short strings and lists the inventory repeats, to keep a large plan's
// inventory small.

/**
 * One copy of each type, mode and action string, and of each action list, shared by the inventory
 * entries (a large plan repeats a few dozen of them tens of thousands of times). Bounded, so a
 * document of unique names cannot grow it past the strings it holds anyway.
 */
export class Interned {
  private readonly strings = new Map<string, string>();
  /** Lists of one action by that action; longer lists by their JSON text (no two lists share a key). */
  private readonly singles = new Map<string, readonly string[]>();
  private readonly lists = new Map<string, readonly string[]>();

  string(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    if (this.strings.size < 4096) this.strings.set(value, value);
    return value;
  }

  list(values: string[]): readonly string[] {
    const map = values.length === 1 ? this.singles : this.lists;
    const key = values.length === 1 ? values[0]! : JSON.stringify(values);
    const known = map.get(key);
    if (known !== undefined) return known;
    const list = Object.freeze(values.map((value) => this.string(value)));
    if (map.size < 256) map.set(key, list);
    return list;
  }
}
