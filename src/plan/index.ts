// The load stage: bytes of a `terraform show -json` document → a validated PlanDocument.

export { createPlanReader, readPlan, type PlanReader, type PlanReaderOptions } from './reader';
export { directoryError } from './messages';
export { isRelevantType } from './relevant';
export type * from './types';
