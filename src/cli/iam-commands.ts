// `kmsgate simulate` (one request against a scenario) and `kmsgate access` (who can do what, per key).

import { UserError } from '../errors';
import { analyze } from '../facts';
import { scenarioFromFlags, simulate, type SimulationResult } from '../iam';
import { recover } from '../recover';
import { relate } from '../relate';
import { accessRows, renderAccessText, sortAccessRows } from '../report/access';
import { planInputs } from './check';
import { display, readSmallFile } from './files';

export interface SimulateArgs {
  scenario?: string;
  policy?: string;
  principal?: string;
  action?: string;
  context: readonly string[];
  keyArn?: string;
  json: boolean;
}

export function runSimulate(args: SimulateArgs): string {
  let result: SimulationResult;
  if (args.scenario !== undefined) {
    if (args.policy !== undefined || args.principal !== undefined || args.action !== undefined) {
      throw new UserError('simulate', '', 'give either a scenario file or --policy, --principal and --action, not both');
    }
    const file = display(args.scenario);
    const text = readSmallFile(args.scenario);
    let scenario: unknown;
    try {
      scenario = JSON.parse(text);
    } catch (error) {
      throw new UserError(file, '', `not valid JSON (${(error as Error).message}); a scenario is a JSON document as in the README`);
    }
    result = simulate(scenario, file);
  } else {
    if (args.policy === undefined || args.principal === undefined || args.action === undefined) {
      throw new UserError('simulate', '', 'give a scenario file, or --policy FILE with --principal ARN and --action A');
    }
    const policyFile = display(args.policy);
    const scenario = scenarioFromFlags({
      policy: readSmallFile(args.policy),
      policyFile,
      principal: args.principal,
      action: args.action,
      context: args.context,
      ...(args.keyArn !== undefined ? { keyArn: args.keyArn } : {}),
    });
    result = simulate(scenario, policyFile);
  }
  if (args.json) return `${JSON.stringify({ decision: result.decision, statements: result.statements, notes: result.notes }, null, 2)}\n`;
  const lines = [`decision: ${result.decision}`];
  if (result.statements.length > 0) {
    lines.push('decided by:', ...result.statements.map((s) => `  ${s.effect.padEnd(5)} ${s.policy} ${s.sid}`));
  }
  if (result.notes.length > 0) lines.push('notes:', ...result.notes.map((n) => `  - ${n}`));
  return `${lines.join('\n')}\n`;
}

export async function runAccess(args: { plans: readonly string[]; json: boolean; color: boolean; sourceDir?: string }): Promise<string> {
  const rows = (await planInputs(args.plans, args.sourceDir)).flatMap(({ model, sources }) =>
    accessRows(analyze(model, relate(model), recover(model, sources)), model.sensitiveValues),
  );
  // Sorted by file and address, as the text form is: the order plans are named in must not show.
  if (args.json) return `${JSON.stringify(sortAccessRows(rows), null, 2)}\n`;
  return renderAccessText(rows, args.color);
}
