// The recover stage: values a plan knows only after apply — policy documents above all — rebuilt from
// the plan's `configuration` and from the Terraform source, with symbolic values (`${tf:<reference>}`)
// for what only apply will tell; and the `.tf` location of every address. `prepareSources` is the
// only asynchronous part; `recover` and everything it returns are synchronous and pure.

export { recover, type Recovery } from './recover';
export { prepareSources, type PrepareOptions, type SourceFile } from './prepare';
export { isLocalSource, joinDir, sourceDirectories, type ModuleDirectory } from './directories';
export { scanBlocks, type ScannedBlock, type ScanResult } from './hcl/scan';
export type { Hcl2Json } from './hcl/convert';
export { SYMBOL_PREFIX, symbolText, symbolsIn } from './value';
export { POLICY_ATTRIBUTES } from './attributes';
export type {
  DocumentOrigin,
  PreparedSources,
  RecoveredDocument,
  SourceModule,
  SourceProblem,
  SymbolInfo,
  SymbolTable,
  SymbolType,
} from './types';
