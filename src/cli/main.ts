// The shell: the only code that touches argv, files, stdout, the environment, the clock and exit
// codes. 0: nothing at or above --fail-on; 1: findings that gate; 2: bad usage or input; 3: a bug.

import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UserError, UserErrors } from '../errors';
import { TOOL } from '../version';

const today = () => new Date().toISOString().slice(0, 10);

/** Colour on a terminal unless NO_COLOR is set; FORCE_COLOR forces it. */
function useColor(flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (process.env['NO_COLOR']) return false;
  if (process.env['FORCE_COLOR'] && process.env['FORCE_COLOR'] !== '0') return true;
  return flag === true || process.stdout.isTTY === true;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);

interface Outcome {
  stdout: string;
  exitCode: number;
}

/**
 * Each command's code is imported when the command runs, so that `rules` and `--help` compile
 * neither the plan pipeline, the IAM analysis nor the reports (scripts/build.mjs splits the bundle
 * along these imports).
 */
async function dispatch(argv: string[]): Promise<Outcome> {
  let outcome: Outcome | undefined;
  const parser = yargs(argv)
    .scriptName('kmsgate')
    .version(TOOL.version)
    .strict()
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UserError('usage', '', `${message}; see \`kmsgate --help\``);
    })
    .command(
      'check <plans..>',
      'gate Terraform plans (terraform show -json output) on KMS governance',
      (y) =>
        y
          .positional('plans', { type: 'string', array: true, describe: 'plan or state JSON files' })
          .option('policies', { type: 'string', array: true, describe: 'extra folder of policy files (repeatable)' })
          .option('builtin', { type: 'boolean', default: true, describe: 'run the built-in policies (--no-builtin to skip)' })
          .option('config', { type: 'string', describe: 'config file (default: .kmsgate.yml when present)' })
          .option('source-dir', { type: 'string', describe: 'Terraform source folder (default: the plan\'s folder or the working directory, when it holds *.tf)' })
          .option('format', { type: 'string', array: true, describe: 'text|json|sarif|markdown|gitlab|junit, or F=FILE (repeatable)' })
          .option('output', { type: 'string', describe: 'file for the format given without =FILE' })
          .option('fail-on', { type: 'string', describe: 'lowest severity that fails the gate (default high)' })
          .option('on-unknown', { type: 'string', describe: 'fail|warn|pass: what a result known only after apply does (default warn)' })
          .option('quiet', { type: 'boolean', default: false, describe: 'text: only gating findings and the summary' })
          .option('color', { type: 'boolean', describe: 'colour the text output (default: on a terminal, unless NO_COLOR)' })
          .option('category', { type: 'string', describe: 'SARIF automationDetails.id (default kmsgate/)' }),
      async (args) => {
        const { runCheck } = await import('./check');
        const result = await runCheck(
          {
            plans: list(args.plans),
            policies: list(args.policies),
            builtin: args.builtin,
            ...(args.config !== undefined ? { config: args.config } : {}),
            ...(args['source-dir'] !== undefined ? { sourceDir: args['source-dir'] } : {}),
            formats: list(args.format),
            ...(args.output !== undefined ? { output: args.output } : {}),
            ...(args['fail-on'] !== undefined ? { failOn: args['fail-on'] } : {}),
            ...(args['on-unknown'] !== undefined ? { onUnknown: args['on-unknown'] } : {}),
            quiet: args.quiet,
            color: useColor(args.color),
            ...(args.category !== undefined ? { category: args.category } : {}),
          },
          today(),
        );
        outcome = { stdout: result.stdout, exitCode: result.exitCode };
      },
    )
    .command(
      'rules',
      'list the rules with their metadata',
      (y) =>
        y
          .option('policies', { type: 'string', array: true, describe: 'extra folder of policy files' })
          .option('builtin', { type: 'boolean', default: true })
          .option('json', { type: 'boolean', default: false, describe: 'print JSON' })
          .option('format', { type: 'string', choices: ['text', 'json', 'markdown'], describe: 'text, json or markdown' }),
      async (args) => {
        const { runRules } = await import('./rules');
        const format = args.format ?? (args.json ? 'json' : 'text');
        outcome = { stdout: await runRules({ policies: list(args.policies), builtin: args.builtin, format }), exitCode: 0 };
      },
    )
    .command(
      'test [dirs..]',
      "run the policies' valid/invalid/unknown fixtures",
      (y) => y.positional('dirs', { type: 'string', array: true, describe: 'policy folders (default: the built-in pack)' }),
      async (args) => {
        const { runTest } = await import('./policy-commands');
        const result = runTest(list(args.dirs), today());
        outcome = { stdout: result.output, exitCode: result.exitCode };
      },
    )
    .command(
      'simulate [scenario]',
      'decide one request against a key policy (and IAM, SCPs, endpoint) the way AWS does',
      (y) =>
        y
          .positional('scenario', { type: 'string', describe: 'scenario JSON file (see the README)' })
          .option('policy', { type: 'string', describe: 'key policy JSON file (instead of a scenario)' })
          .option('principal', { type: 'string', describe: 'the caller: role, user, session or account ARN, or a service' })
          .option('action', { type: 'string', describe: 'the KMS action, e.g. kms:Decrypt' })
          .option('context', { type: 'string', array: true, describe: 'request context KEY=VALUE (repeatable)' })
          .option('key-arn', { type: 'string', describe: 'the key the request is for' })
          .option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
      async (args) => {
        const { runSimulate } = await import('./iam-commands');
        outcome = {
          stdout: runSimulate({
            ...(args.scenario !== undefined ? { scenario: args.scenario } : {}),
            ...(args.policy !== undefined ? { policy: args.policy } : {}),
            ...(args.principal !== undefined ? { principal: args.principal } : {}),
            ...(args.action !== undefined ? { action: args.action } : {}),
            context: list(args.context),
            ...(args['key-arn'] !== undefined ? { keyArn: args['key-arn'] } : {}),
            json: args.json,
          }),
          exitCode: 0,
        };
      },
    )
    .command(
      'access <plans..>',
      'show, per key, who can do which action classes under which conditions',
      (y) =>
        y
          .positional('plans', { type: 'string', array: true, describe: 'plan or state JSON files' })
          .option('json', { type: 'boolean', default: false, describe: 'print JSON' })
          .option('source-dir', { type: 'string', describe: 'Terraform source folder (as for check)' })
          .option('color', { type: 'boolean', describe: 'colour the output (default: on a terminal, unless NO_COLOR)' }),
      async (args) => {
        const { runAccess } = await import('./iam-commands');
        outcome = {
          stdout: await runAccess({
            plans: list(args.plans),
            json: args.json,
            color: useColor(args.color),
            ...(args['source-dir'] !== undefined ? { sourceDir: args['source-dir'] } : {}),
          }),
          exitCode: 0,
        };
      },
    )
    .demandCommand(1, 'name a command: check, access, simulate, rules or test')
    .help();
  await parser.parseAsync();
  return outcome ?? { stdout: '', exitCode: 0 };
}

export async function main(argv = hideBin(process.argv)): Promise<number> {
  try {
    const { stdout, exitCode } = await dispatch(argv);
    if (stdout) process.stdout.write(stdout);
    return exitCode;
  } catch (error) {
    if (error instanceof UserErrors) {
      for (const e of error.errors) process.stderr.write(`kmsgate: error: ${e.message}\n`);
      return 2;
    }
    if (error instanceof UserError) {
      process.stderr.write(`kmsgate: error: ${error.message}\n`);
      return 2;
    }
    const detail = process.env['KMSGATE_DEBUG'] ? (error as Error).stack : (error as Error).message;
    process.stderr.write(`kmsgate: internal error: ${detail} (please report it; KMSGATE_DEBUG=1 shows the stack)\n`);
    return 3;
  }
}
