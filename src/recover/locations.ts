// Maps a plan address to the `.tf` line of its block: the `resource`/`data` block in the module's own
// folder; for anything inside a remote module (not on disk), the `module` block that calls it, in the
// nearest folder that is on disk.

import type { SourceLocation } from '../finding';
import { configAddress, parseModuleAddress, parseResourceAddress } from '../model';
import { pathKey } from './directories';
import type { PreparedSources, SourceModule } from './types';

export class Locator {
  private readonly modules = new Map<string, SourceModule>();

  constructor(sources: PreparedSources | undefined) {
    for (const module of sources?.modules ?? []) this.modules.set(pathKey(module.path), module);
  }

  location(address: string): SourceLocation | undefined {
    const resource = parseResourceAddress(address);
    const calls = (resource?.module ?? parseModuleAddress(address) ?? []).map((m) => m.call);
    if (!resource && calls.length === 0) return undefined;
    let nearest: SourceLocation | undefined;
    for (let depth = 1; depth <= calls.length; depth += 1) {
      const module = this.modules.get(pathKey(calls.slice(0, depth)));
      if (!module) return nearest;
      if (module.dir === null) return module.callSite ?? nearest;
      nearest = module.callSite ?? nearest;
    }
    if (!resource) return nearest;
    const block = this.modules.get(pathKey(calls))?.blocks[configAddress(resource.mode, resource.type, resource.name)];
    return block?.location ?? nearest;
  }
}
