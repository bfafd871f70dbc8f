// Types of the generated validators (scripts/gen-validators.mjs).
import type { ValidateFunction } from 'ajv';

export declare const policy: ValidateFunction;
export declare const config: ValidateFunction;
export declare const fixtures: ValidateFunction;
